/* parse.c - reads the line-oriented "key = value" vector format and the field helpers of vectors.h.
 *
 * Grammar (../shared/vectors/README.md): '#' lines are comments; the leading ones form the header.
 * A case is a run of lines `key = value` (key [A-Za-z0-9_]+, separator exactly " = ", or "key ="
 * for an empty value); cases are separated by blank lines. Everything else is an error that names
 * the line, so a truncated or corrupted file is reported instead of silently running fewer cases.
 * Parsing is in place: keys and values are NUL-terminated slices of the file buffer. */
#include "tools/vectors/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_key_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Splits a field line in place. Returns 0 and sets *key and *val, or -1 when the line is not a field. */
static int split_field(char *line, char **key, char **val)
{
    char *p = line;
    while (is_key_char(*p))
        p++;
    if (p == line || p[0] != ' ' || p[1] != '=')
        return -1;
    if (p[2] == '\0') {
        *p = '\0';
        *key = line;
        *val = p + 2; /* the empty string */
        return 0;
    }
    if (p[2] != ' ')
        return -1;
    *p = '\0';
    *key = line;
    *val = p + 3;
    return 0;
}

/* Next line of text starting at *pos, NUL-terminated in place with a trailing '\r' dropped. NULL at the end. */
static char *next_line(char *text, size_t len, size_t *pos)
{
    if (*pos >= len)
        return NULL;
    char *line = text + *pos;
    char *nl = memchr(line, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - line) : len - *pos;
    line[n] = '\0';
    *pos += n + 1;
    if (n > 0 && line[n - 1] == '\r')
        line[n - 1] = '\0';
    return line;
}

int vec_sniff(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        const char *line = text + i;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n > 0 && line[0] != '#') {
            size_t k = 0;
            while (k < n && is_key_char(line[k]))
                k++;
            return k > 0 && k + 1 < n && line[k] == ' ' && line[k + 1] == '=' && (k + 2 == n || line[k + 2] == ' ');
        }
        i += (nl ? (size_t)(nl - (text + i)) + 1 : len - i);
    }
    return 0;
}

static int parse_tcid(const char *s, long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

int vec_parse(struct vec_file *f, const char *path, char *text, size_t len, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (memchr(text, '\0', len)) {
        snprintf(err, errlen, "NUL byte in file");
        free(text);
        return -1;
    }
    size_t cap = 16, hlen = 0, hcap = 256, pos = 0;
    unsigned long lineno = 0;
    int in_header = 1, in_case = 0;
    struct vec_case *cases = malloc(cap * sizeof *cases);
    char *header = malloc(hcap);
    if (!cases || !header)
        goto oom;
    header[0] = '\0';
    char *line;
    while ((line = next_line(text, len, &pos)) != NULL) {
        lineno++;
        if (line[0] == '#') {
            if (in_header) {
                size_t n = strlen(line);
                if (hlen + n + 2 > hcap) {
                    while (hlen + n + 2 > hcap)
                        hcap *= 2;
                    char *h = realloc(header, hcap);
                    if (!h)
                        goto oom;
                    header = h;
                }
                memcpy(header + hlen, line, n);
                hlen += n;
                header[hlen++] = '\n';
                header[hlen] = '\0';
            }
            continue; /* comments between cases are allowed and ignored */
        }
        if (line[0] == '\0') {
            in_case = 0;
            continue;
        }
        in_header = 0;
        char *key, *val;
        if (split_field(line, &key, &val) != 0) {
            snprintf(err, errlen, "line %lu: not a \"key = value\" line", lineno);
            goto fail;
        }
        if (!in_case) {
            if (f->ncases == cap) {
                cap *= 2;
                struct vec_case *c = realloc(cases, cap * sizeof *cases);
                if (!c)
                    goto oom;
                cases = c;
            }
            struct vec_case *c = &cases[f->ncases++];
            memset(c, 0, sizeof *c);
            c->file = path;
            c->tcid = -1;
            in_case = 1;
        }
        struct vec_case *c = &cases[f->ncases - 1];
        for (int i = 0; i < c->nfields; i++) {
            if (strcmp(c->key[i], key) == 0) {
                snprintf(err, errlen, "line %lu: field \"%s\" repeated in one case", lineno, key);
                goto fail;
            }
        }
        if (c->nfields == VEC_MAX_FIELDS) {
            snprintf(err, errlen, "line %lu: more than %d fields in one case", lineno, VEC_MAX_FIELDS);
            goto fail;
        }
        if (strcmp(key, "tcId") == 0 && parse_tcid(val, &c->tcid) != 0) {
            snprintf(err, errlen, "line %lu: tcId is not a number", lineno);
            goto fail;
        }
        c->key[c->nfields] = key;
        c->val[c->nfields] = val;
        c->nfields++;
    }
    if (f->ncases == 0) {
        snprintf(err, errlen, "no cases");
        goto fail;
    }
    f->text = text;
    f->header = header;
    f->cases = cases;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    free(cases);
    free(header);
    free(text);
    memset(f, 0, sizeof *f);
    return -1;
}

void vec_file_free(struct vec_file *f)
{
    free(f->text);
    free(f->header);
    free(f->cases);
    memset(f, 0, sizeof *f);
}

const char *vec_get(const struct vec_case *c, const char *key)
{
    for (int i = 0; i < c->nfields; i++)
        if (strcmp(c->key[i], key) == 0)
            return c->val[i];
    return NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vec_hex(const char *hex, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!hex)
        return -1;
    size_t n = strlen(hex);
    if (n % 2)
        return -1;
    uint8_t *b = malloc(n / 2 + 1); /* +1: a valid pointer even for the empty string */
    if (!b)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return -1;
        }
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    *out = b;
    *len = n / 2;
    return 0;
}

long vec_num(const struct vec_case *c, const char *key, long dflt)
{
    const char *v = vec_get(c, key);
    if (!v || *v == '\0')
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return *end == '\0' ? x : dflt;
}
