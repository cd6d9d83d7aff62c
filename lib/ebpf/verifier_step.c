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

/* Room (see struct vreg) of input pointer ptr +/- scalar sc: a constant offset plus a scalar
 * with room, or a pointer with room plus a constant. Anything else: unknown. */
static uint32_t ptr_room(const struct vreg *ptr, const struct vreg *sc, uint8_t op)
{
    if (ptr->type != VT_INPUT)
        return 0;
    int64_t r;
    if (op == EBPF_ADD && scal_is_const(&ptr->v) && sc->room)
        r = (int64_t)sc->room - (int64_t)ptr->v.t.value;     /* (c + s) + (Rs - c) <= len */
    else if (ptr->room && scal_is_const(&sc->v) && sc->v.smin > -(1 << 24) && sc->v.smin < (1 << 24))
        r = (int64_t)ptr->room - (op == EBPF_ADD ? sc->v.smin : -sc->v.smin);
    else
        return 0;
    return r > 0 && r <= UINT32_MAX ? (uint32_t)r : 0;
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
    res.room = ptr_room(ptr, sc, op);
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
        if (x && is64 && !i.off) { /* dst and src now hold the same value: link them */
            if (!src->id)
                f->r[i.src].id = ++c->next_id, f->r[i.src].delta = 0;
            *dst = f->r[i.src];
            return 0;
        }
        struct vreg r = { .type = VT_SCALAR };
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
    struct vreg res = { .type = VT_SCALAR, .v = r };
    /* Adding a constant keeps the link to the group and the room, shifted - when no value in
     * the range wraps around, so that the relation holds as plain integers. */
    if (is64 && (op == EBPF_ADD || op == EBPF_SUB) && scal_is_const(&src->v)) {
        int64_t k = (int64_t)src->v.t.value;
        if (op == EBPF_SUB)
            k = k == INT64_MIN ? (int64_t)1 << 40 : -k;
        /* |k| as unsigned: 0 - (uint64_t)k, since -k overflows for k = INT64_MIN (an ADD of that constant) */
        bool nowrap = k >= 0 ? dst->v.umax + (uint64_t)k >= dst->v.umax : dst->v.umin >= 0 - (uint64_t)k;
        if (nowrap && k > -(1 << 24) && k < (1 << 24)) {
            int64_t d = (int64_t)dst->delta + k, room = (int64_t)dst->room - k;
            if (dst->id && d > INT32_MIN / 2 && d < INT32_MAX / 2)
                res.id = dst->id, res.delta = (int32_t)d;
            res.room = dst->room && room > 0 && room <= UINT32_MAX ? (uint32_t)room : 0;
        }
    }
    *dst = res;
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
            if (f->r[j].type == VT_SCALAR && f->r[j].id == r->id && f->r[j].delta == r->delta)
                f->r[j].v = r->v;
        for (unsigned j = 0; j < STACK_SLOTS; j++)
            if (f->sk[j * 8] == SB_SPILL && f->spill[j].type == VT_SCALAR &&
                f->spill[j].id == r->id && f->spill[j].delta == r->delta)
                f->spill[j].v = r->v;
    }
    if (r->id == VID_LEN && r->delta == 0 && r->v.umin > s->input_min)
        s->input_min = r->v.umin > EBPF_VERIFIER_MAX_INPUT ? EBPF_VERIFIER_MAX_INPUT
                                                           : (uint32_t)r->v.umin;
}

/* Records that scalar x (in state s) satisfies x + R <= len, for x and every value linked to it:
 * a linked value y = x - x.delta + y.delta satisfies y + (R + x.delta - y.delta) <= len. */
static void add_room(struct vstate *s, const struct vreg *x, int64_t R)
{
    for (uint32_t k = 0; k < s->nframes; k++) {
        struct vframe *f = &s->f[k];
        for (unsigned j = 0; j < EBPF_NREGS + STACK_SLOTS; j++) {
            struct vreg *y = j < EBPF_NREGS ? &f->r[j] : &f->spill[j - EBPF_NREGS];
            if (j >= EBPF_NREGS && f->sk[(j - EBPF_NREGS) * 8] != SB_SPILL)
                continue;
            if (y->type != VT_SCALAR || (y != x && (!x->id || y->id != x->id)))
                continue;
            int64_t r = R + (y == x ? 0 : (int64_t)x->delta - y->delta) + 1;
            if (r > (int64_t)y->room && r <= UINT32_MAX)
                y->room = (uint32_t)r;
        }
    }
}

/* After `a OP b` (64-bit, unsigned) is known `taken` or not in state s, where one side is the
 * input length itself: the other side's room. */
static void len_room(struct vstate *s, uint8_t op, bool taken, struct vreg *a, struct vreg *b)
{
    bool a_len = a->type == VT_SCALAR && a->id == VID_LEN && a->delta == 0;
    bool b_len = b->type == VT_SCALAR && b->id == VID_LEN && b->delta == 0;
    if (a_len == b_len)
        return;
    /* R such that x + R <= len holds, or -1: x <= len gives 0, x < len gives 1. */
    int R = -1;
    if (b_len) { /* x OP len */
        if ((op == EBPF_JGT && !taken) || (op == EBPF_JLE && taken)) R = 0;
        if ((op == EBPF_JGE && !taken) || (op == EBPF_JLT && taken)) R = 1;
    } else {     /* len OP x */
        if ((op == EBPF_JGE && taken) || (op == EBPF_JLT && !taken)) R = 0;
        if ((op == EBPF_JGT && taken) || (op == EBPF_JLE && !taken)) R = 1;
    }
    struct vreg *x = b_len ? a : b;
    if (R >= 0 && x->type == VT_SCALAR)
        add_room(s, x, R);
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
        if (x && is64)
            len_room(&c->tmp, op, true, ta, tb);
    }
    if (f_ok) {
        propagate(&c->cur, a);
        if (x)
            propagate(&c->cur, b);
        if (x && is64)
            len_room(&c->cur, op, false, a, b);
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
            val.id = 0, val.delta = 0, val.room = 0;
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
