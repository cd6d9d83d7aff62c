/* interp.c - the eBPF interpreter: RFC 9669 semantics in C, two variants of one threaded loop.
 *
 * The arithmetic corner cases live here as small functions so the loop (interp_loop.c) stays a
 * table of one-liners and so the JIT's tests have one reference:
 *   - unsigned division by zero gives 0; modulo by zero leaves dst unchanged (32-bit forms
 *     still zero the upper half, like every ALU32 result);
 *   - signed division INT_MIN / -1 gives INT_MIN and INT_MIN % -1 gives 0 (no trap), signed
 *     remainder takes the sign of the dividend (C's truncating division);
 *   - ALU64 immediates are sign-extended to 64 bits (also for the unsigned div/mod), ALU32
 *     immediates are used as 32-bit values.
 * A local call pushes a frame (return slot, saved r6-r9) and moves r10 down by 512 bytes, so each
 * frame has its own stack; depth is bounded by EBPF_MAX_CALL_DEPTH in both variants. */
#include "lib/base/mem.h"
#include "lib/ebpf/helpers.h"
#include "lib/ebpf/maps.h"
#include "lib/ebpf/vm.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the engines assume a little-endian host (x86-64)"
#endif

struct frame {
    const struct ebpf_insn *ret;
    uint64_t saved[4];      /* r6..r9 */
};

static inline uint64_t udiv64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static inline uint64_t umod64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint64_t udiv32(uint64_t a, uint64_t b)
{
    return (uint32_t)b ? (uint32_t)a / (uint32_t)b : 0;
}
static inline uint64_t umod32(uint64_t a, uint64_t b)
{
    return (uint32_t)b ? (uint32_t)a % (uint32_t)b : (uint32_t)a;
}
static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
    if (b == 0)
        return 0;
    if ((int64_t)b == -1)
        return -a;      /* also INT64_MIN / -1 = INT64_MIN, computed without overflow */
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t smod64(uint64_t a, uint64_t b)
{
    if (b == 0)
        return a;
    if ((int64_t)b == -1)
        return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint64_t sdiv32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)(uint32_t)a, y = (int32_t)(uint32_t)b;
    if (y == 0)
        return 0;
    if (y == -1)
        return (uint32_t)-(uint32_t)x;
    return (uint32_t)(x / y);
}
static inline uint64_t smod32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)(uint32_t)a, y = (int32_t)(uint32_t)b;
    if (y == 0)
        return (uint32_t)x;
    if (y == -1)
        return 0;
    return (uint32_t)(x % y);
}
/* mov (off 0) or movsx (off 8/16/32): 64-bit result; the ALU32 form truncates it. */
static inline uint64_t movsx64(uint64_t v, int16_t off)
{
    switch (off) {
    case 8: return (uint64_t)(int64_t)(int8_t)v;
    case 16: return (uint64_t)(int64_t)(int16_t)v;
    case 32: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

/* Atomic read-modify-write. Fetch forms put the old value in *src (zero-extended for 32 bit);
 * cmpxchg compares with *r0 and always puts the old value in *r0. */
static inline void atomic_op64(uint64_t *p, int32_t op, uint64_t *src, uint64_t *r0)
{
    uint64_t old;
    switch (op) {
    case EBPF_ATOMIC_ADD: __atomic_fetch_add(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_OR: __atomic_fetch_or(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_AND: __atomic_fetch_and(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XOR: __atomic_fetch_xor(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_ADD | EBPF_FETCH: *src = __atomic_fetch_add(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_OR | EBPF_FETCH: *src = __atomic_fetch_or(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_AND | EBPF_FETCH: *src = __atomic_fetch_and(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XOR | EBPF_FETCH: *src = __atomic_fetch_xor(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XCHG: *src = __atomic_exchange_n(p, *src, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_CMPXCHG:
        old = *r0;
        __atomic_compare_exchange_n(p, &old, *src, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *r0 = old;
        return;
    default: return;    /* unreachable: ebpf_prog_check rejects other operations */
    }
}
static inline void atomic_op32(uint32_t *p, int32_t op, uint64_t *src, uint64_t *r0)
{
    uint32_t v = (uint32_t)*src, old;
    switch (op) {
    case EBPF_ATOMIC_ADD: __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_OR: __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_AND: __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XOR: __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_ADD | EBPF_FETCH: *src = __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_OR | EBPF_FETCH: *src = __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_AND | EBPF_FETCH: *src = __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XOR | EBPF_FETCH: *src = __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_XCHG: *src = __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); return;
    case EBPF_ATOMIC_CMPXCHG:
        old = (uint32_t)*r0;
        __atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *r0 = old;
        return;
    default: return;
    }
}

static void fault_set(struct ebpf_run *run, int code, uint32_t pc, const char *msg)
{
    size_t n = 0;
    run->fault.code = code;
    run->fault.pc = pc;
    while (msg[n] && n + 1 < sizeof(run->fault.msg)) {
        run->fault.msg[n] = msg[n];
        n++;
    }
    run->fault.msg[n] = 0;
}

static bool in_range(uintptr_t a, uint64_t n, uintptr_t base, uint64_t len)
{
    return a >= base && n <= len && a - base <= len - n;
}

/* Checked mode: may the program touch [a, a+n)? Allowed are the run's stacks, the input buffer
 * and any value of the program's maps. */
static inline __attribute__((always_inline)) bool mem_ok(const struct ebpf_run *run,
                                                      const struct ebpf_prog *p, uintptr_t a,
                                                      uint64_t n)
{
    if (in_range(a, n, (uintptr_t)run->stack, sizeof(run->stack)))
        return true;
    if (run->mem && in_range(a, n, (uintptr_t)run->mem, run->mem_len))
        return true;
    for (uint32_t i = 0; i < p->nmaps; i++)
        if (p->maps[i] && ebpf_map_owns(p->maps[i], a, n))
            return true;
    return false;
}

static bool is_prog_map(const struct ebpf_prog *p, uint64_t v)
{
    for (uint32_t i = 0; i < p->nmaps; i++)
        if (p->maps[i] && (uint64_t)(uintptr_t)p->maps[i] == v)
            return true;
    return false;
}

/* Checked mode: validates a helper call's pointer arguments against its prototype, so that an
 * unverified program cannot make a helper touch memory it could not touch itself. */
static bool helper_args_ok(const struct ebpf_run *run, const struct ebpf_prog *p,
                           const struct ebpf_helper *h, const uint64_t *reg)
{
    const struct ebpf_map *map = NULL;
    for (int i = 0; i < EBPF_HELPER_MAX_ARGS && h->args[i] != EBPF_ARG_NONE; i++) {
        uint64_t v = reg[1 + i], size;
        switch (h->args[i]) {
        case EBPF_ARG_MAP_PTR:
            if (!is_prog_map(p, v))
                return false;
            map = (const struct ebpf_map *)(uintptr_t)v;
            break;
        case EBPF_ARG_MAP_KEY:
        case EBPF_ARG_MAP_VALUE:
            if (!map)
                return false;
            size = h->args[i] == EBPF_ARG_MAP_KEY ? map->key_size : map->value_size;
            if (!mem_ok(run, p, (uintptr_t)v, size))
                return false;
            break;
        case EBPF_ARG_MEM_RO:
        case EBPF_ARG_MEM_WO:
            size = h->mem_size[i];
            if (size == 0) {
                if (i + 1 >= EBPF_HELPER_MAX_ARGS)
                    return false;
                size = reg[2 + i];
                if (size == 0 && h->args[i + 1] == EBPF_ARG_SIZE_OR_ZERO)
                    break;
            }
            if (size == 0 || !mem_ok(run, p, (uintptr_t)v, size))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

#define INTERP_FN interp_trusted
#define INTERP_CHECKED 0
#include "lib/ebpf/interp_loop.c"
#undef INTERP_FN
#undef INTERP_CHECKED

#define INTERP_FN interp_checked
#define INTERP_CHECKED 1
#include "lib/ebpf/interp_loop.c"
#undef INTERP_FN
#undef INTERP_CHECKED

int ebpf_interp_exec(const struct ebpf_prog *prog, struct ebpf_run *run, uint64_t *r0)
{
    *r0 = 0;
    if (!(run->flags & EBPF_RUN_PRECHECKED)) {
        int rc = ebpf_prog_check(prog, run->env, &run->fault);
        if (rc)
            return rc;
    }
    run->prog = prog;
    return (run->flags & EBPF_RUN_CHECKED) ? interp_checked(prog, run, r0)
                                           : interp_trusted(prog, run, r0);
}
