/* mlkem_ek_fuzz.c - libFuzzer harness for the encapsulation-key check and decoding.
 * Input: level byte, then ek. The check must agree with an independent reading of the 12-bit
 * values (refused exactly for a wrong length or a value >= q); an accepted ek must encapsulate
 * successfully, and Encaps must refuse exactly what the check refuses, with the same error. */
#include <string.h>
#include "tests/fuzz/mlkem_fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int level = mlkem_fuzz_level(data[0]);
    const struct mlkem_params *p = mlkem_params_get(level);
    const uint8_t *ek = data + 1;
    size_t eklen = size - 1;

    int want = MLKEM_OK;
    if (eklen != p->ek_bytes) {
        want = MLKEM_E_EK_LEN;
    } else {
        for (size_t i = 0; i < 384 * p->k; i += 3) {
            unsigned a = ek[i] | (ek[i + 1] & 0x0Fu) << 8, b = ek[i + 1] >> 4 | (unsigned)ek[i + 2] << 4;
            if (a >= 3329 || b >= 3329)
                want = MLKEM_E_EK_MODULUS;
        }
    }
    FUZZ_REQUIRE(mlkem_check_ek(level, ek, eklen) == want);

    uint8_t ct[MLKEM_CT_MAX], ss[32], m[32];
    memset(m, data[0], sizeof m);
    int rc = mlkem_encaps_internal(level, ct, p->ct_bytes, ss, ek, eklen, m);
    FUZZ_REQUIRE(rc == want);
    return 0;
}
