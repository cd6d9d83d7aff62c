/* jit_live.h - the JIT's register-liveness question (internal to lib/ebpf): may the JIT skip
 * writing an eBPF register because no path reads it before it is overwritten? Used by the
 * peepholes in jit.c that fold a load into a compare. */
#ifndef PLADOF_LIB_EBPF_JIT_LIVE_H
#define PLADOF_LIB_EBPF_JIT_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/ebpf/vm.h"

/* True when register `reg` is dead on entry to instruction `pc`: every path from there
 * overwrites it before reading it, or ends at an exit that cannot observe it. The search is
 * bounded (a few dozen instructions); whatever it cannot prove within the bound counts as
 * live, so a false answer is always safe. `local_calls`: the program has bpf-to-bpf calls, so
 * an `exit` may return r1-r9 to a caller and counts as reading every register. */
bool ebpf_jit_reg_dead(const struct ebpf_prog *prog, uint32_t pc, int reg, bool local_calls);

#endif
