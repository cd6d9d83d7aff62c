/* cpio.h - reader for cpio "newc" archives (the initramfs format), untrusted input.
 * The iterator hands out entries in archive order; names and data point into the archive buffer.
 * Portable: used by the kernel and by hosted tests and fuzzers. */
#ifndef PLADOF_KERNEL_CPIO_H
#define PLADOF_KERNEL_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_HDR_SIZE 110
#define CPIO_NAME_MAX 4096

struct cpio_entry {
    const char *name;    /* NUL-terminated inside the archive */
    size_t namelen;      /* without the NUL */
    const uint8_t *data;
    size_t size;
    uint32_t mode;       /* st_mode: type and permission bits */
    size_t offset;       /* of the header, for messages */
};

struct cpio_iter {
    const uint8_t *buf;
    size_t len, off;
    bool done;
};

enum cpio_err {
    CPIO_EEND = 0,     /* returned by cpio_next at the trailer: not an error */
    CPIO_EMAGIC = -1,  /* header magic is not 070701/070702: not a newc archive (or corrupt) */
    CPIO_EHEX = -2,    /* a header field has a non-hex digit */
    CPIO_ETRUNC = -3,  /* header, name or data runs past the end of the buffer */
    CPIO_ENAME = -4,   /* name size 0, > CPIO_NAME_MAX, or the name is not NUL-terminated there */
    CPIO_ENOTRAILER = -5, /* the buffer ended without a TRAILER!!! entry */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);
/* Returns 1 and fills *e for the next entry, 0 (CPIO_EEND) at the trailer, or a CPIO_E* error with
 * *why set to a sentence. After an error or the end, further calls return the same result class. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e, const char **why);
/* Walks the whole archive: returns the number of entries (>= 0) or a CPIO_E* error. */
int cpio_count(const void *buf, size_t len, const char **why);
/* Finds a regular file by exact name ("README" or "./README" both match "README"). 1 found, 0 not
 * found, < 0 archive error. */
int cpio_find(const void *buf, size_t len, const char *name, struct cpio_entry *out, const char **why);
/* True when the buffer starts with a newc magic (a cheap "is this cpio?" for messages). */
bool cpio_looks_like_newc(const void *buf, size_t len);

#endif
