/* helpers.c - the standard helper functions and their typed prototypes.
 *
 * Each helper is a plain C function called with the run and r1..r5; its prototype (argument
 * kinds, return kind, fixed memory sizes) is what the verifier checks a call against, so the
 * function itself trusts its pointers: it is only ever reached from a verified program or from
 * the checked interpreter, which validates pointer arguments before the call (see
 * ebpf_helper_args_ok in interp.c).
 *
 * The octonion helpers use lib/algebra's integer Cayley-Dickson arithmetic (cd_int.h), the one
 * octonion convention PLADOF uses everywhere. */
#include "lib/ebpf/helpers.h"

#include "lib/algebra/cd_int.h"
#include "lib/base/mem.h"
#include "lib/ebpf/maps.h"

static uint64_t h_map_lookup(struct ebpf_run *run, uint64_t map, uint64_t key, uint64_t a3,
                             uint64_t a4, uint64_t a5)
{
    return (uint64_t)(uintptr_t)ebpf_map_lookup((struct ebpf_map *)(uintptr_t)map,
                                                (const void *)(uintptr_t)key);
}

static uint64_t h_map_update(struct ebpf_run *run, uint64_t map, uint64_t key, uint64_t value,
                             uint64_t flags, uint64_t a5)
{
    return (uint64_t)(int64_t)ebpf_map_update((struct ebpf_map *)(uintptr_t)map,
                                              (const void *)(uintptr_t)key,
                                              (const void *)(uintptr_t)value, flags);
}

static uint64_t h_map_delete(struct ebpf_run *run, uint64_t map, uint64_t key, uint64_t a3,
                             uint64_t a4, uint64_t a5)
{
    return (uint64_t)(int64_t)ebpf_map_delete((struct ebpf_map *)(uintptr_t)map,
                                              (const void *)(uintptr_t)key);
}

/* The conformance runners' helper 5: returns its argument; an argument of 0 ends the program
 * at once with r0 = 0. */
static uint64_t h_unwind(struct ebpf_run *run, uint64_t x, uint64_t a2, uint64_t a3, uint64_t a4,
                         uint64_t a5)
{
    if (x == 0) {
        run->stop = 1;
        run->stop_r0 = 0;
    }
    return x;
}

static uint64_t h_ktime(struct ebpf_run *run, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5)
{
    return run->env->ktime_ns ? run->env->ktime_ns() : 0;
}

/* Appends one character to the print buffer, keeping room for the terminating NUL. */
static void put(struct ebpf_run *run, char c)
{
    const struct ebpf_env *env = run->env;
    if (env->print_buf && run->print_len + 1 < env->print_cap) {
        env->print_buf[run->print_len++] = c;
        env->print_buf[run->print_len] = 0;
    }
}

static void put_num(struct ebpf_run *run, uint64_t v, bool is_signed, unsigned base)
{
    char tmp[24];
    int n = 0;
    if (is_signed && (int64_t)v < 0) {
        put(run, '-');
        v = -v;
    }
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        put(run, tmp[--n]);
}

size_t ebpf_format(struct ebpf_run *run, const char *fmt, uint64_t fmt_size, const uint64_t *args,
                   unsigned nargs)
{
    uint32_t start = run->print_len;
    unsigned used = 0;
    for (uint64_t i = 0; i < fmt_size && fmt[i]; i++) {
        if (fmt[i] != '%') {
            put(run, fmt[i]);
            continue;
        }
        uint64_t j = i + 1;
        unsigned longs = 0;
        while (j < fmt_size && fmt[j] == 'l' && longs < 2) {
            longs++;
            j++;
        }
        char c = j < fmt_size ? fmt[j] : 0;
        if (c == '%' && longs == 0) {
            put(run, '%');
            i = j;
            continue;
        }
        if (!(c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'c') || used >= nargs) {
            put(run, '%');      /* not a conversion we know: print it literally */
            continue;
        }
        uint64_t v = args[used++];
        if (longs == 0)         /* %d/%u/%x take the low 32 bits, like trace_printk */
            v = (c == 'd' || c == 'i') ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
        if (c == 'c')
            put(run, (char)v);
        else
            put_num(run, v, c == 'd' || c == 'i', c == 'x' ? 16 : 10);
        i = j;
    }
    return run->print_len - start;
}

static uint64_t h_print(struct ebpf_run *run, uint64_t fmt, uint64_t size, uint64_t a, uint64_t b,
                        uint64_t c)
{
    uint64_t args[3] = { a, b, c };
    return ebpf_format(run, (const char *)(uintptr_t)fmt, size, args, 3);
}

static uint64_t h_oct_mul(struct ebpf_run *run, uint64_t pa, uint64_t pb, uint64_t pout,
                          uint64_t a4, uint64_t a5)
{
    int64_t a[8], b[8], out[8];
    /* Copies: program memory need not be 8-byte aligned, and out may alias a or b. */
    memcpy(a, (const void *)(uintptr_t)pa, sizeof(a));
    memcpy(b, (const void *)(uintptr_t)pb, sizeof(b));
    cd_i_mul(8, out, a, b);
    memcpy((void *)(uintptr_t)pout, out, sizeof(out));
    return 0;
}

static uint64_t h_oct_norm(struct ebpf_run *run, uint64_t pa, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5)
{
    int64_t a[8];
    memcpy(a, (const void *)(uintptr_t)pa, sizeof(a));
    return cd_i_norm2(8, a);
}

static const struct ebpf_helper helper_lookup = {
    .id = EBPF_HELPER_MAP_LOOKUP, .name = "map_lookup_elem", .fn = h_map_lookup,
    .ret = EBPF_RET_MAP_VALUE_OR_NULL, .args = { EBPF_ARG_MAP_PTR, EBPF_ARG_MAP_KEY },
};
static const struct ebpf_helper helper_update = {
    .id = EBPF_HELPER_MAP_UPDATE, .name = "map_update_elem", .fn = h_map_update,
    .ret = EBPF_RET_SCALAR,
    .args = { EBPF_ARG_MAP_PTR, EBPF_ARG_MAP_KEY, EBPF_ARG_MAP_VALUE, EBPF_ARG_SCALAR },
};
static const struct ebpf_helper helper_delete = {
    .id = EBPF_HELPER_MAP_DELETE, .name = "map_delete_elem", .fn = h_map_delete,
    .ret = EBPF_RET_SCALAR, .args = { EBPF_ARG_MAP_PTR, EBPF_ARG_MAP_KEY },
};
static const struct ebpf_helper helper_unwind = {
    .id = EBPF_HELPER_UNWIND, .name = "unwind", .fn = h_unwind, .ret = EBPF_RET_SCALAR,
    .args = { EBPF_ARG_SCALAR }, .flags = EBPF_HELPER_MAY_STOP,
};
static const struct ebpf_helper helper_print = {
    .id = EBPF_HELPER_PRINT, .name = "trace_printk", .fn = h_print, .ret = EBPF_RET_SCALAR,
    .args = { EBPF_ARG_MEM_RO, EBPF_ARG_SIZE, EBPF_ARG_SCALAR, EBPF_ARG_SCALAR, EBPF_ARG_SCALAR },
};
static const struct ebpf_helper helper_ktime = {
    .id = EBPF_HELPER_KTIME_NS, .name = "ktime_get_ns", .fn = h_ktime, .ret = EBPF_RET_SCALAR,
};
static const struct ebpf_helper helper_oct_mul = {
    .id = EBPF_HELPER_OCT_MUL, .name = "octonion_mul", .fn = h_oct_mul, .ret = EBPF_RET_SCALAR,
    .args = { EBPF_ARG_MEM_RO, EBPF_ARG_MEM_RO, EBPF_ARG_MEM_WO },
    .mem_size = { 64, 64, 64 },
};
static const struct ebpf_helper helper_oct_norm = {
    .id = EBPF_HELPER_OCT_NORM, .name = "octonion_norm2", .fn = h_oct_norm,
    .ret = EBPF_RET_SCALAR, .args = { EBPF_ARG_MEM_RO }, .mem_size = { 64 },
};

const struct ebpf_helper *const ebpf_std_helpers[] = {
    &helper_lookup, &helper_update, &helper_delete, &helper_unwind,
    &helper_print, &helper_ktime, &helper_oct_mul, &helper_oct_norm,
};
const uint32_t ebpf_std_helpers_count = sizeof(ebpf_std_helpers) / sizeof(ebpf_std_helpers[0]);
