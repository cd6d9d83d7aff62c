/* verifier_mem.h - memory-access checks of the verifier (verifier_mem.c). */
#ifndef PLADOF_LIB_EBPF_VERIFIER_MEM_H
#define PLADOF_LIB_EBPF_VERIFIER_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/ebpf/verifier_internal.h"

bool vreg_is_ptr(const struct vreg *r);

/* Checks that `size` bytes at base + off (base a pointer register described by *base) lie in
 * its region, and may be written if `write`. `what` names the register in messages. On success
 * stores the lowest offset into *lo_out (if not NULL). Stack initialisation is not checked. */
int vmem_check(struct vctx *c, uint32_t pc, const char *what, const struct vreg *base,
               int64_t off, uint64_t size, bool write, int64_t *lo_out);
/* Stack bytes [lo, lo+n) of base's frame must be initialised. A spilled pointer may be read only
 * whole by a load (which restores it), never in part and never by a helper (which would copy
 * its bytes somewhere as data). */
int vmem_stack_readable(struct vctx *c, uint32_t pc, const struct vreg *base, int64_t lo,
                        uint64_t n, bool by_helper);
/* Marks stack bytes [lo, lo+n) of base's frame as written with scalar data. */
void vmem_stack_written(struct vctx *c, const struct vreg *base, int64_t lo, uint64_t n);

/* A load of `size` bytes (sign-extended if `sext`) from base + off into *out. */
int vmem_load(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size,
              bool sext, struct vreg *out);
/* A store of the value *val (size bytes) to base + off. */
int vmem_store(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size,
               const struct vreg *val);
/* A read-modify-write of size bytes at base + off (atomic instructions). */
int vmem_atomic(struct vctx *c, uint32_t pc, const struct vreg *base, int16_t off, uint32_t size);

#endif
