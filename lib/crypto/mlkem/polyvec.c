/* polyvec.c - entry-wise operations on vectors of polynomials (see polyvec.h). */
#include "lib/crypto/mlkem/polyvec.h"

void polyvec_ntt(polyvec *v, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_ntt(&v->vec[i]);
}

void polyvec_invntt_tomont(polyvec *v, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_invntt_tomont(&v->vec[i]);
}

void polyvec_reduce(polyvec *v, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_reduce(&v->vec[i]);
}

void polyvec_add(polyvec *r, const polyvec *a, const polyvec *b, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_add(&r->vec[i], &a->vec[i], &b->vec[i]);
}

void polyvec_basemul_acc_montgomery(poly *r, const poly *a, const poly *b, unsigned k)
{
    poly t;
    /* Each product is below 2q in magnitude, so the sum of at most 4 stays below 8q < 2^15. */
    poly_basemul_montgomery(r, &a[0], &b[0]);
    for (unsigned i = 1; i < k; i++) {
        poly_basemul_montgomery(&t, &a[i], &b[i]);
        poly_add(r, r, &t);
    }
    poly_reduce(r);
}

void polyvec_basemul_acc_frombytes(poly *r, const uint8_t *a, const poly *b, unsigned k)
{
    poly ai, t;
    poly_frombytes(&ai, a);
    poly_basemul_montgomery(r, &ai, &b[0]);
    for (unsigned i = 1; i < k; i++) {
        poly_frombytes(&ai, a + i * MLKEM_POLYBYTES);
        poly_basemul_montgomery(&t, &ai, &b[i]);
        poly_add(r, r, &t);
    }
    poly_reduce(r);
}

void polyvec_tobytes(uint8_t *out, const polyvec *a, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_tobytes(out + i * MLKEM_POLYBYTES, &a->vec[i]);
}

void polyvec_frombytes(polyvec *r, const uint8_t *in, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        poly_frombytes(&r->vec[i], in + i * MLKEM_POLYBYTES);
}

void polyvec_compress(uint8_t *out, const polyvec *a, unsigned k, unsigned d)
{
    for (unsigned i = 0; i < k; i++)
        poly_compress(out + i * 32 * d, &a->vec[i], d);
}

void polyvec_decompress(polyvec *r, const uint8_t *in, unsigned k, unsigned d)
{
    for (unsigned i = 0; i < k; i++)
        poly_decompress(&r->vec[i], in + i * 32 * d, d);
}
