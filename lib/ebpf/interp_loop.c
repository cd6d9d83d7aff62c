/* interp_loop.c - the interpreter's dispatch loop. NOT compiled on its own: interp.c includes it
 * twice, with INTERP_CHECKED 0 (verified programs: no bounds checks, no budget) and 1 (checked
 * mode: every load/store/atomic and every helper pointer argument validated, instructions
 * counted), so each variant is a straight threaded loop without per-instruction mode tests.
 *
 * Dispatch is direct threading with GCC's labels-as-values: a 256-entry table maps each opcode
 * byte to its handler, and every handler ends by fetching the next slot and jumping through the
 * table. Unknown opcodes cannot occur (ebpf_prog_check ran first) but still land on a handler
 * that reports EBPF_EOPCODE rather than jumping into nothing. */

/* Requires: INTERP_FN (function name), INTERP_CHECKED (0 or 1). */

static int INTERP_FN(const struct ebpf_prog *prog, struct ebpf_run *run, uint64_t *r0out)
{
#define L(name) &&name
    /* The [0 ... 255] default is overridden entry by entry on purpose. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
    static const void *const tbl[256] = {
        [0 ... 255] = L(bad_opcode),
#define ALU_ENTRIES(OPC, name)                                                                  \
        [EBPF_ALU64 | EBPF_K | OPC] = L(alu64_##name##_k),                                      \
        [EBPF_ALU64 | EBPF_X | OPC] = L(alu64_##name##_x),                                      \
        [EBPF_ALU | EBPF_K | OPC] = L(alu32_##name##_k),                                        \
        [EBPF_ALU | EBPF_X | OPC] = L(alu32_##name##_x),
        ALU_ENTRIES(EBPF_ADD, add) ALU_ENTRIES(EBPF_SUB, sub) ALU_ENTRIES(EBPF_MUL, mul)
        ALU_ENTRIES(EBPF_OR, or) ALU_ENTRIES(EBPF_AND, and) ALU_ENTRIES(EBPF_XOR, xor)
        ALU_ENTRIES(EBPF_LSH, lsh) ALU_ENTRIES(EBPF_RSH, rsh) ALU_ENTRIES(EBPF_ARSH, arsh)
        ALU_ENTRIES(EBPF_DIV, div) ALU_ENTRIES(EBPF_MOD, mod) ALU_ENTRIES(EBPF_MOV, mov)
        [EBPF_ALU64 | EBPF_NEG] = L(alu64_neg), [EBPF_ALU | EBPF_NEG] = L(alu32_neg),
        [EBPF_ALU | EBPF_TO_LE | EBPF_END] = L(end_le), [EBPF_ALU | EBPF_TO_BE | EBPF_END] = L(end_be),
        [EBPF_ALU64 | EBPF_END] = L(end_be),
#define JMP_ENTRIES(OPC, name)                                                                  \
        [EBPF_JMP | EBPF_K | OPC] = L(jmp_##name##_k), [EBPF_JMP | EBPF_X | OPC] = L(jmp_##name##_x), \
        [EBPF_JMP32 | EBPF_K | OPC] = L(jmp32_##name##_k),                                      \
        [EBPF_JMP32 | EBPF_X | OPC] = L(jmp32_##name##_x),
        JMP_ENTRIES(EBPF_JEQ, jeq) JMP_ENTRIES(EBPF_JNE, jne) JMP_ENTRIES(EBPF_JGT, jgt)
        JMP_ENTRIES(EBPF_JGE, jge) JMP_ENTRIES(EBPF_JLT, jlt) JMP_ENTRIES(EBPF_JLE, jle)
        JMP_ENTRIES(EBPF_JSGT, jsgt) JMP_ENTRIES(EBPF_JSGE, jsge) JMP_ENTRIES(EBPF_JSLT, jslt)
        JMP_ENTRIES(EBPF_JSLE, jsle) JMP_ENTRIES(EBPF_JSET, jset)
        [EBPF_OP_JA] = L(ja), [EBPF_OP_JA32] = L(ja32), [EBPF_OP_CALL] = L(call),
        [EBPF_OP_CALLX] = L(callx), [EBPF_OP_EXIT] = L(exit), [EBPF_OP_LDDW] = L(lddw),
        [EBPF_LDX | EBPF_MEM | EBPF_B] = L(ldxb), [EBPF_LDX | EBPF_MEM | EBPF_H] = L(ldxh),
        [EBPF_LDX | EBPF_MEM | EBPF_W] = L(ldxw), [EBPF_LDX | EBPF_MEM | EBPF_DW] = L(ldxdw),
        [EBPF_LDX | EBPF_MEMSX | EBPF_B] = L(ldxsb), [EBPF_LDX | EBPF_MEMSX | EBPF_H] = L(ldxsh),
        [EBPF_LDX | EBPF_MEMSX | EBPF_W] = L(ldxsw),
        [EBPF_ST | EBPF_MEM | EBPF_B] = L(stb), [EBPF_ST | EBPF_MEM | EBPF_H] = L(sth),
        [EBPF_ST | EBPF_MEM | EBPF_W] = L(stw), [EBPF_ST | EBPF_MEM | EBPF_DW] = L(stdw),
        [EBPF_STX | EBPF_MEM | EBPF_B] = L(stxb), [EBPF_STX | EBPF_MEM | EBPF_H] = L(stxh),
        [EBPF_STX | EBPF_MEM | EBPF_W] = L(stxw), [EBPF_STX | EBPF_MEM | EBPF_DW] = L(stxdw),
        [EBPF_STX | EBPF_ATOMIC | EBPF_W] = L(atomic32), [EBPF_STX | EBPF_ATOMIC | EBPF_DW] = L(atomic64),
    };
#pragma GCC diagnostic pop
#undef ALU_ENTRIES
#undef JMP_ENTRIES
#undef L
    const struct ebpf_insn *const base = prog->insns, *ip = base;
    uint64_t w;             /* the current slot as a little-endian word (kept in a register) */
    uint64_t reg[EBPF_NREGS] = { 0 };
    struct frame frames[EBPF_MAX_CALL_DEPTH];
    uint32_t depth = 0;
    int rc = 0;

    reg[1] = (uint64_t)(uintptr_t)run->mem;
    reg[2] = run->mem_len;
    reg[10] = (uint64_t)(uintptr_t)(run->stack + sizeof(run->stack));

#define DSTN ((unsigned)(w >> 8) & 0xf)
#define SRCN ((unsigned)(w >> 12) & 0xf)
#define OFF ((int16_t)(uint16_t)(w >> 16))
#define IMM ((int32_t)(uint32_t)(w >> 32))
#define DST reg[DSTN]
#define SRC reg[SRCN]
#define IMM64 ((uint64_t)(int64_t)IMM)
#define IMM32 ((uint32_t)IMM)
#define PC ((uint32_t)(ip - base - 1))
#if INTERP_CHECKED
    uint64_t budget = run->budget;
#define BUDGET() do { if (__builtin_expect(budget-- == 0, 0)) goto out_of_budget; } while (0)
#define CHECK(addr, n) do { if (!mem_ok(run, prog, (addr), (n))) goto mem_fault; } while (0)
#else
#define BUDGET() do { } while (0)
#define CHECK(addr, n) do { } while (0)
#endif
#define NEXT do { BUDGET(); __builtin_memcpy(&w, ip++, 8); goto *tbl[w & 0xff]; } while (0)

    NEXT;

#define ALU_BIN(name, OP)                                                                       \
alu64_##name##_k: DST = DST OP IMM64; NEXT;                                                     \
alu64_##name##_x: DST = DST OP SRC; NEXT;                                                       \
alu32_##name##_k: DST = (uint32_t)((uint32_t)DST OP IMM32); NEXT;                               \
alu32_##name##_x: DST = (uint32_t)((uint32_t)DST OP (uint32_t)SRC); NEXT;
    ALU_BIN(add, +) ALU_BIN(sub, -) ALU_BIN(mul, *) ALU_BIN(or, |) ALU_BIN(and, &) ALU_BIN(xor, ^)
#undef ALU_BIN

    /* Shift counts are masked to the operand width (RFC 9669 4.1). */
alu64_lsh_k: DST <<= (IMM & 63); NEXT;
alu64_lsh_x: DST <<= (SRC & 63); NEXT;
alu32_lsh_k: DST = (uint32_t)((uint32_t)DST << (IMM & 31)); NEXT;
alu32_lsh_x: DST = (uint32_t)((uint32_t)DST << (SRC & 31)); NEXT;
alu64_rsh_k: DST >>= (IMM & 63); NEXT;
alu64_rsh_x: DST >>= (SRC & 63); NEXT;
alu32_rsh_k: DST = (uint32_t)DST >> (IMM & 31); NEXT;
alu32_rsh_x: DST = (uint32_t)DST >> (SRC & 31); NEXT;
alu64_arsh_k: DST = (uint64_t)((int64_t)DST >> (IMM & 63)); NEXT;
alu64_arsh_x: DST = (uint64_t)((int64_t)DST >> (SRC & 63)); NEXT;
alu32_arsh_k: DST = (uint32_t)((int32_t)(uint32_t)DST >> (IMM & 31)); NEXT;
alu32_arsh_x: DST = (uint32_t)((int32_t)(uint32_t)DST >> (SRC & 31)); NEXT;

alu64_neg: DST = -DST; NEXT;
alu32_neg: DST = (uint32_t)-(uint32_t)DST; NEXT;

alu64_div_k: DST = OFF ? sdiv64(DST, IMM64) : udiv64(DST, IMM64); NEXT;
alu64_div_x: DST = OFF ? sdiv64(DST, SRC) : udiv64(DST, SRC); NEXT;
alu32_div_k: DST = OFF ? sdiv32(DST, IMM32) : udiv32(DST, IMM32); NEXT;
alu32_div_x: DST = OFF ? sdiv32(DST, SRC) : udiv32(DST, SRC); NEXT;
alu64_mod_k: DST = OFF ? smod64(DST, IMM64) : umod64(DST, IMM64); NEXT;
alu64_mod_x: DST = OFF ? smod64(DST, SRC) : umod64(DST, SRC); NEXT;
alu32_mod_k: DST = OFF ? smod32(DST, IMM32) : umod32(DST, IMM32); NEXT;
alu32_mod_x: DST = OFF ? smod32(DST, SRC) : umod32(DST, SRC); NEXT;

alu64_mov_k: DST = IMM64; NEXT;
alu64_mov_x: DST = movsx64(SRC, OFF); NEXT;
alu32_mov_k: DST = IMM32; NEXT;
alu32_mov_x: DST = (uint32_t)movsx64(SRC, OFF); NEXT;

end_le:
    DST = IMM == 16 ? (uint16_t)DST : IMM == 32 ? (uint32_t)DST : DST;
    NEXT;
end_be:
    DST = IMM == 16 ? __builtin_bswap16((uint16_t)DST)
        : IMM == 32 ? __builtin_bswap32((uint32_t)DST) : __builtin_bswap64(DST);
    NEXT;

#define JCOND(name, OP, T64, T32)                                                               \
jmp_##name##_k: if ((T64)DST OP (T64)IMM64) ip += OFF; NEXT;                                \
jmp_##name##_x: if ((T64)DST OP (T64)SRC) ip += OFF; NEXT;                                  \
jmp32_##name##_k: if ((T32)DST OP (T32)IMM32) ip += OFF; NEXT;                              \
jmp32_##name##_x: if ((T32)DST OP (T32)SRC) ip += OFF; NEXT;
    JCOND(jeq, ==, uint64_t, uint32_t) JCOND(jne, !=, uint64_t, uint32_t)
    JCOND(jgt, >, uint64_t, uint32_t) JCOND(jge, >=, uint64_t, uint32_t)
    JCOND(jlt, <, uint64_t, uint32_t) JCOND(jle, <=, uint64_t, uint32_t)
    JCOND(jsgt, >, int64_t, int32_t) JCOND(jsge, >=, int64_t, int32_t)
    JCOND(jslt, <, int64_t, int32_t) JCOND(jsle, <=, int64_t, int32_t)
#undef JCOND
jmp_jset_k: if (DST & IMM64) ip += OFF; NEXT;
jmp_jset_x: if (DST & SRC) ip += OFF; NEXT;
jmp32_jset_k: if ((uint32_t)DST & IMM32) ip += OFF; NEXT;
jmp32_jset_x: if ((uint32_t)DST & (uint32_t)SRC) ip += OFF; NEXT;
ja: ip += OFF; NEXT;
ja32: ip += IMM; NEXT;

lddw:
    if (SRCN == EBPF_PSEUDO_IMM64) {
        DST = (uint32_t)IMM | (uint64_t)(uint32_t)ip->imm << 32;
    } else {
        int e;
        DST = ebpf_lddw_value(prog, ip - 1, ip, &e);
    }
    ip++;
    NEXT;

#define LOAD(name, T)                                                                           \
name: {                                                                                         \
        uintptr_t a_ = (uintptr_t)(SRC + (uint64_t)(int64_t)OFF);                           \
        T v_;                                                                                   \
        CHECK(a_, sizeof(T));                                                                   \
        __builtin_memcpy(&v_, (const void *)a_, sizeof(T));                                     \
        DST = (uint64_t)(int64_t)v_;                                                            \
        NEXT;                                                                                   \
    }
    LOAD(ldxb, uint8_t) LOAD(ldxh, uint16_t) LOAD(ldxw, uint32_t) LOAD(ldxdw, uint64_t)
    LOAD(ldxsb, int8_t) LOAD(ldxsh, int16_t) LOAD(ldxsw, int32_t)
#undef LOAD
#define STORE(name, T, VAL)                                                                     \
name: {                                                                                         \
        uintptr_t a_ = (uintptr_t)(DST + (uint64_t)(int64_t)OFF);                           \
        T v_ = (T)(VAL);                                                                        \
        CHECK(a_, sizeof(T));                                                                   \
        __builtin_memcpy((void *)a_, &v_, sizeof(T));                                           \
        NEXT;                                                                                   \
    }
    STORE(stb, uint8_t, IMM) STORE(sth, uint16_t, IMM) STORE(stw, uint32_t, IMM)
    STORE(stdw, uint64_t, IMM64)
    STORE(stxb, uint8_t, SRC) STORE(stxh, uint16_t, SRC) STORE(stxw, uint32_t, SRC)
    STORE(stxdw, uint64_t, SRC)
#undef STORE

atomic32: {
        uintptr_t a = (uintptr_t)(DST + (uint64_t)(int64_t)OFF);
        CHECK(a, 4);
#if INTERP_CHECKED
        if (a & 3)
            goto align_fault;
#endif
        atomic_op32((uint32_t *)a, IMM, &reg[SRCN], &reg[0]);
        NEXT;
    }
atomic64: {
        uintptr_t a = (uintptr_t)(DST + (uint64_t)(int64_t)OFF);
        CHECK(a, 8);
#if INTERP_CHECKED
        if (a & 7)
            goto align_fault;
#endif
        atomic_op64((uint64_t *)a, IMM, &reg[SRCN], &reg[0]);
        NEXT;
    }

call:
    if (SRCN == EBPF_CALL_LOCAL) {
        if (depth + 1 >= EBPF_MAX_CALL_DEPTH)
            goto too_deep;
        frames[depth].ret = ip;
        __builtin_memcpy(frames[depth].saved, &reg[6], sizeof(frames[depth].saved));
        depth++;
        reg[10] -= EBPF_STACK_SIZE;
        ip += IMM;
        NEXT;
    } else {
        const struct ebpf_helper *h = run->env->helpers[(uint32_t)IMM];
        goto call_helper_h;
callx:
        h = ebpf_env_helper(run->env, DST);
        if (!h) {
            rc = EBPF_ECALLX;
            fault_set(run, rc, PC, "callx: register names no registered helper");
            goto done;
        }
call_helper_h:
#if INTERP_CHECKED
        if (!helper_args_ok(run, prog, h, reg)) {
            rc = EBPF_EFAULT;
            fault_set(run, rc, PC, "helper argument outside allowed memory");
            goto done;
        }
#endif
        reg[0] = h->fn(run, reg[1], reg[2], reg[3], reg[4], reg[5]);
        /* r1-r5 are clobbered by calls (RFC 9669 3.3); zero them so the engines agree. */
        reg[1] = reg[2] = reg[3] = reg[4] = reg[5] = 0;
        if (run->stop) {
            reg[0] = run->stop_r0;
            goto done;
        }
        NEXT;
    }

exit:
    if (depth == 0)
        goto done;
    depth--;
    ip = frames[depth].ret;
    __builtin_memcpy(&reg[6], frames[depth].saved, sizeof(frames[depth].saved));
    reg[10] += EBPF_STACK_SIZE;
    NEXT;

bad_opcode:
    rc = EBPF_EOPCODE;
    fault_set(run, rc, PC, "unknown opcode");
    goto done;
too_deep:
    rc = EBPF_EDEPTH;
    fault_set(run, rc, PC, "call depth above EBPF_MAX_CALL_DEPTH");
    goto done;
#if INTERP_CHECKED
out_of_budget:
    rc = EBPF_EBUDGET;
    fault_set(run, rc, (uint32_t)(ip - base), "instruction budget exhausted");
    goto done;
mem_fault:
    rc = EBPF_EFAULT;
    fault_set(run, rc, PC, "memory access outside stack, input and map values");
    goto done;
align_fault:
    rc = EBPF_EFAULT;
    fault_set(run, rc, PC, "misaligned atomic access");
    goto done;
#endif
done:
#if INTERP_CHECKED
    run->budget = budget;
#endif
    *r0out = reg[0];
    return rc;
#undef DST
#undef SRC
#undef DSTN
#undef SRCN
#undef OFF
#undef IMM
#undef IMM64
#undef IMM32
#undef PC
#undef BUDGET
#undef CHECK
#undef NEXT
}
