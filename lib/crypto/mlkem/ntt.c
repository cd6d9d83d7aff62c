/* ntt.c - portable NTT, inverse NTT, NTT-domain multiplication and coefficient-wise
 * reductions for ML-KEM (FIPS 203 section 4.3).
 *
 * The loops follow FIPS 203 Algorithms 9-12 literally. Multiplications go through fqmul
 * (Montgomery), so the twiddle tables hold zeta^k * 2^16 mod q. Bounds: the forward transform
 * never reduces (7 layers from |x| < q stay below 8q < 2^15); the inverse transform
 * Barrett-reduces the sums so every coefficient stays below 2q before each layer. The AVX2 file
 * ntt_avx2.c performs the same operations in the same order. */
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/reduce.h"

/* Generated from the definition (17^BitRev7(i) * 2^16 mod q, centred); checked against it
 * by tests/crypto/mlkem_arith.c. */
const int16_t mlkem_zetas[128] = {
    -1044, -758, -359, -1517, 1493, 1422, 287, 202, -171, 622, 1577, 182,
    962, -1202, -1474, 1468, 573, -1325, 264, 383, -829, 1458, -1602, -130,
    -681, 1017, 732, 608, -1542, 411, -205, -1571, 1223, 652, -552, 1015,
    -1293, 1491, -282, -1544, 516, -8, -320, -666, -1618, -1162, 126, 1469,
    -853, -90, -271, 830, 107, -1421, -247, -951, -398, 961, -1508, -725,
    448, -1065, 677, -1275, -1103, 430, 555, 843, -1251, 871, 1550, 105,
    422, 587, 177, -235, -291, -460, 1574, 1653, -246, 778, 1159, -147,
    -777, 1483, -602, 1119, -1590, 644, -872, 349, 418, 329, -156, -75,
    817, 1097, 603, 610, 1322, -1285, -1465, 384, -1215, -136, 1218, -1335,
    -874, 220, -1187, -1659, -1185, -1530, -1278, 794, -1510, -854, -870, 478,
    -108, -308, 996, 991, 958, -1460, 1522, 1628,
};

const int16_t mlkem_gammas[128] = {
    -1103, 1103, 430, -430, 555, -555, 843, -843, -1251, 1251, 871, -871,
    1550, -1550, 105, -105, 422, -422, 587, -587, 177, -177, -235, 235,
    -291, 291, -460, 460, 1574, -1574, 1653, -1653, -246, 246, 778, -778,
    1159, -1159, -147, 147, -777, 777, 1483, -1483, -602, 602, 1119, -1119,
    -1590, 1590, 644, -644, -872, 872, 349, -349, 418, -418, 329, -329,
    -156, 156, -75, 75, 817, -817, 1097, -1097, 603, -603, 610, -610,
    1322, -1322, -1285, 1285, -1465, 1465, 384, -384, -1215, 1215, -136, 136,
    1218, -1218, -1335, 1335, -874, 874, 220, -220, -1187, 1187, -1659, 1659,
    -1185, 1185, -1530, 1530, -1278, 1278, 794, -794, -1510, 1510, -854, 854,
    -870, 870, 478, -478, -108, 108, -308, 308, 996, -996, 991, -991,
    958, -958, -1460, 1460, 1522, -1522, 1628, -1628,
};

void mlkem_ntt_ref(int16_t r[MLKEM_N])
{
    unsigned k = 1;
    for (unsigned len = 128; len >= 2; len >>= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t zeta = mlkem_zetas[k++];
            for (unsigned j = start; j < start + len; j++) {
                int16_t t = fqmul(zeta, r[j + len]);
                r[j + len] = (int16_t)(r[j] - t);
                r[j] = (int16_t)(r[j] + t);
            }
        }
    }
}

/* 2^25 mod q = 2^32 / 128 mod q: fqmul by it multiplies by 2^16 / 128. */
#define MLKEM_INVNTT_F 1441

void mlkem_invntt_ref(int16_t r[MLKEM_N])
{
    unsigned k = 127;
    for (unsigned len = 2; len <= 128; len <<= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t zeta = mlkem_zetas[k--];
            for (unsigned j = start; j < start + len; j++) {
                int16_t t = r[j];
                r[j] = barrett_reduce((int16_t)(t + r[j + len]));
                r[j + len] = fqmul(zeta, (int16_t)(r[j + len] - t));
            }
        }
    }
    for (unsigned j = 0; j < MLKEM_N; j++)
        r[j] = fqmul(r[j], MLKEM_INVNTT_F);
}

void mlkem_basemul_ref(int16_t r[MLKEM_N], const int16_t a[MLKEM_N], const int16_t b[MLKEM_N])
{
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        int16_t a0 = a[2 * i], a1 = a[2 * i + 1], b0 = b[2 * i], b1 = b[2 * i + 1];
        r[2 * i] = (int16_t)(fqmul(fqmul(a1, b1), mlkem_gammas[i]) + fqmul(a0, b0));
        r[2 * i + 1] = (int16_t)(fqmul(a0, b1) + fqmul(a1, b0));
    }
}

void mlkem_reduce_ref(int16_t r[MLKEM_N])
{
    for (unsigned i = 0; i < MLKEM_N; i++)
        r[i] = barrett_reduce(r[i]);
}

void mlkem_tomont_ref(int16_t r[MLKEM_N])
{
    for (unsigned i = 0; i < MLKEM_N; i++)
        r[i] = fqmul(r[i], MLKEM_MONT2);
}
