/* mmio_dev.c - RAM map and UC attribute bits for the device layer (see mmio_dev.h). */
#include "kernel/arch/x86_64/mmio_dev.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/boot/boot_state.h"
#include "kernel/core/dev_pat.h"

#define MSR_IA32_PAT 0x277u

static struct dev_ram_range ram[2 * BI_MAX_REGIONS + 1];
static struct dev_ram_map map = {ram, 0};
static int built;

const struct dev_ram_map *devenv_ram_map(void)
{
    if (__atomic_load_n(&built, __ATOMIC_ACQUIRE))
        return &map;
    /* First call is at boot (single CPU) or under the core lock: built once, then read-only. */
    size_t n = 0;
    for (size_t i = 0; i < boot.nmap && n < sizeof ram / sizeof ram[0]; i++) {
        uint32_t t = boot.map[i].type;
        if (t == MEM_USABLE || t == MEM_ACPI_RECLAIM || t == MEM_ACPI_NVS || t == MEM_BAD)
            ram[n++] = (struct dev_ram_range){boot.map[i].base, boot.map[i].len};
    }
    map.n = n;
    __atomic_store_n(&built, 1, __ATOMIC_RELEASE);
    return &map;
}

int64_t mmio_uc_pte_bits(void)
{
    return dev_pat_bits(rdmsr(MSR_IA32_PAT), DEV_PAT_UC);
}
