/* engines.h - the engines the conformance runner drives, behind one call. */
#ifndef PLADOF_TOOLS_BPF_CONFORMANCE_ENGINES_H
#define PLADOF_TOOLS_BPF_CONFORMANCE_ENGINES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/vm.h"

enum { ENGINE_INTERP = 0, ENGINE_JIT = 1, ENGINE_JIT_BLIND = 2, ENGINE_COUNT = 3 };
/* "all" = the two engines; the constant-blinding JIT is selected explicitly. */
#define ENGINE_ALL ((1u << ENGINE_INTERP) | (1u << ENGINE_JIT))

extern const char *const engine_names[ENGINE_COUNT];

/* "interp", "jit", "jitblind" or "all" -> bit mask (0 if unknown). */
unsigned engine_parse(const char *s);

/* Runs prog on engine e with input mem[0..len); stores r0. Returns 0 or -1 with msg set. */
int engine_run(unsigned e, const struct ebpf_prog *prog, const struct ebpf_env *env,
               struct ebpf_run *run, void *mem, size_t len, uint64_t *r0, char *msg, size_t cap);

#endif
