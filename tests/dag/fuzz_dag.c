/* fuzz_dag.c - libFuzzer harness for lib/dag: the input is a program of graph operations
 * (3 bytes each: operation, first operand, second operand) over live, stale and forged handles.
 * Every result is compared with the sequential model (model.h); any disagreement, any crash or
 * sanitizer report, or a final state without a topological order is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/dag/dag.h"
#include "tests/dag/model.h"

#define CAP 20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(64) unsigned char storage[64 * 1024];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static dag_t g;
    static struct model m;
    if (dag_storage_bytes(CAP, 1) > sizeof storage || dag_init(&g, storage, sizeof storage, CAP, 1))
        abort();
    model_init(&m, CAP);
    dag_node_t handles[64] = {0};
    int nh = 0;
    for (size_t i = 0; i + 3 <= size; i += 3) {
        enum model_op op = (enum model_op)(data[i] % 6);
        /* Operand bytes: below 0xf0 pick a known handle, else forge one from the byte. */
        dag_node_t ab[2];
        for (int k = 0; k < 2; k++) {
            uint8_t x = data[i + 1 + k];
            ab[k] = x < 0xf0 && nh ? handles[x % nh] : (uint64_t)(x & 3) << 32 | (x >> 2 & 31);
        }
        dag_node_t made = 0, want_made = 0;
        int got;
        switch (op) {
        case M_ADD_NODE: got = dag_add_node(&g, 0, &made, NULL); break;
        case M_REMOVE_NODE: got = dag_remove_node(&g, 0, ab[0], NULL); break;
        case M_ADD_EDGE: got = dag_add_edge(&g, 0, ab[0], ab[1], NULL); break;
        case M_REMOVE_EDGE: got = dag_remove_edge(&g, 0, ab[0], ab[1], NULL); break;
        case M_HAS_EDGE: got = dag_has_edge(&g, 0, ab[0], ab[1], NULL); break;
        default: got = dag_reachable(&g, 0, ab[0], ab[1], NULL); break;
        }
        int want = model_apply(&m, op, ab[0], ab[1], &want_made);
        if (got != want || made != want_made)
            abort();
        if (op == M_ADD_NODE && got == DAG_OK && nh < 64)
            handles[nh++] = made;
    }
    dag_node_t order[CAP];
    if (dag_topo_order(&g, 0, order, CAP, NULL) < 0)
        abort();
    return 0;
}
