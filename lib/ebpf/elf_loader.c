/* elf_loader.c - validating parser and linker for clang-compiled eBPF ELF objects.
 *
 * The object is untrusted input. ebpf_elf_load() checks the whole file up front (decode, then
 * use): the ELF header, the section header table, that every section's bytes lie inside the file
 * and no two sections (nor a section and a header table) overlap, every name offset, the symbol
 * table, every relocation section, and the map definitions. ebpf_elf_link() then only copies and
 * patches instructions, re-checking each relocation's target instruction.
 * All multi-byte fields are read byte by byte as little-endian, so alignment never matters. */
#include "lib/ebpf/elf_loader.h"

#include <stdarg.h>

#include "lib/base/mem.h"
#include "lib/ebpf/elf_loader_btf.h"
#include "lib/ebpf/verifier_fmt.h"

#define EHDR_SIZE 64
#define SHDR_SIZE 64
#define SYM_SIZE 24
#define REL_SIZE 16
#define EM_BPF 247
#define ET_REL 1
#define SHT_NULL 0
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_EXECINSTR 0x4
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1
#define SHN_COMMON 0xfff2
#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_SECTION 3

struct shdr {
    uint32_t name, type;
    uint64_t flags, offset, size;
    uint32_t link, info;
    uint64_t entsize;
};

struct sym {
    uint32_t name;
    uint8_t info;
    uint16_t shndx;
    uint64_t value, size;
};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        ebpf_vfmt(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Section header i; only valid after the table bounds were checked. */
static struct shdr get_shdr(const struct ebpf_elf_obj *o, uint32_t i)
{
    uint64_t shoff = rd64(o->buf + 0x28);
    const uint8_t *p = o->buf + shoff + (uint64_t)i * SHDR_SIZE;
    struct shdr s = { rd32(p), rd32(p + 4), rd64(p + 8), rd64(p + 24), rd64(p + 32),
                      rd32(p + 40), rd32(p + 44), rd64(p + 56) };
    return s;
}

static struct sym get_sym(const struct ebpf_elf_obj *o, uint32_t i)
{
    struct shdr st = get_shdr(o, o->symtab);
    const uint8_t *p = o->buf + st.offset + (uint64_t)i * SYM_SIZE;
    struct sym s = { rd32(p), p[4], rd16(p + 6), rd64(p + 8), rd64(p + 16) };
    return s;
}

/* Returns the NUL-terminated string at `off` in string-table section `sec`, or NULL when the
 * offset is out of range or the string runs off the end of the table. */
static const char *get_str(const struct ebpf_elf_obj *o, uint32_t sec, uint32_t off)
{
    struct shdr s = get_shdr(o, sec);
    if (off >= s.size)
        return NULL;
    const uint8_t *p = o->buf + s.offset;
    for (uint64_t i = off; i < s.size; i++)
        if (p[i] == 0)
            return (const char *)p + off;
    return NULL;
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void copy_name(char *dst, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < EBPF_ELF_NAME_MAX; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

static int check_header(struct ebpf_elf_obj *o, char *err, size_t el)
{
    const uint8_t *b = o->buf;
    if (o->len < EHDR_SIZE)
        return fail(err, el, "truncated ELF header: %u bytes, need %u", (unsigned)o->len, EHDR_SIZE);
    if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
        return fail(err, el, "not an ELF file (bad magic)");
    if (b[4] != 2)
        return fail(err, el, "not ELF64 (class %u)", b[4]);
    if (b[5] != 1)
        return fail(err, el, "not little-endian (data encoding %u)", b[5]);
    if (b[6] != 1 || rd32(b + 0x14) != 1)
        return fail(err, el, "unsupported ELF version");
    if (rd16(b + 0x12) != EM_BPF)
        return fail(err, el, "e_machine is %u, not EM_BPF (247)", rd16(b + 0x12));
    if (rd16(b + 0x10) != ET_REL)
        return fail(err, el, "e_type is %u, not ET_REL (1)", rd16(b + 0x10));
    if (rd16(b + 0x34) != EHDR_SIZE)
        return fail(err, el, "bad e_ehsize %u", rd16(b + 0x34));
    uint64_t shoff = rd64(b + 0x28);
    uint16_t shentsize = rd16(b + 0x3a), shnum = rd16(b + 0x3c), shstrndx = rd16(b + 0x3e);
    if (shnum == 0)
        return fail(err, el, "no section headers");
    if (shentsize != SHDR_SIZE)
        return fail(err, el, "bad e_shentsize %u", shentsize);
    if (shnum > EBPF_ELF_MAX_SECTIONS)
        return fail(err, el, "too many sections: %u (max %u)", shnum, EBPF_ELF_MAX_SECTIONS);
    if (shoff < EHDR_SIZE || shoff > o->len || (o->len - shoff) / SHDR_SIZE < shnum)
        return fail(err, el, "section header table out of bounds (e_shoff=%llu, %u entries)",
                    (unsigned long long)shoff, shnum);
    if (shstrndx >= shnum || shstrndx == 0)
        return fail(err, el, "e_shstrndx %u out of range (%u sections)", shstrndx, shnum);
    if (rd32(b + shoff + 4) != SHT_NULL)
        return fail(err, el, "section 0 is not the null section");
    o->shnum = shnum;
    return 0;
}

/* Every section's bytes inside the file, no overlap with the headers or with each other. */
static int check_layout(const struct ebpf_elf_obj *o, char *err, size_t el)
{
    uint64_t shoff = rd64(o->buf + 0x28), shend = shoff + (uint64_t)o->shnum * SHDR_SIZE;
    for (uint32_t i = 1; i < o->shnum; i++) {
        struct shdr s = get_shdr(o, i);
        if (s.type == SHT_NOBITS || s.type == SHT_NULL || s.size == 0)
            continue;
        if (s.offset > o->len || s.size > o->len - s.offset)
            return fail(err, el, "section %u: offset %llu size %llu out of file bounds (%llu bytes)",
                        i, (unsigned long long)s.offset, (unsigned long long)s.size,
                        (unsigned long long)o->len);
        uint64_t end = s.offset + s.size;
        if (s.offset < EHDR_SIZE || (s.offset < shend && end > shoff))
            return fail(err, el, "section %u overlaps the ELF or section headers", i);
        for (uint32_t j = 1; j < i; j++) {
            struct shdr t = get_shdr(o, j);
            if (t.type == SHT_NOBITS || t.type == SHT_NULL || t.size == 0)
                continue;
            if (s.offset < t.offset + t.size && t.offset < end)
                return fail(err, el, "sections %u and %u overlap", j, i);
        }
    }
    return 0;
}

static int check_strtab(const struct ebpf_elf_obj *o, uint32_t idx, const char *what, char *err,
                        size_t el)
{
    struct shdr s = get_shdr(o, idx);
    if (s.type != SHT_STRTAB)
        return fail(err, el, "%s (section %u) is not a string table", what, idx);
    if (s.size == 0 || o->buf[s.offset + s.size - 1] != 0)
        return fail(err, el, "%s (section %u) is empty or not NUL-terminated", what, idx);
    return 0;
}

static int check_symtab(struct ebpf_elf_obj *o, char *err, size_t el)
{
    struct shdr st = get_shdr(o, o->symtab);
    if (st.entsize != SYM_SIZE || st.size % SYM_SIZE)
        return fail(err, el, "symbol table: bad entry size %llu or size %llu",
                    (unsigned long long)st.entsize, (unsigned long long)st.size);
    if (st.link == 0 || st.link >= o->shnum)
        return fail(err, el, "symbol table: string table index %u out of range", st.link);
    if (check_strtab(o, st.link, "symbol string table", err, el))
        return -1;
    o->strtab = (uint16_t)st.link;
    o->nsyms = (uint32_t)(st.size / SYM_SIZE);
    for (uint32_t i = 1; i < o->nsyms; i++) {
        struct sym s = get_sym(o, i);
        if (!get_str(o, o->strtab, s.name))
            return fail(err, el, "symbol %u: bad name offset %u", i, s.name);
        if (s.shndx >= o->shnum && s.shndx < SHN_LORESERVE)
            return fail(err, el, "symbol %u: section index %u out of range", i, s.shndx);
    }
    return 0;
}

static int check_rel(const struct ebpf_elf_obj *o, uint32_t i, struct shdr r, char *err, size_t el)
{
    if (r.entsize != REL_SIZE || r.size % REL_SIZE)
        return fail(err, el, "relocation section %u: bad entry size %llu or size %llu", i,
                    (unsigned long long)r.entsize, (unsigned long long)r.size);
    if (r.link != o->symtab)
        return fail(err, el, "relocation section %u: symbol table link %u is not the symbol table",
                    i, r.link);
    if (r.info == 0 || r.info >= o->shnum)
        return fail(err, el, "relocation section %u: target section %u out of range", i, r.info);
    struct shdr t = get_shdr(o, r.info);
    for (uint64_t k = 0; k < r.size / REL_SIZE; k++) {
        const uint8_t *p = o->buf + r.offset + k * REL_SIZE;
        uint64_t off = rd64(p), info = rd64(p + 8);
        uint32_t sym = (uint32_t)(info >> 32), type = (uint32_t)info;
        if (sym >= o->nsyms)
            return fail(err, el, "relocation section %u entry %llu: symbol index %u out of range",
                        i, (unsigned long long)k, sym);
        if (type > EBPF_R_BPF_64_NODYLD32 && type != EBPF_R_BPF_64_32)
            return fail(err, el, "relocation section %u entry %llu: unknown relocation type %u", i,
                        (unsigned long long)k, type);
        if (t.type != SHT_NOBITS && (off > t.size || t.size - off < 4))
            return fail(err, el, "relocation section %u entry %llu: offset %llu outside section %u",
                        i, (unsigned long long)k, (unsigned long long)off, r.info);
    }
    return 0;
}

static int load_btf_maps(struct ebpf_elf_obj *o, char *err, size_t el)
{
    if (!o->btf_maps_shndx)
        return 0;
    if (!o->btf_shndx)
        return fail(err, el, "section .maps: BTF-defined maps need the .BTF section (compile with "
                             "-g), or define maps in SEC(\"maps\") as struct bpf_map_def");
    struct shdr bs = get_shdr(o, o->btf_shndx), ms = get_shdr(o, o->btf_maps_shndx);
    for (uint32_t i = 1; i < o->nsyms; i++) {
        struct sym s = get_sym(o, i);
        if (s.shndx != o->btf_maps_shndx || (s.info & 0xf) == STT_SECTION)
            continue;
        if (s.value >= ms.size)
            return fail(err, el, "map symbol %u outside the .maps section", i);
        if (o->nmaps == EBPF_ELF_MAX_MAPS)
            return fail(err, el, "too many maps (max %u)", EBPF_ELF_MAX_MAPS);
        struct ebpf_elf_map *d = &o->maps[o->nmaps];
        const char *name = get_str(o, o->strtab, s.name);
        for (uint32_t k = 0; k < o->nmaps; k++)
            if (o->maps[k].shndx == o->btf_maps_shndx && o->maps[k].off == s.value)
                return fail(err, el, "two map symbols at .maps offset %llu",
                            (unsigned long long)s.value);
        if (ebpf_btf_map_shape(o->buf + bs.offset, bs.size, name, d, err, el))
            return -1;
        copy_name(d->name, name);
        d->shndx = o->btf_maps_shndx, d->off = s.value;
        o->nmaps++;
    }
    return 0;
}

static int load_maps(struct ebpf_elf_obj *o, char *err, size_t el)
{
    if (!o->maps_shndx)
        return load_btf_maps(o, err, el);
    struct shdr m = get_shdr(o, o->maps_shndx);
    if (m.size % EBPF_ELF_MAP_DEF_SIZE)
        return fail(err, el, "maps section size %llu is not a multiple of %u",
                    (unsigned long long)m.size, EBPF_ELF_MAP_DEF_SIZE);
    if (m.size / EBPF_ELF_MAP_DEF_SIZE > EBPF_ELF_MAX_MAPS)
        return fail(err, el, "too many maps (max %u)", EBPF_ELF_MAX_MAPS);
    o->nmaps = (uint32_t)(m.size / EBPF_ELF_MAP_DEF_SIZE);
    for (uint32_t k = 0; k < o->nmaps; k++) {
        const uint8_t *p = o->buf + m.offset + k * EBPF_ELF_MAP_DEF_SIZE;
        struct ebpf_elf_map *d = &o->maps[k];
        d->name[0] = '\0';
        d->type = rd32(p), d->key_size = rd32(p + 4), d->value_size = rd32(p + 8);
        d->max_entries = rd32(p + 12), d->flags = rd32(p + 16);
        d->shndx = o->maps_shndx, d->off = (uint64_t)k * EBPF_ELF_MAP_DEF_SIZE;
    }
    for (uint32_t i = 1; i < o->nsyms; i++) {
        struct sym s = get_sym(o, i);
        if (s.shndx != o->maps_shndx || (s.info & 0xf) == STT_SECTION)
            continue;
        if (s.value % EBPF_ELF_MAP_DEF_SIZE || s.value >= m.size)
            return fail(err, el, "map symbol %u at offset %llu is not at a map definition", i,
                        (unsigned long long)s.value);
        copy_name(o->maps[s.value / EBPF_ELF_MAP_DEF_SIZE].name, get_str(o, o->strtab, s.name));
    }
    for (uint32_t k = 0; k < o->nmaps; k++)
        if (!o->maps[k].name[0])
            return fail(err, el, "map definition %u has no symbol", k);
    return load_btf_maps(o, err, el);
}

int ebpf_elf_load(struct ebpf_elf_obj *o, const uint8_t *buf, size_t len, char *err, size_t el)
{
    memset(o, 0, sizeof(*o));
    o->buf = buf, o->len = len;
    if (check_header(o, err, el) || check_layout(o, err, el))
        return -1;
    uint32_t shstr = rd16(buf + 0x3e);
    if (check_strtab(o, shstr, "section name table", err, el))
        return -1;
    for (uint32_t i = 1; i < o->shnum; i++) {
        struct shdr s = get_shdr(o, i);
        if (s.type == SHT_SYMTAB) {
            if (o->symtab)
                return fail(err, el, "more than one symbol table");
            o->symtab = (uint16_t)i;
        }
    }
    if (!o->symtab)
        return fail(err, el, "no symbol table");
    if (check_symtab(o, err, el))
        return -1;
    for (uint32_t i = 1; i < o->shnum; i++) {
        struct shdr s = get_shdr(o, i);
        const char *name = get_str(o, shstr, s.name);
        if (!name)
            return fail(err, el, "section %u: bad name offset %u", i, s.name);
        if (s.type == SHT_RELA)
            return fail(err, el, "section %u (%s): RELA relocations are not used by BPF", i, name);
        if (s.type == SHT_REL) {
            if (check_rel(o, i, s, err, el))
                return -1;
            continue;
        }
        if (str_eq(name, ".maps") || str_eq(name, ".BTF")) {
            if (s.type != SHT_PROGBITS)
                return fail(err, el, "section %s is not PROGBITS", name);
            if (name[1] == 'm')
                o->btf_maps_shndx = (uint16_t)i;
            else
                o->btf_shndx = (uint16_t)i;
            continue;
        }
        if (str_eq(name, "maps")) {
            if (s.type != SHT_PROGBITS)
                return fail(err, el, "maps section is not PROGBITS");
            o->maps_shndx = (uint16_t)i;
            continue;
        }
        if (s.type != SHT_PROGBITS || !(s.flags & SHF_EXECINSTR))
            continue;
        if (s.size % 8)
            return fail(err, el, "section %u (%s): size %llu is not a multiple of 8", i, name,
                        (unsigned long long)s.size);
        if (s.size / 8 > 0xffffffu)
            return fail(err, el, "section %u (%s): too many instructions", i, name);
        if (str_eq(name, ".text")) {
            o->text = (uint16_t)i;
            continue;
        }
        if (s.size == 0)
            return fail(err, el, "section %u (%s): empty program", i, name);
        if (o->nprogs == EBPF_ELF_MAX_PROGS)
            return fail(err, el, "too many program sections (max %u)", EBPF_ELF_MAX_PROGS);
        struct ebpf_elf_prog *p = &o->progs[o->nprogs++];
        copy_name(p->name, name);
        p->shndx = (uint16_t)i;
        p->insn_cnt = (uint32_t)(s.size / 8);
    }
    /* Attach each relocation section to its program; two for one section is malformed. */
    for (uint32_t i = 1; i < o->shnum; i++) {
        struct shdr s = get_shdr(o, i);
        if (s.type != SHT_REL)
            continue;
        uint16_t *slot = NULL;
        if (s.info == o->text && o->text)
            slot = &o->text_rel;
        for (uint32_t k = 0; k < o->nprogs; k++)
            if (o->progs[k].shndx == s.info)
                slot = &o->progs[k].rel_shndx;
        if (!slot)
            continue;
        if (*slot)
            return fail(err, el, "section %u has two relocation sections", s.info);
        *slot = (uint16_t)i;
    }
    if (!o->nprogs && o->text) {
        /* An object with only .text: treat .text itself as the one program. */
        struct ebpf_elf_prog *p = &o->progs[o->nprogs++];
        struct shdr s = get_shdr(o, o->text);
        if (s.size == 0)
            return fail(err, el, "no program sections and .text is empty");
        copy_name(p->name, ".text");
        p->shndx = o->text, p->rel_shndx = o->text_rel;
        p->insn_cnt = (uint32_t)(s.size / 8);
        o->text = 0, o->text_rel = 0;
    }
    if (!o->nprogs)
        return fail(err, el, "no program sections");
    return load_maps(o, err, el);
}

int ebpf_elf_find_prog(const struct ebpf_elf_obj *o, const char *name)
{
    for (uint32_t i = 0; i < o->nprogs; i++)
        if (str_eq(o->progs[i].name, name))
            return (int)i;
    return -1;
}

/* Applies the relocations of section `rel` to the instructions copied to out[base..base+n). */
static int apply_rels(const struct ebpf_elf_obj *o, uint32_t rel, uint32_t sec, uint32_t base,
                      uint32_t n, uint32_t text_base, uint8_t *out, char *err, size_t el)
{
    struct shdr r = get_shdr(o, rel);
    for (uint64_t k = 0; k < r.size / REL_SIZE; k++) {
        const uint8_t *p = o->buf + r.offset + k * REL_SIZE;
        uint64_t off = rd64(p), info = rd64(p + 8);
        uint32_t type = (uint32_t)info;
        struct sym s = get_sym(o, (uint32_t)(info >> 32));
        if (off % 8 || off / 8 >= n)
            return fail(err, el, "relocation %llu: offset %llu is not an instruction",
                        (unsigned long long)k, (unsigned long long)off);
        uint32_t pc = base + (uint32_t)(off / 8);
        uint8_t *insn = out + (uint64_t)pc * 8;
        const char *sname = get_str(o, o->strtab, s.name);
        if (type == EBPF_R_BPF_64_64) {
            if (insn[0] != 0x18 || off / 8 + 1 >= n)
                return fail(err, el, "relocation %llu (%s): R_BPF_64_64 not on an lddw at insn %u",
                            (unsigned long long)k, sname, pc);
            if (!s.shndx || (s.shndx != o->maps_shndx && s.shndx != o->btf_maps_shndx))
                return fail(err, el, "relocation %llu: lddw at insn %u refers to '%s', which is "
                            "not a map (global data is not supported)", (unsigned long long)k,
                            pc, sname);
            uint64_t moff = s.value + (uint64_t)(uint32_t)rd32(insn + 4);
            uint32_t idx = UINT32_MAX;
            for (uint32_t m = 0; m < o->nmaps; m++)
                if (o->maps[m].shndx == s.shndx && o->maps[m].off == moff)
                    idx = m;
            if (idx == UINT32_MAX)
                return fail(err, el, "relocation %llu: lddw at insn %u: no map at offset %llu",
                            (unsigned long long)k, pc, (unsigned long long)moff);
            insn[1] = (uint8_t)((insn[1] & 0x0f) | EBPF_ELF_PSEUDO_MAP << 4);
            insn[4] = (uint8_t)idx, insn[5] = (uint8_t)(idx >> 8);
            insn[6] = (uint8_t)(idx >> 16), insn[7] = (uint8_t)(idx >> 24);
            memset(insn + 12, 0, 4); /* upper half of the 64-bit immediate */
        } else if (type == EBPF_R_BPF_64_32) {
            if (insn[0] != 0x85 || (insn[1] >> 4) != EBPF_ELF_PSEUDO_CALL)
                return fail(err, el, "relocation %llu (%s): R_BPF_64_32 not on a bpf-to-bpf call "
                            "at insn %u", (unsigned long long)k, sname, pc);
            uint32_t tbase, tlen;
            if (s.shndx == sec)
                tbase = base, tlen = n;
            else if (o->text && s.shndx == o->text && text_base != UINT32_MAX)
                tbase = text_base, tlen = (uint32_t)(get_shdr(o, o->text).size / 8);
            else
                return fail(err, el, "relocation %llu: call at insn %u to '%s' outside the "
                            "program and .text", (unsigned long long)k, pc, sname);
            int32_t imm = (int32_t)rd32(insn + 4);
            int64_t tgt = (int64_t)tbase + (int64_t)(s.value / 8) + imm + 1;
            int64_t rel_imm = tgt - (int64_t)pc - 1;
            if (s.value % 8 || tgt < (int64_t)tbase || tgt >= (int64_t)tbase + tlen ||
                rel_imm < INT32_MIN || rel_imm > INT32_MAX)
                return fail(err, el, "relocation %llu: call at insn %u has a bad target",
                            (unsigned long long)k, pc);
            uint32_t u = (uint32_t)(int32_t)rel_imm;
            insn[4] = (uint8_t)u, insn[5] = (uint8_t)(u >> 8);
            insn[6] = (uint8_t)(u >> 16), insn[7] = (uint8_t)(u >> 24);
        } else if (type != EBPF_R_BPF_NONE) {
            return fail(err, el, "relocation %llu: type %u not allowed in program code",
                        (unsigned long long)k, type);
        }
    }
    return 0;
}

/* Does the program section (or .text) contain a bpf-to-bpf call relocated into .text? */
static int calls_text(const struct ebpf_elf_obj *o, uint32_t rel)
{
    if (!rel || !o->text)
        return 0;
    struct shdr r = get_shdr(o, rel);
    for (uint64_t k = 0; k < r.size / REL_SIZE; k++) {
        const uint8_t *p = o->buf + r.offset + k * REL_SIZE;
        uint64_t info = rd64(p + 8);
        if ((uint32_t)info == EBPF_R_BPF_64_32 && get_sym(o, (uint32_t)(info >> 32)).shndx == o->text)
            return 1;
    }
    return 0;
}

int ebpf_elf_link(const struct ebpf_elf_obj *o, uint32_t idx, uint8_t *out, uint32_t max,
                  uint32_t *count, char *err, size_t el)
{
    if (idx >= o->nprogs)
        return fail(err, el, "no program %u", idx);
    const struct ebpf_elf_prog *p = &o->progs[idx];
    struct shdr s = get_shdr(o, p->shndx);
    uint32_t n = p->insn_cnt, tn = 0, text_base = UINT32_MAX;
    if (calls_text(o, p->rel_shndx)) {
        tn = (uint32_t)(get_shdr(o, o->text).size / 8);
        text_base = n;
    }
    if (n > max || tn > max - n)
        return fail(err, el, "program %s: %u instructions exceed the limit %u", p->name, n + tn, max);
    memcpy(out, o->buf + s.offset, (size_t)n * 8);
    if (tn)
        memcpy(out + (size_t)n * 8, o->buf + get_shdr(o, o->text).offset, (size_t)tn * 8);
    if (p->rel_shndx && apply_rels(o, p->rel_shndx, p->shndx, 0, n, text_base, out, err, el))
        return -1;
    if (tn && o->text_rel &&
        apply_rels(o, o->text_rel, o->text, text_base, tn, text_base, out, err, el))
        return -1;
    *count = n + tn;
    return 0;
}
