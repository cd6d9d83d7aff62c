/* boot_info.c - multiboot 1 and 2 information walkers (see boot_info.h).
 *
 * Every length and pointer comes from the loader and is checked before use: sizes are bounded, each
 * read goes through the caller's `read` function, arithmetic on addresses is done so that it cannot
 * wrap. The parser fails closed: a malformed memory map is an error (the kernel must not guess which
 * memory is free), while odd-but-harmless input (too many entries, long names) is cut and flagged. */
#include "kernel/core/boot_info.h"

#include <stdbool.h>
#include "lib/base/mem.h"

static uint32_t rd32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int fail(const char **why, const char *msg, int code)
{
    *why = msg;
    return code;
}

/* Copies a NUL-terminated string at physical `pa` into dst[cap], byte by byte through `read`. */
static int copy_string(uint64_t pa, phys_read_fn read, void *ctx, char *dst, size_t cap, struct boot_info *bi)
{
    size_t i = 0;
    for (;; i++) {
        const uint8_t *c = read(ctx, pa + i, 1);
        if (!c || pa + i < pa)
            return BI_EREAD;
        if (*c == 0)
            break;
        if (i + 1 >= cap) {
            bi->warnings |= BI_WLONG_STRING;
            break;
        }
        dst[i] = (char)*c;
    }
    dst[i] = 0;
    return BI_OK;
}

/* Copies a string that lies inside a tag buffer [s, s+n) (multiboot 2: strings are embedded). */
static void copy_embedded(const uint8_t *s, size_t n, char *dst, size_t cap, struct boot_info *bi)
{
    size_t i = 0;
    while (i < n && s[i] && i + 1 < cap) {
        dst[i] = (char)s[i];
        i++;
    }
    if (i < n && s[i] && i + 1 >= cap)
        bi->warnings |= BI_WLONG_STRING;
    dst[i] = 0;
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (bi->nmem == BI_MAX_REGIONS) {
        bi->warnings |= BI_WTOO_MANY_REGIONS;
        return;
    }
    bi->mem[bi->nmem++] = (struct mem_region){base, len, type};
}

static int add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char **why)
{
    if (end < start)
        return fail(why, "boot module ends before it starts", BI_EMODULE);
    if (bi->nmod == BI_MAX_MODULES) {
        bi->warnings |= BI_WTOO_MANY_MODULES;
        return BI_OK;
    }
    bi->mod[bi->nmod].start = start;
    bi->mod[bi->nmod].end = end;
    bi->mod[bi->nmod].name[0] = 0;
    bi->nmod++;
    return BI_OK;
}

static int parse_mb1(uint64_t pa, phys_read_fn read, void *ctx, struct boot_info *bi, const char **why)
{
    const uint8_t *h = read(ctx, pa, 52);
    if (!h)
        return fail(why, "multiboot 1 info structure is not readable", BI_EREAD);
    uint32_t flags = rd32(h);
    bi->info_start = pa;
    bi->info_end = pa + 52;

    if (flags & (1u << 2)) {
        int r = copy_string(rd32(h + 16), read, ctx, bi->cmdline, sizeof bi->cmdline, bi);
        if (r)
            return fail(why, "multiboot 1 command line is not readable", r);
    }
    if (flags & (1u << 3)) {
        uint32_t count = rd32(h + 20), addr = rd32(h + 24);
        if (count > 4096)
            return fail(why, "multiboot 1 module count is implausible (> 4096)", BI_ESIZE);
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *m = read(ctx, (uint64_t)addr + 16ull * i, 16);
            if (!m)
                return fail(why, "multiboot 1 module list is not readable", BI_EREAD);
            size_t before = bi->nmod;
            int r = add_module(bi, rd32(m), rd32(m + 4), why);
            if (r)
                return r;
            if (bi->nmod > before && rd32(m + 8)) {
                r = copy_string(rd32(m + 8), read, ctx, bi->mod[before].name, BI_NAME_MAX, bi);
                if (r)
                    return fail(why, "multiboot 1 module name is not readable", r);
            }
        }
    }
    if (flags & (1u << 6)) {
        uint32_t len = rd32(h + 44), addr = rd32(h + 48);
        if (len == 0 || len > 65536)
            return fail(why, "multiboot 1 memory map length is 0 or implausible (> 64 KiB)", BI_ESIZE);
        const uint8_t *map = read(ctx, addr, len);
        if (!map)
            return fail(why, "multiboot 1 memory map is not readable", BI_EREAD);
        uint32_t off = 0;
        while (off < len) {
            if (len - off < 24)
                return fail(why, "multiboot 1 memory map is truncated (partial entry at the end)", BI_EMAP);
            uint32_t size = rd32(map + off);
            if (size < 20 || size > len - off - 4)
                return fail(why, "multiboot 1 memory map entry has a bad size field", BI_EMAP);
            add_region(bi, rd64(map + off + 4), rd64(map + off + 12), rd32(map + off + 20));
            off += size + 4;
        }
    } else if (flags & 1u) {
        uint32_t lower = rd32(h + 4), upper = rd32(h + 8);
        bi->warnings |= BI_WMAP_FROM_MEMINFO;
        add_region(bi, 0, (uint64_t)lower * 1024, MEM_USABLE);
        add_region(bi, 0x100000, (uint64_t)upper * 1024, MEM_USABLE);
    } else {
        return fail(why, "multiboot 1 info has neither a memory map nor basic memory info", BI_ENOMAP);
    }
    return BI_OK;
}

static int parse_mb2_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi, const char **why)
{
    if (size < 16)
        return fail(why, "multiboot 2 memory map tag is too short", BI_EMAP);
    uint32_t esize = rd32(t + 8);
    if (esize < 24 || esize % 8)
        return fail(why, "multiboot 2 memory map entry size is not a multiple of 8 >= 24", BI_EMAP);
    if ((size - 16) % esize)
        return fail(why, "multiboot 2 memory map is truncated (partial entry at the end)", BI_EMAP);
    for (uint32_t off = 16; off < size; off += esize)
        add_region(bi, rd64(t + off), rd64(t + off + 8), rd32(t + off + 16));
    return BI_OK;
}

static int parse_mb2(uint64_t pa, phys_read_fn read, void *ctx, struct boot_info *bi, const char **why)
{
    if (pa % 8)
        return fail(why, "multiboot 2 info is not 8-byte aligned", BI_ESIZE);
    const uint8_t *h = read(ctx, pa, 8);
    if (!h)
        return fail(why, "multiboot 2 info is not readable", BI_EREAD);
    uint32_t total = rd32(h);
    if (total < 16 || total > BI_MB2_MAX_SIZE)
        return fail(why, "multiboot 2 info total size is impossible (< 16 or > 1 MiB)", BI_ESIZE);
    const uint8_t *b = read(ctx, pa, total);
    if (!b)
        return fail(why, "multiboot 2 info is not readable for its whole total size", BI_EREAD);
    bi->info_start = pa;
    bi->info_end = pa + total;

    bool have_map = false, have_meminfo = false, ended = false;
    uint32_t lower = 0, upper = 0;
    uint32_t off = 8;
    while (off + 8 <= total) {
        uint32_t type = rd32(b + off), size = rd32(b + off + 4);
        if (size < 8 || size > total - off)
            return fail(why, "multiboot 2 tag size runs past the end of the info", BI_ESIZE);
        const uint8_t *t = b + off;
        int r = BI_OK;
        switch (type) {
        case 0:
            ended = true;
            break;
        case 1: /* command line */
            copy_embedded(t + 8, size - 8, bi->cmdline, sizeof bi->cmdline, bi);
            break;
        case 3: /* module */
            if (size < 16)
                return fail(why, "multiboot 2 module tag is too short", BI_ESIZE);
            {
                size_t before = bi->nmod;
                r = add_module(bi, rd32(t + 8), rd32(t + 12), why);
                if (!r && bi->nmod > before)
                    copy_embedded(t + 16, size - 16, bi->mod[before].name, BI_NAME_MAX, bi);
            }
            break;
        case 4: /* basic memory info */
            if (size < 16)
                return fail(why, "multiboot 2 basic memory info tag is too short", BI_ESIZE);
            lower = rd32(t + 8), upper = rd32(t + 12), have_meminfo = true;
            break;
        case 6:
            if (have_map)
                return fail(why, "multiboot 2 info has two memory map tags", BI_EMAP);
            r = parse_mb2_mmap(t, size, bi, why);
            have_map = true;
            break;
        case 14: /* ACPI 1.0 RSDP copy */
        case 15: /* ACPI 2.0+ RSDP copy */
            if (size - 8 >= 20 && (bi->rsdp_len == 0 || type == 15)) {
                bi->rsdp_len = size - 8 > sizeof bi->rsdp ? sizeof bi->rsdp : size - 8;
                memcpy(bi->rsdp, t + 8, bi->rsdp_len);
            }
            break;
        default:
            break; /* tags we do not use */
        }
        if (r)
            return r;
        if (ended)
            break;
        off += (size + 7) & ~7u;
    }
    if (!ended)
        return fail(why, "multiboot 2 tag list has no end tag (truncated)", BI_ENOEND);
    if (!have_map) {
        if (!have_meminfo)
            return fail(why, "multiboot 2 info has neither a memory map nor basic memory info", BI_ENOMAP);
        bi->warnings |= BI_WMAP_FROM_MEMINFO;
        add_region(bi, 0, (uint64_t)lower * 1024, MEM_USABLE);
        add_region(bi, 0x100000, (uint64_t)upper * 1024, MEM_USABLE);
    }
    return BI_OK;
}

int boot_info_parse(uint32_t magic, uint64_t info_pa, phys_read_fn read, void *ctx, struct boot_info *out,
                    const char **why)
{
    memset(out, 0, sizeof *out);
    *why = "";
    if (magic == MB1_BOOT_MAGIC) {
        out->loader = 1;
        return parse_mb1(info_pa, read, ctx, out, why);
    }
    if (magic == MB2_BOOT_MAGIC) {
        out->loader = 2;
        return parse_mb2(info_pa, read, ctx, out, why);
    }
    return fail(why, "unknown boot loader magic (not multiboot 1 or 2)", BI_EMAGIC);
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) { return a0 < b1 && b0 < a1; }

size_t boot_modules_check(struct boot_info *bi, uint64_t img_start, uint64_t img_end, const char **why)
{
    size_t dropped = 0, keep = 0;
    *why = "";
    for (size_t i = 0; i < bi->nmod; i++) {
        struct boot_module *m = &bi->mod[i];
        const char *bad = 0;
        if (overlaps(m->start, m->end, img_start, img_end))
            bad = "a boot module overlaps the kernel image; module dropped";
        for (size_t j = 0; j < keep && !bad; j++)
            if (overlaps(m->start, m->end, bi->mod[j].start, bi->mod[j].end))
                bad = "two boot modules overlap; the later one is dropped";
        if (bad) {
            if (!dropped)
                *why = bad;
            dropped++;
            continue;
        }
        if (keep != i)
            bi->mod[keep] = *m;
        keep++;
    }
    bi->nmod = keep;
    return dropped;
}
