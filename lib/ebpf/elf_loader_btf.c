/* elf_loader_btf.c - map shapes of BTF-defined maps (SEC(".maps")), read from the .BTF section.
 *
 * clang encodes `struct { __uint(type, 2); __type(key, u32); ... } m SEC(".maps")` only in BTF
 * (and only with -g): __uint(name, N) is a member of type "pointer to array of N ints", and
 * __type(name, T) a member of type "pointer to T". This file finds the BTF VAR named like the
 * map symbol, walks its struct's members and derives type, key_size, value_size, max_entries and
 * map_flags. BTF is untrusted like the rest of the object: every offset, size, type id and string
 * is checked, and type chains are followed at most MAX_DEPTH steps (BTF can describe cycles;
 * the bound also caps the work, since each step walks the type section).
 * Types are found by walking the type section from the start (no allocation, no index); BTF
 * sections are small, and the walk is linear in their size. */
#include "lib/ebpf/elf_loader_btf.h"

#include <stdarg.h>
#include <stdbool.h>

#include "lib/ebpf/verifier_fmt.h"

#define BTF_MAGIC 0xeb9f
#define HDR_MIN 24
#define MAX_DEPTH 10   /* typedef chains and nested arrays in real programs are far shallower */

enum {
    K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF, K_VOLATILE, K_CONST,
    K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64,
};

struct btf {
    const uint8_t *types, *strs;
    uint32_t types_len, strs_len;
    char *err;
    size_t el;
};

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static int fail(struct btf *b, const char *fmt, ...)
{
    if (b->err && b->el) {
        va_list ap;
        va_start(ap, fmt);
        ebpf_vfmt(b->err, b->el, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Bytes taken by the type record at `off` (header + kind-specific data), or 0 if malformed. */
static uint32_t rec_size(const struct btf *b, uint32_t off)
{
    if (b->types_len - off < 12)
        return 0;
    uint32_t info = rd32(b->types + off + 4), vlen = info & 0xffff, kind = (info >> 24) & 0x1f;
    uint64_t extra;
    switch (kind) {
    case K_INT: case K_VAR: case K_DECL_TAG: extra = 4; break;
    case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT:
    case K_FUNC: case K_FLOAT: case K_TYPE_TAG: extra = 0; break;
    case K_ARRAY: extra = 12; break;
    case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64: extra = 12ull * vlen; break;
    case K_ENUM: case K_FUNC_PROTO: extra = 8ull * vlen; break;
    default: return 0;
    }
    if (extra > b->types_len - off - 12)
        return 0;
    return (uint32_t)(12 + extra);
}

/* Offset of type `id` (1-based) in the type section, or a negative value. */
static int64_t type_off(struct btf *b, uint32_t id)
{
    if (id == 0)
        return -1;
    uint32_t off = 0;
    for (uint32_t k = 1; k < id; k++) {
        uint32_t sz = rec_size(b, off);
        if (!sz)
            return -1;
        off += sz;
    }
    return rec_size(b, off) ? (int64_t)off : -1;
}

static uint32_t kind_of(const struct btf *b, uint32_t off) { return (rd32(b->types + off + 4) >> 24) & 0x1f; }

static const char *str_at(const struct btf *b, uint32_t off)
{
    if (off >= b->strs_len)
        return NULL;
    for (uint32_t i = off; i < b->strs_len; i++)
        if (!b->strs[i])
            return (const char *)b->strs + off;
    return NULL;
}

static bool str_eq(const char *a, const char *c)
{
    while (*a && *a == *c)
        a++, c++;
    return *a == *c;
}

/* Follows typedef/const/volatile/restrict/type-tag chains to the underlying type's offset. */
static int64_t resolve(struct btf *b, uint32_t id)
{
    for (int d = 0; d < MAX_DEPTH; d++) {
        int64_t off = type_off(b, id);
        if (off < 0)
            return -1;
        uint32_t k = kind_of(b, (uint32_t)off);
        if (k != K_TYPEDEF && k != K_VOLATILE && k != K_CONST && k != K_RESTRICT && k != K_TYPE_TAG)
            return off;
        id = rd32(b->types + off + 8);
    }
    return -1;
}

/* Size in bytes of type `id`, or -1. */
static int64_t size_of(struct btf *b, uint32_t id, int depth)
{
    int64_t off = resolve(b, id);
    if (off < 0 || depth > MAX_DEPTH)
        return -1;
    const uint8_t *t = b->types + off;
    switch (kind_of(b, (uint32_t)off)) {
    case K_INT: case K_ENUM: case K_STRUCT: case K_UNION: case K_FLOAT: case K_ENUM64:
        return rd32(t + 8);
    case K_PTR:
        return 8;
    case K_ARRAY: {
        int64_t e = size_of(b, rd32(t + 12), depth + 1);
        uint64_t n = rd32(t + 20);
        if (e < 0 || (uint64_t)e * n > 0xffffffffu) /* both < 2^32: no u64 overflow */
            return -1;
        return (int64_t)((uint64_t)e * n);
    }
    default:
        return -1;
    }
}

/* For a __uint(name, N) member: pointer to array of N -> N. */
static int64_t uint_field(struct btf *b, uint32_t member_type)
{
    int64_t p = resolve(b, member_type);
    if (p < 0 || kind_of(b, (uint32_t)p) != K_PTR)
        return -1;
    int64_t a = resolve(b, rd32(b->types + p + 8));
    if (a < 0 || kind_of(b, (uint32_t)a) != K_ARRAY)
        return -1;
    return rd32(b->types + a + 20);
}

/* For a __type(name, T) member: pointer to T -> sizeof(T). */
static int64_t type_field(struct btf *b, uint32_t member_type)
{
    int64_t p = resolve(b, member_type);
    if (p < 0 || kind_of(b, (uint32_t)p) != K_PTR)
        return -1;
    return size_of(b, rd32(b->types + p + 8), 0);
}

int ebpf_btf_map_shape(const uint8_t *btf, size_t len, const char *name, struct ebpf_elf_map *out,
                       char *err, size_t el)
{
    struct btf b = { .err = err, .el = el };
    if (len < HDR_MIN || (btf[0] | btf[1] << 8) != BTF_MAGIC || btf[2] != 1)
        return fail(&b, "BTF: bad header (magic, version or size)");
    uint32_t hdr = rd32(btf + 4), toff = rd32(btf + 8), tlen = rd32(btf + 12);
    uint32_t soff = rd32(btf + 16), slen = rd32(btf + 20);
    if (hdr < HDR_MIN || hdr > len || (uint64_t)toff + tlen > len - hdr ||
        (uint64_t)soff + slen > len - hdr)
        return fail(&b, "BTF: type or string section out of bounds");
    b.types = btf + hdr + toff, b.types_len = tlen;
    b.strs = btf + hdr + soff, b.strs_len = slen;
    /* Find the VAR named like the map. */
    uint32_t off = 0, var_type = 0;
    while (off < tlen) {
        uint32_t sz = rec_size(&b, off);
        if (!sz)
            return fail(&b, "BTF: malformed type at offset %u", off);
        const char *n = str_at(&b, rd32(b.types + off));
        if (!n)
            return fail(&b, "BTF: bad name offset at type offset %u", off);
        if (kind_of(&b, off) == K_VAR && str_eq(n, name)) {
            var_type = rd32(b.types + off + 8);
            break;
        }
        off += sz;
    }
    if (!var_type)
        return fail(&b, "BTF: no variable describes map '%s'", name);
    int64_t st = resolve(&b, var_type);
    if (st < 0 || kind_of(&b, (uint32_t)st) != K_STRUCT)
        return fail(&b, "BTF: map '%s' is not a struct", name);
    uint32_t vlen = rd32(b.types + st + 4) & 0xffff;
    int64_t type = -1, max = -1, ksz = -1, vsz = -1, flags = 0;
    int64_t *seen[8];
    uint32_t nseen = 0;
    for (uint32_t m = 0; m < vlen; m++) {
        const uint8_t *mem = b.types + st + 12 + 12 * m;
        const char *mn = str_at(&b, rd32(mem));
        uint32_t mt = rd32(mem + 4);
        int64_t *dst = NULL;
        bool is_type = false;
        if (!mn)
            return fail(&b, "BTF: map '%s': bad member name", name);
        if (str_eq(mn, "type")) dst = &type;
        else if (str_eq(mn, "max_entries")) dst = &max;
        else if (str_eq(mn, "key_size")) dst = &ksz;
        else if (str_eq(mn, "value_size")) dst = &vsz;
        else if (str_eq(mn, "map_flags")) dst = &flags;
        else if (str_eq(mn, "key")) dst = &ksz, is_type = true;
        else if (str_eq(mn, "value")) dst = &vsz, is_type = true;
        else
            return fail(&b, "BTF: map '%s': unsupported field '%s'", name, mn);
        /* Each shape field once (key / key_size both set ksz): this also bounds the work a
         * struct with thousands of members could otherwise cause. */
        for (uint32_t k = 0; k < nseen; k++)
            if (seen[k] == dst)
                return fail(&b, "BTF: map '%s': field '%s' given twice", name, mn);
        seen[nseen++] = dst;
        *dst = is_type ? type_field(&b, mt) : uint_field(&b, mt);
        if (*dst < 0)
            return fail(&b, "BTF: map '%s': field '%s' is malformed", name, mn);
    }
    if (type < 0 || max < 0 || ksz < 0 || vsz < 0)
        return fail(&b, "BTF: map '%s' lacks type, max_entries, key or value", name);
    out->type = (uint32_t)type, out->max_entries = (uint32_t)max;
    out->key_size = (uint32_t)ksz, out->value_size = (uint32_t)vsz, out->flags = (uint32_t)flags;
    return 0;
}
