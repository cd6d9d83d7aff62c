/* jit_live.c - bounded liveness query for the JIT (see jit_live.h).
 *
 * Rather than a whole-program dataflow pass (which would need a per-instruction table the
 * caller has to supply), the JIT asks one question at a time and this file answers it with a
 * small depth-first walk over the control-flow graph from `pc`. Each path ends when the
 * register is written without being read first (dead on that path) or read (live: stop, answer
 * false). The walk has no visited set; a fixed visit budget bounds it instead (loops just burn
 * the budget), and running out of budget or stack answers "live". Every rule below errs
 * towards "read": helper calls read r1-r5, local calls and (in programs with local calls) exits
 * read everything, unknown targets are live. */
#include "lib/ebpf/jit_live.h"

#define LIVE_BUDGET 64
#define LIVE_STACK 16

enum step { S_NEXT, S_DEAD, S_LIVE };

/* What instruction i does to `reg`: read it (S_LIVE), write it without reading (S_DEAD), or
 * neither (S_NEXT, then the walk continues to the successors). */
static enum step effect(const struct ebpf_insn *i, int reg, bool local_calls)
{
    uint8_t cls = EBPF_CLASS(i->opcode), op = EBPF_OP(i->opcode);
    bool x = EBPF_SRC(i->opcode) == EBPF_X;
    switch (cls) {
    case EBPF_ALU: case EBPF_ALU64:
        if (x && op != EBPF_END && op != EBPF_NEG && i->src == reg)
            return S_LIVE;
        if (i->dst == reg)
            return op == EBPF_MOV ? S_DEAD : S_LIVE;
        return S_NEXT;
    case EBPF_LDX:
        if (i->src == reg)
            return S_LIVE;
        return i->dst == reg ? S_DEAD : S_NEXT;
    case EBPF_ST:
        return i->dst == reg ? S_LIVE : S_NEXT;
    case EBPF_STX:
        if (i->dst == reg || i->src == reg)
            return S_LIVE;
        return EBPF_MODE(i->opcode) == EBPF_ATOMIC && reg == 0 ? S_LIVE : S_NEXT;
    case EBPF_LD:   /* lddw */
        return i->dst == reg ? S_DEAD : S_NEXT;
    default:        /* jumps */
        break;
    }
    switch (op) {
    case EBPF_JA:
        return S_NEXT;
    case EBPF_EXIT:
        return local_calls || reg == 0 ? S_LIVE : S_DEAD;
    case EBPF_CALL:
        if (!x && i->src == EBPF_CALL_LOCAL)
            return S_LIVE;
        if ((x && i->dst == reg) || (reg >= 1 && reg <= 5))
            return S_LIVE;
        return reg == 0 ? S_DEAD : S_NEXT;
    default:
        if (i->dst == reg || (x && i->src == reg))
            return S_LIVE;
        return S_NEXT;
    }
}

bool ebpf_jit_reg_dead(const struct ebpf_prog *prog, uint32_t pc, int reg, bool local_calls)
{
    uint32_t stack[LIVE_STACK];
    int sp = 0, budget = LIVE_BUDGET;
    stack[sp++] = pc;
    while (sp > 0) {
        uint32_t at = stack[--sp];
        for (;;) {
            if (at >= prog->len || --budget < 0)
                return false;
            const struct ebpf_insn *i = &prog->insns[at];
            enum step s = effect(i, reg, local_calls);
            if (s == S_LIVE)
                return false;
            if (s == S_DEAD)
                break;
            uint8_t cls = EBPF_CLASS(i->opcode), op = EBPF_OP(i->opcode);
            if (i->opcode == EBPF_OP_LDDW) {
                at += 2;
                continue;
            }
            if ((cls != EBPF_JMP && cls != EBPF_JMP32) || op == EBPF_CALL) {
                at++;
                continue;
            }
            int64_t t = (int64_t)at + 1 + ((cls == EBPF_JMP32 && op == EBPF_JA) ? i->imm : i->off);
            if (t < 0 || t >= (int64_t)prog->len)
                return false;
            if (op == EBPF_JA) {
                at = (uint32_t)t;
                continue;
            }
            if (sp == LIVE_STACK)
                return false;
            stack[sp++] = (uint32_t)t;   /* conditional: both successors */
            at++;
        }
    }
    return true;
}
