/* format.c - the printf engine (see format.h). Portable: also built hosted for tests/kernel. */
#include "kernel/lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_state {
    fmt_out_fn out;
    void *ctx;
    int count;
};

static void put(struct fmt_state *st, char c)
{
    st->out(st->ctx, c);
    st->count++;
}

/* Emits `len` bytes of `s` padded to `width` with `pad`; a '-' sign stays in front of zero padding. */
static void put_field(struct fmt_state *st, const char *s, int len, int width, bool left, char pad)
{
    int fill = width > len ? width - len : 0;
    if (!left && pad == '0' && len > 0 && s[0] == '-') {
        put(st, '-');
        s++, len--;
    }
    if (!left)
        while (fill-- > 0)
            put(st, pad);
    for (int i = 0; i < len; i++)
        put(st, s[i]);
    if (left)
        while (fill-- > 0)
            put(st, ' ');
}

static int utoa(char *buf, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

int kvformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
{
    struct fmt_state st = {out, ctx, 0};
    va_list args;
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&st, *p);
            continue;
        }
        p++;
        bool left = false;
        char pad = ' ';
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                pad = '0';
            else
                break;
        }
        int width = 0, prec = -1;
        if (*p == '*') {
            width = va_arg(args, int);
            if (width < 0)
                left = true, width = -width;
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        int lng = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        for (;; p++) {
            if (*p == 'l')
                lng++;
            else if (*p == 'h')
                lng--;
            else if (*p == 'z' || *p == 't' || *p == 'j')
                lng = 2;
            else
                break;
        }
        char buf[32];
        int n;
        uint64_t u;
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = lng >= 2 ? va_arg(args, long long) : lng == 1 ? va_arg(args, long) : va_arg(args, int);
            if (lng == -1)
                v = (short)v;
            else if (lng <= -2)
                v = (signed char)v;
            n = 0;
            if (v < 0) {
                buf[n++] = '-';
                u = (uint64_t)0 - (uint64_t)v;
            } else {
                u = (uint64_t)v;
            }
            n += utoa(buf + n, u, 10, false);
            put_field(&st, buf, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = lng >= 2 ? va_arg(args, unsigned long long) : lng == 1 ? va_arg(args, unsigned long)
                                                                       : va_arg(args, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng <= -2)
                u = (unsigned char)u;
            n = utoa(buf, u, *p == 'u' ? 10 : *p == 'o' ? 8 : 16, *p == 'X');
            put_field(&st, buf, n, width, left, pad);
            break;
        case 'p':
            u = (uintptr_t)va_arg(args, void *);
            buf[0] = '0', buf[1] = 'x';
            n = 2 + utoa(buf + 2, u, 16, false);
            put_field(&st, buf, n, width, left, ' ');
            break;
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len] && (prec < 0 || len < prec))
                len++;
            put_field(&st, s, len, width, left, ' ');
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(args, int);
            put_field(&st, buf, 1, width, left, ' ');
            break;
        case '%':
            put(&st, '%');
            break;
        case '\0':
            p--; /* a lone '%' at the end: print nothing more */
            break;
        default: /* unknown conversion: print it verbatim so the mistake is visible */
            put(&st, '%');
            put(&st, *p);
            break;
        }
    }
    va_end(args);
    return st.count;
}

struct snbuf {
    char *buf;
    size_t n, pos;
};

static void sn_out(void *ctx, char c)
{
    struct snbuf *b = ctx;
    if (b->pos + 1 < b->n)
        b->buf[b->pos] = c;
    b->pos++;
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct snbuf b = {buf, n, 0};
    int len = kvformat(sn_out, &b, fmt, ap);
    if (n > 0)
        buf[b.pos < n ? b.pos : n - 1] = 0;
    return len;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return len;
}
