/* fuzz_engines.c - libFuzzer harness: raw bytes as an eBPF program, run on every engine.
 *
 * Properties checked: the structural check never crashes on any bytes; the checked interpreter
 * never crashes on any program the check accepts (it faults instead, under ASan); and when the
 * checked run ends cleanly, the trusted interpreter and the JIT, plain and blinded - which do
 * no run-time checks - produce the same r0, the same stack and the same input buffer. That last property is what
 * lets the conformance runner use the checked interpreter as the JIT's gate. Every accepted
 * program also goes through the disassembler and back through the assembler unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/asm.h"
#include "lib/ebpf/jit.h"
#include "lib/ebpf/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ebpf_env env;
static struct ebpf_run run;
static uint8_t mem[64], snap_stack[sizeof(run.stack)], snap_mem[sizeof(mem)];

static uint64_t exec(int engine, const struct ebpf_prog *p, const struct ebpf_jit_prog *jp, int *rc)
{
    uint64_t r0 = 0;
    for (size_t i = 0; i < sizeof(mem); i++)
        mem[i] = (uint8_t)(i * 37 + 1);
    ebpf_run_init(&run, &env, mem, sizeof(mem), engine == 0 ? EBPF_RUN_CHECKED : 0, 4096);
    if (engine == 2)
        *rc = ebpf_jit_exec(jp, &run, &r0);
    else
        *rc = ebpf_interp_exec(p, &run, &r0);
    return r0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ebpf_insn insns[256];
    size_t n = size / 8 > 256 ? 256 : size / 8;
    if (!env.helpers[5])
        ebpf_env_init(&env);
    memcpy(insns, data, n * 8);
    struct ebpf_prog p = { insns, (uint32_t)n, NULL, 0 };
    if (ebpf_prog_check(&p, &env, NULL))
        return 0;
    for (uint32_t pc = 0; pc < p.len;) {
        char line[96];
        struct ebpf_insn back[2];
        int used = ebpf_disasm(insns, p.len, pc, line, sizeof(line));
        if (used == 0 || ebpf_asm(line, strlen(line), back, 2, NULL) != used)
            abort();    /* a checked program must be expressible in text */
        for (int k = 0; k < used; k++)
            if (ebpf_insn_word(back[k]) != ebpf_insn_word(insns[pc + k]))
                abort();
        pc += (uint32_t)used;
    }
    int rc;
    uint64_t want = exec(0, &p, NULL, &rc);
    if (rc)
        return 0;   /* a fault or budget stop in checked mode: the other engines are not run */
    memcpy(snap_stack, run.stack, sizeof(snap_stack));
    memcpy(snap_mem, mem, sizeof(mem));
    uint64_t got = exec(1, &p, NULL, &rc);
    if (rc || got != want || memcmp(snap_stack, run.stack, sizeof(snap_stack)) ||
        memcmp(snap_mem, mem, sizeof(mem)))
        abort();
    for (int blind = 0; blind < 2; blind++) {
        struct ebpf_jit_prog jp;
        struct ebpf_jit_opts opts = { blind ? EBPF_JIT_BLIND : 0, size };
        if (ebpf_jit_compile_host_opts(&p, &env, &opts, &jp, NULL))
            abort();
        got = exec(2, &p, &jp, &rc);
        ebpf_jit_free(&jp);
        if (rc || got != want || memcmp(snap_stack, run.stack, sizeof(snap_stack)) ||
            memcmp(snap_mem, mem, sizeof(mem)))
            abort();
    }
    return 0;
}
