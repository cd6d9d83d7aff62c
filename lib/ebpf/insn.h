/* insn.h - the eBPF instruction encoding of RFC 9669 (BPF Instruction Set Architecture).
 *
 * An instruction is 8 bytes: opcode, a byte holding dst_reg (low nibble) and src_reg (high
 * nibble), a signed 16-bit offset and a signed 32-bit immediate, all little-endian. The one
 * "wide" instruction, lddw (opcode 0x18), takes two slots: the second slot has opcode 0 and
 * carries the upper 32 bits of the 64-bit immediate in its imm field.
 *
 * The opcode byte splits three ways depending on its class (low 3 bits):
 *   ALU / ALU64 / JMP / JMP32:  op (high 4 bits) | source (bit 3: K = imm, X = src_reg) | class
 *   LD / LDX / ST / STX:        mode (high 3 bits) | size (bits 3-4) | class
 * Constants below are the RFC's values; names follow the RFC (EBPF_ prefix). Nothing here
 * allocates or depends on the host: the verifier, the engines and the tools all share it. */
#ifndef PLADOF_LIB_EBPF_INSN_H
#define PLADOF_LIB_EBPF_INSN_H

#include <stdint.h>

/* One 64-bit instruction slot. Bit-fields are laid out low bit first by gcc and clang on
 * x86-64, which matches the RFC's little-endian byte order (dst_reg in the low nibble). */
struct ebpf_insn {
    uint8_t opcode;
    uint8_t dst : 4;
    uint8_t src : 4;
    int16_t off;
    int32_t imm;
};
_Static_assert(sizeof(struct ebpf_insn) == 8, "RFC 9669: an instruction slot is 64 bits");

/* Registers: r0 return value, r1-r5 arguments (clobbered by calls), r6-r9 callee-saved,
 * r10 read-only frame pointer. */
enum {
    EBPF_R0 = 0, EBPF_R1, EBPF_R2, EBPF_R3, EBPF_R4, EBPF_R5,
    EBPF_R6, EBPF_R7, EBPF_R8, EBPF_R9, EBPF_R10,
    EBPF_NREGS = 11,
};
#define EBPF_STACK_SIZE 512u        /* bytes of stack per frame (r10 points at its top) */
#define EBPF_MAX_CALL_DEPTH 8u      /* frames including the main program */
#define EBPF_MAX_INSNS 65536u       /* slots per program accepted by the engines */

/* --- classes (opcode & 0x07) --- */
#define EBPF_CLASS(op) ((op) & 0x07)
#define EBPF_LD 0x00
#define EBPF_LDX 0x01
#define EBPF_ST 0x02
#define EBPF_STX 0x03
#define EBPF_ALU 0x04
#define EBPF_JMP 0x05
#define EBPF_JMP32 0x06
#define EBPF_ALU64 0x07

/* --- arithmetic and jump instructions: source (opcode & 0x08) and op (opcode & 0xf0) --- */
#define EBPF_SRC(op) ((op) & 0x08)
#define EBPF_K 0x00     /* use the 32-bit immediate */
#define EBPF_X 0x08     /* use src_reg */
#define EBPF_OP(op) ((op) & 0xf0)

/* ALU / ALU64 ops. off selects a variant: DIV/MOD off=1 signed; MOV off=8/16/32 sign-extend. */
#define EBPF_ADD 0x00
#define EBPF_SUB 0x10
#define EBPF_MUL 0x20
#define EBPF_DIV 0x30   /* off 0: unsigned, off 1: signed (sdiv) */
#define EBPF_OR 0x40
#define EBPF_AND 0x50
#define EBPF_LSH 0x60
#define EBPF_RSH 0x70
#define EBPF_NEG 0x80
#define EBPF_MOD 0x90   /* off 0: unsigned, off 1: signed (smod) */
#define EBPF_XOR 0xa0
#define EBPF_MOV 0xb0   /* off 0: mov, off 8/16/32: movsx (register source only) */
#define EBPF_ARSH 0xc0
#define EBPF_END 0xd0   /* byte swap; imm = 16, 32 or 64 (width) */

/* END: in class ALU the source bit picks the order; in class ALU64 (source 0) it is an
 * unconditional swap (bswap16/32/64). */
#define EBPF_TO_LE 0x00
#define EBPF_TO_BE 0x08

/* JMP / JMP32 ops. In class JMP32, JA uses imm (not off) as the offset ("gotol"/ja32). */
#define EBPF_JA 0x00
#define EBPF_JEQ 0x10
#define EBPF_JGT 0x20
#define EBPF_JGE 0x30
#define EBPF_JSET 0x40
#define EBPF_JNE 0x50
#define EBPF_JSGT 0x60
#define EBPF_JSGE 0x70
#define EBPF_CALL 0x80  /* class JMP only; source K: see EBPF_PSEUDO_*; source X: callx */
#define EBPF_EXIT 0x90  /* class JMP only */
#define EBPF_JLT 0xa0
#define EBPF_JLE 0xb0
#define EBPF_JSLT 0xc0
#define EBPF_JSLE 0xd0

/* CALL (opcode 0x85) src_reg values. */
#define EBPF_CALL_HELPER 0      /* imm = helper id */
#define EBPF_CALL_LOCAL 1       /* imm = offset in slots from the next instruction to the callee */
#define EBPF_CALL_HELPER_BTF 2  /* imm = BTF id (not supported by PLADOF's engines) */
/* callx (opcode 0x8d): the helper id is taken from a register. The RFC names dst_reg; older
 * toolchains put the register number in imm. The engines read dst_reg; the assembler emits
 * dst_reg. */

/* --- load and store instructions: mode (opcode & 0xe0) and size (opcode & 0x18) --- */
#define EBPF_MODE(op) ((op) & 0xe0)
#define EBPF_SIZE(op) ((op) & 0x18)
#define EBPF_W 0x00     /* 4 bytes */
#define EBPF_H 0x08     /* 2 bytes */
#define EBPF_B 0x10     /* 1 byte */
#define EBPF_DW 0x18    /* 8 bytes */
#define EBPF_IMM 0x00   /* lddw (class LD, size DW) */
#define EBPF_ABS 0x20   /* legacy packet access: not supported */
#define EBPF_IND 0x40   /* legacy packet access: not supported */
#define EBPF_MEM 0x60
#define EBPF_MEMSX 0x80 /* sign-extending load (LDX only, sizes B/H/W) */
#define EBPF_ATOMIC 0xc0 /* STX only, sizes W/DW; imm selects the operation */

/* Atomic operations (imm of an ATOMIC instruction). */
#define EBPF_FETCH 0x01          /* modifier: put the old value in src_reg */
#define EBPF_ATOMIC_ADD 0x00
#define EBPF_ATOMIC_OR 0x40
#define EBPF_ATOMIC_AND 0x50
#define EBPF_ATOMIC_XOR 0xa0
#define EBPF_ATOMIC_XCHG (0xe0 | EBPF_FETCH)
#define EBPF_ATOMIC_CMPXCHG (0xf0 | EBPF_FETCH) /* compares with r0; r0 gets the old value */

/* lddw src_reg values (RFC 9669 section 5.4). PLADOF resolves MAP_IDX / MAP_IDX_VALUE against
 * the program's map table (struct ebpf_prog.maps); MAP_FD / MAP_VALUE are accepted as synonyms
 * (the "fd" is the index), since PLADOF has no file descriptors in the kernel. */
#define EBPF_PSEUDO_IMM64 0
#define EBPF_PSEUDO_MAP_FD 1         /* dst = map pointer for map imm */
#define EBPF_PSEUDO_MAP_VALUE 2      /* dst = address of map imm's value storage + next_imm */
#define EBPF_PSEUDO_VAR_ADDR 3       /* not supported */
#define EBPF_PSEUDO_CODE_ADDR 4      /* not supported */
#define EBPF_PSEUDO_MAP_IDX 5
#define EBPF_PSEUDO_MAP_IDX_VALUE 6

/* --- full opcodes used often enough to deserve names --- */
#define EBPF_OP_LDDW (EBPF_LD | EBPF_IMM | EBPF_DW)      /* 0x18 */
#define EBPF_OP_CALL (EBPF_JMP | EBPF_K | EBPF_CALL)      /* 0x85 */
#define EBPF_OP_CALLX (EBPF_JMP | EBPF_X | EBPF_CALL)     /* 0x8d */
#define EBPF_OP_EXIT (EBPF_JMP | EBPF_EXIT)               /* 0x95 */
#define EBPF_OP_JA (EBPF_JMP | EBPF_JA)                   /* 0x05 */
#define EBPF_OP_JA32 (EBPF_JMP32 | EBPF_JA)               /* 0x06 */

/* Builds an instruction slot (for tests, the assembler and code generators). */
static inline struct ebpf_insn ebpf_insn_make(uint8_t opcode, uint8_t dst, uint8_t src,
                                              int16_t off, int32_t imm)
{
    struct ebpf_insn i = { .opcode = opcode, .dst = dst & 0xf, .src = src & 0xf,
                           .off = off, .imm = imm };
    return i;
}

/* The 64-bit immediate of an lddw whose first slot is `lo` and second slot `hi`. */
static inline uint64_t ebpf_lddw_imm(const struct ebpf_insn *lo, const struct ebpf_insn *hi)
{
    return (uint64_t)(uint32_t)lo->imm | ((uint64_t)(uint32_t)hi->imm << 32);
}

/* The slot as the little-endian u64 the conformance suite's "-- raw" section uses. */
static inline uint64_t ebpf_insn_word(struct ebpf_insn i)
{
    return (uint64_t)i.opcode | (uint64_t)(i.dst | (i.src << 4)) << 8 |
           (uint64_t)(uint16_t)i.off << 16 | (uint64_t)(uint32_t)i.imm << 32;
}
static inline struct ebpf_insn ebpf_insn_from_word(uint64_t w)
{
    return ebpf_insn_make((uint8_t)w, (uint8_t)(w >> 8) & 0xf, (uint8_t)(w >> 12) & 0xf,
                          (int16_t)(uint16_t)(w >> 16), (int32_t)(uint32_t)(w >> 32));
}

#endif
