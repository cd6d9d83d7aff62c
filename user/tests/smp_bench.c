/* smp_bench.c - how the kernel's locking scales with CPUs (`make bench`, target bench-ksmp; docs/SMP-BENCH.md).
 * For k = 1, 2 and 4 CPUs, k worker contexts (one per CPU 0..k-1, each in its own domain, with objects it
 * created itself on its own CPU) run N iterations of one hot operation, all released together by a
 * barrier in shared memory; init sleeps meanwhile. Rows: a pure user loop (checks the clock model), the
 * null system call (no lock), (a) plain exo_yield alone on the CPU, (b) a capability lookup (exo_cap_invoke
 * NOP) and (b') another (exo_debug_write of 0 bytes: the console capability is checked, then EXO_EINVAL), (c) deliver to the own set + take the record, (d) timer arm + cancel, (e) event ping-pong between
 * two CPUs (pairs 0<->1, 2<->3; k counts both CPUs of each pair, one op is one round trip).
 *
 * Cost per operation, median of 5 rounds under icount (runs repeat almost exactly), 9 in real time. Under
 * `-icount shift=0` with single-threaded TCG the guest clock advances one ns per instruction executed by ANY
 * vCPU (the vCPUs take turns), so (last end - first start) / (total ops) is the machine-wide instruction
 * count per operation, spinning included; with real time (multi-threaded TCG, KVM) the same window / (ops
 * per CPU) is the wall time per operation on one CPU. The program tells the two apart by calibration and
 * says which it prints. Lock statistics (KEXO_SYS_LOCKSTAT, summed over CPUs) are per operation over all
 * rounds, minus the same harness run with no operations. With a real-time clock the host's share of the
 * slow-down (vCPUs outnumbering host cores, other load) is divided out in a "vs loop" column: each round is
 * followed by the user loop on the same CPUs (that row's own "vs loop" shows how noisy the host is). */
#include "user/rt/rt.h"
#include "user/tests/bench_util.h"
#include "user/tests/smp_util.h"

#include <pladof/exo_ev.h>

#define ROUNDS   9 /* at most */
#define N        400
#define NW       4            /* workers: one per CPU */
#define PG       4096ull
#define STACK_VA 0x50000000ull /* one stack page per worker */
#define FAR_NS   1000000000000ull

enum { OP_CALIB, OP_NULL, OP_YIELD, OP_LOOKUP, OP_LOOKUP_W, OP_EVLOCAL, OP_TIMER, OP_PINGPONG, OP_COUNT,
       OP_TLAT_LOCAL = OP_COUNT, OP_TLAT_REMOTE, OP_ALL }; /* the last two: not table rows (timer_latency) */
#define NLAT 20
static const char *const op_name[OP_ALL] = {
    "user loop, 2000 instructions (clock check)",
    "null syscall (ENOSYS, no lock)",
    "(a) exo_yield, alone on the CPU",
    "(b) cap lookup: exo_cap_invoke NOP",
    "(b') lookup: exo_debug_write, 0 bytes",
    "(c) deliver to own set + take",
    "(d) timer arm + cancel",
    "(e) ping-pong round trip, 2 CPUs/pair",
    "timer lateness, armed on its own CPU",
    "timer lateness, armed from another CPU",
};

/* shared between init and the workers (they run in init's address space) */
struct worker {
    uint64_t dom;                    /* init's handle of the worker's domain */
    volatile uint64_t q, cmd, done;  /* the worker's handles: quota, command set (WAIT), init's done set (POST) */
    volatile uint64_t partner_dom;   /* the worker's handle of its partner's domain (GRANT) */
    volatile uint64_t console;       /* the worker's copy of init's console (WRITE) */
    volatile uint64_t ev, tm;        /* created by the worker on its CPU: its set, a timer on that set */
    volatile uint64_t peer_post;     /* POST capability to the partner's set (in this worker's space) */
    volatile uint64_t peer_tm;       /* ARM capability to the partner's timer (in this worker's space) */
    volatile uint64_t lat[NLAT];     /* timer lateness samples (kernel clock at expiry - deadline) */
    volatile int64_t setup_err;
    volatile uint64_t t0, t1, bad;   /* last run: start, end, mismatched ping-pong records */
};
static struct worker w[NW];
static volatile uint64_t cmd_op, cmd_n, cmd_k, gate;

static int64_t now(void) { return exo_get_system_time(); }

static void run_op(struct worker *me, unsigned id, uint64_t op, uint64_t n)
{
    struct exo_event e;
    switch (op) {
    case OP_CALIB:
        for (uint64_t i = 0; i < n; i++) {
            uint64_t c = 1000;
            __asm__ volatile("1: dec %0; jnz 1b" : "+r"(c) : : "cc");
        }
        break;
    case OP_NULL:
        for (uint64_t i = 0; i < n; i++)
            exo_syscall0(EXO_SYSCALL_BASE + 0x7ff);
        break;
    case OP_YIELD:
        for (uint64_t i = 0; i < n; i++)
            exo_yield(0);
        break;
    case OP_LOOKUP:
        for (uint64_t i = 0; i < n; i++)
            exo_cap_invoke(me->ev, EXO_OP_NOP, 0);
        break;
    case OP_LOOKUP_W: /* the console capability is looked up and checked, then the length is refused */
        for (uint64_t i = 0; i < n; i++)
            exo_debug_write(me->console, &e, 0);
        break;
    case OP_EVLOCAL:
        for (uint64_t i = 0; i < n; i++) {
            exo_event_deliver(me->ev, i, 0, 0);
            if (exo_event_wait(me->ev, 0, &e) != 0 || e.a[0] != i)
                me->bad++;
        }
        break;
    case OP_TIMER:
        for (uint64_t i = 0; i < n; i++) {
            exo_timer_arm(me->tm, FAR_NS + i, 0);
            exo_timer_cancel(me->tm);
        }
        break;
    case OP_PINGPONG:
        for (uint64_t i = 0; i < n; i++) {
            if (!(id & 1)) { /* the even worker serves, the odd one answers */
                exo_event_deliver(me->peer_post, i, 0, 0);
                if (exo_event_wait(me->ev, EXO_DEADLINE_NEVER, &e) != 0 || e.a[0] != i)
                    me->bad++;
            } else {
                if (exo_event_wait(me->ev, EXO_DEADLINE_NEVER, &e) != 0 || e.a[0] != i)
                    me->bad++;
                exo_event_deliver(me->peer_post, e.a[0], 0, 0);
            }
        }
        break;
    case OP_TLAT_LOCAL:  /* the odd worker arms its own timer 100 us ahead and sleeps until it fires */
    case OP_TLAT_REMOTE: /* the even worker arms the odd one's timer (home: the odd one's CPU, idle meanwhile) */
        for (uint64_t i = 0; i < n; i++) {
            if (id & 1) {
                if (op == OP_TLAT_LOCAL)
                    exo_timer_arm(me->tm, (uint64_t)now() + 100000, 0);
                if (exo_event_wait(me->ev, EXO_DEADLINE_NEVER, &e) != 0 || e.kind != EXO_EV_TIMER)
                    me->bad++;
                else if (i < NLAT)
                    me->lat[i] = e.a[1] - e.a[0];
                if (op == OP_TLAT_REMOTE)
                    exo_event_deliver(me->peer_post, i, 0, 0);
            } else if (op == OP_TLAT_REMOTE) {
                exo_timer_arm(me->peer_tm, (uint64_t)now() + 100000, 0);
                if (exo_event_wait(me->ev, EXO_DEADLINE_NEVER, &e) != 0 || e.a[0] != i)
                    me->bad++;
            }
        }
        break;
    }
}

/* A worker: makes its own objects on its own CPU, then runs the commands init posts to its set. */
_Noreturn void worker_main(uint64_t id);
_Noreturn void worker_main(uint64_t id)
{
    struct worker *me = &w[id];
    int64_t ev = exo_evset_create(me->q);
    int64_t tm = ev > 0 ? exo_timer_create(me->q, (uint64_t)ev, id) : ev;
    int64_t peer = 0, ptm = 0; /* no partner on a machine with an odd number of CPUs */
    if (tm > 0 && me->partner_dom) {
        peer = exo_cap_copy((uint64_t)ev, me->partner_dom, EXO_R_EV_POST);
        ptm = peer > 0 ? exo_cap_copy((uint64_t)tm, me->partner_dom, EXO_R_TIMER_ARM) : peer;
    }
    me->ev = (uint64_t)ev;
    me->tm = (uint64_t)tm;
    w[id ^ 1].peer_post = (uint64_t)peer; /* handles in the partner's space */
    w[id ^ 1].peer_tm = (uint64_t)ptm;
    me->setup_err = ev < 0 ? ev : tm < 0 ? tm : peer < 0 ? peer : ptm < 0 ? ptm : 0;
    exo_event_deliver(me->done, id, 0, 0);
    for (;;) {
        struct exo_event e;
        if (exo_event_wait(me->cmd, EXO_DEADLINE_NEVER, &e) != 0)
            smp_exit();
        uint64_t op = __atomic_load_n(&cmd_op, __ATOMIC_ACQUIRE), n = cmd_n, k = cmd_k;
        /* barrier: the last to arrive releases everyone */
        __atomic_add_fetch(&gate, 1, __ATOMIC_ACQ_REL);
        while (__atomic_load_n(&gate, __ATOMIC_ACQUIRE) < k)
            smp_pause();
        me->t0 = (uint64_t)now();
        run_op(me, (unsigned)id, op, n);
        me->t1 = (uint64_t)now();
        exo_event_deliver(me->done, id, 1, 0);
    }
}

static uint64_t Q, AS, cmdset[NW], doneset;
static int lockstat_ok = 1, failures;

/* One run of op on workers 0..k-1, n operations each; returns the window (first start to last end) or 0
 * when a worker did not report back in time. */
static uint64_t run(uint64_t op, unsigned k, uint64_t n)
{
    cmd_n = n;
    cmd_k = k;
    gate = 0;
    __atomic_store_n(&cmd_op, op, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < k; i++)
        exo_event_deliver(cmdset[i], op, 0, 0);
    int64_t deadline = now() + 20000000000ll; /* 20 s of guest time */
    for (unsigned got = 0; got < k;) {
        struct exo_event e;
        if (exo_event_wait(doneset, (uint64_t)deadline, &e) != 0) {
            rt_printf("# run of '%s' on %u CPUs: only %u of the workers reported back\n", op_name[op], k, got);
            failures++;
            return 0;
        }
        got++;
    }
    uint64_t t0 = ~0ull, t1 = 0;
    for (unsigned i = 0; i < k; i++) {
        t0 = w[i].t0 < t0 ? w[i].t0 : t0;
        t1 = w[i].t1 > t1 ? w[i].t1 : t1;
    }
    return t1 - t0;
}

static void fmt(char *buf, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    rt_vsnprintf(buf, cap, f, ap);
    va_end(ap);
}

static int rounds = ROUNDS;
static int icount_clock; /* 1: the guest clock counts instructions of all vCPUs together */
static uint64_t base_cost[OP_COUNT], base_norm[OP_COUNT];

/* How late a timer made on CPU 1 fires when CPU 1 arms it itself and when CPU 0 arms it (CPU 1 idle, its
 * worker asleep on the set): the second needs the arm to reach CPU 1's one-shot (a kick). Median of NLAT. */
static void timer_latency(void)
{
    uint64_t med[2];
    for (unsigned j = 0; j < 2; j++) {
        run(OP_TLAT_LOCAL + j, 2, NLAT);
        med[j] = median((uint64_t *)w[1].lat, NLAT);
    }
    rt_printf("# timer expiry lateness (kernel clock at expiry - deadline), 100 us one-shot, timer made on CPU 1, median of %d:\n"
              "#   armed on CPU 1 itself: %lu ns; armed from CPU 0 while CPU 1 idles: %lu ns\n", NLAT, med[0], med[1]);
}

static void ratio_str(char *buf, size_t cap, uint64_t v, uint64_t base)
{
    if (!base) {
        fmt(buf, cap, "-");
        return;
    }
    uint64_t x = v * 100 / base;
    fmt(buf, cap, "%lu.%02lux", x / 100, x % 100);
}

/* One table row. With a real-time clock each round is followed by a run of the user loop on the same k
 * CPUs, and the cost is also given in units of that loop: the "vs loop" ratio divides out what the host
 * does to all vCPUs alike (4 vCPUs on 2 host cores, other load), leaving what the kernel adds. */
static void measure(uint64_t op, unsigned k)
{
    uint64_t ops = op == OP_PINGPONG ? (uint64_t)N * (k / 2) : (uint64_t)N * k; /* operations in one run */
    uint64_t per_cpu = N;
    struct smp_locksum a, b, c, d;
    /* the harness alone (commands, barrier, reports): subtracted from the lock counts */
    if (smp_lockstat(&a) != 0)
        lockstat_ok = 0;
    run(op, k, 0);
    smp_lockstat(&b);
    uint64_t v[ROUNDS], nv[ROUNDS];
    smp_lockstat(&c);
    for (int r = 0; r < rounds; r++) {
        uint64_t win = run(op, k, N);
        v[r] = icount_clock ? win / ops : win / per_cpu;
        if (!icount_clock) {
            uint64_t loop = run(OP_CALIB, k, N) / per_cpu;
            nv[r] = loop ? v[r] * 1000 / loop : 0;
        }
    }
    smp_lockstat(&d);
    uint64_t cost = median(v, rounds), norm = icount_clock ? 0 : median(nv, rounds);
    if (k == 1 || (op == OP_PINGPONG && k == 2))
        base_cost[op] = cost, base_norm[op] = norm;
    char ratio[16], vsloop[16], ls[80] = "lockstat unavailable";
    ratio_str(ratio, sizeof ratio, cost, base_cost[op]);
    ratio_str(vsloop, sizeof vsloop, norm, icount_clock ? 0 : base_norm[op]);
    if (lockstat_ok) {
        uint64_t tot = ops * rounds, harness_runs = icount_clock ? rounds : 2 * rounds;
        /* per operation, in hundredths: the rounds' counts minus the harness-only run's per run */
#define PER_OP(f) ({ uint64_t m_ = d.f - c.f, h_ = (b.f - a.f) * harness_runs; m_ = m_ > h_ ? m_ - h_ : 0; m_ * 100 / tot; })
        uint64_t x = PER_OP(excl), s = PER_OP(shard), ct = PER_OP(contended), sp = PER_OP(spins);
#undef PER_OP
        fmt(ls, sizeof ls, "%6lu.%02lu %6lu.%02lu %6lu.%02lu %8lu.%02lu", x / 100, x % 100, s / 100, s % 100,
            ct / 100, ct % 100, sp / 100, sp % 100);
    }
    rt_printf("# %-42s %2u %9lu %7s %7s  %s\n", op_name[op], k, cost, ratio, vsloop, ls);
}

/* Whether the guest clock is an instruction count: 100 x 2000 instructions by init alone (the other CPUs
 * idle) read as 200,000 ns within 1% under -icount shift=0; real time would be a host-dependent figure. */
static uint64_t clock_check(void)
{
    int64_t t0 = now();
    for (int i = 0; i < 100; i++) {
        uint64_t c = 1000;
        __asm__ volatile("1: dec %0; jnz 1b" : "+r"(c) : : "cc");
    }
    return (uint64_t)(now() - t0);
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "smpbench: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    int64_t stacks = exo_alloc_mem_pages(Q, NW, 0), ds = exo_evset_create(Q);
    int ok = stacks > 0 && ds > 0 && exo_map_pages(AS, (uint64_t)stacks, STACK_VA, EXO_MAP_R | EXO_MAP_W, 0, NW) == 0;
    doneset = (uint64_t)ds;
    /* one worker per CPU that takes contexts (up to NW), each in its own domain */
    int64_t ctx[NW];
    unsigned nw = 0;
    for (unsigned i = 0; ok && i < NW; i++) {
        int64_t d = exo_domain_create(Q), cs = exo_evset_create(Q), c = d > 0 ? exo_cpu_context_alloc((uint64_t)d, AS) : d;
        struct exo_ctx_regs r = {0};
        r.r[EXO_CTX_RIP] = (uint64_t)worker_main;
        r.r[EXO_CTX_RSP] = STACK_VA + (i + 1) * PG - 8;
        r.r[EXO_CTX_RDI] = i;
        if (d < 0 || cs < 0 || c < 0 || exo_cpu_context_write_regs((uint64_t)c, &r) != 0)
            ok = 0;
        else if (exo_cpu_context_set_budget((uint64_t)c, 100000000, i) != 0) /* 100 ms slices: runs are not cut */
            break;                                                            /* no CPU i */
        w[i].dom = (uint64_t)d;
        cmdset[i] = (uint64_t)cs;
        ctx[i] = c;
        nw = i + 1;
    }
    for (unsigned i = 0; ok && i < nw; i++) {
        uint64_t d = w[i].dom;
        int64_t q = exo_cap_copy(Q, d, EXO_R_ALL), cm = exo_cap_copy(cmdset[i], d, EXO_R_EV_WAIT);
        int64_t dn = exo_cap_copy(doneset, d, EXO_R_EV_POST);
        int64_t pd = (i ^ 1) < nw ? exo_cap_copy(w[i ^ 1].dom, d, EXO_R_GRANT) : 0;
        int64_t con = exo_cap_copy(rt_console, d, EXO_R_WRITE);
        ok = q > 0 && cm > 0 && dn > 0 && pd >= 0 && con > 0;
        w[i].console = (uint64_t)con;
        w[i].q = (uint64_t)q, w[i].cmd = (uint64_t)cm, w[i].done = (uint64_t)dn, w[i].partner_dom = (uint64_t)pd;
    }
    for (unsigned i = 0; ok && i < nw; i++)
        ok = exo_cpu_context_start((uint64_t)ctx[i]) == 0;
    unsigned ready = 0;
    struct exo_event e;
    int64_t deadline = now() + 10000000000ll;
    while (ok && ready < nw && exo_event_wait(doneset, (uint64_t)deadline, &e) == 0)
        ready++;
    for (unsigned i = 0; i < ready; i++)
        ok &= w[i].setup_err == 0;
    if (!tap_ok(ok && nw >= 1 && ready == nw, "smpbench: %u workers (one per CPU, own domains) made their objects", nw))
        return tap_done();

    uint64_t cal = clock_check();
    icount_clock = cal > 198000 && cal < 202000;
    rounds = icount_clock ? 5 : ROUNDS;
    struct smp_locksum ls;
    int64_t lr = smp_lockstat(&ls);
    rt_printf("# smp benchmark: %u CPUs with workers, %d rounds of %d operations per worker, median; clock check: "
              "200000 instructions read %lu ns\n", nw, rounds, N, cal);
    if (icount_clock)
        rt_printf("# cost = machine-wide instructions per operation (icount: the clock counts every vCPU's instructions)\n");
    else
        rt_printf("# cost = wall-clock ns per operation on one CPU (the clock is real time: not an instruction count)\n");
    if (lr != 0)
        rt_printf("# lockstat unavailable (KEXO_SYS_LOCKSTAT: %s)\n", exo_strerror(lr));
    rt_printf("# lock columns: per operation, summed over CPUs, harness subtracted: exclusive and shard acquisitions, "
              "acquisitions that found the lock taken, busy-wait iterations\n");
    rt_printf("# %-42s %2s %9s %7s %7s  %9s %9s %9s %11s\n", "operation", "k", "cost/op", "ratio", "vs loop", "excl/op", "shard/op",
              "contend/op", "spins/op");
    static const unsigned ks[3] = {1, 2, 4};
    for (uint64_t op = 0; op < OP_COUNT; op++)
        for (unsigned j = 0; j < 3; j++) {
            if (ks[j] > nw || (op == OP_PINGPONG && ks[j] < 2))
                continue;
            measure(op, ks[j]);
        }
    if (nw >= 2)
        timer_latency();
    uint64_t bad = 0;
    for (unsigned i = 0; i < nw; i++)
        bad += w[i].bad;
    tap_ok(failures == 0, "smpbench: every run finished (every worker reported back)");
    tap_eq(bad, 0, "smpbench: every record taken was the one expected (own set and ping-pong)");
    for (unsigned i = 0; i < nw; i++)
        exo_cpu_context_stop((uint64_t)ctx[i]);
    tap_eq(kexo_check(), 0, "smpbench: invariants hold after the benchmark");
    return tap_done();
}
