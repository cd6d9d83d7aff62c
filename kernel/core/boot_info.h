/* boot_info.h - what the boot loader told us, in one loader-independent structure.
 *
 * boot_info_parse() walks a multiboot 1 information structure or a multiboot 2 tag list (both are
 * untrusted input: a buggy or hostile loader, a fuzzer) and copies what the kernel needs: the raw
 * memory map, the modules, the command line and, for multiboot 2, the loader's copy of the ACPI RSDP.
 * It never follows a pointer without asking `read` for the bytes first, so the same code runs in the
 * kernel (read = physical memory through the boot identity map) and hosted (read = a test buffer).
 * Portable: no kernel headers. */
#ifndef PLADOF_KERNEL_BOOT_INFO_H
#define PLADOF_KERNEL_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36d76289u

#define BI_MAX_REGIONS 128
#define BI_MAX_MODULES 16
#define BI_NAME_MAX 64
#define BI_CMDLINE_MAX 256
#define BI_MB2_MAX_SIZE (1u << 20) /* a multiboot 2 info block larger than this is rejected */

/* E820 / multiboot memory types. */
enum mem_type { MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI_RECLAIM = 3, MEM_ACPI_NVS = 4, MEM_BAD = 5 };

struct mem_region {
    uint64_t base, len;
    uint32_t type;
};

struct boot_module {
    uint64_t start, end; /* physical, [start, end) */
    char name[BI_NAME_MAX];
};

struct boot_info {
    int loader; /* 1 or 2: multiboot version */
    struct mem_region mem[BI_MAX_REGIONS];
    size_t nmem;
    struct boot_module mod[BI_MAX_MODULES];
    size_t nmod;
    char cmdline[BI_CMDLINE_MAX];
    uint64_t info_start, info_end; /* the info structure itself, to keep it out of the allocator */
    uint8_t rsdp[36];              /* multiboot 2 only: the loader's copy of the RSDP */
    size_t rsdp_len;               /* 0 when the loader gave none */
    unsigned warnings;             /* BI_W* bits: input that was odd but usable */
};

enum {
    BI_WMAP_FROM_MEMINFO = 1u << 0, /* no memory map: built from mem_lower/mem_upper */
    BI_WTOO_MANY_REGIONS = 1u << 1, /* regions beyond BI_MAX_REGIONS were dropped */
    BI_WTOO_MANY_MODULES = 1u << 2, /* modules beyond BI_MAX_MODULES were dropped */
    BI_WLONG_STRING = 1u << 3,      /* a command line or module name was cut */
};

enum bi_err {
    BI_OK = 0,
    BI_EMAGIC = -1,    /* unknown loader magic */
    BI_EREAD = -2,     /* a pointer in the info leads outside readable memory */
    BI_ESIZE = -3,     /* total size or a tag/entry size is impossible */
    BI_ENOMAP = -4,    /* neither a memory map nor basic memory info */
    BI_EMAP = -5,      /* malformed memory map entry */
    BI_EMODULE = -6,   /* malformed module (end before start) */
    BI_ENOEND = -7,    /* multiboot 2 tag list without an end tag */
};

/* Returns a pointer to `len` readable bytes at physical address `pa`, or NULL if any of them is not. */
typedef const void *(*phys_read_fn)(void *ctx, uint64_t pa, size_t len);

/* Parses the loader's information. On failure returns a BI_E* code and sets *why to a sentence naming
 * the problem (static storage); `out` is then partially filled and must not be used. */
int boot_info_parse(uint32_t magic, uint64_t info_pa, phys_read_fn read, void *ctx, struct boot_info *out,
                    const char **why);

/* Checks the modules against each other and against [img_start, img_end) (the kernel image).
 * A module that overlaps the kernel or an earlier module is dropped; returns the number dropped and
 * sets *why for the first one. */
size_t boot_modules_check(struct boot_info *bi, uint64_t img_start, uint64_t img_end, const char **why);

#endif
