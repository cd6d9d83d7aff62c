/* verifier.c - the verifier's driver: path exploration, state pruning, loop detection.
 *
 * Exploration is depth-first. The current path is executed instruction by instruction
 * (verifier_step.c); at a conditional jump whose outcome is unknown the other side is saved on
 * a stack of pending paths (LIFO), and when a path ends (exit from the main program, or pruned)
 * the most recent pending path resumes. Every instruction executed on any path counts against
 * the budget, so exploration always ends: a loop the abstract domain cannot prove finite ends
 * in "too complex" (or, when a state repeats exactly, "infinite loop").
 *
 * Pruning: at jump targets ("prune points") the state is compared with the states stored there
 * before. A stored state keeps a count of live paths below it (the current one and pending
 * ones); when that count is zero, everything reachable from it has been verified safe, so a new
 * state it subsumes (every value the new state allows the old one allowed too) is safe as well
 * and the path stops. A stored state that is still live is an ancestor of the current path
 * (with LIFO exploration, live records are exactly the ancestors): if the new state equals it,
 * the program can go round that loop forever, and it is rejected; if the new state is merely
 * subsumed, nothing is concluded and exploration continues (the loop may still make progress
 * in values the domain tracks exactly).
 *
 * Work area layout: struct vctx, per-instruction flags, list heads and live registers, then an
 * arena where stored records grow upward and pending paths downward. */
#include "lib/ebpf/verifier.h"

#include "lib/base/mem.h"
#include "lib/ebpf/verifier_internal.h"

#define NONE UINT32_MAX
#define MAX_COMPARE 32      /* stored states compared per prune point visit (most recent first) */
#define STORE_GAP 8         /* store a new state only after this many explored instructions */

struct record {
    uint32_t next;          /* next record at the same instruction (arena offset + 1), 0 = end */
    uint32_t parent;        /* arena offset of the parent record, NONE for the root */
    uint32_t live;          /* live paths at or below this record */
    uint32_t pad;
    struct vstate st;       /* variable length: VSTATE_SIZE(st.nframes) */
};

struct pending {
    uint32_t pc, parent;
    uint64_t size;          /* bytes of this entry including the state */
    struct vstate st;
};

#define REC_HDR offsetof(struct record, st)
#define PEND_HDR offsetof(struct pending, st)

static size_t align8(size_t x) { return (x + 7) & ~(size_t)7; }

void ebpf_vcopy(struct vstate *dst, const struct vstate *src)
{
    memcpy(dst, src, VSTATE_SIZE(src->nframes));
}

static struct record *rec_at(struct vctx *c, uint32_t off)
{
    return (struct record *)(void *)(c->arena + off);
}

int ebpf_vpush(struct vctx *c, const struct vstate *s, uint32_t pc)
{
    size_t need = align8(PEND_HDR + VSTATE_SIZE(s->nframes));
    if (c->hi - c->lo < need)
        return ebpf_vreject(c->res, pc, "program too complex: too many pending branches for the verifier's memory");
    c->hi -= need;
    struct pending *p = (struct pending *)(void *)(c->arena + c->hi);
    p->pc = pc, p->parent = c->parent, p->size = need;
    ebpf_vcopy(&p->st, s);
    if (c->parent != NONE)
        rec_at(c, c->parent)->live++;
    return 0;
}

/* The current path ended: release its hold on the records above it. */
static void path_done(struct vctx *c)
{
    uint32_t r = c->parent;
    while (r != NONE) {
        struct record *rec = rec_at(c, r);
        if (--rec->live)
            break;
        r = rec->parent;
    }
}

/* --- state comparison --- */

struct idmap {
    uint32_t n;
    uint32_t old[64], cur[64];
};

/* Ids of the old and the new state must correspond one to one. */
static bool id_match(struct idmap *m, uint32_t old, uint32_t cur)
{
    if (old == VID_LEN || cur == VID_LEN)
        return old == cur;
    for (uint32_t k = 0; k < m->n; k++)
        if (m->old[k] == old || m->cur[k] == cur)
            return m->old[k] == old && m->cur[k] == cur;
    if (m->n == 64)
        return false;
    m->old[m->n] = old, m->cur[m->n] = cur, m->n++;
    return true;
}

/* Is every concrete register value allowed by `cur` also allowed by `old` (exact: equal)? */
static bool reg_covered(const struct vreg *cur, const struct vreg *old, bool exact,
                        struct idmap *m)
{
    if (old->type == VT_UNINIT)
        return !exact || cur->type == VT_UNINIT;
    if (cur->type != old->type || cur->frame != old->frame || cur->map != old->map)
        return false;
    if (exact ? !scal_equal(&cur->v, &old->v) : !scal_subset(&cur->v, &old->v))
        return false;
    if (exact ? cur->room != old->room : cur->room < old->room) /* less room: less known */
        return false;
    if (old->id == 0)
        return !exact || cur->id == 0;
    return cur->id != 0 && cur->delta == old->delta && id_match(m, old->id, cur->id);
}

/* Compares cur with old at instruction pc, ignoring registers dead there (for a caller's frame:
 * dead after the call returns; r0-r5 of callers are redefined or clobbered by the return). */
static bool state_covered(const struct vctx *c, uint32_t pc, const struct vstate *cur,
                          const struct vstate *old, bool exact)
{
    struct idmap m;
    m.n = 0;
    if (cur->nframes != old->nframes || cur->input_min < old->input_min)
        return false;
    if (exact && cur->input_min != old->input_min)
        return false;
    for (uint32_t k = 0; k < cur->nframes; k++) {
        const struct vframe *cf = &cur->f[k], *of = &old->f[k];
        if (k && cf->callsite != of->callsite)
            return false;
        uint16_t live = k + 1 == cur->nframes ? c->live[pc]
                                              : (uint16_t)(c->live[cur->f[k + 1].callsite + 1] & ~0x3fu);
        for (unsigned r = 0; r < EBPF_NREGS; r++)
            if ((live >> r & 1) && !reg_covered(&cf->r[r], &of->r[r], exact, &m))
                return false;
        for (unsigned slot = 0; slot < STACK_SLOTS; slot++) {
            /* Whole 8-byte slots first: identical non-spill kinds (the common case) and
             * never-written slots need no per-byte work. */
            uint64_t o8, n8;
            memcpy(&o8, of->sk + slot * 8, 8);
            memcpy(&n8, cf->sk + slot * 8, 8);
            bool spill = of->sk[slot * 8] == SB_SPILL;
            if (exact) {
                if (o8 != n8 ||
                    (spill && !reg_covered(&cf->spill[slot], &of->spill[slot], true, &m)))
                    return false;
                continue;
            }
            if (o8 == 0 || (o8 == n8 && !spill))
                continue;
            if (spill) {
                if (cf->sk[slot * 8] != SB_SPILL ||
                    !reg_covered(&cf->spill[slot], &of->spill[slot], false, &m))
                    return false;
                continue;
            }
            for (unsigned b = slot * 8; b < slot * 8 + 8; b++) {
                uint8_t o = of->sk[b], n = cf->sk[b];
                /* old MISC only knew "some data": a spilled pointer would behave differently */
                if (o == SB_MISC &&
                    (n == SB_INVALID || (n == SB_SPILL && cf->spill[slot].type != VT_SCALAR)))
                    return false;
            }
        }
    }
    return true;
}

/* At a prune point: 1 = prune this path, 0 = continue (state stored), -1 = rejected. */
static int visit(struct vctx *c, uint32_t pc)
{
    uint32_t k = 0;
    for (uint32_t r = c->heads[pc]; r && k < MAX_COMPARE; r = rec_at(c, r - 1)->next, k++) {
        struct record *rec = rec_at(c, r - 1);
        if (rec->live == 0) {
            if (state_covered(c, pc, &c->cur, &rec->st, false)) {
                c->res->states_pruned++;
                return 1;
            }
        } else if (state_covered(c, pc, &c->cur, &rec->st, true)) {
            return ebpf_vreject(c->res, pc, "infinite loop: the state at this instruction repeats");
        }
    }
    /* Storing every visit of a tight loop's head costs memory and comparisons for little
     * pruning; storing is optional for soundness (it only enables pruning and loop detection,
     * and a repeating state still meets its first stored copy). */
    if (c->res->explored - c->last_store < STORE_GAP && c->heads[pc])
        return 0;
    size_t need = align8(REC_HDR + VSTATE_SIZE(c->cur.nframes));
    /* A quarter of the arena stays for pending paths, so that running out of room to store
     * states (only less pruning) never turns into running out of room to branch. */
    if (c->hi - c->lo < need + c->arena_size / 4 || c->lo + need > UINT32_MAX)
        return 0;
    c->last_store = c->res->explored;
    uint32_t off = (uint32_t)c->lo;
    c->lo += need;
    struct record *rec = rec_at(c, off);
    rec->next = c->heads[pc], rec->parent = c->parent, rec->live = 1;
    ebpf_vcopy(&rec->st, &c->cur);
    c->heads[pc] = off + 1;
    c->parent = off;
    c->res->states_stored++;
    return 0;
}

static void init_state(struct vctx *c)
{
    struct vstate *s = &c->cur;
    struct vframe *f = &s->f[0];
    memset(f, 0, sizeof(*f));
    s->nframes = 1;
    s->input_min = c->cfg->min_input > EBPF_VERIFIER_MAX_INPUT ? EBPF_VERIFIER_MAX_INPUT
                                                               : c->cfg->min_input;
    f->r[1] = (struct vreg){ .type = VT_INPUT, .v = scal_const(0) };
    f->r[2] = (struct vreg){ .type = VT_SCALAR, .id = VID_LEN, .v = scal_unknown() };
    f->r[2].v.umin = s->input_min;
    scal_sync(&f->r[2].v);
    f->r[10] = (struct vreg){ .type = VT_STACK, .frame = 0, .v = scal_const(0) };
    c->next_id = VID_LEN;
}

static int explore(struct vctx *c)
{
    uint64_t budget = c->cfg->budget ? c->cfg->budget : EBPF_VERIFIER_DEFAULT_BUDGET;
    uint32_t pc = 0;
    init_state(c);
    for (;;) {
        if (++c->res->explored > budget)
            return ebpf_vreject(c->res, pc, "program too complex: explored more than %llu "
                                "instructions (unbounded loop?)", (unsigned long long)budget);
        int st = VSTEP_NEXT;
        if (c->flags[pc] & CFG_PRUNE) {
            int v = visit(c, pc);
            if (v < 0)
                return -1;
            if (v > 0)
                st = VSTEP_END;
        }
        if (st == VSTEP_NEXT)
            st = ebpf_vstep(c, &pc);
        if (st == VSTEP_ERR)
            return -1;
        if (st == VSTEP_NEXT)
            continue;
        path_done(c);
        if (c->hi == c->arena_size)
            return 0; /* no pending path: everything explored */
        struct pending *p = (struct pending *)(void *)(c->arena + c->hi);
        pc = p->pc;
        c->parent = p->parent;
        ebpf_vcopy(&c->cur, &p->st);
        c->hi += p->size;
    }
}

int ebpf_verify(const struct ebpf_insn *prog, uint32_t len, const struct ebpf_verifier_cfg *cfg,
                void *work, size_t work_size, struct ebpf_verifier_result *res)
{
    memset(res, 0, sizeof(*res));
    res->max_depth = 1;
    size_t head = align8(sizeof(struct vctx));
    size_t flags_sz = align8(len), heads_sz = align8((size_t)len * 4);
    size_t live_sz = align8((size_t)len * 2);
    uintptr_t w = (uintptr_t)work;
    if (!work || (w & 7) || len > EBPF_MAX_INSNS ||
        work_size < head + flags_sz + heads_sz + live_sz + 4 * sizeof(struct pending))
        return ebpf_vreject(res, 0, "out of verifier memory (work area of %llu bytes too small)",
                            (unsigned long long)work_size);
    if (cfg->nmaps > EBPF_VERIFIER_MAX_MAPS || (cfg->nmaps && !cfg->maps))
        return ebpf_vreject(res, 0, "bad map table (%u maps)", cfg->nmaps);
    struct vctx *c = work;
    memset(c, 0, sizeof(*c));
    c->p = prog, c->len = len, c->cfg = cfg, c->res = res;
    c->flags = (uint8_t *)work + head;
    c->heads = (uint32_t *)(void *)((uint8_t *)work + head + flags_sz);
    c->live = (uint16_t *)(void *)((uint8_t *)work + head + flags_sz + heads_sz);
    c->arena = (uint8_t *)work + head + flags_sz + heads_sz + live_sz;
    c->arena_size = (work_size - head - flags_sz - heads_sz - live_sz) & ~(size_t)7;
    c->lo = 0, c->hi = c->arena_size;
    c->parent = NONE;
    /* the cfg pass borrows the list heads as its work list */
    if (ebpf_cfg_check(prog, len, cfg, c->flags, c->heads, res))
        return -1;
    memset(c->heads, 0, (size_t)len * 4);
    ebpf_live_compute(prog, len, cfg, c->flags, c->live);
    if (explore(c))
        return -1;
    res->ok = 1;
    return 0;
}
