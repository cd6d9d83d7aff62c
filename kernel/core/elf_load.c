/* elf_load.c - the ELF64 checks of elf_load.h. Every field is read with explicit little-endian
 * loads from the byte buffer (no casts of untrusted memory to structs, no alignment assumptions),
 * and every sum is checked for overflow before it is compared. */
#include "kernel/core/elf_load.h"

#include <stdbool.h>

#include <pladof/exo.h>

#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define ET_EXEC     2
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_DYNAMIC  2
#define PT_INTERP   3
#define PT_TLS      7
#define PF_X        1
#define PF_W        2
#define PF_R        4
#define PG          ((uint64_t)EXO_PAGE_SIZE)

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

#define FAIL(msg)          \
    do {                   \
        *why = (msg);      \
        return -1;         \
    } while (0)

static int check_header(const uint8_t *b, size_t len, uint64_t *phoff, uint64_t *phnum, const char **why)
{
    if (len < EHDR_SIZE)
        FAIL("file shorter than the ELF header");
    if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
        FAIL("bad ELF magic");
    if (b[4] != 2)
        FAIL("not ELFCLASS64");
    if (b[5] != 1)
        FAIL("not little-endian");
    if (b[6] != 1 || rd(b + 20, 4) != 1)
        FAIL("unknown ELF version");
    if (rd(b + 16, 2) != ET_EXEC)
        FAIL("not a static executable (ET_EXEC)");
    if (rd(b + 18, 2) != EM_X86_64)
        FAIL("not an x86-64 executable");
    if (rd(b + 52, 2) != EHDR_SIZE)
        FAIL("bad ELF header size");
    *phoff = rd(b + 32, 8);
    *phnum = rd(b + 56, 2);
    if (rd(b + 54, 2) != PHDR_SIZE)
        FAIL("bad program header entry size");
    if (*phnum == 0)
        FAIL("no program headers");
    if (*phoff > len || *phnum * PHDR_SIZE > len - *phoff)
        FAIL("program headers outside the file");
    return 0;
}

static int check_segment(const uint8_t *ph, size_t len, struct elf_seg *s, const char **why)
{
    uint64_t flags = rd(ph + 4, 4), off = rd(ph + 8, 8), va = rd(ph + 16, 8);
    uint64_t filesz = rd(ph + 32, 8), memsz = rd(ph + 40, 8);
    if (memsz == 0)
        FAIL("empty PT_LOAD segment");
    if (filesz > memsz)
        FAIL("segment file size larger than its memory size");
    if (off > len || filesz > len - off)
        FAIL("segment bytes outside the file");
    if ((va & (PG - 1)) != (off & (PG - 1)))
        FAIL("segment address and offset not congruent modulo the page size");
    if (va < EXO_USER_VA_MIN || va >= EXO_USER_VA_END || memsz > EXO_USER_VA_END - va)
        FAIL("segment outside the user address range (or wrapping)");
    if (!(flags & PF_R))
        FAIL("segment not readable");
    if ((flags & PF_W) && (flags & PF_X))
        FAIL("segment both writable and executable");
    s->page_va = va & ~(PG - 1);
    uint64_t end = (va + memsz + PG - 1) & ~(PG - 1); /* cannot wrap: va + memsz <= 2^47 */
    s->npages = (end - s->page_va) / PG;
    s->vaddr = va;
    s->offset = off;
    s->filesz = filesz;
    s->memsz = memsz;
    s->perms = EXO_MAP_R | ((flags & PF_W) ? EXO_MAP_W : 0) | ((flags & PF_X) ? EXO_MAP_X : 0);
    return 0;
}

int elf_parse(const void *buf, size_t len, struct elf_image *out, const char **why)
{
    const uint8_t *b = buf;
    uint64_t phoff, phnum, pages = 0;
    if (check_header(b, len, &phoff, &phnum, why))
        return -1;
    out->nseg = 0;
    out->entry = rd(b + 24, 8);
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + i * PHDR_SIZE;
        uint64_t type = rd(ph, 4);
        if (type == PT_INTERP || type == PT_DYNAMIC)
            FAIL("dynamically linked (PT_INTERP or PT_DYNAMIC)");
        if (type == PT_TLS)
            FAIL("thread-local storage (PT_TLS) is not supported");
        if (type != PT_LOAD)
            continue;
        if (out->nseg == ELF_MAX_SEGS)
            FAIL("too many PT_LOAD segments");
        struct elf_seg s;
        if (check_segment(ph, len, &s, why))
            return -1;
        pages += s.npages;
        if (pages > ELF_MAX_PAGES)
            FAIL("image larger than ELF_MAX_PAGES");
        /* insert sorted; no page may belong to two segments */
        unsigned at = out->nseg;
        while (at > 0 && out->seg[at - 1].page_va > s.page_va)
            at--;
        if (at > 0 && out->seg[at - 1].page_va + out->seg[at - 1].npages * PG > s.page_va)
            FAIL("segments share a page (overlap)");
        if (at < out->nseg && s.page_va + s.npages * PG > out->seg[at].page_va)
            FAIL("segments share a page (overlap)");
        for (unsigned j = out->nseg; j > at; j--)
            out->seg[j] = out->seg[j - 1];
        out->seg[at] = s;
        out->nseg++;
    }
    if (out->nseg == 0)
        FAIL("no PT_LOAD segment");
    bool entry_ok = false;
    for (unsigned i = 0; i < out->nseg; i++) {
        const struct elf_seg *s = &out->seg[i];
        if ((s->perms & EXO_MAP_X) && out->entry >= s->vaddr && out->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        FAIL("entry point not inside an executable segment");
    return 0;
}
