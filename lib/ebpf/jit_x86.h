/* jit_x86.h - a minimal x86-64 instruction encoder for the JIT (internal to lib/ebpf).
 *
 * Only the forms the JIT needs. Memory operands are always [base + disp32] (mod = 10), with a
 * SIB byte when the base is rsp/r12, which sidesteps the rbp/r13 "no base" special case. The
 * buffer never overflows: emit() stops writing at the capacity and sets `overflow`, and the
 * compiler checks that flag once at the end. */
#ifndef PLADOF_LIB_EBPF_JIT_X86_H
#define PLADOF_LIB_EBPF_JIT_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

struct xbuf {
    uint8_t *p;
    size_t cap, n;
    bool overflow;
};

static inline void emit1(struct xbuf *b, uint8_t v)
{
    if (b->n < b->cap)
        b->p[b->n] = v;
    else
        b->overflow = true;
    b->n++;
}
static inline void emit4(struct xbuf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        emit1(b, (uint8_t)(v >> (8 * i)));
}
static inline void emit8(struct xbuf *b, uint64_t v)
{
    emit4(b, (uint32_t)v);
    emit4(b, (uint32_t)(v >> 32));
}

/* REX prefix; `force` emits it even when empty (byte access to sil/dil). */
static inline void rex(struct xbuf *b, bool w, int reg, int rm, bool force)
{
    uint8_t r = (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0));
    if (r != 0x40 || force)
        emit1(b, r);
}
static inline void modrm_rr(struct xbuf *b, int reg, int rm)
{
    emit1(b, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7)));
}
static inline void modrm_mem(struct xbuf *b, int reg, int base, int32_t disp)
{
    emit1(b, (uint8_t)(0x80 | ((reg & 7) << 3) | (base & 7)));
    if ((base & 7) == RSP)
        emit1(b, 0x24);     /* SIB: no index, base = rsp/r12 */
    emit4(b, (uint32_t)disp);
}

/* op r/m(dst), reg(src): add 01, or 09, and 21, sub 29, xor 31, cmp 39, mov 89, test 85. */
static inline void op_rr(struct xbuf *b, uint8_t op, bool w, int dst, int src)
{
    rex(b, w, src, dst, false);
    emit1(b, op);
    modrm_rr(b, src, dst);
}
/* Group-1 op with imm32: /0 add, /1 or, /4 and, /5 sub, /6 xor, /7 cmp. */
static inline void op_ri(struct xbuf *b, uint8_t ext, bool w, int dst, int32_t imm)
{
    rex(b, w, 0, dst, false);
    if (imm >= -128 && imm <= 127) {
        emit1(b, 0x83);
        modrm_rr(b, ext, dst);
        emit1(b, (uint8_t)imm);
    } else {
        emit1(b, 0x81);
        modrm_rr(b, ext, dst);
        emit4(b, (uint32_t)imm);
    }
}
static inline void mov_rr(struct xbuf *b, bool w, int dst, int src)
{
    op_rr(b, 0x89, w, dst, src);
}
/* dst = imm (64-bit: sign-extended imm32; 32-bit: zero-extended). */
static inline void mov_ri(struct xbuf *b, bool w, int dst, int32_t imm)
{
    if (w) {
        rex(b, true, 0, dst, false);
        emit1(b, 0xc7);
        modrm_rr(b, 0, dst);
    } else {
        rex(b, false, 0, dst, false);
        emit1(b, (uint8_t)(0xb8 + (dst & 7)));
    }
    emit4(b, (uint32_t)imm);
}
static inline void mov_ri64(struct xbuf *b, int dst, uint64_t imm)
{
    if (imm <= UINT32_MAX) {
        mov_ri(b, false, dst, (int32_t)(uint32_t)imm);
        return;
    }
    if ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) {
        mov_ri(b, true, dst, (int32_t)imm);
        return;
    }
    rex(b, true, 0, dst, false);
    emit1(b, (uint8_t)(0xb8 + (dst & 7)));
    emit8(b, imm);
}
/* Two-byte opcode 0F xx with reg/rm operands (imul 0F AF, movzx 0F B6/B7, movsx 0F BE/BF). */
static inline void op0f_rr(struct xbuf *b, uint8_t op, bool w, int reg, int rm, bool force)
{
    rex(b, w, reg, rm, force);
    emit1(b, 0x0f);
    emit1(b, op);
    modrm_rr(b, reg, rm);
}
static inline void op0f_rm(struct xbuf *b, uint8_t op, bool w, int reg, int base, int32_t disp)
{
    rex(b, w, reg, base, false);
    emit1(b, 0x0f);
    emit1(b, op);
    modrm_mem(b, reg, base, disp);
}
/* Single-byte opcode with a memory operand: mov load 8B, store 89/88, movsxd 63, ... */
static inline void op_rm(struct xbuf *b, uint8_t op, bool w, int reg, int base, int32_t disp,
                         bool force)
{
    rex(b, w, reg, base, force);
    emit1(b, op);
    modrm_mem(b, reg, base, disp);
}
/* Unary group F7: /2 not, /3 neg, /6 div, /7 idiv. */
static inline void grp_f7(struct xbuf *b, uint8_t ext, bool w, int rm)
{
    rex(b, w, 0, rm, false);
    emit1(b, 0xf7);
    modrm_rr(b, ext, rm);
}
/* Shifts: /4 shl, /5 shr, /7 sar. by imm (C1) or by cl (D3). */
static inline void shift_ri(struct xbuf *b, uint8_t ext, bool w, int dst, uint8_t n)
{
    rex(b, w, 0, dst, false);
    emit1(b, 0xc1);
    modrm_rr(b, ext, dst);
    emit1(b, n);
}
static inline void shift_cl(struct xbuf *b, uint8_t ext, bool w, int dst)
{
    rex(b, w, 0, dst, false);
    emit1(b, 0xd3);
    modrm_rr(b, ext, dst);
}
static inline void push_r(struct xbuf *b, int r)
{
    if (r & 8)
        emit1(b, 0x41);
    emit1(b, (uint8_t)(0x50 + (r & 7)));
}
static inline void pop_r(struct xbuf *b, int r)
{
    if (r & 8)
        emit1(b, 0x41);
    emit1(b, (uint8_t)(0x58 + (r & 7)));
}
/* lea reg, [base + disp32] */
static inline void lea(struct xbuf *b, int reg, int base, int32_t disp)
{
    op_rm(b, 0x8d, true, reg, base, disp, false);
}
/* jmp rel32 / jcc rel32 to absolute offset `to` (in the same buffer). */
static inline void jmp_to(struct xbuf *b, size_t to)
{
    emit1(b, 0xe9);
    emit4(b, (uint32_t)(int32_t)((int64_t)to - (int64_t)(b->n + 4)));
}
static inline void jcc_to(struct xbuf *b, uint8_t cc, size_t to)
{
    emit1(b, 0x0f);
    emit1(b, (uint8_t)(0x80 | cc));
    emit4(b, (uint32_t)(int32_t)((int64_t)to - (int64_t)(b->n + 4)));
}
/* Condition codes. */
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7, CC_L = 0xc, CC_GE = 0xd,
       CC_LE = 0xe, CC_G = 0xf };

#endif
