/* test_sched.c - CPU contexts and the scheduler on simulated CPUs with a simulated clock: the state
 * machine and its rights, fairness and budgets of time slicing, migration, directed yield, lazy stop,
 * preemption upcalls, and a 100-thread user-level scheduler running on 2 contexts through upcalls. */
#include <string.h>

#include "kernel/core/sched.h"
#include "tests/core2/fake_c2env.h"
#include "tests/lib/tap.h"

#define ALLR (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)
#define US 1000ull
#define MS 1000000ull

static struct sched S;
static struct ctx C[8];

static void fresh(unsigned ncpus)
{
    fake_c2env_reset();
    sched_init(&S, ncpus);
    core2_timers_init();
    for (unsigned i = 0; i < 8; i++)
        ctx_init(&C[i], i + 1, NULL, fake_as(0));
}

static void test_state_machine(void)
{
    fresh(1);
    struct ctx *c = &C[0];
    struct ctx_regs r;
    memset(&r, 0, sizeof r);
    tap_eq(c->state, CTX_CREATED, "a new context is CREATED");
    tap_eq(ctx_read_regs(c, ALLR & ~EXO_R_CTX_READREGS, &r), EXO_EPERM, "read regs without READREGS: EPERM");
    tap_eq(ctx_write_regs(c, ALLR & ~EXO_R_CTX_WRITEREGS, &r), EXO_EPERM, "write regs without WRITEREGS: EPERM");
    r.r[CTX_RIP] = 0x401000;
    r.r[CTX_RSP] = 0x408000;
    r.r[CTX_RFLAGS] = 0x3000 | 0x1;  /* IOPL 3 must not survive, CF must */
    tap_eq(ctx_write_regs(c, ALLR, &r), 0, "write regs of a CREATED context");
    tap_eq(c->regs.r[CTX_RFLAGS], 0x201, "RFLAGS: IOPL cleared, IF forced, CF kept");
    struct ctx_regs bad = r;
    bad.r[CTX_RIP] = 0xffff800000000000ull;
    tap_eq(ctx_write_regs(c, ALLR, &bad), EXO_ERANGE, "kernel-half rip: ERANGE");
    bad = r;
    bad.r[CTX_FS_BASE] = EXO_USER_VA_END;
    tap_eq(ctx_write_regs(c, ALLR, &bad), EXO_ERANGE, "non-user FS base: ERANGE");
    tap_eq(c->regs.r[CTX_RIP], 0x401000, "a rejected write changed nothing");
    tap_eq(sched_stop(&S, c, ALLR), EXO_EBADSTATE, "stop of a CREATED context: EBADSTATE");
    tap_eq(sched_start(&S, c, ALLR & ~EXO_R_CTX_START), EXO_EPERM, "start without START: EPERM");
    tap_eq(sched_start(&S, c, ALLR), 0, "start");
    tap_eq(c->state, CTX_RUNNABLE, "started context is RUNNABLE");
    tap_eq(fake_kicks[0], 1, "starting on an idle CPU kicks it");
    tap_eq(sched_start(&S, c, ALLR), EXO_EBADSTATE, "start twice: EBADSTATE");
    tap_eq(ctx_write_regs(c, ALLR, &r), EXO_EBADSTATE, "write regs of a RUNNABLE context: EBADSTATE");
    tap_eq(ctx_read_regs(c, ALLR, &r), EXO_EBADSTATE, "read regs of a RUNNABLE context: EBADSTATE");
    tap_eq(sched_stop(&S, c, ALLR & ~EXO_R_CTX_STOP), EXO_EPERM, "stop without STOP: EPERM");
    tap_eq(sched_stop(&S, c, ALLR), 0, "stop a RUNNABLE context");
    tap_eq(c->state, CTX_STOPPED, "it is STOPPED at once");
    tap_eq(S.cpu[0].nr, 0, "and off the run queue");
    tap_eq(sched_stop(&S, c, ALLR), EXO_EBADSTATE, "stop twice: EBADSTATE");
    tap_eq(ctx_read_regs(c, ALLR, &r), 0, "read regs of a STOPPED context");
    tap_eq(r.r[CTX_RIP], 0x401000, "they are the ones written");
    tap_eq(sched_set_budget(&S, c, ALLR, CTX_BUDGET_MIN_NS - 1), EXO_EINVAL, "budget below minimum: EINVAL");
    tap_eq(sched_set_budget(&S, c, ALLR, CTX_BUDGET_MAX_NS + 1), EXO_EINVAL, "budget above maximum: EINVAL");
    tap_eq(sched_set_budget(&S, c, ALLR & ~EXO_R_CTX_BUDGET, MS), EXO_EPERM, "budget without BUDGET: EPERM");
    tap_eq(sched_start(&S, c, ALLR), 0, "a STOPPED context restarts");
    int up;
    tap_ok(sched_tick(&S, 0, 0, &up) == c && c->state == CTX_RUNNING, "tick dispatches it: RUNNING");
    tap_eq(ctx_read_regs(c, ALLR, &r), EXO_EBADSTATE, "read regs of a RUNNING context: EBADSTATE");
    uint64_t kicks = fake_kicks[0];
    tap_eq(sched_stop(&S, c, ALLR), 0, "stop a RUNNING context");
    tap_ok(c->state == CTX_RUNNING && c->stop_pending && fake_kicks[0] == kicks + 1, "lazily: marked, its CPU kicked");
    tap_ok(sched_tick(&S, 0, 10 * US, &up) == NULL && c->state == CTX_STOPPED, "next tick: STOPPED, CPU idle");
    tap_eq(c->used_ns, 10 * US, "the time it ran was charged");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

/* Runs `ncpus` CPUs for `dur` ns with a tick every `step` ns; returns nothing, counts in ctx. */
static void simulate(unsigned ncpus, uint64_t from, uint64_t dur, uint64_t step, int *bad_slice)
{
    struct ctx *last[CTX_MAX_CPUS] = {0};
    uint64_t run_start[CTX_MAX_CPUS] = {0};
    for (uint64_t t = from; t <= from + dur; t += step) {
        for (unsigned cpu = 0; cpu < ncpus; cpu++) {
            int up;
            struct ctx *c = sched_tick(&S, cpu, t, &up);
            if (c != last[cpu]) {
                /* A turn ended: it never ran longer than its budget (rounded up to a tick). */
                if (last[cpu] && t - run_start[cpu] > last[cpu]->budget_ns + step)
                    (*bad_slice)++;
                last[cpu] = c;
                run_start[cpu] = t;
            }
            if (sched_check(&S) != 0)
                (*bad_slice) += 1000;
        }
    }
}

static void test_fairness_and_budgets(void)
{
    fresh(1);
    int bad = 0;
    for (int i = 0; i < 3; i++)
        sched_start(&S, &C[i], ALLR);
    simulate(1, 0, 300 * MS, 50 * US, &bad);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < 3; i++) {
        lo = C[i].used_ns < lo ? C[i].used_ns : lo;
        hi = C[i].used_ns > hi ? C[i].used_ns : hi;
    }
    tap_ok(hi - lo <= CTX_BUDGET_DEFAULT_NS, "equal budgets: CPU time within one slice of each other (%llu..%llu ns)",
           (unsigned long long)lo, (unsigned long long)hi);
    tap_eq(bad, 0, "no turn exceeded its budget, invariants held at every tick");

    fresh(1);
    bad = 0;
    sched_set_budget(&S, &C[0], ALLR, 3 * MS);
    sched_set_budget(&S, &C[1], ALLR, 1 * MS);
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[1], ALLR);
    simulate(1, 0, 400 * MS, 50 * US, &bad);
    uint64_t a = C[0].used_ns, b = C[1].used_ns;
    tap_ok(a > 0 && b > 0 && a * 100 >= b * 295 && a * 100 <= b * 305, "budgets 3:1 give CPU time 3:1 (%llu vs %llu)",
           (unsigned long long)a, (unsigned long long)b);
    tap_eq(bad, 0, "3 ms and 1 ms turns honoured");
    tap_ok(S.cpu[0].idle_ns == 0, "no idle time with runnable contexts");
}

static void test_migration(void)
{
    fresh(2);
    int up;
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[1], ALLR);
    tap_eq(sched_migrate(&S, &C[1], ALLR, 2), EXO_EINVAL, "migrate to a CPU that does not exist: EINVAL");
    tap_eq(sched_migrate(&S, &C[1], ALLR & ~EXO_R_CTX_BUDGET, 1), EXO_EPERM, "migrate without BUDGET: EPERM");
    tap_eq(sched_migrate(&S, &C[1], ALLR, 1), 0, "migrate a RUNNABLE context");
    tap_ok(C[1].cpu == 1 && S.cpu[1].nr == 1 && S.cpu[0].nr == 1, "it moved queues at once");
    tap_ok(sched_tick(&S, 1, 0, &up) == &C[1], "CPU 1 runs it");
    tap_ok(sched_tick(&S, 0, 0, &up) == &C[0], "CPU 0 runs the other");
    uint64_t k = fake_kicks[0];
    tap_eq(sched_migrate(&S, &C[0], ALLR, 1), 0, "migrate a RUNNING context");
    tap_ok(C[0].state == CTX_RUNNING && C[0].cpu == 0 && fake_kicks[0] == k + 1, "lazily: still running, CPU 0 kicked");
    tap_ok(sched_tick(&S, 0, 100 * US, &up) == NULL, "at the kick CPU 0 lets it go and idles");
    tap_ok(C[0].cpu == 1 && C[0].state == CTX_RUNNABLE && S.cpu[1].nr == 1, "it waits on CPU 1's queue");
    tap_eq(C[0].left_ns, CTX_BUDGET_DEFAULT_NS - 100 * US, "keeping the rest of its slice");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
    int bad = 0;
    simulate(2, 100 * US, 100 * MS, 50 * US, &bad);
    tap_ok(S.cpu[0].idle_ns > 0 && C[0].used_ns > 40 * MS && C[1].used_ns > 40 * MS,
           "afterwards both share CPU 1, CPU 0 idles");
}

static void test_directed_yield(void)
{
    fresh(2);
    int up;
    for (int i = 0; i < 3; i++)
        sched_start(&S, &C[i], ALLR);
    sched_migrate(&S, &C[1], ALLR, 1);  /* A=C0, C=C2 on CPU 0; B=C1 on CPU 1 */
    tap_ok(sched_tick(&S, 0, 0, &up) == &C[0], "A runs on CPU 0");
    tap_eq(sched_yield_cpu(&S, 0, 200 * US, &C[1], ALLR & ~EXO_R_CTX_START), EXO_EPERM, "directed yield without START: EPERM");
    tap_eq(sched_yield_cpu(&S, 0, 200 * US, &C[0], ALLR), EXO_EBADSTATE, "directed yield to itself: EBADSTATE");
    C[3].state = CTX_STOPPED;
    tap_eq(sched_yield_cpu(&S, 0, 200 * US, &C[3], ALLR), EXO_EBADSTATE, "directed yield to a stopped context: EBADSTATE");
    tap_ok(S.cpu[0].cur == &C[0] && C[0].used_ns == 0, "rejected yields changed nothing");
    tap_eq(sched_yield_cpu(&S, 0, 200 * US, &C[1], ALLR), 0, "directed yield from A to B (queued on CPU 1)");
    tap_ok(S.cpu[0].cur == &C[1] && C[1].cpu == 0 && C[1].state == CTX_RUNNING, "B runs on CPU 0 right away, ahead of C");
    tap_eq(C[1].left_ns, CTX_BUDGET_DEFAULT_NS - 200 * US, "B got the rest of A's slice");
    tap_ok(S.cpu[0].head == &C[2] && S.cpu[0].tail == &C[0], "C is next, A went to the tail");
    tap_eq(sched_yield_cpu(&S, 0, 300 * US, NULL, 0), 0, "plain yield");
    tap_ok(S.cpu[0].cur == &C[2], "C runs");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

/* Upcall after preemption: the frame holds the preempted state; masked until upcall_done. */
static void test_upcall(void)
{
    fresh(1);
    int up;
    struct ctx_regs r = {0};
    r.r[CTX_RIP] = 0x401234;
    r.r[CTX_RSP] = 0x40f000;
    ctx_write_regs(&C[0], ALLR, &r);
    tap_eq(ctx_set_upcall(&C[0], ALLR, 0x402000, 0x40e008), EXO_EALIGN, "unaligned upcall stack: EALIGN");
    tap_eq(ctx_set_upcall(&C[0], ALLR, 0x402000, 0), EXO_EINVAL, "entry without stack: EINVAL");
    tap_eq(ctx_set_upcall(&C[0], ALLR, EXO_USER_VA_END, 0x40e000), EXO_ERANGE, "kernel entry: ERANGE");
    tap_eq(ctx_set_upcall(&C[0], ALLR, 0x100, 0x40e000), EXO_ERANGE, "entry in page 0: ERANGE");
    tap_eq(ctx_set_upcall(&C[0], ALLR, 0x402000, EXO_USER_VA_MIN + sizeof(struct exo_upcall_frame)), EXO_ERANGE,
           "stack too low for the frame: ERANGE");
    tap_eq(ctx_set_upcall(&C[0], 0, 0x402000, 0x40e000), EXO_EPERM, "without WRITEREGS: EPERM");
    tap_eq(ctx_set_upcall(&C[0], ALLR, 0x402000, 0x40e000), 0, "set upcall entry and stack");
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[1], ALLR);
    tap_ok(sched_tick(&S, 0, 0, &up) == &C[0] && up == 0, "first slice: no upcall");
    tap_ok(sched_tick(&S, 0, CTX_BUDGET_DEFAULT_NS, &up) == &C[1], "preempted at the end of its budget");
    tap_ok(C[0].preempted, "marked preempted");
    tap_ok(sched_tick(&S, 0, 2 * CTX_BUDGET_DEFAULT_NS, &up) == &C[0] && up == 1, "its next slice starts with an upcall due");
    tap_eq(ctx_prepare_resume(&C[0]), 1, "prepare_resume enters the handler");
    tap_ok(C[0].regs.r[CTX_RIP] == 0x402000 && C[0].upcall_masked, "rip is the entry; upcalls masked");
    struct exo_upcall_frame f;
    uint64_t fva = C[0].regs.r[CTX_RDI];
    memcpy(&f, fake_as_mem(0, fva), sizeof f);
    tap_ok(fva < 0x40e000 && fva % 16 == 0 && C[0].regs.r[CTX_RSP] == fva - 8, "frame below the upcall stack top, aligned");
    tap_ok(f.reason == UPCALL_PREEMPTED && f.regs.r[CTX_RIP] == 0x401234 && f.regs.r[CTX_RSP] == 0x40f000,
           "the frame holds the preempted rip and rsp");
    tap_ok(memcmp(f.fpu, C[0].fpu, sizeof f.fpu) == 0 && f.fpu[0] == 0x7f && f.fpu[1] == 0x03 && f.fpu[24] == 0x80 &&
           f.fpu[25] == 0x1f, "the frame holds the context's FPU image (a fresh one: FCW 0x37F, MXCSR 0x1F80)");
    /* Preempted inside the handler: resumes in place. */
    sched_tick(&S, 0, 3 * CTX_BUDGET_DEFAULT_NS, &up);
    sched_tick(&S, 0, 4 * CTX_BUDGET_DEFAULT_NS, &up);
    tap_ok(S.cpu[0].cur == &C[0] && up == 0 && ctx_prepare_resume(&C[0]) == 0, "masked: preemption in the handler resumes in place");
    tap_eq(C[0].upcalls, 1, "one upcall so far");
    ctx_upcall_done(&C[0]);
    /* An unwritable upcall stack: resume in place, the error reported. */
    C[0].upcall_stack = 0x900000;
    sched_tick(&S, 0, 5 * CTX_BUDGET_DEFAULT_NS, &up);
    sched_tick(&S, 0, 6 * CTX_BUDGET_DEFAULT_NS, &up);
    uint64_t rip = C[0].regs.r[CTX_RIP];
    tap_ok(up == 1 && ctx_prepare_resume(&C[0]) == EXO_EFAULT && C[0].regs.r[CTX_RIP] == rip,
           "unmapped upcall stack: EXO_EFAULT, registers untouched");
}

/* A LibOS model: 100 user threads, 2 contexts on 2 CPUs, user-level round robin driven by upcalls. */
#define NUT 100
#define WORK 25     /* ticks of work per user thread */
static int ut_left[NUT], ut_slices[NUT];
static int ready[NUT + 4], rhead, rcount;

static void ready_push(int u) { ready[(rhead + rcount++) % (NUT + 4)] = u; }
static int ready_pop(void)
{
    if (rcount == 0)
        return -1;
    int u = ready[rhead];
    rhead = (rhead + 1) % (NUT + 4);
    rcount--;
    return u;
}
static uint64_t ut_rip(int u) { return 0x401000 + (uint64_t)u * 16; }
static int rip_ut(uint64_t rip) { return rip >= 0x401000 && rip < 0x401000 + NUT * 16 ? (int)((rip - 0x401000) / 16) : -1; }

/* The LibOS upcall handler: put the preempted thread back, switch to the next (user-level). */
static int libos_upcall(struct ctx *c, int *order_bad)
{
    struct exo_upcall_frame f;
    memcpy(&f, fake_as_mem(0, c->regs.r[CTX_RDI]), sizeof f);
    int prev = rip_ut(f.regs.r[CTX_RIP]);
    if (f.reason != UPCALL_PREEMPTED)
        return -1;
    if (prev >= 0 && ut_left[prev] > 0)
        ready_push(prev);
    int next = ready_pop();
    c->regs.r[CTX_RIP] = next >= 0 ? ut_rip(next) : 0x400f00;  /* 0x400f00: the LibOS idle loop */
    if (next >= 0) {
        ut_slices[next]++;
        /* Round robin: nobody starts a third slice while someone has not had its first. */
        for (int u = 0; u < NUT; u++)
            if (ut_slices[u] == 0 && ut_slices[next] > 2)
                (*order_bad)++;
    }
    ctx_upcall_done(c);
    return 0;
}

static void test_user_level_scheduler(void)
{
    fresh(2);
    rhead = rcount = 0;
    for (int u = 0; u < NUT; u++) {
        ut_left[u] = WORK;
        ut_slices[u] = 0;
    }
    for (int u = 2; u < NUT; u++)
        ready_push(u);
    for (int i = 0; i < 2; i++) {
        struct ctx_regs r = {0};
        r.r[CTX_RIP] = ut_rip(i);
        ut_slices[i] = 1;
        ctx_write_regs(&C[i], ALLR, &r);
        ctx_set_upcall(&C[i], ALLR, 0x402000, 0x40e000 - (uint64_t)i * 0x1000);
        sched_set_budget(&S, &C[i], ALLR, 500 * US);
        sched_migrate(&S, &C[i], ALLR, i);
        sched_start(&S, &C[i], ALLR);
    }
    /* A third, unrelated context shares CPU 1, so the LibOS's contexts really are preempted. */
    sched_migrate(&S, &C[2], ALLR, 1);
    sched_start(&S, &C[2], ALLR);
    int bad = 0, order_bad = 0, done = 0;
    uint64_t t = 0;
    for (; t < 2000 * MS && done < NUT; t += 100 * US) {
        for (unsigned cpu = 0; cpu < 2; cpu++) {
            int up;
            struct ctx *c = sched_tick(&S, cpu, t, &up);
            if (!c || c == &C[2])
                continue;
            if (up && (ctx_prepare_resume(c) != 1 || libos_upcall(c, &order_bad) != 0))
                bad++;
            int u = rip_ut(c->regs.r[CTX_RIP]);
            if (u < 0) {
                continue;  /* idle loop */
            }
            if (--ut_left[u] == 0) {
                done++;
                /* The thread exits: user-level switch to the next ready thread, no kernel involved. */
                int next = ready_pop();
                c->regs.r[CTX_RIP] = next >= 0 ? ut_rip(next) : 0x400f00;
                if (next >= 0)
                    ut_slices[next]++;
            }
        }
        if (sched_check(&S) != 0)
            bad++;
    }
    tap_eq(done, NUT, "100 user threads on 2 contexts all ran to completion (%.1f ms simulated)", (double)t / MS);
    tap_eq(bad, 0, "every upcall delivered the preempted state; invariants held");
    tap_eq(order_bad, 0, "user-level round robin through upcalls: no thread starved");
    tap_ok(C[0].upcalls > 20 && C[1].upcalls > 20, "both contexts took upcalls (%llu, %llu)",
           (unsigned long long)C[0].upcalls, (unsigned long long)C[1].upcalls);
    tap_ok(C[2].used_ns > 0, "the unrelated context on CPU 1 kept its share");
}

int main(void)
{
    test_state_machine();
    test_fairness_and_budgets();
    test_migration();
    test_directed_yield();
    test_upcall();
    test_user_level_scheduler();
    return tap_done();
}
