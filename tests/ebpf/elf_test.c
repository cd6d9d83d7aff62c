/* elf_test.c - ELF loader tests: every clang-compiled object in the directory given as argv[1]
 * loads and links, the linked code matches what the relocations demand (map references become
 * map indexes, calls into .text become pc-relative), and a long list of damaged objects, each
 * made by changing one field of a good object, is rejected with the right message. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/elf_loader.h"
#include "lib/ebpf/insn.h"
#include "tests/ebpf/verifier_harness.h"
#include "tests/lib/tap.h"

static char dir[512];
static struct ebpf_elf_obj obj;
static uint8_t out[8 * 4096];

static uint8_t *load(const char *name, size_t *len)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return (uint8_t *)vh_read_file(path, len);
}

/* --- little helpers to find and patch fields of a good object --- */
static uint64_t rd(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static void wr(uint8_t *p, int n, uint64_t v)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}
static uint8_t *shdr(uint8_t *b, unsigned i) { return b + rd(b + 0x28, 8) + 64ull * i; }
static int find_sec(uint8_t *b, const char *name)
{
    unsigned n = (unsigned)rd(b + 0x3c, 2), strndx = (unsigned)rd(b + 0x3e, 2);
    const char *strs = (const char *)b + rd(shdr(b, strndx) + 24, 8);
    for (unsigned i = 1; i < n; i++)
        if (!strcmp(strs + rd(shdr(b, i), 4), name))
            return (int)i;
    return -1;
}

static int try_load(const uint8_t *b, size_t len, char *err, size_t el)
{
    if (ebpf_elf_load(&obj, b, len, err, el))
        return -1;
    for (uint32_t i = 0; i < obj.nprogs; i++) {
        uint32_t n;
        if (ebpf_elf_link(&obj, i, out, 4096, &n, err, el))
            return -1;
    }
    return 0;
}

typedef void (*mutator)(uint8_t *b, size_t *len);

static void expect_reject(const char *file, const char *what, mutator m, const char *msg)
{
    size_t len;
    uint8_t *b = load(file, &len);
    if (!b) {
        tap_ok(0, "%s: %s (cannot read %s)", file, what, file);
        return;
    }
    char err[256] = "";
    m(b, &len);
    int rc = try_load(b, len, err, sizeof(err));
    if (!tap_ok(rc != 0 && strstr(err, msg), "reject %s: '%s'", what, msg))
        tap_diag("  rc %d, message: %s", rc, err);
    free(b);
}

static void m_trunc_hdr(uint8_t *b, size_t *len) { (void)b; *len = 40; }
static void m_magic(uint8_t *b, size_t *len) { (void)len; b[1] = 'X'; }
static void m_class(uint8_t *b, size_t *len) { (void)len; b[4] = 1; }
static void m_endian(uint8_t *b, size_t *len) { (void)len; b[5] = 2; }
static void m_machine(uint8_t *b, size_t *len) { (void)len; wr(b + 0x12, 2, 62); }
static void m_type(uint8_t *b, size_t *len) { (void)len; wr(b + 0x10, 2, 2); }
static void m_version(uint8_t *b, size_t *len) { (void)len; b[6] = 9; }
static void m_shoff(uint8_t *b, size_t *len) { (void)len; wr(b + 0x28, 8, 1ull << 40); }
static void m_shnum(uint8_t *b, size_t *len) { (void)len; wr(b + 0x3c, 2, 200); }
static void m_shnum0(uint8_t *b, size_t *len) { (void)len; wr(b + 0x3c, 2, 0); }
static void m_shentsize(uint8_t *b, size_t *len) { (void)len; wr(b + 0x3a, 2, 40); }
static void m_shstrndx(uint8_t *b, size_t *len) { (void)len; wr(b + 0x3e, 2, 99); }
static void m_shstrndx0(uint8_t *b, size_t *len) { (void)len; wr(b + 0x3e, 2, 0); }
/* found by the fuzzer: section 0 dressed up as a string table with a wild offset */
static void m_null_sec(uint8_t *b, size_t *len)
{
    (void)len;
    wr(shdr(b, 0) + 4, 4, 3);
    wr(shdr(b, 0) + 24, 8, 1ull << 40);
    wr(shdr(b, 0) + 32, 8, 16);
}
static void m_trunc_tail(uint8_t *b, size_t *len) { (void)b; *len -= 10; }
static void m_sec_off(uint8_t *b, size_t *len) { wr(shdr(b, (unsigned)find_sec(b, "socket")) + 24, 8, *len + 8); }
static void m_sec_size(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, "socket")) + 32, 8, ~0ull - 4); }
static void m_overlap(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = shdr(b, (unsigned)find_sec(b, ".text")), *s = shdr(b, (unsigned)find_sec(b, "socket"));
    wr(s + 24, 8, rd(t + 24, 8) + 8);
}
static void m_hdr_overlap(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, "socket")) + 24, 8, 16); }
static void m_size_odd(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *s = shdr(b, (unsigned)find_sec(b, "socket"));
    wr(s + 32, 8, rd(s + 32, 8) - 4);
}
static void m_secname(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, "socket")), 4, 0xfffff); }
static void m_strtab_nul(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *s = shdr(b, (unsigned)rd(b + 0x3e, 2));
    b[rd(s + 24, 8) + rd(s + 32, 8) - 1] = 'x';
}
static unsigned symtab(uint8_t *b) { return (unsigned)find_sec(b, ".symtab"); }
static void m_sym_name(uint8_t *b, size_t *len) { (void)len; wr(b + rd(shdr(b, symtab(b)) + 24, 8) + 24, 4, 0xffffff); }
static void m_sym_shndx(uint8_t *b, size_t *len) { (void)len; wr(b + rd(shdr(b, symtab(b)) + 24, 8) + 24 + 6, 2, 0x2000); }
static void m_sym_entsize(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, symtab(b)) + 56, 8, 16); }
static void m_sym_link(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, symtab(b)) + 40, 4, 500); }
static void m_sym_link_notstr(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, symtab(b)) + 40, 4, (uint64_t)find_sec(b, "socket")); }
static void m_no_symtab(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, symtab(b)) + 4, 4, 1); }
static uint8_t *rel0(uint8_t *b) { return b + rd(shdr(b, (unsigned)find_sec(b, ".relsocket")) + 24, 8); }
static void m_rel_sym(uint8_t *b, size_t *len) { (void)len; wr(rel0(b) + 12, 4, 9999); }
static void m_rel_type(uint8_t *b, size_t *len) { (void)len; wr(rel0(b) + 8, 4, 7); }
static void m_rel_off(uint8_t *b, size_t *len) { (void)len; wr(rel0(b), 8, 1ull << 32); }
static void m_rel_misaligned(uint8_t *b, size_t *len) { (void)len; wr(rel0(b), 8, rd(rel0(b), 8) + 4); }
static void m_rel_entsize(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, ".relsocket")) + 56, 8, 24); }
static void m_rel_link(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, ".relsocket")) + 40, 4, 1); }
static void m_rel_info(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, ".relsocket")) + 44, 4, 300); }
static void m_rela(uint8_t *b, size_t *len) { (void)len; wr(shdr(b, (unsigned)find_sec(b, ".relsocket")) + 4, 4, 4); }
static void m_rel_abs64(uint8_t *b, size_t *len) { (void)len; wr(rel0(b) + 8, 4, 2); }
/* counter.o's first relocation is the call to .text; retarget it to the second one's insn. */
static void m_rel_not_call(uint8_t *b, size_t *len) { (void)len; wr(rel0(b), 8, rd(rel0(b) + 16, 8)); }
static void m_rel_not_lddw(uint8_t *b, size_t *len) { (void)len; wr(rel0(b) + 16, 8, 8); }
/* Point the map relocation at the .text section symbol: not a map. */
static void m_rel_not_map(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *r = rel0(b);
    wr(r + 16 + 12, 4, rd(r + 12, 4));
}
/* counter.o's call relocation points at .text; move the call's addend far past its end. */
static void m_call_target(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *insn = b + rd(shdr(b, (unsigned)find_sec(b, "socket")) + 24, 8) + rd(rel0(b), 8);
    wr(insn + 4, 4, 1000);
}
static void m_maps_size(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *s = shdr(b, (unsigned)find_sec(b, "maps"));
    wr(s + 32, 8, rd(s + 32, 8) - 3);
}
static void m_cut_insn(uint8_t *b, size_t *len)
{
    /* shrink the program below the offsets of its relocations */
    (void)len;
    uint8_t *s = shdr(b, (unsigned)find_sec(b, "socket"));
    wr(s + 32, 8, 8 * 5);
}

static void positive(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 3 || strcmp(de->d_name + l - 2, ".o"))
            continue;
        size_t len;
        uint8_t *b = load(de->d_name, &len);
        char err[256] = "";
        int rc = b ? try_load(b, len, err, sizeof(err)) : -1;
        if (!tap_ok(rc == 0, "%s loads and links (%u programs, %u maps)", de->d_name, obj.nprogs,
                    obj.nmaps))
            tap_diag("  %s", err);
        free(b);
        n++;
    }
    if (d)
        closedir(d);
    tap_ok(n >= 4, "found %d compiled objects", n);
}

static void linked_code(void)
{
    size_t len;
    uint8_t *b = load("counter.o", &len);
    char err[256] = "";
    uint32_t n = 0;
    int rc = b ? ebpf_elf_load(&obj, b, len, err, sizeof(err)) : -1;
    tap_ok(rc == 0 && obj.nmaps == 2 && !strcmp(obj.maps[0].name, "counts") &&
           obj.maps[0].type == 2 && obj.maps[0].key_size == 4 && obj.maps[0].value_size == 8 &&
           obj.maps[0].max_entries == 16 && !strcmp(obj.maps[1].name, "totals"),
           "counter.o: two maps with names and shapes from the maps section");
    int p = ebpf_elf_find_prog(&obj, "socket");
    rc = p >= 0 ? ebpf_elf_link(&obj, (uint32_t)p, out, 4096, &n, err, sizeof(err)) : -1;
    tap_ok(rc == 0, "counter.o: socket links (%s)", err);
    const struct ebpf_insn *in = (const struct ebpf_insn *)out;
    int maps_seen = 0, calls_ok = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (in[i].opcode == EBPF_OP_LDDW) {
            maps_seen += in[i].src == EBPF_PSEUDO_MAP_FD && (uint32_t)in[i].imm < 2;
            i++;
        } else if (in[i].opcode == EBPF_OP_CALL && in[i].src == EBPF_CALL_LOCAL) {
            int64_t t = (int64_t)i + 1 + in[i].imm;
            calls_ok += t >= 0 && t < n && t >= 35; /* .text is appended after 35 slots */
        }
    }
    tap_eq(maps_seen, 3, "counter.o: three lddw rewritten to map indexes");
    tap_eq(calls_ok, 1, "counter.o: the call to bucket() lands in the appended .text");
    tap_eq(n, 35 + 5, "counter.o: program (35 slots) + .text (5) = 40 slots");
    rc = ebpf_elf_link(&obj, (uint32_t)p, out, 10, &n, err, sizeof(err));
    tap_ok(rc != 0 && strstr(err, "exceed the limit"), "link into a too-small buffer: %s", err);
    tap_ok(ebpf_elf_find_prog(&obj, "nope") < 0, "find_prog of a missing section gives -1");
    free(b);
}

/* --- BTF-defined maps (btf_maps.o, compiled with -g) --- */
static uint8_t *btf_hdr(uint8_t *b) { return b + rd(shdr(b, (unsigned)find_sec(b, ".BTF")) + 24, 8); }
static void m_btf_magic(uint8_t *b, size_t *len) { (void)len; btf_hdr(b)[0] = 0; }
static void m_btf_types_oob(uint8_t *b, size_t *len) { (void)len; wr(btf_hdr(b) + 12, 4, 0x7fffffff); }
static void m_btf_types_short(uint8_t *b, size_t *len) { (void)len; wr(btf_hdr(b) + 12, 4, 30); }
static void m_btf_no_section(uint8_t *b, size_t *len)
{
    (void)len;
    /* rename .BTF to .BTX: the loader then has .maps without BTF */
    uint8_t *s = shdr(b, (unsigned)find_sec(b, ".BTF"));
    char *strs = (char *)b + rd(shdr(b, (unsigned)rd(b + 0x3e, 2)) + 24, 8);
    strs[rd(s, 4) + 3] = 'X';
}
/* Replace a string inside the BTF string section (same length). */
static void btf_rename(uint8_t *b, const char *from, const char *to)
{
    uint8_t *h = btf_hdr(b);
    char *strs = (char *)h + rd(h + 4, 4) + rd(h + 16, 4);
    size_t n = rd(h + 20, 4), l = strlen(from);
    for (size_t i = 0; i + l < n; i++)
        if (!memcmp(strs + i, from, l + 1) && (i == 0 || strs[i - 1] == 0)) {
            memcpy(strs + i, to, l);
            return;
        }
}
static void m_btf_var_name(uint8_t *b, size_t *len) { (void)len; btf_rename(b, "per_type", "per_tXpe"); }
static void m_btf_field(uint8_t *b, size_t *len) { (void)len; btf_rename(b, "max_entries", "max_entriez"); }
static void m_btf_dup(uint8_t *b, size_t *len) { (void)len; btf_rename(b, "max_entries", "value_size\0"); }
static void m_btf_str_oob(uint8_t *b, size_t *len) { (void)len; wr(btf_hdr(b) + 20, 4, 0x7fffffff); }

static void test_btf(void)
{
    size_t len;
    char err[256] = "";
    uint8_t *b = load("btf_maps.o", &len);
    int rc = b ? ebpf_elf_load(&obj, b, len, err, sizeof(err)) : -1;
    tap_ok(rc == 0 && obj.nmaps == 2, "btf_maps.o: two BTF-defined maps (%s)", err);
    if (rc == 0 && obj.nmaps == 2) {
        const struct ebpf_elf_map *m0 = &obj.maps[0], *m1 = &obj.maps[1];
        tap_ok(!strcmp(m0->name, "per_type") && m0->type == 2 && m0->key_size == 4 &&
               m0->value_size == 16 && m0->max_entries == 8,
               "per_type: hash, key struct of 4 bytes, value struct of 16, 8 entries");
        tap_ok(!strcmp(m1->name, "seen") && m1->type == 1 && m1->key_size == 4 &&
               m1->value_size == 8 && m1->max_entries == 2,
               "seen: array from __uint key_size/value_size, 2 entries");
    }
    free(b);
    const char *f = "btf_maps.o";
    expect_reject(f, "BTF bad magic", m_btf_magic, "BTF: bad header");
    expect_reject(f, "BTF type section out of bounds", m_btf_types_oob, "out of bounds");
    expect_reject(f, "BTF type section cut mid-record", m_btf_types_short, "BTF: malformed type");
    expect_reject(f, "BTF string section out of bounds", m_btf_str_oob, "out of bounds");
    expect_reject(f, ".maps without .BTF", m_btf_no_section, "need the .BTF section");
    expect_reject(f, "BTF has no variable for the map", m_btf_var_name, "no variable describes map 'per_type'");
    expect_reject(f, "BTF map with an unknown field", m_btf_field, "unsupported field 'max_entriez'");
    expect_reject(f, "BTF map with a field given twice", m_btf_dup, "field 'value' given twice");
}

int main(int argc, char **argv)
{
    snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "build/ebpf-progs");
    positive();
    linked_code();
    test_btf();
    const char *c = "counter.o", *k = "calls.o";
    expect_reject(c, "truncated header", m_trunc_hdr, "truncated ELF header");
    expect_reject(c, "bad magic", m_magic, "bad magic");
    expect_reject(c, "ELF32", m_class, "not ELF64");
    expect_reject(c, "big-endian", m_endian, "not little-endian");
    expect_reject(c, "x86-64 machine", m_machine, "not EM_BPF");
    expect_reject(c, "executable type", m_type, "not ET_REL");
    expect_reject(c, "bad version", m_version, "unsupported ELF version");
    expect_reject(c, "section table far away", m_shoff, "section header table out of bounds");
    expect_reject(c, "too many section headers for the file", m_shnum, "section header table out of bounds");
    expect_reject(c, "no section headers", m_shnum0, "no section headers");
    expect_reject(c, "bad shentsize", m_shentsize, "bad e_shentsize");
    expect_reject(c, "bad shstrndx", m_shstrndx, "e_shstrndx 99 out of range");
    expect_reject(c, "shstrndx 0 (the null section)", m_shstrndx0, "e_shstrndx 0 out of range");
    expect_reject(c, "section 0 is not SHT_NULL (fuzzer regression)", m_null_sec, "section 0 is not the null section");
    expect_reject(c, "truncated file", m_trunc_tail, "out of bounds");
    expect_reject(c, "section past the end", m_sec_off, "out of file bounds");
    expect_reject(c, "section size overflow", m_sec_size, "out of file bounds");
    expect_reject(c, "overlapping sections", m_overlap, "overlap");
    expect_reject(c, "section over the ELF header", m_hdr_overlap, "overlaps the ELF or section headers");
    expect_reject(c, "program size not a multiple of 8", m_size_odd, "not a multiple of 8");
    expect_reject(c, "bad section name offset", m_secname, "bad name offset");
    expect_reject(c, "section names not NUL-terminated", m_strtab_nul, "not NUL-terminated");
    expect_reject(c, "bad symbol name offset", m_sym_name, "symbol 1: bad name offset");
    expect_reject(c, "bad symbol section index", m_sym_shndx, "section index 8192 out of range");
    expect_reject(c, "bad symbol entry size", m_sym_entsize, "symbol table: bad entry size");
    expect_reject(c, "symbol string table out of range", m_sym_link, "string table index 500 out of range");
    expect_reject(c, "symbol string table not a string table", m_sym_link_notstr, "is not a string table");
    expect_reject(c, "no symbol table", m_no_symtab, "no symbol table");
    expect_reject(c, "relocation symbol out of range", m_rel_sym, "symbol index 9999 out of range");
    expect_reject(c, "unknown relocation type", m_rel_type, "unknown relocation type 7");
    expect_reject(c, "relocation offset outside section", m_rel_off, "outside section");
    expect_reject(c, "relocation offset not on an instruction", m_rel_misaligned, "is not an instruction");
    expect_reject(c, "bad relocation entry size", m_rel_entsize, "bad entry size");
    expect_reject(c, "relocation links to a non-symtab", m_rel_link, "is not the symbol table");
    expect_reject(c, "relocation target section out of range", m_rel_info, "target section 300 out of range");
    expect_reject(c, "RELA section", m_rela, "RELA relocations are not used");
    expect_reject(c, "data relocation in code", m_rel_abs64, "type 2 not allowed in program code");
    expect_reject(c, "call relocation on a non-call", m_rel_not_call, "R_BPF_64_32 not on a bpf-to-bpf call");
    expect_reject(c, "map relocation on a non-lddw", m_rel_not_lddw, "R_BPF_64_64 not on an lddw");
    expect_reject(c, "lddw of something that is not a map", m_rel_not_map, "which is not a map");
    expect_reject(c, "call relocated past the end of .text", m_call_target, "has a bad target");
    expect_reject(c, "maps section not a multiple of 20", m_maps_size, "is not a multiple of 20");
    expect_reject(k, "program shrunk below its relocations", m_cut_insn, "outside section");
    /* clang 14's BTF-style map definitions carry their shape only in BTF: a clear refusal. */
    char path[600], err[256] = "";
    snprintf(path, sizeof(path), "%s/../ebpf-elf-bad/btf_maps.o", dir);
    size_t len;
    uint8_t *b = (uint8_t *)vh_read_file(path, &len);
    int rc = b ? ebpf_elf_load(&obj, b, len, err, sizeof(err)) : 0;
    tap_ok(b && rc != 0 && strstr(err, "need the .BTF section (compile with -g)"),
           "reject .maps definitions without BTF: %s", err);
    free(b);
    b = load("filter.o", &len);
    for (size_t cut = 0; b && cut < len; cut += 97) {
        rc = try_load(b, cut, err, sizeof(err));
        if (rc == 0)
            break;
    }
    tap_ok(b != NULL && rc != 0, "every truncation of filter.o (step 97 bytes) is rejected");
    free(b);
    return tap_done();
}
