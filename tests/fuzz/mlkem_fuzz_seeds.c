/* mlkem_fuzz_seeds.c - writes seed corpora for the ML-KEM fuzz harnesses:
 *   DIR/ek/seedN: level byte || a valid ek, and one with a coefficient >= q
 *   DIR/dk/seedN: level byte || a valid dk (and with the "fix hash" flag and a damaged dk_pke)
 *   DIR/ct/seedN: level byte || the honest ciphertext of the decaps harness, and a damaged one
 * usage: mlkem_fuzz_seeds DIR (the three subfolders must exist). */
#include <stdio.h>
#include <string.h>
#include "lib/crypto/mlkem/mlkem.h"

static int put(const char *dir, const char *sub, int n, uint8_t first, const uint8_t *b, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/seed%d", dir, sub, n);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(&first, 1, 1, f) == 1 && fwrite(b, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const int levels[3] = { 512, 768, 1024 };
    int bad = 0;
    for (int i = 0; i < 3; i++) {
        const struct mlkem_params *p = mlkem_params_get(levels[i]);
        uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss[32], seed[64], m[32];
        /* the same seeds as mlkem_decaps_fuzz.c, so its honest ciphertext is in the corpus */
        memset(seed, 0x40 + i, sizeof seed);
        memset(m, 0x70 + i, sizeof m);
        bad |= mlkem_keygen_seed(levels[i], ek, p->ek_bytes, dk, p->dk_bytes, seed, 64);
        bad |= mlkem_encaps_internal(levels[i], ct, p->ct_bytes, ss, ek, p->ek_bytes, m);
        bad |= put(argv[1], "ek", 2 * i, (uint8_t)i, ek, p->ek_bytes);
        bad |= put(argv[1], "dk", 3 * i, (uint8_t)i, dk, p->dk_bytes);
        bad |= put(argv[1], "ct", 2 * i, (uint8_t)i, ct, p->ct_bytes);
        ek[0] = 0xFF, ek[1] |= 0x0F; /* first coefficient 4095 */
        bad |= put(argv[1], "ek", 2 * i + 1, (uint8_t)i, ek, p->ek_bytes);
        bad |= put(argv[1], "dk", 3 * i + 1, (uint8_t)(i | 0x80), dk, p->dk_bytes);
        memset(dk, 0xFF, 384 * p->k);
        bad |= put(argv[1], "dk", 3 * i + 2, (uint8_t)(i | 0x80), dk, p->dk_bytes);
        ct[3] ^= 1;
        bad |= put(argv[1], "ct", 2 * i + 1, (uint8_t)i, ct, p->ct_bytes);
    }
    return bad ? 1 : 0;
}
