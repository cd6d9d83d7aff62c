/* smp_stress_async.h - the asynchronous-teardown activity of smp_stress.c: a client context on CPU 3 submits a
 * request to a fresh service and sleeps in exo_wait_async_op; init (CPU 0) then tears something down under
 * it, one of three ways per round:
 *  - the service is destroyed while the request is queued: the wait ends with 0 and the result EXO_ECANCELED;
 *  - a server context on CPU 2 has received the request, then the service is destroyed: the same for the
 *    client, and the server's completion is refused (its capability is gone: EXO_ESTALE or EXO_EBADHANDLE);
 *  - the token is destroyed under the sleeper: its wait returns EXO_ECANCELED (or, if the teardown came
 *    before the wait began, EXO_ESTALE / EXO_EBADHANDLE for the deleted handle).
 * Every wait is bounded (10 s); no other outcome is accepted. Included once, by smp_stress.c. */
#ifndef PLADOF_USER_TESTS_SMP_STRESS_ASYNC_H
#define PLADOF_USER_TESTS_SMP_STRESS_ASYNC_H

#include "user/tests/smp_stress_ctx.h"

#define TD_R 24

static volatile uint64_t td_gen, td_tok_h, td_submit_h, td_serve_h; /* round, D's handles for it */
static volatile uint64_t td_submitted, td_received, td_torn, td_cdone, td_sdone;
static volatile int64_t td_rc[TD_R + 1], td_res[TD_R + 1], td_complete_rc[TD_R + 1];

_Noreturn void td_client_main(uint64_t unused);
_Noreturn void td_client_main(uint64_t unused)
{
    for (uint64_t r = 1; r <= TD_R; r++) {
        if (!SPIN_UNTIL(__atomic_load_n(&td_gen, __ATOMIC_ACQUIRE) >= r || stop_all, 90000) || stop_all)
            break;
        struct exo_async_params p = {{r, 0, 0, 0}};
        int64_t res = 0, rc = exo_submit_async_op(td_tok_h, td_submit_h, &p, 0, 0);
        __atomic_store_n(&td_submitted, r, __ATOMIC_RELEASE);
        if (rc == 0)
            rc = exo_wait_async_op(td_tok_h, (uint64_t)now() + 10000000000ull, &res);
        else
            rc = 1000 + rc; /* the submit failed: not a teardown outcome */
        td_rc[r] = rc, td_res[r] = res;
        __atomic_store_n(&td_cdone, r, __ATOMIC_RELEASE);
    }
    smp_exit();
}

/* Serves only the rounds init tells it to (td_received is set when it holds the request). */
_Noreturn void td_server_main(uint64_t unused);
_Noreturn void td_server_main(uint64_t unused)
{
    for (uint64_t r = 3; r <= TD_R; r += 3) {
        if (!SPIN_UNTIL(__atomic_load_n(&td_gen, __ATOMIC_ACQUIRE) >= r || stop_all, 90000) || stop_all)
            break;
        struct exo_service_request q;
        int got = SPIN_UNTIL(exo_service_receive(td_serve_h, &q) == 0, 10000);
        __atomic_store_n(&td_received, got ? r : 0, __ATOMIC_RELEASE);
        SPIN_UNTIL(__atomic_load_n(&td_torn, __ATOMIC_ACQUIRE) >= r, 10000);
        td_complete_rc[r] = got ? exo_service_complete(td_serve_h, q.id, 7) : 1;
        __atomic_store_n(&td_sdone, r, __ATOMIC_RELEASE);
    }
    smp_exit();
}

static int td_gone(int64_t rc) { return rc == EXO_ESTALE || rc == EXO_EBADHANDLE; }

/* The rounds, driven by init; returns the rounds whose outcome was wrong (printing each), or TD_R + 1 when a
 * round did not finish in time. */
static uint64_t td_rounds(uint64_t qs, uint64_t dom)
{
    uint64_t wrong = 0;
    for (uint64_t r = 1; r <= TD_R; r++) {
        int64_t svc = exo_service_create(qs, 0, 0), tok = exo_async_token_create(qs);
        int64_t hs = svc > 0 ? exo_cap_copy((uint64_t)svc, dom, EXO_R_SVC_SUBMIT) : -1;
        int64_t hv = svc > 0 ? exo_cap_copy((uint64_t)svc, dom, EXO_R_SVC_SERVE) : -1;
        int64_t ht = tok > 0 ? exo_cap_copy((uint64_t)tok, dom, EXO_R_TOK_SUBMIT | EXO_R_TOK_RESULT) : -1;
        if (hs < 0 || hv < 0 || ht < 0)
            return TD_R + 1;
        td_submit_h = (uint64_t)hs, td_serve_h = (uint64_t)hv, td_tok_h = (uint64_t)ht;
        __atomic_store_n(&td_gen, r, __ATOMIC_RELEASE);
        unsigned kind = r % 3; /* 1: service destroyed, queued; 2: token destroyed; 0: service destroyed, received */
        int ok = SLEEP_UNTIL(td_submitted >= r, 10000);
        if (ok && kind == 0)
            ok = SLEEP_UNTIL(td_received == r, 10000);
        int64_t until = now() + (int64_t)(r % 5) * 100000; /* 0-400 us: before or during the sleep */
        while (ok && now() < until)
            exo_yield(0);
        if (kind == 2) {
            exo_cap_revoke((uint64_t)tok); /* the client's copy */
            exo_cap_delete((uint64_t)tok);
        } else {
            exo_cap_revoke((uint64_t)svc); /* the client's and the server's copies */
            exo_cap_delete((uint64_t)svc);
        }
        __atomic_store_n(&td_torn, r, __ATOMIC_RELEASE);
        if (!ok || !SLEEP_UNTIL(td_cdone >= r && (kind != 0 || td_sdone >= r), 15000)) {
            tap_diag("teardown round %lu (kind %u) did not finish: submitted %lu, received %lu, client done %lu (wait %ld, "
                     "result %ld), server done %lu", r, kind, td_submitted, td_received, td_cdone, td_rc[r], td_res[r], td_sdone);
            return TD_R + 1;
        }
        int good = kind == 2 ? (td_rc[r] == EXO_ECANCELED || td_gone(td_rc[r]))
                             : (td_rc[r] == 0 && td_res[r] == EXO_ECANCELED);
        if (kind == 0)
            good &= td_gone(td_complete_rc[r]);
        if (!good) {
            wrong++;
            tap_diag("teardown round %lu (kind %u): wait returned %ld (%s), result %ld, server's completion %ld", r, kind, td_rc[r],
                     exo_strerror(td_rc[r]), td_res[r], kind == 0 ? td_complete_rc[r] : 0);
        }
        if (kind == 2)
            exo_cap_revoke((uint64_t)svc), exo_cap_delete((uint64_t)svc);
        else
            exo_cap_revoke((uint64_t)tok), exo_cap_delete((uint64_t)tok);
    }
    return wrong;
}

#endif
