/* ev_race.c - in-QEMU test of the cancel-versus-completion race of asynchronous operations
 * (FRAMEWORK 3.1.5, kernel/core/async.h), hammered from two CPUs: a service context on CPU 1 spins
 * receiving and completing requests as fast as it can while init on CPU 0 submits requests on four
 * tokens and cancels them after a varying delay. Every operation must resolve exactly one way:
 *  - cancel returned 0  => the result read is EXO_ECANCELED and the notification says CANCELLED;
 *  - cancel returned EXO_EALREADY => the result is the service's value and the notification DONE;
 * and the two sides must agree: the service's successful completions equal the operations whose
 * cancel lost, its completions refused with EXO_ECANCELED are operations whose cancel won after the
 * service had received them, and each operation produced exactly one notification. The outcome counts
 * are printed (how often each side won depends on timing; no count is asserted beyond consistency). */
#include "user/rt/rt.h"

#include <pladof/exo_ev.h>

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define ROUNDS    500
#define NTOK      4

static uint64_t Q, AS, D;
static volatile uint64_t d_svc, stop_flag;
static volatile uint64_t s_ok, s_canceled, s_err, s_recv;

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

_Noreturn void service_main(uint64_t unused);
_Noreturn void service_main(uint64_t unused)
{
    for (;;) {
        struct exo_service_request q;
        int64_t r = exo_service_receive(d_svc, &q);
        if (r == 0) {
            s_recv++;
            /* work of 0 .. 350 us: widens the window in which a cancel meets a received request */
            int64_t until = exo_get_system_time() + (int64_t)(q.w[0] % 8) * 50000;
            while (exo_get_system_time() < until) {
            }
            int64_t c = exo_service_complete(d_svc, q.id, q.w[0] + 1000);
            if (c == 0)
                s_ok++;
            else if (c == EXO_ECANCELED)
                s_canceled++;
            else
                s_err++;
        } else if (r != EXO_EAGAIN) {
            s_err++;
        } else if (stop_flag) {
            for (;;)
                exo_syscall1(KEXO_SYS_EXIT, 0);
        }
    }
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "race: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    D = (uint64_t)exo_domain_create(Q);
    int64_t stack = exo_alloc_mem_pages(Q, 1, 0);
    tap_ok((int64_t)D > 0 && stack > 0 && exo_map_pages(AS, (uint64_t)stack, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, 1) == 0,
           "race: domain D and a stack");
    int64_t ev = exo_evset_create(Q), svc = exo_service_create(Q, 0, 0);
    int64_t tok[NTOK];
    int ok = ev > 0 && svc > 0;
    for (unsigned k = 0; k < NTOK; k++)
        ok &= (tok[k] = exo_async_token_create(Q)) > 0;
    d_svc = (uint64_t)exo_cap_copy((uint64_t)svc, D, EXO_R_SVC_SERVE);
    tap_ok(ok && (int64_t)d_svc > 0, "race: a notify set, a service (D may serve it) and %u tokens", NTOK);
    int64_t c = exo_cpu_context_alloc(D, AS);
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)service_main;
    r.r[EXO_CTX_RSP] = STACKS_VA + PG - 8;
    tap_ok(c > 0 && exo_cpu_context_write_regs((uint64_t)c, &r) == 0 &&
           exo_cpu_context_set_budget((uint64_t)c, 1000000, 1) == 0 && exo_cpu_context_start((uint64_t)c) == 0,
           "race: the service context spins on CPU 1");

    uint64_t cancel_won = 0, complete_won = 0, bad = 0, notes_done = 0, notes_cancelled = 0, notes_bad = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        int64_t cr[NTOK];
        for (unsigned k = 0; k < NTOK; k++) {
            uint64_t p[4] = {round * NTOK + k, 0, 0, 0};
            if (exo_submit_async_op((uint64_t)tok[k], (uint64_t)svc, p, (uint64_t)ev, k) != 0)
                bad++;
        }
        /* a delay that sweeps across the service's receive/complete window: 0 .. 630 us */
        int64_t until = exo_get_system_time() + (int64_t)(round % 64) * 10000;
        while (exo_get_system_time() < until) {
        }
        for (unsigned k = 0; k < NTOK; k++)
            cr[k] = exo_cancel_async_op((uint64_t)tok[k]);
        for (unsigned k = 0; k < NTOK; k++) {
            int64_t res = 0;
            if (!WAIT_UNTIL(exo_poll_async_op((uint64_t)tok[k], &res) == 0, 2000)) {
                bad++;
                continue;
            }
            if (cr[k] == 0 && res == EXO_ECANCELED)
                cancel_won++;
            else if (cr[k] == EXO_EALREADY && res == (int64_t)(round * NTOK + k + 1000))
                complete_won++;
            else
                bad++;
        }
        struct exo_event e;
        while (exo_event_wait((uint64_t)ev, 0, &e) == 0) {
            if (e.kind == EXO_EV_ASYNC && e.a[1] == EXO_TOK_DONE)
                notes_done++;
            else if (e.kind == EXO_EV_ASYNC && e.a[1] == EXO_TOK_CANCELLED && e.a[2] == 0)
                notes_cancelled++;
            else
                notes_bad++;
        }
    }
    stop_flag = 1;
    uint64_t n = (uint64_t)ROUNDS * NTOK;
    tap_ok(bad == 0 && cancel_won + complete_won == n,
           "race: each of %lu operations resolved exactly one way (cancel won %lu, completion won %lu, inconsistent %lu)",
           (unsigned long)n, (unsigned long)cancel_won, (unsigned long)complete_won, (unsigned long)bad);
    tap_ok(WAIT_UNTIL(s_recv == s_ok + s_canceled + s_err, 2000), "race: the service is quiet");
    tap_ok(s_err == 0, "race: the service saw no unexpected errors (%lu)", (unsigned long)s_err);
    tap_eq(s_ok, complete_won, "race: the service's successful completions are exactly the operations whose cancel lost");
    tap_ok(s_canceled <= cancel_won, "race: its refused completions (%lu) are among the cancelled operations (%lu)",
           (unsigned long)s_canceled, (unsigned long)cancel_won);
    tap_ok(notes_done == complete_won && notes_cancelled == cancel_won && notes_bad == 0,
           "race: one notification per operation (DONE %lu, CANCELLED %lu, other %lu)", (unsigned long)notes_done,
           (unsigned long)notes_cancelled, (unsigned long)notes_bad);
    tap_diag("outcomes: cancel before receive %lu, cancel after receive (service refused) %lu, completion first %lu",
             (unsigned long)(cancel_won - s_canceled), (unsigned long)s_canceled, (unsigned long)complete_won);
    int64_t res;
    int freed = 1;
    for (unsigned k = 0; k < NTOK; k++)
        freed &= exo_poll_async_op((uint64_t)tok[k], &res) == EXO_EBADSTATE;
    tap_ok(freed, "race: every result was read exactly once (the tokens are FREE)");
    tap_ok(WAIT_UNTIL(exo_cpu_context_read_regs((uint64_t)c, &r) == 0, 2000), "race: the service context exited");
    tap_eq(kexo_check(), 0, "race: kernel invariant check");
    return tap_done();
}
