/* core2_env.h - what the embedding kernel supplies to the scheduling/event/timer/grant/async core
 * (kernel/core/ctx*, sched*, event*, timer*, grant*, async*), beyond the capability core's cap_env.h.
 *
 * The portable core makes every decision (which context runs, what an upcall frame holds, whether a
 * copy is allowed); the kernel does the machine work through these hooks. /work/coord/core2-kernel.md
 * and docs/SCHED-EVENTS.md describe the contract. Hosted tests define them in tests/core2/fake_c2env.c.
 *
 * Locking: every function of the core2 modules is called with the core lock (capenv_lock) held,
 * except the token-state transitions of async.h, which are lock-free compare-and-swap operations. The
 * hooks below are called with the lock held and must not take it. */
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
 * grant windows; 0 or EXO_EFAULT if a page is not mapped (a window may cover unmapped memory). */
int c2env_copy(struct aspace *dst_as, uaddr_t dst, struct aspace *src_as, uaddr_t src, size_t n);
/* Asks CPU `cpu` to call sched_tick soon (a reschedule IPI): its current context was stopped,
 * migrated away, or a context was made runnable on its queue while it idles. */
void c2env_kick_cpu(unsigned cpu);

/* ---- ABI additions this core needs (requested in syscalls.tbl / exo.h; see core2-kernel.md) ----
 * Defined here only until the generated header has them, with the values requested. */
#ifndef EXO_EBUSY
#define EXO_EBUSY      (-18)  /* state: the token still holds an unread result, or is pending */
#endif
#ifndef EXO_EAGAIN
#define EXO_EAGAIN     (-19)  /* state: the operation has not completed yet (poll) */
#endif
#ifndef EXO_ECANCELED
#define EXO_ECANCELED  (-20)  /* state: the operation was cancelled (its result) */
#endif
#ifndef EXO_EALREADY
#define EXO_EALREADY   (-21)  /* state: cancel lost the race: the operation had already completed */
#endif
#ifndef EXO_ETIMEDOUT
#define EXO_ETIMEDOUT  (-22)  /* state: the deadline passed before the event or completion */
#endif
#ifndef EXO_EBADSTATE
#define EXO_EBADSTATE  (-23)  /* state: the context or token is in a state that forbids the call */
#endif

/* Rights on CPU-context capabilities (bits above the capability core's EXO_R_ALL). */
#ifndef EXO_R_CTX_START
#define EXO_R_CTX_START     (1u << 10)  /* make runnable, resume after stop, directed yield to it */
#define EXO_R_CTX_STOP      (1u << 11)  /* stop */
#define EXO_R_CTX_READREGS  (1u << 12)  /* read the register state of a stopped context */
#define EXO_R_CTX_WRITEREGS (1u << 13)  /* write the register state of a stopped/created context */
#define EXO_R_CTX_BUDGET    (1u << 14)  /* set the time budget and the CPU */
#endif

#endif
