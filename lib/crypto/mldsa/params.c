/* params.c - the three FIPS 204 parameter sets (Table 1 and Table 2 of the standard).
 * Key and signature sizes follow from the packing formats:
 *   pk  = 32 + 320k
 *   sk  = 32 + 32 + 64 + 32*eta_bits*(k+l) + 416k
 *   sig = lambda/4 + 32*z_bits*l + omega + k */
#include "lib/crypto/mldsa/params.h"

#define PK_BYTES(k) (32u + 320u * (k))
#define SK_BYTES(k, l, eb) (128u + 32u * (eb) * ((k) + (l)) + 416u * (k))
#define SIG_BYTES(ct, l, zb, om, k) ((ct) + 32u * (zb) * (l) + (om) + (k))

const mldsa_params mldsa44_params = {
    .name = "ML-DSA-44", .level = 44, .k = 4, .l = 4, .eta = 2, .tau = 39, .omega = 80,
    .ctilde_bytes = 32, .gamma1 = 1 << 17, .gamma2 = (MLDSA_Q - 1) / 88, .beta = 78,
    .eta_bits = 3, .z_bits = 18, .w1_bits = 6,
    .pk_bytes = PK_BYTES(4), .sk_bytes = SK_BYTES(4, 4, 3), .sig_bytes = SIG_BYTES(32, 4, 18, 80, 4),
};

const mldsa_params mldsa65_params = {
    .name = "ML-DSA-65", .level = 65, .k = 6, .l = 5, .eta = 4, .tau = 49, .omega = 55,
    .ctilde_bytes = 48, .gamma1 = 1 << 19, .gamma2 = (MLDSA_Q - 1) / 32, .beta = 196,
    .eta_bits = 4, .z_bits = 20, .w1_bits = 4,
    .pk_bytes = PK_BYTES(6), .sk_bytes = SK_BYTES(6, 5, 4), .sig_bytes = SIG_BYTES(48, 5, 20, 55, 6),
};

const mldsa_params mldsa87_params = {
    .name = "ML-DSA-87", .level = 87, .k = 8, .l = 7, .eta = 2, .tau = 60, .omega = 75,
    .ctilde_bytes = 64, .gamma1 = 1 << 19, .gamma2 = (MLDSA_Q - 1) / 32, .beta = 120,
    .eta_bits = 3, .z_bits = 20, .w1_bits = 4,
    .pk_bytes = PK_BYTES(8), .sk_bytes = SK_BYTES(8, 7, 3), .sig_bytes = SIG_BYTES(64, 7, 20, 75, 8),
};

/* Looks a parameter set up by its level number; NULL when there is none. */
const mldsa_params *mldsa_params_get(unsigned level)
{
    switch (level) {
    case 44: return &mldsa44_params;
    case 65: return &mldsa65_params;
    case 87: return &mldsa87_params;
    default: return NULL;
    }
}
