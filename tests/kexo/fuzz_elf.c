/* fuzz_elf.c - libFuzzer harness for elf_parse: any input must be rejected or accepted without a
 * memory error, and an accepted image must satisfy every promise of elf_load.h. */
#include <stdint.h>
#include <stdlib.h>

#include <pladof/exo.h>

#include "kernel/core/elf_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    const char *why;
    if (elf_parse(data, size, &img, &why) != 0)
        return 0;
    uint64_t pages = 0;
    for (unsigned i = 0; i < img.nseg; i++) {
        const struct elf_seg *s = &img.seg[i];
        if (s->page_va % 4096 || s->page_va < EXO_USER_VA_MIN || s->npages == 0 ||
            s->page_va + s->npages * 4096 > EXO_USER_VA_END || s->offset + s->filesz > size ||
            s->filesz > s->memsz || !(s->perms & EXO_MAP_R) ||
            (s->perms & (EXO_MAP_W | EXO_MAP_X)) == (EXO_MAP_W | EXO_MAP_X))
            abort();
        if (i > 0 && img.seg[i - 1].page_va + img.seg[i - 1].npages * 4096 > s->page_va)
            abort();
        pages += s->npages;
    }
    if (img.nseg == 0 || img.nseg > ELF_MAX_SEGS || pages > ELF_MAX_PAGES)
        abort();
    return 0;
}
