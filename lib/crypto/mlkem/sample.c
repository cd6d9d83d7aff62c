/* sample.c - noise (CBD) and uniform (rejection) sampling for ML-KEM; see sample.h.
 *
 * CBD: each coefficient is (sum of eta bits) - (sum of the next eta bits) of the PRF output.
 * The bits are added in parallel inside 32-bit words (popcount by masks), so no branch or
 * table lookup depends on the secret bytes.
 *
 * Rejection sampling: the matrix seed rho is public (it is part of the encapsulation key), so
 * SampleNTT may branch on candidates and squeeze a data-dependent number of blocks; the
 * constant-time test declassifies rho for that reason. Three SHAKE128 blocks (504 bytes, 336
 * candidates) almost always give the 256 coefficients; more are squeezed one block at a time. */
#include "lib/crypto/mlkem/sample.h"
#include "lib/base/mem.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/wipe.h"
#ifndef PLADOF_KERNEL
#include "lib/crypto/mlkem/cbd_avx2.h"
#include "lib/crypto/mlkem/rej_avx2.h"
#endif

void poly_cbd(poly *r, const uint8_t *buf, unsigned eta)
{
    if (eta == 2) {
        /* 4 bits per coefficient: 8 coefficients per 32-bit word. */
        for (unsigned i = 0; i < MLKEM_N / 8; i++) {
            uint32_t t = (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 |
                         (uint32_t)buf[4 * i + 2] << 16 | (uint32_t)buf[4 * i + 3] << 24;
            uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u); /* 2-bit sums */
            for (unsigned j = 0; j < 8; j++) {
                int16_t a = (int16_t)((d >> (4 * j)) & 3);
                int16_t b = (int16_t)((d >> (4 * j + 2)) & 3);
                r->coeffs[8 * i + j] = (int16_t)(a - b);
            }
        }
    } else {
        /* eta = 3: 6 bits per coefficient: 4 coefficients per 24-bit group. */
        for (unsigned i = 0; i < MLKEM_N / 4; i++) {
            uint32_t t = (uint32_t)buf[3 * i] | (uint32_t)buf[3 * i + 1] << 8 | (uint32_t)buf[3 * i + 2] << 16;
            uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u); /* 3-bit sums */
            for (unsigned j = 0; j < 4; j++) {
                int16_t a = (int16_t)((d >> (6 * j)) & 7);
                int16_t b = (int16_t)((d >> (6 * j + 3)) & 7);
                r->coeffs[4 * i + j] = (int16_t)(a - b);
            }
        }
    }
}

void poly_getnoise(poly *r, const uint8_t seed[MLKEM_SYMBYTES], uint8_t nonce, unsigned eta)
{
    uint8_t buf[64 * 3];
    keccak_state st;
    shake256_init(&st);
    shake_absorb(&st, seed, MLKEM_SYMBYTES);
    shake_absorb(&st, &nonce, 1);
    shake_finalize(&st);
    shake_squeeze(&st, buf, 64 * eta);
    poly_cbd(r, buf, eta);
    mlkem_wipe(buf, sizeof buf);
    mlkem_wipe(&st, sizeof st);
}

#ifndef PLADOF_KERNEL
/* 4-way version of mlkem_getnoise_batch (not in kernel builds, which never take the AVX2
 * path: its buffers would only cost kernel stack). */
static void getnoise_batch_x4(poly *const *r, const unsigned *eta, unsigned n,
                              const uint8_t seed[MLKEM_SYMBYTES], uint8_t nonce0)
{
    /* 2 SHAKE256 blocks (272 bytes) cover the 192 bytes eta = 3 needs. A short last batch
     * computes spare lanes with the last nonce and throws them away. */
    uint8_t in[4][MLKEM_SYMBYTES + 1], buf[4][2 * SHAKE256_RATE];
    keccak_x4_state st;
    for (unsigned first = 0; first < n; first += 4) {
        for (unsigned l = 0; l < 4; l++) {
            unsigned i = first + l < n ? first + l : n - 1;
            memcpy(in[l], seed, MLKEM_SYMBYTES);
            in[l][MLKEM_SYMBYTES] = (uint8_t)(nonce0 + i);
        }
        /* Squeeze only the blocks the batch needs: one (136 bytes) when every lane has
         * eta = 2 (128 bytes), which saves a 4-way permutation per batch at ML-KEM-768/1024. */
        unsigned blocks = 1;
        for (unsigned l = 0; l < 4 && first + l < n; l++)
            blocks = eta[first + l] == 3 ? 2 : blocks;
        shake256_x4_absorb_once(&st, in[0], in[1], in[2], in[3], MLKEM_SYMBYTES + 1);
        shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], blocks);
        for (unsigned l = 0; l < 4 && first + l < n; l++)
            mlkem_cbd_avx2(r[first + l]->coeffs, buf[l], eta[first + l]);
    }
    mlkem_wipe(in, sizeof in);
    mlkem_wipe(buf, sizeof buf);
    mlkem_wipe(&st, sizeof st);
}
#endif

void mlkem_getnoise_batch(poly *const *r, const unsigned *eta, unsigned n,
                          const uint8_t seed[MLKEM_SYMBYTES], uint8_t nonce0)
{
#ifndef PLADOF_KERNEL
    if (mlkem_use_avx2()) {
        getnoise_batch_x4(r, eta, n, seed, nonce0);
        return;
    }
#endif
    for (unsigned i = 0; i < n; i++)
        poly_getnoise(r[i], seed, (uint8_t)(nonce0 + i), eta[i]);
}

unsigned mlkem_rej_uniform(int16_t *r, unsigned ctr, unsigned len, const uint8_t *buf, unsigned buflen)
{
    unsigned pos = 0;
    /* While two more values fit, store both candidates unconditionally and advance past the
     * accepted ones (a rejected value is overwritten by the next store): fewer mispredicted
     * branches than testing each candidate. */
    while (ctr + 2 <= len && pos + 3 <= buflen) {
        uint16_t d1 = (uint16_t)(buf[pos] | ((buf[pos + 1] & 0x0F) << 8));
        uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
        pos += 3;
        r[ctr] = (int16_t)d1;
        ctr += d1 < MLKEM_Q;
        r[ctr] = (int16_t)d2;
        ctr += d2 < MLKEM_Q;
    }
    /* Last value: Algorithm 7 exactly (d2 only while the polynomial is not full). */
    for (; ctr < len && pos + 3 <= buflen; pos += 3) {
        uint16_t d1 = (uint16_t)(buf[pos] | ((buf[pos + 1] & 0x0F) << 8));
        uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
        if (d1 < MLKEM_Q)
            r[ctr++] = (int16_t)d1;
        if (d2 < MLKEM_Q && ctr < len)
            r[ctr++] = (int16_t)d2;
    }
    return ctr;
}

#define GEN_BLOCKS 3 /* initial SHAKE128 blocks per polynomial: 504 bytes */

/* The XOF input for entry (i, j): rho || j || i (FIPS 203 Algorithm 13, line 6), or
 * rho || i || j for the transposed matrix. */
void mlkem_xof_input(uint8_t in[MLKEM_SYMBYTES + 2], const uint8_t rho[MLKEM_SYMBYTES],
                     unsigned i, unsigned j, int transposed)
{
    memcpy(in, rho, MLKEM_SYMBYTES);
    in[MLKEM_SYMBYTES] = (uint8_t)(transposed ? i : j);
    in[MLKEM_SYMBYTES + 1] = (uint8_t)(transposed ? j : i);
}

/* Entries e = 0 .. n-1 of rows row0.. (row-major, k per row) go to out[e]. */
static void gen_rows_serial(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed,
                            unsigned row0, unsigned n)
{
    uint8_t in[MLKEM_SYMBYTES + 2], buf[GEN_BLOCKS * SHAKE128_RATE];
    keccak_state st;
    for (unsigned e = 0; e < n; e++) {
        mlkem_xof_input(in, rho, row0 + e / k, e % k, transposed);
        shake128_init(&st);
        shake_absorb(&st, in, sizeof in);
        shake_finalize(&st);
        shake_squeeze(&st, buf, sizeof buf);
        unsigned ctr = mlkem_rej_uniform(out[e].coeffs, 0, MLKEM_N, buf, sizeof buf);
        while (ctr < MLKEM_N) {
            shake_squeeze(&st, buf, SHAKE128_RATE);
            ctr = mlkem_rej_uniform(out[e].coeffs, ctr, MLKEM_N, buf, SHAKE128_RATE);
        }
    }
}

#ifndef PLADOF_KERNEL
/* The same, four entries at a time with the 4-way SHAKE128; a short last batch repeats its
 * final entry in the unused lanes and throws the copies away. Hosted builds only. */
static void gen_rows_x4(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed,
                        unsigned row0, unsigned n)
{
    uint8_t in[4][MLKEM_SYMBYTES + 2], buf[4][GEN_BLOCKS * SHAKE128_RATE];
    poly spare;
    keccak_x4_state st;
    for (unsigned first = 0; first < n; first += 4) {
        int16_t *dst[4];
        for (unsigned l = 0; l < 4; l++) {
            unsigned e = first + l;
            if (e < n) {
                mlkem_xof_input(in[l], rho, row0 + e / k, e % k, transposed);
                dst[l] = out[e].coeffs;
            } else {
                memcpy(in[l], in[l - 1], sizeof in[l]);
                dst[l] = spare.coeffs;
            }
        }
        shake128_x4_absorb_once(&st, in[0], in[1], in[2], in[3], MLKEM_SYMBYTES + 2);
        shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], GEN_BLOCKS);
        unsigned ctr[4];
        for (unsigned l = 0; l < 4; l++)
            ctr[l] = mlkem_rej_uniform_avx2(dst[l], MLKEM_N, buf[l], sizeof buf[l]);
        while (ctr[0] < MLKEM_N || ctr[1] < MLKEM_N || ctr[2] < MLKEM_N || ctr[3] < MLKEM_N) {
            shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], 1);
            for (unsigned l = 0; l < 4; l++)
                ctr[l] = mlkem_rej_uniform(dst[l], ctr[l], MLKEM_N, buf[l], SHAKE128_RATE);
        }
    }
}
#endif

void mlkem_gen_matrix_rows(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed,
                           unsigned row0, unsigned nrows)
{
#ifndef PLADOF_KERNEL
    if (mlkem_use_avx2()) {
        gen_rows_x4(out, rho, k, transposed, row0, nrows * k);
        return;
    }
#endif
    gen_rows_serial(out, rho, k, transposed, row0, nrows * k);
}

#ifndef PLADOF_KERNEL
void mlkem_gen_matrix_entries(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed, unsigned n)
{
    if (mlkem_use_avx2())
        gen_rows_x4(out, rho, k, transposed, 0, n);
    else
        gen_rows_serial(out, rho, k, transposed, 0, n);
}
#endif

void mlkem_gen_matrix(polyvec a[MLKEM_K_MAX], const uint8_t rho[MLKEM_SYMBYTES],
                      unsigned k, int transposed)
{
    poly rows[MLKEM_MATRIX_BATCH];
    unsigned per = MLKEM_ROWS_PER_BATCH(k);
    for (unsigned i = 0; i < k; i += per) {
        unsigned nr = k - i < per ? k - i : per;
        mlkem_gen_matrix_rows(rows, rho, k, transposed, i, nr);
        for (unsigned r = 0; r < nr; r++)
            for (unsigned j = 0; j < k; j++)
                a[i + r].vec[j] = rows[r * k + j];
    }
}
