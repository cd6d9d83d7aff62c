/* mldsa_ct_test.c - constant-time check of ML-DSA key generation and signing, meant to run
 * under valgrind memcheck (tests/crypto/mldsa_ct.sh). The seed, the secret key and rnd are
 * marked undefined; memcheck then reports any branch or memory index that depends on them.
 * The library is built for this test with -DPLADOF_CT_VALGRIND (build tree build/mldsa-ct), so
 * its MLDSA_DECLASSIFY points - the one-bit outcome of each rejection check an attempt reaches,
 * c~, the accept bit of RejBoundedPoly and the accepted signature, see docs/crypto/MLDSA.md -
 * mark exactly those values defined again (mldsa_ct.sh pins that list).
 * Outputs are marked defined before they are checked, so the checks themselves are not
 * reported. With --selftest the program branches on a secret on purpose: memcheck must
 * report it (proves the harness can fail). */
#include <stdint.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/mldsa.h"
#include "tests/lib/tap.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX], sig[MLDSA_SIG_MAX];

static void run(const mldsa_params *p, const char *path, uint8_t tag)
{
    uint8_t seed[32], rnd[32], msg[64], mu[64];
    for (unsigned i = 0; i < 32; i++)
        seed[i] = (uint8_t)(i * 7 + tag), rnd[i] = (uint8_t)(i ^ tag);
    for (unsigned i = 0; i < 64; i++)
        msg[i] = (uint8_t)(i + tag);

    SECRET(seed, sizeof seed);
    int e = mldsa_keygen_internal(p, pk, sk, seed, sizeof seed);
    PUBLIC(pk, p->pk_bytes);
    tap_eq(e, MLDSA_OK, "%s %s: keygen with a secret seed", p->name, path);

    SECRET(sk, p->sk_bytes);
    SECRET(rnd, sizeof rnd);
    e = mldsa_sign_rnd(p, sig, sk, p->sk_bytes, msg, sizeof msg, (const uint8_t *)"ct", 2, rnd);
    PUBLIC(sig, p->sig_bytes);
    tap_ok(e == MLDSA_OK && mldsa_verify(p, pk, p->pk_bytes, msg, sizeof msg, (const uint8_t *)"ct", 2, sig,
                                         p->sig_bytes) == MLDSA_OK,
           "%s %s: hedged sign with secret sk and rnd; signature verifies", p->name, path);

    e = mldsa_sign_deterministic(p, sig, sk, p->sk_bytes, msg, sizeof msg, NULL, 0);
    PUBLIC(sig, p->sig_bytes);
    tap_ok(e == MLDSA_OK && mldsa_verify(p, pk, p->pk_bytes, msg, sizeof msg, NULL, 0, sig, p->sig_bytes) == MLDSA_OK,
           "%s %s: deterministic sign with secret sk", p->name, path);

    tap_eq(mldsa_compute_mu(p, mu, pk, p->pk_bytes, msg, sizeof msg, NULL, 0), MLDSA_OK, "%s %s: mu", p->name, path);
    e = mldsa_sign_mu(p, sig, sk, p->sk_bytes, mu, rnd);
    PUBLIC(sig, p->sig_bytes);
    tap_ok(e == MLDSA_OK && mldsa_verify_mu(p, pk, p->pk_bytes, mu, sig, p->sig_bytes) == MLDSA_OK,
           "%s %s: external-mu sign with secret sk and rnd", p->name, path);
    PUBLIC(sk, p->sk_bytes);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--selftest") == 0) {
        volatile uint8_t secret[1] = { 0x42 };
        SECRET((void *)secret, 1);
        if (secret[0] == 0x42) /* a deliberate secret-dependent branch */
            tap_ok(1, "selftest: branched on a secret byte (memcheck must report it)");
        else
            tap_ok(1, "selftest: branched on a secret byte the other way (memcheck must report it)");
        return tap_done();
    }
    const mldsa_params *ps[3] = { &mldsa44_params, &mldsa65_params, &mldsa87_params };
    for (int vec = 0; vec < 2; vec++) {
        cpu_features_force_portable(!vec);
        const char *path = vec ? "avx2" : "portable";
        if (vec && !cpu_features_get().avx2) {
            tap_skip("avx2 path", "CPU (as seen under valgrind) has no AVX2");
            continue;
        }
        for (int k = 0; k < 3; k++)
            run(ps[k], path, (uint8_t)(k + 16 * vec));
    }
    return tap_done();
}
