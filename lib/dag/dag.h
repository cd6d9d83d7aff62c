/* dag.h - a concurrent directed acyclic graph (FRAMEWORK 5.7.1): add_edge atomically refuses an edge
 * that would close a cycle, so the graph is acyclic in every state any thread can observe. It is
 * the base for IPC-channel deadlock freedom (waits-for edges that may never form a cycle).
 *
 * Design: copy-on-write snapshots behind one root word. The whole graph (node table, generations,
 * adjacency bitsets) is an immutable snapshot; the root word holds (commit version << 16 | snapshot
 * index). A writer protects the current snapshot with a hazard pointer, checks (for add_edge: is
 * `from` reachable from `to`?), builds the successor in a private snapshot and publishes it with a
 * single CAS on the root, which succeeds only if no other commit happened meanwhile; otherwise it
 * retries on the new snapshot. Readers protect the current snapshot and read it.
 *
 * Guarantees:
 *  - Linearizable. A successful change linearizes at its CAS and gets the next commit version;
 *    every other call (reads, refusals, no-ops) linearizes when it validated the root, and its
 *    answer is a function of that snapshot. Calls report the version they linearized at.
 *  - Lock-free, readers and writers: a CAS fails only because another commit succeeded, and a
 *    reader retries only when a commit happened. Not wait-free: a writer can starve under a stream
 *    of other commits. No thread ever waits for another (no locks, no spinning on others' state).
 *  - Safe reclamation: a snapshot is reused only when no hazard slot names it; the pool has
 *    2 * participants + 2 snapshots, which always leaves one free (each participant holds at most
 *    one hazard and builds at most one snapshot, plus the root).
 * Costs: every change copies one snapshot, (2 + W + N*W + N) words for N nodes, W = N/64 rounded
 * up (N = 256: 10 KB);
 * add_edge also runs a bitset BFS. Changes are serialized by the root CAS, so concurrent writers
 * do not scale; this fits a graph read far more often than changed.
 * Freestanding (mem.h only, no allocation, no FP): the caller provides the storage. Each thread (or
 * CPU) uses its own participant id 0..participants-1; two threads must never share one at once. */
#ifndef PLADOF_LIB_DAG_DAG_H
#define PLADOF_LIB_DAG_DAG_H

#include <stddef.h>
#include <stdint.h>

#define DAG_MAX_NODES 4096u
#define DAG_MAX_PARTICIPANTS 64u

/* Node handle: (generation << 32) | index. A removed node's handle stays invalid (the slot's 32-bit
 * generation changes), so a stale handle is refused with DAG_ENOENT, until that one slot has been
 * reused 2^32 - 1 more times and the generation comes round. 0 is never valid. */
typedef uint64_t dag_node_t;

enum {
    DAG_OK = 0,        /* the graph changed */
    DAG_NOCHANGE = 1,  /* edge already present (add) or absent (remove): nothing to do */
    DAG_ECYCLE = -1,   /* the edge would close a cycle (including a self-loop) */
    DAG_ENOENT = -2,   /* a node handle is stale or was never valid */
    DAG_EFULL = -3,    /* no free node slot */
    DAG_EINVAL = -4,   /* bad participant id, bad parameters, storage too small */
};

typedef struct {
    _Alignas(64) uint64_t root; /* commit version << 16 | snapshot index */
    uint32_t max_nodes, words, participants, nsnap;
    size_t snap_words;
    uint64_t *snaps;   /* nsnap snapshots of snap_words words */
    uint32_t *state;   /* per snapshot: FREE, BUILDING, LIVE, RETIRED */
    uint64_t *hazard;  /* per participant, one cache line apart: snapshot index + 1, 0 = none */
} dag_t;

/* Bytes of storage dag_init needs; 0 if the parameters are out of range. */
size_t dag_storage_bytes(uint32_t max_nodes, uint32_t participants);
/* Sets up an empty graph in `storage` (64-byte aligned, dag_storage_bytes long). 0 or DAG_EINVAL. */
int dag_init(dag_t *g, void *storage, size_t bytes, uint32_t max_nodes, uint32_t participants);

/* Changes. `version` (may be NULL) receives the commit version the call linearized at. */
int dag_add_node(dag_t *g, uint32_t self, dag_node_t *out, uint64_t *version);
/* Removes the node and every edge touching it. */
int dag_remove_node(dag_t *g, uint32_t self, dag_node_t n, uint64_t *version);
int dag_add_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version);
int dag_remove_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version);

/* Reads: 1 = yes, 0 = no, or a negative error. reachable(a, a) = 1 (the empty path). */
int dag_has_edge(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version);
int dag_reachable(dag_t *g, uint32_t self, dag_node_t from, dag_node_t to, uint64_t *version);
/* Writes up to cap successors of n to out; returns their total number (may exceed cap). */
int dag_successors(dag_t *g, uint32_t self, dag_node_t n, dag_node_t *out, uint32_t cap,
                   uint64_t *version);
/* Counts in one consistent snapshot; returns 0 or DAG_EINVAL. */
int dag_stats(dag_t *g, uint32_t self, uint32_t *nodes, uint32_t *edges, uint64_t *version);
/* Writes the live nodes in a topological order (every edge goes forward); returns their number
 * or DAG_EINVAL if cap is too small. A witness that the snapshot is acyclic. */
int dag_topo_order(dag_t *g, uint32_t self, dag_node_t *out, uint32_t cap, uint64_t *version);

#endif
