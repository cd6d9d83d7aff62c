/* cap_check.c - the capability-side invariant checker (tests, fuzzing, debug builds).
 *
 * Verifies, over every domain's capability space and every live object:
 *  - an occupied slot names a live object of the type it records, and holds rights within EXO_R_ALL;
 *  - derivation links agree (child->parent, sibling prev/next), every capability is reachable from a
 *    root by child links (so the parent relation has no cycle) and the reserved fields are zero;
 *  - reference counts equal capabilities + internal references + kernel references;
 *  - mapping records: linked from their capability and their address space, inside user space and
 *    inside their memory object, non-overlapping, and mapped_pages adds up.
 * It reads only; `scratch` fields of objects are its working storage. */
#include <stdbool.h>

#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/capcore.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

/* An object is live from obj_init until it is reaped. (Reading a reaped object's storage is itself a
 * bug the sanitizers report in hosted runs.) */
CAPCORE_CHECKER static bool obj_live(const struct obj *o)
{
    return o && o->live == OBJ_LIVE;
}

/* Checks one capability's own fields and the links to its children. */
CAPCORE_CHECKER static int check_slot(const struct cap *c, const char **why)
{
    if (!c->obj || c->obj->type != c->type)
        FAIL("cap_check: slot type disagrees with its object");
    if (c->rights & ~(uint64_t)EXO_R_ALL)
        FAIL("cap_check: rights outside EXO_R_ALL");
    if (c->label || c->policy_term)
        FAIL("cap_check: reserved label/policy fields are not zero");
    for (unsigned i = 0; i < sizeof c->auth_token; i++)
        if (c->auth_token[i])
            FAIL("cap_check: reserved token is not zero");
    const struct cap *prev = NULL;
    for (const struct cap *ch = c->first_child; ch; prev = ch, ch = ch->next_sib) {
        if (ch->parent != c || ch->prev_sib != prev || ch->type == EXO_OBJ_NONE)
            FAIL("cap_check: child links disagree");
    }
    if (c->parent == NULL && (c->prev_sib || c->next_sib))
        FAIL("cap_check: a root has siblings");
    if (c->parent && c->parent->type == EXO_OBJ_NONE)
        FAIL("cap_check: parent slot is empty");
    for (const struct mapping *m = c->maps; m; m = m->cap_next) {
        bool memmap = c->type == EXO_OBJ_MEMORY && m->mem == (const struct memobj *)c->obj;
        bool devmap = c->type == EXO_OBJ_DEVICE && m->mem == NULL && (m->perms & CAPENV_MAP_UC);
        if (m->cap != c || !(memmap || devmap))
            FAIL("cap_check: mapping record does not belong to its capability");
        if (m->as->hdr.type != EXO_OBJ_ASPACE)
            FAIL("cap_check: mapping in a non-address-space");
    }
    return 0;
}

/* Counts the capabilities reachable from root by child links (iterative pre-order, O(1) memory). */
CAPCORE_CHECKER static uint64_t count_tree(const struct cap *root)
{
    uint64_t n = 1;
    const struct cap *c = root;
    for (;;) {
        if (c->first_child) {
            c = c->first_child;
            n++;
            continue;
        }
        while (c != root && !c->next_sib)
            c = c->parent;
        if (c == root)
            return n;
        c = c->next_sib;
        n++;
    }
}

CAPCORE_CHECKER static int check_aspace(const struct aspace *as, const char **why)
{
    uint64_t pages = 0;
    const struct mapping *prev = NULL;
    for (const struct mapping *m = as->maps; m; prev = m, m = m->as_next) {
        if (m->as != as || m->as_prev != prev)
            FAIL("cap_check: address-space mapping list broken");
        if (m->npages == 0 || m->va % EXO_PAGE_SIZE || m->va < EXO_USER_VA_MIN ||
            m->va > EXO_USER_VA_END || m->npages > (EXO_USER_VA_END - m->va) / EXO_PAGE_SIZE)
            FAIL("cap_check: mapping outside user space");
        if ((m->cap->type != EXO_OBJ_MEMORY && m->cap->type != EXO_OBJ_DEVICE) || !obj_live(m->cap->obj))
            FAIL("cap_check: mapping's capability is gone");
        if (m->mem && (m->pgoff > m->mem->npages || m->npages > m->mem->npages - m->pgoff))
            FAIL("cap_check: mapping beyond its memory object");
        for (const struct mapping *o = m->as_next; o; o = o->as_next)
            if (o->va < m->va + m->npages * EXO_PAGE_SIZE && m->va < o->va + o->npages * EXO_PAGE_SIZE)
                FAIL("cap_check: overlapping mappings");
        pages += m->npages;
    }
    if (pages != as->mapped_pages)
        FAIL("cap_check: mapped_pages disagrees with the records");
    return 0;
}

CAPCORE_CHECKER int cap_check(const char **why)
{
    struct obj *o;
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->live != OBJ_LIVE)
            FAIL("cap_check: an object in the registry is not marked live");
        o->scratch = o->krefs;
    }
    /* internal references */
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->type == EXO_OBJ_MEMORY)
            ((struct memobj *)o)->quota->hdr.scratch++;
        else if (o->type == EXO_OBJ_ASPACE)
            ((struct aspace *)o)->quota->hdr.scratch++;
        else if (o->type == EXO_OBJ_QUOTA && ((struct quota *)o)->parent)
            ((struct quota *)o)->parent->hdr.scratch++;
        else if (obj_type_ops(o->type) && obj_type_ops(o->type)->count_refs)
            obj_type_ops(o->type)->count_refs(o);
    }
    uint64_t caps = 0, reached = 0;
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->type != EXO_OBJ_DOMAIN)
            continue;
        const struct cspace *cs = &((struct domain *)o)->cs;
        uint32_t used = 0;
        for (uint32_t i = 0; i < EXO_CSPACE_SLOTS; i++) {
            const struct cap *c = &cs->slots[i];
            if (c->cs != cs)
                FAIL("cap_check: slot's back-pointer is wrong");
            if (c->type == EXO_OBJ_NONE)
                continue;
            if (c->gen == 0)
                FAIL("cap_check: occupied slot with generation 0");
            if (!obj_live(c->obj))
                FAIL("cap_check: capability names a dead object");
            if (check_slot(c, why))
                return -1;
            c->obj->scratch++;
            used++;
            caps++;
        }
        if (used != cs->used)
            FAIL("cap_check: cspace used count disagrees");
    }
    /* Only now are all child lists known to be well formed, so the walks terminate. */
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->type != EXO_OBJ_DOMAIN)
            continue;
        const struct cspace *cs = &((struct domain *)o)->cs;
        for (uint32_t i = 0; i < EXO_CSPACE_SLOTS; i++)
            if (cs->slots[i].type != EXO_OBJ_NONE && !cs->slots[i].parent)
                reached += count_tree(&cs->slots[i]);
    }
    if (reached != caps)
        FAIL("cap_check: a capability is not reachable from a root (cycle or lost link)");
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->scratch != o->refs)
            FAIL("cap_check: reference count disagrees with capabilities + internal references");
        if (o->type == EXO_OBJ_ASPACE && check_aspace((struct aspace *)o, why))
            return -1;
    }
    return 0;
}
