/* verifier_live.c - register liveness for state pruning.
 *
 * A register is live at an instruction if some path from there reads it before writing it.
 * Dead registers cannot influence anything that follows, so state comparisons at prune points
 * ignore them: two paths that differ only in a dead temporary then prune each other, which
 * keeps clang's code (full of temporaries) from exploring the same suffix again and again.
 *
 * Classic backward data flow inside each subprogram: live_in = use | (live_out & ~def), with
 * live_out the union over successors (fall-through and jump target; a bpf-to-bpf call's successor
 * is the instruction after it, the callee being analysed separately). The iteration is capped;
 * if it has not converged the result is "everything live", which only costs pruning. */
#include "lib/base/mem.h"
#include "lib/ebpf/verifier_internal.h"

#define ALL_REGS 0x7ffu
#define R(n) (1u << (n))
#define MAX_PASSES 64

static void use_def(const struct ebpf_insn *p, uint32_t pc, const struct ebpf_verifier_cfg *cfg,
                    uint16_t *use, uint16_t *def)
{
    struct ebpf_insn i = p[pc];
    uint8_t cls = EBPF_CLASS(i.opcode), op = EBPF_OP(i.opcode);
    bool x = EBPF_SRC(i.opcode) == EBPF_X;
    unsigned u = 0, d = 0;
    switch (cls) {
    case EBPF_ALU:
    case EBPF_ALU64:
        if (op == EBPF_MOV)
            u = x ? R(i.src) : 0;
        else
            u = R(i.dst) | (x && op != EBPF_END ? R(i.src) : 0);
        d = R(i.dst);
        break;
    case EBPF_LD: d = R(i.dst); break;
    case EBPF_LDX: u = R(i.src), d = R(i.dst); break;
    case EBPF_ST: u = R(i.dst); break;
    case EBPF_STX:
        u = R(i.dst) | R(i.src);
        if (EBPF_MODE(i.opcode) == EBPF_ATOMIC) {
            if (i.imm == EBPF_ATOMIC_CMPXCHG)
                u |= R(0), d = R(0);
            else if (i.imm & EBPF_FETCH)
                d = R(i.src);
        }
        break;
    default: /* JMP, JMP32 */
        if (op == EBPF_EXIT) {
            u = R(0);
        } else if (op == EBPF_CALL) {
            d = R(0) | R(1) | R(2) | R(3) | R(4) | R(5);
            const struct ebpf_helper *h = NULL;
            if (i.src == EBPF_CALL_HELPER && cfg->env)
                h = ebpf_env_helper(cfg->env, (uint32_t)i.imm);
            if (h) {
                for (unsigned a = 0; a < EBPF_HELPER_MAX_ARGS && h->args[a] != EBPF_ARG_NONE; a++)
                    u |= R(a + 1);
            } else {
                u = R(1) | R(2) | R(3) | R(4) | R(5);
            }
        } else if (op != EBPF_JA) {
            u = R(i.dst) | (x ? R(i.src) : 0);
        }
        break;
    }
    *use = (uint16_t)u, *def = (uint16_t)d;
}

void ebpf_live_compute(const struct ebpf_insn *p, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                       const uint8_t *flags, uint16_t *live)
{
    memset(live, 0, (size_t)len * sizeof(*live));
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        bool changed = false;
        for (uint32_t pc = len; pc-- > 0;) {
            if (flags[pc] & CFG_LDDW_HI)
                continue;
            struct ebpf_insn i = p[pc];
            uint8_t cls = EBPF_CLASS(i.opcode), op = EBPF_OP(i.opcode);
            uint16_t use, def, out = 0;
            use_def(p, pc, cfg, &use, &def);
            bool jmp = cls == EBPF_JMP || cls == EBPF_JMP32;
            bool falls = !(jmp && (op == EBPF_EXIT || op == EBPF_JA));
            uint32_t next = pc + (i.opcode == EBPF_OP_LDDW ? 2 : 1);
            if (falls && next < len)
                out |= live[next];
            if (jmp && op != EBPF_EXIT && op != EBPF_CALL) {
                int64_t t = (int64_t)pc + 1 + (i.opcode == EBPF_OP_JA32 ? i.imm : i.off);
                if (t >= 0 && t < len)
                    out |= live[t];
            }
            uint16_t in = (uint16_t)(use | (out & ~def) | R(10));
            if (in != live[pc]) {
                live[pc] = in;
                changed = true;
            }
        }
        if (!changed)
            return;
    }
    for (uint32_t pc = 0; pc < len; pc++)
        live[pc] = ALL_REGS;
}
