/* dev_pat.c - PAT entry lookup (see dev_pat.h). */
#include "kernel/core/dev_pat.h"

int64_t dev_pat_bits(uint64_t pat_msr, unsigned type)
{
    if (type > 7 || type == 2 || type == 3)
        return -1;
    for (unsigned i = 0; i < 8; i++) {
        if (((pat_msr >> (8 * i)) & 0xffu) != type)
            continue;
        return (int64_t)(((i & 1u) ? DEV_PTE_PWT : 0) | ((i & 2u) ? DEV_PTE_PCD : 0) | ((i & 4u) ? DEV_PTE_PAT4K : 0));
    }
    return -1;
}
