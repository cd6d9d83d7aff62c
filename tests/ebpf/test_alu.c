/* test_alu.c - ALU and ALU64 semantics on every engine, with the RFC 9669 corner cases:
 * 32-bit results zero-extended, shift counts masked to the width, division by zero (0) and
 * modulo by zero (dst kept), INT_MIN / -1 and INT_MIN % -1, sign extension of immediates and
 * of movsx, and the byte-swap family. */
#include "tests/ebpf/ebpf_test.h"

static void arithmetic(void)
{
    et_expect("add64", "mov %r0, 5\nadd %r0, 7\nexit", 12);
    et_expect("add64 wraps", "lddw %r0, 0xffffffffffffffff\nadd %r0, 2\nexit", 1);
    et_expect("add32 zero-extends", "lddw %r0, 0x1ffffffff\nadd32 %r0, 1\nexit", 0);
    et_expect("sub64 negative", "mov %r0, 3\nsub %r0, 5\nexit", (uint64_t)-2);
    et_expect("sub32 negative", "mov %r0, 3\nsub32 %r0, 5\nexit", 0xfffffffe);
    et_expect("mul64 reg", "mov %r0, -3\nmov %r1, 7\nmul %r0, %r1\nexit", (uint64_t)-21);
    et_expect("mul32 truncates", "mov %r0, 0x10000\nmul32 %r0, 0x10000\nexit", 0);
    et_expect("mul64 imm sign-extended", "mov %r0, 2\nmul %r0, -1\nexit", (uint64_t)-2);
    et_expect("neg64", "mov %r0, 5\nneg %r0\nexit", (uint64_t)-5);
    et_expect("neg32", "mov %r0, 5\nneg32 %r0\nexit", 0xfffffffb);
    et_expect("neg64 INT64_MIN", "lddw %r0, 0x8000000000000000\nneg %r0\nexit", 0x8000000000000000ull);
    et_expect("or/and/xor", "mov %r0, 0xf0\nor %r0, 0x0f\nand %r0, 0x3c\nxor %r0, 0xff\nexit", 0xc3);
    et_expect("and64 imm sign-extends", "lddw %r0, 0xffffffff00000000\nand %r0, -1\nexit",
              0xffffffff00000000ull);
    et_expect("and32 clears top", "lddw %r0, 0xffffffffffffffff\nand32 %r0, -1\nexit", 0xffffffff);
    et_expect("mov32 zero-extends", "lddw %r0, 0xffffffffffffffff\nmov32 %r0, %r0\nexit", 0xffffffff);
    et_expect("mov64 imm sign-extends", "mov %r0, -1\nexit", UINT64_MAX);
    et_expect("mov32 imm", "mov32 %r0, -1\nexit", 0xffffffff);
}

static void division(void)
{
    et_expect("div64", "mov %r0, 100\ndiv %r0, 7\nexit", 14);
    et_expect("div64 by zero reg", "mov %r0, 100\nmov %r1, 0\ndiv %r0, %r1\nexit", 0);
    et_expect("div32 by zero imm", "mov %r0, 100\ndiv32 %r0, 0\nexit", 0);
    et_expect("mod64 by zero keeps dst", "lddw %r0, 0x123456789\nmov %r1, 0\nmod %r0, %r1\nexit",
              0x123456789ull);
    et_expect("mod32 by zero zero-extends", "lddw %r0, 0x123456789\nmod32 %r0, 0\nexit", 0x23456789);
    et_expect("div64 imm -1 is 2^64-1 unsigned", "mov %r0, 100\ndiv %r0, -1\nexit", 0);
    et_expect("div64 max by imm -1", "mov %r0, -1\ndiv %r0, -1\nexit", 1);
    et_expect("div32 imm is 32-bit unsigned", "mov32 %r0, -1\ndiv32 %r0, -1\nexit", 1);
    et_expect("div32 uses low halves", "lddw %r0, 0x100000010\nlddw %r1, 0x100000002\ndiv32 %r0, %r1\nexit", 8);
    et_expect("div64 wide dividend (JIT slow path)", "lddw %r0, 0x300000000\ndiv %r0, 2\nexit", 0x180000000ull);
    et_expect("mod64 wide divisor", "mov %r0, 5\nlddw %r1, 0x100000000\nmod %r0, %r1\nexit", 5);
    et_expect("mod64 narrow operands (JIT fast path)", "mov32 %r0, 4000000000\nmov32 %r1, 3000000000\nmod %r0, %r1\nexit",
              1000000000);
    et_expect("sdiv64", "mov %r0, -100\nsdiv %r0, 7\nexit", (uint64_t)-14);
    et_expect("sdiv64 INT64_MIN / -1", "lddw %r0, 0x8000000000000000\nmov %r1, -1\nsdiv %r0, %r1\nexit",
              0x8000000000000000ull);
    et_expect("sdiv32 INT32_MIN / -1", "mov32 %r0, 0x80000000\nsdiv32 %r0, -1\nexit", 0x80000000);
    et_expect("sdiv64 by zero", "mov %r0, -5\nsdiv %r0, 0\nexit", 0);
    et_expect("smod64 sign of dividend", "mov %r0, -7\nsmod %r0, 3\nexit", (uint64_t)-1);
    et_expect("smod64 positive by negative", "mov %r0, 7\nsmod %r0, -3\nexit", 1);
    et_expect("smod64 INT64_MIN % -1", "lddw %r0, 0x8000000000000000\nsmod %r0, -1\nexit", 0);
    et_expect("smod32 INT32_MIN % -1", "mov32 %r0, 0x80000000\nmov %r1, -1\nsmod32 %r0, %r1\nexit", 0);
    et_expect("smod64 by zero keeps dst", "mov %r0, -7\nsmod %r0, 0\nexit", (uint64_t)-7);
    et_expect("smod32 by zero zero-extends", "mov %r0, -7\nsmod32 %r0, 0\nexit", 0xfffffff9);
    et_expect("sdiv32 negative", "mov32 %r0, -9\nsdiv32 %r0, 2\nexit", 0xfffffffc);
    et_expect("div with dst r3 (rdx)", "mov %r3, 50\nmov %r0, 9\ndiv %r3, 7\nmov %r0, %r3\nexit", 7);
    et_expect("mod with src r0 (rax)", "mov %r3, 50\nmov %r0, 7\nmod %r3, %r0\nadd %r0, %r3\nexit", 8);
}

static void shifts(void)
{
    et_expect("lsh64 by 63", "mov %r0, 1\nlsh %r0, 63\nexit", 0x8000000000000000ull);
    et_expect("lsh64 by 64 reg masks to 0", "mov %r0, 3\nmov %r1, 64\nlsh %r0, %r1\nexit", 3);
    et_expect("lsh64 by 65 reg masks to 1", "mov %r0, 3\nmov %r1, 65\nlsh %r0, %r1\nexit", 6);
    et_expect("lsh32 by 32 reg masks to 0", "mov %r0, 3\nmov %r1, 32\nlsh32 %r0, %r1\nexit", 3);
    et_expect("lsh32 drops high bits", "mov %r0, 3\nlsh32 %r0, 31\nexit", 0x80000000);
    et_expect("rsh64 logical", "mov %r0, -1\nrsh %r0, 60\nexit", 0xf);
    et_expect("rsh32 of 64-bit value", "mov %r0, -1\nrsh32 %r0, 28\nexit", 0xf);
    et_expect("arsh64", "mov %r0, -16\narsh %r0, 2\nexit", (uint64_t)-4);
    et_expect("arsh32 sign from bit 31", "mov32 %r0, 0x80000000\narsh32 %r0, 31\nexit", 0xffffffff);
    et_expect("arsh64 by reg 127 masks to 63", "mov %r0, -2\nmov %r1, 127\narsh %r0, %r1\nexit", UINT64_MAX);
    et_expect("shift count in r4 (rcx)", "mov %r0, 1\nmov %r4, 5\nlsh %r0, %r4\nexit", 32);
    et_expect("shift r4 by itself", "mov %r4, 3\nlsh %r4, %r4\nmov %r0, %r4\nexit", 24);
    et_expect("shift r4 by other", "mov %r4, 3\nmov %r2, 2\nlsh32 %r4, %r2\nmov %r0, %r4\nexit", 12);
    et_expect("shift keeps r4", "mov %r4, 9\nmov %r1, 1\nmov %r2, 2\nlsh %r1, %r2\nmov %r0, %r4\nexit", 9);
}

static void sign_extension(void)
{
    et_expect("movsx864", "mov %r1, 0x80\nmovsx864 %r0, %r1\nexit", 0xffffffffffffff80ull);
    et_expect("movsx1664", "mov %r1, 0x8001\nmovsx1664 %r0, %r1\nexit", 0xffffffffffff8001ull);
    et_expect("movsx3264", "mov32 %r1, 0x80000001\nmovsx3264 %r0, %r1\nexit", 0xffffffff80000001ull);
    et_expect("movsx832 zero-extends upper", "mov %r1, 0xff\nmovsx832 %r0, %r1\nexit", 0xffffffff);
    et_expect("movsx1632", "mov %r1, 0x7fff\nmovsx1632 %r0, %r1\nexit", 0x7fff);
    et_expect("movsx864 of r2 (sil)", "mov %r2, 0x1ff\nmovsx864 %r0, %r2\nexit", UINT64_MAX);
    et_expect("movsx864 positive", "mov %r1, 0x17f\nmovsx864 %r0, %r1\nexit", 0x7f);
}

static void byte_swaps(void)
{
    et_expect("le16 truncates", "lddw %r0, 0x1122334455667788\nle16 %r0\nexit", 0x7788);
    et_expect("le32 truncates", "lddw %r0, 0x1122334455667788\nle32 %r0\nexit", 0x55667788);
    et_expect("le64 keeps", "lddw %r0, 0x1122334455667788\nle64 %r0\nexit", 0x1122334455667788ull);
    et_expect("be16", "lddw %r0, 0x1122334455667788\nbe16 %r0\nexit", 0x8877);
    et_expect("be32", "lddw %r0, 0x1122334455667788\nbe32 %r0\nexit", 0x88776655);
    et_expect("be64", "lddw %r0, 0x1122334455667788\nbe64 %r0\nexit", 0x8877665544332211ull);
    et_expect("bswap16", "lddw %r0, 0x1122334455667788\nbswap16 %r0\nexit", 0x8877);
    et_expect("bswap32", "lddw %r0, 0x1122334455667788\nbswap32 %r0\nexit", 0x88776655);
    et_expect("bswap64", "lddw %r0, 0x1122334455667788\nbswap64 %r0\nexit", 0x8877665544332211ull);
    et_expect("be16 on r9 (r15)", "mov %r9, 0x1234\nbe16 %r9\nmov %r0, %r9\nexit", 0x3412);
}

static void registers(void)
{
    et_expect("all registers distinct",
              "mov %r0, 1\nmov %r1, 2\nmov %r2, 4\nmov %r3, 8\nmov %r4, 16\nmov %r5, 32\n"
              "mov %r6, 64\nmov %r7, 128\nmov %r8, 256\nmov %r9, 512\n"
              "add %r0, %r1\nadd %r0, %r2\nadd %r0, %r3\nadd %r0, %r4\nadd %r0, %r5\n"
              "add %r0, %r6\nadd %r0, %r7\nadd %r0, %r8\nadd %r0, %r9\nexit", 1023);
    et_expect("registers start at zero", "add %r0, %r3\nadd %r0, %r6\nadd %r0, %r9\nexit", 0);
    et_expect("r2 is the input length", "mov %r0, %r2\nexit", 0);
    et_expect("lddw large", "lddw %r5, 0x8000000000000001\nmov %r0, %r5\nexit", 0x8000000000000001ull);
    et_expect("lddw small", "lddw %r0, 7\nexit", 7);
    et_expect("lddw negative 32-bit", "lddw %r0, 0xffffffff80000000\nexit", 0xffffffff80000000ull);
}

int main(void)
{
    et_init();
    arithmetic();
    division();
    shifts();
    sign_extension();
    byte_swaps();
    registers();
    return tap_done();
}
