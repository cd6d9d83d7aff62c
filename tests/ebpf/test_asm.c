/* test_asm.c - assembler and disassembler: encodings of representative instructions, the
 * round trip asm -> disasm -> asm on every conformance program and on every valid opcode, and
 * the errors (bad register, unknown mnemonic, bad or duplicate label, out-of-range numbers,
 * missing operands, trailing text, output too small), each naming its line. */
#include <dirent.h>
#include <stdio.h>

#include "tests/ebpf/ebpf_test.h"

static struct ebpf_insn a[ET_MAX], b[ET_MAX];

static void encodes(const char *text, uint64_t w0, const char *what)
{
    struct ebpf_asm_error e;
    int n = ebpf_asm(text, strlen(text), a, ET_MAX, &e);
    if (!tap_ok(n >= 1 && ebpf_insn_word(a[0]) == w0, "encode %s", what))
        tap_diag("  n=%d word 0x%016llx want 0x%016llx %s", n,
                 n > 0 ? (unsigned long long)ebpf_insn_word(a[0]) : 0ull, (unsigned long long)w0, e.msg);
}

static void encodings(void)
{
    encodes("mov %r0, 1", 0x00000001000000b7ull, "mov imm (0xb7)");
    encodes("add32 %r1, %r2", 0x000000000000210cull, "add32 reg (0x0c)");
    encodes("sdiv %r3, -1", 0xffffffff00010337ull, "sdiv imm: off 1");
    encodes("smod32 %r3, %r4", 0x000000000001439cull, "smod32 reg: off 1");
    encodes("movsx1664 %r1, %r2", 0x00000000001021bfull, "movsx: off 16");
    encodes("be16 %r1", 0x00000010000001dcull, "be16 (0xdc)");
    encodes("le64 %r1", 0x00000040000001d4ull, "le64 (0xd4)");
    encodes("bswap32 %r1", 0x00000020000001d7ull, "bswap32 (ALU64 END)");
    encodes("ldxsh %r0, [%r1-2]", 0x00000000fffe1089ull, "ldxsh (0x89) negative offset");
    encodes("stdw [%r10+8], -3", 0xfffffffd00080a7aull, "stdw imm");
    encodes("lock fetch xor32 [%r10-4], %r3", 0x000000a1fffc3ac3ull, "lock fetch xor32");
    encodes("lock cmpxchg [%r1], %r2", 0x000000f1000021dbull, "lock cmpxchg");
    encodes("ja32 +0", 0x0000000000000006ull, "ja32 (class JMP32, imm)");
    encodes("jsle32 %r1, -5, -1", 0xfffffffbffff01d6ull, "jsle32 imm");
    encodes("call local +2", 0x0000000200001085ull, "call local: src 1");
    encodes("callx %r5", 0x000000000000058dull, "callx: dst_reg");
    encodes("call %r5", 0x000000000000058dull, "call %reg is callx");
    encodes("call 5", 0x0000000500000085ull, "helper call");
    encodes("lddw %r1, map[3]", 0x0000000300005118ull, "lddw map index (src 5)");
    encodes("mov %r0, 0xffffffff", 0xffffffff000000b7ull, "32-bit immediate 2^32-1");
    encodes("mov %r0, -2147483648", 0x80000000000000b7ull, "32-bit immediate -2^31");
    encodes("  L1:  exit   # trailing comment", 0x0000000000000095ull, "label, spaces, comment");
    encodes("jeq %r1, 0, exit\nexit", 0x0000000000000115ull, "implicit 'exit' label");
    /* Labels resolve backward and forward; lddw counts two slots. */
    const char *t = "x: lddw %r0, 1\nja x\nja y\ny: exit";
    int n = ebpf_asm(t, strlen(t), a, ET_MAX, NULL);
    tap_ok(n == 5 && a[2].off == -3 && a[3].off == 0, "label offsets around lddw");
}

/* Disassembles all of insns[0..n) and assembles the text back; compares the words. */
static int round_trip(const struct ebpf_insn *in, int n, char *why, size_t wl)
{
    static char text[ET_MAX * 48];
    size_t len = 0;
    for (int pc = 0; pc < n;) {
        char line[64];
        int used = ebpf_disasm(in, (uint32_t)n, (uint32_t)pc, line, sizeof(line));
        if (used == 0) {
            snprintf(why, wl, "slot %d does not disassemble: %s", pc, line);
            return 0;
        }
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\n", line);
        pc += used;
    }
    struct ebpf_asm_error e;
    int m = ebpf_asm(text, len, b, ET_MAX, &e);
    if (m != n) {
        snprintf(why, wl, "reassembly gave %d slots (%s)", m, e.msg);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (ebpf_insn_word(in[i]) != ebpf_insn_word(b[i])) {
            char line[64];
            ebpf_disasm(in, (uint32_t)n, (uint32_t)i, line, sizeof(line));
            snprintf(why, wl, "slot %d differs: '%s'", i, line);
            return 0;
        }
    return 1;
}

static void conformance_round_trip(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int files = 0, good = 0;
    char why[200] = "";
    if (!tap_ok(d != NULL, "open %s", dir))
        return;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".data"))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        static char buf[65536];
        size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = 0;
        char *s = strstr(buf, "-- asm");
        if (!s)
            continue;
        s += 6;
        char *end = strstr(s, "\n-- ");
        int m = ebpf_asm(s, end ? (size_t)(end - s) : strlen(s), a, ET_MAX, NULL);
        files++;
        if (m > 0 && round_trip(a, m, why, sizeof(why)))
            good++;
        else
            tap_diag("%s: %s", e->d_name, m > 0 ? why : "does not assemble");
    }
    closedir(d);
    tap_ok(files == 235 && good == files, "asm -> disasm -> asm identical on %d/%d conformance programs", good, files);
}

/* Every opcode byte with representative fields: each instruction ebpf_prog_check accepts
 * (alone, before an exit) must survive the round trip. */
static void opcode_round_trip(void)
{
    static const int16_t offs[] = { 0, 1, 8, 16, 32, -1, 100 };
    static const int32_t imms[] = { 0, 1, -1, 16, 32, 64, 0x7fffffff, 0x41, 0xe1, 0xf1, 0xa1, 5 };
    int tried = 0, failed = 0;
    char why[200];
    for (int op = 0; op < 256; op++)
        for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
            for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++)
                for (int src = 0; src <= 10; src += 5) {
                    struct ebpf_insn p[4] = {
                        ebpf_insn_make((uint8_t)op, 3, (uint8_t)(src == 10 ? 1 : src), offs[o], imms[k]),
                        ebpf_insn_make(0, 0, 0, 0, 7), ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0),
                        ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0) };
                    struct ebpf_prog prog = { p, op == EBPF_OP_LDDW ? 3u : 4u, NULL, 0 };
                    if (op != EBPF_OP_LDDW)
                        p[1] = ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0);
                    if (ebpf_prog_check(&prog, &et_env, NULL))
                        continue;
                    tried++;
                    if (!round_trip(p, (int)prog.len, why, sizeof(why))) {
                        if (failed++ < 5)
                            tap_diag("opcode 0x%02x off %d imm %d: %s", op, offs[o], imms[k], why);
                    }
                }
    tap_ok(tried > 1000 && failed == 0, "round trip of %d checked single instructions, %d failed", tried, failed);
}

/* The disassembler prints the canonical text exactly. */
static void prints(const char *text)
{
    char line[96];
    int n = ebpf_asm(text, strlen(text), a, ET_MAX, NULL);
    int used = n > 0 ? ebpf_disasm(a, (uint32_t)n, 0, line, sizeof(line)) : 0;
    if (!tap_ok(used == n && strcmp(line, text) == 0, "disassembles as '%s'", text))
        tap_diag("  got '%s' (%d slots)", used ? line : "", used);
}

static void canonical_text(void)
{
    static const char *const t[] = {
        "mov %r0, 1", "add32 %r1, %r2", "sdiv %r3, -1", "smod32 %r3, %r4", "neg %r9",
        "movsx1664 %r1, %r2", "movsx832 %r0, %r9", "be16 %r1", "le32 %r2", "bswap64 %r3",
        "ldxsh %r0, [%r1-2]", "ldxdw %r4, [%r10-512]", "ldxb %r0, [%r1]", "stdw [%r10+8], -3",
        "stxw [%r1+4], %r2", "lock fetch xor32 [%r10-4], %r3", "lock xchg [%r1], %r2",
        "lock cmpxchg32 [%r10-8], %r1", "lock add [%r10-8], %r1", "ja +5", "ja32 -3",
        "jsle32 %r1, -5, -1", "jset %r2, %r3, +0", "call local +2", "call 5", "callx %r5",
        "exit", "lddw %r0, 0x1122334455667788", "lddw %r1, map[3]", "lddw %r2, map_value[1]+8",
        "lddw %r2, map_fd_value[0]-4", "lddw %r1, map_fd[2]",
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        prints(t[i]);
}

static void rejects(const char *text, const char *needle, uint32_t line)
{
    struct ebpf_asm_error e;
    char shown[64];
    size_t k = 0;
    for (; text[k] && k + 1 < sizeof(shown); k++)
        shown[k] = text[k] == '\n' ? '|' : text[k];    /* one TAP line per test */
    shown[k] = 0;
    int n = ebpf_asm(text, strlen(text), a, ET_MAX, &e);
    if (!tap_ok(n < 0 && strstr(e.msg, needle) && e.line == line, "rejects %-28s -> %s", shown, e.msg))
        tap_diag("  n=%d line=%u msg='%s' (want '%s' on line %u)", n, e.line, e.msg, needle, line);
}

static void errors(void)
{
    rejects("mov %r11, 1", "bad register '%r11'", 1);
    rejects("mov %r0, %r16", "bad register", 1);
    rejects("exit\nmov %rx, 1", "bad register '%rx'", 2);
    rejects("mov 5, %r1", "expected register '5'", 1);
    rejects("frobnicate %r0", "unknown mnemonic 'frobnicate'", 1);
    rejects("movsx1616 %r0, %r1", "unknown mnemonic", 1);
    rejects("ldxq %r0, [%r1]", "unknown mnemonic", 1);
    rejects("ja nowhere\nexit", "undefined label 'nowhere'", 1);
    rejects("a: exit\na: exit", "duplicate label 'a'", 2);
    rejects("mov %r0, 0x100000000", "immediate out of 32-bit range", 1);
    rejects("mov %r0, -2147483649", "immediate out of 32-bit range", 1);
    rejects("lddw %r0, 0x10000000000000000", "bad number", 1);
    rejects("ldxw %r0, [%r1+32768]", "memory offset out of range", 1);
    rejects("ja +32768", "jump offset out of range", 1);
    rejects("mov %r0 1", "expected ','", 1);
    rejects("ldxw %r0, %r1", "expected '['", 1);
    rejects("ldxw %r0, [%r1", "expected ']'", 1);
    rejects("exit %r0", "unexpected text after instruction", 1);
    rejects("mov %r0, 12abc", "bad number", 1);
    rejects("lock fetch xchg [%r10-8], %r1", "unknown atomic operation", 1);
    rejects("lock nand [%r10-8], %r1", "unknown atomic operation", 1);
    rejects("callx 5", "callx needs a register", 1);
    rejects("call -1", "helper id out of range", 1);
    rejects("lddw %r0, mapx[1]", "expected number or map[N]", 1);
    rejects("\n\n  123", "expected mnemonic", 3);
    rejects("jeq %r0, 1", "expected ','", 1);
    struct ebpf_asm_error e;
    tap_eq(ebpf_asm("exit\nexit\nexit", 14, a, 2, &e), EBPF_E2BIG, "output buffer too small -> E2BIG");
    tap_eq(ebpf_asm("", 0, a, 2, &e), 0, "empty text assembles to nothing");
    tap_eq(ebpf_asm("# only a comment\n\n", 18, a, 2, &e), 0, "comments only assemble to nothing");
    char line[64];
    struct ebpf_insn bad[2] = { ebpf_insn_make(0xff, 0, 0, 0, 0), ebpf_insn_make(EBPF_OP_LDDW, 0, 0, 0, 1) };
    tap_ok(ebpf_disasm(bad, 2, 0, line, sizeof(line)) == 0 && !strncmp(line, ".word 0x", 8),
           "unknown opcode disassembles as .word (%s)", line);
    tap_ok(ebpf_disasm(bad, 2, 1, line, sizeof(line)) == 0, "truncated lddw refused");
    tap_ok(ebpf_disasm(bad, 2, 5, line, sizeof(line)) == 0 && line[0] == 0, "pc past the end refused");
    struct ebpf_insn resv = ebpf_insn_make(EBPF_ALU64 | EBPF_K | EBPF_ADD, 1, 3, 0, 1);
    tap_ok(ebpf_disasm(&resv, 1, 0, line, sizeof(line)) == 0, "non-zero reserved src refused");
    tap_ok(ebpf_disasm(&resv, 1, 0, line, 4) == 0 && strlen(line) == 3, "output truncated to cap");
    int n = ebpf_asm("mov %r0, 5", 10, a, 2, NULL);
    tap_ok(n == 1, "NULL error pointer accepted");
    static char many[8192];
    size_t len = 0;
    for (unsigned i = 0; i <= EBPF_ASM_MAX_LABELS; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len, "l%u: exit\n", i);
    n = ebpf_asm(many, len, a, ET_MAX, &e);
    tap_ok(n < 0 && strstr(e.msg, "too many labels") && e.line == EBPF_ASM_MAX_LABELS + 1,
           "label %u refused: %s", EBPF_ASM_MAX_LABELS + 1, e.msg);
    n = ebpf_asm(many, len - strlen("lXXX: exit\n"), a, ET_MAX, &e);
    tap_ok(n == (int)EBPF_ASM_MAX_LABELS, "%u labels accepted", EBPF_ASM_MAX_LABELS);
}

int main(void)
{
    et_init();
    encodings();
    canonical_text();
    conformance_round_trip("../shared/vectors/bpf_conformance");
    opcode_round_trip();
    errors();
    return tap_done();
}
