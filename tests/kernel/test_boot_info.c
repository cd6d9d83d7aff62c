/* test_boot_info.c - multiboot 1/2 walker: well-formed info from both loaders, and every kind of
 * malformed input the kernel must refuse with a clear reason (truncated maps, bad sizes, pointers
 * outside memory, missing end tag), plus module overlap checks. */
#include "tests/lib/tap.h"
#include "tests/kernel/fakephys.h"
#include "kernel/core/boot_info.h"

#define BASE 0x10000
static uint8_t mem[8192];
static struct fakephys fp = {mem, BASE, sizeof mem};
static struct boot_info bi;
static const char *why;

/* multiboot 1: info at +0, mmap at +0x100, modules at +0x400, strings at +0x600 */
static void mb1_build(uint32_t flags, uint32_t mmap_len)
{
    memset(mem, 0, sizeof mem);
    put32(mem, flags);
    put32(mem + 4, 639), put32(mem + 8, 65536);
    put32(mem + 16, BASE + 0x600);
    strcpy((char *)mem + 0x600, "ktest.initrd=ok");
    put32(mem + 20, 2), put32(mem + 24, BASE + 0x400);
    put32(mem + 0x400, 0x200000), put32(mem + 0x404, 0x201000), put32(mem + 0x408, BASE + 0x700);
    put32(mem + 0x410, 0x300000), put32(mem + 0x414, 0x300800), put32(mem + 0x418, 0);
    strcpy((char *)mem + 0x700, "initramfs");
    put32(mem + 44, mmap_len), put32(mem + 48, BASE + 0x100);
    uint64_t ents[3][3] = {{0, 0x9fc00, 1}, {0xf0000, 0x10000, 2}, {0x100000, 0x7ee0000, 1}};
    for (int i = 0; i < 3; i++) {
        uint8_t *e = mem + 0x100 + 24 * i;
        put32(e, 20), put64(e + 4, ents[i][0]), put64(e + 12, ents[i][1]), put32(e + 20, (uint32_t)ents[i][2]);
    }
}

static int parse(uint32_t magic) { return boot_info_parse(magic, BASE, fakephys_read, &fp, &bi, &why); }

static void test_mb1(void)
{
    mb1_build(0x4f, 72);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_OK, "mb1: well-formed info parses");
    tap_eq(bi.loader, 1, "mb1: loader version recorded");
    tap_eq(bi.nmem, 3, "mb1: three memory map entries");
    tap_ok(bi.mem[2].base == 0x100000 && bi.mem[2].len == 0x7ee0000 && bi.mem[2].type == 1, "mb1: entry contents");
    tap_eq(bi.nmod, 2, "mb1: two modules");
    tap_ok(strcmp(bi.mod[0].name, "initramfs") == 0 && bi.mod[0].end == 0x201000, "mb1: module name and range");
    tap_ok(strcmp(bi.cmdline, "ktest.initrd=ok") == 0, "mb1: command line copied");

    mb1_build(0x4f, 70);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EMAP, "mb1: map length cutting an entry is rejected (%s)", why);
    mb1_build(0x4f, 0);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_ESIZE, "mb1: zero map length is rejected");
    mb1_build(0x4f, 72);
    put32(mem + 0x100 + 24, 200);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EMAP, "mb1: entry size past the map end is rejected");
    mb1_build(0x4f, 72);
    put32(mem + 0x100, 8);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EMAP, "mb1: entry size below 20 is rejected");
    mb1_build(0x4f, 72);
    put32(mem + 48, 0xfff00000);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EREAD, "mb1: map pointer outside memory is rejected");
    mb1_build(0x4f, 72);
    put32(mem + 16, 0x90000000);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EREAD, "mb1: command line pointer outside memory is rejected");
    mb1_build(0x4f, 72);
    memset(mem + sizeof mem - 16, 'x', 16); /* unterminated string running off memory */
    put32(mem + 16, BASE + sizeof mem - 16);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EREAD, "mb1: unterminated command line at the end of memory is rejected");
    mb1_build(0x4f, 72);
    memset(mem + 0x600, 'x', 1000);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_OK, "mb1: over-long command line is cut, not fatal");
    tap_ok((bi.warnings & BI_WLONG_STRING) && strlen(bi.cmdline) == BI_CMDLINE_MAX - 1, "mb1: ...and flagged");
    mb1_build(0x4f, 72);
    put32(mem + 0x404, 0x100000);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_EMODULE, "mb1: module ending before its start is rejected");
    mb1_build(0x4f, 72);
    put32(mem + 20, 100000);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_ESIZE, "mb1: absurd module count is rejected");
    mb1_build(0x0f, 72); /* no map, basic meminfo only */
    tap_eq(parse(MB1_BOOT_MAGIC), BI_OK, "mb1: meminfo-only info parses");
    tap_ok(bi.nmem == 2 && (bi.warnings & BI_WMAP_FROM_MEMINFO) && bi.mem[1].len == 65536ull * 1024,
           "mb1: map synthesised from mem_lower/mem_upper and flagged");
    mb1_build(0x0c, 72);
    tap_eq(parse(MB1_BOOT_MAGIC), BI_ENOMAP, "mb1: no map and no meminfo is rejected");
    tap_eq(boot_info_parse(0x12345678, BASE, fakephys_read, &fp, &bi, &why), BI_EMAGIC, "unknown magic is rejected");
    tap_eq(boot_info_parse(MB1_BOOT_MAGIC, BASE + sizeof mem - 10, fakephys_read, &fp, &bi, &why), BI_EREAD,
           "mb1: info structure running off memory is rejected");
}

/* multiboot 2: returns total size */
static size_t off2;
static uint8_t *tag(uint32_t type, uint32_t size)
{
    uint8_t *t = mem + off2;
    put32(t, type), put32(t + 4, size);
    off2 += (size + 7) & ~7u;
    return t;
}

static uint32_t mb2_build(int with_end, int mmap_entries, uint32_t esize)
{
    memset(mem, 0, sizeof mem);
    off2 = 8;
    uint8_t *t = tag(1, 8 + 6);
    memcpy(t + 8, "hello", 6);
    t = tag(3, 16 + 10);
    put32(t + 8, 0x400000), put32(t + 12, 0x480000);
    memcpy(t + 16, "initramfs", 10);
    t = tag(6, 16 + esize * mmap_entries);
    put32(t + 8, esize), put32(t + 12, 0);
    for (int i = 0; i < mmap_entries; i++) {
        uint8_t *e = t + 16 + esize * i;
        put64(e, 0x100000ull * (i + 1) * 16), put64(e + 8, 0x100000), put32(e + 16, 1);
    }
    uint8_t rsdp[20] = "RSD PTR ";
    t = tag(14, 8 + 20);
    memcpy(t + 8, rsdp, 20);
    if (with_end)
        tag(0, 8);
    put32(mem, (uint32_t)off2);
    return (uint32_t)off2;
}

static void test_mb2(void)
{
    mb2_build(1, 4, 24);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_OK, "mb2: well-formed tags parse");
    tap_ok(bi.loader == 2 && bi.nmem == 4 && bi.mem[3].base == 0x4000000, "mb2: memory map entries");
    tap_ok(bi.nmod == 1 && strcmp(bi.mod[0].name, "initramfs") == 0 && bi.mod[0].start == 0x400000,
           "mb2: module with embedded name");
    tap_ok(strcmp(bi.cmdline, "hello") == 0, "mb2: command line");
    tap_ok(bi.rsdp_len == 20 && memcmp(bi.rsdp, "RSD PTR ", 8) == 0, "mb2: RSDP copy kept");
    tap_ok(bi.info_start == BASE && bi.info_end == BASE + off2, "mb2: info range recorded for reservation");

    mb2_build(0, 4, 24);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_ENOEND, "mb2: missing end tag is rejected (%s)", why);
    mb2_build(1, 4, 24);
    put32(mem, 40); /* total size cuts the module tag at offset 24 */
    tap_eq(parse(MB2_BOOT_MAGIC), BI_ESIZE, "mb2: total size cutting a tag is rejected");
    mb2_build(1, 4, 24);
    put32(mem, 4);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_ESIZE, "mb2: total size below 16 is rejected");
    mb2_build(1, 4, 24);
    put32(mem, 0x7fffffff);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_ESIZE, "mb2: huge total size is rejected");
    mb2_build(1, 4, 24);
    put32(mem + 8 + 4, 4); /* first tag size < 8 */
    tap_eq(parse(MB2_BOOT_MAGIC), BI_ESIZE, "mb2: tag size below 8 is rejected");
    mb2_build(1, 4, 20);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_EMAP, "mb2: entry size 20 (not a multiple of 8) is rejected");
    mb2_build(1, 4, 24);
    {
        uint8_t *m = mem + 8 + 16 + 32; /* the mmap tag */
        put32(m + 4, 16 + 24 * 4 - 8);
    }
    tap_eq(parse(MB2_BOOT_MAGIC), BI_EMAP, "mb2: map tag cutting an entry is rejected");
    mb2_build(1, 0, 24);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_OK, "mb2: empty map tag parses (sanitiser reports no memory)");
    tap_eq(bi.nmem, 0, "mb2: ...with zero regions");
    mb2_build(1, 200, 24);
    tap_eq(parse(MB2_BOOT_MAGIC), BI_OK, "mb2: more regions than fit are cut");
    tap_ok(bi.nmem == BI_MAX_REGIONS && (bi.warnings & BI_WTOO_MANY_REGIONS), "mb2: ...and flagged");
    tap_eq(boot_info_parse(MB2_BOOT_MAGIC, BASE + 4, fakephys_read, &fp, &bi, &why), BI_ESIZE,
           "mb2: misaligned info is rejected");
}

static void test_modules_check(void)
{
    memset(&bi, 0, sizeof bi);
    bi.nmod = 4;
    bi.mod[0] = (struct boot_module){0x200000, 0x300000, "a"};
    bi.mod[1] = (struct boot_module){0x150000, 0x160000, "overlaps-kernel"};
    bi.mod[2] = (struct boot_module){0x2ff000, 0x310000, "overlaps-a"};
    bi.mod[3] = (struct boot_module){0x310000, 0x320000, "b"};
    size_t dropped = boot_modules_check(&bi, 0x100000, 0x180000, &why);
    tap_eq(dropped, 2, "modules: two overlapping modules dropped (%s)", why);
    tap_ok(bi.nmod == 2 && strcmp(bi.mod[0].name, "a") == 0 && strcmp(bi.mod[1].name, "b") == 0,
           "modules: the good ones kept in order");
}

/* Writes fuzz seeds (loader byte + memory image at the harness's base 0x10000) into dir. */
static int write_seeds(const char *dir)
{
    char path[512];
    for (int v = 0; v < 2; v++) {
        size_t n = sizeof mem;
        if (v == 0)
            mb1_build(0x4f, 72);
        else
            n = mb2_build(1, 4, 24);
        snprintf(path, sizeof path, "%s/mb%d.bin", dir, v + 1);
        FILE *f = fopen(path, "wb");
        uint8_t sel = (uint8_t)v;
        if (!f || fwrite(&sel, 1, 1, f) != 1 || fwrite(mem, 1, n, f) != n || fclose(f))
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
        return write_seeds(argv[2]);
    test_mb1();
    test_mb2();
    test_modules_check();
    return tap_done();
}
