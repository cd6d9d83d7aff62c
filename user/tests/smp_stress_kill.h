/* smp_stress_kill.h - the domain-kill activity of smp_stress.c: in each round init makes a domain F with
 * three contexts on CPUs 1, 2 and 3 that deliver to and wait on a set (one of them sleeping in a bounded
 * wait at almost any moment), lets them run, then makes the one on CPU 1 execute ud2. F has no handler, so
 * F is killed from CPU 1 while its other contexts run or sleep on CPUs 2 and 3 (and the rest of the test
 * keeps every CPU busy): all three must be stopped and stay stopped, none can be started again, and every
 * capability F held must be gone. Included once, by smp_stress.c, after smp_stress_ctx.h. */
#ifndef PLADOF_USER_TESTS_SMP_STRESS_KILL_H
#define PLADOF_USER_TESTS_SMP_STRESS_KILL_H

#include "user/tests/smp_stress_ctx.h"

#define KILL_R        6
#define KILL_N        3
#define KILL_STACK_VA 0x51000000ull
#define KILL_STACK_PG 2

static volatile uint64_t k_round, k_bomb;   /* the round running; the round whose bomber must fault */
static volatile uint64_t k_set_h, k_sink_h; /* F's handles: the round's set (WAIT, POST), init's sink set (POST) */
static volatile uint64_t k_iters[KILL_N], k_bad;
static volatile int64_t k_last_bad;

_Noreturn void doomed_main(uint64_t id);
_Noreturn void doomed_main(uint64_t id)
{
    uint64_t r = k_round;
    for (;;) {
        int64_t rc = exo_event_deliver(k_sink_h, id, k_iters[id], 0);
        if (rc != 0 && rc != EXO_EAGAIN)
            k_bad++, k_last_bad = rc;
        if ((rc = exo_event_deliver(k_set_h, id, 0, 0)) != 0 && rc != EXO_EAGAIN)
            k_bad++, k_last_bad = rc;
        struct exo_event e;
        rc = exo_event_wait(k_set_h, (uint64_t)now() + 200000, &e);
        if (rc != 0 && rc != EXO_ETIMEDOUT && rc != EXO_EBUSY) /* EBUSY: another of the three waits there */
            k_bad++, k_last_bad = rc;
        __atomic_add_fetch(&k_iters[id], 1, __ATOMIC_RELAXED);
        if (id == 0 && __atomic_load_n(&k_bomb, __ATOMIC_ACQUIRE) == r)
            __asm__ volatile("ud2");
    }
}

struct kill_result {
    uint64_t ran, stopped, stayed, dead, caps_gone, setup_bad;
};

/* The rounds, driven by init (holding quota qs, address space as); returns what held in how many rounds. */
static struct kill_result kill_rounds(uint64_t qs, uint64_t as)
{
    struct kill_result kr = {0};
    int64_t stk = exo_alloc_mem_pages(qs, KILL_N * KILL_STACK_PG, 0), sink = exo_evset_create(qs);
    if (stk < 0 || sink < 0 ||
        exo_map_pages(as, (uint64_t)stk, KILL_STACK_VA, EXO_MAP_R | EXO_MAP_W, 0, KILL_N * KILL_STACK_PG) != 0) {
        kr.setup_bad++;
        return kr;
    }
    for (uint64_t r = 1; r <= KILL_R; r++) {
        int64_t f = exo_domain_create(qs), set = exo_evset_create(qs);
        int64_t hs = f > 0 && set > 0 ? exo_cap_copy((uint64_t)set, (uint64_t)f, EXO_R_EV_WAIT | EXO_R_EV_POST) : -1;
        int64_t hk = hs > 0 ? exo_cap_copy((uint64_t)sink, (uint64_t)f, EXO_R_EV_POST) : -1;
        int64_t c[KILL_N];
        int ok = hk > 0;
        k_set_h = (uint64_t)hs, k_sink_h = (uint64_t)hk;
        __atomic_store_n(&k_round, r, __ATOMIC_RELEASE);
        for (unsigned i = 0; i < KILL_N; i++) {
            c[i] = ok ? exo_cpu_context_alloc((uint64_t)f, as) : -1;
            struct exo_ctx_regs regs = {0};
            regs.r[EXO_CTX_RIP] = (uint64_t)doomed_main;
            regs.r[EXO_CTX_RSP] = KILL_STACK_VA + (i + 1) * KILL_STACK_PG * PG - 8;
            regs.r[EXO_CTX_RDI] = i;
            ok = c[i] > 0 && exo_cpu_context_write_regs((uint64_t)c[i], &regs) == 0 &&
                 exo_cpu_context_set_budget((uint64_t)c[i], 1000000, 1 + i) == 0;
        }
        uint64_t base[KILL_N];
        for (unsigned i = 0; i < KILL_N; i++)
            base[i] = k_iters[i];
        for (unsigned i = 0; ok && i < KILL_N; i++)
            ok = exo_cpu_context_start((uint64_t)c[i]) == 0;
        if (!ok) {
            kr.setup_bad++;
            break;
        }
        kr.ran += SLEEP_UNTIL(k_iters[0] > base[0] + 20 && k_iters[1] > base[1] + 20 && k_iters[2] > base[2] + 20, 6000);
        __atomic_store_n(&k_bomb, r, __ATOMIC_RELEASE);
        int st = SLEEP_UNTIL(stopped_h((uint64_t)c[0]) && stopped_h((uint64_t)c[1]) && stopped_h((uint64_t)c[2]), 6000);
        kr.stopped += st;
        uint64_t snap[KILL_N];
        for (unsigned i = 0; i < KILL_N; i++)
            snap[i] = k_iters[i];
        SLEEP_UNTIL(0, 2);
        kr.stayed += st && k_iters[0] == snap[0] && k_iters[1] == snap[1] && k_iters[2] == snap[2];
        int dead = 1;
        for (unsigned i = 0; i < KILL_N; i++)
            dead &= exo_cpu_context_start((uint64_t)c[i]) == EXO_EBADSTATE;
        kr.dead += dead;
        /* F's copies of the set and of the sink were children of init's capabilities: deleted by the kill */
        kr.caps_gone += exo_cap_revoke((uint64_t)set) == 0 && exo_cap_revoke((uint64_t)sink) == 0;
        exo_cap_revoke((uint64_t)f); /* its contexts' capabilities */
        exo_cap_delete((uint64_t)f);
        exo_cap_delete((uint64_t)set);
    }
    exo_unmap_pages(as, KILL_STACK_VA, KILL_N * KILL_STACK_PG);
    exo_free_mem_pages((uint64_t)stk);
    exo_cap_delete((uint64_t)sink);
    return kr;
}

#endif
