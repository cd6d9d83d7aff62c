/* verifier_scalar_test.c - soundness tests of the verifier's scalar domain (intervals + tnums).
 *
 * Property: for random small sets of concrete values, build the abstract value of each set,
 * apply an abstract operation, and check that the concrete result of every pair of members lies
 * in the abstract result. The same for branch refinement (every pair for which the comparison
 * holds stays inside the refined "taken" values, every pair for which it fails inside the "not
 * taken" ones) and for scal_branch_taken's verdicts. A single unsound case would let the verifier
 * accept an out-of-bounds access, so every operation and variant is covered, 64- and 32-bit.
 * Also a few exact examples (constant folding, RFC 9669 division-by-zero results). */
#include <stdio.h>
#include <string.h>

#include "lib/ebpf/insn.h"
#include "lib/ebpf/verifier_scalar.h"
#include "tests/lib/tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* Values that exercise the edges: small, near 2^31/2^32/2^63, all-ones, random. */
static uint64_t sample(void)
{
    uint64_t bases[] = { 0, 1, 7, 0x7f, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 1ull << 32,
                         0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull };
    switch (rnd() % 5) {
    case 0: return rnd() % 64;
    case 1: return bases[rnd() % 12] + (rnd() % 5) - 2;
    case 2: return (uint64_t)-(int64_t)(rnd() % 300);
    case 3: return rnd() & 0xffffffff;
    default: return rnd();
    }
}

#define NS 4
struct set {
    uint64_t v[NS];
    int n;
};

static struct set rand_set(void)
{
    struct set s;
    s.n = 1 + (int)(rnd() % NS);
    uint64_t base = sample();
    for (int i = 0; i < s.n; i++)
        s.v[i] = (rnd() & 1) ? base + rnd() % 16 : sample();
    return s;
}

static struct scal abstract(const struct set *s)
{
    struct scal a = { INT64_MAX, INT64_MIN, ~0ull, 0, { ~0ull, 0 } };
    uint64_t and_ = ~0ull, or_ = 0;
    for (int i = 0; i < s->n; i++) {
        uint64_t v = s->v[i];
        if ((int64_t)v < a.smin) a.smin = (int64_t)v;
        if ((int64_t)v > a.smax) a.smax = (int64_t)v;
        if (v < a.umin) a.umin = v;
        if (v > a.umax) a.umax = v;
        and_ &= v, or_ |= v;
    }
    a.t.value = and_, a.t.mask = or_ & ~and_;
    scal_sync(&a);
    return a;
}

static bool contains(const struct scal *s, uint64_t v)
{
    return (int64_t)v >= s->smin && (int64_t)v <= s->smax && v >= s->umin && v <= s->umax &&
           (v & ~s->t.mask) == s->t.value;
}

static uint64_t end_concrete(bool is64, int src_bit, int32_t imm, uint64_t a)
{
    if (!is64 && src_bit == EBPF_TO_LE)
        return imm == 64 ? a : a & ((1ull << imm) - 1);
    if (imm == 16) return __builtin_bswap16((uint16_t)a);
    if (imm == 32) return __builtin_bswap32((uint32_t)a);
    return __builtin_bswap64(a);
}

struct opv {
    uint8_t op;
    int16_t off;
    int32_t imm;
    const char *name;
};

static const struct opv ops[] = {
    { EBPF_ADD, 0, 0, "add" }, { EBPF_SUB, 0, 0, "sub" }, { EBPF_MUL, 0, 0, "mul" },
    { EBPF_DIV, 0, 0, "div" }, { EBPF_DIV, 1, 0, "sdiv" }, { EBPF_MOD, 0, 0, "mod" },
    { EBPF_MOD, 1, 0, "smod" }, { EBPF_OR, 0, 0, "or" }, { EBPF_AND, 0, 0, "and" },
    { EBPF_LSH, 0, 0, "lsh" }, { EBPF_RSH, 0, 0, "rsh" }, { EBPF_NEG, 0, 0, "neg" },
    { EBPF_XOR, 0, 0, "xor" }, { EBPF_MOV, 0, 0, "mov" }, { EBPF_MOV, 8, 0, "movsx8" },
    { EBPF_MOV, 16, 0, "movsx16" }, { EBPF_MOV, 32, 0, "movsx32" }, { EBPF_ARSH, 0, 0, "arsh" },
    { EBPF_END, 0, 16, "le16" }, { EBPF_END, 0, 32, "le32" }, { EBPF_END, 0, 64, "le64" },
    { EBPF_END, 8, 16, "be16" }, { EBPF_END, 8, 32, "be32" }, { EBPF_END, 8, 64, "be64" },
};

static void test_alu(int trials)
{
    for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        for (int w = 0; w < 2; w++) {
            bool is64 = w == 0;
            if (ops[k].op == EBPF_MOV && ops[k].off == 32 && !is64)
                continue;
            long bad = 0;
            char first[160] = "";
            for (int t = 0; t < trials; t++) {
                struct set sa = rand_set(), sb = rand_set();
                if ((ops[k].op == EBPF_LSH || ops[k].op == EBPF_RSH || ops[k].op == EBPF_ARSH) &&
                    (rnd() & 1))
                    for (int i = 0; i < sb.n; i++)
                        sb.v[i] %= 70;
                struct scal a = abstract(&sa), b = abstract(&sb);
                struct scal r = scal_alu(ops[k].op, is64, ops[k].off, ops[k].imm, a, b);
                for (int i = 0; i < sa.n; i++)
                    for (int j = 0; j < sb.n; j++) {
                        uint64_t c = ops[k].op == EBPF_END
                            ? end_concrete(is64, ops[k].off, ops[k].imm, sa.v[i])
                            : scal_alu_concrete(ops[k].op, is64, ops[k].off, 0, sa.v[i], sb.v[j]);
                        if (!contains(&r, c)) {
                            if (!bad++)
                                snprintf(first, sizeof(first), "a=%#llx b=%#llx -> %#llx",
                                         (unsigned long long)sa.v[i], (unsigned long long)sb.v[j],
                                         (unsigned long long)c);
                        }
                    }
            }
            if (!tap_ok(bad == 0, "alu %s%s is sound over %d random cases", ops[k].name,
                        is64 ? "" : "32", trials))
                tap_diag("  %ld violations, first: %s", bad, first);
        }
    }
}

static const struct { uint8_t op; const char *name; } cmps[] = {
    { EBPF_JEQ, "jeq" }, { EBPF_JNE, "jne" }, { EBPF_JGT, "jgt" }, { EBPF_JGE, "jge" },
    { EBPF_JLT, "jlt" }, { EBPF_JLE, "jle" }, { EBPF_JSET, "jset" }, { EBPF_JSGT, "jsgt" },
    { EBPF_JSGE, "jsge" }, { EBPF_JSLT, "jslt" }, { EBPF_JSLE, "jsle" },
};

static void test_branch(int trials)
{
    for (size_t k = 0; k < sizeof(cmps) / sizeof(cmps[0]); k++) {
        for (int w = 0; w < 2; w++) {
            bool is64 = w == 0;
            long bad = 0;
            for (int t = 0; t < trials; t++) {
                struct set sa = rand_set(), sb = rand_set();
                if (rnd() & 1) { /* compare with a constant, the common case */
                    sb.n = 1;
                }
                struct scal a = abstract(&sa), b = abstract(&sb);
                int verdict = scal_branch_taken(cmps[k].op, is64, &a, &b);
                struct scal ta = a, tb = b, fa = a, fb = b;
                scal_refine(cmps[k].op, is64, true, &ta, &tb);
                scal_refine(cmps[k].op, is64, false, &fa, &fb);
                for (int i = 0; i < sa.n; i++)
                    for (int j = 0; j < sb.n; j++) {
                        bool c = scal_cmp_concrete(cmps[k].op, is64, sa.v[i], sb.v[j]);
                        if ((verdict == 1 && !c) || (verdict == 0 && c))
                            bad++;
                        if (c && (!contains(&ta, sa.v[i]) || !contains(&tb, sb.v[j])))
                            bad++;
                        if (!c && (!contains(&fa, sa.v[i]) || !contains(&fb, sb.v[j])))
                            bad++;
                    }
            }
            tap_ok(bad == 0, "branch %s%s: verdicts and refinements sound over %d cases (%ld bad)",
                   cmps[k].name, is64 ? "" : "32", trials, bad);
        }
    }
}

static void test_exact(void)
{
    struct scal r = scal_alu(EBPF_DIV, true, 0, 0, scal_const(10), scal_const(0));
    tap_ok(scal_is_const(&r) && r.t.value == 0, "10 / 0 = 0 (RFC 9669)");
    r = scal_alu(EBPF_MOD, true, 0, 0, scal_const(10), scal_const(0));
    tap_ok(scal_is_const(&r) && r.t.value == 10, "10 %% 0 = 10 (RFC 9669)");
    r = scal_alu(EBPF_MOD, false, 0, 0, scal_const(0x100000005ull), scal_const(0));
    tap_ok(scal_is_const(&r) && r.t.value == 5, "mod32 by 0 keeps the low 32 bits");
    r = scal_alu(EBPF_AND, true, 0, 0, scal_unknown(), scal_const(15));
    tap_ok(r.umin == 0 && r.umax == 15 && r.smin == 0 && r.smax == 15, "x & 15 is in [0,15]");
    r = scal_alu(EBPF_ADD, true, 0, 0, r, scal_const(100));
    tap_ok(r.umin == 100 && r.umax == 115, "(x & 15) + 100 is in [100,115]");
    r = scal_alu(EBPF_ADD, false, 0, 0, scal_const(0xffffffff), scal_const(2));
    tap_ok(scal_is_const(&r) && r.t.value == 1, "32-bit add wraps and zero-extends");
    struct scal a = scal_unknown_width(1), b = scal_const(10);
    scal_refine(EBPF_JLT, true, true, &a, &b);
    tap_ok(a.umin == 0 && a.umax == 9, "x < 10 narrows a byte to [0,9]");
    a = scal_unknown_width(1);
    scal_refine(EBPF_JLT, true, false, &a, &b);
    tap_ok(a.umin == 10 && a.umax == 255, "!(x < 10) narrows a byte to [10,255]");
    a = scal_const(3);
    scal_refine(EBPF_JEQ, true, true, &a, &b);
    tap_ok(scal_empty(&a), "3 == 10 is infeasible (empty)");
    struct scal u = scal_unknown_width(1), c16 = scal_const(256);
    tap_eq(scal_branch_taken(EBPF_JLT, true, &u, &c16), 1, "a byte is always < 256");
    tap_eq(scal_branch_taken(EBPF_JGT, true, &u, &c16), 0, "a byte is never > 256");
    struct scal s8 = scal_unknown_sext(1);
    tap_ok(s8.smin == -128 && s8.smax == 127, "sign-extended byte is in [-128,127]");
}

int main(void)
{
    test_exact();
    test_alu(12000);
    test_branch(12000);
    return tap_done();
}
