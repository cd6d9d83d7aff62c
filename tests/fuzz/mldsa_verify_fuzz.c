/* mldsa_verify_fuzz.c - libFuzzer harness: public-key decoding and verification on arbitrary
 * bytes. Input: byte 0 picks the parameter set (mod 3), byte 1 the mode:
 *   mode 0  the rest is pk || sig || msg taken raw (lengths from the parameter set)
 *   mode 1  a genuine key and signature (made once at start-up) with the rest XOR-ed into the
 *           signature: near-valid signatures reach every check inside verification
 *   mode 2  the same, XOR-ed into the public key
 * Properties checked besides "no crash": a genuine signature verifies; a changed one never
 * does unless the change was empty; results are identical on the portable and AVX2 paths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/mldsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t gpk[3][MLDSA_PK_MAX], gsk[3][MLDSA_SK_MAX], gsig[3][MLDSA_SIG_MAX];
static const uint8_t gmsg[] = "fuzzed message";
static int ready;

static void setup(void)
{
    for (int k = 0; k < 3; k++) {
        const mldsa_params *p = mldsa_params_get(k == 0 ? 44 : k == 1 ? 65 : 87);
        uint8_t seed[32];
        memset(seed, 0x5A + k, sizeof seed);
        if (mldsa_keygen_internal(p, gpk[k], gsk[k], seed, 32) != MLDSA_OK ||
            mldsa_sign_deterministic(p, gsig[k], gsk[k], p->sk_bytes, gmsg, sizeof gmsg, NULL, 0) != MLDSA_OK)
            abort();
    }
    ready = 1;
}

static int verify_both(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *msg, size_t mlen,
                       const uint8_t *sig, size_t siglen)
{
    cpu_features_force_portable(1);
    int a = mldsa_verify(p, pk, pklen, msg, mlen, NULL, 0, sig, siglen);
    cpu_features_force_portable(0);
    int b = mldsa_verify(p, pk, pklen, msg, mlen, NULL, 0, sig, siglen);
    if (a != b)
        abort(); /* the two code paths disagree */
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pk[MLDSA_PK_MAX], sig[MLDSA_SIG_MAX];
    if (!ready)
        setup();
    if (size < 2)
        return 0;
    int k = data[0] % 3, mode = data[1] % 3;
    const mldsa_params *p = mldsa_params_get(k == 0 ? 44 : k == 1 ? 65 : 87);
    data += 2, size -= 2;

    if (mode == 0) {
        /* raw: as much pk and sig as there is (short inputs exercise the length checks) */
        size_t pklen = size < p->pk_bytes ? size : p->pk_bytes;
        size_t rest = size - pklen, siglen = rest < p->sig_bytes ? rest : p->sig_bytes;
        int r = verify_both(p, data, pklen, data + pklen + siglen, rest - siglen, data + pklen, siglen);
        if (r == MLDSA_OK && (pklen != p->pk_bytes || siglen != p->sig_bytes))
            abort();
        return 0;
    }
    memcpy(pk, gpk[k], p->pk_bytes);
    memcpy(sig, gsig[k], p->sig_bytes);
    uint8_t *target = mode == 1 ? sig : pk;
    size_t tlen = mode == 1 ? p->sig_bytes : p->pk_bytes, changed = 0;
    for (size_t i = 0; i < size && i < tlen; i++) {
        target[i] ^= data[i];
        changed |= data[i];
    }
    int r = verify_both(p, pk, p->pk_bytes, gmsg, sizeof gmsg, sig, p->sig_bytes);
    if ((r == MLDSA_OK) != (changed == 0))
        abort(); /* a genuine signature must verify; a modified one must not */
    return 0;
}
