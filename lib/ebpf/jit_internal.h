/* jit_internal.h - state shared by the JIT's code generator (jit.c) and its peepholes
 * (jit_peep.c); internal to lib/ebpf. */
#ifndef PLADOF_LIB_EBPF_JIT_INTERNAL_H
#define PLADOF_LIB_EBPF_JIT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/ebpf/jit.h"
#include "lib/ebpf/jit_x86.h"

/* eBPF register -> x86-64 register (see jit.c). */
static const int8_t map_reg[EBPF_NREGS] = { RAX, RDI, RSI, RDX, RCX, R8, RBX, R13, R14, R15, RBP };

/* off[] entries: code offset in the low 29 bits and three flags kept across passes: the target
 * of a backward jump (a loop head), the target of any jump or local call (peepholes never swallow
 * one), and "this instruction's branch needs rel32" (set once a rel8 did not reach). */
#define LOOP_HEAD 0x80000000u
#define IS_TARGET 0x40000000u
#define LONG_BR 0x20000000u
#define OFF_MASK 0x1fffffffu

struct jit {
    struct xbuf b;
    const struct ebpf_prog *prog;
    const struct ebpf_env *env;
    uint32_t *off;          /* off[pc] = code offset of instruction pc; off[len] = epilogue */
    size_t epilogue;
    bool blind;             /* constant blinding (EBPF_JIT_BLIND) */
    uint64_t seed, key;     /* blinding key stream, restarted at `seed` on every pass */
    bool sizing;            /* first pass: forward targets unknown, every branch assumed rel8 */
    bool changed;           /* this pass moved an offset or widened a branch */
    bool force_long;        /* fallback after MAX_PASSES: every program branch rel32 */
    bool local_calls;       /* the program has bpf-to-bpf calls (liveness must be careful) */
};

/* Branch from instruction pc to instruction `to` (cc < 0: jmp), rel8 when it reaches. */
void ebpf_jit_emit_branch(struct jit *j, uint32_t pc, int cc, uint32_t to);
/* Records instruction pc's code offset for this pass. */
void ebpf_jit_set_off(struct jit *j, uint32_t pc);
/* x86 condition code of a conditional eBPF jump (not JSET). */
int ebpf_jit_cond_cc(uint8_t op);
/* Emits a peephole form for the instructions starting at pc if one applies; returns how many
 * instructions it covered (0: none, emit pc normally). */
uint32_t ebpf_jit_fuse(struct jit *j, uint32_t pc);

#endif
