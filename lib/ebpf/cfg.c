/* cfg.c - the verifier's first pass: decode every instruction and check the control-flow graph.
 *
 * Before any abstract interpretation, each slot must be a known instruction with valid register
 * numbers and zero reserved fields, r10 must never be a destination, every jump and call must
 * land inside the program on the first slot of an instruction, and jumps must stay inside their
 * subprogram (subprograms start at instruction 0 and at every bpf-to-bpf call target). Then a
 * walk from instruction 0 (following calls into their targets) marks what is reachable: an
 * unreachable instruction, a fall-through off the end of the program or into the next
 * subprogram is rejected. The pass also marks prune points (jump targets). */
#include <stdarg.h>

#include "lib/base/mem.h"
#include "lib/ebpf/verifier_fmt.h"
#include "lib/ebpf/verifier_internal.h"

int ebpf_vreject(struct ebpf_verifier_result *res, uint32_t pc, const char *fmt, ...)
{
    size_t n = ebpf_fmt(res->msg, sizeof(res->msg), "insn %u: ", pc);
    va_list ap;
    va_start(ap, fmt);
    ebpf_vfmt(res->msg + n, sizeof(res->msg) - n, fmt, ap);
    va_end(ap);
    res->ok = 0;
    res->pc = pc;
    return -1;
}

/* Decodes one instruction; returns 0 or rejects. */
static int check_insn(const struct ebpf_insn *p, uint32_t len, uint32_t pc,
                      const struct ebpf_verifier_cfg *cfg, struct ebpf_verifier_result *res)
{
    struct ebpf_insn i = p[pc];
    uint8_t cls = EBPF_CLASS(i.opcode), op = EBPF_OP(i.opcode), mode = EBPF_MODE(i.opcode);
    if (i.dst > 10 || i.src > 10)
        return ebpf_vreject(res, pc, "invalid register r%u", i.dst > 10 ? i.dst : i.src);
    switch (cls) {
    case EBPF_LD:
        if (i.opcode != EBPF_OP_LDDW) {
            if (mode == EBPF_ABS || mode == EBPF_IND)
                return ebpf_vreject(res, pc, "legacy packet access (ABS/IND) is not supported");
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        }
        if (pc + 1 >= len)
            return ebpf_vreject(res, pc, "lddw is missing its second slot");
        if (p[pc + 1].opcode || p[pc + 1].dst || p[pc + 1].src || p[pc + 1].off)
            return ebpf_vreject(res, pc, "lddw second slot has non-zero reserved fields");
        if (i.off)
            return ebpf_vreject(res, pc, "lddw with non-zero offset");
        if (i.dst == 10)
            return ebpf_vreject(res, pc, "r10 is read-only");
        switch (i.src) {
        case EBPF_PSEUDO_IMM64: break;
        case EBPF_PSEUDO_MAP_FD: case EBPF_PSEUDO_MAP_IDX:
        case EBPF_PSEUDO_MAP_VALUE: case EBPF_PSEUDO_MAP_IDX_VALUE:
            if ((uint32_t)i.imm >= cfg->nmaps)
                return ebpf_vreject(res, pc, "lddw refers to map %u but the program has %u maps",
                                    (uint32_t)i.imm, cfg->nmaps);
            if ((i.src == EBPF_PSEUDO_MAP_FD || i.src == EBPF_PSEUDO_MAP_IDX) && p[pc + 1].imm)
                return ebpf_vreject(res, pc, "lddw of a map with a non-zero upper immediate");
            break;
        default:
            return ebpf_vreject(res, pc, "lddw with unsupported source %u", i.src);
        }
        return 0;
    case EBPF_LDX:
        if (!(mode == EBPF_MEM || (mode == EBPF_MEMSX && EBPF_SIZE(i.opcode) != EBPF_DW)))
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        if (i.imm)
            return ebpf_vreject(res, pc, "load with non-zero immediate");
        if (i.dst == 10)
            return ebpf_vreject(res, pc, "r10 is read-only");
        return 0;
    case EBPF_ST:
        if (mode != EBPF_MEM)
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        if (i.src)
            return ebpf_vreject(res, pc, "store-immediate with a source register");
        return 0;
    case EBPF_STX:
        if (mode == EBPF_MEM) {
            if (i.imm)
                return ebpf_vreject(res, pc, "store with non-zero immediate");
            return 0;
        }
        if (mode != EBPF_ATOMIC || (EBPF_SIZE(i.opcode) != EBPF_W && EBPF_SIZE(i.opcode) != EBPF_DW))
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        switch (i.imm) {
        case EBPF_ATOMIC_ADD: case EBPF_ATOMIC_OR: case EBPF_ATOMIC_AND: case EBPF_ATOMIC_XOR:
        case EBPF_ATOMIC_ADD | EBPF_FETCH: case EBPF_ATOMIC_OR | EBPF_FETCH:
        case EBPF_ATOMIC_AND | EBPF_FETCH: case EBPF_ATOMIC_XOR | EBPF_FETCH:
        case EBPF_ATOMIC_XCHG: case EBPF_ATOMIC_CMPXCHG:
            if ((i.imm & EBPF_FETCH) && i.imm != EBPF_ATOMIC_CMPXCHG && i.src == 10)
                return ebpf_vreject(res, pc, "r10 is read-only (atomic fetch into it)");
            return 0;
        default:
            return ebpf_vreject(res, pc, "invalid atomic operation 0x%x", (unsigned)i.imm);
        }
    case EBPF_ALU:
    case EBPF_ALU64: {
        bool x = EBPF_SRC(i.opcode) == EBPF_X;
        if (op > EBPF_END)
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        if (i.dst == 10)
            return ebpf_vreject(res, pc, "r10 is read-only");
        if (op == EBPF_END) {
            if (i.src || i.off || (i.imm != 16 && i.imm != 32 && i.imm != 64) ||
                (cls == EBPF_ALU64 && x))
                return ebpf_vreject(res, pc, "invalid byte-swap instruction");
            return 0;
        }
        if (op == EBPF_NEG) {
            if (x || i.src || i.off || i.imm)
                return ebpf_vreject(res, pc, "invalid neg instruction");
            return 0;
        }
        if (!x && i.src)
            return ebpf_vreject(res, pc, "immediate operation with a source register");
        if (x && i.imm)
            return ebpf_vreject(res, pc, "register operation with non-zero immediate");
        if (op == EBPF_DIV || op == EBPF_MOD) {
            if (i.off != 0 && i.off != 1)
                return ebpf_vreject(res, pc, "invalid division offset %d", i.off);
        } else if (op == EBPF_MOV) {
            if (i.off && !(x && (i.off == 8 || i.off == 16 || (i.off == 32 && cls == EBPF_ALU64))))
                return ebpf_vreject(res, pc, "invalid mov offset %d", i.off);
        } else if (i.off) {
            return ebpf_vreject(res, pc, "non-zero offset in an ALU instruction");
        }
        return 0;
    }
    case EBPF_JMP:
    case EBPF_JMP32:
        if (op == EBPF_CALL) {
            if (cls == EBPF_JMP && EBPF_SRC(i.opcode) == EBPF_X)
                return ebpf_vreject(res, pc, "callx (indirect call) is not supported by the verifier");
            if (cls != EBPF_JMP || i.dst || i.off)
                return ebpf_vreject(res, pc, "invalid call instruction");
            if (i.src == EBPF_CALL_HELPER) {
                if (!cfg->env || !ebpf_env_helper(cfg->env, (uint64_t)(uint32_t)i.imm))
                    return ebpf_vreject(res, pc, "unknown helper %d", i.imm);
                return 0;
            }
            if (i.src != EBPF_CALL_LOCAL)
                return ebpf_vreject(res, pc, "call with unsupported source %u", i.src);
            return 0;
        }
        if (op == EBPF_EXIT) {
            if (cls != EBPF_JMP || i.src || i.dst || i.off || i.imm || EBPF_SRC(i.opcode))
                return ebpf_vreject(res, pc, "invalid exit instruction");
            return 0;
        }
        if (op == EBPF_JA) {
            if (EBPF_SRC(i.opcode) || i.src || i.dst || (cls == EBPF_JMP ? i.imm : i.off))
                return ebpf_vreject(res, pc, "invalid ja instruction");
            return 0;
        }
        if (op > EBPF_JSLE || op == 0x80 || op == 0x90)
            return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
        if (EBPF_SRC(i.opcode) == EBPF_K ? i.src != 0 : i.imm != 0)
            return ebpf_vreject(res, pc, "jump with non-zero reserved field");
        return 0;
    default:
        return ebpf_vreject(res, pc, "invalid opcode 0x%x", i.opcode);
    }
}

/* Target of the jump or local call at pc (may be out of range: int64). */
static int64_t target_of(const struct ebpf_insn *p, uint32_t pc)
{
    struct ebpf_insn i = p[pc];
    if (i.opcode == EBPF_OP_JA32 || i.opcode == EBPF_OP_CALL)
        return (int64_t)pc + 1 + i.imm;
    return (int64_t)pc + 1 + i.off;
}

static int has_target(struct ebpf_insn i)
{
    uint8_t cls = EBPF_CLASS(i.opcode), op = EBPF_OP(i.opcode);
    if (cls != EBPF_JMP && cls != EBPF_JMP32)
        return 0;
    if (op == EBPF_CALL)
        return i.opcode == EBPF_OP_CALL && i.src == EBPF_CALL_LOCAL;
    return op != EBPF_EXIT;
}

int ebpf_cfg_check(const struct ebpf_insn *p, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                   uint8_t *flags, uint32_t *work, struct ebpf_verifier_result *res)
{
    if (len == 0)
        return ebpf_vreject(res, 0, "empty program");
    if (len > EBPF_MAX_INSNS)
        return ebpf_vreject(res, 0, "program has %u instructions (max %u)", len, EBPF_MAX_INSNS);
    memset(flags, 0, len);
    for (uint32_t pc = 0; pc < len; pc++) {
        if (check_insn(p, len, pc, cfg, res))
            return -1;
        if (p[pc].opcode == EBPF_OP_LDDW)
            flags[++pc] |= CFG_LDDW_HI;
    }
    flags[0] |= CFG_SUBPROG;
    for (uint32_t pc = 0; pc < len; pc++) {
        if ((flags[pc] & CFG_LDDW_HI) || !has_target(p[pc]))
            continue;
        int64_t t = target_of(p, pc);
        if (t < 0 || t >= len)
            return ebpf_vreject(res, pc, "jump out of range: target %lld, program has %u "
                                "instructions", (long long)t, len);
        if (flags[t] & CFG_LDDW_HI)
            return ebpf_vreject(res, pc, "jump into the middle of lddw at insn %u",
                                (uint32_t)t - 1);
        flags[t] |= p[pc].opcode == EBPF_OP_CALL ? CFG_SUBPROG : CFG_PRUNE;
    }
    /* Jumps stay in their subprogram (work[pc] = start of pc's subprogram, one linear pass). */
    uint32_t start = 0;
    for (uint32_t pc = 0; pc < len; pc++) {
        if (flags[pc] & CFG_SUBPROG)
            start = pc;
        work[pc] = start;
    }
    for (uint32_t pc = 0; pc < len; pc++) {
        if ((flags[pc] & CFG_LDDW_HI) || !has_target(p[pc]) || p[pc].opcode == EBPF_OP_CALL)
            continue;
        uint32_t t = (uint32_t)target_of(p, pc);
        if (work[t] != work[pc])
            return ebpf_vreject(res, pc, "jump to insn %u crosses into another subprogram", t);
    }
    /* Reachability: depth-first walk with an explicit work list (each insn pushed once). */
    uint32_t top = 0;
    flags[0] |= CFG_REACHED;
    work[top++] = 0;
    while (top) {
        uint32_t pc = work[--top];
        struct ebpf_insn i = p[pc];
        uint32_t next = pc + (i.opcode == EBPF_OP_LDDW ? 2 : 1);
        bool falls = !(i.opcode == EBPF_OP_EXIT || i.opcode == EBPF_OP_JA || i.opcode == EBPF_OP_JA32);
        if (has_target(i)) {
            uint32_t t = (uint32_t)target_of(p, pc);
            if (!(flags[t] & CFG_REACHED))
                flags[t] |= CFG_REACHED, work[top++] = t;
        }
        if (!falls)
            continue;
        if (next >= len)
            return ebpf_vreject(res, pc, "falls through past the end of the program");
        if (flags[next] & CFG_SUBPROG)
            return ebpf_vreject(res, pc, "falls through into the subprogram at insn %u", next);
        if (!(flags[next] & CFG_REACHED))
            flags[next] |= CFG_REACHED, work[top++] = next;
    }
    for (uint32_t pc = 0; pc < len; pc++)
        if (!(flags[pc] & (CFG_REACHED | CFG_LDDW_HI)))
            return ebpf_vreject(res, pc, "unreachable instruction");
    return 0;
}
