/* asm_text.h - the mnemonic tables shared by the assembler (asm.c) and the disassembler
 * (disasm.c), so the two cannot disagree about a name. Internal to lib/ebpf. */
#ifndef PLADOF_LIB_EBPF_ASM_TEXT_H
#define PLADOF_LIB_EBPF_ASM_TEXT_H

#include <stdint.h>

#include "lib/ebpf/insn.h"

struct ebpf_name_op {
    const char *name;
    uint8_t op;     /* EBPF_ADD..., EBPF_JEQ..., atomic imm */
    int16_t off;    /* ALU variant offset (sdiv/smod = 1) */
};

/* Two-operand ALU mnemonics (the "32" suffix selects class ALU). */
static const struct ebpf_name_op ebpf_alu_names[] = {
    { "add", EBPF_ADD, 0 }, { "sub", EBPF_SUB, 0 }, { "mul", EBPF_MUL, 0 },
    { "div", EBPF_DIV, 0 }, { "sdiv", EBPF_DIV, 1 }, { "mod", EBPF_MOD, 0 },
    { "smod", EBPF_MOD, 1 }, { "or", EBPF_OR, 0 }, { "and", EBPF_AND, 0 },
    { "lsh", EBPF_LSH, 0 }, { "rsh", EBPF_RSH, 0 }, { "arsh", EBPF_ARSH, 0 },
    { "xor", EBPF_XOR, 0 }, { "mov", EBPF_MOV, 0 },
};

/* Conditional jumps (the "32" suffix selects class JMP32). */
static const struct ebpf_name_op ebpf_jmp_names[] = {
    { "jeq", EBPF_JEQ, 0 }, { "jgt", EBPF_JGT, 0 }, { "jge", EBPF_JGE, 0 },
    { "jset", EBPF_JSET, 0 }, { "jne", EBPF_JNE, 0 }, { "jsgt", EBPF_JSGT, 0 },
    { "jsge", EBPF_JSGE, 0 }, { "jlt", EBPF_JLT, 0 }, { "jle", EBPF_JLE, 0 },
    { "jslt", EBPF_JSLT, 0 }, { "jsle", EBPF_JSLE, 0 },
};

/* Atomic operations after "lock" / "lock fetch". */
static const struct ebpf_name_op ebpf_atomic_names[] = {
    { "add", EBPF_ATOMIC_ADD, 0 }, { "or", EBPF_ATOMIC_OR, 0 }, { "and", EBPF_ATOMIC_AND, 0 },
    { "xor", EBPF_ATOMIC_XOR, 0 }, { "xchg", EBPF_ATOMIC_XCHG, 0 },
    { "cmpxchg", EBPF_ATOMIC_CMPXCHG, 0 },
};

/* Load/store size suffixes, indexed by EBPF_SIZE(opcode) >> 3: W, H, B, DW. */
static const char *const ebpf_size_names[4] = { "w", "h", "b", "dw" };

#define EBPF_NAMES_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
