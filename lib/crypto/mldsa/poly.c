/* poly.c - arithmetic on single ML-DSA polynomials, and the run-time choice of NTT code.
 *
 * The NTT, its inverse and the pointwise product are the only routines with an AVX2 version
 * (ntt_avx2.c); it is compiled only into hosted x86-64 builds (never the kernel, which may not
 * touch vector registers) and used when cpu_features says AVX2 is available and not disabled. */
#include "lib/crypto/mldsa/poly.h"

#include "lib/crypto/mldsa/ntt.h"
#include "lib/crypto/mldsa/reduce.h"
#include "lib/crypto/mldsa/rounding.h"

#include "lib/crypto/mldsa/simd.h"
#ifdef MLDSA_WITH_AVX2
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/ntt_avx2.h"
#include "lib/crypto/mldsa/poly_avx2.h"
#endif

int mldsa_poly_use_avx2(void)
{
#ifdef MLDSA_WITH_AVX2
    return cpu_has_avx2();
#else
    return 0;
#endif
}

void mldsa_poly_add(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b)
{
    for (unsigned i = 0; i < MLDSA_N; i++)
        r->c[i] = a->c[i] + b->c[i];
}

void mldsa_poly_sub(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b)
{
    for (unsigned i = 0; i < MLDSA_N; i++)
        r->c[i] = a->c[i] - b->c[i];
}

void mldsa_poly_shiftl(mldsa_poly *a)
{
    for (unsigned i = 0; i < MLDSA_N; i++)
        a->c[i] = (int32_t)((uint32_t)a->c[i] << MLDSA_D);
}

void mldsa_poly_reduce(mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_poly_reduce_avx2(a->c);
        return;
    }
#endif
    for (unsigned i = 0; i < MLDSA_N; i++)
        a->c[i] = mldsa_reduce32(a->c[i]);
}

void mldsa_poly_caddq(mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_poly_caddq_avx2(a->c);
        return;
    }
#endif
    for (unsigned i = 0; i < MLDSA_N; i++)
        a->c[i] = mldsa_caddq(a->c[i]);
}

void mldsa_poly_ntt(mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_ntt_avx2(a->c);
        return;
    }
#endif
    mldsa_ntt_ref(a->c);
}

void mldsa_poly_invntt_tomont(mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_invntt_tomont_avx2(a->c);
        return;
    }
#endif
    mldsa_invntt_tomont_ref(a->c);
}

void mldsa_poly_pointwise_montgomery(mldsa_poly *c, const mldsa_poly *a, const mldsa_poly *b)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_pointwise_montgomery_avx2(c->c, a->c, b->c);
        return;
    }
#endif
    mldsa_pointwise_montgomery_ref(c->c, a->c, b->c);
}

uint32_t mldsa_poly_chknorm(const mldsa_poly *a, int32_t bound)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2())
        return mldsa_poly_chknorm_avx2(a->c, bound);
#endif
    uint32_t bad = 0;
    for (unsigned i = 0; i < MLDSA_N; i++) {
        int32_t x = a->c[i];
        int32_t abs = x - ((x >> 31) & (2 * x)); /* |x| without a branch */
        bad |= (uint32_t)(bound - 1 - abs) >> 31; /* 1 when abs >= bound */
    }
    return bad;
}

void mldsa_poly_decompose(const mldsa_params *p, mldsa_poly *a1, mldsa_poly *a0, const mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) {
        mldsa_poly_decompose_avx2(p->gamma2, a1 ? a1->c : NULL, a0 ? a0->c : NULL, a->c);
        return;
    }
#endif
    for (unsigned i = 0; i < MLDSA_N; i++) {
        int32_t r0, r1 = mldsa_decompose(p, &r0, a->c[i]);
        if (a1)
            a1->c[i] = r1;
        if (a0)
            a0->c[i] = r0;
    }
}

uint32_t mldsa_poly_make_hint(const mldsa_params *p, mldsa_poly *h, const mldsa_poly *ws, const mldsa_poly *ct0)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2())
        return mldsa_poly_make_hint_avx2(p->gamma2, h->c, ws->c, ct0->c);
#endif
    uint32_t count = 0;
    for (unsigned i = 0; i < MLDSA_N; i++) {
        int32_t r0, u = mldsa_caddq(mldsa_reduce32(ws->c[i] + ct0->c[i]));
        uint32_t diff = (uint32_t)(mldsa_decompose(p, &r0, u) ^ mldsa_decompose(p, &r0, ws->c[i]));
        uint32_t bit = (diff | (0u - diff)) >> 31; /* 1 when the high bits differ */
        h->c[i] = (int32_t)bit;
        count += bit;
    }
    return count;
}
