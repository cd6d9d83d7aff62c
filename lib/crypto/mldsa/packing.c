/* packing.c - public key, secret key and signature encodings (FIPS 204 Algorithms 20-27).
 *
 * The only encoding with invalid byte strings is the hint section of a signature; its decoder
 * accepts exactly the strings the encoder can produce, so every valid signature has exactly
 * one encoding (strong unforgeability depends on that). Secret keys are decoded without range
 * checks: an out-of-range s1/s2 coefficient (possible with 3- or 4-bit fields) stays within
 * [-11, 7] and t0 within (-2^12, 2^12], so all later arithmetic stays far from overflow; the
 * key just produces signatures that may not verify, as FIPS 204 allows. */
#include "lib/crypto/mldsa/packing.h"

#include "lib/base/mem.h"

void mldsa_pack_pk(const mldsa_params *p, uint8_t *pk, const uint8_t rho[MLDSA_SEEDBYTES], const mldsa_polyveck *t1)
{
    memcpy(pk, rho, MLDSA_SEEDBYTES);
    for (unsigned i = 0; i < p->k; i++)
        mldsa_polyt1_pack(pk + MLDSA_SEEDBYTES + i * MLDSA_POLYT1_BYTES, &t1->v[i]);
}

void mldsa_unpack_pk(const mldsa_params *p, uint8_t rho[MLDSA_SEEDBYTES], mldsa_polyveck *t1, const uint8_t *pk)
{
    memcpy(rho, pk, MLDSA_SEEDBYTES);
    for (unsigned i = 0; i < p->k; i++)
        mldsa_polyt1_unpack(&t1->v[i], pk + MLDSA_SEEDBYTES + i * MLDSA_POLYT1_BYTES);
}

void mldsa_pack_sk(const mldsa_params *p, uint8_t *sk, const uint8_t rho[MLDSA_SEEDBYTES],
                   const uint8_t key[MLDSA_SEEDBYTES], const uint8_t tr[MLDSA_TRBYTES], const mldsa_polyvecl *s1,
                   const mldsa_polyveck *s2, const mldsa_polyveck *t0)
{
    size_t eb = mldsa_poly_eta_bytes(p);
    memcpy(sk, rho, MLDSA_SEEDBYTES);
    sk += MLDSA_SEEDBYTES;
    memcpy(sk, key, MLDSA_SEEDBYTES);
    sk += MLDSA_SEEDBYTES;
    memcpy(sk, tr, MLDSA_TRBYTES);
    sk += MLDSA_TRBYTES;
    for (unsigned i = 0; i < p->l; i++, sk += eb)
        mldsa_polyeta_pack(p, sk, &s1->v[i]);
    for (unsigned i = 0; i < p->k; i++, sk += eb)
        mldsa_polyeta_pack(p, sk, &s2->v[i]);
    for (unsigned i = 0; i < p->k; i++, sk += MLDSA_POLYT0_BYTES)
        mldsa_polyt0_pack(sk, &t0->v[i]);
}

void mldsa_unpack_sk(const mldsa_params *p, uint8_t rho[MLDSA_SEEDBYTES], uint8_t key[MLDSA_SEEDBYTES],
                     uint8_t tr[MLDSA_TRBYTES], mldsa_polyvecl *s1, mldsa_polyveck *s2, mldsa_polyveck *t0,
                     const uint8_t *sk)
{
    size_t eb = mldsa_poly_eta_bytes(p);
    memcpy(rho, sk, MLDSA_SEEDBYTES);
    sk += MLDSA_SEEDBYTES;
    memcpy(key, sk, MLDSA_SEEDBYTES);
    sk += MLDSA_SEEDBYTES;
    memcpy(tr, sk, MLDSA_TRBYTES);
    sk += MLDSA_TRBYTES;
    for (unsigned i = 0; i < p->l; i++, sk += eb)
        mldsa_polyeta_unpack(p, &s1->v[i], sk);
    for (unsigned i = 0; i < p->k; i++, sk += eb)
        mldsa_polyeta_unpack(p, &s2->v[i], sk);
    for (unsigned i = 0; i < p->k; i++, sk += MLDSA_POLYT0_BYTES)
        mldsa_polyt0_unpack(&t0->v[i], sk);
}

void mldsa_pack_sig(const mldsa_params *p, uint8_t *sig, const uint8_t *ctilde, const mldsa_polyvecl *z,
                    const mldsa_polyveck *h)
{
    size_t zb = mldsa_poly_z_bytes(p);
    memcpy(sig, ctilde, p->ctilde_bytes);
    sig += p->ctilde_bytes;
    for (unsigned i = 0; i < p->l; i++, sig += zb)
        mldsa_polyz_pack(p, sig, &z->v[i]);

    /* HintBitPack (Algorithm 20): the positions of the ones, polynomial after polynomial, then
     * for each polynomial the running count; unused position bytes stay zero. */
    memset(sig, 0, p->omega + p->k);
    unsigned idx = 0;
    for (unsigned i = 0; i < p->k; i++) {
        for (unsigned j = 0; j < MLDSA_N; j++)
            if (h->v[i].c[j] != 0)
                sig[idx++] = (uint8_t)j;
        sig[p->omega + i] = (uint8_t)idx;
    }
}

int mldsa_unpack_sig(const mldsa_params *p, uint8_t *ctilde, mldsa_polyvecl *z, mldsa_polyveck *h, const uint8_t *sig)
{
    size_t zb = mldsa_poly_z_bytes(p);
    memcpy(ctilde, sig, p->ctilde_bytes);
    sig += p->ctilde_bytes;
    for (unsigned i = 0; i < p->l; i++, sig += zb)
        mldsa_polyz_unpack(p, &z->v[i], sig);

    /* HintBitUnpack (Algorithm 21). */
    unsigned idx = 0;
    for (unsigned i = 0; i < p->k; i++) {
        unsigned end = sig[p->omega + i];
        memset(h->v[i].c, 0, sizeof h->v[i].c);
        if (end < idx || end > p->omega)
            return -1; /* counts must be non-decreasing and at most omega */
        for (unsigned first = idx; idx < end; idx++) {
            if (idx > first && sig[idx - 1] >= sig[idx])
                return -1; /* positions within a polynomial strictly increasing */
            h->v[i].c[sig[idx]] = 1;
        }
    }
    for (; idx < p->omega; idx++)
        if (sig[idx] != 0)
            return -1; /* padding after the last position must be zero */
    return 0;
}
