/* verifier_scalar.h - the verifier's abstract domain for 64-bit values.
 *
 * A scalar is described three ways at once, each an over-approximation of the set of values
 * it may hold: a signed interval [smin, smax], an unsigned interval [umin, umax], and a tnum
 * ("tristate number": bits where mask=0 are known to equal value, bits where mask=1 are
 * unknown). Every operation computes each view soundly and scal_sync() then lets the views
 * tighten one another. An empty set (a branch that cannot be taken) shows up as a view whose
 * minimum exceeds its maximum: scal_empty() detects it.
 *
 * The same structure describes the offset of a pointer from the start of its region. */
#ifndef PLADOF_LIB_EBPF_VERIFIER_SCALAR_H
#define PLADOF_LIB_EBPF_VERIFIER_SCALAR_H

#include <stdbool.h>
#include <stdint.h>

struct tnum {
    uint64_t value, mask;
};

struct scal {
    int64_t smin, smax;
    uint64_t umin, umax;
    struct tnum t;
};

struct scal scal_const(uint64_t v);
struct scal scal_unknown(void);
/* Unknown value of `bytes` (1, 2, 4, 8) bytes, zero-extended. */
struct scal scal_unknown_width(unsigned bytes);
/* Unknown value of `bytes` bytes, sign-extended to 64 bits. */
struct scal scal_unknown_sext(unsigned bytes);
bool scal_is_const(const struct scal *s);
bool scal_empty(const struct scal *s);
void scal_sync(struct scal *s);
/* Is every value of `a` also a value of `b`? */
bool scal_subset(const struct scal *a, const struct scal *b);
bool scal_equal(const struct scal *a, const struct scal *b);

/* ALU: `op` is an RFC 9669 ALU op (EBPF_ADD ...), `is64` selects ALU64 vs ALU (32-bit, result
 * zero-extended), `off` the instruction's offset (signed div/mod, movsx width). For END, b is
 * ignored and `imm` gives the width. Sound for every op and value. */
struct scal scal_alu(uint8_t op, bool is64, int16_t off, int32_t imm, struct scal a, struct scal b);

/* Branch refinement for `a OP b` (EBPF_JEQ ...), 64-bit or 32-bit comparison. Returns
 * 1 if the condition is always true, 0 if always false, -1 if unknown. */
int scal_branch_taken(uint8_t op, bool is64, const struct scal *a, const struct scal *b);
/* Narrows a and b assuming `a OP b` is `taken` (true) or not. May leave either empty. */
void scal_refine(uint8_t op, bool is64, bool taken, struct scal *a, struct scal *b);

/* Concrete semantics of one ALU op on 64-bit register values (RFC 9669), used for constant
 * folding and by tests as the reference. */
uint64_t scal_alu_concrete(uint8_t op, bool is64, int16_t off, int32_t imm, uint64_t a, uint64_t b);
/* Concrete result of a conditional jump comparison. */
bool scal_cmp_concrete(uint8_t op, bool is64, uint64_t a, uint64_t b);

#endif
