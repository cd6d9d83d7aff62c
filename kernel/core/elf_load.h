/* elf_load.h - a strict parser for the static ELF64 x86-64 executables the kernel starts (init).
 *
 * elf_parse only reads and checks; the kernel then creates memory and mappings through the
 * capability core (kernel/exo/init.c). Portable, freestanding, tested hosted
 * (tests/kexo/test_elf.c) and fuzzed (tests/kexo/fuzz_elf.c).
 *
 * Accepted: ELFCLASS64, little-endian, version 1, ET_EXEC, EM_X86_64, program headers of 56 bytes
 * inside the file, 1..ELF_MAX_SEGS PT_LOAD segments. Each segment: filesz <= memsz, memsz > 0,
 * file bytes inside the file, vaddr and offset congruent modulo the page size, page range inside
 * [EXO_USER_VA_MIN, EXO_USER_VA_END) without wrapping, readable, not both writable and executable,
 * no page shared with another segment, at most ELF_MAX_PAGES pages in all. The entry point lies in
 * an executable segment. PT_INTERP and PT_DYNAMIC (dynamic linking) and PT_TLS are refused; other
 * program header types (notes, GNU_STACK, ...) are ignored. */
#ifndef PLADOF_KERNEL_CORE_ELF_LOAD_H
#define PLADOF_KERNEL_CORE_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS  8
#define ELF_MAX_PAGES 4096 /* 16 MiB of image */

struct elf_seg {
    uint64_t page_va;  /* first page of the segment (page aligned) */
    uint64_t npages;   /* pages covering [vaddr, vaddr + memsz) */
    uint64_t vaddr;    /* where the file bytes start */
    uint64_t offset;   /* file offset of those bytes */
    uint64_t filesz;   /* bytes copied from the file; the rest up to memsz is zero */
    uint64_t memsz;
    unsigned perms;    /* EXO_MAP_R | EXO_MAP_W | EXO_MAP_X */
};

struct elf_image {
    uint64_t entry;
    unsigned nseg;
    struct elf_seg seg[ELF_MAX_SEGS]; /* sorted by address */
};

/* Parses and checks buf[0..len). Returns 0, or -1 with *why naming the first failed check. */
int elf_parse(const void *buf, size_t len, struct elf_image *out, const char **why);

#endif
