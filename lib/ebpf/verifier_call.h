/* verifier_call.h - helper calls, bpf-to-bpf calls and exits (verifier_call.c). */
#ifndef PLADOF_LIB_EBPF_VERIFIER_CALL_H
#define PLADOF_LIB_EBPF_VERIFIER_CALL_H

#include <stdint.h>

#include "lib/ebpf/verifier_internal.h"

/* Checks and applies a call to helper `id` at pc. Returns 0 or rejects. */
int vcall_helper(struct vctx *c, uint32_t pc, int32_t id);
/* Enters the subprogram called at pc; *next gets its first instruction. */
int vcall_local(struct vctx *c, uint32_t pc, uint32_t *next);
/* Exit at pc: VSTEP_END from the main program, VSTEP_NEXT (with *next) from a subprogram. */
int vexit(struct vctx *c, uint32_t pc, uint32_t *next);

#endif
