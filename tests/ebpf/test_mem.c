/* test_mem.c - loads, stores, sign-extending loads and atomics on every engine; the checked
 * interpreter's run-time faults (out-of-bounds, misaligned atomics, budget); and the structural
 * check's refusals, each with the instruction it names. */
#include "tests/ebpf/ebpf_test.h"

static const uint8_t pkt[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x80 };

static void loads_stores(void)
{
    et_expect_mem("ldxb", "ldxb %r0, [%r1+1]\nexit", pkt, sizeof(pkt), 0x22);
    et_expect_mem("ldxh", "ldxh %r0, [%r1+2]\nexit", pkt, sizeof(pkt), 0x4433);
    et_expect_mem("ldxw", "ldxw %r0, [%r1+4]\nexit", pkt, sizeof(pkt), 0x88776655);
    et_expect_mem("ldxdw", "ldxdw %r0, [%r1+8]\nexit", pkt, sizeof(pkt), 0x80ffeeddccbbaa99ull);
    et_expect_mem("ldxdw unaligned", "ldxdw %r0, [%r1+3]\nexit", pkt, sizeof(pkt), 0xbbaa998877665544ull);
    et_expect_mem("ldxsb negative", "ldxsb %r0, [%r1+15]\nexit", pkt, sizeof(pkt), 0xffffffffffffff80ull);
    et_expect_mem("ldxsb positive", "ldxsb %r0, [%r1+0]\nexit", pkt, sizeof(pkt), 0x11);
    et_expect_mem("ldxsh", "ldxsh %r0, [%r1+14]\nexit", pkt, sizeof(pkt), 0xffffffffffff80ffull);
    et_expect_mem("ldxsw", "ldxsw %r0, [%r1+12]\nexit", pkt, sizeof(pkt), 0xffffffff80ffeeddull);
    et_expect_mem("negative offset", "mov %r3, %r1\nadd %r3, 8\nldxb %r0, [%r3-7]\nexit", pkt,
                  sizeof(pkt), 0x22);
    et_expect_mem("r2 is the length", "mov %r0, %r2\nexit", pkt, sizeof(pkt), 16);
    et_expect("stb/sth/stw/stdw",
              "stdw [%r10-8], -1\nstb [%r10-8], 0x12\nsth [%r10-6], 0x3456\nstw [%r10-4], 0x789a\n"
              "ldxdw %r0, [%r10-8]\nexit", 0x0000789a3456ff12ull);
    et_expect("stdw imm sign-extends", "stdw [%r10-8], -2\nldxdw %r0, [%r10-8]\nexit", (uint64_t)-2);
    et_expect("stxb from r2 (sil)", "mov %r2, 0x1ab\nstxb [%r10-1], %r2\nldxb %r0, [%r10-1]\nexit", 0xab);
    et_expect("stxh/stxw/stxdw",
              "lddw %r1, 0x1122334455667788\nstxdw [%r10-16], %r1\nstxw [%r10-8], %r1\n"
              "stxh [%r10-4], %r1\nldxdw %r0, [%r10-8]\nldxdw %r3, [%r10-16]\nxor %r0, %r3\nexit",
              0x0000778855667788ull ^ 0x1122334455667788ull);
    et_expect("store through r5 (r8) base", "mov %r5, %r10\nstw [%r5-4], 7\nldxw %r0, [%r10-4]\nexit", 7);
    et_expect("store through r7 (r13) base", "mov %r7, %r10\nstw [%r7-4], 9\nldxw %r0, [%r7-4]\nexit", 9);
    et_expect("stack is 512 bytes", "stdw [%r10-512], 3\nldxdw %r0, [%r10-512]\nexit", 3);
    et_expect_mem("store into input", "stb [%r1+0], 0x7f\nldxb %r0, [%r1+0]\nexit", pkt, sizeof(pkt), 0x7f);
}

static void atomics(void)
{
    et_expect("lock add", "stdw [%r10-8], 5\nmov %r1, 3\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit", 8);
    et_expect("lock fetch add", "stdw [%r10-8], 5\nmov %r1, 3\nlock fetch add [%r10-8], %r1\n"
              "ldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r1\nexit", 0x805);
    et_expect("lock fetch add32 zero-extends", "stdw [%r10-8], -1\nlddw %r1, 0x100000001\n"
              "lock fetch add32 [%r10-8], %r1\nmov %r0, %r1\nexit", 0xffffffff);
    et_expect("lock or/and/xor", "stdw [%r10-8], 0xf0\nmov %r1, 0x0f\nlock or [%r10-8], %r1\n"
              "mov %r1, 0x3c\nlock and [%r10-8], %r1\nmov %r1, 0xff\nlock xor [%r10-8], %r1\n"
              "ldxdw %r0, [%r10-8]\nexit", 0xc3);
    et_expect("lock fetch or", "stdw [%r10-8], 0x10\nmov %r1, 1\nlock fetch or [%r10-8], %r1\n"
              "ldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r1\nexit", 0x1110);
    et_expect("lock fetch and32", "stw [%r10-4], 0x33\nmov %r1, 0x0f\nlock fetch and32 [%r10-4], %r1\n"
              "ldxw %r0, [%r10-4]\nlsh %r0, 8\nor %r0, %r1\nexit", 0x0333);
    et_expect("lock fetch xor into r0", "stdw [%r10-8], 6\nmov %r0, 3\nlock fetch xor [%r10-8], %r0\n"
              "ldxdw %r1, [%r10-8]\nlsh %r1, 8\nor %r0, %r1\nexit", 0x0506);
    et_expect("lock fetch or32 base r0", "mov %r0, %r10\nstw [%r10-4], 1\nmov %r3, 2\n"
              "lock fetch or32 [%r0-4], %r3\nldxw %r0, [%r10-4]\nlsh %r0, 4\nor %r0, %r3\nexit", 0x31);
    et_expect("lock xchg", "stdw [%r10-8], 7\nmov %r1, 9\nlock xchg [%r10-8], %r1\n"
              "ldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r1\nexit", 0x907);
    et_expect("lock xchg32", "stdw [%r10-8], -1\nmov %r1, 9\nlock xchg32 [%r10-8], %r1\n"
              "ldxdw %r0, [%r10-8]\nexit", 0xffffffff00000009ull);
    et_expect("cmpxchg success", "stdw [%r10-8], 7\nmov %r0, 7\nmov %r1, 9\n"
              "lock cmpxchg [%r10-8], %r1\nldxdw %r2, [%r10-8]\nlsh %r2, 8\nor %r0, %r2\nexit", 0x907);
    et_expect("cmpxchg failure", "stdw [%r10-8], 7\nmov %r0, 6\nmov %r1, 9\n"
              "lock cmpxchg [%r10-8], %r1\nldxdw %r2, [%r10-8]\nlsh %r2, 8\nor %r0, %r2\nexit", 0x707);
    et_expect("cmpxchg32 r0 zero-extended on success", "stw [%r10-4], 7\nlddw %r0, 0x500000007\n"
              "mov %r1, 9\nlock cmpxchg32 [%r10-4], %r1\nexit", 7);
    et_expect("cmpxchg32 failure", "stw [%r10-4], 7\nlddw %r0, 0x500000006\n"
              "mov %r1, 9\nlock cmpxchg32 [%r10-4], %r1\nexit", 7);
}

static void faults(void)
{
    et_expect_fail("load past input end", ET_CHECKED, "ldxw %r0, [%r1+14]\nexit", pkt, sizeof(pkt), EBPF_EFAULT);
    et_expect_fail("load before input", ET_CHECKED, "ldxb %r0, [%r1-1]\nexit", pkt, sizeof(pkt), EBPF_EFAULT);
    et_expect_fail("load from null", ET_CHECKED, "mov %r1, 0\nldxb %r0, [%r1]\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("store above stack", ET_CHECKED, "stb [%r10+0], 1\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("store below all stacks", ET_CHECKED, "stb [%r10-4097], 1\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("empty input has no bytes", ET_CHECKED, "ldxb %r0, [%r1]\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("atomic past stack", ET_CHECKED, "mov %r1, 1\nlock add [%r10-4], %r1\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("misaligned atomic", ET_CHECKED, "mov %r1, 1\nlock add [%r10-12], %r1\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("infinite loop hits budget", ET_CHECKED, "l: ja l\nexit", NULL, 0, EBPF_EBUDGET);
    et_expect_fail("wild pointer via arithmetic", ET_CHECKED,
                   "lddw %r1, 0x1000\nstxdw [%r1+0], %r1\nexit", NULL, 0, EBPF_EFAULT);
    /* The fault report names the instruction. */
    static struct ebpf_insn insns[ET_MAX];
    int n = et_asm("mov %r0, 0\nmov %r0, 1\nldxb %r0, [%r1+100]\nexit", insns);
    uint64_t r0;
    int rc = et_exec(ET_CHECKED, insns, n, pkt, sizeof(pkt), &r0);
    tap_ok(rc == EBPF_EFAULT && et_run_.fault.pc == 2, "fault names instruction 2 (got %u: %s)",
           et_run_.fault.pc, et_run_.fault.msg);
}

/* Structural check: each bad program is refused with its own code and instruction index. */
static void check_refuses(const char *name, const struct ebpf_insn *insns, uint32_t n, int code,
                          uint32_t pc)
{
    struct ebpf_prog p = { insns, n, NULL, 0 };
    struct ebpf_error err;
    int rc = ebpf_prog_check(&p, &et_env, &err);
    if (!tap_ok(rc == code && err.pc == pc, "check refuses %s (%s at %u)", name, ebpf_strerror(code), pc))
        tap_diag("  got %s at %u: %s", ebpf_strerror(rc), err.pc, err.msg);
    /* Engines refuse it too, without running anything. */
    uint64_t r0;
    ebpf_run_init(&et_run_, &et_env, NULL, 0, EBPF_RUN_CHECKED, 0);
    tap_eq(ebpf_interp_exec(&p, &et_run_, &r0), code, "interpreter refuses %s", name);
    struct ebpf_jit_prog jp;
    tap_eq(ebpf_jit_compile_host(&p, &et_env, &jp, &err), code, "JIT refuses %s", name);
}

#define I(op, d, s, o, imm) ebpf_insn_make((op), (d), (s), (o), (imm))
#define EXIT I(EBPF_OP_EXIT, 0, 0, 0, 0)

static void structure(void)
{
    struct ebpf_insn a[] = { I(0xff, 0, 0, 0, 0), EXIT };
    check_refuses("unknown opcode", a, 2, EBPF_EOPCODE, 0);
    struct ebpf_insn b[] = { I(EBPF_ALU64 | EBPF_K | EBPF_MOV, 10, 0, 0, 1), EXIT };
    check_refuses("write to r10", b, 2, EBPF_EREG, 0);
    struct ebpf_insn c[] = { I(EBPF_ALU64 | EBPF_X | EBPF_MOV, 0, 11, 0, 0), EXIT };
    check_refuses("source register 11", c, 2, EBPF_EREG, 0);
    struct ebpf_insn d[] = { I(EBPF_OP_JA, 0, 0, 5, 0), EXIT };
    check_refuses("jump past the end", d, 2, EBPF_EJUMP, 0);
    struct ebpf_insn e[] = { I(EBPF_OP_JA, 0, 0, -2, 0), EXIT };
    check_refuses("jump before the start", e, 2, EBPF_EJUMP, 0);
    struct ebpf_insn f[] = { I(EBPF_OP_JA, 0, 0, 1, 0), I(EBPF_OP_LDDW, 0, 0, 0, 1), I(0, 0, 0, 0, 0), EXIT };
    check_refuses("jump into lddw", f, 4, EBPF_EJUMP, 0);
    struct ebpf_insn g[] = { I(EBPF_ALU64 | EBPF_K | EBPF_MOV, 0, 0, 0, 1), I(EBPF_OP_LDDW, 0, 0, 0, 1) };
    check_refuses("truncated lddw", g, 2, EBPF_EJUMP, 1);
    struct ebpf_insn h[] = { I(EBPF_ALU64 | EBPF_K | EBPF_MOV, 0, 0, 0, 1) };
    check_refuses("falls off the end", h, 1, EBPF_EJUMP, 0);
    struct ebpf_insn i[] = { I(EBPF_OP_CALL, 0, 0, 0, 40), EXIT };
    check_refuses("unregistered helper", i, 2, EBPF_EHELPER, 0);
    struct ebpf_insn j[] = { I(EBPF_OP_LDDW, 1, EBPF_PSEUDO_MAP_IDX, 0, 0), I(0, 0, 0, 0, 0), EXIT };
    check_refuses("missing map", j, 3, EBPF_EMAP, 0);
    struct ebpf_insn k[] = { I(EBPF_OP_CALL, 0, EBPF_CALL_LOCAL, 0, 7), EXIT };
    check_refuses("local call out of range", k, 2, EBPF_EJUMP, 0);
    struct ebpf_insn l[] = { I(EBPF_ALU64 | EBPF_K | EBPF_ADD, 0, 0, 3, 1), EXIT };
    check_refuses("reserved offset set", l, 2, EBPF_EINVAL, 0);
    struct ebpf_insn m[] = { I(EBPF_LD | EBPF_ABS | EBPF_W, 0, 0, 0, 0), EXIT };
    check_refuses("legacy ABS load", m, 2, EBPF_EOPCODE, 0);
    struct ebpf_insn o[] = { I(EBPF_STX | EBPF_ATOMIC | EBPF_DW, 10, 1, -8, 0x77), EXIT };
    check_refuses("unknown atomic op", o, 2, EBPF_EOPCODE, 0);
    struct ebpf_insn q[] = { I(EBPF_ALU | EBPF_X | EBPF_MOV, 0, 1, 32, 0), EXIT };
    check_refuses("movsx32 in ALU32", q, 2, EBPF_EINVAL, 0);
    struct ebpf_insn r[] = { I(EBPF_ALU | EBPF_END, 0, 0, 0, 8), EXIT };
    check_refuses("byte swap width 8", r, 2, EBPF_EINVAL, 0);
    struct ebpf_insn s[] = { I(EBPF_LDX | EBPF_MEMSX | EBPF_DW, 0, 1, 0, 0), EXIT };
    check_refuses("ldxsdw", s, 2, EBPF_EOPCODE, 0);
    struct ebpf_insn t[] = { I(EBPF_OP_CALL, 0, EBPF_CALL_HELPER_BTF, 0, 1), EXIT };
    check_refuses("BTF helper call", t, 2, EBPF_EOPCODE, 0);
    struct ebpf_prog empty = { a, 0, NULL, 0 };
    tap_eq(ebpf_prog_check(&empty, &et_env, NULL), EBPF_EINVAL, "check refuses an empty program");
    struct ebpf_prog huge = { a, EBPF_MAX_INSNS + 1, NULL, 0 };
    tap_eq(ebpf_prog_check(&huge, &et_env, NULL), EBPF_E2BIG, "check refuses an oversized program");
}

int main(void)
{
    et_init();
    loads_stores();
    atomics();
    faults();
    structure();
    return tap_done();
}
