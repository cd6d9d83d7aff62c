/* vm.c - environment set-up, run set-up and the structural program check shared by the engines.
 *
 * ebpf_prog_check() is deliberately only structural: it guarantees that an engine can decode
 * and dispatch every instruction without reading outside the program (every opcode known, every
 * register number valid, r10 never written, every jump and local-call target a real instruction
 * start, lddw pairs complete, helpers registered, map indexes present, no fall-through past the
 * end). Whether a program's memory accesses are safe and whether it terminates is the
 * verifier's question; the interpreter's checked mode answers it at run time instead. */
#include "lib/ebpf/vm.h"

#include "lib/base/mem.h"
#include "lib/ebpf/maps.h"

const char *ebpf_strerror(int err)
{
    switch (err) {
    case EBPF_OK: return "EBPF_OK";
    case EBPF_EINVAL: return "EBPF_EINVAL";
    case EBPF_E2BIG: return "EBPF_E2BIG";
    case EBPF_EOPCODE: return "EBPF_EOPCODE";
    case EBPF_EREG: return "EBPF_EREG";
    case EBPF_EJUMP: return "EBPF_EJUMP";
    case EBPF_EHELPER: return "EBPF_EHELPER";
    case EBPF_EMAP: return "EBPF_EMAP";
    case EBPF_EFAULT: return "EBPF_EFAULT";
    case EBPF_EBUDGET: return "EBPF_EBUDGET";
    case EBPF_EDEPTH: return "EBPF_EDEPTH";
    case EBPF_ECALLX: return "EBPF_ECALLX";
    case EBPF_ENOENT: return "EBPF_ENOENT";
    case EBPF_EEXIST: return "EBPF_EEXIST";
    case EBPF_EFULL: return "EBPF_EFULL";
    case EBPF_ENOSPC: return "EBPF_ENOSPC";
    case EBPF_ENOMEM: return "EBPF_ENOMEM";
    case EBPF_EPROT: return "EBPF_EPROT";
    default: return "?";
    }
}

void ebpf_env_init(struct ebpf_env *env)
{
    memset(env, 0, sizeof(*env));
    for (uint32_t i = 0; i < ebpf_std_helpers_count; i++)
        env->helpers[ebpf_std_helpers[i]->id] = ebpf_std_helpers[i];
}

int ebpf_env_register(struct ebpf_env *env, const struct ebpf_helper *h)
{
    if (!env || !h || !h->fn || h->id >= EBPF_MAX_HELPERS)
        return EBPF_EINVAL;
    env->helpers[h->id] = h;
    return 0;
}

const struct ebpf_helper *ebpf_env_helper(const struct ebpf_env *env, uint64_t id)
{
    return id < EBPF_MAX_HELPERS ? env->helpers[id] : NULL;
}

void ebpf_run_init(struct ebpf_run *run, const struct ebpf_env *env, void *mem, uint64_t len,
                   uint32_t flags, uint64_t budget)
{
    memset(run, 0, sizeof(*run));
    run->env = env;
    run->mem = mem;
    run->mem_len = len;
    run->flags = flags;
    run->budget = budget ? budget : 10000000u;
}

/* Writes "msg" (a static string) plus an optional number into err. Freestanding: no snprintf. */
static int fail(struct ebpf_error *err, int code, uint32_t pc, const char *msg)
{
    if (err) {
        size_t n = 0;
        err->code = code;
        err->pc = pc;
        while (msg[n] && n + 1 < sizeof(err->msg)) {
            err->msg[n] = msg[n];
            n++;
        }
        err->msg[n] = 0;
    }
    return code;
}

uint64_t ebpf_lddw_value(const struct ebpf_prog *prog, const struct ebpf_insn *lo,
                         const struct ebpf_insn *hi, int *err)
{
    *err = 0;
    switch (lo->src) {
    case EBPF_PSEUDO_IMM64:
        return ebpf_lddw_imm(lo, hi);
    case EBPF_PSEUDO_MAP_FD:
    case EBPF_PSEUDO_MAP_IDX:
        if ((uint32_t)lo->imm >= prog->nmaps || !prog->maps[lo->imm])
            break;
        return (uint64_t)(uintptr_t)prog->maps[lo->imm];
    case EBPF_PSEUDO_MAP_VALUE:
    case EBPF_PSEUDO_MAP_IDX_VALUE: {
        if ((uint32_t)lo->imm >= prog->nmaps || !prog->maps[lo->imm])
            break;
        const struct ebpf_map *m = prog->maps[lo->imm];
        /* Only arrays have a fixed value address; the offset must stay inside value 0.. */
        if (m->type != EBPF_MAP_ARRAY || (uint32_t)hi->imm >= m->storage_size)
            break;
        return (uint64_t)(uintptr_t)(m->storage + (uint32_t)hi->imm);
    }
    default:
        break;
    }
    *err = EBPF_EMAP;
    return 0;
}

/* Is `t` a valid target: inside the program and not the second slot of an lddw? */
static bool target_ok(const struct ebpf_prog *p, int64_t t)
{
    if (t < 0 || t >= p->len)
        return false;
    return !(t > 0 && p->insns[t - 1].opcode == EBPF_OP_LDDW);
}

static int check_alu(const struct ebpf_insn *i, uint32_t pc, struct ebpf_error *err)
{
    uint8_t op = EBPF_OP(i->opcode), cls = EBPF_CLASS(i->opcode);
    bool x = EBPF_SRC(i->opcode) == EBPF_X;
    if (i->dst >= EBPF_R10)
        return fail(err, EBPF_EREG, pc, i->dst == EBPF_R10 ? "write to read-only r10"
                                                           : "bad destination register");
    if (x && i->src > EBPF_R10 && op != EBPF_END)
        return fail(err, EBPF_EREG, pc, "bad source register");
    if (x && i->imm != 0 && op != EBPF_END)
        return fail(err, EBPF_EINVAL, pc, "register-source ALU with non-zero imm");
    if (!x && i->src != 0)
        return fail(err, EBPF_EINVAL, pc, "immediate ALU with non-zero src_reg");
    switch (op) {
    case EBPF_ADD: case EBPF_SUB: case EBPF_MUL: case EBPF_OR: case EBPF_AND:
    case EBPF_LSH: case EBPF_RSH: case EBPF_XOR: case EBPF_ARSH:
        if (i->off != 0)
            return fail(err, EBPF_EINVAL, pc, "ALU with non-zero offset");
        return 0;
    case EBPF_DIV: case EBPF_MOD:
        if (i->off != 0 && i->off != 1)
            return fail(err, EBPF_EINVAL, pc, "div/mod offset must be 0 or 1");
        return 0;
    case EBPF_NEG:
        if (x || i->off != 0 || i->imm != 0)
            return fail(err, EBPF_EINVAL, pc, "neg takes no source");
        return 0;
    case EBPF_MOV:
        if (i->off == 0)
            return 0;
        if (!x || !(i->off == 8 || i->off == 16 || (i->off == 32 && cls == EBPF_ALU64)))
            return fail(err, EBPF_EINVAL, pc, "bad movsx width");
        return 0;
    case EBPF_END:
        if (cls == EBPF_ALU64 && x)
            return fail(err, EBPF_EOPCODE, pc, "ALU64 END must use source 0 (bswap)");
        if (i->off != 0 || i->src != 0 || !(i->imm == 16 || i->imm == 32 || i->imm == 64))
            return fail(err, EBPF_EINVAL, pc, "byte swap width must be 16, 32 or 64");
        return 0;
    default:
        return fail(err, EBPF_EOPCODE, pc, "unknown ALU operation");
    }
}

static int check_jmp(const struct ebpf_prog *p, const struct ebpf_env *env,
                     const struct ebpf_insn *i, uint32_t pc, struct ebpf_error *err)
{
    uint8_t op = EBPF_OP(i->opcode), cls = EBPF_CLASS(i->opcode);
    bool x = EBPF_SRC(i->opcode) == EBPF_X;
    switch (op) {
    case EBPF_JA:
        if (x || i->dst || i->src)
            return fail(err, EBPF_EINVAL, pc, "ja with registers");
        if (cls == EBPF_JMP ? i->imm != 0 : i->off != 0)
            return fail(err, EBPF_EINVAL, pc, "ja uses off (JMP) or imm (JMP32) only");
        if (!target_ok(p, (int64_t)pc + 1 + (cls == EBPF_JMP ? i->off : i->imm)))
            return fail(err, EBPF_EJUMP, pc, "jump target out of range");
        return 0;
    case EBPF_CALL:
        if (cls != EBPF_JMP || i->off != 0)
            return fail(err, EBPF_EOPCODE, pc, "call only in class JMP, offset 0");
        if (x) {
            if (i->dst > EBPF_R10 || i->src != 0 || i->imm != 0)
                return fail(err, EBPF_EREG, pc, "callx takes its register in dst_reg only");
            return 0;
        }
        if (i->dst != 0)
            return fail(err, EBPF_EINVAL, pc, "call with non-zero dst_reg");
        if (i->src == EBPF_CALL_HELPER) {
            if (!ebpf_env_helper(env, (uint32_t)i->imm))
                return fail(err, EBPF_EHELPER, pc, "call to unregistered helper");
            return 0;
        }
        if (i->src == EBPF_CALL_LOCAL) {
            if (!target_ok(p, (int64_t)pc + 1 + i->imm))
                return fail(err, EBPF_EJUMP, pc, "local call target out of range");
            return 0;
        }
        return fail(err, EBPF_EOPCODE, pc, "unsupported call kind (BTF id)");
    case EBPF_EXIT:
        if (cls != EBPF_JMP || x || i->dst || i->src || i->off || i->imm)
            return fail(err, EBPF_EOPCODE, pc, "exit takes no operands");
        return 0;
    case EBPF_JEQ: case EBPF_JGT: case EBPF_JGE: case EBPF_JSET: case EBPF_JNE:
    case EBPF_JSGT: case EBPF_JSGE: case EBPF_JLT: case EBPF_JLE: case EBPF_JSLT: case EBPF_JSLE:
        if (i->dst > EBPF_R10 || (x && i->src > EBPF_R10))
            return fail(err, EBPF_EREG, pc, "bad register");
        if ((x && i->imm != 0) || (!x && i->src != 0))
            return fail(err, EBPF_EINVAL, pc, "unused operand field not zero");
        if (!target_ok(p, (int64_t)pc + 1 + i->off))
            return fail(err, EBPF_EJUMP, pc, "jump target out of range");
        return 0;
    default:
        return fail(err, EBPF_EOPCODE, pc, "unknown jump operation");
    }
}

static int check_mem(const struct ebpf_prog *p, const struct ebpf_insn *i, uint32_t pc,
                     struct ebpf_error *err)
{
    uint8_t cls = EBPF_CLASS(i->opcode), mode = EBPF_MODE(i->opcode), sz = EBPF_SIZE(i->opcode);
    switch (cls) {
    case EBPF_LD: {
        if (i->opcode != EBPF_OP_LDDW)
            return fail(err, EBPF_EOPCODE, pc, "legacy packet loads (ABS/IND) not supported");
        if (pc + 1 >= p->len)
            return fail(err, EBPF_EJUMP, pc, "lddw missing its second slot");
        const struct ebpf_insn *hi = &p->insns[pc + 1];
        if (hi->opcode || hi->dst || hi->src || hi->off)
            return fail(err, EBPF_EINVAL, pc, "lddw second slot must be zero except imm");
        if (i->dst >= EBPF_R10)
            return fail(err, EBPF_EREG, pc, "bad lddw destination");
        if (i->off != 0)
            return fail(err, EBPF_EINVAL, pc, "lddw with non-zero offset");
        if (i->src == EBPF_PSEUDO_IMM64)
            return 0;
        int e;
        if (i->src == EBPF_PSEUDO_VAR_ADDR || i->src == EBPF_PSEUDO_CODE_ADDR || i->src > 6)
            return fail(err, EBPF_EOPCODE, pc, "unsupported lddw source");
        ebpf_lddw_value(p, i, hi, &e);
        if (e)
            return fail(err, EBPF_EMAP, pc, "lddw refers to a missing map or bad offset");
        return 0;
    }
    case EBPF_LDX:
        if (!(mode == EBPF_MEM || (mode == EBPF_MEMSX && sz != EBPF_DW)))
            return fail(err, EBPF_EOPCODE, pc, "unknown load mode");
        if (i->dst >= EBPF_R10 || i->src > EBPF_R10)
            return fail(err, EBPF_EREG, pc, "bad load register");
        if (i->imm != 0)
            return fail(err, EBPF_EINVAL, pc, "load with non-zero imm");
        return 0;
    case EBPF_ST:
        if (mode != EBPF_MEM)
            return fail(err, EBPF_EOPCODE, pc, "unknown store mode");
        if (i->dst > EBPF_R10 || i->src != 0)
            return fail(err, EBPF_EREG, pc, "bad store register");
        return 0;
    default: /* STX */
        if (i->dst > EBPF_R10 || i->src > EBPF_R10)
            return fail(err, EBPF_EREG, pc, "bad store register");
        if (mode == EBPF_MEM)
            return i->imm ? fail(err, EBPF_EINVAL, pc, "stx with non-zero imm") : 0;
        if (mode != EBPF_ATOMIC || (sz != EBPF_W && sz != EBPF_DW))
            return fail(err, EBPF_EOPCODE, pc, "unknown stx mode or atomic size");
        switch (i->imm) {
        case EBPF_ATOMIC_ADD: case EBPF_ATOMIC_OR: case EBPF_ATOMIC_AND: case EBPF_ATOMIC_XOR:
        case EBPF_ATOMIC_CMPXCHG:
            return 0;
        case EBPF_ATOMIC_ADD | EBPF_FETCH: case EBPF_ATOMIC_OR | EBPF_FETCH:
        case EBPF_ATOMIC_AND | EBPF_FETCH: case EBPF_ATOMIC_XOR | EBPF_FETCH:
        case EBPF_ATOMIC_XCHG:
            /* Fetch forms write the old value into src_reg. */
            return i->src == EBPF_R10 ? fail(err, EBPF_EREG, pc, "atomic fetch into r10") : 0;
        default:
            return fail(err, EBPF_EOPCODE, pc, "unknown atomic operation");
        }
    }
}

int ebpf_prog_check(const struct ebpf_prog *p, const struct ebpf_env *env, struct ebpf_error *err)
{
    if (!p || !p->insns || !env)
        return fail(err, EBPF_EINVAL, 0, "null program or environment");
    if (p->len == 0)
        return fail(err, EBPF_EINVAL, 0, "empty program");
    if (p->len > EBPF_MAX_INSNS)
        return fail(err, EBPF_E2BIG, 0, "program too long");
    for (uint32_t pc = 0; pc < p->len; pc++) {
        const struct ebpf_insn *i = &p->insns[pc];
        int rc;
        switch (EBPF_CLASS(i->opcode)) {
        case EBPF_ALU: case EBPF_ALU64: rc = check_alu(i, pc, err); break;
        case EBPF_JMP: case EBPF_JMP32: rc = check_jmp(p, env, i, pc, err); break;
        default: rc = check_mem(p, i, pc, err); break;
        }
        if (rc)
            return rc;
        if (i->opcode == EBPF_OP_LDDW)
            pc++;
    }
    /* No fall-through off the end: the last instruction must leave unconditionally. */
    const struct ebpf_insn *last = &p->insns[p->len - 1];
    if (p->len >= 2 && p->insns[p->len - 2].opcode == EBPF_OP_LDDW)
        return fail(err, EBPF_EJUMP, p->len - 1, "program ends inside lddw");
    if (last->opcode != EBPF_OP_EXIT && last->opcode != EBPF_OP_JA && last->opcode != EBPF_OP_JA32)
        return fail(err, EBPF_EJUMP, p->len - 1, "last instruction must be exit or ja");
    if (err)
        fail(err, 0, 0, "ok");
    return 0;
}
