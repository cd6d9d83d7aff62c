/* model.h - the sequential specification of lib/dag, written independently of the implementation
 * (adjacency matrix, depth-first cycle check), for the model-based and linearizability tests.
 * Node slots and generations follow the documented rules: add_node takes the lowest free slot,
 * remove_node bumps the slot's generation (never to 0), handles are gen << 32 | slot. */
#ifndef PLADOF_TESTS_DAG_MODEL_H
#define PLADOF_TESTS_DAG_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/dag/dag.h"

#define MODEL_MAX 160

struct model {
    uint32_t n; /* capacity */
    bool present[MODEL_MAX];
    uint32_t gen[MODEL_MAX];
    bool adj[MODEL_MAX][MODEL_MAX];
};

enum model_op { M_ADD_NODE, M_REMOVE_NODE, M_ADD_EDGE, M_REMOVE_EDGE, M_HAS_EDGE, M_REACHABLE };

__attribute__((unused)) static void model_init(struct model *m, uint32_t n)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    for (uint32_t i = 0; i < n; i++)
        m->gen[i] = 1;
}

static bool model_valid(const struct model *m, dag_node_t h)
{
    uint32_t i = (uint32_t)h;
    return i < m->n && m->present[i] && m->gen[i] == h >> 32;
}

static bool model_dfs(const struct model *m, uint32_t from, uint32_t to, bool *seen)
{
    if (from == to)
        return true;
    seen[from] = true;
    for (uint32_t v = 0; v < m->n; v++)
        if (m->adj[from][v] && !seen[v] && model_dfs(m, v, to, seen))
            return true;
    return false;
}

static bool model_reaches(const struct model *m, uint32_t from, uint32_t to)
{
    bool seen[MODEL_MAX] = {false};
    return model_dfs(m, from, to, seen);
}

/* Applies one operation; returns what the DAG must return, and for add_node the new handle. */
__attribute__((unused)) static int model_apply(struct model *m, enum model_op op, dag_node_t a,
                                               dag_node_t b, dag_node_t *made)
{
    uint32_t ia = (uint32_t)a, ib = (uint32_t)b;
    switch (op) {
    case M_ADD_NODE:
        for (uint32_t i = 0; i < m->n; i++)
            if (!m->present[i]) {
                m->present[i] = true;
                *made = (uint64_t)m->gen[i] << 32 | i;
                return DAG_OK;
            }
        return DAG_EFULL;
    case M_REMOVE_NODE:
        if (!model_valid(m, a))
            return DAG_ENOENT;
        m->present[ia] = false;
        m->gen[ia] = m->gen[ia] + 1 ? m->gen[ia] + 1 : 1;
        for (uint32_t v = 0; v < m->n; v++)
            m->adj[ia][v] = m->adj[v][ia] = false;
        return DAG_OK;
    case M_ADD_EDGE:
        if (!model_valid(m, a) || !model_valid(m, b))
            return DAG_ENOENT;
        if (m->adj[ia][ib])
            return DAG_NOCHANGE;
        if (model_reaches(m, ib, ia))
            return DAG_ECYCLE;
        m->adj[ia][ib] = true;
        return DAG_OK;
    case M_REMOVE_EDGE:
        if (!model_valid(m, a) || !model_valid(m, b))
            return DAG_ENOENT;
        if (!m->adj[ia][ib])
            return DAG_NOCHANGE;
        m->adj[ia][ib] = false;
        return DAG_OK;
    case M_HAS_EDGE:
        if (!model_valid(m, a) || !model_valid(m, b))
            return DAG_ENOENT;
        return m->adj[ia][ib];
    default:
        if (!model_valid(m, a) || !model_valid(m, b))
            return DAG_ENOENT;
        return model_reaches(m, ia, ib);
    }
}

#endif
