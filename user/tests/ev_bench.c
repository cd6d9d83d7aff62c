/* ev_bench.c - cost of the event, timer and asynchronous-operation calls from ring 3 (`make bench`,
 * target bench-kevents), under QEMU TCG with one CPU, single-threaded TCG and -icount shift=0: an
 * rdtsc delta is then an instruction count (see exo_bench.c, whose calibration row this repeats).
 * Each row is the median of ROUNDS rounds of N operations, per operation; the baseline column is the
 * same number of null system calls (unknown number, EXO_ENOSYS), i.e. the bare entry/exit floor.
 *
 * Rows that need a second context on the same CPU (event round trip between two contexts, async
 * round trip through a service context, timer arm-to-fire latency into a sleeping context) run only
 * when init itself is a CPU context (contexts run on CPU 0); otherwise they print why they are
 * missing. */
#include "user/rt/rt.h"
#include "user/tests/bench_util.h"

#include <pladof/exo_ev.h>

#define ROUNDS 9
#define N      200
#define PG        4096ull
#define STACKS_VA 0x50000000ull

static uint64_t null_call;  /* one null system call, measured first */

static void row(const char *name, uint64_t v, unsigned calls, const char *base_name)
{
    uint64_t base = null_call * calls;
    if (base)
        rt_printf("# %-44s %9lu  %-22s %7lu %5lu.%02lux\n", name, v, base_name, base, v / base, (v * 100 / base) % 100);
    else
        rt_printf("# %-44s %9lu  %-22s %7s %8s\n", name, v, "-", "-", "-");
}

/* MEASURE(result, setup, op...): op (which may contain commas) runs N times per round after setup. */
#define MEASURE(var, setup, ...)                                                 \
    do {                                                                         \
        uint64_t r_[ROUNDS];                                                     \
        for (int k_ = 0; k_ < ROUNDS; k_++) {                                    \
            setup;                                                               \
            uint64_t t0_ = tsc();                                                \
            for (int i = 0; i < N; i++) {                                        \
                __VA_ARGS__;                                                     \
            }                                                                    \
            r_[k_] = (tsc() - t0_) / N;                                          \
        }                                                                        \
        var = median(r_, ROUNDS);                                                \
    } while (0)

static uint64_t Q, AS, D;
static volatile uint64_t d_ev_peer, d_ev_back, d_svc, d_ev_svc;

/* the peer context: every record on its set is answered with one on init's set */
_Noreturn void echo_main(uint64_t unused);
_Noreturn void echo_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        if (exo_event_wait(d_ev_peer, EXO_DEADLINE_NEVER, &e) == 0)
            exo_event_deliver(d_ev_back, e.a[0], 0, 0);
    }
}
/* the service context: sleeps on its notify set, completes everything queued */
_Noreturn void serve_main(uint64_t unused);
_Noreturn void serve_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        struct exo_service_request q;
        exo_event_wait(d_ev_svc, EXO_DEADLINE_NEVER, &e);
        while (exo_service_receive(d_svc, &q) == 0)
            exo_service_complete(d_svc, q.id, q.w[0]);
    }
}

static int64_t start_ctx(unsigned slot, void (*fn)(uint64_t))
{
    int64_t c = exo_cpu_context_alloc(D, AS);
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)fn;
    r.r[EXO_CTX_RSP] = STACKS_VA + (slot + 1) * PG - 8;
    if (c < 0 || exo_cpu_context_write_regs((uint64_t)c, &r) != 0 || exo_cpu_context_set_budget((uint64_t)c, 1000000, 0) != 0 ||
        exo_cpu_context_start((uint64_t)c) != 0)
        return -1;
    return c;
}

int main(uint64_t a0, uint64_t a1)
{
    if (!rt_boot)
        return 1;
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    int init_is_ctx = exo_yield(0) != EXO_EBADSTATE;
    rt_printf("# kevents benchmark: per operation, median of %d rounds of %d (rdtsc; instructions under -icount shift=0)\n",
              ROUNDS, N);
    rt_printf("# %-44s %9s  %-22s %7s %8s\n", "operation", "PLADOF", "baseline", "", "ratio");
    uint64_t v;
    MEASURE(v, , { uint64_t c_ = 1000; __asm__ volatile("1: dec %0; jnz 1b" : "+r"(c_) : : "cc"); });
    row("calibration: 1000 x (dec; jnz) = 2000", v, 0, "");
    MEASURE(null_call, , exo_syscall0(EXO_SYSCALL_BASE + 0x7ff));
    row("null syscall (ENOSYS)", null_call, 1, "1 null syscall");

    int64_t ev = exo_evset_create(Q), tok = exo_async_token_create(Q), svc = exo_service_create(Q, 0, 0);
    int64_t tm = exo_timer_create(Q, ev, 0);
    struct exo_event e;
    if (ev < 0 || tok < 0 || svc < 0 || tm < 0)
        rt_printf("# setup failed\n");
    MEASURE(v, , { exo_event_deliver((uint64_t)ev, i, 0, 0); exo_event_wait((uint64_t)ev, 0, &e); });
    row("event deliver + take (same context, queued)", v, 2, "2 null syscalls");
    MEASURE(v, , exo_event_wait((uint64_t)ev, 0, &e));
    row("event poll of an empty set (ETIMEDOUT)", v, 1, "1 null syscall");
    uint64_t far = (uint64_t)exo_get_system_time() + 1000000000000ull;
    MEASURE(v, , { exo_timer_arm((uint64_t)tm, far + i, 0); exo_timer_cancel((uint64_t)tm); });
    row("timer arm + cancel", v, 2, "2 null syscalls");
    MEASURE(v, , {
        struct exo_async_params p = {{i, 0, 0, 0}};
        struct exo_service_request q;
        int64_t res;
        exo_submit_async_op((uint64_t)tok, (uint64_t)svc, &p, 0, 0);
        exo_service_receive((uint64_t)svc, &q);
        exo_service_complete((uint64_t)svc, q.id, 1);
        exo_poll_async_op((uint64_t)tok, &res);
    });
    row("async submit+receive+complete+poll (1 ctx)", v, 4, "4 null syscalls");
    MEASURE(v, , {
        struct exo_async_params p = {{i, 0, 0, 0}};
        int64_t res;
        exo_submit_async_op((uint64_t)tok, (uint64_t)svc, &p, 0, 0);
        exo_cancel_async_op((uint64_t)tok);
        exo_poll_async_op((uint64_t)tok, &res);
    });
    row("async submit+cancel+poll", v, 3, "3 null syscalls");

    if (!init_is_ctx) {
        rt_printf("# (not measured: event round trip between two contexts, async round trip through a service context,\n"
                  "#  timer arm-to-fire latency: init is not a CPU context, and with one CPU no context runs)\n");
    } else {
        D = (uint64_t)exo_domain_create(Q);
        int64_t stacks = exo_alloc_mem_pages(Q, 2, 0);
        exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, 2);
        int64_t evp = exo_evset_create(Q), evb = exo_evset_create(Q), evs = exo_evset_create(Q);
        int64_t svc2 = exo_service_create(Q, (uint64_t)evs, 0);
        d_ev_peer = (uint64_t)exo_cap_copy((uint64_t)evp, D, EXO_R_EV_WAIT);
        d_ev_back = (uint64_t)exo_cap_copy((uint64_t)evb, D, EXO_R_EV_POST);
        d_ev_svc = (uint64_t)exo_cap_copy((uint64_t)evs, D, EXO_R_EV_WAIT);
        d_svc = (uint64_t)exo_cap_copy((uint64_t)svc2, D, EXO_R_SVC_SERVE);
        int64_t c1 = start_ctx(0, echo_main), c2 = start_ctx(1, serve_main);
        if (c1 < 0 || c2 < 0)
            rt_printf("# context setup failed\n");
        exo_yield(0); /* let them reach their waits */
        MEASURE(v, , {
            exo_event_deliver((uint64_t)evp, i, 0, 0);
            exo_event_wait((uint64_t)evb, EXO_DEADLINE_NEVER, &e);
        });
        row("event round trip to another domain's context", v, 4, "4 null syscalls");
        MEASURE(v, , {
            struct exo_async_params p = {{i, 0, 0, 0}};
            int64_t res;
            exo_submit_async_op((uint64_t)tok, (uint64_t)svc2, &p, 0, 0);
            exo_wait_async_op((uint64_t)tok, EXO_DEADLINE_NEVER, &res);
        });
        row("async submit+complete+wait via a service ctx", v, 6, "6 null syscalls");
        /* arm-to-fire: a one-shot 100 us ahead, the caller sleeps on the set; instructions from the
         * arm to the caller running with the record, and the lateness against the deadline */
        uint64_t lat[ROUNDS], late[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            uint64_t t0 = tsc();
            uint64_t dl = (uint64_t)exo_get_system_time() + 100000;
            exo_timer_arm((uint64_t)tm, dl, 0);
            exo_event_wait((uint64_t)ev, EXO_DEADLINE_NEVER, &e);
            lat[k] = tsc() - t0;
            late[k] = (uint64_t)exo_get_system_time() - dl;
        }
        row("timer arm-to-fire, 100 us one-shot (total)", median(lat, ROUNDS), 0, "");
        row("  of which after the deadline (lateness, ns)", median(late, ROUNDS), 0, "");
        exo_cpu_context_stop((uint64_t)c1);
        exo_cpu_context_stop((uint64_t)c2);
    }
    tap_ok(kexo_check() == 0, "evbench: invariants hold after the benchmark");
    return tap_done();
}
