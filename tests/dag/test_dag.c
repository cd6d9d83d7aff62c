/* test_dag.c - single-threaded tests of lib/dag: parameter and handle validation (most of the
 * tests), cycle refusal, stale handles after node removal, versions, successors, topological
 * order, snapshot-pool hygiene, and 20000 random operations checked against the model (model.h)
 * on a graph spanning three bitset words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dag/dag.h"
#include "tests/algebra/rng.h"
#include "tests/dag/model.h"
#include "tests/lib/tap.h"

static dag_t g;
static void *store;

static void fresh(uint32_t nodes, uint32_t parts)
{
    free(store);
    size_t b = dag_storage_bytes(nodes, parts);
    store = aligned_alloc(64, (b + 63) & ~(size_t)63);
    if (dag_init(&g, store, b, nodes, parts) != 0)
        abort();
}

static void test_params(void)
{
    tap_ok(dag_storage_bytes(0, 1) == 0 && dag_storage_bytes(DAG_MAX_NODES + 1, 1) == 0 &&
               dag_storage_bytes(8, 0) == 0 && dag_storage_bytes(8, DAG_MAX_PARTICIPANTS + 1) == 0 &&
               dag_storage_bytes(DAG_MAX_NODES, DAG_MAX_PARTICIPANTS) > 0,
           "storage size refuses 0 or too many nodes/participants");
    size_t b = dag_storage_bytes(16, 2);
    unsigned char *mem = aligned_alloc(64, ((b + 63) & ~(size_t)63) + 64);
    dag_t h;
    tap_ok(dag_init(&h, mem, b - 1, 16, 2) == DAG_EINVAL, "init refuses storage one byte short");
    tap_ok(dag_init(&h, mem + 8, b, 16, 2) == DAG_EINVAL, "init refuses storage not 64-byte aligned");
    tap_ok(dag_init(NULL, mem, b, 16, 2) == DAG_EINVAL && dag_init(&h, NULL, b, 16, 2) == DAG_EINVAL,
           "init refuses NULL");
    tap_ok(dag_init(&h, mem, b, 0, 2) == DAG_EINVAL && dag_init(&h, mem, b, 16, 0) == DAG_EINVAL,
           "init refuses zero nodes or participants");
    tap_ok(dag_init(&h, mem, b, 16, 2) == 0, "init accepts exact size");
    free(mem);
}

static void test_basics(void)
{
    fresh(8, 2);
    dag_node_t a, b, c, d;
    uint64_t v0, v;
    uint32_t nn, ne;
    dag_stats(&g, 0, &nn, &ne, &v0);
    tap_ok(nn == 0 && ne == 0 && v0 == 0, "empty graph at version 0");
    tap_ok(dag_add_node(&g, 0, &a, &v) == DAG_OK && v == 1 && a != 0, "add_node -> version 1, handle != 0");
    dag_add_node(&g, 0, &b, NULL);
    dag_add_node(&g, 1, &c, NULL);
    dag_add_node(&g, 1, &d, &v);
    tap_ok(v == 4 && a != b && b != c && c != d, "four distinct handles, version 4");
    tap_ok(dag_add_edge(&g, 0, a, b, &v) == DAG_OK && v == 5, "a->b added");
    tap_ok(dag_add_edge(&g, 0, a, b, &v) == DAG_NOCHANGE && v == 5, "a->b again: no change, no commit");
    tap_ok(dag_add_edge(&g, 0, b, a, &v) == DAG_ECYCLE && v == 5, "b->a refused: cycle");
    tap_ok(dag_add_edge(&g, 0, a, a, NULL) == DAG_ECYCLE, "self-loop a->a refused");
    dag_add_edge(&g, 0, b, c, NULL);
    tap_ok(dag_add_edge(&g, 1, c, a, NULL) == DAG_ECYCLE, "c->a refused: closes a->b->c->a");
    tap_ok(dag_add_edge(&g, 1, a, c, NULL) == DAG_OK, "shortcut a->c allowed (no cycle)");
    tap_ok(dag_reachable(&g, 0, a, c, NULL) == 1 && dag_reachable(&g, 0, c, a, NULL) == 0 &&
               dag_reachable(&g, 0, d, d, NULL) == 1 && dag_reachable(&g, 0, a, d, NULL) == 0,
           "reachable: a~>c, not c~>a, d~>d (empty path), not a~>d");
    tap_ok(dag_has_edge(&g, 0, a, b, NULL) == 1 && dag_has_edge(&g, 0, b, a, NULL) == 0, "has_edge");
    tap_ok(dag_remove_edge(&g, 0, a, b, NULL) == DAG_OK && dag_remove_edge(&g, 0, a, b, NULL) == DAG_NOCHANGE,
           "remove_edge, then again: no change");
    tap_ok(dag_add_edge(&g, 0, c, b, NULL) == DAG_ECYCLE, "c->b still refused (b->c exists)");
    tap_ok(dag_add_edge(&g, 0, b, a, NULL) == DAG_OK, "b->a allowed once a->b is gone");

    dag_node_t succ[4];
    tap_ok(dag_successors(&g, 0, a, succ, 4, NULL) == 1 && succ[0] == c, "successors(a) = {c}");
    tap_ok(dag_successors(&g, 0, b, succ, 0, NULL) == 2, "successors with cap 0 reports the count");
    tap_ok(dag_successors(&g, 0, b, NULL, 1, NULL) == DAG_EINVAL, "successors refuses NULL buffer");

    /* Stale handles. */
    uint32_t ne_before;
    dag_stats(&g, 0, &nn, &ne_before, NULL);
    tap_ok(dag_remove_node(&g, 0, b, NULL) == DAG_OK, "remove_node b");
    dag_stats(&g, 0, &nn, &ne, NULL);
    tap_ok(nn == 3 && ne == ne_before - 2, "its 2 edges went with it (%u -> %u edges)", ne_before, ne);
    tap_ok(dag_has_edge(&g, 0, a, b, NULL) == DAG_ENOENT && dag_add_edge(&g, 0, b, d, NULL) == DAG_ENOENT &&
               dag_remove_node(&g, 0, b, NULL) == DAG_ENOENT && dag_successors(&g, 0, b, succ, 4, NULL) == DAG_ENOENT &&
               dag_reachable(&g, 0, b, b, NULL) == DAG_ENOENT && dag_remove_edge(&g, 0, b, a, NULL) == DAG_ENOENT,
           "every call refuses the removed handle");
    dag_node_t b2;
    dag_add_node(&g, 0, &b2, NULL);
    tap_ok((uint32_t)b2 == (uint32_t)b && b2 != b, "slot reused with a new generation");
    tap_ok(dag_has_edge(&g, 0, b, a, NULL) == DAG_ENOENT && dag_successors(&g, 0, b2, succ, 4, NULL) == 0,
           "old handle still refused; the new node starts with no edges");
    tap_ok(dag_add_edge(&g, 0, (dag_node_t)7, a, NULL) == DAG_ENOENT && dag_add_edge(&g, 0, 0, a, NULL) == DAG_ENOENT &&
               dag_add_edge(&g, 0, (dag_node_t)1 << 32 | 99, a, NULL) == DAG_ENOENT,
           "forged handles (absent slot, 0, slot out of range) refused");
    tap_ok(dag_add_edge(&g, 2, a, c, NULL) == DAG_EINVAL && dag_has_edge(&g, 5, a, c, NULL) == DAG_EINVAL &&
               dag_add_node(&g, 2, &d, NULL) == DAG_EINVAL && dag_stats(&g, 9, &nn, &ne, NULL) == DAG_EINVAL &&
               dag_add_node(&g, 0, NULL, NULL) == DAG_EINVAL,
           "participant id out of range refused; NULL out refused");

    /* Fill up. */
    int added = 0, rc;
    dag_node_t x;
    while ((rc = dag_add_node(&g, 0, &x, NULL)) == DAG_OK)
        added++;
    tap_ok(rc == DAG_EFULL && added == 4, "capacity 8: 4 more nodes, then DAG_EFULL");
}

static void test_topo_and_pool(void)
{
    fresh(130, 3);
    dag_node_t n[130];
    for (int i = 0; i < 130; i++)
        dag_add_node(&g, 0, &n[i], NULL);
    rng_seed(42);
    int ok_edges = 0;
    for (int i = 0; i < 3000; i++)
        ok_edges += dag_add_edge(&g, i % 3, n[rng_u64() % 130], n[rng_u64() % 130], NULL) == DAG_OK;
    dag_node_t order[130];
    int k = dag_topo_order(&g, 0, order, 130, NULL);
    int pos[130];
    bool forward = k == 130;
    for (int i = 0; i < k; i++)
        pos[(uint32_t)order[i]] = i;
    for (int i = 0; i < 130 && forward; i++) {
        dag_node_t s[130];
        int m = dag_successors(&g, 0, n[i], s, 130, NULL);
        for (int j = 0; j < m; j++)
            forward &= pos[(uint32_t)s[j]] > pos[i];
    }
    tap_ok(forward && ok_edges > 100, "topological order of a 130-node, %d-edge DAG: all edges forward", ok_edges);
    tap_ok(dag_topo_order(&g, 0, order, 129, NULL) == DAG_EINVAL, "topo_order refuses a short buffer");
    int live = 0, building = 0;
    bool hz = false;
    for (uint32_t i = 0; i < g.nsnap; i++) {
        live += g.state[i] == 2;
        building += g.state[i] == 1;
    }
    for (uint32_t p = 0; p < g.participants; p++)
        hz |= g.hazard[p * 8] != 0;
    tap_ok(live == 1 && building == 0 && !hz, "after %u+ commits: one live snapshot, none building, no hazards",
           130u + ok_edges);
}

static void test_random_vs_model(void)
{
    static struct model m;
    enum { N = 150, OPS = 20000 };
    fresh(N, 1);
    model_init(&m, N);
    dag_node_t known[N * 2];
    int nknown = 0;
    bool ok = true;
    int counts[6] = {0};
    uint64_t lastv = 0;
    rng_seed(7);
    for (int i = 0; i < OPS && ok; i++) {
        uint64_t r = rng_u64();
        enum model_op op = nknown < 20 ? M_ADD_NODE : (enum model_op)(r % 100 < 3 ? M_ADD_NODE : r % 100 < 5 ? M_REMOVE_NODE : 2 + r % 4);
        dag_node_t a = nknown ? known[rng_u64() % nknown] : 0, b = nknown ? known[rng_u64() % nknown] : 0;
        dag_node_t made = 0, want_made = 0;
        uint64_t v = 0;
        int got;
        switch (op) {
        case M_ADD_NODE: got = dag_add_node(&g, 0, &made, &v); break;
        case M_REMOVE_NODE: got = dag_remove_node(&g, 0, a, &v); break;
        case M_ADD_EDGE: got = dag_add_edge(&g, 0, a, b, &v); break;
        case M_REMOVE_EDGE: got = dag_remove_edge(&g, 0, a, b, &v); break;
        case M_HAS_EDGE: got = dag_has_edge(&g, 0, a, b, &v); break;
        default: got = dag_reachable(&g, 0, a, b, &v); break;
        }
        int want = model_apply(&m, op, a, b, &want_made);
        ok = got == want && made == want_made && v == lastv + (got == DAG_OK && op <= M_REMOVE_EDGE);
        if (!ok)
            tap_diag("op %d #%d: got %d want %d, version %llu after %llu", op, i, got, want,
                     (unsigned long long)v, (unsigned long long)lastv);
        lastv = v;
        if (op == M_ADD_NODE && got == DAG_OK && nknown < N * 2)
            known[nknown++] = made;
        counts[op] += got == DAG_OK || (op >= M_HAS_EDGE && got == 1);
    }
    tap_ok(ok, "%d random operations on %d nodes agree with the model (versions too)", OPS, N);
    tap_diag("successful: add_node %d, remove_node %d, add_edge %d, remove_edge %d, has %d, reach %d",
             counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    tap_ok(counts[0] > 100 && counts[1] > 100 && counts[2] > 500 && counts[3] > 10 && counts[4] > 100 && counts[5] > 100, "the random run exercised every kind of change");
}

int main(void)
{
    test_params();
    test_basics();
    test_topo_and_pool();
    test_random_vs_model();
    free(store);
    return tap_done();
}
