/* fake_devenv.c - the device layer's embedder hook for hosted tests: a fixed RAM map (conventional
 * memory below 640 KiB and 1 MiB .. 2 GiB), which MMIO capabilities must never cover. */
#include "kernel/core/dev_obj.h"

static const struct dev_ram_range fake_ram[] = {{0, 0x9f000}, {0x100000, 0x7ff00000}};
static const struct dev_ram_map fake_map = {fake_ram, 2};

const struct dev_ram_map *devenv_ram_map(void)
{
    return &fake_map;
}
