/* jit.c - x86-64 JIT for checked eBPF programs (contract in jit.h).
 *
 * Register mapping (eBPF -> x86-64):
 *   r0 rax | r1 rdi | r2 rsi | r3 rdx | r4 rcx | r5 r8 | r6 rbx | r7 r13 | r8 r14 | r9 r15
 *   r10 rbp (frame pointer) | r12 = struct ebpf_run * | r9, r10, r11 = scratch
 * r1-r5 sit in the SysV argument registers (shifted by one at a helper call, since the run is
 * the helper's first argument); r6-r10 and the run pointer sit in callee-saved registers, so
 * they survive helper calls without spills.
 *
 * Code layout: prologue, then the instructions in order, then the epilogue. Branches between
 * program instructions use rel8 where the displacement fits and rel32 otherwise, found by
 * repeated passes (see ebpf_jit_compile_opts); branches to the epilogue and inside one
 * instruction's code have fixed sizes. Loop heads (targets of backward jumps, marked before the
 * first pass) are padded to 16 bytes; the padding depends only on the code before it. With
 * constant blinding the key stream restarts at the seed on each pass, so every pass draws the
 * same keys.
 *
 * Peepholes (not with blinding, whose immediates must go through r11): a load whose register
 * dies right after a compare with a constant becomes a compare with memory, and two compares
 * that test "outside [A, B]" become one (fuse_load_cmp, fuse_range; liveness in jit_live.c).
 *
 * Frames: a local call saves r6-r9 on the host stack (plus 8 bytes to keep the stack 16-byte
 * aligned at every helper call), moves rbp down 512 bytes to the next per-frame stack, and uses
 * a host `call`. `exit` at the outermost frame (rbp at the top of run->stack) leaves through the
 * epilogue, elsewhere it is a host `ret` back to the call site - the same rule the interpreter
 * applies, so both engines agree even on oddly structured programs. Depth is bounded the same
 * way (rbp may not go below the last frame). Early exits (helper stop, depth, bad callx)
 * restore the host stack pointer saved in run->jit_rsp and leave through the epilogue. */
#include "lib/ebpf/jit.h"

#include <stddef.h>

#include "lib/base/mem.h"
#include "lib/ebpf/jit_internal.h"
#include "lib/ebpf/jit_live.h"


#define OFF_FAULT_CODE ((int32_t)offsetof(struct ebpf_run, fault.code))
#define OFF_FAULT_PC ((int32_t)offsetof(struct ebpf_run, fault.pc))
#define OFF_STOP ((int32_t)offsetof(struct ebpf_run, stop))
#define OFF_STOP_R0 ((int32_t)offsetof(struct ebpf_run, stop_r0))
#define OFF_RSP ((int32_t)offsetof(struct ebpf_run, jit_rsp))
#define OFF_STACK ((int32_t)offsetof(struct ebpf_run, stack))
#define OFF_STACK_TOP ((int32_t)(offsetof(struct ebpf_run, stack) + EBPF_MAX_CALL_DEPTH * EBPF_STACK_SIZE))

#define MAX_PASSES 12


/* Next blinding key (splitmix64). Both passes draw the same sequence, so code sizes agree. */
static uint64_t next_key(struct jit *j)
{
    uint64_t z = (j->key += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* r11 = imm (sign-extended to 64 bits when w). With blinding the program's immediate never
 * appears in the code: r11 = (imm ^ k) ^ k for a fresh random k (sign extension commutes with
 * xor, so the 64-bit form is exact too). Fixed-size encodings keep both passes aligned. */
static void emit_imm_r11(struct jit *j, bool w, int32_t imm)
{
    struct xbuf *b = &j->b;
    if (!j->blind) {
        mov_ri(b, w, R11, imm);
        return;
    }
    int32_t k = (int32_t)(uint32_t)next_key(j);
    mov_ri(b, w, R11, imm ^ k);
    rex(b, w, 0, R11, false);                    /* xor r11, k (always the imm32 form) */
    emit1(b, 0x81);
    modrm_rr(b, 6, R11);
    emit4(b, (uint32_t)k);
}

/* Short forward branch inside one instruction's code: returns the position to patch. */
static size_t jcc8(struct xbuf *b, uint8_t cc)
{
    emit1(b, (uint8_t)(0x70 | cc));
    emit1(b, 0);
    return b->n - 1;
}
static size_t jmp8(struct xbuf *b)
{
    emit1(b, 0xeb);
    emit1(b, 0);
    return b->n - 1;
}
static void patch8(struct xbuf *b, size_t at)
{
    if (at < b->cap)
        b->p[at] = (uint8_t)(int8_t)(b->n - (at + 1));
}

/* Branch from instruction `pc` to instruction `to` (cc < 0: unconditional). rel8 unless this
 * branch was already found not to reach; the decision is checked against the offsets of the
 * previous pass (forward) or this one (backward), and the passes repeat until no offset moves,
 * so in the final pass every rel8 displacement is exact. */
void ebpf_jit_emit_branch(struct jit *j, uint32_t pc, int cc, uint32_t to)
{
    struct xbuf *b = &j->b;
    size_t target = j->off[to] & OFF_MASK;
    if (!(j->off[pc] & LONG_BR) && !j->force_long) {
        int64_t d = (int64_t)target - (int64_t)(b->n + 2);
        if (j->sizing || (d >= -128 && d <= 127)) {
            emit1(b, cc < 0 ? 0xeb : (uint8_t)(0x70 | cc));
            emit1(b, (uint8_t)(int8_t)d);
            return;
        }
    }
    if (!(j->off[pc] & LONG_BR)) {
        j->off[pc] |= LONG_BR;
        j->changed = true;
    }
    if (cc < 0)
        jmp_to(b, target);
    else
        jcc_to(b, (uint8_t)cc, target);
}

/* Sets run->fault.{code,pc} and leaves through the epilogue (which restores rsp). */
static void emit_fail(struct jit *j, int code, uint32_t pc)
{
    struct xbuf *b = &j->b;
    rex(b, false, 0, R12, false);
    emit1(b, 0xc7);
    modrm_mem(b, 0, R12, OFF_FAULT_CODE);
    emit4(b, (uint32_t)code);
    rex(b, false, 0, R12, false);
    emit1(b, 0xc7);
    modrm_mem(b, 0, R12, OFF_FAULT_PC);
    emit4(b, pc);
    jmp_to(b, j->epilogue);
}

static void emit_prologue(struct jit *j)
{
    struct xbuf *b = &j->b;
    push_r(b, RBP);
    push_r(b, RBX);
    push_r(b, R12);
    push_r(b, R13);
    push_r(b, R14);
    push_r(b, R15);
    op_ri(b, 5, true, RSP, 8);             /* sub rsp, 8: 16-byte aligned from here on */
    mov_rr(b, true, R12, RDI);             /* run */
    mov_rr(b, true, RDI, RSI);             /* r1 = mem */
    mov_rr(b, true, RSI, RDX);             /* r2 = len */
    op_rm(b, 0x89, true, RSP, R12, OFF_RSP, false);  /* run->jit_rsp = rsp */
    lea(b, RBP, R12, OFF_STACK_TOP);       /* r10 */
    /* The interpreter starts every other register at 0; so does the JIT. */
    static const int zero[] = { RAX, RDX, RCX, R8, RBX, R13, R14, R15 };
    for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
        op_rr(b, 0x31, false, zero[i], zero[i]);
}

static void emit_epilogue(struct jit *j)
{
    struct xbuf *b = &j->b;
    op_rm(b, 0x8b, true, RSP, R12, OFF_RSP, false);  /* rsp = run->jit_rsp */
    op_ri(b, 0, true, RSP, 8);
    pop_r(b, R15);
    pop_r(b, R14);
    pop_r(b, R13);
    pop_r(b, R12);
    pop_r(b, RBX);
    pop_r(b, RBP);
    emit1(b, 0xc3);
}

/* Division and modulo (all variants). RFC 9669: x/0 = 0, x%0 = x, INT_MIN/-1 = INT_MIN,
 * INT_MIN%-1 = 0. x86 div/idiv need rax:rdx (eBPF r0 and r3), so both are saved around it. */
static void emit_divmod(struct jit *j, const struct ebpf_insn *i, bool w, bool mod, bool sgn)
{
    struct xbuf *b = &j->b;
    int dst = map_reg[i->dst];
    if (EBPF_SRC(i->opcode) == EBPF_X)
        mov_rr(b, w, R11, map_reg[i->src]);
    else
        emit_imm_r11(j, w, i->imm);
    /* rax/rdx need saving only when they hold a live eBPF register (r0/r3) that is not the
     * destination (which the result overwrites anyway). */
    uint32_t pc = (uint32_t)(i - j->prog->insns);
    bool save_rax = dst != RAX && !ebpf_jit_reg_dead(j->prog, pc + 1, 0, j->local_calls);
    bool save_rdx = dst != RDX && !ebpf_jit_reg_dead(j->prog, pc + 1, 3, j->local_calls);
    if (save_rax)
        push_r(b, RAX);
    if (save_rdx)
        push_r(b, RDX);
    mov_rr(b, w, RAX, dst);
    op_rr(b, 0x85, w, R11, R11);                     /* test divisor */
    size_t to_zero = jcc8(b, CC_E);
    size_t to_m1 = 0, wide = 0;
    if (sgn) {
        op_ri(b, 7, w, R11, -1);                     /* cmp divisor, -1 */
        to_m1 = jcc8(b, CC_E);
    }
    if (sgn) {
        if (w)
            emit1(b, 0x48);
        emit1(b, 0x99);                              /* cqo / cdq */
        grp_f7(b, 7, w, R11);                        /* idiv */
    } else if (w) {
        /* 64-bit unsigned: when both operands fit in 32 bits the 32-bit divide gives the same
         * quotient and remainder and is several times faster on many x86 cores. */
        mov_rr(b, true, R9, RAX);
        op_rr(b, 0x09, true, R9, R11);               /* or r9, r11 */
        shift_ri(b, 5, true, R9, 32);                /* shr r9, 32 (sets ZF) */
        wide = jcc8(b, CC_NE);
        op_rr(b, 0x31, false, RDX, RDX);
        grp_f7(b, 6, false, R11);                    /* div r11d: zero-extends rax, rdx */
    } else {
        op_rr(b, 0x31, false, RDX, RDX);
        grp_f7(b, 6, false, R11);                    /* div r11d */
    }
    size_t joined = b->n;
    mov_rr(b, w, R10, mod ? RDX : RAX);
    size_t to_done = jmp8(b);
    if (wide) {
        /* The rare 64-bit divide sits after the common path, which thus has one jump. */
        patch8(b, wide);
        op_rr(b, 0x31, false, RDX, RDX);
        grp_f7(b, 6, true, R11);                     /* div r11 */
        emit1(b, 0xeb);                              /* jmp joined (backward rel8) */
        emit1(b, (uint8_t)(int8_t)((int64_t)joined - (int64_t)(b->n + 1)));
    }
    size_t to_done2 = 0;
    if (sgn) {
        patch8(b, to_m1);
        if (mod) {
            op_rr(b, 0x31, false, R10, R10);         /* x % -1 = 0 */
        } else {
            grp_f7(b, 3, w, RAX);                    /* x / -1 = -x (wraps for INT_MIN) */
            mov_rr(b, w, R10, RAX);
        }
        to_done2 = jmp8(b);
    }
    patch8(b, to_zero);
    if (mod)
        mov_rr(b, w, R10, RAX);                      /* x % 0 = x (32-bit: zero-extended) */
    else
        op_rr(b, 0x31, false, R10, R10);             /* x / 0 = 0 */
    patch8(b, to_done);
    if (sgn)
        patch8(b, to_done2);
    if (save_rdx)
        pop_r(b, RDX);
    if (save_rax)
        pop_r(b, RAX);
    mov_rr(b, w, dst, R10);
}

/* Shift by register: x86 needs the count in cl, and eBPF r4 lives in rcx. The hardware masks
 * the count to 5/6 bits, exactly the RFC's rule. */
static void emit_shift_reg(struct jit *j, uint8_t ext, bool w, int dst, int src)
{
    struct xbuf *b = &j->b;
    if (src == RCX && dst != RCX) {
        shift_cl(b, ext, w, dst);
        return;
    }
    mov_rr(b, true, R10, RCX);                       /* save r4 */
    mov_rr(b, true, RCX, src);
    if (dst == RCX) {
        shift_cl(b, ext, w, R10);
        mov_rr(b, true, RCX, R10);
        if (!w)
            mov_rr(b, false, RCX, RCX);
    } else {
        shift_cl(b, ext, w, dst);
        mov_rr(b, true, RCX, R10);
    }
}

static void emit_alu(struct jit *j, const struct ebpf_insn *i)
{
    struct xbuf *b = &j->b;
    bool w = EBPF_CLASS(i->opcode) == EBPF_ALU64, x = EBPF_SRC(i->opcode) == EBPF_X;
    int dst = map_reg[i->dst], src = map_reg[i->src];
    static const uint8_t rr_op[16] = { [EBPF_ADD >> 4] = 0x01, [EBPF_SUB >> 4] = 0x29,
        [EBPF_OR >> 4] = 0x09, [EBPF_AND >> 4] = 0x21, [EBPF_XOR >> 4] = 0x31 };
    static const uint8_t ri_ext[16] = { [EBPF_ADD >> 4] = 0, [EBPF_SUB >> 4] = 5,
        [EBPF_OR >> 4] = 1, [EBPF_AND >> 4] = 4, [EBPF_XOR >> 4] = 6 };
    static const uint8_t sh_ext[16] = { [EBPF_LSH >> 4] = 4, [EBPF_RSH >> 4] = 5,
        [EBPF_ARSH >> 4] = 7 };
    uint8_t op = EBPF_OP(i->opcode);
    /* Blinding: immediates go through r11. Shift counts (6 bits) are not worth blinding;
     * div/mod load their operand into r11 anyway. */
    if (!x && j->blind && op != EBPF_LSH && op != EBPF_RSH && op != EBPF_ARSH && op != EBPF_NEG &&
        op != EBPF_END && op != EBPF_DIV && op != EBPF_MOD) {
        emit_imm_r11(j, w, i->imm);
        x = true;
        src = R11;
    }
    switch (op) {
    case EBPF_ADD: case EBPF_SUB: case EBPF_OR: case EBPF_AND: case EBPF_XOR:
        if (x)
            op_rr(b, rr_op[op >> 4], w, dst, src);
        else
            op_ri(b, ri_ext[op >> 4], w, dst, i->imm);
        return;
    case EBPF_MUL:
        if (x) {
            op0f_rr(b, 0xaf, w, dst, src, false);
        } else {
            rex(b, w, dst, dst, false);
            emit1(b, 0x69);
            modrm_rr(b, dst, dst);
            emit4(b, (uint32_t)i->imm);
        }
        return;
    case EBPF_LSH: case EBPF_RSH: case EBPF_ARSH:
        if (x)
            emit_shift_reg(j, sh_ext[op >> 4], w, dst, src);
        else
            shift_ri(b, sh_ext[op >> 4], w, dst, (uint8_t)(i->imm & (w ? 63 : 31)));
        return;
    case EBPF_NEG:
        grp_f7(b, 3, w, dst);
        return;
    case EBPF_DIV: case EBPF_MOD:
        emit_divmod(j, i, w, op == EBPF_MOD, i->off == 1);
        return;
    case EBPF_MOV:
        if (!x && i->imm == 0) {
            op_rr(b, 0x31, false, dst, dst);          /* xor r32, r32: zero idiom */
        } else if (!x) {
            mov_ri(b, w && i->imm < 0, dst, i->imm);  /* mov r32 zero-extends a positive imm */
        } else if (i->off == 0) {
            mov_rr(b, w, dst, src);
        } else if (i->off == 32) {
            rex(b, true, dst, src, false);            /* movsxd */
            emit1(b, 0x63);
            modrm_rr(b, dst, src);
        } else {
            /* movsx r64/r32, r8/r16; REX forced so sil/dil are the byte registers. */
            op0f_rr(b, i->off == 8 ? 0xbe : 0xbf, w, dst, src, true);
        }
        return;
    case EBPF_END:
        if (EBPF_CLASS(i->opcode) == EBPF_ALU && EBPF_SRC(i->opcode) == EBPF_TO_LE) {
            if (i->imm == 16)
                op0f_rr(b, 0xb7, false, dst, dst, false);   /* movzx r32, r16 */
            else if (i->imm == 32)
                mov_rr(b, false, dst, dst);
            return;
        }
        if (i->imm == 16) {
            /* bswap r32; shr r32, 16: full-register writes only (a 16-bit rol would leave a
             * partial-register merge before the zero extension). */
            rex(b, false, 0, dst, false);
            emit1(b, 0x0f);
            emit1(b, (uint8_t)(0xc8 + (dst & 7)));
            shift_ri(b, 5, false, dst, 16);
        } else {
            rex(b, i->imm == 64, 0, dst, false);             /* bswap */
            emit1(b, 0x0f);
            emit1(b, (uint8_t)(0xc8 + (dst & 7)));
        }
        return;
    default:
        return;
    }
}

static void emit_load(struct jit *j, const struct ebpf_insn *i)
{
    struct xbuf *b = &j->b;
    int dst = map_reg[i->dst], base = map_reg[i->src];
    bool sx = EBPF_MODE(i->opcode) == EBPF_MEMSX;
    switch (EBPF_SIZE(i->opcode)) {
    case EBPF_B: op0f_rm(b, sx ? 0xbe : 0xb6, sx, dst, base, i->off); break;
    case EBPF_H: op0f_rm(b, sx ? 0xbf : 0xb7, sx, dst, base, i->off); break;
    case EBPF_W: op_rm(b, sx ? 0x63 : 0x8b, sx, dst, base, i->off, false); break;
    default: op_rm(b, 0x8b, true, dst, base, i->off, false); break;
    }
}

static void emit_store(struct jit *j, const struct ebpf_insn *i)
{
    struct xbuf *b = &j->b;
    int base = map_reg[i->dst], src = map_reg[i->src];
    uint8_t sz = EBPF_SIZE(i->opcode);
    if (EBPF_CLASS(i->opcode) == EBPF_STX) {
        if (sz == EBPF_H)
            emit1(b, 0x66);
        op_rm(b, sz == EBPF_B ? 0x88 : 0x89, sz == EBPF_DW, src, base, i->off, sz == EBPF_B);
        return;
    }
    if (j->blind) {
        emit_imm_r11(j, true, i->imm);
        if (sz == EBPF_H)
            emit1(b, 0x66);
        op_rm(b, sz == EBPF_B ? 0x88 : 0x89, sz == EBPF_DW, R11, base, i->off, false);
        return;
    }
    if (sz == EBPF_H)
        emit1(b, 0x66);
    op_rm(b, sz == EBPF_B ? 0xc6 : 0xc7, sz == EBPF_DW, 0, base, i->off, false);
    if (sz == EBPF_B)
        emit1(b, (uint8_t)i->imm);
    else if (sz == EBPF_H) {
        emit1(b, (uint8_t)i->imm);
        emit1(b, (uint8_t)(i->imm >> 8));
    } else
        emit4(b, (uint32_t)i->imm);
}

static void emit_atomic(struct jit *j, const struct ebpf_insn *i)
{
    struct xbuf *b = &j->b;
    bool w = EBPF_SIZE(i->opcode) == EBPF_DW;
    int base = map_reg[i->dst], src = map_reg[i->src];
    int32_t op = i->imm;
    static const uint8_t lock_op[16] = { [EBPF_ATOMIC_ADD >> 4] = 0x01,
        [EBPF_ATOMIC_OR >> 4] = 0x09, [EBPF_ATOMIC_AND >> 4] = 0x21,
        [EBPF_ATOMIC_XOR >> 4] = 0x31 };
    switch (op) {
    case EBPF_ATOMIC_ADD: case EBPF_ATOMIC_OR: case EBPF_ATOMIC_AND: case EBPF_ATOMIC_XOR:
        emit1(b, 0xf0);
        op_rm(b, lock_op[op >> 4], w, src, base, i->off, false);
        return;
    case EBPF_ATOMIC_ADD | EBPF_FETCH:
        emit1(b, 0xf0);
        op0f_rm(b, 0xc1, w, src, base, i->off);              /* lock xadd */
        return;
    case EBPF_ATOMIC_XCHG:
        op_rm(b, 0x87, w, src, base, i->off, false);         /* xchg is implicitly locked */
        return;
    case EBPF_ATOMIC_CMPXCHG:
        emit1(b, 0xf0);
        op0f_rm(b, 0xb1, w, src, base, i->off);              /* lock cmpxchg, compares rax */
        if (!w)
            mov_rr(b, false, RAX, RAX);                      /* r0 = zero-extended old value */
        return;
    default: {
        /* fetch or/and/xor: a cmpxchg loop on the old value in rax. */
        lea(b, R11, base, i->off);
        mov_rr(b, true, R10, src);
        push_r(b, RAX);
        op_rm(b, 0x8b, w, RAX, R11, 0, false);               /* rax = *addr */
        size_t loop = b->n;
        mov_rr(b, w, R9, RAX);
        op_rr(b, lock_op[(op & ~EBPF_FETCH) >> 4], w, R9, R10);
        emit1(b, 0xf0);
        op0f_rm(b, 0xb1, w, R9, R11, 0);                     /* lock cmpxchg [r11], r9 */
        jcc_to(b, CC_NE, loop);
        mov_rr(b, w, R10, RAX);
        pop_r(b, RAX);
        mov_rr(b, w, src, R10);
        return;
    }
    }
}

/* Moves r1..r5 into the helper argument registers (run first) and calls the address in r10. */
static void emit_helper_call(struct jit *j)
{
    struct xbuf *b = &j->b;
    mov_rr(b, true, R9, R8);
    mov_rr(b, true, R8, RCX);
    mov_rr(b, true, RCX, RDX);
    mov_rr(b, true, RDX, RSI);
    mov_rr(b, true, RSI, RDI);
    mov_rr(b, true, RDI, R12);
    rex(b, false, 0, R10, false);                            /* call r10 */
    emit1(b, 0xff);
    modrm_rr(b, 2, R10);
    /* r1-r5 are clobbered by calls; zero them as the interpreter does. */
    static const int clobber[] = { RDI, RSI, RDX, RCX, R8 };
    for (size_t k = 0; k < 5; k++)
        op_rr(b, 0x31, false, clobber[k], clobber[k]);
    /* A helper may stop the program (unwind): r0 = run->stop_r0, leave. */
    rex(b, false, 0, R12, false);
    emit1(b, 0x80);
    modrm_mem(b, 7, R12, OFF_STOP);
    emit1(b, 0);
    size_t cont = jcc8(b, CC_E);
    op_rm(b, 0x8b, true, RAX, R12, OFF_STOP_R0, false);
    jmp_to(b, j->epilogue);
    patch8(b, cont);
}

/* x86 condition code of a conditional eBPF jump (not JSET). */
int ebpf_jit_cond_cc(uint8_t op)
{
    switch (op) {
    case EBPF_JEQ: return CC_E;
    case EBPF_JNE: return CC_NE;
    case EBPF_JGT: return CC_A;
    case EBPF_JGE: return CC_AE;
    case EBPF_JLT: return CC_B;
    case EBPF_JLE: return CC_BE;
    case EBPF_JSGT: return CC_G;
    case EBPF_JSGE: return CC_GE;
    case EBPF_JSLT: return CC_L;
    default: return CC_LE;  /* JSLE */
    }
}

static void emit_jmp(struct jit *j, const struct ebpf_insn *i, uint32_t pc)
{
    struct xbuf *b = &j->b;
    uint8_t op = EBPF_OP(i->opcode);
    bool w = EBPF_CLASS(i->opcode) == EBPF_JMP, x = EBPF_SRC(i->opcode) == EBPF_X;
    int dst = map_reg[i->dst];
    uint32_t target = (uint32_t)((int64_t)pc + 1 + i->off);
    switch (op) {
    case EBPF_JA:
        ebpf_jit_emit_branch(j, pc, -1, (uint32_t)((int64_t)pc + 1 + (w ? i->off : i->imm)));
        return;
    case EBPF_EXIT: {
        /* Outermost frame (rbp at the stack top): leave; otherwise return to the caller. */
        lea(b, R11, R12, OFF_STACK_TOP);
        op_rr(b, 0x39, true, RBP, R11);
        jcc_to(b, CC_E, j->epilogue);
        emit1(b, 0xc3);
        return;
    }
    case EBPF_CALL:
        if (x) {
            /* callx: helper id from a register, looked up in the env at run time. */
            mov_rr(b, true, R11, dst);
            op_ri(b, 7, true, R11, (int32_t)EBPF_MAX_HELPERS);
            size_t ok1 = jcc8(b, CC_B);
            emit_fail(j, EBPF_ECALLX, pc);
            patch8(b, ok1);
            mov_ri64(b, R10, (uint64_t)(uintptr_t)&j->env->helpers[0]);
            /* mov r10, [r10 + r11*8]: REX.WRXB, 8B, modrm(00, r10, SIB), SIB(8, r11, r10). */
            emit1(b, 0x4f);
            emit1(b, 0x8b);
            emit1(b, (uint8_t)(0x04 | ((R10 & 7) << 3)));
            emit1(b, (uint8_t)(0xc0 | ((R11 & 7) << 3) | (R10 & 7)));
            op_rr(b, 0x85, true, R10, R10);
            size_t ok2 = jcc8(b, CC_NE);
            emit_fail(j, EBPF_ECALLX, pc);
            patch8(b, ok2);
            op_rm(b, 0x8b, true, R10, R10, (int32_t)offsetof(struct ebpf_helper, fn), false);
            emit_helper_call(j);
            return;
        }
        if (i->src == EBPF_CALL_HELPER) {
            const struct ebpf_helper *h = ebpf_env_helper(j->env, (uint32_t)i->imm);
            mov_ri64(b, R10, (uint64_t)(uintptr_t)h->fn);
            emit_helper_call(j);
            return;
        }
        /* Local call: depth check, save r6-r9, next frame's stack, host call. */
        lea(b, R11, R12, OFF_STACK + 2 * (int32_t)EBPF_STACK_SIZE);
        op_rr(b, 0x39, true, RBP, R11);
        size_t ok = jcc8(b, CC_AE);
        emit_fail(j, EBPF_EDEPTH, pc);
        patch8(b, ok);
        push_r(b, RBX);
        push_r(b, R13);
        push_r(b, R14);
        push_r(b, R15);
        op_ri(b, 5, true, RSP, 8);
        op_ri(b, 5, true, RBP, (int32_t)EBPF_STACK_SIZE);
        emit1(b, 0xe8);
        emit4(b, (uint32_t)(int32_t)((int64_t)(j->off[pc + 1 + i->imm] & OFF_MASK) - (int64_t)(b->n + 4)));
        op_ri(b, 0, true, RBP, (int32_t)EBPF_STACK_SIZE);
        op_ri(b, 0, true, RSP, 8);
        pop_r(b, R15);
        pop_r(b, R14);
        pop_r(b, R13);
        pop_r(b, RBX);
        return;
    default:
        break;
    }
    /* Conditional jumps. */
    if (!x && j->blind) {
        emit_imm_r11(j, w, i->imm);
        op_rr(b, op == EBPF_JSET ? 0x85 : 0x39, w, dst, R11);
        if (op == EBPF_JSET) {
            ebpf_jit_emit_branch(j, pc, CC_NE, target);
            return;
        }
    } else if (op == EBPF_JSET) {
        if (x) {
            op_rr(b, 0x85, w, dst, map_reg[i->src]);
        } else {
            rex(b, w, 0, dst, false);
            emit1(b, 0xf7);
            modrm_rr(b, 0, dst);
            emit4(b, (uint32_t)i->imm);
        }
        ebpf_jit_emit_branch(j, pc, CC_NE, target);
        return;
    } else if (x) {
        op_rr(b, 0x39, w, dst, map_reg[i->src]);
    } else {
        if (i->imm == 0)
            op_rr(b, 0x85, w, dst, dst);              /* test r, r: same flags as cmp r, 0 */
        else
            op_ri(b, 7, w, dst, i->imm);
    }
    ebpf_jit_emit_branch(j, pc, ebpf_jit_cond_cc(op), target);
}

/* n bytes of padding as few long NOPs (0f 1f /0 forms; each runs as one instruction). */
static void emit_nops(struct xbuf *b, size_t n)
{
    static const uint8_t nop[9][9] = {
        { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 }, { 0x0f, 0x1f, 0x40, 0x00 },
        { 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 } };
    while (n > 0) {
        size_t k = n > 9 ? 9 : n;
        for (size_t q = 0; q < k; q++)
            emit1(b, nop[k - 1][q]);
        n -= k;
    }
}

/* Records instruction pc's code offset (keeping its flags); notes when it moved since the
 * previous pass, which means the passes have not converged yet. */
void ebpf_jit_set_off(struct jit *j, uint32_t pc)
{
    uint32_t old = j->off[pc];
    if ((old & OFF_MASK) != (uint32_t)j->b.n)
        j->changed = true;
    j->off[pc] = ((uint32_t)j->b.n & OFF_MASK) | (old & ~OFF_MASK);
}

/* One pass over the program; returns false on an lddw map error (cannot happen after check). */
static bool emit_all(struct jit *j)
{
    const struct ebpf_prog *p = j->prog;
    j->b.n = 0;
    j->b.overflow = false;
    j->key = j->seed;
    emit_prologue(j);
    for (uint32_t pc = 0; pc < p->len; pc++) {
        const struct ebpf_insn *i = &p->insns[pc];
        if (j->off[pc] & LOOP_HEAD)
            emit_nops(&j->b, (16 - (j->b.n & 15)) & 15);  /* loop heads: 16-byte aligned */
        ebpf_jit_set_off(j, pc);
        uint32_t fused = ebpf_jit_fuse(j, pc);
        if (fused) {
            pc += fused - 1;
            continue;
        }
        switch (EBPF_CLASS(i->opcode)) {
        case EBPF_ALU: case EBPF_ALU64: emit_alu(j, i); break;
        case EBPF_JMP: case EBPF_JMP32: emit_jmp(j, i, pc); break;
        case EBPF_LDX: emit_load(j, i); break;
        case EBPF_ST: emit_store(j, i); break;
        case EBPF_STX:
            if (EBPF_MODE(i->opcode) == EBPF_ATOMIC)
                emit_atomic(j, i);
            else
                emit_store(j, i);
            break;
        default: { /* lddw */
            int e;
            uint64_t v = ebpf_lddw_value(p, i, i + 1, &e);
            if (e)
                return false;
            if (j->blind) {
                /* dst = (v ^ k) ^ k with a 64-bit k; fixed 10-byte movabs forms. */
                uint64_t k = next_key(j);
                int d = map_reg[i->dst];
                rex(&j->b, true, 0, d, false);
                emit1(&j->b, (uint8_t)(0xb8 + (d & 7)));
                emit8(&j->b, v ^ k);
                rex(&j->b, true, 0, R11, false);
                emit1(&j->b, (uint8_t)(0xb8 + (R11 & 7)));
                emit8(&j->b, k);
                op_rr(&j->b, 0x31, true, d, R11);
            } else {
                mov_ri64(&j->b, map_reg[i->dst], v);
            }
            /* The value is the same in every pass, so is the encoding's size. */
            pc++;
            ebpf_jit_set_off(j, pc);
            break;
        }
        }
    }
    if (j->epilogue != j->b.n)
        j->changed = true;
    ebpf_jit_set_off(j, p->len);
    j->epilogue = j->b.n;
    emit_epilogue(j);
    return true;
}

int ebpf_jit_compile(const struct ebpf_prog *prog, const struct ebpf_env *env,
                     const struct ebpf_jit_mem_ops *ops, struct ebpf_jit_scratch *scratch,
                     struct ebpf_jit_prog *out, struct ebpf_error *err)
{
    return ebpf_jit_compile_opts(prog, env, ops, scratch, NULL, out, err);
}

int ebpf_jit_compile_opts(const struct ebpf_prog *prog, const struct ebpf_env *env,
                          const struct ebpf_jit_mem_ops *ops, struct ebpf_jit_scratch *scratch,
                          const struct ebpf_jit_opts *opts, struct ebpf_jit_prog *out,
                          struct ebpf_error *err)
{
    struct ebpf_error local;
    if (!err)
        err = &local;
    memset(out, 0, sizeof(*out));
    int rc = ebpf_prog_check(prog, env, err);
    if (rc)
        return rc;
    if (!ops || !scratch || scratch->offsets_cap < prog->len + 1) {
        err->code = EBPF_E2BIG;
        err->pc = 0;
        memcpy(err->msg, "JIT scratch too small", 22);
        return EBPF_E2BIG;
    }
    struct jit j = { .b = { scratch->code, scratch->code_cap, 0, false }, .prog = prog,
                     .env = env, .off = scratch->offsets,
                     .blind = opts && (opts->flags & EBPF_JIT_BLIND), .seed = opts ? opts->seed : 0 };
    memset(j.off, 0, (prog->len + 1) * sizeof(uint32_t));
    for (uint32_t pc = 0; pc < prog->len; pc++) {
        const struct ebpf_insn *i = &prog->insns[pc];
        uint8_t cls = EBPF_CLASS(i->opcode), op = EBPF_OP(i->opcode);
        if (i->opcode == EBPF_OP_LDDW) {
            pc++;
            continue;
        }
        if ((cls != EBPF_JMP && cls != EBPF_JMP32) || op == EBPF_EXIT)
            continue;
        int64_t d = (cls == EBPF_JMP32 && op == EBPF_JA) ? i->imm : i->off;
        if (op == EBPF_CALL && i->src == EBPF_CALL_LOCAL && EBPF_SRC(i->opcode) == EBPF_K) {
            j.local_calls = true;
            d = i->imm;
        } else if (op == EBPF_CALL) {
            continue;
        }
        j.off[pc + 1 + d] |= IS_TARGET | (d < 0 && op != EBPF_CALL ? LOOP_HEAD : 0);
    }
    /* Branch sizes: the first pass assumes every program branch fits rel8 (sizes only), each
     * later pass emits with the previous pass's offsets and widens a branch to rel32 for good
     * when its displacement does not fit. Widening is monotonic and code sizes depend only on
     * those choices, so the passes converge; the code of the first pass in which no offset
     * moved and nothing widened is exact. After MAX_PASSES every branch goes rel32 (two more
     * passes then suffice). */
    j.sizing = true;
    bool done = false;
    for (int pass = 0; pass < MAX_PASSES + 3 && !done; pass++) {
        j.changed = false;
        j.force_long = pass >= MAX_PASSES;
        if (!emit_all(&j))
            return EBPF_EMAP;
        done = !j.changed && !j.sizing;
        j.sizing = false;
    }
    size_t len = j.b.n;
    if (!done || len > OFF_MASK) {
        err->code = EBPF_E2BIG;
        err->pc = 0;
        memcpy(err->msg, "JIT code does not converge", 27);
        return EBPF_E2BIG;
    }
    if (j.b.overflow) {
        err->code = EBPF_E2BIG;
        err->pc = 0;
        memcpy(err->msg, "JIT code buffer too small", 26);
        return EBPF_E2BIG;
    }
    size_t size = (len + 4095) & ~(size_t)4095;
    void *mem = ops->alloc(size, ops->opaque);
    if (!mem) {
        err->code = EBPF_ENOMEM;
        memcpy(err->msg, "no executable memory", 21);
        return EBPF_ENOMEM;
    }
    memcpy(mem, scratch->code, len);
    memset((uint8_t *)mem + len, 0xcc, size - len);   /* int3 padding */
    if (ops->protect(mem, size, ops->opaque)) {
        ops->release(mem, size, ops->opaque);
        err->code = EBPF_EPROT;
        memcpy(err->msg, "could not make JIT code executable", 35);
        return EBPF_EPROT;
    }
    out->code = mem;
    out->size = size;
    out->code_len = len;
    out->ops = ops;
    out->env = env;
    err->code = 0;
    return 0;
}

typedef uint64_t (*jit_entry)(struct ebpf_run *run, void *mem, uint64_t len);

int ebpf_jit_exec(const struct ebpf_jit_prog *jp, struct ebpf_run *run, uint64_t *r0)
{
    static const char *const why[] = { "call depth above EBPF_MAX_CALL_DEPTH",
                                       "callx: register names no registered helper" };
    *r0 = 0;
    if (!jp->code || run->env != jp->env)
        return EBPF_EINVAL;
    run->fault.code = 0;
    jit_entry fn = (jit_entry)jp->code;
    *r0 = fn(run, run->mem, run->mem_len);
    int rc = run->fault.code;
    if (rc) {
        const char *m = rc == EBPF_EDEPTH ? why[0] : why[1];
        size_t n = 0;
        while (m[n] && n + 1 < sizeof(run->fault.msg)) {
            run->fault.msg[n] = m[n];
            n++;
        }
        run->fault.msg[n] = 0;
    }
    return rc;
}

void ebpf_jit_free(struct ebpf_jit_prog *jp)
{
    if (jp->code && jp->ops)
        jp->ops->release(jp->code, jp->size, jp->ops->opaque);
    jp->code = NULL;
}
