/* verifier_fmt.c - the minimal printf subset used for verifier and loader messages. */
#include "lib/ebpf/verifier_fmt.h"

#include <stdint.h>

struct out {
    char *buf;
    size_t n, pos;
};

static void put(struct out *o, char c)
{
    if (o->n && o->pos + 1 < o->n)
        o->buf[o->pos++] = c;
}

static void put_u(struct out *o, unsigned long long v, unsigned base)
{
    char tmp[24];
    int i = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    while (i)
        put(o, tmp[--i]);
}

static void put_s(struct out *o, long long v)
{
    if (v < 0) {
        put(o, '-');
        put_u(o, (unsigned long long)0 - (unsigned long long)v, 10);
    } else {
        put_u(o, (unsigned long long)v, 10);
    }
}

size_t ebpf_vfmt(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        int ll = 0;
        while (*p == 'l') {
            ll++;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            for (s = s ? s : "(null)"; *s; s++)
                put(&o, *s);
            break;
        }
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case 'd': put_s(&o, ll ? va_arg(ap, long long) : va_arg(ap, int)); break;
        case 'u': put_u(&o, ll ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 10); break;
        case 'x': put_u(&o, ll ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 16); break;
        case '%': put(&o, '%'); break;
        case '\0': p--; break;
        default: put(&o, '%'); put(&o, *p); break;
        }
    }
    if (n)
        buf[o.pos] = '\0';
    return o.pos;
}

size_t ebpf_fmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t r = ebpf_vfmt(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
