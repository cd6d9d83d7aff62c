/* verifier_step.c - abstract execution of one instruction (the verifier's transfer functions).
 *
 * Register rules enforced here: every register read must be initialised; scalar arithmetic is
 * done in the interval/tnum domain (division and modulo by zero are allowed: RFC 9669 defines
 * the result); pointer arithmetic is limited to adding or subtracting a scalar to an input,
 * stack or map-value pointer (64-bit only) and must keep the offset inside the region (or one
 * past its end); subtracting two pointers of the same region gives a scalar; every other
 * operation on a pointer is rejected, as it would turn an address into data. Conditional jumps
 * narrow the ranges on each side, drop sides that cannot happen, resolve null checks of map
 * lookups, and compare pointers only with pointers of the same region (or with 0). */
#include "lib/ebpf/maps.h"
#include "lib/ebpf/verifier_call.h"
#include "lib/ebpf/verifier_mem.h"

static const char *const alu_names[16] = { "add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
                                           "neg", "mod", "xor", "mov", "arsh", "end", "?", "?" };

static struct vframe *top(struct vctx *c) { return &c->cur.f[c->cur.nframes - 1]; }

static int read_reg(struct vctx *c, uint32_t pc, unsigned r)
{
    if (top(c)->r[r].type == VT_UNINIT)
        return ebpf_vreject(c->res, pc, "r%u is uninitialised", r);
    return 0;
}

/* Largest offset range a pointer may have after arithmetic: [lo, hi] inclusive. */
static void region_limits(struct vctx *c, const struct vreg *p, int64_t *lo, int64_t *hi)
{
    if (p->type == VT_STACK)
        *lo = -(int64_t)EBPF_STACK_SIZE, *hi = 0;
    else if (p->type == VT_MAP_VALUE)
        *lo = 0, *hi = c->cfg->maps[p->map].value_size;
    else
        *lo = 0, *hi = EBPF_VERIFIER_MAX_INPUT;
}

static int ptr_alu(struct vctx *c, uint32_t pc, struct ebpf_insn i, struct vreg *dst,
                   const struct vreg *src)
{
    uint8_t op = EBPF_OP(i.opcode);
    bool is64 = EBPF_CLASS(i.opcode) == EBPF_ALU64;
    const struct vreg *ptr = vreg_is_ptr(dst) ? dst : src;
    unsigned pr = vreg_is_ptr(dst) ? i.dst : i.src;
    if (!is64 || (op != EBPF_ADD && op != EBPF_SUB))
        return ebpf_vreject(c->res, pc, "pointer arithmetic with %s%s on r%u is prohibited",
                            alu_names[op >> 4], is64 ? "" : "32", pr);
    if (vreg_is_ptr(dst) && vreg_is_ptr(src)) {
        /* Only within the input or one stack frame: two map values may be different elements,
         * and their distance would reveal the map's layout in memory. */
        if (op != EBPF_SUB || dst->type != src->type || dst->frame != src->frame ||
            (dst->type != VT_INPUT && dst->type != VT_STACK))
            return ebpf_vreject(c->res, pc, "arithmetic on two pointers r%u, r%u is prohibited",
                                i.dst, i.src);
        struct scal d = scal_alu(EBPF_SUB, true, 0, 0, dst->v, src->v);
        *dst = (struct vreg){ .type = VT_SCALAR, .v = d };
        return 0;
    }
    if (ptr->type == VT_MAP_PTR)
        return ebpf_vreject(c->res, pc, "arithmetic on map pointer r%u is prohibited", pr);
    if (ptr->type == VT_MAP_OR_NULL)
        return ebpf_vreject(c->res, pc, "arithmetic on r%u, which may be null, is prohibited", pr);
    if (!vreg_is_ptr(dst) && op == EBPF_SUB)
        return ebpf_vreject(c->res, pc, "subtracting pointer r%u from a scalar is prohibited", pr);
    const struct vreg *sc = vreg_is_ptr(dst) ? src : dst;
    struct vreg res = *ptr;
    res.v = scal_alu(op, true, 0, 0, ptr->v, sc->v);
    int64_t lo, hi;
    region_limits(c, ptr, &lo, &hi);
    if (res.v.smin < lo || res.v.smax > hi || res.v.smin > res.v.smax)
        return ebpf_vreject(c->res, pc, "pointer arithmetic moves r%u out of its region "
                            "(offset [%lld,%lld], allowed [%lld,%lld])", i.dst,
                            (long long)res.v.smin, (long long)res.v.smax, (long long)lo,
                            (long long)hi);
    *dst = res;
    return 0;
}

static int do_alu(struct vctx *c, uint32_t pc, struct ebpf_insn i)
{
    uint8_t op = EBPF_OP(i.opcode);
    bool is64 = EBPF_CLASS(i.opcode) == EBPF_ALU64, x = EBPF_SRC(i.opcode) == EBPF_X;
    struct vframe *f = top(c);
    struct vreg *dst = &f->r[i.dst];
    struct vreg imm = { .type = VT_SCALAR, .v = scal_const((uint64_t)(int64_t)i.imm) };
    if (x && op != EBPF_END && read_reg(c, pc, i.src))
        return -1;
    const struct vreg *src = x && op != EBPF_END ? &f->r[i.src] : &imm;
    if (op == EBPF_MOV) {
        if (vreg_is_ptr(src)) {
            if (!is64 || i.off)
                return ebpf_vreject(c->res, pc, "%s of pointer r%u leaks its address",
                                    i.off ? "sign-extending move" : "32-bit move", i.src);
            *dst = *src;
            return 0;
        }
        if (x && is64 && !i.off && src->type == VT_SCALAR && !src->id)
            f->r[i.src].id = ++c->next_id; /* dst and src now hold the same value */
        struct vreg r = { .type = VT_SCALAR, .id = (is64 && !i.off) ? src->id : 0 };
        r.v = scal_alu(op, is64, i.off, i.imm, scal_const(0), src->v);
        *dst = r;
        return 0;
    }
    if (read_reg(c, pc, i.dst))
        return -1;
    if (vreg_is_ptr(dst) || (op != EBPF_NEG && op != EBPF_END && vreg_is_ptr(src))) {
        if (op == EBPF_NEG || op == EBPF_END)
            return ebpf_vreject(c->res, pc, "pointer arithmetic with %s on r%u is prohibited",
                                alu_names[op >> 4], i.dst);
        return ptr_alu(c, pc, i, dst, src);
    }
    struct scal r = scal_alu(op, is64, i.off, i.imm, dst->v, src->v);
    if (op == EBPF_END)
        r = scal_alu(op, is64, (int16_t)EBPF_SRC(i.opcode), i.imm, dst->v, dst->v);
    *dst = (struct vreg){ .type = VT_SCALAR, .v = r };
    return 0;
}

/* After narrowing register `r` (a scalar with id), every copy of it learns the same. */
static void propagate(struct vstate *s, const struct vreg *r)
{
    if (!r->id || r->type != VT_SCALAR)
        return;
    for (uint32_t k = 0; k < s->nframes; k++) {
        struct vframe *f = &s->f[k];
        for (unsigned j = 0; j < EBPF_NREGS; j++)
            if (f->r[j].type == VT_SCALAR && f->r[j].id == r->id)
                f->r[j].v = r->v;
        for (unsigned j = 0; j < STACK_SLOTS; j++)
            if (f->sk[j * 8] == SB_SPILL && f->spill[j].type == VT_SCALAR && f->spill[j].id == r->id)
                f->spill[j].v = r->v;
    }
    if (r->id == VID_LEN && r->v.umin > s->input_min)
        s->input_min = r->v.umin > EBPF_VERIFIER_MAX_INPUT ? EBPF_VERIFIER_MAX_INPUT
                                                           : (uint32_t)r->v.umin;
}

/* Resolves a null check: every copy of the lookup result becomes a map value or the scalar 0. */
static void mark_null(struct vstate *s, uint32_t id, bool is_null)
{
    for (uint32_t k = 0; k < s->nframes; k++) {
        struct vframe *f = &s->f[k];
        for (unsigned j = 0; j < EBPF_NREGS + STACK_SLOTS; j++) {
            struct vreg *r = j < EBPF_NREGS ? &f->r[j] : &f->spill[j - EBPF_NREGS];
            if (j >= EBPF_NREGS && f->sk[(j - EBPF_NREGS) * 8] != SB_SPILL)
                continue;
            if (r->type != VT_MAP_OR_NULL || r->id != id)
                continue;
            if (is_null)
                *r = (struct vreg){ .type = VT_SCALAR, .v = scal_const(0) };
            else
                r->type = VT_MAP_VALUE, r->id = 0;
        }
    }
}

static int do_branch(struct vctx *c, uint32_t pc, struct ebpf_insn i, uint32_t *next)
{
    uint8_t op = EBPF_OP(i.opcode);
    bool is64 = EBPF_CLASS(i.opcode) == EBPF_JMP, x = EBPF_SRC(i.opcode) == EBPF_X;
    uint32_t target = pc + 1 + (uint32_t)(int32_t)i.off;
    if (read_reg(c, pc, i.dst) || (x && read_reg(c, pc, i.src)))
        return -1;
    struct vframe *f = top(c);
    struct vreg imm = { .type = VT_SCALAR, .v = scal_const((uint64_t)(int64_t)i.imm) };
    struct vreg *a = &f->r[i.dst], *b = x ? &f->r[i.src] : &imm;
    if (vreg_is_ptr(a) || vreg_is_ptr(b)) {
        struct vreg *p = vreg_is_ptr(a) ? a : b, *o = vreg_is_ptr(a) ? b : a;
        if (!vreg_is_ptr(o)) {
            bool zero = scal_is_const(&o->v) && o->v.t.value == 0;
            if (!zero || !is64 || (op != EBPF_JEQ && op != EBPF_JNE))
                return ebpf_vreject(c->res, pc, "comparison of pointer r%u with a scalar leaks its "
                                    "address", p == a ? i.dst : i.src);
            if (p->type != VT_MAP_OR_NULL) { /* valid pointers are never null */
                *next = op == EBPF_JNE ? target : pc + 1;
                return VSTEP_NEXT;
            }
            ebpf_vcopy(&c->tmp, &c->cur);
            uint32_t id = p->id;
            mark_null(&c->tmp, id, op == EBPF_JEQ);   /* the taken side */
            mark_null(&c->cur, id, op != EBPF_JEQ);
            if (ebpf_vpush(c, &c->tmp, target))
                return -1;
            *next = pc + 1;
            return VSTEP_NEXT;
        }
        if (!is64 || a->type != b->type || a->frame != b->frame ||
            (a->type != VT_INPUT && a->type != VT_STACK))
            return ebpf_vreject(c->res, pc, "comparison of pointers r%u and r%u to different "
                                "regions leaks addresses", i.dst, i.src);
        if (op == EBPF_JSET)
            return ebpf_vreject(c->res, pc, "jset on pointers leaks address bits");
        /* Same base: the addresses compare as their offsets do, as signed numbers (stack
         * offsets are negative: r10-8 is below r10). The region is far from any wrap-around
         * and from the sign boundary of the address space, so the signed and unsigned orders
         * of the addresses both equal the signed order of the offsets. */
        static const uint8_t as_signed[16] = {
            [EBPF_JEQ >> 4] = EBPF_JEQ, [EBPF_JNE >> 4] = EBPF_JNE, [EBPF_JGT >> 4] = EBPF_JSGT,
            [EBPF_JGE >> 4] = EBPF_JSGE, [EBPF_JLT >> 4] = EBPF_JSLT, [EBPF_JLE >> 4] = EBPF_JSLE,
            [EBPF_JSGT >> 4] = EBPF_JSGT, [EBPF_JSGE >> 4] = EBPF_JSGE,
            [EBPF_JSLT >> 4] = EBPF_JSLT, [EBPF_JSLE >> 4] = EBPF_JSLE,
        };
        op = as_signed[op >> 4];
    }
    int taken = scal_branch_taken(op, is64, &a->v, &b->v);
    if (taken >= 0) {
        *next = taken ? target : pc + 1;
        return VSTEP_NEXT;
    }
    /* Both sides possible: the taken side goes to tmp (explored later), the other stays. */
    ebpf_vcopy(&c->tmp, &c->cur);
    struct vframe *tf = &c->tmp.f[c->tmp.nframes - 1];
    struct vreg *ta = &tf->r[i.dst], tbi = imm, *tb = x ? &tf->r[i.src] : &tbi;
    scal_refine(op, is64, true, &ta->v, &tb->v);
    scal_refine(op, is64, false, &a->v, &b->v);
    bool t_ok = !scal_empty(&ta->v) && !scal_empty(&tb->v);
    bool f_ok = !scal_empty(&a->v) && !scal_empty(&b->v);
    if (t_ok) {
        propagate(&c->tmp, ta);
        if (x)
            propagate(&c->tmp, tb);
    }
    if (f_ok) {
        propagate(&c->cur, a);
        if (x)
            propagate(&c->cur, b);
    }
    if (t_ok && f_ok) {
        if (ebpf_vpush(c, &c->tmp, target))
            return -1;
        *next = pc + 1;
    } else if (t_ok) {
        ebpf_vcopy(&c->cur, &c->tmp);
        *next = target;
    } else if (f_ok) {
        *next = pc + 1;
    } else {
        return VSTEP_END; /* no concrete value reaches here */
    }
    return VSTEP_NEXT;
}

static const uint32_t size_bytes[4] = { 4, 2, 1, 8 };

static int do_lddw(struct vctx *c, uint32_t pc, struct ebpf_insn i)
{
    struct vreg *d = &top(c)->r[i.dst];
    const struct ebpf_insn *hi = &c->p[pc + 1];
    switch (i.src) {
    case EBPF_PSEUDO_IMM64:
        *d = (struct vreg){ .type = VT_SCALAR, .v = scal_const(ebpf_lddw_imm(&c->p[pc], hi)) };
        return 0;
    case EBPF_PSEUDO_MAP_FD:
    case EBPF_PSEUDO_MAP_IDX:
        *d = (struct vreg){ .type = VT_MAP_PTR, .map = (uint16_t)i.imm, .v = scal_const(0) };
        return 0;
    default: {
        uint32_t vs = c->cfg->maps[i.imm].value_size;
        if (c->cfg->maps[i.imm].type != EBPF_MAP_ARRAY)
            return ebpf_vreject(c->res, pc, "lddw of a map value address needs an array map "
                                "(map %d is not one)", i.imm);
        if ((uint32_t)hi->imm >= vs)
            return ebpf_vreject(c->res, pc, "lddw map value offset %u is outside value_size %u",
                                (uint32_t)hi->imm, vs);
        *d = (struct vreg){ .type = VT_MAP_VALUE, .map = (uint16_t)i.imm,
                            .v = scal_const((uint32_t)hi->imm) };
        return 0;
    }
    }
}

static int do_atomic(struct vctx *c, uint32_t pc, struct ebpf_insn i)
{
    struct vframe *f = top(c);
    uint32_t size = size_bytes[EBPF_SIZE(i.opcode) >> 3];
    if (read_reg(c, pc, i.dst) || read_reg(c, pc, i.src))
        return -1;
    if (vreg_is_ptr(&f->r[i.src]))
        return ebpf_vreject(c->res, pc, "atomic operation with pointer r%u leaks its address", i.src);
    if (i.imm == EBPF_ATOMIC_CMPXCHG) {
        if (read_reg(c, pc, 0))
            return -1;
        if (vreg_is_ptr(&f->r[0]))
            return ebpf_vreject(c->res, pc, "cmpxchg with pointer r0 leaks its address");
    }
    if (vmem_atomic(c, pc, &f->r[i.dst], i.off, size))
        return -1;
    struct vreg fetched = { .type = VT_SCALAR, .v = scal_unknown_width(size) };
    if (i.imm == EBPF_ATOMIC_CMPXCHG)
        f->r[0] = fetched;
    else if (i.imm & EBPF_FETCH)
        f->r[i.src] = fetched;
    return 0;
}

int ebpf_vstep(struct vctx *c, uint32_t *pcp)
{
    uint32_t pc = *pcp;
    struct ebpf_insn i = c->p[pc];
    struct vframe *f = top(c);
    uint32_t size = size_bytes[EBPF_SIZE(i.opcode) >> 3];
    switch (EBPF_CLASS(i.opcode)) {
    case EBPF_ALU:
    case EBPF_ALU64:
        if (do_alu(c, pc, i))
            return VSTEP_ERR;
        *pcp = pc + 1;
        return VSTEP_NEXT;
    case EBPF_LD:
        if (do_lddw(c, pc, i))
            return VSTEP_ERR;
        *pcp = pc + 2;
        return VSTEP_NEXT;
    case EBPF_LDX: {
        struct vreg out;
        if (read_reg(c, pc, i.src) ||
            vmem_load(c, pc, &f->r[i.src], i.off, size, EBPF_MODE(i.opcode) == EBPF_MEMSX, &out))
            return VSTEP_ERR;
        f->r[i.dst] = out;
        *pcp = pc + 1;
        return VSTEP_NEXT;
    }
    case EBPF_ST:
    case EBPF_STX: {
        if (EBPF_MODE(i.opcode) == EBPF_ATOMIC) {
            if (do_atomic(c, pc, i))
                return VSTEP_ERR;
            *pcp = pc + 1;
            return VSTEP_NEXT;
        }
        struct vreg imm = { .type = VT_SCALAR, .v = scal_const((uint64_t)(int64_t)i.imm) };
        bool x = EBPF_CLASS(i.opcode) == EBPF_STX;
        if (read_reg(c, pc, i.dst) || (x && read_reg(c, pc, i.src)))
            return VSTEP_ERR;
        struct vreg val = x ? f->r[i.src] : imm;
        if (val.type == VT_SCALAR && size < 8) { /* only the low bytes are stored */
            struct scal t = val.v;
            val.v = scal_alu(EBPF_AND, true, 0, 0, t, scal_const((1ull << (size * 8)) - 1));
            val.id = 0;
        }
        if (vmem_store(c, pc, &f->r[i.dst], i.off, size, &val))
            return VSTEP_ERR;
        *pcp = pc + 1;
        return VSTEP_NEXT;
    }
    default: /* JMP, JMP32 */
        break;
    }
    uint8_t op = EBPF_OP(i.opcode);
    if (op == EBPF_JA) {
        *pcp = pc + 1 + (uint32_t)(EBPF_CLASS(i.opcode) == EBPF_JMP ? i.off : i.imm);
        return VSTEP_NEXT;
    }
    if (op == EBPF_EXIT)
        return vexit(c, pc, pcp);
    if (op == EBPF_CALL) {
        if (i.src == EBPF_CALL_LOCAL)
            return vcall_local(c, pc, pcp) ? VSTEP_ERR : VSTEP_NEXT;
        if (vcall_helper(c, pc, i.imm))
            return VSTEP_ERR;
        *pcp = pc + 1;
        return VSTEP_NEXT;
    }
    return do_branch(c, pc, i, pcp);
}
