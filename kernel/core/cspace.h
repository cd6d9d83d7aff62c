/* cspace.h - capabilities and capability spaces (one per domain).
 *
 * A capability space is a fixed table of EXO_CSPACE_SLOTS slots; user code names a capability by a
 * handle = slot index + the slot's generation (include/pladof/exo.h). Lookup is O(1): index the
 * table, compare the generation, then check type and rights in the same call, so no code path can
 * use a capability it has not checked (seL4's decode step). Free slots form a list through the
 * slots themselves, so allocating and freeing a slot is O(1).
 *
 * Generations: a slot's `gen` is the generation of its occupant or, while empty, of its next
 * occupant; freeing increments it. A handle with a smaller non-zero generation than the slot's was
 * issued once and is stale (EXO_ESTALE); any other mismatch was never issued (EXO_EBADHANDLE).
 * Generations are 31 bits: a slot reused 2^31 times wraps, and a handle kept that long could match
 * again (documented in docs/CAPABILITIES.md). */
#ifndef PLADOF_KERNEL_CORE_CSPACE_H
#define PLADOF_KERNEL_CORE_CSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include <pladof/exo.h>

struct obj;
struct cspace;
struct mapping;

struct cap {
    struct obj *obj;          /* the object; NULL in an empty slot */
    uint64_t rights;          /* EXO_R_* mask */
    uint64_t badge;           /* 0 if none; set once */
    /* derivation tree: first-child / next-sibling links (plus prev and parent for O(1) unlink) */
    struct cap *parent, *first_child, *next_sib, *prev_sib;
    struct mapping *maps;     /* mappings made through this capability (memory capabilities) */
    struct cspace *cs;        /* the capability space holding this slot */
    uint32_t gen;             /* see above */
    uint32_t type;            /* EXO_OBJ_* copy of obj->type, EXO_OBJ_NONE when empty */
    uint32_t next_free;       /* free-list link while empty */
    uint32_t pad;
    /* Reserved for later issues (ROADMAP wave 2); always zero now, never read by this code. */
    uint32_t label;           /* security-lattice label id */
    uint32_t policy_term;     /* typed lambda-calculus policy term id */
    uint8_t auth_token[64];   /* 512-bit KMAC authentication token ("octonion" token) */
};

#define CSPACE_NO_SLOT 0xffffffffu

struct cspace {
    struct cap slots[EXO_CSPACE_SLOTS];
    uint32_t free_head;       /* first free slot or CSPACE_NO_SLOT */
    uint32_t used;            /* occupied slots */
    struct domain *owner;
};

void cspace_init(struct cspace *cs, struct domain *owner);

/* Looks up handle h and checks it in one step: the slot must hold a capability of the given type
 * (EXO_OBJ_NONE: any type) that has every right in `rights`. Returns 0 and sets *out, or
 * EXO_EBADHANDLE / EXO_ESTALE / EXO_EWRONGTYPE / EXO_EPERM. Changes nothing. */
static inline int cspace_lookup(struct cspace *cs, exo_handle_t h, uint32_t type, uint64_t rights,
                                struct cap **out)
{
    uint32_t idx = EXO_HANDLE_SLOT(h), gen = EXO_HANDLE_GEN(h);
    if (idx >= EXO_CSPACE_SLOTS || (h >> 63) != 0)
        return EXO_EBADHANDLE;
    struct cap *c = &cs->slots[idx];
    if (c->gen != gen || c->type == EXO_OBJ_NONE)
        return (gen != 0 && gen < c->gen) ? EXO_ESTALE : EXO_EBADHANDLE;
    if (type != EXO_OBJ_NONE && c->type != type)
        return EXO_EWRONGTYPE;
    if ((c->rights & rights) != rights)
        return EXO_EPERM;
    *out = c;
    return 0;
}

static inline bool cspace_has_free(const struct cspace *cs)
{
    return cs->free_head != CSPACE_NO_SLOT;
}

/* Takes a free slot (the caller checked cspace_has_free) and returns it, empty but with its links
 * cleared; the caller fills it. */
struct cap *cspace_slot_take(struct cspace *cs);
/* Empties an occupied slot: clears it, bumps the generation, puts it on the free list. */
void cspace_slot_give(struct cap *c);

/* The handle naming an occupied slot. */
exo_handle_t cap_handle(const struct cap *c);

#endif
