/* core2_env.h - what the embedding kernel supplies to the scheduling/event/timer/grant/async core
 * (kernel/core/ctx*, sched*, event*, timer*, grant*, async*), beyond the capability core's cap_env.h.
 *
 * The portable core makes every decision (which context runs, what an upcall frame holds, whether a
 * copy is allowed); the kernel does the machine work through these hooks. /work/coord/core2-kernel.md
 * and docs/SCHED-EVENTS.md describe the contract. Hosted tests define them in tests/core2/fake_c2env.c.
 *
 * Locking: every function of the core2 modules is called holding the shards of the core lock that
 * guard the state it touches (every shard, capenv_lock, where in doubt; docs/LOCKING.md has the table
 * of homes), except the token-state transitions of async.h, which are lock-free compare-and-swap
 * operations. The hooks below are called with shards held and must not take any. */
#ifndef PLADOF_KERNEL_CORE_CORE2_ENV_H
#define PLADOF_KERNEL_CORE_CORE2_ENV_H

#include <stddef.h>
#include <stdint.h>

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"

struct aspace;

/* Writes n bytes from kernel memory into address space `as` at user address va (used for upcall
 * frames: the preempted or faulting register state is written to the handler's stack). Fault-safe:
 * 0, or EXO_EFAULT if any byte is not mapped writable for the user in `as`. */
int c2env_user_write(struct aspace *as, uaddr_t va, const void *src, size_t n);
/* Copies n bytes from (src_as, src) to (dst_as, dst), both user addresses already checked against
 * grant windows; 0 or EXO_EFAULT if a page is not mapped (a window may cover unmapped memory).
 * Called holding at least one shard of the core lock: walk the page tables and copy through the direct
 * map (no user-mode access, so no page fault); mappings change only with every shard held, so every
 * frame stays in place for the whole copy. */
int c2env_copy(struct aspace *dst_as, uaddr_t dst, struct aspace *src_as, uaddr_t src, size_t n);
/* Asks CPU `cpu` to call sched_tick soon (a reschedule IPI): its current context was stopped,
 * migrated away, or a context was made runnable on its queue while it idles. */
void c2env_kick_cpu(unsigned cpu);
/* c, the current context of the calling CPU, stops being current (preempted, yields, blocks, stops):
 * the kernel saves whatever of c only this CPU's registers still hold (its FPU state), since another
 * CPU may take c from this CPU's queue before this CPU has switched away from it. */
struct ctx;
void c2env_ctx_leaves_cpu(struct ctx *c);
/* The index of the CPU the caller runs on (0..ncpus-1), for the system calls that act on the
 * caller's own context (yield). */
unsigned c2env_this_cpu(void);

/* The error codes EXO_EBUSY..EXO_EBADSTATE (-18..-23) and the EXO_R_CTX_* rights this core uses come from
 * the ABI (include/pladof/syscalls.tbl, exo.h). */

#endif
