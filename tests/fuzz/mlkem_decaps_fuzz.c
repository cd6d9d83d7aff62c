/* mlkem_decaps_fuzz.c - libFuzzer harness for decapsulation of arbitrary ciphertexts under a
 * fixed key pair per level. Input: level byte, then the ciphertext. Expectations: a wrong
 * length is refused with MLKEM_E_CT_LEN; any ciphertext of the right length gives success and
 * either the real key (for the honest ciphertext made at start-up) or exactly the
 * implicit-rejection key J(z || c), computed here independently. */
#include <string.h>
#include "lib/crypto/fips202.h"
#include "tests/fuzz/mlkem_fuzz_common.h"

static uint8_t ek[3][MLKEM_EK_MAX], dk[3][MLKEM_DK_MAX], good_ct[3][MLKEM_CT_MAX], good_ss[3][32];
static int ready;

static void setup(void)
{
    for (int i = 0; i < 3; i++) {
        int level = mlkem_fuzz_level((uint8_t)i);
        const struct mlkem_params *p = mlkem_params_get(level);
        uint8_t seed[64], m[32];
        memset(seed, 0x40 + i, sizeof seed);
        memset(m, 0x70 + i, sizeof m);
        FUZZ_REQUIRE(mlkem_keygen_seed(level, ek[i], p->ek_bytes, dk[i], p->dk_bytes, seed, 64) == 0);
        FUZZ_REQUIRE(mlkem_encaps_internal(level, good_ct[i], p->ct_bytes, good_ss[i], ek[i], p->ek_bytes, m) == 0);
    }
    ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size < 1)
        return 0;
    int i = (data[0] & 0x3F) % 3, level = mlkem_fuzz_level(data[0]);
    const struct mlkem_params *p = mlkem_params_get(level);
    const uint8_t *ct = data + 1;
    size_t ctlen = size - 1;
    uint8_t ss[32];

    int rc = mlkem_decaps(level, ss, ct, ctlen, dk[i], p->dk_bytes);
    if (ctlen != p->ct_bytes) {
        FUZZ_REQUIRE(rc == MLKEM_E_CT_LEN);
        return 0;
    }
    FUZZ_REQUIRE(rc == MLKEM_OK);
    if (memcmp(ct, good_ct[i], ctlen) == 0) {
        FUZZ_REQUIRE(memcmp(ss, good_ss[i], 32) == 0);
    } else {
        uint8_t buf[32 + MLKEM_CT_MAX], kbar[32];
        memcpy(buf, dk[i] + p->dk_bytes - 32, 32);
        memcpy(buf + 32, ct, ctlen);
        shake256(kbar, 32, buf, 32 + ctlen);
        FUZZ_REQUIRE(memcmp(ss, kbar, 32) == 0);
    }
    return 0;
}
