/* asm.c - assembler for the conformance suite's eBPF text syntax (grammar in asm.h).
 *
 * Two passes over the text, no allocation: pass 1 finds every label and the slot it names
 * (counting lddw as two slots); pass 2 parses each instruction fully and resolves label
 * operands against that table. Every error names the line and the offending token; the first
 * error stops assembly. Input is untrusted (it comes from files and the fuzzer): every read
 * is bounded by the line end, numbers are range-checked before narrowing. */
#include "lib/ebpf/asm.h"

#include <stdbool.h>

#include "lib/ebpf/asm_text.h"
#include "lib/ebpf/vm.h"

struct label {
    const char *name;
    uint32_t len;
    uint32_t slot;
};

/* Label table of pass 1. Like the conformance suite's assembler, the name "exit" also stands
 * for the first exit instruction unless the program defines a label of that name. */
struct pass {
    const struct label *labels;
    uint32_t nlabels;
    int64_t first_exit;     /* slot of the first exit, -1 if none */
};

struct cursor {
    const char *p, *end;    /* rest of the current line (comment stripped) */
    uint32_t line;
    struct ebpf_asm_error *err;
};

/* --- error messages without stdio --- */
static void msg_add(struct ebpf_asm_error *e, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < len && s[i] && *n + 1 < sizeof(e->msg); i++)
        e->msg[(*n)++] = s[i];
    e->msg[*n] = 0;
}
static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
static void msg_num(struct ebpf_asm_error *e, size_t *n, uint32_t v)
{
    char t[12];
    int k = 0;
    do {
        t[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        msg_add(e, n, &t[--k], 1);
}
/* "line N: what 'token'" (token omitted when tok is NULL). Returns EBPF_EINVAL. */
static int error(struct cursor *c, const char *what, const char *tok, size_t toklen)
{
    if (c->err) {
        size_t n = 0;
        c->err->line = c->line;
        c->err->msg[0] = 0;
        msg_add(c->err, &n, "line ", 5);
        msg_num(c->err, &n, c->line);
        msg_add(c->err, &n, ": ", 2);
        msg_add(c->err, &n, what, slen(what));
        if (tok) {
            msg_add(c->err, &n, " '", 2);
            msg_add(c->err, &n, tok, toklen > 40 ? 40 : toklen);
            msg_add(c->err, &n, "'", 1);
        }
    }
    return EBPF_EINVAL;
}

/* --- lexing within one line --- */
static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v'; }
static bool is_ident0(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '.';
}
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_ident(char ch) { return is_ident0(ch) || is_digit(ch); }
static void skip_ws(struct cursor *c)
{
    while (c->p < c->end && is_space(*c->p))
        c->p++;
}
static bool eat(struct cursor *c, char ch)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}
/* Reads an identifier; returns its length (0 if none). */
static size_t ident(struct cursor *c, const char **s)
{
    skip_ws(c);
    *s = c->p;
    if (c->p >= c->end || !is_ident0(*c->p))
        return 0;
    while (c->p < c->end && is_ident(*c->p))
        c->p++;
    return (size_t)(c->p - *s);
}
static bool word_is(const char *s, size_t n, const char *w)
{
    size_t k = slen(w);
    if (n != k)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != w[i])
            return false;
    return true;
}
static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (a[i] != b[i])
            return false;
    return true;
}
/* The token at the cursor (up to a space, comma or bracket), for error messages. */
static size_t token_len(const struct cursor *c)
{
    size_t n = 0;
    while (c->p + n < c->end && !is_space(c->p[n]) && c->p[n] != ',' && c->p[n] != ']')
        n++;
    return n ? n : (size_t)(c->end - c->p);
}

/* Unsigned magnitude, decimal or 0x hex, at most 2^64-1. */
static bool number(struct cursor *c, uint64_t *out)
{
    const char *p = c->p;
    uint64_t v = 0;
    if (p + 1 < c->end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        const char *start = p;
        for (; p < c->end; p++) {
            char ch = *p;
            unsigned d = is_digit(ch) ? (unsigned)(ch - '0')
                       : (ch >= 'a' && ch <= 'f') ? (unsigned)(ch - 'a' + 10)
                       : (ch >= 'A' && ch <= 'F') ? (unsigned)(ch - 'A' + 10) : 16;
            if (d == 16)
                break;
            if (v >> 60)
                return false;
            v = v << 4 | d;
        }
        if (p == start)
            return false;
    } else {
        const char *start = p;
        for (; p < c->end && is_digit(*p); p++) {
            unsigned d = (unsigned)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                return false;
            v = v * 10 + d;
        }
        if (p == start)
            return false;
    }
    if (p < c->end && is_ident(*p))
        return false;   /* "12abc" */
    c->p = p;
    *out = v;
    return true;
}

/* Signed integer in [lo, hi] (hi may exceed INT64_MAX via the unsigned form for lddw). */
static int integer(struct cursor *c, int64_t lo, uint64_t hi, uint64_t *out, const char *what)
{
    skip_ws(c);
    const char *tok = c->p;
    size_t tl = token_len(c);
    bool neg = false;
    uint64_t v;
    if (c->p < c->end && (*c->p == '-' || *c->p == '+')) {
        neg = *c->p == '-';
        c->p++;
    }
    if (!number(c, &v))
        return error(c, "bad number", tok, tl);
    if (neg) {
        if (v > (uint64_t)1 << 63 || (lo >= 0 && v != 0) || (lo < 0 && v > (uint64_t)-(lo + 1) + 1))
            return error(c, what, tok, tl);
        *out = -v;
    } else {
        if (v > hi)
            return error(c, what, tok, tl);
        *out = v;
    }
    return 0;
}

static int reg(struct cursor *c, uint8_t *r)
{
    skip_ws(c);
    const char *tok = c->p;
    size_t tl = token_len(c);
    if (c->p < c->end && *c->p == '%')
        c->p++;
    if (c->p >= c->end || *c->p != 'r')
        return error(c, "expected register", tok, tl);
    c->p++;
    uint64_t v;
    if (!number(c, &v) || v > 10)
        return error(c, "bad register", tok, tl);
    *r = (uint8_t)v;
    return 0;
}
static bool at_reg(struct cursor *c)
{
    skip_ws(c);
    return c->p < c->end && (*c->p == '%' || (*c->p == 'r' && c->p + 1 < c->end && is_digit(c->p[1])));
}
static int comma(struct cursor *c)
{
    if (!eat(c, ','))
        return error(c, "expected ','", c->p, token_len(c));
    return 0;
}

/* [%rN], [%rN+off], [%rN-off] */
static int memop(struct cursor *c, uint8_t *r, int16_t *off)
{
    uint64_t v = 0;
    int rc;
    if (!eat(c, '['))
        return error(c, "expected '[' memory operand", c->p, token_len(c));
    if ((rc = reg(c, r)))
        return rc;
    skip_ws(c);
    if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
        if ((rc = integer(c, INT16_MIN, INT16_MAX, &v, "memory offset out of range")))
            return rc;
    }
    if (!eat(c, ']'))
        return error(c, "expected ']'", c->p, token_len(c));
    *off = (int16_t)(int64_t)v;
    return 0;
}

static int imm32(struct cursor *c, int32_t *imm)
{
    uint64_t v;
    int rc = integer(c, INT32_MIN, UINT32_MAX, &v, "immediate out of 32-bit range");
    *imm = (int32_t)(uint32_t)v;
    return rc;
}

/* A jump target: +N / -N / N (slots from the next instruction) or a label. */
static int target(struct cursor *c, const struct pass *ps, uint32_t slot, int64_t lo, int64_t hi,
                  int64_t *out)
{
    skip_ws(c);
    if (c->p < c->end && (*c->p == '+' || *c->p == '-' || is_digit(*c->p))) {
        uint64_t v;
        int rc = integer(c, lo, (uint64_t)hi, &v, "jump offset out of range");
        *out = (int64_t)v;
        return rc;
    }
    const char *s;
    size_t n = ident(c, &s);
    if (!n)
        return error(c, "expected jump target", c->p, token_len(c));
    int64_t to = -1;
    for (uint32_t i = 0; i < ps->nlabels && to < 0; i++)
        if (same_name(ps->labels[i].name, ps->labels[i].len, s, n))
            to = ps->labels[i].slot;
    if (to < 0 && same_name(s, n, "exit", 4))
        to = ps->first_exit;
    if (to >= 0) {
        int64_t d = to - (int64_t)slot - 1;
        if (d < lo || d > hi)
            return error(c, "label too far for this jump", s, n);
        *out = d;
        return 0;
    }
    return error(c, "undefined label", s, n);
}

/* Looks `s` up in a name table, with an optional "32" suffix. */
static const struct ebpf_name_op *lookup(const struct ebpf_name_op *t, size_t n, const char *s,
                                         size_t len, bool *is32)
{
    *is32 = len > 2 && s[len - 2] == '3' && s[len - 1] == '2';
    size_t base = *is32 ? len - 2 : len;
    for (size_t i = 0; i < n; i++)
        if (word_is(s, base, t[i].name))
            return &t[i];
    return NULL;
}

/* Size suffix after a load/store stem: "b" "h" "w" "dw" -> EBPF_B/H/W/DW, or -1. */
static int size_of(const char *s, size_t n)
{
    for (int i = 0; i < 4; i++)
        if (word_is(s, n, ebpf_size_names[i]))
            return i << 3;
    return -1;
}

struct out {
    struct ebpf_insn *insn;
    uint32_t cap, n;
};
static int emit(struct cursor *c, struct out *o, struct ebpf_insn i)
{
    if (o->n >= o->cap) {
        error(c, "program too long for the output buffer", NULL, 0);
        return EBPF_E2BIG;
    }
    o->insn[o->n++] = i;
    return 0;
}


/* Parses one instruction (mnemonic already read into m[0..mn)) and emits its slot(s). */
static int instruction(struct cursor *c, const struct pass *ps, struct out *o, const char *m,
                       size_t mn)
{
    struct ebpf_insn i = { 0 };
    const struct ebpf_name_op *e;
    bool is32;
    uint8_t r;
    int rc;
    int64_t t;

    if (word_is(m, mn, "exit"))
        return emit(c, o, ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0));
    if (word_is(m, mn, "neg") || word_is(m, mn, "neg32")) {
        if ((rc = reg(c, &r)))
            return rc;
        return emit(c, o, ebpf_insn_make((mn == 3 ? EBPF_ALU64 : EBPF_ALU) | EBPF_NEG, r, 0, 0, 0));
    }
    if ((e = lookup(ebpf_alu_names, EBPF_NAMES_LEN(ebpf_alu_names), m, mn, &is32))) {
        uint8_t cls = is32 ? EBPF_ALU : EBPF_ALU64;
        if ((rc = reg(c, &r)) || (rc = comma(c)))
            return rc;
        if (at_reg(c)) {
            uint8_t s;
            if ((rc = reg(c, &s)))
                return rc;
            i = ebpf_insn_make(cls | EBPF_X | e->op, r, s, e->off, 0);
        } else {
            int32_t imm;
            if ((rc = imm32(c, &imm)))
                return rc;
            i = ebpf_insn_make(cls | EBPF_K | e->op, r, 0, e->off, imm);
        }
        return emit(c, o, i);
    }
    /* movsx{8,16}{32,64}, movsx3264 */
    if (mn > 5 && word_is(m, 5, "movsx")) {
        static const struct { const char *n; uint8_t cls; int16_t off; } mx[] = {
            { "movsx832", EBPF_ALU, 8 }, { "movsx1632", EBPF_ALU, 16 },
            { "movsx864", EBPF_ALU64, 8 }, { "movsx1664", EBPF_ALU64, 16 },
            { "movsx3264", EBPF_ALU64, 32 },
        };
        for (size_t k = 0; k < EBPF_NAMES_LEN(mx); k++) {
            if (!word_is(m, mn, mx[k].n))
                continue;
            uint8_t s;
            if ((rc = reg(c, &r)) || (rc = comma(c)) || (rc = reg(c, &s)))
                return rc;
            return emit(c, o, ebpf_insn_make(mx[k].cls | EBPF_X | EBPF_MOV, r, s, mx[k].off, 0));
        }
        return error(c, "unknown mnemonic", m, mn);
    }
    /* le16 be32 bswap64 swap16 ... */
    {
        int width = 0;
        uint8_t opc = 0;
        const char *w = m + mn;
        size_t stem = mn >= 2 && w[-2] == '1' && w[-1] == '6' ? mn - 2
                    : mn >= 2 && ((w[-2] == '3' && w[-1] == '2') || (w[-2] == '6' && w[-1] == '4')) ? mn - 2 : mn;
        if (stem != mn) {
            width = (w[-2] - '0') * 10 + (w[-1] - '0');
            if (word_is(m, stem, "le"))
                opc = EBPF_ALU | EBPF_TO_LE | EBPF_END;
            else if (word_is(m, stem, "be"))
                opc = EBPF_ALU | EBPF_TO_BE | EBPF_END;
            else if (word_is(m, stem, "bswap") || word_is(m, stem, "swap"))
                opc = EBPF_ALU64 | EBPF_END;
        }
        if (opc) {
            if ((rc = reg(c, &r)))
                return rc;
            return emit(c, o, ebpf_insn_make(opc, r, 0, 0, width));
        }
    }
    /* ldx{b,h,w,dw}, ldxs{b,h,w} */
    if (mn > 3 && word_is(m, 3, "ldx")) {
        bool sx = mn > 4 && m[3] == 's' && size_of(m + 4, mn - 4) >= 0 && size_of(m + 4, mn - 4) != EBPF_DW;
        int sz = sx ? size_of(m + 4, mn - 4) : size_of(m + 3, mn - 3);
        if (sz < 0)
            return error(c, "unknown mnemonic", m, mn);
        uint8_t s;
        int16_t off;
        if ((rc = reg(c, &r)) || (rc = comma(c)) || (rc = memop(c, &s, &off)))
            return rc;
        return emit(c, o, ebpf_insn_make(EBPF_LDX | (sx ? EBPF_MEMSX : EBPF_MEM) | (uint8_t)sz, r, s, off, 0));
    }
    /* stx{b,h,w,dw} [..], reg   st{b,h,w,dw} [..], imm */
    if (mn > 2 && word_is(m, 2, "st")) {
        bool x = mn > 3 && m[2] == 'x';
        int sz = size_of(m + (x ? 3 : 2), mn - (x ? 3 : 2));
        if (sz < 0)
            return error(c, "unknown mnemonic", m, mn);
        int16_t off;
        if ((rc = memop(c, &r, &off)) || (rc = comma(c)))
            return rc;
        if (x) {
            uint8_t s;
            if ((rc = reg(c, &s)))
                return rc;
            return emit(c, o, ebpf_insn_make(EBPF_STX | EBPF_MEM | (uint8_t)sz, r, s, off, 0));
        }
        int32_t imm;
        if ((rc = imm32(c, &imm)))
            return rc;
        return emit(c, o, ebpf_insn_make(EBPF_ST | EBPF_MEM | (uint8_t)sz, r, 0, off, imm));
    }
    /* lock [fetch] op[32] [%rN+off], %rM */
    if (word_is(m, mn, "lock")) {
        const char *w;
        size_t wn = ident(c, &w);
        bool fetch = word_is(w, wn, "fetch");
        if (fetch)
            wn = ident(c, &w);
        e = lookup(ebpf_atomic_names, EBPF_NAMES_LEN(ebpf_atomic_names), w, wn, &is32);
        if (!e || (fetch && (e->op & EBPF_FETCH)))
            return error(c, "unknown atomic operation", w, wn ? wn : token_len(c));
        int16_t off;
        uint8_t s;
        if ((rc = memop(c, &r, &off)) || (rc = comma(c)) || (rc = reg(c, &s)))
            return rc;
        return emit(c, o, ebpf_insn_make(EBPF_STX | EBPF_ATOMIC | (is32 ? EBPF_W : EBPF_DW), r, s,
                                         off, e->op | (fetch ? EBPF_FETCH : 0)));
    }
    /* lddw %rN, imm64 | map[N] | map_fd[N] | map_value[N]+off | map_fd_value[N]+off */
    if (word_is(m, mn, "lddw")) {
        uint64_t v = 0, off = 0;
        uint8_t src = EBPF_PSEUDO_IMM64;
        if ((rc = reg(c, &r)) || (rc = comma(c)))
            return rc;
        skip_ws(c);
        if (c->p < c->end && is_ident0(*c->p)) {
            const char *w;
            size_t wn = ident(c, &w);
            src = word_is(w, wn, "map") ? EBPF_PSEUDO_MAP_IDX
                : word_is(w, wn, "map_fd") ? EBPF_PSEUDO_MAP_FD
                : word_is(w, wn, "map_value") ? EBPF_PSEUDO_MAP_IDX_VALUE
                : word_is(w, wn, "map_fd_value") ? EBPF_PSEUDO_MAP_VALUE : 0;
            if (!src)
                return error(c, "expected number or map[N]", w, wn);
            if (!eat(c, '['))
                return error(c, "expected '['", c->p, token_len(c));
            if ((rc = integer(c, 0, INT32_MAX, &v, "map index out of range")))
                return rc;
            if (!eat(c, ']'))
                return error(c, "expected ']'", c->p, token_len(c));
            if (src == EBPF_PSEUDO_MAP_IDX_VALUE || src == EBPF_PSEUDO_MAP_VALUE) {
                skip_ws(c);
                if (c->p < c->end && (*c->p == '+' || *c->p == '-') &&
                    (rc = integer(c, INT32_MIN, INT32_MAX, &off, "map value offset out of range")))
                    return rc;
            }
            v |= off << 32;
        } else if ((rc = integer(c, INT64_MIN, UINT64_MAX, &v, "immediate out of 64-bit range"))) {
            return rc;
        }
        if ((rc = emit(c, o, ebpf_insn_make(EBPF_OP_LDDW, r, src, 0, (int32_t)(uint32_t)v))))
            return rc;
        return emit(c, o, ebpf_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
    }
    uint32_t slot = o->n;
    if (word_is(m, mn, "ja") || word_is(m, mn, "ja32")) {
        bool wide = mn == 4;
        if ((rc = target(c, ps, slot, wide ? INT32_MIN : INT16_MIN,
                         wide ? INT32_MAX : INT16_MAX, &t)))
            return rc;
        return emit(c, o, wide ? ebpf_insn_make(EBPF_OP_JA32, 0, 0, 0, (int32_t)t)
                               : ebpf_insn_make(EBPF_OP_JA, 0, 0, (int16_t)t, 0));
    }
    if (word_is(m, mn, "call") || word_is(m, mn, "callx")) {
        const char *w;
        skip_ws(c);
        if (at_reg(c)) {
            if ((rc = reg(c, &r)))
                return rc;
            return emit(c, o, ebpf_insn_make(EBPF_OP_CALLX, r, 0, 0, 0));
        }
        if (mn == 5)
            return error(c, "callx needs a register", c->p, token_len(c));
        const char *save = c->p;
        size_t wn = ident(c, &w);
        if (word_is(w, wn, "local")) {
            if ((rc = target(c, ps, slot, INT32_MIN, INT32_MAX, &t)))
                return rc;
            return emit(c, o, ebpf_insn_make(EBPF_OP_CALL, 0, EBPF_CALL_LOCAL, 0, (int32_t)t));
        }
        c->p = save;
        uint64_t id;
        if ((rc = integer(c, 0, INT32_MAX, &id, "helper id out of range")))
            return rc;
        return emit(c, o, ebpf_insn_make(EBPF_OP_CALL, 0, EBPF_CALL_HELPER, 0, (int32_t)id));
    }
    if ((e = lookup(ebpf_jmp_names, EBPF_NAMES_LEN(ebpf_jmp_names), m, mn, &is32))) {
        uint8_t cls = is32 ? EBPF_JMP32 : EBPF_JMP, s = 0;
        int32_t imm = 0;
        bool x = false;
        if ((rc = reg(c, &r)) || (rc = comma(c)))
            return rc;
        if (at_reg(c)) {
            x = true;
            if ((rc = reg(c, &s)))
                return rc;
        } else if ((rc = imm32(c, &imm))) {
            return rc;
        }
        if ((rc = comma(c)) ||
            (rc = target(c, ps, slot, INT16_MIN, INT16_MAX, &t)))
            return rc;
        return emit(c, o, ebpf_insn_make(cls | (x ? EBPF_X : EBPF_K) | e->op, r, s, (int16_t)t, imm));
    }
    return error(c, "unknown mnemonic", m, mn);
}

/* Sets c to the next line of text (comment stripped); returns false at the end. */
static bool next_line(struct cursor *c, const char **pos, const char *text_end)
{
    if (*pos >= text_end)
        return false;
    const char *s = *pos, *e = s;
    while (e < text_end && *e != '\n')
        e++;
    *pos = e < text_end ? e + 1 : e;
    c->line++;
    c->p = s;
    c->end = s;
    while (c->end < e && *c->end != '#' && *c->end != ';')
        c->end++;
    return true;
}

/* Reads a leading "label:" if there is one. Returns its length, 0 if none. */
static size_t label_def(struct cursor *c, const char **name)
{
    const char *save = c->p;
    size_t n = ident(c, name);
    if (n && eat(c, ':'))
        return n;
    c->p = save;
    return 0;
}

int ebpf_asm(const char *text, size_t len, struct ebpf_insn *out, uint32_t cap,
             struct ebpf_asm_error *err)
{
    struct label labels[EBPF_ASM_MAX_LABELS];
    struct cursor c = { .err = err };
    uint32_t nlabels = 0, slot = 0;
    int64_t first_exit = -1;
    const char *pos = text, *end = text + len;
    if (err) {
        err->line = 0;
        err->msg[0] = 0;
    }
    /* Pass 1: labels and slot numbers. */
    while (next_line(&c, &pos, end)) {
        const char *name, *m;
        size_t n;
        while ((n = label_def(&c, &name))) {
            for (uint32_t k = 0; k < nlabels; k++)
                if (same_name(labels[k].name, labels[k].len, name, n))
                    return error(&c, "duplicate label", name, n);
            if (nlabels == EBPF_ASM_MAX_LABELS)
                return error(&c, "too many labels", name, n);
            labels[nlabels++] = (struct label){ name, (uint32_t)n, slot };
        }
        n = ident(&c, &m);
        if (n && first_exit < 0 && word_is(m, n, "exit"))
            first_exit = slot;
        if (n)
            slot += word_is(m, n, "lddw") ? 2 : 1;
        else if ((skip_ws(&c), c.p < c.end))
            return error(&c, "expected mnemonic", c.p, token_len(&c));
    }
    /* Pass 2: instructions. */
    struct pass ps = { labels, nlabels, first_exit };
    struct out o = { out, cap, 0 };
    c.line = 0;
    pos = text;
    while (next_line(&c, &pos, end)) {
        const char *name, *m;
        while (label_def(&c, &name))
            ;
        size_t n = ident(&c, &m);
        if (!n)
            continue;
        int rc = instruction(&c, &ps, &o, m, n);
        if (rc)
            return rc;
        skip_ws(&c);
        if (c.p < c.end)
            return error(&c, "unexpected text after instruction", c.p, (size_t)(c.end - c.p));
    }
    return (int)o.n;
}
