/* test_jit_equal.c - differential test: random programs must give the same r0 and the same
 * stack contents on the interpreter (trusted and checked) and the JIT.
 *
 * Programs are generated directly as instruction slots: random 64-bit register values (lddw),
 * then random ALU/ALU64 instructions of every kind with edge-biased immediates (0, -1, INT_MIN,
 * shift widths), stack stores/loads of every size including sign-extending loads, atomics, and
 * forward conditional jumps (so every program terminates). The end folds every register and the
 * stack words into r0, so a difference anywhere shows. A second shape adds a bounded loop, input
 * loads, a local call and helper calls. Deterministic seed; 3000 programs. */
#include "tests/ebpf/ebpf_test.h"

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint32_t below(uint32_t n) { return (uint32_t)(rnd() % n); }

static int32_t edge_imm(void)
{
    static const int32_t e[] = { 0, 1, -1, 2, INT32_MIN, INT32_MAX, 7, 31, 32, 63, 64, 16, 8, -8 };
    return below(3) ? e[below(sizeof(e) / sizeof(e[0]))] : (int32_t)rnd();
}

#define N 80
static struct ebpf_insn prog[N + 160];

/* Random ALU / stack / atomic / forward-branch instructions into prog[n..end); registers in
 * `avoid` (a bit mask) are never written. Returns the new n. */
static uint32_t gen_body(uint32_t n, uint32_t body_end, unsigned avoid);
static uint32_t gen_fold(uint32_t n);

static uint32_t gen(void)
{
    uint32_t n = 0;
    for (uint8_t r = 0; r < 10; r++) {
        uint64_t v = rnd();
        prog[n++] = ebpf_insn_make(EBPF_OP_LDDW, r, 0, 0, (int32_t)(uint32_t)v);
        prog[n++] = ebpf_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
    }
    return gen_fold(gen_body(n, N, 0));
}

static uint32_t gen_body(uint32_t n, uint32_t body_end, unsigned avoid)
{
    static const uint8_t alu_ops[] = { EBPF_ADD, EBPF_SUB, EBPF_MUL, EBPF_DIV, EBPF_OR, EBPF_AND,
                                       EBPF_LSH, EBPF_RSH, EBPF_NEG, EBPF_MOD, EBPF_XOR, EBPF_MOV,
                                       EBPF_ARSH, EBPF_END };
    static const uint8_t jmp_ops[] = { EBPF_JEQ, EBPF_JGT, EBPF_JGE, EBPF_JSET, EBPF_JNE, EBPF_JSGT,
                                       EBPF_JSGE, EBPF_JLT, EBPF_JLE, EBPF_JSLT, EBPF_JSLE };
    static const int32_t atomic_ops[] = { EBPF_ATOMIC_ADD, EBPF_ATOMIC_OR, EBPF_ATOMIC_AND,
        EBPF_ATOMIC_XOR, EBPF_ATOMIC_ADD | EBPF_FETCH, EBPF_ATOMIC_OR | EBPF_FETCH,
        EBPF_ATOMIC_AND | EBPF_FETCH, EBPF_ATOMIC_XOR | EBPF_FETCH, EBPF_ATOMIC_XCHG,
        EBPF_ATOMIC_CMPXCHG };
    while (n < body_end) {
        uint8_t dst = (uint8_t)below(10), src = (uint8_t)below(10);
        while (avoid & (1u << dst))
            dst = (uint8_t)below(10);
        uint32_t kind = below(20);
        if (kind < 13) {
            uint8_t op = alu_ops[below(sizeof(alu_ops))];
            uint8_t cls = below(2) ? EBPF_ALU64 : EBPF_ALU;
            bool x = below(2);
            int16_t off = 0;
            int32_t imm = edge_imm();
            if (op == EBPF_NEG) {
                x = false;
                imm = 0;
            } else if (op == EBPF_DIV || op == EBPF_MOD) {
                off = (int16_t)below(2);
            } else if (op == EBPF_MOV && x && below(2)) {
                static const int16_t w[] = { 8, 16, 32 };
                off = w[below(cls == EBPF_ALU64 ? 3 : 2)];
            } else if (op == EBPF_END) {
                static const int32_t w[] = { 16, 32, 64 };
                imm = w[below(3)];
                x = cls == EBPF_ALU ? below(2) : false;
                prog[n++] = ebpf_insn_make(cls | (x ? EBPF_X : EBPF_K) | op, dst, 0, 0, imm);
                continue;
            }
            prog[n++] = ebpf_insn_make(cls | (x ? EBPF_X : EBPF_K) | op, dst, x ? src : 0, off, x ? 0 : imm);
        } else if (kind < 15) {
            /* store to the stack at an aligned slot, any size */
            uint8_t sz = (uint8_t)(below(4) << 3);
            int16_t off = (int16_t)(-8 * (int)(1 + below(8)));
            if (below(2))
                prog[n++] = ebpf_insn_make(EBPF_STX | EBPF_MEM | sz, EBPF_R10, src, off, 0);
            else
                prog[n++] = ebpf_insn_make(EBPF_ST | EBPF_MEM | sz, EBPF_R10, 0, off, edge_imm());
        } else if (kind < 17) {
            uint8_t sz = (uint8_t)(below(4) << 3);
            int16_t off = (int16_t)(-8 * (int)(1 + below(8)));
            uint8_t mode = (sz != EBPF_DW && below(2)) ? EBPF_MEMSX : EBPF_MEM;
            prog[n++] = ebpf_insn_make(EBPF_LDX | mode | sz, dst, EBPF_R10, off, 0);
        } else if (kind < 18) {
            /* fetch forms write src (cmpxchg writes r0): keep loop counters safe */
            while (avoid & (1u << src))
                src = (uint8_t)below(10);
            uint8_t sz = below(2) ? EBPF_DW : EBPF_W;
            int16_t off = (int16_t)(-8 * (int)(1 + below(8)));
            prog[n++] = ebpf_insn_make(EBPF_STX | EBPF_ATOMIC | sz, EBPF_R10, src, off,
                                       atomic_ops[below(sizeof(atomic_ops) / sizeof(atomic_ops[0]))]);
        } else {
            /* forward conditional jump inside the body */
            uint8_t cls = below(2) ? EBPF_JMP : EBPF_JMP32;
            bool x = below(2);
            uint32_t room = body_end - n - 1;
            int16_t off = (int16_t)(room ? below(room < 6 ? room : 6) : 0);
            prog[n++] = ebpf_insn_make(cls | (x ? EBPF_X : EBPF_K) | jmp_ops[below(sizeof(jmp_ops))],
                                       dst, x ? src : 0, off, x ? 0 : edge_imm());
        }
    }
    return n;
}

/* r0 = fold of r0..r9 and the eight stack words, then exit. */
static uint32_t gen_fold(uint32_t n)
{
    for (uint8_t r = 1; r < 10; r++) {
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_MUL, 0, 0, 0, 1000003);
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_X | EBPF_XOR, 0, r, 0, 0);
    }
    for (int k = 1; k <= 8; k++) {
        prog[n++] = ebpf_insn_make(EBPF_LDX | EBPF_MEM | EBPF_DW, 1, EBPF_R10, (int16_t)(-8 * k), 0);
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_MUL, 0, 0, 0, 1000003);
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_X | EBPF_XOR, 0, 1, 0, 0);
    }
    prog[n++] = ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0);
    return n;
}

/* Second shape: a bounded loop (counter in r6) whose body has random instructions, loads from
 * the input buffer (base kept in r7), a local call to a random subprogram and helper calls. */
static uint32_t gen2(void)
{
    uint32_t n = 0;
    prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_X | EBPF_MOV, 7, 1, 0, 0);
    for (uint8_t r = 0; r < 10; r++) {
        if (r == 1 || r == 6 || r == 7)
            continue;
        uint64_t v = rnd();
        prog[n++] = ebpf_insn_make(EBPF_OP_LDDW, r, 0, 0, (int32_t)(uint32_t)v);
        prog[n++] = ebpf_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
    }
    prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_MOV, 6, 0, 0, (int32_t)(1 + below(4)));
    uint32_t loop = n;
    n = gen_body(n, n + 10, 1u << 6 | 1u << 7);
    for (int k = 0; k < 2; k++) {
        uint8_t sz = (uint8_t)(below(4) << 3);
        uint8_t mode = (sz != EBPF_DW && below(2)) ? EBPF_MEMSX : EBPF_MEM;
        prog[n++] = ebpf_insn_make(EBPF_LDX | mode | sz, (uint8_t)(below(2) ? 0 : 8), 7,
                                   (int16_t)below(57), 0);
    }
    uint32_t call_at = n;
    prog[n++] = ebpf_insn_make(EBPF_OP_CALL, 0, EBPF_CALL_LOCAL, 0, 0);
    if (below(2)) {
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_MOV, 1, 0, 0, (int32_t)(1 + below(100)));
        prog[n++] = ebpf_insn_make(EBPF_OP_CALL, 0, 0, 0, EBPF_HELPER_UNWIND);
    } else {
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_X | EBPF_MOV, 1, 10, 0, 0);
        prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_ADD, 1, 0, 0, -64);
        prog[n++] = ebpf_insn_make(EBPF_OP_CALL, 0, 0, 0, EBPF_HELPER_OCT_NORM);
    }
    n = gen_body(n, n + 6, 1u << 6 | 1u << 7);
    prog[n++] = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_SUB, 6, 0, 0, 1);
    prog[n] = ebpf_insn_make(EBPF_JMP | EBPF_K | EBPF_JNE, 6, 0, (int16_t)((int)loop - (int)n - 1), 0);
    n++;
    n = gen_fold(n);
    uint32_t sub = n;
    n = gen_body(n, n + 12, 0);
    prog[n++] = ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0);
    prog[call_at].imm = (int32_t)(sub - call_at - 1);
    return n;
}

int main(void)
{
    et_init();
    static uint8_t input[64];
    for (size_t i = 0; i < sizeof(input); i++)
        input[i] = (uint8_t)rnd();
    int programs = 3000, agree = 0, invalid = 0, reported = 0;
    for (int t = 0; t < programs; t++) {
        uint32_t n = t % 2 ? gen2() : gen();
        struct ebpf_prog p = { prog, n, NULL, 0 };
        struct ebpf_error err;
        if (ebpf_prog_check(&p, &et_env, &err)) {
            if (invalid++ < 3)
                tap_diag("generator produced an unchecked program: insn %u %s", err.pc, err.msg);
            continue;
        }
        uint64_t r[ET_ENGINES];
        int rc[ET_ENGINES];
        /* The checked run goes first: its budget guards against a generator bug producing a
         * non-terminating program, which the trusted engines would run forever. */
        rc[ET_CHECKED] = et_exec(ET_CHECKED, prog, (int)n, input, sizeof(input), &r[ET_CHECKED]);
        for (int e = 0; e < ET_ENGINES; e++)
            if (e != ET_CHECKED)
                rc[e] = rc[ET_CHECKED] ? rc[ET_CHECKED]
                                       : et_exec(e, prog, (int)n, input, sizeof(input), &r[e]);
        bool same = true;
        for (int e = 0; e < ET_ENGINES; e++)
            same = same && rc[e] == 0 && r[e] == r[0];
        if (same) {
            agree++;
        } else if (reported++ < 3) {
            for (int e = 0; e < ET_ENGINES; e++)
                tap_diag("program %d on %s: rc %d r0 0x%llx", t, et_engine_name[e], rc[e],
                         (unsigned long long)r[e]);
            for (uint32_t pc = 0; pc < n; pc++) {
                char line[64];
                int used = ebpf_disasm(prog, n, pc, line, sizeof(line));
                tap_diag("  %3u: %s", pc, line);
                if (used == 2)
                    pc++;
            }
        }
    }
    tap_eq(invalid, 0, "every generated program passes the structural check");
    tap_ok(agree == programs, "interpreter, checked interpreter, JIT and blinded JIT agree on %d/%d random programs",
           agree, programs);
    return tap_done();
}
