/* test_pat.c - hosted tests of the PAT lookup: the power-on layout, a reprogrammed one, missing and
 * reserved types. */
#include "kernel/core/dev_pat.h"
#include "tests/lib/tap.h"

int main(void)
{
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, DEV_PAT_UC), DEV_PTE_PCD | DEV_PTE_PWT, "power-on PAT: UC is entry 3 (PCD|PWT)");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, DEV_PAT_WB), 0, "power-on PAT: WB is entry 0 (no bits)");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, DEV_PAT_UCM), DEV_PTE_PCD, "power-on PAT: UC- is entry 2 (PCD)");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, DEV_PAT_WC), -1, "power-on PAT has no WC entry");
    /* a layout with WC in entry 1 and UC only in entry 7 */
    uint64_t pat = (uint64_t)0x06 | (uint64_t)0x01 << 8 | (uint64_t)0x07 << 16 | (uint64_t)0x06 << 24 | (uint64_t)0x06 << 32 |
          (uint64_t)0x06 << 40 | (uint64_t)0x06 << 48 | (uint64_t)0x00 << 56;
    tap_eq(dev_pat_bits(pat, DEV_PAT_WC), DEV_PTE_PWT, "WC in entry 1: PWT");
    tap_eq(dev_pat_bits(pat, DEV_PAT_UC), DEV_PTE_PAT4K | DEV_PTE_PCD | DEV_PTE_PWT, "UC only in entry 7: PAT|PCD|PWT");
    tap_eq(dev_pat_bits(0x0606060606060606ull, DEV_PAT_UC), -1, "all-WB PAT: no UC entry");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, 2), -1, "reserved type 2 refused");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, 3), -1, "reserved type 3 refused");
    tap_eq(dev_pat_bits(DEV_PAT_POWER_ON, 8), -1, "type 8 refused");
    return tap_done();
}
