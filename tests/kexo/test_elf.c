/* test_elf.c - hosted tests of the ELF loader's checks (kernel/core/elf_load.c): every rejection
 * named in elf_load.h, positive images (sorted segments, bss, unaligned starts), every truncation
 * of a real user program (argv[1], built by make) and of a synthetic image.
 * With --seeds DIR it writes the images to DIR as fuzz seeds. */
#include <stdio.h>
#include <stdlib.h>

#include <pladof/exo.h>

#include "kernel/core/elf_load.h"
#include "tests/kexo/elf_build.h"
#include "tests/lib/tap.h"

#define R 4
#define W 2
#define X 1
#define BASE 0x400000ull

static uint8_t img[1 << 16];
static const char *seed_dir;
static int seed_n;

static void seed(const uint8_t *b, size_t n)
{
    if (!seed_dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/elf-%03d", seed_dir, seed_n++);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(b, 1, n, f);
        fclose(f);
    }
}

/* Parses the image built from segs; expects success (want == NULL) or the rejection `want`. */
static void check(const char *name, uint64_t entry, const struct tseg *s, unsigned n, size_t min, const char *want)
{
    size_t len = elf_build(img, sizeof img, entry, s, n, min);
    seed(img, len);
    struct elf_image out;
    const char *why = "";
    int r = elf_parse(img, len, &out, &why);
    if (!want)
        tap_ok(r == 0, "%s: accepted%s%s", name, r ? " - rejected: " : "", r ? why : "");
    else if (!tap_ok(r == -1 && strcmp(why, want) == 0, "%s: rejected (%s)", name, want))
        tap_diag("got %d: %s", r, why);
}

static const struct tseg text = {1, R | X, 0, BASE, 0x1000, 0x1000};
static const struct tseg data = {1, R | W, 0x1000, BASE + 0x2000, 0x100, 0x3000};

static void header_tests(void)
{
    struct elf_image out;
    const char *why;
    size_t len = elf_build(img, sizeof img, BASE, &text, 1, 0x2000);
    int bad = 0;
    for (size_t cut = 0; cut < 64 + 56; cut++)
        bad += elf_parse(img, cut, &out, &why) != -1;
    tap_eq(bad, 0, "every truncation inside the headers is rejected");
    tap_eq(elf_parse(img, len, &out, &why), 0, "the untruncated image is accepted");
    struct { unsigned off, n; uint64_t v; const char *want; } mut[] = {
        {0, 1, 0x7e, "bad ELF magic"},
        {4, 1, 1, "not ELFCLASS64"},
        {5, 1, 2, "not little-endian"},
        {6, 1, 0, "unknown ELF version"},
        {20, 4, 2, "unknown ELF version"},
        {16, 2, 3, "not a static executable (ET_EXEC)"},
        {18, 2, 3, "not an x86-64 executable"},
        {52, 2, 52, "bad ELF header size"},
        {54, 2, 32, "bad program header entry size"},
        {56, 2, 0, "no program headers"},
        {32, 8, 0x10000, "program headers outside the file"},
        {32, 8, UINT64_MAX - 8, "program headers outside the file"},
        {56, 2, 0xffff, "program headers outside the file"},
    };
    for (size_t i = 0; i < sizeof mut / sizeof mut[0]; i++) {
        elf_build(img, sizeof img, BASE, &text, 1, 0x2000);
        put(img + mut[i].off, mut[i].v, mut[i].n);
        seed(img, len);
        why = "";
        int r = elf_parse(img, len, &out, &why);
        if (!tap_ok(r == -1 && !strcmp(why, mut[i].want), "header field at %u = 0x%llx: %s", mut[i].off,
                    (unsigned long long)mut[i].v, mut[i].want))
            tap_diag("got %d: %s", r, why);
    }
}

static void segment_tests(void)
{
    struct tseg s[10];
    check("text + data", BASE, (struct tseg[]){text, data}, 2, 0x2000, NULL);
    struct elf_image out;
    const char *why;
    size_t len = elf_build(img, sizeof img, BASE + 0x10, (struct tseg[]){data, text}, 2, 0x2000);
    tap_ok(elf_parse(img, len, &out, &why) == 0 && out.nseg == 2 && out.seg[0].page_va == BASE &&
               out.seg[1].page_va == BASE + 0x2000 && out.seg[1].npages == 3 && out.seg[1].perms == (EXO_MAP_R | EXO_MAP_W) &&
               out.seg[0].perms == (EXO_MAP_R | EXO_MAP_X) && out.entry == BASE + 0x10,
           "segments come out sorted, with pages and permissions");
    s[0] = (struct tseg){1, R | X, 0x123, BASE + 0x123, 0x100, 0x1000};
    len = elf_build(img, sizeof img, BASE + 0x200, s, 1, 0x2000);
    tap_ok(elf_parse(img, len, &out, &why) == 0 && out.seg[0].page_va == BASE && out.seg[0].npages == 2 &&
               out.seg[0].vaddr == BASE + 0x123,
           "an unaligned start keeps its offset in the page and rounds the page range out");
    s[0] = text;
    s[1] = (struct tseg){4, R, 0, 0, 0, 0}; /* PT_NOTE: ignored */
    check("a note header is ignored", BASE, s, 2, 0x2000, NULL);

    s[0] = text, s[0].memsz = 0, s[0].filesz = 0;
    check("empty segment", BASE, s, 1, 0x2000, "empty PT_LOAD segment");
    s[0] = text, s[0].filesz = 0x2000;
    check("file size > memory size", BASE, s, 1, 0x3000, "segment file size larger than its memory size");
    s[0] = text, s[0].offset = 0x1800;
    s[0].vaddr = BASE + 0x800;
    check("bytes past the end", BASE + 0x800, s, 1, 0x2000, "segment bytes outside the file");
    s[0] = text, s[0].offset = UINT64_MAX - 0xfff;
    check("offset overflow", BASE, s, 1, 0x2000, "segment bytes outside the file");
    s[0] = text, s[0].offset = 0x10;
    check("incongruent offset", BASE, s, 1, 0x2000, "segment address and offset not congruent modulo the page size");
    s[0] = text, s[0].vaddr = 0;
    check("page 0", 0, s, 1, 0x2000, "segment outside the user address range (or wrapping)");
    s[0] = text, s[0].vaddr = 0xffffffff80000000ull;
    check("kernel address", 0xffffffff80000000ull, s, 1, 0x2000, "segment outside the user address range (or wrapping)");
    s[0] = text, s[0].vaddr = 0x7ffffffff000ull, s[0].memsz = 0x2000;
    check("past the user half", 0x7ffffffff000ull, s, 1, 0x2000, "segment outside the user address range (or wrapping)");
    s[0] = text, s[0].memsz = UINT64_MAX - 0x100;
    check("wrapping size", BASE, s, 1, 0x2000, "segment outside the user address range (or wrapping)");
    s[0] = text, s[0].flags = X;
    check("not readable", BASE, s, 1, 0x2000, "segment not readable");
    s[0] = text, s[0].flags = R | W | X;
    check("W+X", BASE, s, 1, 0x2000, "segment both writable and executable");
    s[0] = text, s[1] = data, s[1].vaddr = BASE + 0x800, s[1].offset = 0x800;
    check("overlapping segments", BASE, s, 2, 0x2000, "segments share a page (overlap)");
    s[0].memsz = 0x1800; /* text's last page is BASE + 0x1000 */
    s[1].vaddr = BASE + 0x1800, s[1].offset = 0x1800, s[1].filesz = 0x10;
    check("segments sharing a page", BASE, s, 2, 0x2000, "segments share a page (overlap)");
    s[0] = data, s[1] = text, s[1].vaddr = BASE + 0x4000, s[1].offset = 0;
    check("overlap found whatever the order", BASE + 0x4000, (struct tseg[]){s[1], s[0], {1, R, 0, BASE + 0x2000, 0, 0x10}}, 3,
          0x2000, "segments share a page (overlap)");
    for (int i = 0; i < 9; i++)
        s[i] = (struct tseg){1, R | X, 0, BASE + 0x10000ull * i, 0x10, 0x10};
    check("9 segments", BASE, s, 9, 0x2000, "too many PT_LOAD segments");
    s[0] = text, s[1] = (struct tseg){3, R, 0, 0, 0, 0};
    check("PT_INTERP", BASE, s, 2, 0x2000, "dynamically linked (PT_INTERP or PT_DYNAMIC)");
    s[1].type = 2;
    check("PT_DYNAMIC", BASE, s, 2, 0x2000, "dynamically linked (PT_INTERP or PT_DYNAMIC)");
    s[1].type = 7;
    check("PT_TLS", BASE, s, 2, 0x2000, "thread-local storage (PT_TLS) is not supported");
    s[0] = (struct tseg){4, R, 0, 0, 0, 0};
    check("no PT_LOAD", BASE, s, 1, 0x2000, "no PT_LOAD segment");
    check("entry outside every segment", BASE + 0x5000, (struct tseg[]){text, data}, 2, 0x2000,
          "entry point not inside an executable segment");
    check("entry in the data segment", BASE + 0x2000, (struct tseg[]){text, data}, 2, 0x2000,
          "entry point not inside an executable segment");
    s[0] = text, s[0].memsz = (uint64_t)(ELF_MAX_PAGES + 1) * 4096;
    check("image too large", BASE, s, 1, 0x2000, "image larger than ELF_MAX_PAGES");
}

static void real_program(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tap_ok(0, "read %s", path);
        return;
    }
    static uint8_t file[1 << 22];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    seed(file, n < 8192 ? n : 8192);
    struct elf_image out;
    const char *why = "";
    int r = elf_parse(file, n, &out, &why);
    tap_ok(r == 0 && out.nseg == 3, "the real user program %s is accepted with 3 segments (%s)", path, r ? why : "ok");
    /* bytes past the last segment (section headers, symbols) are not needed: cutting them is fine,
     * cutting into any header or segment must be refused */
    size_t need = 0;
    for (unsigned i = 0; r == 0 && i < out.nseg; i++)
        if (out.seg[i].offset + out.seg[i].filesz > need)
            need = out.seg[i].offset + out.seg[i].filesz;
    size_t wrong = 0;
    for (size_t cut = 0; cut < n; cut += (cut < 4096 ? 1 : 61))
        wrong += (elf_parse(file, cut, &out, &why) == 0) != (cut >= need);
    tap_eq(wrong, 0, "every truncation into the segments is refused, every other accepted");
}

int main(int argc, char **argv)
{
    const char *prog = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
            seed_dir = argv[++i];
        else
            prog = argv[i];
    }
    header_tests();
    segment_tests();
    if (prog)
        real_program(prog);
    return tap_done();
}
