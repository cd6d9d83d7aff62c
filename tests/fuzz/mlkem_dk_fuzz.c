/* mlkem_dk_fuzz.c - libFuzzer harness for the decapsulation-key check and for decapsulation
 * with arbitrary key contents. Input: flag/level byte, then dk. When bit 7 of the first byte
 * is set, the harness first writes the correct H(ek) into dk so that the hash check passes
 * and the fuzzer reaches decoding and decryption of arbitrary dk_pke and ek bytes (values up
 * to 4095, ek failing the modulus check). Expectations: the check refuses exactly a wrong
 * length or a wrong hash; Decaps refuses the same and otherwise succeeds. */
#include <string.h>
#include "lib/crypto/fips202.h"
#include "tests/fuzz/mlkem_fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t dk[MLKEM_DK_MAX + 64];
    if (size < 1 || size - 1 > sizeof dk)
        return 0;
    int level = mlkem_fuzz_level(data[0]);
    const struct mlkem_params *p = mlkem_params_get(level);
    size_t dklen = size - 1;
    memcpy(dk, data + 1, dklen);

    int want = MLKEM_OK;
    if (dklen != p->dk_bytes) {
        want = MLKEM_E_DK_LEN;
    } else {
        uint8_t h[32];
        const uint8_t *ek = dk + 384 * p->k;
        sha3_256(h, ek, p->ek_bytes);
        if (data[0] & 0x80)
            memcpy(dk + 384 * p->k + p->ek_bytes, h, 32);
        else if (memcmp(h, ek + p->ek_bytes, 32) != 0)
            want = MLKEM_E_DK_HASH;
    }
    FUZZ_REQUIRE(mlkem_check_dk(level, dk, dklen) == want);

    uint8_t ct[MLKEM_CT_MAX], ss[32];
    memset(ct, data[0], sizeof ct);
    FUZZ_REQUIRE(mlkem_decaps(level, ss, ct, p->ct_bytes, dk, dklen) == want);
    return 0;
}
