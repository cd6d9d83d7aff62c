/* paging.c - page-table walker and the kernel's initial address space (see paging.h).
 *
 * Intermediate entries are always present+writable (+user if the leaf asks for it): permissions are
 * decided at the leaf, where x86 ANDs W and U and ORs NX down the walk. Page-table frames come from
 * frames.c and are reached through phys_to_virt, which works both before the switch (identity map,
 * frames below 4 GiB) and after (direct map). */
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/layout.h"

uint64_t kernel_pml4;
void (*tlb_shootdown_hook)(uint64_t va, size_t n);

static uint64_t *table(uint64_t e) { return phys_to_virt(e & PTE_ADDR); }
static unsigned idx(uint64_t va, int level) { return (va >> (12 + 9 * (level - 1))) & 511; }

/* Replaces the 2 MiB leaf *pde by a page table of 512 equivalent 4 KiB entries. */
static int split_2m(uint64_t *pde)
{
    uint64_t pt = frame_alloc_zeroed();
    if (pt == FRAME_NONE)
        return PG_ENOMEM;
    uint64_t *t = phys_to_virt(pt);
    uint64_t base = *pde & PTE_ADDR & ~0x1fffffull, flags = *pde & (PTE_FLAGS | PTE_P);
    for (int i = 0; i < 512; i++)
        t[i] = (base + (uint64_t)i * 4096) | flags;
    *pde = pt | PTE_P | PTE_W | (flags & PTE_U);
    return PG_OK;
}

/* Returns the entry for va at `level` (1 = 4 KiB PTE, 2 = PDE), creating tables if `create`;
 * a 2 MiB leaf met on the way to level 1 is split when `create`, else returned as is (*leaf_level). */
static uint64_t *walk(uint64_t pml4, uint64_t va, int level, bool create, uint64_t user, int *leaf_level, int *err)
{
    uint64_t *t = phys_to_virt(pml4);
    *err = PG_OK;
    for (int l = 4; l > level; l--) {
        uint64_t *e = &t[idx(va, l)];
        if (!(*e & PTE_P)) {
            if (!create) {
                *err = PG_ENOENT;
                return 0;
            }
            uint64_t f = frame_alloc_zeroed();
            if (f == FRAME_NONE) {
                *err = PG_ENOMEM;
                return 0;
            }
            *e = f | PTE_P | PTE_W | user;
        } else if (*e & PTE_PS) {
            if (l == 2 && create) {
                if ((*err = split_2m(e)))
                    return 0;
            } else if (l == 3) {
                *err = PG_EEXIST; /* 1 GiB pages are never created here; refuse rather than misread one */
                return 0;
            } else {
                if (leaf_level)
                    *leaf_level = l;
                return e;
            }
        }
        *e |= user;
        t = table(*e);
    }
    if (leaf_level)
        *leaf_level = level;
    return &t[idx(va, level)];
}

void paging_flush(uint64_t va, size_t n)
{
    /* invlpg also drops global entries, which a CR3 reload would keep */
    for (size_t i = 0; i < n; i++)
        invlpg(va + i * 4096);
    if (tlb_shootdown_hook)
        tlb_shootdown_hook(va, n);
}

int paging_map(uint64_t pml4, uint64_t va, uint64_t pa, size_t n, uint64_t flags)
{
    if ((va | pa) & 0xfff)
        return PG_EALIGN;
    int err;
    for (size_t i = 0; i < n; i++) {
        uint64_t *e = walk(pml4, va + i * 4096, 1, true, flags & PTE_U, 0, &err);
        if (!e)
            return err;
        if (*e & PTE_P)
            return PG_EEXIST;
        *e = (pa + i * 4096) | PTE_P | (flags & PTE_FLAGS);
    }
    return PG_OK;
}

int paging_map_2m(uint64_t pml4, uint64_t va, uint64_t pa, size_t n, uint64_t flags)
{
    if ((va | pa) & 0x1fffff)
        return PG_EALIGN;
    int err;
    for (size_t i = 0; i < n; i++) {
        uint64_t *e = walk(pml4, va + i * 0x200000, 2, true, flags & PTE_U, 0, &err);
        if (!e)
            return err;
        if (*e & PTE_P)
            return PG_EEXIST;
        *e = (pa + i * 0x200000) | PTE_P | PTE_PS | (flags & PTE_FLAGS);
    }
    return PG_OK;
}

int paging_unmap(uint64_t pml4, uint64_t va, size_t n)
{
    int err, lvl;
    for (size_t i = 0; i < n; i++) {
        uint64_t *e = walk(pml4, va + i * 4096, 1, false, 0, &lvl, &err);
        if (e && lvl == 2) /* a 2 MiB page: split it, then clear the one 4 KiB entry */
            e = walk(pml4, va + i * 4096, 1, true, 0, &lvl, &err);
        if (!e) {
            if (err == PG_ENOENT)
                continue;
            return err;
        }
        *e = 0;
    }
    paging_flush(va, n);
    return PG_OK;
}

int paging_protect(uint64_t pml4, uint64_t va, size_t n, uint64_t flags)
{
    int err, lvl;
    for (size_t i = 0; i < n; i++) {
        uint64_t *e = walk(pml4, va + i * 4096, 1, false, 0, &lvl, &err);
        if (e && lvl == 2)
            e = walk(pml4, va + i * 4096, 1, true, 0, &lvl, &err);
        if (!e || !(*e & PTE_P))
            return e ? PG_ENOENT : err;
        *e = (*e & PTE_ADDR) | PTE_P | (flags & PTE_FLAGS);
    }
    paging_flush(va, n);
    return PG_OK;
}

bool paging_query(uint64_t pml4, uint64_t va, uint64_t *pa, uint64_t *flags, uint64_t *size)
{
    int err, lvl;
    uint64_t *e = walk(pml4, va, 1, false, 0, &lvl, &err);
    if (!e || !(*e & PTE_P))
        return false;
    uint64_t sz = lvl == 2 ? 0x200000 : 4096;
    *size = sz;
    *pa = (*e & PTE_ADDR & ~(sz - 1)) + (va & (sz - 1));
    *flags = *e & (PTE_FLAGS | PTE_P | PTE_PS);
    return true;
}

extern const char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _data_end[];

static int map_image(uint64_t pml4, const char *s, const char *e, uint64_t flags)
{
    uint64_t va = (uint64_t)s;
    return paging_map(pml4, va, va - KERNEL_VMA, ((uint64_t)e - va) / 4096, flags);
}

static bool direct_mapped_type(uint32_t t) { return t == MEM_USABLE || t == MEM_ACPI_RECLAIM || t == MEM_ACPI_NVS; }

int paging_init(const struct mem_region *map, size_t n, const char **why)
{
    uint64_t pml4 = frame_alloc_zeroed();
    if (pml4 == FRAME_NONE || pml4 >= (1ull << 32)) {
        *why = "no frame below 4 GiB for the kernel PML4 (the AP trampoline loads it in 32-bit mode)";
        return -1;
    }
    int r = map_image(pml4, _text_start, _text_end, PTE_G);
    r = r ? r : map_image(pml4, _rodata_start, _rodata_end, PTE_NX | PTE_G);
    r = r ? r : map_image(pml4, _data_start, _data_end, PTE_W | PTE_NX | PTE_G);
    /* Direct map: every 2 MiB chunk holding RAM or ACPI memory (plus chunk 0, for the BIOS areas). */
    uint64_t end = 0;
    for (size_t i = 0; i < n; i++)
        if (direct_mapped_type(map[i].type) && map[i].base + map[i].len > end)
            end = map[i].base + map[i].len;
    if (end > DIRECT_MAP_MAX)
        end = DIRECT_MAP_MAX;
    for (uint64_t c = 0; c < end && !r; c += 0x200000) {
        bool want = c == 0;
        for (size_t i = 0; i < n && !want; i++)
            want = direct_mapped_type(map[i].type) && map[i].base < c + 0x200000 && c < map[i].base + map[i].len;
        if (want)
            r = paging_map_2m(pml4, DIRECT_MAP_BASE + c, c, 1, PTE_W | PTE_NX | PTE_G);
    }
    /* W^X for the alias too: the kernel's text and rodata are read-only through the direct map. */
    uint64_t img = (uint64_t)_text_start - KERNEL_VMA;
    r = r ? r : paging_protect(pml4, DIRECT_MAP_BASE + img, ((uint64_t)_rodata_end - (uint64_t)_text_start) / 4096,
                               PTE_NX | PTE_G);
    /* Create the MMIO window's and kernel stacks' top-level entries now (see paging.h). */
    int err;
    r = r ? r : (walk(pml4, MMIO_BASE, 3, true, 0, 0, &err) ? 0 : err);
    r = r ? r : (walk(pml4, KSTACK_BASE, 3, true, 0, 0, &err) ? 0 : err);
    if (r) {
        *why = "out of memory while building the kernel page tables";
        return -1;
    }
    kernel_pml4 = pml4;
    write_cr3(pml4);
    frames_use_direct_map();
    return 0;
}
