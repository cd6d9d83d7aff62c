/* jit_peep.c - the JIT's peepholes over short instruction sequences (called from jit.c's
 * emit_all at every instruction). Each one fires only when (1) no instruction it swallows after
 * the first is a jump target, (2) the registers it stops writing are dead (jit_live.c), and
 * (3) the x86 form computes exactly what the eBPF instructions compute for every input -
 * the conditions are spelled out at each function. None applies with constant blinding, whose
 * immediates must stay out of the code. tests/ebpf/test_jit_encode.c covers each at its edges. */
#include "lib/ebpf/jit_internal.h"
#include "lib/ebpf/jit_live.h"

/* cmp <size> [base + disp], imm (size B/H/W/DW; imm already in the operand's width). The
 * imm8 form when the value fits sign-extended, as gcc does; a 16-bit compare that needs imm16
 * goes through movzx r11d instead (the 66-prefixed imm16 form stalls Intel's decoders). */
static void cmp_mem_imm(struct xbuf *b, uint8_t sz, int base, int32_t disp, int32_t imm)
{
    int32_t s = sz == EBPF_B ? (int8_t)imm : sz == EBPF_H ? (int16_t)imm : imm;
    bool small = s >= -128 && s <= 127;
    if (sz == EBPF_H && !small) {
        op0f_rm(b, 0xb7, false, R11, base, disp);          /* movzx r11d, word [m] */
        op_ri(b, 7, false, R11, imm);
        return;
    }
    if (sz == EBPF_H)
        emit1(b, 0x66);
    rex(b, sz == EBPF_DW, 0, base, false);
    emit1(b, sz == EBPF_B ? 0x80 : small ? 0x83 : 0x81);
    modrm_mem(b, 7, base, disp);
    if (small || sz == EBPF_B)
        emit1(b, (uint8_t)s);
    else
        emit4(b, (uint32_t)imm);
}

static bool is_be(const struct ebpf_insn *i, int reg, int32_t width)
{
    return i->opcode == (EBPF_ALU | EBPF_END | EBPF_TO_BE) && i->dst == reg && i->imm == width;
}

/* Peephole: `ldx r, [m]` (optionally `be16/be32 r`) then `jCC r, K` with r dead on both
 * edges becomes `cmp [m], K'; jCC` - the loaded value is never materialised. Only where the
 * narrow memory compare is exactly the eBPF compare: the loaded value is zero-extended, so
 * B/H (and W under 64-bit JMP) allow EQ/NE/unsigned with 0 <= K <= the size's maximum, a
 * W (JMP32) or DW load allows every condition, byte-swapped values allow EQ/NE (K swapped).
 * Returns the number of instructions consumed, 0 if the pattern does not apply. */
static uint32_t fuse_load_cmp(struct jit *j, uint32_t pc)
{
    const struct ebpf_prog *p = j->prog;
    const struct ebpf_insn *l = &p->insns[pc];
    if (j->blind || l->opcode != (EBPF_LDX | EBPF_MEM | EBPF_SIZE(l->opcode)) || pc + 2 >= p->len)
        return 0;
    uint8_t sz = EBPF_SIZE(l->opcode);
    int r = l->dst;
    uint32_t jpc = pc + 1;
    bool swap = false;
    if ((sz == EBPF_H && is_be(&p->insns[jpc], r, 16)) || (sz == EBPF_W && is_be(&p->insns[jpc], r, 32))) {
        swap = true;
        jpc++;
        if (jpc >= p->len || (j->off[pc + 1] & IS_TARGET))
            return 0;
    }
    const struct ebpf_insn *c = &p->insns[jpc];
    uint8_t cls = EBPF_CLASS(c->opcode), op = EBPF_OP(c->opcode);
    if ((cls != EBPF_JMP && cls != EBPF_JMP32) || EBPF_SRC(c->opcode) != EBPF_K || c->dst != r ||
        (j->off[jpc] & IS_TARGET))
        return 0;
    bool eq = op == EBPF_JEQ || op == EBPF_JNE;
    bool uns = op == EBPF_JGT || op == EBPF_JGE || op == EBPF_JLT || op == EBPF_JLE;
    bool sgn = op == EBPF_JSGT || op == EBPF_JSGE || op == EBPF_JSLT || op == EBPF_JSLE;
    bool w32 = cls == EBPF_JMP32;
    uint8_t msz = sz == EBPF_DW && w32 ? EBPF_W : sz;   /* JMP32 on a DW load: low half */
    int32_t k = c->imm;
    if (msz == EBPF_DW || (msz == EBPF_W && w32)) {
        if (swap ? !eq : !(eq || uns || sgn))
            return 0;
    } else {
        uint32_t max = sz == EBPF_B ? 0xff : sz == EBPF_H ? 0xffff : 0xffffffffu;
        if (!(eq || (uns && !swap)) || k < 0 || (uint32_t)k > max)
            return 0;
    }
    if (swap)
        k = sz == EBPF_H ? (int32_t)(uint16_t)((uint16_t)k << 8 | (uint16_t)k >> 8)
                         : (int32_t)__builtin_bswap32((uint32_t)k);
    int64_t t = (int64_t)jpc + 1 + c->off;
    if (!ebpf_jit_reg_dead(p, jpc + 1, r, j->local_calls) ||
        !ebpf_jit_reg_dead(p, (uint32_t)t, r, j->local_calls))
        return 0;
    cmp_mem_imm(&j->b, msz, map_reg[l->src], l->off, k);
    for (uint32_t q = pc + 1; q <= jpc; q++)
        ebpf_jit_set_off(j, q);
    ebpf_jit_emit_branch(j, pc, ebpf_jit_cond_cc(op), (uint32_t)t);
    return jpc - pc + 1;
}

/* Peephole: `ldxdw r, [m]; add/sub/and/or/xor d, r` (or ldxw with the 32-bit ALU op) with r
 * dead afterwards and d != r becomes `op d, [m]`: the x86 memory-source form, same width, same
 * zero extension for 32-bit. */
static uint32_t fuse_load_alu(struct jit *j, uint32_t pc)
{
    const struct ebpf_prog *p = j->prog;
    const struct ebpf_insn *l = &p->insns[pc];
    if (pc + 2 >= p->len || (j->off[pc + 1] & IS_TARGET) ||
        (l->opcode != (EBPF_LDX | EBPF_MEM | EBPF_DW) && l->opcode != (EBPF_LDX | EBPF_MEM | EBPF_W)))
        return 0;
    const struct ebpf_insn *a = &p->insns[pc + 1];
    bool w = EBPF_SIZE(l->opcode) == EBPF_DW;
    if (EBPF_CLASS(a->opcode) != (w ? EBPF_ALU64 : EBPF_ALU) || EBPF_SRC(a->opcode) != EBPF_X ||
        a->src != l->dst || a->dst == l->dst)
        return 0;
    uint8_t op;
    switch (EBPF_OP(a->opcode)) {
    case EBPF_ADD: op = 0x03; break;
    case EBPF_SUB: op = 0x2b; break;
    case EBPF_OR: op = 0x0b; break;
    case EBPF_AND: op = 0x23; break;
    case EBPF_XOR: op = 0x33; break;
    default: return 0;
    }
    if (!ebpf_jit_reg_dead(p, pc + 2, l->dst, j->local_calls))
        return 0;
    op_rm(&j->b, op, w, map_reg[a->dst], map_reg[l->src], l->off, false);
    ebpf_jit_set_off(j, pc + 1);
    return 2;
}

/* Peephole: `jlt r, A, L; jgt r, B, L` (either order, same class, same target, A <= B) is
 * "r outside [A, B]", i.e. (r - A) > (B - A) unsigned: one compare and one branch (the range
 * check gcc emits). Needs B - A to fit a sign-extended imm32. */
static uint32_t fuse_range(struct jit *j, uint32_t pc)
{
    const struct ebpf_prog *p = j->prog;
    if (j->blind || pc + 1 >= p->len || (j->off[pc + 1] & IS_TARGET))
        return 0;
    const struct ebpf_insn *a = &p->insns[pc], *b = &p->insns[pc + 1];
    uint8_t cls = EBPF_CLASS(a->opcode);
    if ((cls != EBPF_JMP && cls != EBPF_JMP32) || EBPF_CLASS(b->opcode) != cls ||
        EBPF_SRC(a->opcode) != EBPF_K || EBPF_SRC(b->opcode) != EBPF_K || a->dst != b->dst ||
        (int64_t)pc + 1 + a->off != (int64_t)pc + 2 + b->off)
        return 0;
    uint8_t oa = EBPF_OP(a->opcode), ob = EBPF_OP(b->opcode);
    const struct ebpf_insn *lo, *hi;
    if (oa == EBPF_JLT && ob == EBPF_JGT)
        lo = a, hi = b;
    else if (oa == EBPF_JGT && ob == EBPF_JLT)
        lo = b, hi = a;
    else
        return 0;
    bool w = cls == EBPF_JMP;
    uint64_t la = w ? (uint64_t)(int64_t)lo->imm : (uint32_t)lo->imm;
    uint64_t hb = w ? (uint64_t)(int64_t)hi->imm : (uint32_t)hi->imm;
    if (la > hb || hb - la > INT32_MAX)
        return 0;
    struct xbuf *x = &j->b;
    mov_rr(x, w, R11, map_reg[a->dst]);
    op_ri(x, 5, w, R11, lo->imm);                 /* r11 = r - A (wraps below A) */
    op_ri(x, 7, w, R11, (int32_t)(hb - la));
    ebpf_jit_set_off(j, pc + 1);
    ebpf_jit_emit_branch(j, pc, CC_A, (uint32_t)((int64_t)pc + 1 + a->off));
    return 2;
}

uint32_t ebpf_jit_fuse(struct jit *j, uint32_t pc)
{
    uint32_t n = fuse_load_cmp(j, pc);
    if (!n)
        n = fuse_load_alu(j, pc);
    if (!n)
        n = fuse_range(j, pc);
    return n;
}
