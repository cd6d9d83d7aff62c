/* test_cpio.c - newc reader: a real archive made by cpio(1) when available plus hand-built ones,
 * and the malformed archives the kernel must refuse: wrong magic (e.g. the old binary format or
 * plain text), non-hex fields, truncation at every byte, bad name sizes, missing trailer. */
#include <stdlib.h>
#include "tests/lib/tap.h"
#include "kernel/core/cpio.h"

static uint8_t ar[4096];
static size_t arlen;
static const char *why;

static void add(const char *name, const char *data, uint32_t mode)
{
    size_t nl = strlen(name) + 1, dl = strlen(data);
    char hdr[CPIO_HDR_SIZE + 1];
    snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1u, mode, 0u, 0u, 1u,
             0u, (unsigned)dl, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    memcpy(ar + arlen, hdr, CPIO_HDR_SIZE);
    arlen += CPIO_HDR_SIZE;
    memcpy(ar + arlen, name, nl);
    arlen = (arlen + nl + 3) & ~(size_t)3;
    memcpy(ar + arlen, data, dl);
    arlen = (arlen + dl + 3) & ~(size_t)3;
}

static void build(void)
{
    memset(ar, 0, sizeof ar);
    arlen = 0;
    add(".", "", 040755);
    add("./README", "read me\n", 0100644);
    add("./hello.txt", "hello\n", 0100644);
    add("TRAILER!!!", "", 0);
}

int main(void)
{
    build();
    tap_eq(cpio_count(ar, arlen, &why), 3, "hand-built archive: 3 entries before the trailer");
    struct cpio_entry e;
    tap_eq(cpio_find(ar, arlen, "README", &e, &why), 1, "find README (stored as ./README)");
    tap_ok(e.size == 8 && memcmp(e.data, "read me\n", 8) == 0, "README contents");
    tap_eq(cpio_find(ar, arlen, "missing", &e, &why), 0, "missing file: not found, no error");
    tap_eq(cpio_find(ar, arlen, ".", &e, &why), 0, "a directory is not returned as a file");
    tap_ok(cpio_looks_like_newc(ar, arlen), "looks like newc");

    int all_trunc_rejected = 1;
    for (size_t cut = 0; cut < arlen; cut++) {
        int r = cpio_count(ar, cut, &why);
        if (r >= 0)
            all_trunc_rejected = 0;
    }
    tap_ok(all_trunc_rejected, "every truncation of the archive is rejected");

    const char *text = "this is plain text, not a cpio archive\n";
    tap_eq(cpio_count(text, strlen(text), &why), CPIO_EMAGIC, "plain text: bad magic (%s)", why);
    uint8_t oldbin[CPIO_HDR_SIZE] = {0xc7, 0x71};
    tap_eq(cpio_count(oldbin, sizeof oldbin, &why), CPIO_EMAGIC, "old binary cpio: bad magic");
    tap_eq(cpio_count(ar, 0, &why), CPIO_ENOTRAILER, "empty buffer: no trailer");

    build();
    ar[6 + 8 * 6 + 3] = 'g'; /* filesize field of "." */
    tap_eq(cpio_count(ar, arlen, &why), CPIO_EHEX, "non-hex field rejected");
    build();
    memcpy(ar + 6 + 8 * 11, "00000000", 8);
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ENAME, "name size 0 rejected");
    build();
    memcpy(ar + 6 + 8 * 11, "00100000", 8);
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ENAME, "name size above the limit rejected");
    build();
    memcpy(ar + 6 + 8 * 11, "00000003", 8); /* "." + NUL is 2 bytes: byte 3 is padding, not NUL */
    ar[CPIO_HDR_SIZE + 2] = 'x';
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ENAME, "name not NUL-terminated at its size rejected");
    build();
    memcpy(ar + 6 + 8 * 6, "7FFFFFFF", 8);
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ETRUNC, "file size past the end rejected");
    build();
    memcpy(ar + 6 + 8 * 6, "FFFFFFFF", 8);
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ETRUNC, "file size 4 GiB - 1 rejected");
    build();
    arlen -= 124; /* drop the trailer entry */
    tap_eq(cpio_count(ar, arlen, &why), CPIO_ENOTRAILER, "archive without trailer rejected (%s)", why);

    struct cpio_iter it;
    build();
    ar[0] = 'X';
    cpio_iter_init(&it, ar, arlen);
    int r1 = cpio_next(&it, &e, &why), r2 = cpio_next(&it, &e, &why);
    tap_ok(r1 < 0 && r2 < 0, "iterator stays failed after an error");

    /* an archive written by cpio(1), if the tool is here */
    FILE *f = popen("cd tools/qemu/initramfs 2>/dev/null && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc 2>/dev/null", "r");
    static uint8_t real[65536];
    size_t rl = f ? fread(real, 1, sizeof real, f) : 0;
    if (f)
        pclose(f);
    if (rl > 0) {
        tap_ok(cpio_count(real, rl, &why) >= 2, "archive from cpio(1) parses (%s)", why);
        tap_eq(cpio_find(real, rl, "README", &e, &why), 1, "cpio(1) archive contains README");
    } else {
        tap_skip("archive from cpio(1) parses", "cpio(1) not available");
        tap_skip("cpio(1) archive contains README", "cpio(1) not available");
    }
    return tap_done();
}
