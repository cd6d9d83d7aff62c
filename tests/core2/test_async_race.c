/* test_async_race.c - the cancel-vs-completion race hammered from two threads under ThreadSanitizer
 * (build/tsan). Phase 1: the lock-free protocol steps: in every round one thread completes while the
 * other cancels, then both try to read the result; exactly one of complete/cancel wins, the result is
 * read exactly once and is the winner's (the value, or EXO_ECANCELED), and the token is FREE again.
 * Phase 2: the whole operations under the core lock: a client submits, polls and cancels while a
 * service thread receives and completes; every request ends exactly once. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "kernel/core/async.h"
#include "tests/core2/fake_c2env.h"
#include "tests/lib/tap.h"

#define ROUNDS 20000

static struct async_token tok;
static pthread_barrier_t bar;
static int won[2][ROUNDS];            /* 1 if thread i's complete/cancel succeeded in round r */
static int got[2][ROUNDS];            /* 1 if thread i read the result in round r */
static int64_t val[2][ROUNDS];

static void *racer(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        if (me == 0)
            async_try_claim(&tok);  /* FREE -> PENDING, before the barrier */
        pthread_barrier_wait(&bar);
        if (me == 0)
            won[0][r] = async_try_complete(&tok, 1000 + r) == 0;
        else
            won[1][r] = async_try_cancel(&tok) == 0;
        int64_t v = 0;
        got[me][r] = async_try_consume(&tok, &v) == 1;
        val[me][r] = v;
        pthread_barrier_wait(&bar);
    }
    return NULL;
}

/* Phase 2 */
static struct svc_queue sq;
static struct async_token toks[8];
static atomic_int stop_service;
static long service_completed, service_lost;

static void *service(void *arg)
{
    while (!atomic_load(&stop_service)) {
        uint64_t c = capenv_lock();
        struct async_token *t = svc_receive(&sq);
        if (t) {
            int r = async_complete(t, (int64_t)t->params[0]);
            if (r == 0)
                service_completed++;
            else if (r == EXO_ECANCELED)
                service_lost++;
        }
        capenv_unlock(c);
    }
    return NULL;
}

int main(void)
{
    fake_c2env_reset();
    async_token_init(&tok, 1);
    pthread_barrier_init(&bar, NULL, 2);
    pthread_t a, b;
    pthread_create(&a, NULL, racer, (void *)0);
    pthread_create(&b, NULL, racer, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    int both = 0, none = 0, reads_bad = 0, value_bad = 0, cwins = 0;
    for (int r = 0; r < ROUNDS; r++) {
        both += won[0][r] && won[1][r];
        none += !won[0][r] && !won[1][r];
        reads_bad += got[0][r] + got[1][r] != 1;
        int64_t v = got[0][r] ? val[0][r] : val[1][r];
        value_bad += won[0][r] ? v != 1000 + r : v != EXO_ECANCELED;
        cwins += won[0][r];
    }
    tap_eq(both, 0, "%d rounds: complete and cancel never both succeeded", ROUNDS);
    tap_eq(none, 0, "exactly one of them won every round");
    tap_eq(reads_bad, 0, "the result was read exactly once per round");
    tap_eq(value_bad, 0, "the reader got the winner's outcome (value or ECANCELED)");
    tap_eq(tok.state, TOK_FREE, "the token ended FREE");
    tap_diag("completion won %d of %d rounds", cwins, ROUNDS);

    /* Phase 2 */
    struct sched s;
    sched_init(&s, 1);
    core2_timers_init();
    async_reset(&s);
    svc_queue_init(&sq, 8);
    for (int i = 0; i < 8; i++)
        async_token_init(&toks[i], (uint32_t)i + 1);
    pthread_t sv;
    pthread_create(&sv, NULL, service, NULL);
    long submitted = 0, cancelled = 0, results = 0, bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct async_token *t = &toks[i % 8];
        uint64_t c = capenv_lock();
        int64_t v;
        int pr = async_poll(t, &v);
        if (pr == 1) {
            results++;
            bad += v != EXO_ECANCELED && (v < 0 || v >= ROUNDS);
        }
        if (pr != EXO_EAGAIN) {
            uint64_t p[4] = {(uint64_t)i, 0, 0, 0};
            if (async_submit_service(t, &sq, p, NULL, 0) == 0)
                submitted++;
        } else if (i % 5 == 0 && async_cancel(t) == 0) {
            cancelled++;
        }
        capenv_unlock(c);
        sched_yield();  /* let the service thread at the lock */
    }
    /* Drain: wait for or cancel what is left, then read every result. */
    for (int i = 0; i < 8; i++) {
        uint64_t c = capenv_lock();
        async_cancel(&toks[i]);
        capenv_unlock(c);
    }
    atomic_store(&stop_service, 1);
    pthread_join(sv, NULL);
    for (int i = 0; i < 8; i++) {
        int64_t v;
        if (async_poll(&toks[i], &v) == 1)
            results++;
    }
    tap_eq(bad, 0, "every result read was a request's own value or ECANCELED");
    tap_eq(results, submitted, "every one of %ld submitted requests ended exactly once", submitted);
    tap_ok(service_completed > 0 && cancelled > 0, "the service completed %ld, lost %ld to cancel; client cancelled %ld",
           service_completed, service_lost, cancelled);
    return tap_done();
}
