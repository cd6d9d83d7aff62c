/* asm.h - assembler and disassembler for the textual eBPF syntax of the conformance suite.
 *
 * Syntax, one instruction per line (`#` starts a comment, `name:` defines a label):
 *   mov %r0, 1 | mov32 %r1, %r2 | add/sub/mul/div/sdiv/mod/smod/or/and/lsh/rsh/arsh/xor[32]
 *   neg %r0 | neg32 %r0 | movsx{8,16}{32,64} %r0, %r1 | movsx3264 %r0, %r1
 *   le16/le32/le64/be16/be32/be64 %r0 | bswap16/32/64 %r0 (alias swap16/32/64)
 *   ldxb/ldxh/ldxw/ldxdw %r0, [%r1+4] | ldxsb/ldxsh/ldxsw %r0, [%r1-2]
 *   stb/sth/stw/stdw [%r10-8], 5 | stxb/stxh/stxw/stxdw [%r10-8], %r1
 *   lock [fetch] add|or|and|xor[32] [%r10-8], %r1 | lock xchg[32] ... | lock cmpxchg[32] ...
 *   lddw %r0, 0x1122334455667788 | lddw %r1, map[3] (map index) | lddw %r1, map_value[3]+8
 *   ja LABEL | ja +3 | ja32 LABEL (gotol) | jeq/jne/jgt/jge/jlt/jle/jsgt/jsge/jslt/jsle/jset[32]
 *     %r1, %r2|imm, LABEL|+off | call N | call local LABEL|+off | call %r2 / callx %r2 | exit
 * Immediates are decimal or 0x hex, optionally negative; 32-bit immediates accept -2^31..2^32-1.
 *
 * The disassembler prints the same syntax with numeric offsets (`+3`, `-2`), so
 * disassemble -> assemble gives back the same slots. Both are freestanding and allocation-free. */
#ifndef PLADOF_LIB_EBPF_ASM_H
#define PLADOF_LIB_EBPF_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/insn.h"

/* Labels per program. The table lives on the caller's stack (16 bytes each, 4 KiB in all), so
 * ebpf_asm stays usable on a 16 KiB kernel stack. */
#define EBPF_ASM_MAX_LABELS 256u

struct ebpf_asm_error {
    uint32_t line;      /* 1-based source line of the error (0 if none) */
    char msg[120];      /* e.g. "line 3: bad register '%r11'" */
};

/* Assembles text[0..len) into out[0..cap). Returns the number of slots (>= 0) or a negative
 * EBPF_E* code (EBPF_EINVAL for syntax errors, EBPF_E2BIG if out is too small) with err set. */
int ebpf_asm(const char *text, size_t len, struct ebpf_insn *out, uint32_t cap,
             struct ebpf_asm_error *err);

/* Disassembles the instruction at insns[pc] (n slots in all) into buf (NUL-terminated,
 * truncated to cap). Returns the slots consumed (1, or 2 for lddw), or 0 if the instruction is
 * unknown/incomplete (buf then holds ".word 0x..."-style text the assembler rejects). */
int ebpf_disasm(const struct ebpf_insn *insns, uint32_t n, uint32_t pc, char *buf, size_t cap);

#endif
