/* test_dag_conc.c - lib/dag under concurrency, in the ThreadSanitizer tree:
 *  - two threads racing to add a->b and b->a never both succeed (exactly one does), and three
 *    threads racing to close a triangle succeed exactly twice;
 *  - recorded concurrent histories (4 threads, more than cores, every operation kind including
 *    node removal) are checked against the sequential model: the commit versions the calls report
 *    must form 1..M, replaying in version order must reproduce every result, and the version order
 *    must respect real time (a call that returned before another started is ordered first);
 *  - many short histories are checked by brute-force search for a linearization (Wing & Gong
 *    style), which trusts nothing the implementation reports;
 *  - afterwards the graph has a topological order and the snapshot pool is clean.
 * No pass/fail depends on timing. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dag/dag.h"
#include "lib/sync/spin.h"
#include "tests/algebra/rng.h"
#include "tests/dag/model.h"
#include "tests/lib/tap.h"

#define T 4
static dag_t g;
static void *store;
static pthread_barrier_t bar;
static uint64_t clock_;

static uint64_t tick(void) { return __atomic_fetch_add(&clock_, 1, __ATOMIC_SEQ_CST); }

static void fresh(uint32_t nodes, uint32_t parts)
{
    free(store);
    size_t b = dag_storage_bytes(nodes, parts);
    store = aligned_alloc(64, (b + 63) & ~(size_t)63);
    if (dag_init(&g, store, b, nodes, parts) != 0)
        abort();
}

static void yield_hook(void) { sched_yield(); }

/* ---- races ---- */
enum { PAIR_ITERS = 1500, TRI_ITERS = 600 };
static dag_node_t nd[3];
static int pair_res[2][PAIR_ITERS], tri_res[3][TRI_ITERS];

static void *pair_thread(void *p)
{
    int self = (int)(intptr_t)p;
    for (int i = 0; i < PAIR_ITERS; i++) {
        pthread_barrier_wait(&bar);
        pair_res[self][i] = dag_add_edge(&g, (uint32_t)self, nd[self], nd[1 - self], NULL);
        pthread_barrier_wait(&bar);
        if (self == 0) { /* reset for the next round */
            dag_remove_edge(&g, 0, nd[0], nd[1], NULL);
            dag_remove_edge(&g, 0, nd[1], nd[0], NULL);
        }
    }
    return NULL;
}

static void *tri_thread(void *p)
{
    int self = (int)(intptr_t)p;
    for (int i = 0; i < TRI_ITERS; i++) {
        pthread_barrier_wait(&bar);
        tri_res[self][i] = dag_add_edge(&g, (uint32_t)self, nd[self], nd[(self + 1) % 3], NULL);
        pthread_barrier_wait(&bar);
        if (self == 0)
            for (int k = 0; k < 3; k++)
                dag_remove_edge(&g, 0, nd[k], nd[(k + 1) % 3], NULL);
    }
    return NULL;
}

static void run_threads(int n, void *(*fn)(void *))
{
    pthread_t th[T];
    pthread_barrier_init(&bar, NULL, (unsigned)n);
    for (int i = 0; i < n; i++)
        pthread_create(&th[i], NULL, fn, (void *)(intptr_t)i);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&bar);
}

static void test_races(void)
{
    fresh(4, 3);
    for (int i = 0; i < 3; i++)
        dag_add_node(&g, 0, &nd[i], NULL);
    run_threads(2, pair_thread);
    int both = 0, neither = 0, other = 0;
    for (int i = 0; i < PAIR_ITERS; i++) {
        int a = pair_res[0][i], b = pair_res[1][i];
        both += a == DAG_OK && b == DAG_OK;
        neither += a != DAG_OK && b != DAG_OK;
        other += !((a == DAG_OK && b == DAG_ECYCLE) || (a == DAG_ECYCLE && b == DAG_OK));
    }
    tap_ok(both == 0, "a->b vs b->a: never both added (%d rounds)", PAIR_ITERS);
    tap_ok(neither == 0 && other == 0, "a->b vs b->a: exactly one added, the other refused with ECYCLE");

    run_threads(3, tri_thread);
    int bad = 0;
    for (int i = 0; i < TRI_ITERS; i++) {
        int ok = 0, cyc = 0;
        for (int k = 0; k < 3; k++) {
            ok += tri_res[k][i] == DAG_OK;
            cyc += tri_res[k][i] == DAG_ECYCLE;
        }
        bad += !(ok == 2 && cyc == 1);
    }
    tap_ok(bad == 0, "a->b, b->c, c->a raced by 3 threads: exactly 2 added, 1 refused (%d rounds)", TRI_ITERS);
}

/* ---- recorded histories, checked with the reported versions ---- */
enum { HCAP = 10, HOPS = 1200, HTOTAL = T * HOPS + 16 };
struct rec {
    uint64_t inv, resp, version;
    dag_node_t a, b, made;
    int op, result;
};
static struct rec hist[HTOTAL];
static int nhist_setup;
static dag_node_t known[4096];
static int nknown;

static void *hist_thread(void *p)
{
    int self = (int)(intptr_t)p;
    struct rec *my = &hist[nhist_setup + self * HOPS];
    uint64_t seed = 0x1234567ull * (uint64_t)(self + 1);
    pthread_barrier_wait(&bar);
    for (int i = 0; i < HOPS; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(seed >> 33);
        int nk = __atomic_load_n(&nknown, __ATOMIC_ACQUIRE);
        /* Mostly recent handles (likely live), sometimes any (likely stale). */
        uint32_t span = (r & 1) || nk < 12 ? (uint32_t)nk : 12;
        dag_node_t a = __atomic_load_n(&known[nk - 1 - (int)((r >> 1) % span)], __ATOMIC_RELAXED);
        dag_node_t b = __atomic_load_n(&known[nk - 1 - (int)((r >> 9) % span)], __ATOMIC_RELAXED);
        uint32_t pick = (r >> 20) % 100;
        int op = pick < 2 ? M_ADD_NODE : pick < 3 ? M_REMOVE_NODE : pick < 45 ? M_ADD_EDGE
               : pick < 65 ? M_REMOVE_EDGE : pick < 82 ? M_HAS_EDGE : M_REACHABLE;
        struct rec *e = &my[i];
        *e = (struct rec){.op = op, .a = a, .b = b};
        e->inv = tick();
        switch (op) {
        case M_ADD_NODE: e->result = dag_add_node(&g, (uint32_t)self, &e->made, &e->version); break;
        case M_REMOVE_NODE: e->result = dag_remove_node(&g, (uint32_t)self, a, &e->version); break;
        case M_ADD_EDGE: e->result = dag_add_edge(&g, (uint32_t)self, a, b, &e->version); break;
        case M_REMOVE_EDGE: e->result = dag_remove_edge(&g, (uint32_t)self, a, b, &e->version); break;
        case M_HAS_EDGE: e->result = dag_has_edge(&g, (uint32_t)self, a, b, &e->version); break;
        default: e->result = dag_reachable(&g, (uint32_t)self, a, b, &e->version); break;
        }
        e->resp = tick();
        if (op == M_ADD_NODE && e->result == DAG_OK) {
            /* append: claim an index, then publish it by bumping the count in order */
            static int claim;
            int idx = __atomic_fetch_add(&claim, 1, __ATOMIC_RELAXED) + 6;
            if (idx < 4096) {
                __atomic_store_n(&known[idx], e->made, __ATOMIC_RELAXED);
                int expect = idx;
                while (!__atomic_compare_exchange_n(&nknown, &expect, idx + 1, false, __ATOMIC_RELEASE,
                                                    __ATOMIC_RELAXED)) {
                    expect = idx;
                    sched_yield();
                }
            }
        }
    }
    return NULL;
}

static bool is_change(const struct rec *e) { return e->op <= M_REMOVE_EDGE && e->result == DAG_OK; }
static uint64_t key(const struct rec *e) { return 2 * e->version + !is_change(e); }

static int by_key(const void *x, const void *y)
{
    uint64_t a = key(x), b = key(y);
    return (a > b) - (a < b);
}
static int by_resp(const void *x, const void *y)
{
    const struct rec *a = x, *b = y;
    return (a->resp > b->resp) - (a->resp < b->resp);
}
static int by_inv(const void *x, const void *y)
{
    const struct rec *a = x, *b = y;
    return (a->inv > b->inv) - (a->inv < b->inv);
}

static void test_history(void)
{
    static struct model m;
    fresh(HCAP, T + 1);
    nhist_setup = 0;
    for (int i = 0; i < 6; i++) {
        struct rec *e = &hist[nhist_setup++];
        *e = (struct rec){.op = M_ADD_NODE};
        e->inv = tick();
        e->result = dag_add_node(&g, T, &e->made, &e->version);
        e->resp = tick();
        known[i] = e->made;
    }
    nknown = 6;
    run_threads(T, hist_thread);
    int n = nhist_setup + T * HOPS;

    /* (1) the commit versions are exactly 1..M */
    static unsigned char seen[HTOTAL + 1];
    memset(seen, 0, sizeof seen);
    int changes = 0;
    bool unique = true;
    for (int i = 0; i < n; i++)
        if (is_change(&hist[i])) {
            changes++;
            uint64_t v = hist[i].version;
            unique &= v >= 1 && v <= (uint64_t)n && !seen[v];
            if (v <= (uint64_t)n)
                seen[v] = 1;
        }
    for (int v = 1; v <= changes; v++)
        unique &= seen[v];
    tap_ok(unique, "history: %d commits carry versions exactly 1..%d", changes, changes);

    /* (2) replay in version order reproduces every result */
    static struct rec sorted[HTOTAL];
    memcpy(sorted, hist, (size_t)n * sizeof *hist);
    qsort(sorted, (size_t)n, sizeof *sorted, by_key);
    model_init(&m, HCAP);
    bool replay = true;
    int kinds[6] = {0}, refused = 0;
    for (int i = 0; i < n && replay; i++) {
        struct rec *e = &sorted[i];
        dag_node_t made = 0;
        int want = model_apply(&m, (enum model_op)e->op, e->a, e->b, &made);
        replay = want == e->result && (e->op != M_ADD_NODE || want != DAG_OK || made == e->made);
        if (!replay)
            tap_diag("op %d at version %llu: got %d, model says %d", e->op,
                     (unsigned long long)e->version, e->result, want);
        kinds[e->op] += e->result == DAG_OK || (e->op >= M_HAS_EDGE && e->result == 1);
        refused += e->result == DAG_ECYCLE;
    }
    tap_ok(replay, "history: %d calls by %d threads replay exactly in version order", n, T);
    tap_diag("successful: add_node %d remove_node %d add_edge %d remove_edge %d has %d reach %d; "
             "cycle refusals %d", kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], kinds[5], refused);

    /* (3) the version order respects real time */
    static struct rec r_sorted[HTOTAL], i_sorted[HTOTAL];
    memcpy(r_sorted, hist, (size_t)n * sizeof *hist);
    memcpy(i_sorted, hist, (size_t)n * sizeof *hist);
    qsort(r_sorted, (size_t)n, sizeof *r_sorted, by_resp);
    qsort(i_sorted, (size_t)n, sizeof *i_sorted, by_inv);
    uint64_t maxkey = 0;
    int j = 0, violations = 0, overlapping = 0;
    for (int i = 0; i < n; i++) {
        while (j < n && r_sorted[j].resp < i_sorted[i].inv)
            maxkey = maxkey > key(&r_sorted[j]) ? maxkey : key(&r_sorted[j]), j++;
        violations += maxkey > key(&i_sorted[i]);
        overlapping += j < i; /* some call invoked earlier had not yet returned */
    }
    tap_ok(violations == 0, "history: linearization order respects real time (%d calls overlapped another)",
           overlapping);

    dag_node_t order[HCAP];
    int k = dag_topo_order(&g, T, order, HCAP, NULL);
    int live = 0, building = 0;
    bool hz = false;
    for (uint32_t i = 0; i < g.nsnap; i++) {
        live += __atomic_load_n(&g.state[i], __ATOMIC_RELAXED) == 2;
        building += __atomic_load_n(&g.state[i], __ATOMIC_RELAXED) == 1;
    }
    for (uint32_t p = 0; p < g.participants; p++)
        hz |= __atomic_load_n(&g.hazard[p * 8], __ATOMIC_RELAXED) != 0;
    tap_ok(k >= 0 && live == 1 && building == 0 && !hz,
           "after the run: topological order of %d nodes; one live snapshot, none building, no hazards", k);
}

/* ---- writers only: pool hygiene under back-to-back commits ---- */
enum { WR_OPS = 4000 };
static dag_node_t wr_nodes[8];

static void *writer_thread(void *p)
{
    int self = (int)(intptr_t)p;
    uint64_t seed = 0xabcdefull * (uint64_t)(self + 3);
    pthread_barrier_wait(&bar);
    for (int i = 0; i < WR_OPS; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(seed >> 33);
        dag_node_t a = wr_nodes[r % 8], b = wr_nodes[(r >> 3) % 8];
        if (r >> 29 & 1)
            dag_add_edge(&g, (uint32_t)self, a, b, NULL);
        else
            dag_remove_edge(&g, (uint32_t)self, a, b, NULL);
    }
    return NULL;
}

/* A snapshot published and at once replaced by another writer must still become reusable; a leak
 * would show as a second LIVE snapshot here, or as a hang once the pool ran out. */
static void test_writers_pool(void)
{
    fresh(8, T + 1);
    for (int i = 0; i < 8; i++)
        dag_add_node(&g, T, &wr_nodes[i], NULL);
    run_threads(T, writer_thread);
    int live = 0, building = 0;
    for (uint32_t i = 0; i < g.nsnap; i++) {
        live += __atomic_load_n(&g.state[i], __ATOMIC_RELAXED) == 2;
        building += __atomic_load_n(&g.state[i], __ATOMIC_RELAXED) == 1;
    }
    uint32_t nn, ne;
    uint64_t v;
    dag_stats(&g, T, &nn, &ne, &v);
    dag_node_t order[8];
    tap_ok(live == 1 && building == 0 && dag_topo_order(&g, T, order, 8, NULL) == 8,
           "%d writers x %d changes (%llu commits): one live snapshot, none building, still acyclic", T,
           WR_OPS, (unsigned long long)v);
}

/* ---- brute-force linearizability of short histories ---- */
enum { WT = 3, WOPS = 4, WN = WT * WOPS, WROUNDS = 250 };
static struct rec w_hist[WN];
static dag_node_t w_nodes[3];
static int w_arrived;

/* All WT threads leave together (a barrier wakes them one by one, which rarely overlaps calls). */
static void spin_start(int round)
{
    __atomic_fetch_add(&w_arrived, 1, __ATOMIC_ACQ_REL);
    for (uint32_t i = 0; __atomic_load_n(&w_arrived, __ATOMIC_ACQUIRE) < WT * (round + 1); i++)
        spin_wait_step(i);
}

static void *wgl_thread(void *p)
{
    int self = (int)(intptr_t)p;
    uint64_t seed = 0x9e3779b9ull * (uint64_t)(self + 7);
    for (int round = 0; round < WROUNDS; round++) {
        pthread_barrier_wait(&bar);
        spin_start(round);
        for (int i = 0; i < WOPS; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull + (uint64_t)round;
            uint32_t r = (uint32_t)(seed >> 33);
            struct rec *e = &w_hist[self * WOPS + i];
            *e = (struct rec){.op = M_ADD_EDGE + (int)(r % 4), .a = w_nodes[(r >> 4) % 3],
                              .b = w_nodes[(r >> 8) % 3]};
            e->inv = tick();
            switch (e->op) {
            case M_ADD_EDGE: e->result = dag_add_edge(&g, (uint32_t)self, e->a, e->b, NULL); break;
            case M_REMOVE_EDGE: e->result = dag_remove_edge(&g, (uint32_t)self, e->a, e->b, NULL); break;
            case M_HAS_EDGE: e->result = dag_has_edge(&g, (uint32_t)self, e->a, e->b, NULL); break;
            default: e->result = dag_reachable(&g, (uint32_t)self, e->a, e->b, NULL); break;
            }
            e->resp = tick();
        }
        pthread_barrier_wait(&bar); /* main checks, then resets the graph */
        pthread_barrier_wait(&bar);
    }
    return NULL;
}

/* 3-node model as a 9-bit adjacency mask. */
static bool w_reach(unsigned adj, int from, int to)
{
    unsigned seen = 1u << from, frontier = seen;
    while (frontier) {
        unsigned next = 0;
        for (int v = 0; v < 3; v++)
            if (frontier >> v & 1)
                next |= adj >> (3 * v) & 7;
        next &= ~seen;
        seen |= next;
        frontier = next;
    }
    return seen >> to & 1;
}

static int w_apply(unsigned *adj, const struct rec *e)
{
    int a = (int)(uint32_t)e->a, b = (int)(uint32_t)e->b;
    unsigned bitab = 1u << (3 * a + b);
    switch (e->op) {
    case M_ADD_EDGE:
        if (*adj & bitab)
            return DAG_NOCHANGE;
        if (w_reach(*adj, b, a))
            return DAG_ECYCLE;
        *adj |= bitab;
        return DAG_OK;
    case M_REMOVE_EDGE:
        if (!(*adj & bitab))
            return DAG_NOCHANGE;
        *adj &= ~bitab;
        return DAG_OK;
    case M_HAS_EDGE: return (*adj & bitab) != 0;
    default: return w_reach(*adj, a, b);
    }
}

static unsigned char w_dead[1u << WN][64]; /* (done-set, adjacency) states known to fail */

static bool w_search(unsigned done, unsigned adj)
{
    if (done == (1u << WN) - 1)
        return true;
    unsigned code = adj & 0x1ff;
    if (w_dead[done][code >> 3] >> (code & 7) & 1)
        return false;
    uint64_t min_resp = UINT64_MAX;
    for (int i = 0; i < WN; i++)
        if (!(done >> i & 1) && w_hist[i].resp < min_resp)
            min_resp = w_hist[i].resp;
    for (int i = 0; i < WN; i++) {
        if (done >> i & 1 || w_hist[i].inv > min_resp)
            continue; /* only calls invoked before every pending call returned may go next */
        unsigned a2 = adj;
        if (w_apply(&a2, &w_hist[i]) == w_hist[i].result && w_search(done | 1u << i, a2))
            return true;
    }
    w_dead[done][code >> 3] |= (unsigned char)(1u << (code & 7));
    return false;
}

static void test_wgl(void)
{
    fresh(3, WT + 1);
    for (int i = 0; i < 3; i++)
        dag_add_node(&g, WT, &w_nodes[i], NULL);
    pthread_t th[WT];
    pthread_barrier_init(&bar, NULL, WT + 1);
    for (int i = 0; i < WT; i++)
        pthread_create(&th[i], NULL, wgl_thread, (void *)(intptr_t)i);
    int fails = 0, concurrent = 0;
    for (int round = 0; round < WROUNDS; round++) {
        pthread_barrier_wait(&bar);
        pthread_barrier_wait(&bar);
        for (int i = 0; i < WN; i++)
            for (int j = 0; j < WN; j++)
                if (i / WOPS != j / WOPS && w_hist[i].inv < w_hist[j].resp && w_hist[j].inv < w_hist[i].resp) {
                    concurrent++;
                    i = j = WN;
                }
        memset(w_dead, 0, sizeof w_dead);
        if (!w_search(0, 0))
            fails++;
        for (int a = 0; a < 3; a++) /* reset to empty */
            for (int b = 0; b < 3; b++)
                dag_remove_edge(&g, WT, w_nodes[a], w_nodes[b], NULL);
        pthread_barrier_wait(&bar);
    }
    for (int i = 0; i < WT; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&bar);
    tap_ok(fails == 0, "brute force: %d histories of %dx%d calls each have a linearization (%d with overlap)",
           WROUNDS, WT, WOPS, concurrent);
}

/* The checker itself must reject a history that is not linearizable. */
static void test_wgl_rejects(void)
{
    memset(w_hist, 0, sizeof w_hist);
    w_nodes[0] = 0, w_nodes[1] = 1;
    /* Thread 0 adds 0->1 and returns OK; afterwards thread 1 adds 1->0 and also gets OK. The
     * remaining calls are reads that match any state. */
    for (int i = 0; i < WN; i++)
        w_hist[i] = (struct rec){.op = M_HAS_EDGE, .a = 2, .b = 2, .result = 0,
                                 .inv = 100 + 2 * (uint64_t)i, .resp = 101 + 2 * (uint64_t)i};
    w_hist[0] = (struct rec){.op = M_ADD_EDGE, .a = 0, .b = 1, .result = DAG_OK, .inv = 1, .resp = 2};
    w_hist[WOPS] = (struct rec){.op = M_ADD_EDGE, .a = 1, .b = 0, .result = DAG_OK, .inv = 3, .resp = 4};
    memset(w_dead, 0, sizeof w_dead);
    bool bad_rejected = !w_search(0, 0);
    w_hist[WOPS].result = DAG_ECYCLE;
    memset(w_dead, 0, sizeof w_dead);
    tap_ok(bad_rejected && w_search(0, 0),
           "brute-force checker rejects 'both a->b and b->a added' and accepts the refusal");
}

int main(void)
{
    spin_set_yield_hook(yield_hook);
    test_races();
    test_history();
    test_writers_pool();
    test_wgl_rejects();
    test_wgl();
    free(store);
    return tap_done();
}
