/* test_jit_encode.c - the JIT's size-dependent encodings and peepholes.
 *
 * Branch sizes: a program branch is rel8 when its displacement fits in [-128, 127] and rel32
 * otherwise. Each case builds a jump over an exact number of code bytes (fillers of known
 * size: `mov32 %r0, imm` is 5 bytes, `add %r0, 1` 4 bytes), checks the bytes of the chosen
 * encoding appear in the code, and runs the program on every engine.
 *
 * Peepholes: load + compare becomes a compare with memory when the loaded register dies, and
 * `jlt r, A, L; jgt r, B, L` becomes one range compare. Each is checked at the edges of the
 * values it must get right (sizes, signedness, byte order, the bounds A and B) against the
 * interpreter, plus programs where the register is still live (the peephole must not fire),
 * and a random differential run of such patterns. */
#include <stdio.h>

#include "tests/ebpf/ebpf_test.h"

static struct ebpf_insn insns[ET_MAX];

/* Compiles `text` (unblinded) and reports whether the byte string `pat` occurs in its code. */
static bool code_contains(const char *text, const uint8_t *pat, size_t n)
{
    int len = et_asm(text, insns);
    struct ebpf_prog p = { insns, (uint32_t)(len > 0 ? len : 0), NULL, 0 };
    struct ebpf_jit_prog jp;
    if (len <= 0 || ebpf_jit_compile_host(&p, &et_env, &jp, NULL))
        return false;
    bool found = false;
    const uint8_t *c = jp.code;
    for (size_t i = 0; i + n <= jp.code_len && !found; i++)
        found = memcmp(c + i, pat, n) == 0;
    ebpf_jit_free(&jp);
    return found;
}

/* `bytes` of filler instructions writing r0 (5-byte movs, then 4-byte adds). */
static size_t fillers(char *out, size_t cap, int bytes, const char *reg)
{
    size_t n = 0;
    int adds = 0;
    while ((bytes - 4 * adds) % 5)
        adds++;
    for (int k = 0; k < (bytes - 4 * adds) / 5; k++)
        n += (size_t)snprintf(out + n, cap - n, "mov32 %s, %d\n", reg, 1000 + k);
    for (int k = 0; k < adds; k++)
        n += (size_t)snprintf(out + n, cap - n, "add %s, 1\n", reg);
    return n;
}

/* Forward: `ja L` or `jeq %r0, 7, L` over `gap` bytes of code. */
static void forward(int gap, bool cond, const uint8_t *want, size_t wn)
{
    static char text[8192];
    size_t n = (size_t)snprintf(text, sizeof(text), "mov32 %%r0, 7\n%s\n",
                                cond ? "jeq %r0, 7, L" : "ja L");
    n += fillers(text + n, sizeof(text) - n, gap, "%r0");
    snprintf(text + n, sizeof(text) - n, "L: exit\n");
    char name[96];
    snprintf(name, sizeof(name), "forward %s over %d bytes", cond ? "jeq" : "ja", gap);
    tap_ok(code_contains(text, want, wn), "%s: encoded as %s", name,
           want[0] == 0xeb || (want[0] & 0xf0) == 0x70 ? "rel8" : "rel32");
    et_expect(name, text, 7);
}

/* Backward: a three-iteration loop whose body (fillers, add, cmp) is `body` bytes before the
 * jump; the rel8 displacement is -(body + 2). */
static void backward(int body, const uint8_t *want, size_t wn)
{
    static char text[8192];
    size_t n = (size_t)snprintf(text, sizeof(text), "mov %%r2, 0\nL:\n");
    n += fillers(text + n, sizeof(text) - n, body - 8, "%r1");
    snprintf(text + n, sizeof(text) - n, "add %%r2, 1\njlt %%r2, 3, L\nmov %%r0, %%r2\nexit\n");
    char name[96];
    snprintf(name, sizeof(name), "backward jlt, displacement %d as rel8", -(body + 2));
    tap_ok(code_contains(text, want, wn), "%s: encoded as %s", name, wn == 6 ? "rel8" : "rel32");
    et_expect(name, text, 3);
}

static void branch_sizes(void)
{
    /* jmp rel8 = eb d8, jmp rel32 = e9 d32, jcc rel8 = 7x d8, jcc rel32 = 0f 8x d32. */
    forward(127, false, (const uint8_t[]){ 0xeb, 0x7f }, 2);
    forward(126, false, (const uint8_t[]){ 0xeb, 0x7e }, 2);
    forward(128, false, (const uint8_t[]){ 0xe9, 0x80, 0, 0, 0 }, 5);
    forward(0, false, (const uint8_t[]){ 0xeb, 0x00, 0x4d, 0x8d }, 4);  /* then exit's lea r11 */
    forward(127, true, (const uint8_t[]){ 0x74, 0x7f }, 2);
    forward(128, true, (const uint8_t[]){ 0x0f, 0x84, 0x80, 0, 0, 0 }, 6);
    forward(300, true, (const uint8_t[]){ 0x0f, 0x84, 0x2c, 0x01, 0, 0 }, 6);
    /* cmp rsi, 3 (48 83 fe 03) right before the jump. body 126: -128 fits; 127: -129 does not,
     * so rel32 with -(127 + 6). */
    backward(126, (const uint8_t[]){ 0x48, 0x83, 0xfe, 0x03, 0x72, 0x80 }, 6);
    backward(125, (const uint8_t[]){ 0x48, 0x83, 0xfe, 0x03, 0x72, 0x81 }, 6);
    backward(127, (const uint8_t[]){ 0x48, 0x83, 0xfe, 0x03, 0x0f, 0x82, 0x7b, 0xff, 0xff, 0xff }, 10);

    /* A chain where widening one branch pushes another past the rel8 limit: the forward
     * jumps nest, so the passes must iterate. */
    static char text[16384];
    size_t n = (size_t)snprintf(text, sizeof(text), "mov32 %%r0, 1\n");
    for (int k = 0; k < 6; k++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "jeq %%r0, %d, L%d\n", 100 + k, k);
    for (int k = 0; k < 6; k++) {
        n += fillers(text + n, sizeof(text) - n, 20 + 3 * k, "%r1");
        n += (size_t)snprintf(text + n, sizeof(text) - n, "L%d: add %%r0, 1\n", k);
    }
    snprintf(text + n, sizeof(text) - n, "exit\n");
    et_expect("nested forward branches near the rel8 limit", text, 7);
}

/* Memory for the peephole programs: known bytes at fixed offsets. */
static uint8_t mem[64];

static void set_mem(uint64_t v)
{
    for (int k = 0; k < 64; k++)
        mem[k] = (uint8_t)(v >> (8 * (k & 7))) ^ (uint8_t)(k >> 3);
    memcpy(mem + 8, &v, 8);
}

/* The loaded value of size `sz` at offset 8 (zero-extended), optionally byte-swapped. */
static uint64_t loaded(int sz, bool swap)
{
    uint64_t v = 0;
    memcpy(&v, mem + 8, (size_t)sz);
    if (swap)
        v = sz == 2 ? __builtin_bswap16((uint16_t)v) : __builtin_bswap32((uint32_t)v);
    return v;
}

static bool holds(const char *op, bool w32, uint64_t a, int32_t k)
{
    uint64_t b = w32 ? (uint32_t)k : (uint64_t)(int64_t)k;
    if (w32)
        a = (uint32_t)a;
    int64_t sa = w32 ? (int32_t)a : (int64_t)a, sb = w32 ? (int32_t)b : (int64_t)b;
    if (!strcmp(op, "jeq")) return a == b;
    if (!strcmp(op, "jne")) return a != b;
    if (!strcmp(op, "jgt")) return a > b;
    if (!strcmp(op, "jge")) return a >= b;
    if (!strcmp(op, "jlt")) return a < b;
    if (!strcmp(op, "jle")) return a <= b;
    if (!strcmp(op, "jsgt")) return sa > sb;
    if (!strcmp(op, "jsge")) return sa >= sb;
    if (!strcmp(op, "jslt")) return sa < sb;
    return sa <= sb;
}

/* ldx + (be) + jCC with r4 dead on both edges: r0 = 2 if taken, 1 if not. */
static int fused_cases;
static void load_cmp_case(int sz, bool swap, const char *op, bool w32, int32_t k)
{
    static const char *const ld[9] = { [1] = "ldxb", [2] = "ldxh", [4] = "ldxw", [8] = "ldxdw" };
    char text[256], name[160];
    snprintf(text, sizeof(text), "%s %%r4, [%%r1+8]\n%s%s%s %%r4, %d, T\nmov %%r0, 1\nexit\n"
             "T: mov %%r0, 2\nexit\n", ld[sz], swap ? (sz == 2 ? "be16 %r4\n" : "be32 %r4\n") : "",
             op, w32 ? "32" : "", k);
    uint64_t want = holds(op, w32, loaded(sz, swap), k) ? 2 : 1;
    snprintf(name, sizeof(name), "%s%s %s%s K=%d", ld[sz], swap ? "+be" : "", op, w32 ? "32" : "", k);
    int n = et_asm(text, insns);
    bool ok = n > 0;
    for (int e = 0; e < ET_ENGINES && ok; e++) {
        uint64_t r0;
        ok = et_exec(e, insns, n, mem, sizeof(mem), &r0) == 0 && r0 == want;
    }
    if (!ok)
        tap_ok(0, "%s (want %llu)", name, (unsigned long long)want);
    fused_cases++;
}

static void load_compare(void)
{
    static const char *const ops[] = { "jeq", "jne", "jgt", "jge", "jlt", "jle", "jsgt", "jsge",
                                       "jslt", "jsle" };
    static const uint64_t vals[] = { 0, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x0800, 0x7fffffff,
                                     0x80000000, 0xffffffff, 0x8000000000000000ull, ~0ull, 0x0008 };
    static const int32_t ks[] = { 0, 1, 6, 8, 0x7f, 0x80, 0xff, 0x100, 0x800, 0x7fff, 0x8000,
                                  0xffff, 0x10000, -1, -128, INT32_MAX, INT32_MIN, 0x08000000 };
    int before = tap_failed_;
    fused_cases = 0;
    for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
        set_mem(vals[v]);
        for (int sz = 1; sz <= 8; sz *= 2)
            for (int sw = 0; sw < 2; sw++) {
                if (sw && sz != 2 && sz != 4)
                    continue;
                for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
                    for (int w32 = 0; w32 < 2; w32++)
                        for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++)
                            load_cmp_case(sz, sw, ops[o], w32, ks[k]);
            }
    }
    tap_ok(tap_failed_ == before, "load+compare: %d cases agree on all engines", fused_cases);

    /* The forms the peephole emits, seen in the code. */
    tap_ok(code_contains("ldxh %r4, [%r1+12]\nbe16 %r4\njne %r4, 0x0800, L\nmov %r0, 1\nL: exit",
                         (const uint8_t[]){ 0x66, 0x83, 0xbf, 12, 0, 0, 0, 0x08 }, 8),
           "ldxh+be16+jne 0x0800 -> cmp word [rdi+12], 8");
    tap_ok(code_contains("ldxb %r4, [%r1+23]\njne %r4, 6, L\nmov %r0, 1\nL: exit",
                         (const uint8_t[]){ 0x80, 0xbf, 23, 0, 0, 0, 6 }, 7),
           "ldxb+jne 6 -> cmp byte [rdi+23], 6");
    tap_ok(code_contains("ldxdw %r4, [%r1]\njsgt %r4, -5, L\nmov %r0, 1\nL: exit",
                         (const uint8_t[]){ 0x48, 0x83, 0xbf, 0, 0, 0, 0, 0xfb }, 8),
           "ldxdw+jsgt -5 -> cmp qword [rdi], -5");
    tap_ok(!code_contains("ldxb %r4, [%r1+23]\njne %r4, 6, L\nmov %r0, %r4\nL: exit",
                          (const uint8_t[]){ 0x80, 0xbf, 23, 0, 0, 0, 6 }, 7),
           "no memory compare when the register is read after the branch");

    /* Liveness: the register is read later on one edge or the other; results must be the
     * loaded value, which a wrongly fused load would lose. */
    set_mem(0x1122334455667788ull);
    et_expect_mem("live on the taken edge", "ldxb %r4, [%r1+8]\njne %r4, 5, L\nmov %r0, 1\nexit\n"
                  "L: mov %r0, %r4\nexit", mem, sizeof(mem), 0x88);
    et_expect_mem("live on the fall-through edge", "ldxb %r4, [%r1+8]\njeq %r4, 5, L\n"
                  "mov %r0, %r4\nexit\nL: mov %r0, 1\nexit", mem, sizeof(mem), 0x88);
    et_expect_mem("live through a loop", "mov %r0, 0\nmov %r2, 0\nL: add %r0, %r4\n"
                  "ldxh %r4, [%r1+8]\nbe16 %r4\njeq %r4, 1, X\nadd %r2, 1\njlt %r2, 3, L\n"
                  "X: exit", mem, sizeof(mem), 2 * 0x8877);
    et_expect_mem("read by a helper call (argument register)", "ldxb %r1, [%r1+8]\n"
                  "jeq %r1, 5, L\nL: call 5\nmov %r0, 9\nexit", mem, sizeof(mem), 9);
    et_expect_mem("exit returns it to a local caller", "mov %r6, %r1\ncall local f\nmov %r0, %r4\n"
                  "exit\nf: ldxb %r4, [%r6+8]\njeq %r4, 5, L\nL: exit", mem, sizeof(mem), 0x88);
    et_expect_mem("the compare is itself a branch target", "ldxb %r4, [%r1+8]\nja M\n"
                  "N: mov %r0, %r4\nexit\nM: jeq %r4, 5, N\nmov %r0, 3\nexit", mem, sizeof(mem), 3);
}

/* jlt r, A, L; jgt r, B, L (both orders, both widths) at the edges of [A, B]. */
static void range_case(bool w32, bool lt_first, int32_t a, int32_t b, uint64_t r)
{
    char text[320], name[160];
    const char *sfx = w32 ? "32" : "";
    snprintf(text, sizeof(text), "lddw %%r4, 0x%llx\n%s%s %%r4, %d, L\n%s%s %%r4, %d, L\n"
             "mov %%r0, 1\nexit\nL: mov %%r0, 2\nexit\n", (unsigned long long)r,
             lt_first ? "jlt" : "jgt", sfx, lt_first ? a : b, lt_first ? "jgt" : "jlt", sfx,
             lt_first ? b : a);
    uint64_t want = holds("jlt", w32, r, a) || holds("jgt", w32, r, b) ? 2 : 1;
    snprintf(name, sizeof(name), "range%s [%d, %d] r=0x%llx %s", sfx, a, b, (unsigned long long)r,
             lt_first ? "lt,gt" : "gt,lt");
    int n = et_asm(text, insns);
    bool ok = n > 0;
    for (int e = 0; e < ET_ENGINES && ok; e++) {
        uint64_t r0;
        ok = et_exec(e, insns, n, NULL, 0, &r0) == 0 && r0 == want;
    }
    if (!ok)
        tap_ok(0, "%s (want %llu)", name, (unsigned long long)want);
    fused_cases++;
}

static void ranges(void)
{
    static const int32_t bounds[][2] = { { 1024, 49151 }, { 0, 0 }, { 5, 5 }, { -10, 10 },
                                         { -1, -1 }, { 0, INT32_MAX }, { INT32_MIN, -1 },
                                         { 7, 3 }, { INT32_MIN, INT32_MAX }, { 100, 0x7fffffff } };
    int before = tap_failed_;
    fused_cases = 0;
    for (size_t q = 0; q < sizeof(bounds) / sizeof(bounds[0]); q++) {
        int32_t a = bounds[q][0], b = bounds[q][1];
        const uint64_t rs[] = { (uint64_t)(int64_t)a - 1, (uint64_t)(int64_t)a, (uint64_t)(int64_t)a + 1,
                                (uint64_t)(int64_t)b - 1, (uint64_t)(int64_t)b, (uint64_t)(int64_t)b + 1,
                                0, ~0ull, (uint32_t)a, (uint32_t)b + 1ull, 0xffffffff00000000ull | (uint32_t)a };
        for (size_t k = 0; k < sizeof(rs) / sizeof(rs[0]); k++)
            for (int w32 = 0; w32 < 2; w32++)
                for (int lt = 0; lt < 2; lt++)
                    range_case(w32, lt, a, b, rs[k]);
    }
    tap_ok(tap_failed_ == before, "range compares: %d cases agree on all engines", fused_cases);
    tap_ok(code_contains("jlt %r4, 1024, L\njgt %r4, 49151, L\nmov %r0, 1\nL: exit",
                         (const uint8_t[]){ 0x49, 0x81, 0xfb, 0xff, 0xbb, 0, 0 }, 7),
           "jlt 1024 + jgt 49151 -> cmp r11, 48127");
    et_expect("second compare is a branch target: not merged",
              "mov %r4, 5\nja M\nL: mov %r0, 2\nexit\nM: jlt %r4, 3, L\nN: jgt %r4, 4, L\n"
              "mov %r0, 1\nexit", 2);
}

/* Random programs made of the peephole patterns (random sizes, swaps, conditions, constants
 * near the values in memory, random liveness) on random memory: all engines agree. */
static void random_patterns(void)
{
    static const char *const ops[] = { "jeq", "jne", "jgt", "jge", "jlt", "jle", "jsgt", "jsge",
                                       "jslt", "jsle" };
    static const char *const ld[] = { "ldxb", "ldxh", "ldxw", "ldxdw" };
    uint64_t s = 0x9e3779b97f4a7c15ull;
    int bad = 0, runs = 0;
    for (int t = 0; t < 400; t++) {
        char text[2048];
        size_t n = (size_t)snprintf(text, sizeof(text), "mov %%r0, 0\n");
        for (int q = 0; q < 8; q++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            int li = (int)(s >> 60) & 3, reg = 2 + (int)((s >> 40) & 3), off = (int)((s >> 20) & 7) * 4;
            const char *op = ops[(s >> 50) % 10];
            int32_t k = (int32_t)(s >> 8);
            switch ((s >> 33) & 3) {
            case 0: k = mem[off] ; break;
            case 1: k &= 0xffff; break;
            case 2: k = (int32_t)((s >> 3) & 0xff) - 128; break;
            default: break;
            }
            n += (size_t)snprintf(text + n, sizeof(text) - n, "%s %%r%d, [%%r1+%d]\n%s%s%s %%r%d, %d, L%d\n"
                                  "add %%r0, %d\n%sL%d: %s",
                                  ld[li], reg, off, (li == 1 && (s & 1)) ? "be16 %r4\n" : "",
                                  op, (s >> 45) & 1 ? "32" : "", (li == 1 && (s & 1)) ? 4 : reg, k, q,
                                  q + 1, (s >> 46) & 1 ? "add %r0, %r3\n" : "", q,
                                  (s >> 47) & 1 ? "add %r0, %r2\n" : "mov %r2, 0\n");
            if ((s >> 48) & 1)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "jlt %%r%d, %d, M%d\njgt %%r%d, %d, M%d\n"
                                      "add %%r0, 1000\nM%d:\n", reg, k & 0xff, q, reg, (k & 0xff) + (int)(s >> 56), q, q);
        }
        snprintf(text + n, sizeof(text) - n, "exit\n");
        for (int k = 0; k < 64; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            mem[k] = (uint8_t)(s >> 56);
        }
        int len = et_asm(text, insns);
        if (len <= 0) {
            bad++;
            break;
        }
        uint64_t want = 0;
        if (et_exec(ET_CHECKED, insns, len, mem, sizeof(mem), &want)) {
            bad++;
            continue;
        }
        for (int e = 0; e < ET_ENGINES; e++) {
            uint64_t r0;
            if (et_exec(e, insns, len, mem, sizeof(mem), &r0) || r0 != want) {
                if (!bad)
                    tap_diag("engine %s differs on:\n%s", et_engine_name[e], text);
                bad++;
            }
        }
        runs++;
    }
    tap_ok(bad == 0 && runs == 400, "400 random pattern programs agree on all engines (%d bad)", bad);
}

/* Division saves rax (r0) and rdx (r3) only when they are live afterwards and not the
 * destination: every combination, with the values checked after the division. */
static void division_saves(void)
{
    et_expect("r0 and r3 live after mod", "mov %r0, 1000\nmov %r3, 77\nmov %r4, 100\nmov %r2, 7\n"
              "mod %r4, %r2\nadd %r0, %r3\nadd %r0, %r4\nexit", 1000 + 77 + 2);
    et_expect("r3 dead after div (overwritten)", "mov %r0, 5\nmov %r4, 100\nmov %r3, 7\n"
              "div %r4, %r3\nmov %r3, 1\nadd %r0, %r4\nadd %r0, %r3\nexit", 5 + 14 + 1);
    et_expect("r0 dead after div (overwritten)", "mov %r3, 9\nmov %r4, 100\ndiv %r4, 3\n"
              "mov %r0, %r4\nadd %r0, %r3\nexit", 33 + 9);
    et_expect("destination r0", "mov %r0, 100\nmov %r3, 6\nmod %r0, %r3\nadd %r0, %r3\nexit", 4 + 6);
    et_expect("destination r3", "mov %r0, 50\nmov %r3, 100\ndiv %r3, 7\nadd %r0, %r3\nexit", 50 + 14);
    et_expect("divide by zero with r3 dead", "mov %r0, 3\nmov %r4, 100\nmov %r3, 0\n"
              "div %r4, %r3\nmov %r3, 1\nadd %r0, %r4\nexit", 3);
    et_expect("signed mod by -1, r0 read in a loop", "mov %r0, 0\nmov %r2, 0\nL: mov %r4, -9\n"
              "smod %r4, -1\nadd %r0, %r4\nadd %r0, 2\nadd %r2, 1\njlt %r2, 4, L\nexit", 8);
}

/* ldxdw/ldxw + add/sub/and/or/xor of the loaded register: folded into a memory-source ALU op
 * when the register dies; every op, both widths, and the live / aliasing cases. */
static void load_alu(void)
{
    static const char *const ops[] = { "add", "sub", "and", "or", "xor" };
    set_mem(0x8000000180000003ull);
    uint64_t m64 = 0x8000000180000003ull, d = 0xf0f0f0f0f0f0f0f0ull;
    for (int o = 0; o < 5; o++)
        for (int w32 = 0; w32 < 2; w32++) {
            char text[256], name[96];
            snprintf(text, sizeof(text), "lddw %%r0, 0x%llx\n%s %%r4, [%%r1+8]\n%s%s %%r0, %%r4\n"
                     "mov %%r4, 0\nexit", (unsigned long long)d, w32 ? "ldxw" : "ldxdw", ops[o],
                     w32 ? "32" : "");
            uint64_t a = w32 ? (uint32_t)d : d, b = w32 ? (uint32_t)m64 : m64, r;
            switch (o) {
            case 0: r = a + b; break;
            case 1: r = a - b; break;
            case 2: r = a & b; break;
            case 3: r = a | b; break;
            default: r = a ^ b; break;
            }
            if (w32)
                r = (uint32_t)r;
            snprintf(name, sizeof(name), "%s + %s%s folded", w32 ? "ldxw" : "ldxdw", ops[o], w32 ? "32" : "");
            et_expect_mem(name, text, mem, sizeof(mem), r);
        }
    tap_ok(code_contains("ldxdw %r4, [%r1+8]\nadd %r0, %r4\nexit",
                         (const uint8_t[]){ 0x48, 0x03, 0x87, 8, 0, 0, 0 }, 7),
           "ldxdw + add -> add rax, [rdi+8]");
    et_expect_mem("loaded register read later: not folded", "mov %r0, 1\nldxdw %r4, [%r1+8]\n"
                  "add %r0, %r4\nadd %r0, %r4\nexit", mem, sizeof(mem), 1 + 2 * m64);
    et_expect_mem("base is the destination", "mov %r0, %r1\nldxdw %r4, [%r0+8]\nsub %r0, %r4\n"
                  "sub %r0, %r1\nexit", mem, sizeof(mem), 0 - m64);
    et_expect_mem("ALU op is a branch target: not folded", "mov %r0, 5\nmov %r4, 1\nja M\n"
                  "L: ldxdw %r4, [%r1+8]\nM: add %r0, %r4\njeq %r0, 6, L\nexit", mem, sizeof(mem),
                  6 + m64);
}

int main(void)
{
    et_init();
    branch_sizes();
    load_compare();
    ranges();
    random_patterns();
    division_saves();
    load_alu();
    return tap_done();
}
