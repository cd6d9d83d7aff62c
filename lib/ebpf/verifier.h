/* verifier.h - static safety verifier for PLADOF eBPF programs (docs/EBPF-VERIFIER.md).
 *
 * ebpf_verify() decides, before any run, whether a program is safe to execute on the
 * interpreter or the JIT without run-time checks:
 *   - structure: known opcodes, valid registers, no write to r10, jumps and calls inside the
 *     program and never into the second slot of an lddw, no fall-through off the end or between
 *     subprograms, every instruction reachable;
 *   - termination: every path ends, proven by abstract interpretation that explores paths
 *     (bounded loops are unrolled) under a total budget of explored instructions, with pruning of
 *     states already proven safe;
 *   - memory safety: every load and store inside the stack frame, a map value or the proven part
 *     of the input buffer, stack reads only of initialised bytes, no null map-value dereference;
 *   - no address leaks: pointers never stored into map values or the input, never returned,
 *     never turned into scalars by arithmetic other than same-region subtraction;
 *   - helper calls type-checked against the prototypes registered in the environment (vm.h).
 *
 * The program's input model is the engines' (vm.h): at entry r1 points at the input buffer and
 * r2 holds its length. The verifier learns how many input bytes exist from `min_input` (bytes the
 * caller guarantees) and from comparisons of the length in r2 (or copies of it) with constants.
 *
 * Freestanding and allocation-free: the caller supplies a work area for explored states. */
#ifndef PLADOF_LIB_EBPF_VERIFIER_H
#define PLADOF_LIB_EBPF_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/insn.h"
#include "lib/ebpf/vm.h"

#define EBPF_VERIFIER_DEFAULT_BUDGET 1000000u   /* explored instructions */
#define EBPF_VERIFIER_MAX_INPUT 65535u          /* largest input offset ever allowed */
#define EBPF_VERIFIER_MAX_MAPS 64u

/* The shape of one map the program may reference (index = lddw imm). */
struct ebpf_verifier_map {
    uint32_t type, key_size, value_size, max_entries;
};

struct ebpf_verifier_cfg {
    const struct ebpf_env *env;      /* helper prototypes; NULL = no helper may be called */
    const struct ebpf_verifier_map *maps;
    uint32_t nmaps;
    uint32_t min_input;              /* input bytes guaranteed to exist at every run */
    bool input_writable;             /* may the program store into the input buffer? */
    uint64_t budget;                 /* explored-instruction budget; 0 = the default */
};

struct ebpf_verifier_result {
    int ok;                          /* 1 accepted, 0 rejected */
    uint32_t pc;                     /* rejected: the instruction at fault */
    char msg[160];                   /* rejected: "insn 12: r3 is uninitialised" */
    uint64_t explored;               /* instructions abstractly executed */
    uint32_t states_stored;          /* states kept for pruning */
    uint32_t states_pruned;          /* paths cut because a stored state covered them */
    uint32_t max_depth;              /* deepest call-frame count seen */
};

/* Work area needed for programs of up to `max_insns` slots: a convenient default (bytes). */
#define EBPF_VERIFIER_WORK_DEFAULT (8u << 20)

/* Verifies prog[0..len) under cfg. `work` is scratch memory (8-byte aligned) of `work_size`
 * bytes; larger areas allow more states to be kept for pruning (needs at least a few hundred
 * KiB for big programs; too small an area is reported as a rejection "out of verifier memory").
 * Returns 0 if accepted, -1 if rejected (res->msg says why). res must not be NULL. */
int ebpf_verify(const struct ebpf_insn *prog, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                void *work, size_t work_size, struct ebpf_verifier_result *res);

#endif
