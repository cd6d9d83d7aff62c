/* cpio.c - newc archive reader (see cpio.h).
 *
 * Layout of one entry: a 110-byte ASCII header ("070701" + 13 eight-digit hex fields), the name
 * (namesize bytes including its NUL), padding to a multiple of 4 counted from the archive start,
 * the data (filesize bytes), padding to 4 again. The last entry is named "TRAILER!!!".
 * All sizes are checked against what is left of the buffer before anything is touched. */
#include "kernel/core/cpio.h"

#include "lib/base/mem.h"

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ, F_DEVMIN, F_RDEVMAJ, F_RDEVMIN,
       F_NAMESIZE, F_CHECK, F_COUNT };

static int hexfield(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

bool cpio_looks_like_newc(const void *buf, size_t len)
{
    return len >= 6 && (memcmp(buf, "070701", 6) == 0 || memcmp(buf, "070702", 6) == 0);
}

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
    it->buf = buf;
    it->len = len;
    it->off = 0;
    it->done = false;
}

/* True if any of the first n bytes is NUL. */
static bool memchr_nul(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == 0)
            return true;
    return false;
}

static size_t pad4(size_t x) { return (x + 3) & ~(size_t)3; }

static int err(struct cpio_iter *it, const char **why, const char *msg, int code)
{
    it->done = true;
    it->off = it->len + 1; /* marks "failed" for later calls */
    *why = msg;
    return code;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e, const char **why)
{
    *why = "";
    if (it->done)
        return it->off > it->len ? err(it, why, "cpio archive already failed", CPIO_ETRUNC) : CPIO_EEND;
    size_t left = it->len - it->off;
    const uint8_t *h = it->buf + it->off;
    if (left == 0)
        return err(it, why, "cpio archive ends without a TRAILER!!! entry", CPIO_ENOTRAILER);
    if (left >= 6 && !cpio_looks_like_newc(h, left))
        return err(it, why, "bad cpio magic: not a newc (070701/070702) archive", CPIO_EMAGIC);
    if (left < CPIO_HDR_SIZE)
        return err(it, why, "cpio header truncated", CPIO_ETRUNC);
    uint32_t f[F_COUNT];
    for (int i = 0; i < F_COUNT; i++)
        if (hexfield(h + 6 + 8 * i, &f[i]))
            return err(it, why, "cpio header field is not hexadecimal", CPIO_EHEX);
    size_t namesize = f[F_NAMESIZE];
    if (namesize == 0 || namesize > CPIO_NAME_MAX)
        return err(it, why, "cpio name size is 0 or too large", CPIO_ENAME);
    if (namesize > left - CPIO_HDR_SIZE)
        return err(it, why, "cpio name runs past the end of the archive", CPIO_ETRUNC);
    const char *name = (const char *)h + CPIO_HDR_SIZE;
    if (name[namesize - 1] != 0 || memchr_nul(name, namesize - 1))
        return err(it, why, "cpio name is not NUL-terminated at its stated size", CPIO_ENAME);
    size_t data_off = pad4(it->off + CPIO_HDR_SIZE + namesize);
    if (data_off > it->len)
        return err(it, why, "cpio name padding runs past the end of the archive", CPIO_ETRUNC);
    size_t size = f[F_FILESIZE];
    if (size > it->len - data_off)
        return err(it, why, "cpio file data runs past the end of the archive", CPIO_ETRUNC);

    e->name = name;
    e->namelen = namesize - 1;
    e->data = it->buf + data_off;
    e->size = size;
    e->mode = f[F_MODE];
    e->offset = it->off;
    if (e->namelen == 10 && memcmp(name, "TRAILER!!!", 10) == 0) {
        it->done = true;
        return CPIO_EEND;
    }
    size_t next = pad4(data_off + size);
    it->off = next > it->len ? it->len : next;
    return 1;
}

int cpio_count(const void *buf, size_t len, const char **why)
{
    struct cpio_iter it;
    struct cpio_entry e;
    int n = 0, r;
    cpio_iter_init(&it, buf, len);
    while ((r = cpio_next(&it, &e, why)) == 1)
        n++;
    return r < 0 ? r : n;
}

/* "./a/b" and "a/b" name the same file. */
static const char *strip_dot(const char *s)
{
    while (s[0] == '.' && s[1] == '/')
        s += 2;
    return s;
}

static bool same_name(const char *a, const char *b)
{
    a = strip_dot(a), b = strip_dot(b);
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int cpio_find(const void *buf, size_t len, const char *name, struct cpio_entry *out, const char **why)
{
    struct cpio_iter it;
    int r;
    cpio_iter_init(&it, buf, len);
    while ((r = cpio_next(&it, out, why)) == 1)
        if ((out->mode & 0170000) == 0100000 && same_name(out->name, name))
            return 1;
    return r;
}
