/* mlkem_threads.c - ML-KEM from several threads at once, under ThreadSanitizer.
 *
 * The library keeps no state between calls except the code-path setting (dispatch.c) and the
 * cached CPU features, so concurrent KeyGen/Encaps/Decaps on separate buffers must neither race
 * nor disturb each other. Four threads each run round trips at all three levels (two on the
 * default path, and every thread checks its keys against a single-threaded run made first);
 * TSan reports any data race and fails the program. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lib/crypto/mlkem/mlkem.h"
#include "tests/crypto/mlkem_util.h"
#include "tests/lib/tap.h"

#define NTHREADS 4
#define ROUNDS 6

static const int levels[3] = { 512, 768, 1024 };
static uint8_t want_ss[NTHREADS][ROUNDS][3][32];

/* One thread's work; seeds depend on (thread, round, level) only. Returns mismatches. */
static int work(int id, int record)
{
    int bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int l = 0; l < 3; l++) {
            const struct mlkem_params *p = mlkem_params_get(levels[l]);
            uint8_t seed[64], m[32], ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss[32], ss2[32];
            struct mk_rng g;
            mk_seed(&g, (uint64_t)(id * 1000 + r * 10 + l));
            mk_bytes(&g, seed, sizeof seed);
            mk_bytes(&g, m, sizeof m);
            bad += mlkem_keygen_seed(levels[l], ek, p->ek_bytes, dk, p->dk_bytes, seed, 64) != 0;
            bad += mlkem_encaps_internal(levels[l], ct, p->ct_bytes, ss, ek, p->ek_bytes, m) != 0;
            bad += mlkem_decaps(levels[l], ss2, ct, p->ct_bytes, dk, p->dk_bytes) != 0;
            bad += memcmp(ss, ss2, 32) != 0;
            if (record)
                memcpy(want_ss[id][r][l], ss, 32);
            else
                bad += memcmp(want_ss[id][r][l], ss, 32) != 0;
        }
    }
    return bad;
}

static void *thread_main(void *arg)
{
    int id = (int)(intptr_t)arg;
    return (void *)(intptr_t)work(id, 0);
}

int main(void)
{
    int bad = 0;
    for (int i = 0; i < NTHREADS; i++)
        bad += work(i, 1);
    tap_eq(bad, 0, "single-threaded reference runs succeed");

    pthread_t t[NTHREADS];
    int started = 0;
    for (int i = 0; i < NTHREADS; i++)
        started += pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)i) == 0;
    tap_eq(started, NTHREADS, "%d threads started", NTHREADS);
    bad = 0;
    for (int i = 0; i < started; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        bad += (int)(intptr_t)rv;
    }
    tap_eq(bad, 0, "%d threads x %d rounds x 3 levels concurrently: same keys as single-threaded", NTHREADS, ROUNDS);
    return tap_done();
}
