/* stateset.h - the visited set of the explicit-state model checkers in tests/ (dag_model, qspin_model).
 *
 * States are fixed-size byte blobs kept in insertion order in one growing array, so a checker can use
 * the array itself as its breadth-first work queue (state i is expanded after states 0..i-1), with an
 * open-addressing hash index on top. States must be fully initialised (padding included), because
 * equality is memcmp. Header-only, hosted tests only. */
#ifndef PLADOF_TESTS_STATESET_H
#define PLADOF_TESTS_STATESET_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct stateset {
    size_t size;          /* bytes per state */
    unsigned char *states;
    size_t n, cap;        /* states stored, states allocated */
    uint32_t *table;      /* index + 1 of a state, 0 = empty */
    size_t tsize;         /* power of two */
};

static inline void stateset_init(struct stateset *ss, size_t size)
{
    memset(ss, 0, sizeof *ss);
    ss->size = size;
}

static inline void *stateset_at(const struct stateset *ss, size_t i)
{
    return ss->states + i * ss->size;
}

static inline uint64_t stateset_hash_(const struct stateset *ss, const void *s)
{
    const unsigned char *p = s;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < ss->size; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static inline void stateset_rehash_(struct stateset *ss)
{
    free(ss->table);
    ss->tsize = ss->tsize ? ss->tsize * 2 : 1 << 16;
    ss->table = calloc(ss->tsize, sizeof *ss->table);
    if (!ss->table)
        abort();
    for (size_t i = 0; i < ss->n; i++) {
        size_t h = stateset_hash_(ss, stateset_at(ss, i)) & (ss->tsize - 1);
        while (ss->table[h])
            h = (h + 1) & (ss->tsize - 1);
        ss->table[h] = (uint32_t)i + 1;
    }
}

/* Adds state `s` if it is new; returns 1 if it was added, 0 if it was already there. */
static inline int stateset_add(struct stateset *ss, const void *s)
{
    if (2 * ss->n >= ss->tsize)
        stateset_rehash_(ss);
    size_t h = stateset_hash_(ss, s) & (ss->tsize - 1);
    while (ss->table[h]) {
        if (memcmp(stateset_at(ss, ss->table[h] - 1), s, ss->size) == 0)
            return 0;
        h = (h + 1) & (ss->tsize - 1);
    }
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 1 << 16;
        ss->states = realloc(ss->states, ss->cap * ss->size);
        if (!ss->states)
            abort();
    }
    memcpy(stateset_at(ss, ss->n), s, ss->size);
    ss->table[h] = (uint32_t)++ss->n;
    return 1;
}

static inline void stateset_free(struct stateset *ss)
{
    free(ss->states);
    free(ss->table);
    stateset_init(ss, ss->size);
}

#endif
