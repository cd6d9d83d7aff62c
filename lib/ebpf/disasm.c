/* disasm.c - disassembler producing the assembler's syntax (asm.h), one instruction at a time.
 *
 * Jump and call targets are printed as signed slot offsets ("+3", "-2") and every field that
 * the text shows is exactly the field in the slot, so assembling the output gives back the same
 * 64-bit words. An instruction whose encoding the text cannot express exactly (unknown opcode,
 * reserved fields not zero, a truncated lddw) is printed as ".word 0x..." and reported by a
 * return value of 0: the assembler rejects that text, so a round trip never silently changes a
 * program. Freestanding: no stdio. */
#include "lib/ebpf/asm.h"

#include <stdbool.h>

#include "lib/ebpf/asm_text.h"

struct buf {
    char *p;
    size_t cap, n;
};
static void put(struct buf *b, const char *s)
{
    for (; *s; s++)
        if (b->n + 1 < b->cap)
            b->p[b->n++] = *s;
    if (b->cap)
        b->p[b->n < b->cap ? b->n : b->cap - 1] = 0;
}
static void put_u(struct buf *b, uint64_t v, bool hex)
{
    char t[24];
    int k = 0;
    unsigned base = hex ? 16 : 10;
    if (hex)
        put(b, "0x");
    do {
        t[k++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    char s[2] = { 0, 0 };
    while (k) {
        s[0] = t[--k];
        put(b, s);
    }
}
static void put_s(struct buf *b, int64_t v, bool plus)
{
    if (v < 0) {
        put(b, "-");
        put_u(b, -(uint64_t)v, false);
    } else {
        if (plus)
            put(b, "+");
        put_u(b, (uint64_t)v, false);
    }
}
static void put_reg(struct buf *b, unsigned r)
{
    put(b, "%r");
    put_u(b, r, false);
}
static void put_mem(struct buf *b, unsigned r, int16_t off)
{
    put(b, "[");
    put_reg(b, r);
    if (off)
        put_s(b, off, true);
    put(b, "]");
}

/* Mnemonic + optional "32" + space. */
static void put_op(struct buf *b, const char *name, bool is32)
{
    put(b, name);
    if (is32)
        put(b, "32");
    put(b, " ");
}

static const char *find(const struct ebpf_name_op *t, size_t n, uint8_t op, int16_t off)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].op == op && t[i].off == off)
            return t[i].name;
    return NULL;
}

/* Prints the instruction; returns slots used or 0 when it cannot be expressed exactly. */
static int format(const struct ebpf_insn *in, uint32_t n, uint32_t pc, struct buf *b)
{
    const struct ebpf_insn i = in[pc];
    uint8_t cls = EBPF_CLASS(i.opcode), op = EBPF_OP(i.opcode);
    bool x = EBPF_SRC(i.opcode) == EBPF_X;
    const char *name;

    if (i.dst > 10 || i.src > 10)
        return 0;
    switch (cls) {
    case EBPF_ALU:
    case EBPF_ALU64: {
        bool is32 = cls == EBPF_ALU;
        if (op == EBPF_NEG) {
            if (x || i.src || i.off || i.imm)
                return 0;
            put_op(b, "neg", is32);
            put_reg(b, i.dst);
            return 1;
        }
        if (op == EBPF_END) {
            if (i.src || i.off || !(i.imm == 16 || i.imm == 32 || i.imm == 64) || (!is32 && x))
                return 0;
            put(b, !is32 ? "bswap" : x ? "be" : "le");
            put_u(b, (uint64_t)i.imm, false);
            put(b, " ");
            put_reg(b, i.dst);
            return 1;
        }
        if (op == EBPF_MOV && i.off) {
            if (!x || i.imm || !(i.off == 8 || i.off == 16 || (i.off == 32 && !is32)))
                return 0;
            put(b, "movsx");
            put_u(b, (uint64_t)i.off, false);
            put(b, is32 ? "32 " : "64 ");
            put_reg(b, i.dst);
            put(b, ", ");
            put_reg(b, i.src);
            return 1;
        }
        if (!(name = find(ebpf_alu_names, EBPF_NAMES_LEN(ebpf_alu_names), op, i.off)))
            return 0;
        if (x ? i.imm != 0 : i.src != 0)
            return 0;
        put_op(b, name, is32);
        put_reg(b, i.dst);
        put(b, ", ");
        if (x)
            put_reg(b, i.src);
        else
            put_s(b, i.imm, false);
        return 1;
    }
    case EBPF_JMP:
    case EBPF_JMP32: {
        bool is32 = cls == EBPF_JMP32;
        if (op == EBPF_JA) {
            if (x || i.dst || i.src || (is32 ? i.off != 0 : i.imm != 0))
                return 0;
            put(b, is32 ? "ja32 " : "ja ");
            put_s(b, is32 ? i.imm : i.off, true);
            return 1;
        }
        if (op == EBPF_EXIT) {
            if (is32 || x || i.dst || i.src || i.off || i.imm)
                return 0;
            put(b, "exit");
            return 1;
        }
        if (op == EBPF_CALL) {
            if (is32 || i.off)
                return 0;
            if (x) {
                if (i.src || i.imm)
                    return 0;
                put(b, "callx ");
                put_reg(b, i.dst);
                return 1;
            }
            if (i.dst || (i.src != EBPF_CALL_HELPER && i.src != EBPF_CALL_LOCAL))
                return 0;
            if (i.src == EBPF_CALL_LOCAL) {
                put(b, "call local ");
                put_s(b, i.imm, true);
            } else {
                if (i.imm < 0)
                    return 0;
                put(b, "call ");
                put_s(b, i.imm, false);
            }
            return 1;
        }
        if (!(name = find(ebpf_jmp_names, EBPF_NAMES_LEN(ebpf_jmp_names), op, 0)))
            return 0;
        if (x ? i.imm != 0 : i.src != 0)
            return 0;
        put_op(b, name, is32);
        put_reg(b, i.dst);
        put(b, ", ");
        if (x)
            put_reg(b, i.src);
        else
            put_s(b, i.imm, false);
        put(b, ", ");
        put_s(b, i.off, true);
        return 1;
    }
    case EBPF_LD: {
        if (i.opcode != EBPF_OP_LDDW || i.off || pc + 1 >= n)
            return 0;
        const struct ebpf_insn h = in[pc + 1];
        if (h.opcode || h.dst || h.src || h.off)
            return 0;
        put(b, "lddw ");
        put_reg(b, i.dst);
        put(b, ", ");
        switch (i.src) {
        case EBPF_PSEUDO_IMM64:
            put_u(b, ebpf_lddw_imm(&i, &h), true);
            return 2;
        case EBPF_PSEUDO_MAP_IDX: case EBPF_PSEUDO_MAP_FD:
            if (i.imm < 0 || h.imm)
                return 0;
            put(b, i.src == EBPF_PSEUDO_MAP_IDX ? "map[" : "map_fd[");
            put_u(b, (uint64_t)i.imm, false);
            put(b, "]");
            return 2;
        case EBPF_PSEUDO_MAP_IDX_VALUE: case EBPF_PSEUDO_MAP_VALUE:
            if (i.imm < 0)
                return 0;
            put(b, i.src == EBPF_PSEUDO_MAP_IDX_VALUE ? "map_value[" : "map_fd_value[");
            put_u(b, (uint64_t)i.imm, false);
            put(b, "]");
            if (h.imm)
                put_s(b, h.imm, true);
            return 2;
        default:
            return 0;
        }
    }
    case EBPF_LDX: {
        uint8_t mode = EBPF_MODE(i.opcode), sz = EBPF_SIZE(i.opcode) >> 3;
        if (i.imm || !(mode == EBPF_MEM || (mode == EBPF_MEMSX && sz != EBPF_DW >> 3)))
            return 0;
        put(b, mode == EBPF_MEMSX ? "ldxs" : "ldx");
        put(b, ebpf_size_names[sz]);
        put(b, " ");
        put_reg(b, i.dst);
        put(b, ", ");
        put_mem(b, i.src, i.off);
        return 1;
    }
    case EBPF_ST: {
        if (EBPF_MODE(i.opcode) != EBPF_MEM || i.src)
            return 0;
        put(b, "st");
        put(b, ebpf_size_names[EBPF_SIZE(i.opcode) >> 3]);
        put(b, " ");
        put_mem(b, i.dst, i.off);
        put(b, ", ");
        put_s(b, i.imm, false);
        return 1;
    }
    default: { /* STX */
        uint8_t mode = EBPF_MODE(i.opcode), sz = EBPF_SIZE(i.opcode);
        if (mode == EBPF_MEM) {
            if (i.imm)
                return 0;
            put(b, "stx");
            put(b, ebpf_size_names[sz >> 3]);
            put(b, " ");
        } else if (mode == EBPF_ATOMIC && (sz == EBPF_W || sz == EBPF_DW)) {
            bool fetch = (i.imm & EBPF_FETCH) && i.imm != EBPF_ATOMIC_XCHG &&
                         i.imm != EBPF_ATOMIC_CMPXCHG;
            if (!(name = find(ebpf_atomic_names, EBPF_NAMES_LEN(ebpf_atomic_names),
                              (uint8_t)(fetch ? i.imm & ~EBPF_FETCH : i.imm), 0)) ||
                i.imm < 0 || i.imm > 0xff)
                return 0;
            put(b, fetch ? "lock fetch " : "lock ");
            put_op(b, name, sz == EBPF_W);
        } else {
            return 0;
        }
        put_mem(b, i.dst, i.off);
        put(b, ", ");
        put_reg(b, i.src);
        return 1;
    }
    }
}

int ebpf_disasm(const struct ebpf_insn *insns, uint32_t n, uint32_t pc, char *out, size_t cap)
{
    struct buf b = { out, cap, 0 };
    if (cap)
        out[0] = 0;
    if (pc >= n)
        return 0;
    int used = format(insns, n, pc, &b);
    if (used == 0) {
        b.n = 0;
        put(&b, ".word ");
        put_u(&b, ebpf_insn_word(insns[pc]), true);
    }
    return used;
}
