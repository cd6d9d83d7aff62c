/* test_jmp.c - every jump condition in both widths with signed/unsigned edge values, ja and
 * ja32, local calls (argument passing, r6-r9 preserved, a stack per frame, nesting, recursion
 * depth limit), callx, helper 5's early exit. */
#include <stdio.h>

#include "tests/ebpf/ebpf_test.h"

/* Returns 1 if "jXX a, b" is taken, else 0; a and b are 64-bit values loaded with lddw. */
static void cond(const char *op, uint64_t a, uint64_t b, int taken, bool reg_form)
{
    char text[512], name[128];
    if (reg_form)
        snprintf(text, sizeof(text),
                 "lddw %%r1, 0x%llx\nlddw %%r2, 0x%llx\nmov %%r0, 1\n%s %%r1, %%r2, +1\nmov %%r0, 0\nexit",
                 (unsigned long long)a, (unsigned long long)b, op);
    else
        snprintf(text, sizeof(text),
                 "lddw %%r1, 0x%llx\nmov %%r0, 1\n%s %%r1, %lld, +1\nmov %%r0, 0\nexit",
                 (unsigned long long)a, op, (long long)(int32_t)b);
    snprintf(name, sizeof(name), "%s 0x%llx, %s0x%llx %s", op, (unsigned long long)a,
             reg_form ? "reg " : "imm ", (unsigned long long)b, taken ? "taken" : "not taken");
    et_expect(name, text, (uint64_t)taken);
}

static void conditions(void)
{
    const uint64_t neg1 = UINT64_MAX, min64 = 0x8000000000000000ull;
    cond("jeq", 5, 5, 1, true);
    cond("jeq", 5, 6, 0, false);
    cond("jne", 5, 6, 1, true);
    cond("jgt", neg1, 1, 1, true);          /* unsigned: 2^64-1 > 1 */
    cond("jsgt", neg1, 1, 0, true);         /* signed: -1 > 1 is false */
    cond("jge", 7, 7, 1, false);
    cond("jlt", 1, neg1, 1, true);
    cond("jle", 8, 7, 0, true);
    cond("jsge", min64, 0, 0, true);
    cond("jslt", min64, 0, 1, true);
    cond("jsle", 0, 0, 1, false);
    cond("jset", 0x10, 0x30, 1, true);
    cond("jset", 0x10, 0x20, 0, false);
    cond("jlt", 5, (uint64_t)-1, 1, false); /* imm -1 sign-extends to 2^64-1 */
    cond("jsgt", 0, (uint64_t)-1, 1, false);
    /* 32-bit compares look only at the low halves. */
    cond("jeq32", 0x100000005ull, 5, 1, false);
    cond("jeq", 0x100000005ull, 5, 0, false);
    cond("jgt32", 0x1ffffffffull, 0x2, 1, true);
    cond("jsgt32", 0x1ffffffffull, 0x2, 0, true);   /* low half -1 */
    cond("jslt32", 0x80000000ull, 0, 1, false);
    cond("jsge32", 0x7fffffffull, 0x80000000ull, 1, true);
    cond("jle32", 0xffffffff00000000ull, 0, 1, false);
    cond("jne32", 0x0000000100000000ull, 0, 0, true);
    cond("jset32", 0x100000000ull, 0x100000000ull, 0, true);
    cond("jlt32", 1, 0xffffffffull, 1, false);
    cond("jge32", 0xffffffffull, 0xffffffffull, 1, false);
    cond("jsle32", 0xfffffffeull, 0xffffffffull, 1, true); /* -2 <= -1 */
}

static void unconditional(void)
{
    et_expect("ja forward", "mov %r0, 1\nja +1\nmov %r0, 2\nexit", 1);
    et_expect("ja backward loop", "mov %r0, 0\nmov %r1, 10\nl: add %r0, 3\nsub %r1, 1\njne %r1, 0, l\nexit", 30);
    et_expect("ja32 forward", "mov %r0, 1\nja32 over\nmov %r0, 2\nover: exit", 1);
    et_expect("ja +0", "mov %r0, 4\nja +0\nexit", 4);
    et_expect("jump over lddw", "mov %r0, 1\nja +2\nlddw %r0, 5\nexit", 1);
}

static void local_calls(void)
{
    et_expect("call local passes r1-r5, returns r0",
              "mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall local f\nexit\n"
              "f: mov %r0, %r1\nadd %r0, %r2\nadd %r0, %r3\nadd %r0, %r4\nadd %r0, %r5\nexit", 15);
    et_expect("call local preserves r6-r9",
              "mov %r6, 6\nmov %r7, 7\nmov %r8, 8\nmov %r9, 9\ncall local f\n"
              "mov %r0, %r6\nadd %r0, %r7\nadd %r0, %r8\nadd %r0, %r9\nexit\n"
              "f: mov %r6, 0\nmov %r7, 0\nmov %r8, 0\nmov %r9, 0\nexit", 30);
    et_expect("each frame has its own stack",
              "stdw [%r10-8], 11\ncall local f\nldxdw %r0, [%r10-8]\nexit\n"
              "f: stdw [%r10-8], 22\nexit", 11);
    et_expect("callee frame is 512 bytes below",
              "mov %r6, %r10\ncall local f\nexit\n"
              "f: mov %r0, %r6\nsub %r0, %r10\nexit", 512);
    et_expect("caller stack reachable by pointer",
              "stdw [%r10-8], 33\nmov %r1, %r10\ncall local f\nexit\n"
              "f: ldxdw %r0, [%r1-8]\nexit", 33);
    et_expect("nested calls",
              "mov %r1, 1\ncall local a\nexit\n"
              "a: add %r1, 1\ncall local b\nadd %r0, 100\nexit\n"
              "b: add %r1, 1\nmov %r0, %r1\nexit", 103);
    et_expect("recursion to depth 7 is allowed",
              "mov %r1, 0\ncall local f\nexit\n"
              "f: add %r1, 1\njge %r1, 7, done\ncall local f\ndone: mov %r0, %r1\nexit", 7);
    for (int e = 0; e < ET_ENGINES; e++)
        et_expect_fail("recursion to depth 8", e,
                       "mov %r1, 0\ncall local f\nexit\n"
                       "f: add %r1, 1\njge %r1, 8, done\ncall local f\ndone: mov %r0, %r1\nexit",
                       NULL, 0, EBPF_EDEPTH);
    for (int e = 0; e < ET_ENGINES; e++)
        et_expect_fail("unbounded recursion", e, "f: call local f\nexit", NULL, 0, EBPF_EDEPTH);
    et_expect("exit from a subprogram returns to the caller",
              "call local f\nadd %r0, 1\nexit\nf: mov %r0, 41\nexit", 42);
}

static void calls_to_helpers(void)
{
    et_expect("callx helper 5 continues when r1 != 0",
              "mov %r1, 7\nmov %r2, 5\ncallx %r2\nadd %r0, 1\nexit", 8);
    et_expect("call 5 with 0 ends the program with r0 = 0",
              "mov %r6, 9\nmov %r1, 0\ncall 5\nmov %r0, %r6\nexit", 0);
    et_expect("unwind from a nested frame",
              "mov %r0, 3\ncall local f\nmov %r0, 99\nexit\nf: mov %r1, 0\ncall 5\nmov %r0, 98\nexit", 0);
    et_expect("helper calls clobber r1-r5 to 0",
              "mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall 5\n"
              "mov %r0, %r1\nor %r0, %r2\nor %r0, %r3\nor %r0, %r4\nor %r0, %r5\nexit", 0);
    et_expect("helper calls keep r6-r9",
              "mov %r6, 6\nmov %r9, 9\nmov %r1, 1\ncall 5\nmov %r0, %r6\nadd %r0, %r9\nexit", 15);
    for (int e = 0; e < ET_ENGINES; e++)
        et_expect_fail("callx of an unregistered id", e, "mov %r2, 40\ncallx %r2\nexit", NULL, 0,
                       EBPF_ECALLX);
    for (int e = 0; e < ET_ENGINES; e++)
        et_expect_fail("callx of a huge id", e, "mov %r2, -1\ncallx %r2\nexit", NULL, 0, EBPF_ECALLX);
}

int main(void)
{
    et_init();
    conditions();
    unconditional();
    local_calls();
    calls_to_helpers();
    return tap_done();
}
