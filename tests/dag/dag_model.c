/* dag_model.c - exhaustive check of lib/dag's snapshot publication and reclamation protocol
 * (dag.c: protect, alloc_snap, the writer's commit) on small parameters. Graph contents are
 * abstracted to one number per snapshot: the commit version it holds, or "being written".
 *
 * Steps, each one atomic access of dag.c in program order: load root, publish hazard, re-load root;
 * the writer reads the protected snapshot (decide, copy), scans the pool one slot at a time (load a
 * state; for a RETIRED slot load each hazard; CAS the state), writes its private snapshot, marks it
 * LIVE, CASes the root, marks the old root RETIRED and clears its hazard (or, if the CAS failed,
 * marks its snapshot BUILDING again and starts over); a reader reads the protected snapshot and
 * clears its hazard. Interleavings are sequentially consistent (dag.c uses seq_cst for the root,
 * the hazards and their re-checks).
 *
 * Checked: nobody ever reads a snapshot that is being rewritten or holds another version
 * (use-after-reuse); at the end the root holds the last version, exactly one snapshot is LIVE (the
 * root), none is BUILDING, no hazard is set. Two mutants must fail: publishing LIVE after the CAS
 * (a leak) and skipping the hazard re-check (use-after-reuse). Progress is not checked here (a pool
 * scan can fail while others commit; the argument in dag.h is that some operation then finished). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/stateset.h"
#include "tests/lib/tap.h"

#define MAXP 3
#define MAXK (2 * MAXP + 2)
#define GARBAGE 0xff
#define NONE 0xff

enum { S_FREE, S_BUILDING, S_LIVE, S_RETIRED };
enum pc {
    START, LOAD, HAZ, RECHECK, DECIDE, SCAN, SCAN_HAZ, SCAN_CAS, BUILD, MARK_LIVE, CAS, AFTER_CAS,
    RETIRE, UNPROTECT, R_READ, R_UNPROTECT
};

struct thr {
    uint8_t pc, done, rv, ri, mine, j, h, seen;
};
struct state {
    uint8_t rootv, rooti;
    uint8_t haz[MAXP], sst[MAXK], sver[MAXK];
    struct thr th[MAXP];
};

static unsigned P, K, C, NWRITERS;
static bool mut_live_after_cas, mut_no_recheck;
static const char *violation;

/* Every state reached so far, in breadth-first order (tests/lib/stateset.h). */
static struct stateset seen;

static void read_snapshot(const struct state *s, const struct thr *m)
{
    if (s->sver[m->ri] != m->rv)
        violation = "read a snapshot that was reclaimed and is being (or was) rewritten";
}

static void next_slot(struct thr *m)
{
    m->j = (uint8_t)((m->j + 1) % K);
    m->pc = SCAN;
}

/* One step of thread i; false if it cannot move. Writers are threads 0..NWRITERS-1. */
static bool step(struct state *s, unsigned i)
{
    struct thr *m = &s->th[i];
    bool writer = i < NWRITERS;
    switch (m->pc) {
    case START:
        if (m->done == C)
            return false;
        m->pc = LOAD;
        return true;
    case LOAD:
        m->rv = s->rootv, m->ri = s->rooti;
        m->pc = HAZ;
        return true;
    case HAZ:
        s->haz[i] = (uint8_t)(m->ri + 1);
        m->pc = mut_no_recheck ? (writer ? DECIDE : R_READ) : RECHECK;
        return true;
    case RECHECK:
        if (s->rootv == m->rv && s->rooti == m->ri)
            m->pc = writer ? DECIDE : R_READ;
        else
            m->pc = LOAD;
        return true;
    case R_READ:
        read_snapshot(s, m);
        m->pc = R_UNPROTECT;
        return true;
    case R_UNPROTECT:
        s->haz[i] = 0;
        m->done++;
        m->pc = START;
        return true;
    case DECIDE:
        read_snapshot(s, m);
        if (m->mine == NONE) {
            m->j = (uint8_t)((i * 2) % K);
            m->pc = SCAN;
        } else {
            m->pc = BUILD;
        }
        return true;
    case SCAN:
        m->seen = s->sst[m->j];
        if (m->seen == S_FREE) {
            m->pc = SCAN_CAS;
        } else if (m->seen == S_RETIRED) {
            m->h = 0;
            m->pc = SCAN_HAZ;
        } else {
            next_slot(m);
        }
        return true;
    case SCAN_HAZ:
        if (s->haz[m->h] == m->j + 1)
            next_slot(m);
        else if (++m->h == P)
            m->pc = SCAN_CAS;
        return true;
    case SCAN_CAS:
        if (s->sst[m->j] == m->seen) {
            s->sst[m->j] = S_BUILDING;
            s->sver[m->j] = GARBAGE; /* its contents are ours to overwrite from now on */
            m->mine = m->j;
            m->pc = BUILD;
        } else {
            next_slot(m);
        }
        return true;
    case BUILD:
        read_snapshot(s, m); /* the copy reads the protected snapshot */
        s->sver[m->mine] = (uint8_t)(m->rv + 1);
        m->pc = mut_live_after_cas ? CAS : MARK_LIVE;
        return true;
    case MARK_LIVE:
        s->sst[m->mine] = S_LIVE;
        m->pc = CAS;
        return true;
    case CAS:
        if (s->rootv == m->rv && s->rooti == m->ri) {
            s->rootv = (uint8_t)(m->rv + 1);
            s->rooti = m->mine;
            m->pc = mut_live_after_cas ? AFTER_CAS : RETIRE;
        } else {
            if (!mut_live_after_cas)
                s->sst[m->mine] = S_BUILDING;
            m->pc = LOAD;
        }
        return true;
    case AFTER_CAS: /* the mutant's late LIVE store */
        s->sst[m->mine] = S_LIVE;
        m->pc = RETIRE;
        return true;
    case RETIRE:
        s->sst[m->ri] = S_RETIRED;
        m->pc = UNPROTECT;
        return true;
    default: /* UNPROTECT */
        s->haz[i] = 0;
        m->mine = NONE;
        m->done++;
        m->pc = START;
        return true;
    }
}

static void check_final(const struct state *s)
{
    int live = 0, building = 0;
    for (unsigned k = 0; k < K; k++) {
        live += s->sst[k] == S_LIVE;
        building += s->sst[k] == S_BUILDING;
    }
    bool hz = false;
    for (unsigned p = 0; p < P; p++)
        hz |= s->haz[p] != 0;
    if (s->rootv != NWRITERS * C || s->sver[s->rooti] != s->rootv)
        violation = "final root does not hold the last commit";
    else if (live != 1 || s->sst[s->rooti] != S_LIVE || building || hz)
        violation = "final pool not clean (a snapshot leaked, or a hazard or BUILDING left behind)";
}

static size_t explore(unsigned p, unsigned writers, unsigned c)
{
    P = p, NWRITERS = writers, C = c, K = 2 * p + 2;
    violation = NULL;
    stateset_free(&seen);
    stateset_init(&seen, sizeof(struct state));
    struct state s0;
    memset(&s0, 0, sizeof s0);
    s0.sst[0] = S_LIVE; /* snapshot 0 holds version 0 and is the root */
    for (unsigned k = 1; k < MAXK; k++)
        s0.sver[k] = GARBAGE;
    for (unsigned i = 0; i < MAXP; i++)
        s0.th[i].mine = NONE;
    stateset_add(&seen, &s0);
    for (size_t n = 0; n < seen.n && !violation; n++) {
        struct state cur = *(struct state *)stateset_at(&seen, n);
        bool moved = false;
        for (unsigned i = 0; i < P && !violation; i++) {
            struct state nx = cur;
            if (step(&nx, i)) {
                moved = true;
                stateset_add(&seen, &nx);
            }
        }
        if (!moved && !violation)
            check_final(&cur);
    }
    return violation ? 0 : seen.n;
}

int main(void)
{
    static const struct { unsigned p, w, c; } cfg[] = {
        {2, 2, 3}, /* two writers, three commits each */
        {3, 2, 2}, /* two writers and a reader */
        {3, 3, 1}, /* three writers racing once */
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        size_t k = explore(cfg[i].p, cfg[i].w, cfg[i].c);
        tap_ok(k > 0, "%u participants (%u writers) x %u ops, pool of %u: %zu states; no use after reuse, "
               "clean pool%s%s", cfg[i].p, cfg[i].w, cfg[i].c, 2 * cfg[i].p + 2, k, violation ? ": " : "",
               violation ? violation : "");
    }
    mut_live_after_cas = true;
    size_t k = explore(3, 3, 1);
    tap_ok(k == 0 && violation, "mutant marking LIVE after the CAS: checker finds '%s'",
           violation ? violation : "nothing");
    mut_live_after_cas = false;
    mut_no_recheck = true;
    k = explore(3, 2, 2);
    tap_ok(k == 0 && violation, "mutant without the hazard re-check: checker finds '%s'",
           violation ? violation : "nothing");
    stateset_free(&seen);
    return tap_done();
}
