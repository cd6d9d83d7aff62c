/* verifier_scalar.c - intervals and tnums for the verifier (see verifier_scalar.h).
 *
 * Soundness rule for every function here: for all concrete values in the inputs' sets, the
 * concrete result (scal_alu_concrete / scal_cmp_concrete, which follow RFC 9669) lies in the
 * output set. Whenever an exact bound would need care with wrap-around, the code gives up and
 * returns "unknown" for that view instead: imprecise is fine, unsound is not. */
#include "lib/ebpf/verifier_scalar.h"

#include "lib/ebpf/insn.h"

#define U32MAX 0xffffffffull

/* --- tnums --- */
static struct tnum tn_const(uint64_t v) { return (struct tnum){ v, 0 }; }
static struct tnum tn_unknown(void) { return (struct tnum){ 0, ~0ull }; }

static struct tnum tn_range(uint64_t lo, uint64_t hi)
{
    uint64_t chi = lo ^ hi;
    if (!chi)
        return tn_const(lo);
    int bits = 64 - __builtin_clzll(chi);
    if (bits > 63)
        return tn_unknown();
    uint64_t delta = (1ull << bits) - 1;
    return (struct tnum){ lo & ~delta, delta };
}

static struct tnum tn_add(struct tnum a, struct tnum b)
{
    uint64_t sm = a.mask + b.mask, sv = a.value + b.value, sigma = sm + sv;
    uint64_t mu = (sigma ^ sv) | a.mask | b.mask;
    return (struct tnum){ sv & ~mu, mu };
}

static struct tnum tn_sub(struct tnum a, struct tnum b)
{
    uint64_t dv = a.value - b.value, alpha = dv + a.mask, beta = dv - b.mask;
    uint64_t mu = (alpha ^ beta) | a.mask | b.mask;
    return (struct tnum){ dv & ~mu, mu };
}

static struct tnum tn_and(struct tnum a, struct tnum b)
{
    uint64_t alpha = a.value | a.mask, beta = b.value | b.mask, v = a.value & b.value;
    return (struct tnum){ v, alpha & beta & ~v };
}

static struct tnum tn_or(struct tnum a, struct tnum b)
{
    uint64_t v = a.value | b.value, mu = a.mask | b.mask;
    return (struct tnum){ v, mu & ~v };
}

static struct tnum tn_xor(struct tnum a, struct tnum b)
{
    uint64_t v = a.value ^ b.value, mu = a.mask | b.mask;
    return (struct tnum){ v & ~mu, mu };
}

static struct tnum tn_cast(struct tnum a, unsigned bytes)
{
    uint64_t m = bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
    return (struct tnum){ a.value & m, a.mask & m };
}

/* --- scalar basics --- */
struct scal scal_const(uint64_t v)
{
    return (struct scal){ (int64_t)v, (int64_t)v, v, v, tn_const(v) };
}

struct scal scal_unknown(void)
{
    return (struct scal){ INT64_MIN, INT64_MAX, 0, ~0ull, tn_unknown() };
}

struct scal scal_unknown_width(unsigned bytes)
{
    if (bytes >= 8)
        return scal_unknown();
    uint64_t m = (1ull << (bytes * 8)) - 1;
    return (struct scal){ 0, (int64_t)m, 0, m, { 0, m } };
}

struct scal scal_unknown_sext(unsigned bytes)
{
    if (bytes >= 8)
        return scal_unknown();
    int64_t half = (int64_t)1 << (bytes * 8 - 1);
    struct scal s = scal_unknown();
    s.smin = -half, s.smax = half - 1;
    scal_sync(&s);
    return s;
}

bool scal_is_const(const struct scal *s) { return s->t.mask == 0; }

bool scal_empty(const struct scal *s)
{
    return s->smin > s->smax || s->umin > s->umax || (s->t.value & s->t.mask);
}

static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

static void mark_empty(struct scal *s)
{
    s->umin = 1, s->umax = 0;
}

/* Tightens each view from the others (the deductions are the classical ones for this domain). */
void scal_sync(struct scal *s)
{
    for (int round = 0; round < 2; round++) {
        if (scal_empty(s))
            return;
        s->umin = umax64(s->umin, s->t.value);
        s->umax = umin64(s->umax, s->t.value | s->t.mask);
        s->smin = smax64(s->smin, (int64_t)(s->t.value | (s->t.mask & (1ull << 63))));
        s->smax = smin64(s->smax, (int64_t)(s->t.value | (s->t.mask & ~(1ull << 63))));
        if ((int64_t)s->umin <= (int64_t)s->umax) { /* unsigned range does not cross 2^63 */
            s->smin = smax64(s->smin, (int64_t)s->umin);
            s->smax = smin64(s->smax, (int64_t)s->umax);
        }
        if ((uint64_t)s->smin <= (uint64_t)s->smax) { /* signed range does not cross 0 */
            s->umin = umax64(s->umin, (uint64_t)s->smin);
            s->umax = umin64(s->umax, (uint64_t)s->smax);
        }
        if (scal_empty(s))
            return;
        struct tnum r = tn_range(s->umin, s->umax);
        if ((r.value ^ s->t.value) & ~r.mask & ~s->t.mask) {
            mark_empty(s);
            return;
        }
        uint64_t mu = r.mask & s->t.mask;
        s->t = (struct tnum){ (r.value | s->t.value) & ~mu, mu };
    }
}

bool scal_subset(const struct scal *a, const struct scal *b)
{
    if (a->smin < b->smin || a->smax > b->smax || a->umin < b->umin || a->umax > b->umax)
        return false;
    if (a->t.mask & ~b->t.mask)
        return false;
    return (a->t.value & ~b->t.mask) == b->t.value;
}

bool scal_equal(const struct scal *a, const struct scal *b)
{
    return a->smin == b->smin && a->smax == b->smax && a->umin == b->umin && a->umax == b->umax &&
           a->t.value == b->t.value && a->t.mask == b->t.mask;
}

/* --- concrete semantics (RFC 9669 section 4) --- */
static uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = 1ull << (bits - 1);
    v &= bits == 64 ? ~0ull : (1ull << bits) - 1;
    return (v ^ m) - m;
}

static uint64_t bswap(uint64_t v, int width)
{
    if (width == 16)
        return (uint64_t)__builtin_bswap16((uint16_t)v);
    if (width == 32)
        return (uint64_t)__builtin_bswap32((uint32_t)v);
    return __builtin_bswap64(v);
}

uint64_t scal_alu_concrete(uint8_t op, bool is64, int16_t off, int32_t imm, uint64_t a, uint64_t b)
{
    unsigned bits = is64 ? 64 : 32;
    uint64_t m = is64 ? ~0ull : U32MAX, r;
    if (!is64)
        a &= m, b &= m;
    switch (op) {
    case EBPF_ADD: r = a + b; break;
    case EBPF_SUB: r = a - b; break;
    case EBPF_MUL: r = a * b; break;
    case EBPF_DIV:
        if (b == 0)
            r = 0;
        else if (off == 1) {
            int64_t sa = (int64_t)sext(a, bits), sb = (int64_t)sext(b, bits);
            r = (sb == -1) ? (uint64_t)0 - (uint64_t)sa : (uint64_t)(sa / sb);
        } else
            r = a / b;
        break;
    case EBPF_MOD:
        if (b == 0)
            r = a;
        else if (off == 1) {
            int64_t sa = (int64_t)sext(a, bits), sb = (int64_t)sext(b, bits);
            r = (sb == -1) ? 0 : (uint64_t)(sa % sb);
        } else
            r = a % b;
        break;
    case EBPF_OR: r = a | b; break;
    case EBPF_AND: r = a & b; break;
    case EBPF_XOR: r = a ^ b; break;
    case EBPF_LSH: r = a << (b & (bits - 1)); break;
    case EBPF_RSH: r = a >> (b & (bits - 1)); break;
    case EBPF_ARSH: r = (uint64_t)((int64_t)sext(a, bits) >> (b & (bits - 1))); break;
    case EBPF_NEG: r = (uint64_t)0 - a; break;
    case EBPF_MOV: r = off ? sext(b, (unsigned)off) : b; break;
    case EBPF_END: r = a; break; /* byte swaps are folded in alu_end() */
    default: r = 0; break;
    }
    return r & m;
}

bool scal_cmp_concrete(uint8_t op, bool is64, uint64_t a, uint64_t b)
{
    if (!is64) {
        a = (uint32_t)a, b = (uint32_t)b;
        a = op >= EBPF_JSGT && (op <= EBPF_JSGE || op >= EBPF_JSLT) ? sext(a, 32) : a;
        b = op >= EBPF_JSGT && (op <= EBPF_JSGE || op >= EBPF_JSLT) ? sext(b, 32) : b;
    }
    switch (op) {
    case EBPF_JEQ: return a == b;
    case EBPF_JNE: return a != b;
    case EBPF_JGT: return a > b;
    case EBPF_JGE: return a >= b;
    case EBPF_JLT: return a < b;
    case EBPF_JLE: return a <= b;
    case EBPF_JSET: return (a & b) != 0;
    case EBPF_JSGT: return (int64_t)a > (int64_t)b;
    case EBPF_JSGE: return (int64_t)a >= (int64_t)b;
    case EBPF_JSLT: return (int64_t)a < (int64_t)b;
    case EBPF_JSLE: return (int64_t)a <= (int64_t)b;
    default: return false;
    }
}

/* --- abstract ALU --- */

/* The low 32 bits of s, zero-extended. */
static struct scal trunc32(struct scal s)
{
    if (s.umax <= U32MAX)
        return s;
    struct scal r = scal_unknown_width(4);
    if (s.smin >= -(int64_t)0x80000000 && s.smax < 0) {
        r.umin = (uint32_t)s.smin, r.umax = (uint32_t)s.smax;
    }
    r.t = tn_cast(s.t, 4);
    scal_sync(&r);
    return r;
}

static struct scal alu64(uint8_t op, int16_t off, struct scal a, struct scal b)
{
    struct scal r = scal_unknown();
    int64_t x, y;
    bool bc = scal_is_const(&b);
    uint64_t k = b.t.value & 63;
    switch (op) {
    case EBPF_ADD:
        r.t = tn_add(a.t, b.t);
        if (!__builtin_add_overflow(a.smin, b.smin, &x) && !__builtin_add_overflow(a.smax, b.smax, &y))
            r.smin = x, r.smax = y;
        if (a.umax + b.umax >= a.umax) /* no unsigned wrap anywhere in the range */
            r.umin = a.umin + b.umin, r.umax = a.umax + b.umax;
        break;
    case EBPF_SUB:
        r.t = tn_sub(a.t, b.t);
        if (!__builtin_sub_overflow(a.smin, b.smax, &x) && !__builtin_sub_overflow(a.smax, b.smin, &y))
            r.smin = x, r.smax = y;
        if (a.umin >= b.umax)
            r.umin = a.umin - b.umax, r.umax = a.umax - b.umin;
        break;
    case EBPF_MUL:
        if (a.umax <= U32MAX && b.umax <= U32MAX)
            r.umin = a.umin * b.umin, r.umax = a.umax * b.umax;
        break;
    case EBPF_DIV:
        if (off == 1)
            break;
        if (b.umin > 0)
            r.umin = a.umin / b.umax, r.umax = a.umax / b.umin;
        else
            r.umin = 0, r.umax = a.umax;
        break;
    case EBPF_MOD:
        if (off == 1)
            break;
        r.umin = 0;
        r.umax = b.umin > 0 ? umin64(a.umax, b.umax - 1) : a.umax;
        break;
    case EBPF_OR:
        r.t = tn_or(a.t, b.t);
        r.umin = umax64(a.umin, b.umin);
        break;
    case EBPF_AND:
        r.t = tn_and(a.t, b.t);
        r.umax = umin64(a.umax, b.umax);
        break;
    case EBPF_XOR: r.t = tn_xor(a.t, b.t); break;
    case EBPF_LSH:
        if (!bc)
            break;
        r.t = (struct tnum){ a.t.value << k, a.t.mask << k };
        if (k == 0 || a.umax <= (~0ull >> k))
            r.umin = a.umin << k, r.umax = a.umax << k;
        break;
    case EBPF_RSH:
        if (!bc) {
            r.umin = 0, r.umax = a.umax;
            break;
        }
        r.t = (struct tnum){ a.t.value >> k, a.t.mask >> k };
        r.umin = a.umin >> k, r.umax = a.umax >> k;
        break;
    case EBPF_ARSH:
        if (!bc)
            break;
        r.t = (struct tnum){ (uint64_t)((int64_t)a.t.value >> k), (uint64_t)((int64_t)a.t.mask >> k) };
        r.smin = a.smin >> k, r.smax = a.smax >> k;
        break;
    case EBPF_NEG:
        r.t = tn_sub(tn_const(0), a.t);
        if (a.smin != INT64_MIN)
            r.smin = -a.smax, r.smax = -a.smin;
        break;
    default: break;
    }
    scal_sync(&r);
    return r;
}

/* Byte-order operations: the ALU class picks to-LE (a zero-extending truncation on this
 * little-endian ISA) or to-BE; ALU64 is an unconditional swap. */
static struct scal alu_end(bool is64, uint8_t src_bit, int32_t imm, struct scal a)
{
    unsigned bytes = imm == 16 ? 2 : imm == 32 ? 4 : 8;
    if (scal_is_const(&a)) {
        uint64_t v = a.t.value;
        if (!is64 && src_bit == EBPF_TO_LE)
            return scal_const(bytes == 8 ? v : v & ((1ull << (bytes * 8)) - 1));
        return scal_const(bswap(v, imm));
    }
    if (!is64 && src_bit == EBPF_TO_LE) {
        struct scal r = a;
        if (bytes < 8 && a.umax >= (1ull << (bytes * 8))) {
            r = scal_unknown_width(bytes);
            r.t = tn_cast(a.t, bytes);
            scal_sync(&r);
        }
        return r;
    }
    return scal_unknown_width(bytes);
}

struct scal scal_alu(uint8_t op, bool is64, int16_t off, int32_t imm, struct scal a, struct scal b)
{
    if (op == EBPF_END)
        return alu_end(is64, (uint8_t)(off & EBPF_TO_BE), imm, a);
    if (op == EBPF_MOV) {
        if (off == 0)
            return is64 ? b : trunc32(b);
        if (scal_is_const(&b))
            return scal_const(scal_alu_concrete(op, is64, off, imm, 0, b.t.value));
        struct scal r = b.umax < (1ull << (off - 1)) ? b : scal_unknown_sext((unsigned)off / 8);
        return is64 ? r : trunc32(r);
    }
    bool unary = op == EBPF_NEG;
    if (scal_is_const(&a) && (unary || scal_is_const(&b)))
        return scal_const(scal_alu_concrete(op, is64, off, imm, a.t.value, b.t.value));
    if (is64)
        return alu64(op, off, a, b);
    a = trunc32(a), b = trunc32(b);
    switch (op) {
    case EBPF_ARSH: /* the 32-bit sign bit matters: exact only when it is known clear */
        if (a.umax > 0x7fffffff)
            return scal_unknown_width(4);
        op = EBPF_RSH;
        if (scal_is_const(&b))
            b = scal_const(b.t.value & 31);
        break;
    case EBPF_NEG: return scal_unknown_width(4);
    case EBPF_DIV:
    case EBPF_MOD:
        if (off == 1)
            return scal_unknown_width(4);
        break;
    case EBPF_LSH:
    case EBPF_RSH:
        if (scal_is_const(&b))
            b = scal_const(b.t.value & 31);
        break;
    default: break;
    }
    return trunc32(alu64(op, off, a, b));
}

/* --- branches --- */

/* A 32-bit comparison can be reasoned about with the 64-bit rules when both values fit in 32
 * bits (unsigned ops) or in 31 bits (signed ops: the sign bit is then clear both ways). */
static bool jmp32_exact(uint8_t op, const struct scal *a, const struct scal *b)
{
    bool sign = op == EBPF_JSGT || op == EBPF_JSGE || op == EBPF_JSLT || op == EBPF_JSLE;
    uint64_t lim = sign ? 0x7fffffff : U32MAX;
    return a->umax <= lim && b->umax <= lim;
}

int scal_branch_taken(uint8_t op, bool is64, const struct scal *a, const struct scal *b)
{
    if (scal_is_const(a) && scal_is_const(b))
        return scal_cmp_concrete(op, is64, a->t.value, b->t.value);
    if (!is64) {
        if (!jmp32_exact(op, a, b))
            return -1;
    }
    switch (op) {
    case EBPF_JEQ:
    case EBPF_JNE: {
        bool disjoint = a->umax < b->umin || a->umin > b->umax || a->smax < b->smin ||
                        a->smin > b->smax ||
                        ((a->t.value ^ b->t.value) & ~a->t.mask & ~b->t.mask);
        if (disjoint)
            return op == EBPF_JNE;
        return -1;
    }
    case EBPF_JGT: return a->umin > b->umax ? 1 : a->umax <= b->umin ? 0 : -1;
    case EBPF_JGE: return a->umin >= b->umax ? 1 : a->umax < b->umin ? 0 : -1;
    case EBPF_JLT: return a->umax < b->umin ? 1 : a->umin >= b->umax ? 0 : -1;
    case EBPF_JLE: return a->umax <= b->umin ? 1 : a->umin > b->umax ? 0 : -1;
    case EBPF_JSGT: return a->smin > b->smax ? 1 : a->smax <= b->smin ? 0 : -1;
    case EBPF_JSGE: return a->smin >= b->smax ? 1 : a->smax < b->smin ? 0 : -1;
    case EBPF_JSLT: return a->smax < b->smin ? 1 : a->smin >= b->smax ? 0 : -1;
    case EBPF_JSLE: return a->smax <= b->smin ? 1 : a->smin > b->smax ? 0 : -1;
    case EBPF_JSET:
        if (scal_is_const(b)) {
            if (a->t.value & b->t.value)
                return 1;
            if (!((a->t.value | a->t.mask) & b->t.value))
                return 0;
        }
        return -1;
    default: return -1;
    }
}

static uint8_t negate(uint8_t op)
{
    switch (op) {
    case EBPF_JEQ: return EBPF_JNE;
    case EBPF_JNE: return EBPF_JEQ;
    case EBPF_JGT: return EBPF_JLE;
    case EBPF_JLE: return EBPF_JGT;
    case EBPF_JGE: return EBPF_JLT;
    case EBPF_JLT: return EBPF_JGE;
    case EBPF_JSGT: return EBPF_JSLE;
    case EBPF_JSLE: return EBPF_JSGT;
    case EBPF_JSGE: return EBPF_JSLT;
    case EBPF_JSLT: return EBPF_JSGE;
    default: return 0xff;
    }
}

static void intersect(struct scal *a, const struct scal *b)
{
    a->smin = smax64(a->smin, b->smin), a->smax = smin64(a->smax, b->smax);
    a->umin = umax64(a->umin, b->umin), a->umax = umin64(a->umax, b->umax);
    if ((a->t.value ^ b->t.value) & ~a->t.mask & ~b->t.mask) {
        mark_empty(a);
        return;
    }
    uint64_t mu = a->t.mask & b->t.mask;
    a->t = (struct tnum){ (a->t.value | b->t.value) & ~mu, mu };
}

/* Excludes the single value c from the ends of s's ranges. */
static void exclude(struct scal *s, uint64_t c)
{
    if (s->umin == c && s->umin != ~0ull)
        s->umin++;
    else if (s->umin == c)
        mark_empty(s);
    if (s->umax == c && s->umax != 0)
        s->umax--;
    else if (s->umax == c)
        mark_empty(s);
    if (s->smin == (int64_t)c && s->smin != INT64_MAX)
        s->smin++;
    if (s->smax == (int64_t)c && s->smax != INT64_MIN)
        s->smax--;
}

void scal_refine(uint8_t op, bool is64, bool taken, struct scal *a, struct scal *b)
{
    if (!is64 && !jmp32_exact(op, a, b))
        return;
    if (op == EBPF_JSET) {
        uint64_t bit = b->t.value;
        if (!taken && scal_is_const(b)) {        /* a & c == 0: c's bits are clear in a */
            if (a->t.value & bit)
                mark_empty(a);
            a->t.value &= ~bit, a->t.mask &= ~bit;
            scal_sync(a);
        } else if (taken && scal_is_const(b) && bit && !(bit & (bit - 1))) { /* one bit: set */
            if (!(a->t.mask & bit) && !(a->t.value & bit))
                mark_empty(a);
            a->t.value |= bit, a->t.mask &= ~bit;
            scal_sync(a);
        }
        return;
    }
    if (!taken)
        op = negate(op);
    struct scal oa = *a, ob = *b;
    switch (op) {
    case EBPF_JEQ:
        intersect(a, &ob);
        *b = *a;
        break;
    case EBPF_JNE:
        if (scal_is_const(&ob))
            exclude(a, ob.t.value);
        if (scal_is_const(&oa))
            exclude(b, oa.t.value);
        break;
    case EBPF_JGT: /* a > b */
        if (ob.umin == ~0ull || oa.umax == 0) {
            mark_empty(a);
            break;
        }
        a->umin = umax64(a->umin, ob.umin + 1), b->umax = umin64(b->umax, oa.umax - 1);
        break;
    case EBPF_JGE:
        a->umin = umax64(a->umin, ob.umin), b->umax = umin64(b->umax, oa.umax);
        break;
    case EBPF_JLT: /* a < b */
        if (oa.umin == ~0ull || ob.umax == 0) {
            mark_empty(a);
            break;
        }
        b->umin = umax64(b->umin, oa.umin + 1), a->umax = umin64(a->umax, ob.umax - 1);
        break;
    case EBPF_JLE:
        b->umin = umax64(b->umin, oa.umin), a->umax = umin64(a->umax, ob.umax);
        break;
    case EBPF_JSGT:
        if (ob.smin == INT64_MAX || oa.smax == INT64_MIN) {
            mark_empty(a);
            break;
        }
        a->smin = smax64(a->smin, ob.smin + 1), b->smax = smin64(b->smax, oa.smax - 1);
        break;
    case EBPF_JSGE:
        a->smin = smax64(a->smin, ob.smin), b->smax = smin64(b->smax, oa.smax);
        break;
    case EBPF_JSLT:
        if (oa.smin == INT64_MAX || ob.smax == INT64_MIN) {
            mark_empty(a);
            break;
        }
        b->smin = smax64(b->smin, oa.smin + 1), a->smax = smin64(a->smax, ob.smax - 1);
        break;
    case EBPF_JSLE:
        b->smin = smax64(b->smin, oa.smin), a->smax = smin64(a->smax, ob.smax);
        break;
    default: break;
    }
    scal_sync(a);
    scal_sync(b);
}
