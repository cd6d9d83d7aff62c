/* verifier_mem.c - memory-access rules of the verifier.
 *
 * Every load, store, atomic operation and helper memory argument goes through here. The rules:
 *   - the base must be a pointer to the input, a stack frame or a map value (never a scalar, a
 *     map pointer, or a map value that may still be null);
 *   - every byte touched must lie inside the region: the input's proven length, the frame's 512
 *     bytes below r10, the map's value_size;
 *   - stack offsets must be constants (so initialisation can be tracked byte by byte) and reads
 *     may only touch initialised bytes; a pointer may be spilled only as an aligned 8-byte store
 *     and read back only whole (reading part of it would leak address bits);
 *   - pointers are never stored anywhere but the stack, and a pointer into a callee's frame is
 *     never stored into a caller's frame (it would dangle after the return);
 *   - the input is written only when the program type allows it. */
#include "lib/ebpf/verifier_mem.h"

#include "lib/base/mem.h"

static const char *region_name(uint8_t t)
{
    switch (t) {
    case VT_INPUT: return "input";
    case VT_STACK: return "stack";
    case VT_MAP_VALUE: return "map value";
    default: return "?";
    }
}

bool vreg_is_ptr(const struct vreg *r) { return r->type >= VT_INPUT; }

int vmem_check(struct vctx *c, uint32_t pc, const char *what, const struct vreg *base,
               int64_t off, uint64_t size, bool write, int64_t *lo_out)
{
    switch (base->type) {
    case VT_UNINIT: return ebpf_vreject(c->res, pc, "%s is uninitialised", what);
    case VT_SCALAR:
        return ebpf_vreject(c->res, pc, "%s is a scalar, not a pointer: memory access rejected", what);
    case VT_MAP_PTR:
        return ebpf_vreject(c->res, pc, "%s is a map pointer: its memory cannot be accessed", what);
    case VT_MAP_OR_NULL:
        return ebpf_vreject(c->res, pc, "%s may be null: compare it with 0 before the access", what);
    default: break;
    }
    /* Offsets of pointers are kept within +-2^20 by the arithmetic rules, so no overflow. */
    int64_t lo = base->v.smin + off, hi = base->v.smax + off + (int64_t)size;
    if (base->type == VT_STACK) {
        if (!scal_is_const(&base->v))
            return ebpf_vreject(c->res, pc, "%s: variable offset into the stack is not allowed", what);
        if (lo < -(int64_t)EBPF_STACK_SIZE || hi > 0)
            return ebpf_vreject(c->res, pc, "stack access out of bounds: off=%lld size=%llu",
                                (long long)lo, (unsigned long long)size);
    } else if (base->type == VT_MAP_VALUE) {
        uint32_t vs = c->cfg->maps[base->map].value_size;
        if (lo < 0 || hi > (int64_t)vs)
            return ebpf_vreject(c->res, pc, "map value access out of bounds: off=[%lld,%lld] "
                                "size=%llu value_size=%u", (long long)(base->v.smin + off),
                                (long long)(base->v.smax + off), (unsigned long long)size, vs);
    } else {
        /* In bounds if below the proven length, or if the pointer's room covers it. */
        bool by_room = base->room && off + (int64_t)size <= (int64_t)base->room - 1;
        if (lo < 0 || (hi > (int64_t)c->cur.input_min && !by_room))
            return ebpf_vreject(c->res, pc, "input access out of bounds: off=[%lld,%lld] size=%llu, "
                                "proven input length %u", (long long)(base->v.smin + off),
                                (long long)(base->v.smax + off), (unsigned long long)size,
                                c->cur.input_min);
        if (write && !c->cfg->input_writable)
            return ebpf_vreject(c->res, pc, "write to read-only input");
    }
    if (lo_out)
        *lo_out = lo;
    return 0;
}

static struct vframe *frame_of(struct vctx *c, const struct vreg *base)
{
    return &c->cur.f[base->frame];
}

/* Forgets spilled registers whose slots bytes [i, i+n) of frame f overlap, leaving `kind` in
 * the written bytes. A partly overwritten pointer spill makes its other bytes unreadable. */
static void stack_clobber(struct vframe *f, int64_t i, uint64_t n, uint8_t kind)
{
    for (int64_t s = i / 8; s <= (int64_t)(i + (int64_t)n - 1) / 8; s++) {
        if (f->sk[s * 8] != SB_SPILL)
            continue;
        uint8_t rest = vreg_is_ptr(&f->spill[s]) ? SB_INVALID : SB_MISC;
        memset(&f->sk[s * 8], rest, 8);
        f->spill[s].type = VT_UNINIT;
    }
    memset(&f->sk[i], kind, (size_t)n);
}

int vmem_stack_readable(struct vctx *c, uint32_t pc, const struct vreg *base, int64_t lo,
                        uint64_t n, bool by_helper)
{
    struct vframe *f = frame_of(c, base);
    int64_t i0 = lo + EBPF_STACK_SIZE;
    for (int64_t i = i0; i < i0 + (int64_t)n; i++) {
        if (f->sk[i] == SB_INVALID)
            return ebpf_vreject(c->res, pc, "read of uninitialised stack: off=%lld size=%llu",
                                (long long)lo, (unsigned long long)n);
        if (f->sk[i] == SB_SPILL && vreg_is_ptr(&f->spill[i / 8]) && by_helper)
            return ebpf_vreject(c->res, pc, "passing a spilled pointer at off=%lld to a helper "
                                "leaks it", (long long)(i / 8 * 8 - EBPF_STACK_SIZE));
        if (f->sk[i] == SB_SPILL && vreg_is_ptr(&f->spill[i / 8]) &&
            (lo % 8 || n != 8))
            return ebpf_vreject(c->res, pc, "partial read of a spilled pointer at off=%lld", 
                                (long long)(i / 8 * 8 - EBPF_STACK_SIZE));
    }
    return 0;
}

void vmem_stack_written(struct vctx *c, const struct vreg *base, int64_t lo, uint64_t n)
{
    stack_clobber(frame_of(c, base), lo + EBPF_STACK_SIZE, n, SB_MISC);
}

int vmem_load(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size,
              bool sext, struct vreg *out)
{
    int64_t lo;
    if (vmem_check(c, pc, "load base", base, off, size, false, &lo))
        return -1;
    struct vreg r = { .type = VT_SCALAR };
    r.v = sext ? scal_unknown_sext(size) : scal_unknown_width(size);
    if (base->type == VT_STACK) {
        if (vmem_stack_readable(c, pc, base, lo, size, false))
            return -1;
        struct vframe *f = frame_of(c, base);
        int64_t i = lo + EBPF_STACK_SIZE;
        if (f->sk[i] == SB_SPILL && size == 8 && lo % 8 == 0)
            r = f->spill[i / 8];
        else if (f->sk[i] == SB_SPILL && !sext && lo % 8 == 0 &&
                 f->spill[i / 8].v.umax < (size == 8 ? ~0ull : 1ull << (size * 8)))
            r = f->spill[i / 8]; /* a narrow read of a small spilled scalar: same value */
    }
    *out = r;
    return 0;
}

int vmem_store(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size,
               const struct vreg *val)
{
    int64_t lo;
    if (vmem_check(c, pc, "store base", base, off, size, true, &lo))
        return -1;
    if (vreg_is_ptr(val)) {
        if (base->type != VT_STACK)
            return ebpf_vreject(c->res, pc, "storing a pointer into the %s leaks an address",
                                region_name(base->type));
        if (size != 8 || lo % 8)
            return ebpf_vreject(c->res, pc, "pointer spill must be an aligned 8-byte store "
                                "(off=%lld size=%u)", (long long)lo, size);
        if (val->type == VT_STACK && val->frame > base->frame)
            return ebpf_vreject(c->res, pc, "storing a pointer to a callee's stack into a caller's "
                                "stack");
    }
    if (base->type != VT_STACK)
        return 0;
    struct vframe *f = frame_of(c, base);
    int64_t i = lo + EBPF_STACK_SIZE;
    if (size == 8 && lo % 8 == 0) {
        stack_clobber(f, i, 8, SB_SPILL);
        f->spill[i / 8] = *val;
    } else {
        stack_clobber(f, i, size, SB_MISC);
    }
    return 0;
}

int vmem_atomic(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size)
{
    int64_t lo;
    if (vmem_check(c, pc, "atomic base", base, off, size, true, &lo))
        return -1;
    if (base->type == VT_STACK) {
        struct vframe *f = frame_of(c, base);
        if (vmem_stack_readable(c, pc, base, lo, size, false))
            return -1;
        int64_t i = lo + EBPF_STACK_SIZE;
        if (f->sk[i] == SB_SPILL && vreg_is_ptr(&f->spill[i / 8]))
            return ebpf_vreject(c->res, pc, "atomic operation on a spilled pointer");
        stack_clobber(f, i, size, SB_MISC);
    }
    return 0;
}
