/* rt.c - runtime entry, exit, memory helpers and TAP (rt.h). Output goes through one line buffer
 * flushed at every newline (exo_debug_write takes at most EXO_DEBUG_WRITE_MAX bytes a call) through the
 * console capability rt_console. */
#include "user/rt/rt.h"

const struct kexo_boot *rt_boot;
exo_handle_t rt_console;
static char line[EXO_DEBUG_WRITE_MAX];
static size_t line_len;
static int tap_count, tap_failed;

_Noreturn void rt_start(uint64_t a0, uint64_t a1);
_Noreturn void rt_start(uint64_t a0, uint64_t a1)
{
    const struct kexo_boot *b = (const struct kexo_boot *)a0;
    /* init gets a pointer into its own stack; other domains get plain numbers */
    if (a0 >= 0x1000 && a0 < EXO_USER_VA_END && (a0 & 7) == 0 && a0 > (uint64_t)&a0 && b->magic == KEXO_BOOT_MAGIC)
        rt_boot = b, rt_console = (exo_handle_t)b->console;
    rt_exit(main(a0, a1));
}

_Noreturn void rt_exit(int status)
{
    rt_flush();
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, (uint64_t)status);
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

void rt_flush(void)
{
    if (line_len)
        exo_debug_write(rt_console, line, line_len);
    line_len = 0;
}

static void put(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof line)
        rt_flush();
}

/* ---- formatting: %d %i %u %x %p %s %c %% with l/ll/z, width, 0 flag and - (strings) --------------------- */
struct out {
    char *buf;
    size_t cap, n;
};

static void emit(struct out *o, char c)
{
    if (o->n + 1 < o->cap)
        o->buf[o->n] = c;
    o->n++;
}

static void emit_num(struct out *o, uint64_t v, unsigned base, bool neg, int width, char pad)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[k++] = '-';
    for (int i = k; i < width; i++)
        emit(o, pad);
    while (k)
        emit(o, tmp[--k]);
}

int rt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0, lng = 0, left = 0;
        if (*p == '-')
            left = 1, p++;
        if (*p == '0')
            pad = '0', p++;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        while (*p == 'l' || *p == 'z')
            lng++, p++;
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            emit_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            emit_num(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, false, width, pad);
            break;
        case 'x':
            emit_num(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, false, width, pad);
            break;
        case 'p':
            emit(&o, '0'), emit(&o, 'x');
            emit_num(&o, (uint64_t)va_arg(ap, void *), 16, false, width, pad);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)";
            int len = (int)strlen(s);
            for (int i = len; !left && i < width; i++)
                emit(&o, ' ');
            for (; *s; s++)
                emit(&o, *s);
            for (int i = len; left && i < width; i++)
                emit(&o, ' ');
            break;
        }
        case 'c':
            emit(&o, (char)va_arg(ap, int));
            break;
        case '%':
            emit(&o, '%');
            break;
        default:
            emit(&o, '?');
            if (!*p)
                p--;
        }
    }
    if (cap)
        buf[o.n < cap ? o.n : cap - 1] = 0;
    return (int)o.n;
}

static void vprint(const char *fmt, va_list ap)
{
    char buf[512];
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    for (int i = 0; i < n && i < (int)sizeof buf - 1; i++)
        put(buf[i]);
}

int rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    return 0;
}

int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    tap_failed += !cond;
    rt_printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    put('\n');
    return cond;
}

void tap_diag(const char *fmt, ...)
{
    va_list ap;
    rt_printf("# ");
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    put('\n');
}

int tap_done(void)
{
    rt_printf("1..%d\n", tap_count);
    rt_flush();
    return tap_failed ? 1 : 0;
}
