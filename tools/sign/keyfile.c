/* keyfile.c - encoding and decoding of the tools' key files (format in keyfile.h), whole-file
 * I/O, and operating-system randomness for key generation and hedged signing. */
#include "tools/sign/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic_pk[8] = { 'P', 'L', 'D', 'S', 'A', 'p', 'k', '1' };
static const char magic_sk[8] = { 'P', 'L', 'D', 'S', 'A', 's', 'k', '1' };

size_t keyfile_encode(uint8_t *out, enum keyfile_kind kind, const mldsa_params *p, const uint8_t *key)
{
    size_t keylen = kind == KEYFILE_PUBLIC ? p->pk_bytes : p->sk_bytes;
    memcpy(out, kind == KEYFILE_PUBLIC ? magic_pk : magic_sk, 8);
    out[8] = (uint8_t)p->level;
    out[9] = out[10] = out[11] = 0;
    memcpy(out + KEYFILE_HEADER, key, keylen);
    return KEYFILE_HEADER + keylen;
}

int keyfile_decode(struct keyfile *kf, enum keyfile_kind kind, const uint8_t *buf, size_t len, char *why,
                   size_t whylen)
{
    const char *want = kind == KEYFILE_PUBLIC ? "public" : "secret";
    if (len < KEYFILE_HEADER) {
        snprintf(why, whylen, "too short for a key file (%zu bytes)", len);
        return -1;
    }
    if (memcmp(buf, kind == KEYFILE_PUBLIC ? magic_pk : magic_sk, 8) != 0) {
        if (memcmp(buf, kind == KEYFILE_PUBLIC ? magic_sk : magic_pk, 8) == 0)
            snprintf(why, whylen, "this is a %s key file, expected a %s key file",
                     kind == KEYFILE_PUBLIC ? "secret" : "public", want);
        else
            snprintf(why, whylen, "not a PLADOF ML-DSA %s key file (bad magic)", want);
        return -1;
    }
    const mldsa_params *p = mldsa_params_get(buf[8]);
    if (!p) {
        snprintf(why, whylen, "unknown parameter set %u (expected 44, 65 or 87)", buf[8]);
        return -1;
    }
    if (buf[9] | buf[10] | buf[11]) {
        snprintf(why, whylen, "reserved header bytes are not zero");
        return -1;
    }
    size_t keylen = kind == KEYFILE_PUBLIC ? p->pk_bytes : p->sk_bytes;
    if (len - KEYFILE_HEADER != keylen) {
        snprintf(why, whylen, "%s %s key must be %zu bytes after the header, file has %zu", p->name, want, keylen,
                 len - KEYFILE_HEADER);
        return -1;
    }
    kf->kind = kind;
    kf->params = p;
    kf->key = buf + KEYFILE_HEADER;
    kf->keylen = keylen;
    return 0;
}

uint8_t *file_read(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        uint8_t *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    int saved = errno;
    if (f != stdin)
        fclose(f);
    errno = saved;
    *len = n;
    return buf;
}

int file_write(const char *path, const uint8_t *buf, size_t len, unsigned mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, (mode_t)mode);
    if (fd < 0)
        return -1;
    if (fchmod(fd, (mode_t)mode) != 0) { /* an existing file keeps its mode otherwise */
        close(fd);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

int os_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    while (len) {
        ssize_t got = getrandom(out, len, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        out += got;
        len -= (size_t)got;
    }
    return 0;
}
