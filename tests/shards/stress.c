/* stress.c - N threads, each a simulated CPU, hammer kernel/exo/shards.c (built unchanged against the
 * shim in tests/shards/shim) and check what the lock protocol promises (see stress.h, shards.h).
 *
 * Bookkeeping per shard, all changed only by a holder of that shard: an owner word (0 free, else the
 * holding CPU + 1, with EXT set while that CPU is inside shards_extend, where it may legitimately let
 * go), a generation (bumped at every acquisition the test makes), and a plain, non-atomic counter that
 * holders increment with a delay between the read and the write: an overlap shows up as a wrong owner,
 * as lost increments, and under ThreadSanitizer as a data race on the counter. */
#include "stress.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/exo/shards.h"
#include "shards_shim.h"

#ifndef SHARDS_BROKEN
#define SHARDS_BROKEN 0
#endif

#define EXT (1ull << 32)
#define IF_BIT (1ull << 9)
/* The test's own bookkeeping uses relaxed atomics on purpose: they order nothing, so every
 * happens-before edge ThreadSanitizer sees between two holders of a shard comes from shards.c's
 * acquire and release (a relaxed lock word would show up as a race on the plain counter). */
#define RLX __ATOMIC_RELAXED

static struct {
    uint64_t owner, gen;
    volatile uint64_t plain;
} __attribute__((aligned(64))) sw[MAX_CPUS];

struct thr {
    unsigned id;
    uint64_t rng;
    uint64_t believed;  /* what this CPU holds by the test's account (atomic: exclusive holders read it) */
    uint32_t in_extend; /* inside shards_extend: `believed` may have been let go (atomic) */
    unsigned depth;     /* 1 inside a simulated interrupt handler */
    uint64_t incs[MAX_CPUS];
    struct stress_cpu c;
    uint64_t ops, nested, excl, shootdowns, ext_true, ext_false, ext_false_moved, steals;
} __attribute__((aligned(64)));

static struct thr thr[MAX_CPUS];
static _Thread_local struct thr *self;
static unsigned nshard, nthr, ids[MAX_CPUS]; /* shards; the CPUs that run (ids[0..nthr)) */
static uint64_t all;
static int stop; /* set at the first failure: the run ends early (atomic) */
static struct stress_result *res;
static pthread_mutex_t res_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *const fail_names[SF_N] = {
    [SF_OVERLAP] = "mutual exclusion: no two CPUs inside one shard",
    [SF_EXT_LETGO] = "extend returning true never let go of a shard",
    [SF_EXT_FALSE] = "extend returns false only when it had to try a lower shard",
    [SF_HELD] = "shards_held() matches what was taken",
    [SF_EXCL] = "exclusive: shards_exclusive() right, no other CPU holds anything",
    [SF_IRQ] = "interrupt flag: off while holding, restored by unlock",
    [SF_SHOOTDOWN] = "every simulated TLB shootdown answered (no deadlock)",
};
const char *stress_fail_name(enum stress_fail k) { return fail_names[k]; }

__attribute__((format(printf, 2, 3))) static void fail(enum stress_fail k, const char *fmt, ...)
{
    pthread_mutex_lock(&res_mu);
    if (res->fails[k]++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(res->first[k], sizeof res->first[k], fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&res_mu);
    __atomic_store_n(&stop, 1, RLX);
}

static uint64_t rnd(void)
{
    uint64_t x = self->rng; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    self->rng = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint64_t ld(const uint64_t *p) { return __atomic_load_n(p, RLX); }
static void st(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, RLX); }
static uint64_t tag(void) { return self->id + 1; }
static int lowest(uint64_t m) { return __builtin_ctzll(m); }
static int highest(uint64_t m) { return 63 - __builtin_clzll(m); }
#define FOR_EACH(i, m) for (uint64_t r_ = (m); r_ && ((i) = (unsigned)lowest(r_), 1); r_ &= r_ - 1)

/* A delay inside the critical section, so that an overlap has time to show. */
static void dawdle(void)
{
    uint64_t r = rnd();
    if (self->depth == 0 && (r & 31) == 0) {
        sched_yield();
        return;
    }
    for (volatile unsigned k = 0; k < (r >> 8 & 127); k++)
        ;
}

/* The test's side of taking shards m: nobody else may be marked as holding them. */
static void mark_taken(uint64_t m)
{
    unsigned i;
    FOR_EACH(i, m) {
        uint64_t o = ld(&sw[i].owner);
        if (o & EXT && (o & ~EXT) != tag())
            self->steals++; /* its holder is inside shards_extend and let go: allowed (it must say false) */
        else if (o)
            fail(SF_OVERLAP, "cpu %u took shard %u while cpu %llu holds it", self->id, i,
                 (unsigned long long)((o & ~EXT) - 1));
        st(&sw[i].owner, tag());
        __atomic_fetch_add(&sw[i].gen, 1, RLX);
    }
}

static void check_mine(uint64_t m, const char *when)
{
    unsigned i;
    FOR_EACH(i, m) {
        uint64_t o = ld(&sw[i].owner);
        if (o != tag())
            fail(SF_OVERLAP, "cpu %u holds shard %u but %s its owner word reads %#llx", self->id, i, when,
                 (unsigned long long)o);
    }
}

/* Increments every held shard's plain counter with a delay between the read and the write. */
static void work(uint64_t m)
{
    unsigned i;
    FOR_EACH(i, m) {
        uint64_t v = sw[i].plain;
        dawdle();
        sw[i].plain = v + 1;
        self->incs[i]++;
    }
    check_mine(m, "after its work");
}

static void check_exclusive(uint64_t held)
{
    bool want = held == all;
    if (shards_exclusive() != want)
        fail(SF_EXCL, "cpu %u holds %#llx of %#llx but shards_exclusive() says %d", self->id,
             (unsigned long long)held, (unsigned long long)all, !want);
    if (!want)
        return;
    for (unsigned t = 0; t < nthr; t++) {
        unsigned u = ids[t];
        uint64_t b = ld(&thr[u].believed);
        if (u != self->id && b && !__atomic_load_n(&thr[u].in_extend, RLX))
            fail(SF_EXCL, "cpu %u holds every shard while cpu %u holds %#llx", self->id, u,
                 (unsigned long long)b);
    }
}

static void check_held(uint64_t want, const char *after)
{
    uint64_t h = shards_held();
    if (h != want)
        fail(SF_HELD, "cpu %u after %s: shards_held() %#llx, took %#llx", self->id, after,
             (unsigned long long)h, (unsigned long long)want);
    if (shim_cpu.irq_on)
        fail(SF_IRQ, "cpu %u has interrupts on after %s", self->id, after);
}

static void count_acq(uint64_t taken_now)
{
    if (taken_now == all)
        self->c.exp_excl++;
    else
        self->c.exp_shard++;
}

/* A random set of shards; some bits above the CPU count, which shards.c must ignore. */
static uint64_t pick(unsigned kind)
{
    uint64_t r = rnd(), m;
    if (kind == 0 && !SHARDS_BROKEN && r % 10 == 0)
        m = all;
    else if (kind == 1 && r % 4 != 0)
        m = shard_bit(self->id); /* a handler mostly takes its own CPU's shard, like the tick */
    else if ((r >> 4) % 3 == 0)
        m = shard_bit((unsigned)(r >> 8) % nshard);
    else
        m = rnd() & all;
    if (!(m & all))
        m = shard_bit((unsigned)(r >> 16) % nshard);
    if (SHARDS_BROKEN && (m & all) == all)
        m &= ~shard_bit((unsigned)(r >> 24) % nshard);
    if (nshard < 64 && (r >> 32) % 8 == 0)
        m |= shard_bit(nshard + (unsigned)(r >> 40) % (64 - nshard));
    return m;
}

static uint64_t need_for(uint64_t held)
{
    uint64_t r = rnd();
    switch (r % 12) {
    case 0: case 1: return all;
    case 2: return held;
    case 3: return 0;
    default: return pick(2);
    }
}

/* shards_extend from `held`, checked against the rule for its answer; returns what is held after. */
static uint64_t extend(uint64_t held)
{
    uint64_t need = need_for(held), add = need & all & ~held, gen[MAX_CPUS];
    bool higher_only = add && lowest(add) > highest(held);
    unsigned i;
    __atomic_store_n(&self->in_extend, 1, RLX);
    FOR_EACH(i, held) {
        gen[i] = ld(&sw[i].gen);
        st(&sw[i].owner, tag() | EXT);
    }
    bool kept = shards_extend(need);
    if (add)
        count_acq(held | add);
    bool moved = false;
    FOR_EACH(i, held) {
        uint64_t o = ld(&sw[i].owner);
        if (ld(&sw[i].gen) != gen[i] || o != (tag() | EXT))
            moved = true;
        if (o & EXT && o != (tag() | EXT))
            self->steals++; /* taken meanwhile by a CPU that is itself inside extend now: allowed */
        else if (o != (tag() | EXT) && o != 0)
            fail(SF_OVERLAP, "cpu %u back from extend holds shard %u, owner word %#llx", self->id, i,
                 (unsigned long long)o);
        st(&sw[i].owner, tag());
        if (!kept)
            __atomic_fetch_add(&sw[i].gen, 1, RLX);
    }
    if (kept) {
        self->ext_true++;
        if (moved)
            fail(SF_EXT_LETGO, "cpu %u: extend(%#llx) from %#llx returned true, but another CPU took a shard "
                 "held before", self->id, (unsigned long long)need, (unsigned long long)held);
    } else {
        self->ext_false++;
        self->c.ext_false++;
        self->ext_false_moved += moved;
        if (!add || higher_only)
            fail(SF_EXT_FALSE, "cpu %u: extend(%#llx) from %#llx returned false", self->id,
                 (unsigned long long)need, (unsigned long long)held);
    }
    mark_taken(add);
    st(&self->believed, held | add);
    __atomic_store_n(&self->in_extend, 0, RLX);
    check_held(held | add, "extend");
    check_exclusive(held | add);
    return held | add;
}

/* One locked section: lock, check, work, maybe extend (maybe twice), maybe a shootdown, unlock. */
static void section(void)
{
    bool top = self->depth == 0, irq_was = shim_cpu.irq_on;
    uint64_t m = pick(top ? 0 : 1), want = m & all, pass = m;
    if (top && rnd() % 8 == 0) {
        shim_cpu.irq_on = false; /* a caller that already runs with interrupts off */
        irq_was = false;
    }
    if (SHARDS_BROKEN && want & 1 && want & ~1ull)
        pass = m & ~1ull; /* the deliberate bug: shard 0 is believed held but never taken */
    uint64_t flags = shards_lock(pass);
    count_acq(pass & all);
    if (!!(flags & IF_BIT) != irq_was)
        fail(SF_IRQ, "cpu %u: shards_lock returned flags %#llx with interrupts %s before", self->id,
             (unsigned long long)flags, irq_was ? "on" : "off");
    check_held(pass & all, "shards_lock");
    mark_taken(want);
    st(&self->believed, want);
    check_exclusive(want);
    work(want);
    for (unsigned k = 0; !SHARDS_BROKEN && k < 2 && rnd() % 3 == 0; k++) {
        want = extend(want);
        work(want);
    }
    if (want == all && top && rnd() % 3 == 0) {
        self->shootdowns++;
        if (!shim_shootdown(nshard, 10000))
            fail(SF_SHOOTDOWN, "cpu %u holding every shard: a shootdown went unanswered for 10 s", self->id);
    }
    self->excl += want == all;
    check_exclusive(want);
    check_mine(want, "before unlocking");
    unsigned i;
    FOR_EACH(i, want)
        st(&sw[i].owner, 0);
    st(&self->believed, 0);
    shards_unlock(flags);
    if (shim_cpu.irq_on != irq_was)
        fail(SF_IRQ, "cpu %u: interrupts %s after shards_unlock, %s before shards_lock", self->id,
             shim_cpu.irq_on ? "on" : "off", irq_was ? "on" : "off");
    if (shards_held())
        fail(SF_HELD, "cpu %u: shards_held() %#llx after shards_unlock", self->id,
             (unsigned long long)shards_held());
    if (top)
        shim_cpu.irq_on = true;
}

/* An interrupt on this CPU (only where the simulated flag is set): it takes a shootdown IPI, and
 * sometimes runs a handler that takes shards itself, as the kernel's tick does. */
void shim_interrupt(void)
{
    if (!self) { /* a thread that is not part of a stress run (test_shards.c's own checks) */
        shim_ipi_take();
        return;
    }
    shim_cpu.irq_on = false;
    shim_ipi_take();
    if (ld(&self->believed) || __atomic_load_n(&self->in_extend, RLX))
        fail(SF_IRQ, "cpu %u took an interrupt while holding %#llx", self->id,
             (unsigned long long)ld(&self->believed));
    else if (self->depth == 0 && rnd() % 4 == 0 && !__atomic_load_n(&stop, RLX)) {
        self->depth = 1;
        self->nested++;
        section();
        self->depth = 0;
    }
    shim_cpu.irq_on = true;
}

struct run_arg {
    unsigned id, iters;
};

static void *worker(void *p)
{
    struct run_arg *a = p;
    self = &thr[a->id];
    shim_cpu_start(a->id);
    for (unsigned k = 0; k < a->iters && !__atomic_load_n(&stop, RLX); k++) {
        if (rnd() % 16 == 0)
            shim_interrupt(); /* an interrupt between two sections */
        section();
        self->ops++;
    }
    self->c.relax_on = shim_cpu.relax_irq_on;
    self->c.relax_off = shim_cpu.relax_irq_off;
    self->c.polls_irq_on = shim_cpu.polls_irq_on;
    shim_cpu_stop();
    return NULL;
}

static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static unsigned done_count;

static void *worker_counted(void *p)
{
    worker(p);
    pthread_mutex_lock(&done_mu);
    __atomic_fetch_add(&done_count, 1, __ATOMIC_RELAXED);
    pthread_cond_signal(&done_cv);
    pthread_mutex_unlock(&done_mu);
    return NULL;
}

void stress_run(unsigned nshards, unsigned nthreads, unsigned iters, uint64_t seed, unsigned limit_s,
                struct stress_result *out)
{
    memset(out, 0, sizeof *out);
    memset(thr, 0, sizeof thr);
    for (unsigned i = 0; i < MAX_CPUS; i++) {
        sw[i].owner = sw[i].gen = 0;
        sw[i].plain = 0;
    }
    res = out;
    nshard = nshards;
    nthr = nthreads;
    for (unsigned t = 0; t < nthreads; t++) /* the lowest and the highest CPUs when not all of them run */
        ids[t] = t < nthreads / 2 || nthreads == nshards ? t : nshards - (nthreads - t);
    out->nthreads = nthreads;
    memcpy(out->ids, ids, sizeof ids);
    stop = 0;
    done_count = 0;
    shards_init(nshards);
    all = shards_all();
    pthread_t tid[MAX_CPUS];
    struct run_arg arg[MAX_CPUS];
    for (unsigned t = 0; t < nthreads; t++) {
        unsigned i = ids[t];
        thr[i].id = i;
        thr[i].rng = seed ^ (0x9e3779b97f4a7c15ull * (i + 1));
        arg[t] = (struct run_arg){i, iters};
        pthread_create(&tid[t], NULL, worker_counted, &arg[t]);
    }
    /* SHARDS_LIVE_STATS=1: read every CPU's statistics while they run, as KEXO_SYS_LOCKSTAT does
     * (not part of `make check`: reproduces /work/coord/shards-findings.md item 1 under TSan). */
    if (getenv("SHARDS_LIVE_STATS"))
        while (__atomic_load_n(&done_count, __ATOMIC_RELAXED) < nthreads) {
            struct shard_stats s;
            for (unsigned t = 0; t < nthreads; t++)
                shards_stats(ids[t], &s);
            sched_yield();
        }
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += limit_s;
    pthread_mutex_lock(&done_mu);
    while (done_count < nthreads)
        if (pthread_cond_timedwait(&done_cv, &done_mu, &dl)) {
            printf("# stress run with %u shards did not finish in %u s: deadlock\n", nshards, limit_s);
            fflush(stdout);
            _exit(3);
        }
    pthread_mutex_unlock(&done_mu);
    for (unsigned t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    for (unsigned i = 0; i < nshards; i++) {
        uint64_t sum = 0;
        for (unsigned t = 0; t < nthreads; t++)
            sum += thr[ids[t]].incs[i];
        if (sum != sw[i].plain && out->counters_bad++ == 0)
            snprintf(out->counter_msg, sizeof out->counter_msg, "shard %u: counter %llu, increments %llu", i,
                     (unsigned long long)sw[i].plain, (unsigned long long)sum);
    }
    for (unsigned t = 0; t < nthreads; t++) {
        struct thr *h = &thr[ids[t]];
        out->cpu[h->id] = h->c;
        out->ops += h->ops;
        out->nested += h->nested;
        out->excl += h->excl;
        out->shootdowns += h->shootdowns;
        out->ext_true += h->ext_true;
        out->ext_false += h->ext_false;
        out->ext_false_moved += h->ext_false_moved;
        out->steals += h->steals;
    }
}
