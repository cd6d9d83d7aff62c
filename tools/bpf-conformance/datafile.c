/* datafile.c - reads conformance ".data" files (format in datafile.h and
 * ../shared/vectors/bpf_conformance/README.md). Hosted tool code: stdio and malloc are fine. */
#include "tools/bpf-conformance/datafile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Section [s, e) of the file text, as lines. */
static const char *line_end(const char *p, const char *e)
{
    while (p < e && *p != '\n')
        p++;
    return p;
}

static int parse_hex_bytes(struct datafile *d, const char *s, const char *e, char *why, size_t wl)
{
    while (s < e) {
        const char *le = line_end(s, e), *p = s;
        while (p < le && *p != '#') {
            if (*p == ' ' || *p == '\t' || *p == '\r') {
                p++;
                continue;
            }
            char *endp;
            char tok[3] = { p[0], p + 1 < le ? p[1] : 0, 0 };
            unsigned long v = strtoul(tok, &endp, 16);
            if (endp != tok + 2 || (p + 2 < le && p[2] != ' ' && p[2] != '\t' && p[2] != '\r')) {
                snprintf(why, wl, "bad hex byte in -- mem near '%.*s'", (int)(le - p < 8 ? le - p : 8), p);
                return -1;
            }
            if (d->mem_len >= DATAFILE_MAX_MEM) {
                snprintf(why, wl, "-- mem larger than %d bytes", DATAFILE_MAX_MEM);
                return -1;
            }
            d->mem[d->mem_len++] = (uint8_t)v;
            p += 2;
        }
        s = le < e ? le + 1 : le;
    }
    return 0;
}

/* First non-blank, non-comment token of a section, trimmed into out. */
static void first_token(const char *s, const char *e, char *out, size_t cap)
{
    size_t n = 0;
    while (s < e) {
        const char *le = line_end(s, e), *p = s;
        while (p < le && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p < le && *p != '#') {
            while (p < le && *p != '#' && *p != '\r' && n + 1 < cap)
                out[n++] = *p++;
            while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
                n--;
            break;
        }
        s = le < e ? le + 1 : le;
    }
    out[n] = 0;
}

static int parse_u64(const char *tok, uint64_t *v)
{
    char *endp;
    if (!*tok || *tok == '-')
        return -1;
    errno = 0;
    *v = strtoull(tok, &endp, 0);
    return (*endp || errno) ? -1 : 0;
}

int datafile_parse(struct datafile *d, char *text, size_t len, char *why, size_t wl)
{
    memset(d, 0, sizeof(*d));
    d->text = text;
    const char *p = text, *end = text + len;
    const char *sec = NULL, *sec_start = NULL;
    size_t sec_len = 0;
    for (;;) {
        const char *le = p < end ? line_end(p, end) : end;
        bool header = p < end && le - p >= 3 && p[0] == '-' && p[1] == '-' && p[2] == ' ';
        if (p >= end || header) {
            if (sec) {
                const char *s = sec_start, *e = p;
                char tok[256];
                if (sec_len == 3 && !memcmp(sec, "asm", 3)) {
                    d->asm_text = s;
                    d->asm_len = (size_t)(e - s);
                } else if (sec_len == 3 && !memcmp(sec, "mem", 3)) {
                    if (parse_hex_bytes(d, s, e, why, wl))
                        return -1;
                } else if (sec_len == 6 && !memcmp(sec, "result", 6)) {
                    first_token(s, e, tok, sizeof(tok));
                    if (parse_u64(tok, &d->result)) {
                        snprintf(why, wl, "bad -- result '%s'", tok);
                        return -1;
                    }
                    d->has_result = true;
                } else if (sec_len == 5 && !memcmp(sec, "error", 5)) {
                    first_token(s, e, d->error, sizeof(d->error));
                    d->has_error = true;
                } else if (sec_len == 3 && !memcmp(sec, "raw", 3)) {
                    d->has_raw = true;
                    while (s < e) {
                        const char *l2 = line_end(s, e);
                        first_token(s, l2, tok, sizeof(tok));
                        if (*tok) {
                            if (d->nraw >= DATAFILE_MAX_RAW || parse_u64(tok, &d->raw[d->nraw])) {
                                snprintf(why, wl, "bad -- raw word '%s'", tok);
                                return -1;
                            }
                            d->nraw++;
                        }
                        s = l2 < e ? l2 + 1 : l2;
                    }
                }
            }
            if (p >= end)
                break;
            sec = p + 3;
            const char *se = sec;
            while (se < le && *se != ' ' && *se != '\r' && *se != '\t')
                se++;
            sec_len = (size_t)(se - sec);
            sec_start = le < end ? le + 1 : le;
        }
        p = le < end ? le + 1 : le;
    }
    if (!d->asm_text) {
        snprintf(why, wl, "no -- asm section");
        return -1;
    }
    if (!d->has_result && !d->has_error) {
        snprintf(why, wl, "neither -- result nor -- error");
        return -1;
    }
    return 0;
}

int datafile_load(struct datafile *d, const char *path, char *why, size_t wl)
{
    FILE *f = fopen(path, "rb");
    memset(d, 0, sizeof(*d));
    if (!f) {
        snprintf(why, wl, "cannot open");
        return -1;
    }
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        snprintf(why, wl, "out of memory");
        return -1;
    }
    int rc = datafile_parse(d, buf, n, why, wl);
    if (rc) {
        free(buf);
        d->text = NULL;
    }
    return rc;
}

void datafile_free(struct datafile *d)
{
    free(d->text);
    d->text = NULL;
}
