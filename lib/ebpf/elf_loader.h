/* elf_loader.h - loads eBPF programs from clang-compiled ELF relocatable objects.
 *
 * Input: an ELF64 little-endian ET_REL object for EM_BPF (247), as produced by
 * `clang -target bpf -O2 -c`. Every header, offset, size, string and index is checked before it
 * is used; a malformed object is rejected with a message naming what is wrong. Nothing is
 * allocated: the parsed object points into the caller's buffer, which must outlive it.
 *
 * What is understood:
 *   - program sections: every SHF_EXECINSTR section other than ".text" is one program whose entry
 *     is its first instruction (section name = program name, e.g. "socket", "xdp");
 *   - ".text": subprograms (noinline functions) reached by bpf-to-bpf calls; linking a program
 *     appends ".text" after the program's own instructions when the program calls into it;
 *   - maps: the legacy "maps" section of 20-byte `struct bpf_map_def` records
 *     {type, key_size, value_size, max_entries, map_flags} (u32 each), one named OBJECT symbol
 *     per record; and BTF-style ".maps" definitions (`__uint(type, ..)`, `__type(key, ..)`...),
 *     whose shapes exist only in the .BTF section, which clang emits only with -g: a ".maps"
 *     section without .BTF is rejected with an explanatory error. Map indexes: legacy maps
 *     first, in section order, then BTF maps in symbol order;
 *   - relocations in ".rel<progsection>": R_BPF_64_64 (1) on an lddw that loads a map address
 *     (rewritten to src = EBPF_ELF_PSEUDO_MAP, imm = map index) and R_BPF_64_32 (10) on a
 *     bpf-to-bpf call (rewritten to a pc-relative call, src = 1). Relocation sections for other
 *     sections (debug info, BTF) are structure-checked and otherwise ignored.
 *
 * Freestanding: only fixed-size types and lib/base/mem.h. */
#ifndef PLADOF_LIB_EBPF_ELF_LOADER_H
#define PLADOF_LIB_EBPF_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define EBPF_ELF_MAX_SECTIONS 256
#define EBPF_ELF_MAX_PROGS 32
#define EBPF_ELF_MAX_MAPS 64
#define EBPF_ELF_NAME_MAX 64   /* longest section / map name kept, including the NUL */
#define EBPF_ELF_MAP_DEF_SIZE 20
/* src_reg value of an lddw whose imm is a map index after linking (Linux's BPF_PSEUDO_MAP_FD). */
#define EBPF_ELF_PSEUDO_MAP 1
/* src_reg value of a bpf-to-bpf call (imm = pc-relative target). */
#define EBPF_ELF_PSEUDO_CALL 1

#define EBPF_R_BPF_NONE 0
#define EBPF_R_BPF_64_64 1
#define EBPF_R_BPF_64_ABS64 2
#define EBPF_R_BPF_64_ABS32 3
#define EBPF_R_BPF_64_NODYLD32 4
#define EBPF_R_BPF_64_32 10

struct ebpf_elf_map {
    char name[EBPF_ELF_NAME_MAX];
    uint32_t type, key_size, value_size, max_entries, flags;
    uint16_t shndx;     /* section of its definition ("maps" or ".maps") */
    uint64_t off;       /* offset of its definition in that section */
};

struct ebpf_elf_prog {
    char name[EBPF_ELF_NAME_MAX]; /* the section name */
    uint16_t shndx;               /* its section index */
    uint16_t rel_shndx;           /* its relocation section, 0 if none */
    uint32_t insn_cnt;            /* instructions in the section itself (lddw counts as two) */
};

struct ebpf_elf_obj {
    const uint8_t *buf;
    size_t len;
    uint16_t shnum, symtab, strtab, text, text_rel, maps_shndx, btf_maps_shndx, btf_shndx;
    uint32_t nsyms;
    uint32_t nprogs, nmaps;
    struct ebpf_elf_prog progs[EBPF_ELF_MAX_PROGS];
    struct ebpf_elf_map maps[EBPF_ELF_MAX_MAPS];
};

/* Parses and validates `buf[0..len)`. Returns 0 on success; on failure returns a negative value
 * and writes a NUL-terminated message of at most `errlen` bytes to `err` (which may be NULL). */
int ebpf_elf_load(struct ebpf_elf_obj *obj, const uint8_t *buf, size_t len, char *err,
                  size_t errlen);

/* Index of the program whose section is called `name`, or -1. */
int ebpf_elf_find_prog(const struct ebpf_elf_obj *obj, const char *name);

/* Links program `idx` into `out` (8 bytes per instruction, RFC 9669 layout), at most `max_insns`
 * instructions, applying its relocations (and those of ".text" when it is appended). The number of
 * instructions is stored in *count. Returns 0, or a negative value with a message in `err`. */
int ebpf_elf_link(const struct ebpf_elf_obj *obj, uint32_t idx, uint8_t *out, uint32_t max_insns,
                  uint32_t *count, char *err, size_t errlen);

#endif
