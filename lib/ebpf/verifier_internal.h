/* verifier_internal.h - the verifier's abstract state, shared by its source files.
 *
 * An abstract state is what the verifier knows at one instruction on one explored path: for each
 * active call frame the 11 registers and the 512-byte stack, plus how many input bytes are
 * proven to exist. A register is uninitialised, a scalar (value described by struct scal), or a
 * pointer into one region with its offset described by struct scal:
 *   INPUT      the input buffer; accesses must stay below `input_min`
 *   STACK      the stack of frame `frame`; offsets are relative to that frame's r10 (<= 0)
 *   MAP_PTR    the map `map` itself (only for helper arguments; no arithmetic, no access)
 *   MAP_VALUE  a value of map `map`; accesses inside [0, value_size)
 *   MAP_VALUE_OR_NULL  a map lookup result not yet compared with 0; `id` links the copies so
 *              that one null check decides them all
 * Scalars made from one another by copies and constant additions share an id (with the constant
 * as delta), so that a bound learnt on one applies to all; comparing one of them with the input
 * length in r2 records "room" (how far below the length it is), which input pointers built from
 * it inherit: this is how `if (ihl + 18 > len) drop; read pkt[14 + ihl + 3]` is proven.
 * Each stack byte is INVALID (never written), MISC (holds some scalar data) or SPILL (part of an
 * 8-byte aligned register spill whose full description is kept in spill[slot]). */
#ifndef PLADOF_LIB_EBPF_VERIFIER_INTERNAL_H
#define PLADOF_LIB_EBPF_VERIFIER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/verifier.h"
#include "lib/ebpf/verifier_scalar.h"

enum vtype { VT_UNINIT = 0, VT_SCALAR, VT_INPUT, VT_STACK, VT_MAP_PTR, VT_MAP_VALUE, VT_MAP_OR_NULL };
enum { SB_INVALID = 0, SB_MISC, SB_SPILL };

#define VID_LEN 1u          /* id of scalars equal to the input length passed in r2 */
#define STACK_SLOTS (EBPF_STACK_SIZE / 8)

struct vreg {
    uint8_t type;       /* enum vtype */
    uint8_t frame;      /* VT_STACK: which frame */
    uint16_t map;       /* VT_MAP_*: map index */
    uint32_t id;        /* scalars: linked group (0 = none); OR_NULL: null-check group */
    int32_t delta;      /* scalars with an id: value = (group's base value) + delta, exactly */
    uint32_t room;      /* scalars and input pointers: 0 = nothing known, else R + 1 where
                         * value (or offset) + R <= input length is proven */
    struct scal v;      /* scalar value, or pointer offset */
};

struct vframe {
    struct vreg r[EBPF_NREGS];
    uint32_t callsite;                  /* pc of the call that created this frame */
    uint8_t sk[EBPF_STACK_SIZE];        /* SB_* per byte; index = 512 + offset */
    struct vreg spill[STACK_SLOTS];
};

struct vstate {
    uint32_t nframes;
    uint32_t input_min;
    struct vframe f[EBPF_MAX_CALL_DEPTH];
};

#define VSTATE_SIZE(n) (offsetof(struct vstate, f) + (size_t)(n) * sizeof(struct vframe))

/* Per-instruction facts computed by the structural pass (cfg.c). */
#define CFG_LDDW_HI 0x01      /* second slot of an lddw */
#define CFG_PRUNE 0x02        /* jump target: states are stored and compared here */
#define CFG_REACHED 0x04
#define CFG_SUBPROG 0x08      /* first instruction of a subprogram */

/* Structural checks (opcodes, registers, targets, reachability, subprogram layout). Fills
 * flags[0..len); work[0..len) is scratch. Returns 0, or -1 with res->msg / res->pc set. */
int ebpf_cfg_check(const struct ebpf_insn *prog, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                   uint8_t *flags, uint32_t *work, struct ebpf_verifier_result *res);

/* Register liveness (verifier_live.c): live[pc] = registers read before written on some path
 * from pc. flags must come from ebpf_cfg_check. */
void ebpf_live_compute(const struct ebpf_insn *p, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                       const uint8_t *flags, uint16_t *live);

/* The verifier's working context (lives at the start of the caller's work area). */
struct vctx {
    const struct ebpf_insn *p;
    uint32_t len;
    const struct ebpf_verifier_cfg *cfg;
    struct ebpf_verifier_result *res;
    uint8_t *flags;             /* CFG_* per instruction */
    uint32_t *heads;            /* per instruction: first stored record (arena offset + 1) */
    uint16_t *live;             /* per instruction: registers live on entry (bit n = rn) */
    uint8_t *arena;             /* stored records grow up from lo, pending paths down from hi */
    size_t arena_size, lo, hi;
    uint32_t parent;            /* latest stored record on the current path (UINT32_MAX: none) */
    uint32_t next_id;
    uint64_t last_store;        /* explored count when a state was last stored */
    struct vstate cur;          /* the state being explored */
    struct vstate tmp;          /* scratch: the other side of a branch */
};

/* Step results. */
#define VSTEP_NEXT 0            /* continue at the updated pc */
#define VSTEP_END 1             /* the path ended (exit from the main program) */
#define VSTEP_ERR (-1)          /* rejected; res filled */

/* Abstractly executes the instruction at *pc on c->cur (verifier_step.c). May push the other
 * side of a conditional branch with ebpf_vpush(). */
int ebpf_vstep(struct vctx *c, uint32_t *pc);
/* Saves state s to be explored later from pc (verifier.c). Returns 0 or rejects. */
int ebpf_vpush(struct vctx *c, const struct vstate *s, uint32_t pc);
void ebpf_vcopy(struct vstate *dst, const struct vstate *src);

/* Records a rejection: "insn PC: <message>". Always returns -1. */
__attribute__((format(printf, 3, 4)))
int ebpf_vreject(struct ebpf_verifier_result *res, uint32_t pc, const char *fmt, ...);

#endif
