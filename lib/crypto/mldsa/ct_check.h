/* ct_check.h - marks where ML-DSA deliberately lets a value derived from secrets become public.
 *
 * The constant-time test (tests/crypto/mldsa_ct_test.c under valgrind memcheck) marks the seed,
 * the secret key and rnd as undefined memory; memcheck then reports every branch and every
 * memory index that depends on them. ML-DSA cannot avoid a few such uses (rejection sampling),
 * and each one is justified in docs/crypto/MLDSA.md ("Constant time"). MLDSA_DECLASSIFY marks
 * exactly those values as defined again. It expands to nothing except in the build tree made
 * for that test (build/ct, compiled with -DPLADOF_CT_VALGRIND), so the kernel and the normal
 * hosted builds contain no trace of it. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_CT_CHECK_H
#define PLADOF_LIB_CRYPTO_MLDSA_CT_CHECK_H

#if defined(PLADOF_CT_VALGRIND) && defined(PLADOF_HOSTED) && !defined(PLADOF_KERNEL)
#include <valgrind/memcheck.h>
#define MLDSA_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define MLDSA_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#endif
