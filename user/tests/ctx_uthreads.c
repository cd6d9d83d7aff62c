/* ctx_uthreads.c - in-QEMU test: a LibOS-style user-level scheduler runs 100 user threads on 2 CPU
 * contexts (FRAMEWORK 3.2.1, issue 4). The kernel only time-slices the two contexts; each has a
 * preemption upcall (exo_cpu_context_set_upcall). When a context's slice ends, its next slice starts
 * at the LibOS handler with the preempted thread's registers in the upcall frame: the handler saves
 * them into that thread's control block, puts it at the tail of the LibOS's run queue (shared by both
 * contexts, under a spinlock), takes the head and continues it with exo_upcall_return. Upcalls are
 * masked inside the handler, so a preemption there resumes the handler in place and the lock is
 * never held across a switch to the same context.
 *
 * Every thread spins, counting its own iterations; the LibOS retires a thread after TURNS turns. A
 * context whose queue is empty exits. Checked: all 100 threads finish with exactly TURNS turns each,
 * every thread made progress, both contexts ran threads; the spread of work per thread (fairness) is
 * printed, not asserted (TCG timing). */
#include "user/tests/ctx_util.h"

#define PG        4096ull
#define NTHREADS  100
#define NCTX      2
#define TURNS     3
#define TSTK_VA   0x70000000ull /* one page of stack per thread */
#define USTK_VA   0x70800000ull /* per context: its upcall stack (page 2k) and start stack (2k+1) */

struct uthread {
    struct exo_ctx_regs regs;
    uint8_t fpu[EXO_FPU_BYTES] __attribute__((aligned(16))); /* its FPU state, from the upcall frame */
    uint64_t turns;
    uint64_t done;
};
static struct uthread th[NTHREADS];
static volatile uint64_t work[NTHREADS];
static volatile uint64_t ran_on[NCTX], retired, lock_word, sched_errors;
static struct uthread *cur[NCTX];
/* the run queue: a ring of thread indices */
static unsigned rq[NTHREADS], rq_head, rq_n;

/* The scheduler's lock; the word holds 1 + the context that has it. A context preempted while it holds
 * it (its first slice can end anywhere on a loaded host) gets its upcall with the lock still taken by
 * itself: sched_upcall then resumes it where it was instead of waiting for itself. */
static void lock_as(unsigned k)
{
    uint64_t free_ = 0;
    while (!__atomic_compare_exchange_n(&lock_word, &free_, k + 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        free_ = 0;
        while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED))
            __asm__ volatile("pause");
    }
}
static void unlock(void) { __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE); }

_Noreturn void thread_main(uint64_t i);
_Noreturn void thread_main(uint64_t i)
{
    for (;;)
        work[i]++;
}

/* Under the lock: the next thread for context k (NULL: none left), counted as one more turn. */
static struct uthread *pick(unsigned k)
{
    if (rq_n == 0)
        return 0;
    struct uthread *t = &th[rq[rq_head]];
    rq_head = (rq_head + 1) % NTHREADS;
    rq_n--;
    t->turns++;
    ran_on[k]++;
    return t;
}

static _Noreturn void run(unsigned k, struct uthread *t)
{
    cur[k] = t;
    if (!t)
        ctx_exit(); /* nothing left to run: this context is done */
    exo_upcall_return(&t->regs, t->fpu);
    sched_errors++;
    ctx_exit();
}

/* The preemption upcall: k is found from the frame's place (each context has its own upcall stack). */
_Noreturn void sched_upcall(struct exo_upcall_frame *f);
_Noreturn void sched_upcall(struct exo_upcall_frame *f)
{
    unsigned k = (unsigned)(((uint64_t)f - USTK_VA) / (2 * PG));
    if (f->reason != EXO_UPCALL_PREEMPTED || k >= NCTX) {
        sched_errors++;
        ctx_exit();
    }
    if (__atomic_load_n(&lock_word, __ATOMIC_ACQUIRE) == k + 1) { /* preempted inside the scheduler itself */
        exo_upcall_return(&f->regs, f->fpu);
        sched_errors++;
        ctx_exit();
    }
    lock_as(k);
    struct uthread *t = cur[k];
    if (t) {
        t->regs = f->regs;
        memcpy(t->fpu, f->fpu, sizeof t->fpu);
        if (t->turns >= TURNS) {
            t->done = 1;
            retired++;
        } else {
            rq[(rq_head + rq_n) % NTHREADS] = (unsigned)(t - th);
            rq_n++;
        }
    }
    struct uthread *n = pick(k);
    unlock();
    run(k, n);
}

/* Each context starts here (on its start stack) and takes its first thread. */
_Noreturn void sched_start(uint64_t k);
_Noreturn void sched_start(uint64_t k)
{
    lock_as((unsigned)k);
    struct uthread *n = pick((unsigned)k);
    unlock();
    run((unsigned)k, n);
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "uthreads: init got its boot information"))
        return tap_done();
    uint64_t Q = rt_boot->root_quota, AS = rt_boot->aspace;
    int64_t ts = exo_alloc_mem_pages(Q, NTHREADS, 0), us = exo_alloc_mem_pages(Q, 2 * NCTX, 0);
    tap_ok(ts > 0 && us > 0 && exo_map_pages(AS, (uint64_t)ts, TSTK_VA, EXO_MAP_R | EXO_MAP_W, 0, NTHREADS) == 0 &&
           exo_map_pages(AS, (uint64_t)us, USTK_VA, EXO_MAP_R | EXO_MAP_W, 0, 2 * NCTX) == 0,
           "uthreads: %u thread stacks and the contexts' stacks mapped", NTHREADS);
    for (unsigned i = 0; i < NTHREADS; i++) {
        th[i].regs.r[EXO_CTX_RIP] = (uint64_t)thread_main;
        th[i].regs.r[EXO_CTX_RSP] = TSTK_VA + (i + 1) * PG - 8;
        th[i].regs.r[EXO_CTX_RDI] = i;
        th[i].regs.r[EXO_CTX_RFLAGS] = 0x202;
        th[i].fpu[0] = 0x7f, th[i].fpu[1] = 0x03;   /* FCW 0x37F */
        th[i].fpu[24] = 0x80, th[i].fpu[25] = 0x1f; /* MXCSR 0x1F80 */
        rq[i] = i;
    }
    rq_n = NTHREADS;

    int64_t L = exo_domain_create(Q), c[NCTX];
    int ok = L > 0;
    for (unsigned k = 0; k < NCTX; k++) {
        c[k] = ctx_make((uint64_t)L, AS, sched_start, USTK_VA + (2 * k + 2) * PG, k, k); /* CPU 0 and CPU 1 */
        ok &= c[k] > 0 && exo_cpu_context_set_upcall((uint64_t)c[k], (uint64_t)sched_upcall, USTK_VA + (2 * k + 1) * PG) == 0;
    }
    tap_ok(ok, "uthreads: the LibOS domain and its %u contexts (CPUs 0 and 1), each with a preemption upcall", NCTX);
    int64_t t0 = exo_get_system_time();
    for (unsigned k = 0; k < NCTX; k++)
        exo_cpu_context_start((uint64_t)c[k]);
    ok = WAIT_UNTIL(ctx_stopped(c[0]) && ctx_stopped(c[1]), 40000);
    int64_t ms = (exo_get_system_time() - t0) / 1000000;
    tap_ok(ok, "uthreads: both contexts ran out of threads and exited (%ld ms)", (long)ms);
    tap_eq(sched_errors, 0, "uthreads: every upcall was a preemption and every upcall_return succeeded");
    tap_eq(retired, NTHREADS, "uthreads: all %u threads finished", NTHREADS);
    unsigned exact = 0, moved = 0;
    uint64_t wmin = ~0ull, wmax = 0, wsum = 0;
    for (unsigned i = 0; i < NTHREADS; i++) {
        exact += th[i].turns == TURNS && th[i].done;
        moved += work[i] > 0;
        wmin = work[i] < wmin ? work[i] : wmin;
        wmax = work[i] > wmax ? work[i] : wmax;
        wsum += work[i];
    }
    tap_eq(exact, NTHREADS, "uthreads: each thread got exactly %u turns", TURNS);
    tap_eq(moved, NTHREADS, "uthreads: each thread made progress");
    tap_ok(ran_on[0] > 0 && ran_on[1] > 0 && ran_on[0] + ran_on[1] == NTHREADS * TURNS,
           "uthreads: both contexts ran threads (%lu + %lu turns)", ran_on[0], ran_on[1]);
    tap_diag("fairness: iterations per thread min %lu, mean %lu, max %lu (max/min %lu.%02lu); %u turns each",
             wmin, wsum / NTHREADS, wmax, wmin ? wmax / wmin : 0, wmin ? (wmax * 100 / wmin) % 100 : 0, TURNS);
    exo_cap_revoke((uint64_t)L);
    exo_cap_delete((uint64_t)L);
    exo_unmap_pages(AS, TSTK_VA, NTHREADS);
    exo_unmap_pages(AS, USTK_VA, 2 * NCTX);
    exo_free_mem_pages((uint64_t)ts);
    exo_free_mem_pages((uint64_t)us);
    tap_eq(kexo_check(), 0, "uthreads: kernel invariant check");
    return tap_done();
}
