/* dag.c - the copy-on-write concurrent DAG (see dag.h for the guarantees).
 *
 * Snapshot layout (all uint64_t words, W = ceil(max_nodes / 64)):
 *   [0] commit version   [1] nodes | edges << 32   [2 .. 2+W) present bitset
 *   then max_nodes adjacency rows of W words (row v = successors of v), then max_nodes generations.
 * Snapshot states: FREE (never used or abandoned), BUILDING (owned by one writer), LIVE (root, or
 * just replaced and not yet marked), RETIRED (replaced; reusable once no hazard names it).
 *
 * Reclamation argument (hazard pointers). A reader or writer publishes "idx + 1" in its hazard
 * slot, then re-reads the root; it uses the snapshot only if the root is unchanged. A writer
 * replaces the root with a seq_cst CAS and then marks the old snapshot RETIRED; an allocator that
 * sees RETIRED scans all hazard slots (seq_cst) before claiming it. In the single order of seq_cst
 * operations either the scan sees the hazard (the snapshot is skipped), or the hazard store comes
 * after the scan, hence after the CAS, so the re-read of the root fails and the snapshot is never
 * read. Every hand-over of a snapshot's memory goes through a release/acquire pair (root CAS,
 * state CAS, hazard store), so the plain reads and writes of snapshot contents never race. */
#include <stdbool.h>

#include "lib/base/mem.h"
#include "lib/dag/dag.h"
#include "lib/sync/spin.h"

enum { SNAP_FREE, SNAP_BUILDING, SNAP_LIVE, SNAP_RETIRED };
enum { OP_ADD_NODE, OP_REMOVE_NODE, OP_ADD_EDGE, OP_REMOVE_EDGE };

#define HDR_WORDS 2
#define IDX_BITS 16
#define IDX_MASK 0xffffu
#define HAZ_STRIDE 8 /* words: one hazard slot per 64-byte line */
#define MAX_WORDS (DAG_MAX_NODES / 64)

static uint32_t words_for(uint32_t n) { return (n + 63) / 64; }

static size_t snap_words_for(uint32_t n)
{
    uint32_t w = words_for(n);
    return HDR_WORDS + w + (size_t)n * w + n;
}

static size_t round64(size_t b) { return (b + 63) & ~(size_t)63; }

size_t dag_storage_bytes(uint32_t max_nodes, uint32_t participants)
{
    if (max_nodes == 0 || max_nodes > DAG_MAX_NODES || participants == 0 ||
        participants > DAG_MAX_PARTICIPANTS)
        return 0;
    uint32_t k = 2 * participants + 2;
    return (size_t)participants * 64 + round64(k * sizeof(uint32_t)) +
           (size_t)k * snap_words_for(max_nodes) * sizeof(uint64_t);
}

/* ---- snapshot accessors ---- */
static uint64_t *snap(const dag_t *g, uint32_t i) { return g->snaps + (size_t)i * g->snap_words; }
static uint64_t *present(uint64_t *s) { return s + HDR_WORDS; }
static uint64_t *row(const dag_t *g, uint64_t *s, uint32_t v)
{
    return s + HDR_WORDS + g->words + (size_t)v * g->words;
}
static uint64_t *gens(const dag_t *g, uint64_t *s)
{
    return s + HDR_WORDS + g->words + (size_t)g->max_nodes * g->words;
}
static bool bit(const uint64_t *set, uint32_t i) { return set[i / 64] >> (i % 64) & 1; }
static void set_bit(uint64_t *set, uint32_t i) { set[i / 64] |= 1ull << (i % 64); }
static void clear_bit(uint64_t *set, uint32_t i) { set[i / 64] &= ~(1ull << (i % 64)); }
static uint32_t nodes_of(const uint64_t *s) { return (uint32_t)s[1]; }
static uint32_t edges_of(const uint64_t *s) { return (uint32_t)(s[1] >> 32); }
static void set_counts(uint64_t *s, uint32_t nodes, uint32_t edges)
{
    s[1] = (uint64_t)edges << 32 | nodes;
}

static bool valid(const dag_t *g, uint64_t *s, dag_node_t h)
{
    uint32_t idx = (uint32_t)h;
    return idx < g->max_nodes && bit(present(s), idx) && gens(g, s)[idx] == h >> 32;
}

int dag_init(dag_t *g, void *storage, size_t bytes, uint32_t max_nodes, uint32_t participants)
{
    size_t need = dag_storage_bytes(max_nodes, participants);
    if (!g || !storage || need == 0 || bytes < need || ((uintptr_t)storage & 63))
        return DAG_EINVAL;
    g->max_nodes = max_nodes;
    g->words = words_for(max_nodes);
    g->participants = participants;
    g->nsnap = 2 * participants + 2;
    g->snap_words = snap_words_for(max_nodes);
    unsigned char *p = storage;
    g->hazard = (uint64_t *)p;
    p += (size_t)participants * 64;
    g->state = (uint32_t *)p;
    p += round64(g->nsnap * sizeof(uint32_t));
    g->snaps = (uint64_t *)p;

    for (uint32_t i = 0; i < participants; i++)
        __atomic_store_n(&g->hazard[i * HAZ_STRIDE], 0, __ATOMIC_RELAXED);
    for (uint32_t i = 0; i < g->nsnap; i++)
        __atomic_store_n(&g->state[i], i == 0 ? SNAP_LIVE : SNAP_FREE, __ATOMIC_RELAXED);
    uint64_t *s0 = snap(g, 0);
    memset(s0, 0, g->snap_words * sizeof(uint64_t));
    for (uint32_t v = 0; v < max_nodes; v++)
        gens(g, s0)[v] = 1;
    __atomic_store_n(&g->root, 0, __ATOMIC_RELEASE); /* version 0, snapshot 0 */
    return 0;
}

/* ---- hazard pointers and the snapshot pool ---- */
static uint64_t protect(dag_t *g, uint32_t self)
{
    uint64_t *hz = &g->hazard[self * HAZ_STRIDE];
    for (;;) {
        uint64_t r = __atomic_load_n(&g->root, __ATOMIC_SEQ_CST);
        __atomic_store_n(hz, (r & IDX_MASK) + 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&g->root, __ATOMIC_SEQ_CST) == r)
            return r;
    }
}

static void unprotect(dag_t *g, uint32_t self)
{
    __atomic_store_n(&g->hazard[self * HAZ_STRIDE], 0, __ATOMIC_RELEASE);
}

static bool hazarded(dag_t *g, uint32_t idx)
{
    for (uint32_t p = 0; p < g->participants; p++)
        if (__atomic_load_n(&g->hazard[p * HAZ_STRIDE], __ATOMIC_SEQ_CST) == (uint64_t)idx + 1)
            return true;
    return false;
}

/* Claims a FREE snapshot, or a RETIRED one no hazard names. One always exists (dag.h); the loop
 * repeats only while other threads' operations move snapshots between states. */
static uint32_t alloc_snap(dag_t *g, uint32_t self)
{
    for (uint32_t iter = 0;; spin_wait_step(iter++)) {
        for (uint32_t j = 0; j < g->nsnap; j++) {
            uint32_t i = (self * 2 + j) % g->nsnap;
            uint32_t st = __atomic_load_n(&g->state[i], __ATOMIC_ACQUIRE);
            if (st != SNAP_FREE && !(st == SNAP_RETIRED && !hazarded(g, i)))
                continue;
            if (!__atomic_compare_exchange_n(&g->state[i], &st, SNAP_BUILDING, false, __ATOMIC_SEQ_CST,
                                             __ATOMIC_RELAXED))
                continue;
            /* Re-check after the claim: between our hazard scan and the CAS the snapshot may have been
             * reused, published, protected by a reader and retired again (ABA on RETIRED), so the scan
             * above may be stale. A reader that validated this snapshot as the root did so before it
             * was retired again, hence before our claim: its hazard is visible now. One that protects
             * it later fails validation (it is no longer the root). */
            if (hazarded(g, i)) {
                __atomic_store_n(&g->state[i], st, __ATOMIC_RELEASE);
                continue;
            }
            return i;
        }
    }
}

/* ---- graph algorithms on one snapshot ---- */
static bool reaches(const dag_t *g, uint64_t *s, uint32_t from, uint32_t to)
{
    uint64_t seen[MAX_WORDS], frontier[MAX_WORDS], next[MAX_WORDS];
    uint32_t w = g->words;
    if (from == to)
        return true;
    memset(seen, 0, w * sizeof(uint64_t)); /* only the words in use: MAX_WORDS is 512 bytes */
    memset(frontier, 0, w * sizeof(uint64_t));
    set_bit(seen, from);
    set_bit(frontier, from);
    for (;;) {
        memset(next, 0, w * sizeof(uint64_t));
        for (uint32_t i = 0; i < w; i++)
            for (uint64_t m = frontier[i]; m; m &= m - 1) {
                const uint64_t *r = row(g, s, i * 64 + (uint32_t)__builtin_ctzll(m));
                for (uint32_t k = 0; k < w; k++)
                    next[k] |= r[k];
            }
        uint64_t any = 0;
        for (uint32_t k = 0; k < w; k++) {
            next[k] &= ~seen[k];
            seen[k] |= next[k];
            any |= next[k];
            frontier[k] = next[k];
        }
        if (bit(seen, to))
            return true;
        if (!any)
            return false;
    }
}

/* Decides a change against snapshot s: DAG_OK if it must be applied, else the final answer.
 * For OP_ADD_NODE, *slot receives the node index to use. */
static int decide(const dag_t *g, uint64_t *s, int op, dag_node_t a, dag_node_t b, uint32_t *slot)
{
    switch (op) {
    case OP_ADD_NODE:
        for (uint32_t i = 0; i < g->words; i++) {
            uint64_t freebits = ~present(s)[i];
            if (freebits && i * 64 + (uint32_t)__builtin_ctzll(freebits) < g->max_nodes) {
                *slot = i * 64 + (uint32_t)__builtin_ctzll(freebits);
                return DAG_OK;
            }
        }
        return DAG_EFULL;
    case OP_REMOVE_NODE:
        return valid(g, s, a) ? DAG_OK : DAG_ENOENT;
    case OP_ADD_EDGE:
        if (!valid(g, s, a) || !valid(g, s, b))
            return DAG_ENOENT;
        if (bit(row(g, s, (uint32_t)a), (uint32_t)b))
            return DAG_NOCHANGE;
        /* a -> b closes a cycle iff a is reachable from b (a == b: the empty path). */
        return reaches(g, s, (uint32_t)b, (uint32_t)a) ? DAG_ECYCLE : DAG_OK;
    default: /* OP_REMOVE_EDGE */
        if (!valid(g, s, a) || !valid(g, s, b))
            return DAG_ENOENT;
        return bit(row(g, s, (uint32_t)a), (uint32_t)b) ? DAG_OK : DAG_NOCHANGE;
    }
}

/* Bit count without __builtin_popcount, which the kernel build (no POPCNT) turns into a libgcc call. */
static uint32_t popcount64(uint64_t x)
{
    x = x - (x >> 1 & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + (x >> 2 & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

static uint32_t popcount_row(const dag_t *g, const uint64_t *r)
{
    uint32_t c = 0;
    for (uint32_t k = 0; k < g->words; k++)
        c += popcount64(r[k]);
    return c;
}

/* Applies a decided change to the private copy s. */
static void apply(const dag_t *g, uint64_t *s, int op, dag_node_t a, dag_node_t b, uint32_t slot,
                  dag_node_t *out)
{
    uint32_t nodes = nodes_of(s), edges = edges_of(s), ia = (uint32_t)a, ib = (uint32_t)b;
    switch (op) {
    case OP_ADD_NODE:
        set_bit(present(s), slot);
        *out = gens(g, s)[slot] << 32 | slot;
        nodes++;
        break;
    case OP_REMOVE_NODE: {
        clear_bit(present(s), ia);
        uint64_t gen = (gens(g, s)[ia] + 1) & 0xffffffffu;
        gens(g, s)[ia] = gen ? gen : 1; /* handles never have generation 0 */
        uint64_t *r = row(g, s, ia);
        edges -= popcount_row(g, r);
        memset(r, 0, g->words * sizeof(uint64_t));
        for (uint32_t v = 0; v < g->max_nodes; v++)
            if (bit(row(g, s, v), ia)) {
                clear_bit(row(g, s, v), ia);
                edges--;
            }
        nodes--;
        break;
    }
    case OP_ADD_EDGE:
        set_bit(row(g, s, ia), ib);
        edges++;
        break;
    default:
        clear_bit(row(g, s, ia), ib);
        edges--;
        break;
    }
    set_counts(s, nodes, edges);
}

/* The writer loop shared by every change. */
static int mutate(dag_t *g, uint32_t self, int op, dag_node_t a, dag_node_t b, dag_node_t *out,
                  uint64_t *version)
{
    if (!g || self >= g->participants)
        return DAG_EINVAL;
    int64_t mine = -1;
    for (;;) {
        uint64_t r = protect(g, self);
        uint64_t *cur = snap(g, (uint32_t)(r & IDX_MASK));
        uint32_t slot = 0;
        int rc = decide(g, cur, op, a, b, &slot);
        if (rc != DAG_OK) {
            unprotect(g, self);
            if (mine >= 0)
                __atomic_store_n(&g->state[mine], SNAP_FREE, __ATOMIC_RELEASE);
            if (version)
                *version = r >> IDX_BITS;
            return rc;
        }
        if (mine < 0)
            mine = alloc_snap(g, self);
        uint64_t *nx = snap(g, (uint32_t)mine);
        memcpy(nx, cur, g->snap_words * sizeof(uint64_t));
        dag_node_t made = 0;
        apply(g, nx, op, a, b, slot, &made);
        uint64_t v = (r >> IDX_BITS) + 1;
        nx[0] = v;
        /* Mark ours LIVE before publishing it: once the CAS succeeds another writer may replace it
         * at once and mark it RETIRED, and a LIVE store of ours after that would hide it from every
         * allocator for ever (a leak that ends in an exhausted pool). */
        __atomic_store_n(&g->state[mine], SNAP_LIVE, __ATOMIC_RELAXED);
        if (__atomic_compare_exchange_n(&g->root, &r, v << IDX_BITS | (uint64_t)mine, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            __atomic_store_n(&g->state[r & IDX_MASK], SNAP_RETIRED, __ATOMIC_RELEASE);
            unprotect(g, self);
            if (out)
                *out = made;
            if (version)
                *version = v;
            return DAG_OK;
        }
        /* Another commit won: still ours (allocators skip LIVE); decide again on the new root. */
        __atomic_store_n(&g->state[mine], SNAP_BUILDING, __ATOMIC_RELAXED);
    }
}

int dag_add_node(dag_t *g, uint32_t self, dag_node_t *out, uint64_t *version)
{
    if (!out)
        return DAG_EINVAL;
    return mutate(g, self, OP_ADD_NODE, 0, 0, out, version);
}

int dag_remove_node(dag_t *g, uint32_t self, dag_node_t n, uint64_t *version)
{
    return mutate(g, self, OP_REMOVE_NODE, n, 0, 0, version);
}

int dag_add_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version)
{
    return mutate(g, self, OP_ADD_EDGE, from, to, 0, version);
}

int dag_remove_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version)
{
    return mutate(g, self, OP_REMOVE_EDGE, from, to, 0, version);
}

/* ---- reads ---- */
enum { RD_HAS_EDGE, RD_REACHABLE, RD_SUCCESSORS, RD_STATS, RD_TOPO };

struct read_args {
    dag_node_t a, b, *out;
    uint32_t cap, *nodes, *edges;
};

static int topo(const dag_t *g, uint64_t *s, dag_node_t *out, uint32_t cap)
{
    uint32_t n = nodes_of(s), w = g->words, count = 0;
    if (cap < n)
        return DAG_EINVAL;
    uint64_t left[MAX_WORDS], has_pred[MAX_WORDS];
    memcpy(left, present(s), w * sizeof(uint64_t));
    /* Repeatedly emit every remaining node with no remaining predecessor. */
    while (count < n) {
        memset(has_pred, 0, w * sizeof(uint64_t));
        for (uint32_t i = 0; i < w; i++)
            for (uint64_t m = left[i]; m; m &= m - 1) {
                const uint64_t *r = row(g, s, i * 64 + (uint32_t)__builtin_ctzll(m));
                for (uint32_t k = 0; k < w; k++)
                    has_pred[k] |= r[k];
            }
        uint32_t emitted = 0;
        for (uint32_t i = 0; i < w; i++) {
            uint64_t src = left[i] & ~has_pred[i];
            left[i] &= ~src;
            for (; src; src &= src - 1) {
                uint32_t v = i * 64 + (uint32_t)__builtin_ctzll(src);
                out[count++] = gens(g, s)[v] << 32 | v;
                emitted++;
            }
        }
        if (!emitted) /* a cycle: impossible by construction, reported rather than looping */
            return DAG_ECYCLE;
    }
    return (int)count;
}

static int read_op(dag_t *g, uint32_t self, int op, struct read_args *ra, uint64_t *version)
{
    if (!g || self >= g->participants)
        return DAG_EINVAL;
    uint64_t r = protect(g, self);
    uint64_t *s = snap(g, (uint32_t)(r & IDX_MASK));
    int rc;
    switch (op) {
    case RD_HAS_EDGE:
    case RD_REACHABLE: {
        uint32_t ia = (uint32_t)ra->a, ib = (uint32_t)ra->b;
        if (!valid(g, s, ra->a) || !valid(g, s, ra->b))
            rc = DAG_ENOENT;
        else
            rc = op == RD_HAS_EDGE ? bit(row(g, s, ia), ib) : reaches(g, s, ia, ib);
        break;
    }
    case RD_SUCCESSORS:
        if (!valid(g, s, ra->a)) {
            rc = DAG_ENOENT;
            break;
        }
        rc = 0;
        for (uint32_t i = 0; i < g->words; i++)
            for (uint64_t m = row(g, s, (uint32_t)ra->a)[i]; m; m &= m - 1) {
                uint32_t v = i * 64 + (uint32_t)__builtin_ctzll(m);
                if ((uint32_t)rc < ra->cap)
                    ra->out[rc] = gens(g, s)[v] << 32 | v;
                rc++;
            }
        break;
    case RD_STATS:
        *ra->nodes = nodes_of(s);
        *ra->edges = edges_of(s);
        rc = 0;
        break;
    default:
        rc = topo(g, s, ra->out, ra->cap);
        break;
    }
    unprotect(g, self);
    if (version)
        *version = r >> IDX_BITS;
    return rc;
}

int dag_has_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version)
{
    struct read_args ra = {.a = from, .b = to};
    return read_op(g, self, RD_HAS_EDGE, &ra, version);
}

int dag_reachable(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version)
{
    struct read_args ra = {.a = from, .b = to};
    return read_op(g, self, RD_REACHABLE, &ra, version);
}

int dag_successors(dag_t *g, uint32_t self, dag_node_t n, dag_node_t *out, uint32_t cap,
                   uint64_t *version)
{
    if (!out && cap)
        return DAG_EINVAL;
    struct read_args ra = {.a = n, .out = out, .cap = cap};
    return read_op(g, self, RD_SUCCESSORS, &ra, version);
}

int dag_stats(dag_t *g, uint32_t self, uint32_t *nodes, uint32_t *edges, uint64_t *version)
{
    if (!nodes || !edges)
        return DAG_EINVAL;
    struct read_args ra = {.nodes = nodes, .edges = edges};
    return read_op(g, self, RD_STATS, &ra, version);
}

int dag_topo_order(dag_t *g, uint32_t self, dag_node_t *out, uint32_t cap, uint64_t *version)
{
    if (!out && cap)
        return DAG_EINVAL;
    struct read_args ra = {.out = out, .cap = cap};
    return read_op(g, self, RD_TOPO, &ra, version);
}
