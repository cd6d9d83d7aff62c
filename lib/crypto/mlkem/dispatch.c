/* dispatch.c - remembers which ML-KEM code path is in use (see dispatch.h). */
#include "lib/crypto/mlkem/dispatch.h"

#ifdef PLADOF_KERNEL
int mlkem_avx2_available(void) { return 0; }
int mlkem_set_path(int vector) { return vector > 0 ? -1 : 0; }
int mlkem_use_avx2(void) { return 0; }
#else
#include "lib/crypto/cpu_features.h"

/* -1: follow cpu_features_get(); 0: portable forced; 1: AVX2 forced. */
static int mlkem_path = -1;

int mlkem_avx2_available(void)
{
    return cpu_features_detected().avx2 ? 1 : 0;
}

int mlkem_set_path(int vector)
{
    if (vector > 0 && !mlkem_avx2_available())
        return -1;
    __atomic_store_n(&mlkem_path, vector < 0 ? -1 : vector ? 1 : 0, __ATOMIC_RELAXED);
    return 0;
}

int mlkem_use_avx2(void)
{
    int p = __atomic_load_n(&mlkem_path, __ATOMIC_RELAXED);
    if (p < 0)
        return cpu_features_get().avx2 ? 1 : 0;
    return p;
}
#endif
