/* fuzz_bootinfo.c - libFuzzer harness for the multiboot 1/2 walkers and the memory-map sanitiser.
 * The input is "physical memory" at 0x10000 holding the info structure at its start; byte 0 picks the
 * loader. Whatever the walker accepts is fed to the sanitiser, whose output must be sorted, disjoint
 * and page-aligned where usable, and to the module checker, which must leave no overlaps. */
#include <stdlib.h>
#include <string.h>
#include "kernel/core/boot_info.h"
#include "kernel/core/mmap.h"
#include "tests/kernel/fakephys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static uint8_t buf[1 << 16];
    size_t n = size - 1 > sizeof buf ? sizeof buf : size - 1;
    memcpy(buf, data + 1, n);
    struct fakephys fp = {buf, 0x10000, n};
    static struct boot_info bi;
    const char *why;
    uint32_t magic = (data[0] & 1) ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC;
    int r = boot_info_parse(magic, 0x10000, fakephys_read, &fp, &bi, &why);
    if (r != BI_OK) {
        if (!why || !why[0])
            abort();
        return 0;
    }
    if (bi.nmem > BI_MAX_REGIONS || bi.nmod > BI_MAX_MODULES || strlen(bi.cmdline) >= BI_CMDLINE_MAX)
        abort();
    static struct mem_region out[2 * BI_MAX_REGIONS + 1];
    size_t nout;
    if (mmap_sanitize(bi.mem, bi.nmem, out, 2 * BI_MAX_REGIONS + 1, &nout) != MMAP_EFULL) {
        for (size_t i = 0; i < nout; i++) {
            if (out[i].len == 0)
                abort();
            if (i && out[i].base < out[i - 1].base + out[i - 1].len)
                abort();
            if (out[i].type == MEM_USABLE && ((out[i].base | out[i].len) & 0xfff))
                abort();
        }
    }
    boot_modules_check(&bi, 0x100000, 0x200000, &why);
    for (size_t i = 0; i < bi.nmod; i++) {
        if (bi.mod[i].start < 0x200000 && 0x100000 < bi.mod[i].end)
            abort();
        for (size_t j = 0; j < i; j++)
            if (bi.mod[i].start < bi.mod[j].end && bi.mod[j].start < bi.mod[i].end)
                abort();
    }
    return 0;
}
