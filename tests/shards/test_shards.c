/* test_shards.c - hosted test of the core lock's shards (kernel/exo/shards.c, compiled unchanged against
 * the shim in tests/shards/shim): misuse panics (in forked children), the single-CPU rules, two
 * hand-driven races whose outcome the protocol fixes, then the random stress run of stress.c with 4
 * and 8 simulated CPUs. Built twice, under ThreadSanitizer and under ASan+UBSan (mk/shards.mk).
 * SHARDS_SEED and SHARDS_ITERS (a multiplier) in the environment change the stress run. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/exo/shards.h"
#include "shards_shim.h"
#include "stress.h"
#include "tests/lib/tap.h"

#define IF_BIT (1ull << 9)

/* ---- misuse panics, each in a forked child ------------------------------------------------------ */
static void init_zero(void) { shards_init(0); }
static void init_too_many(void) { shards_init(MAX_CPUS + 1); }
static void lock_empty(void) { shards_init(4); shards_lock(0); }
static void lock_outside(void) { shards_init(4); shards_lock(shard_bit(5) | shard_bit(63)); }
static void lock_twice(void) { shards_init(4); shards_lock(shard_bit(0)); shards_lock(shard_bit(2)); }
static void lock_all_twice(void) { shards_init(4); shards_lock(shards_all()); shards_lock(shards_all()); }
static void extend_nothing(void) { shards_init(4); shards_extend(shard_bit(1)); }
static void extend_after_unlock(void)
{
    shards_init(4);
    shards_unlock(shards_lock(shard_bit(1)));
    shards_extend(shard_bit(2));
}
static void correct_use(void)
{
    shards_init(4);
    uint64_t f = shards_lock(shard_bit(1));
    shards_extend(shards_all());
    shards_unlock(f);
}

/* Runs fn in a child; want_msg NULL: it must exit 0 saying nothing, else abort with that panic. */
static void child(const char *name, void (*fn)(void), const char *want_msg)
{
    int pfd[2];
    char buf[512] = {0};
    if (pipe(pfd)) {
        tap_ok(0, "%s (pipe failed)", name);
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 2);
        close(pfd[0]);
        shim_cpu_start(0);
        fn();
        _exit(0);
    }
    close(pfd[1]);
    size_t n = 0;
    ssize_t k;
    while (n < sizeof buf - 1 && (k = read(pfd[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    close(pfd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    int ok = want_msg ? WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(buf, want_msg)
                      : WIFEXITED(status) && WEXITSTATUS(status) == 0 && n == 0;
    if (!tap_ok(ok, "%s", name))
        tap_diag("  status %#x, stderr: %s", status, buf);
}

static void misuse(void)
{
    child("shards_init(0) panics", init_zero, "shards: bad CPU count");
    child("shards_init(MAX_CPUS + 1) panics", init_too_many, "shards: bad CPU count");
    child("shards_lock(empty set) panics", lock_empty, "shards: empty shard set");
    child("shards_lock of shards above the CPU count only panics", lock_outside, "shards: empty shard set");
    child("shards_lock while holding a shard panics", lock_twice, "locking while holding shards");
    child("shards_lock while holding every shard panics", lock_all_twice, "locking while holding shards");
    child("shards_extend holding nothing panics", extend_nothing, "extending while holding nothing");
    child("shards_extend after shards_unlock panics", extend_after_unlock, "extending while holding nothing");
    child("the child harness: correct use exits cleanly, no panic", correct_use, NULL);
}

/* ---- one CPU ------------------------------------------------------------------------------------ */
static struct shard_stats stats0(void)
{
    struct shard_stats s;
    shards_stats(0, &s);
    return s;
}

static void single_cpu(void)
{
    shards_init(64);
    tap_ok(shards_all() == ~0ull, "shards_init(64): every bit is a shard");
    struct shard_stats a = stats0();
    uint64_t f = shards_lock(shard_bit(63));
    tap_ok((f & IF_BIT) && !shim_cpu.irq_on, "shards_lock: returns IF set, interrupts off after");
    tap_ok(shards_held() == shard_bit(63) && !shards_exclusive(), "shard 63 alone held, not exclusive");
    tap_ok(shards_extend(shard_bit(2)), "extend to a lower free shard: true");
    tap_ok(shards_held() == (shard_bit(2) | shard_bit(63)), "shards 2 and 63 held");
    tap_ok(shards_extend(shard_bit(2) | shard_bit(63)) && shards_extend(0), "extend by nothing new: true");
    tap_ok(shards_extend(shards_all()) && shards_exclusive(), "extend to every shard: true, exclusive");
    shards_unlock(f);
    tap_ok(shards_held() == 0 && !shards_exclusive() && shim_cpu.irq_on, "unlock: nothing held, IF back on");
    struct shard_stats b = stats0();
    tap_ok(b.shard_acq - a.shard_acq == 2 && b.excl_acq - a.excl_acq == 1 && b.contended == a.contended &&
               b.spins == a.spins,
           "stats: lock + extend = 2 shard acquisitions, the extend to all = 1 exclusive, no contention");

    shards_init(4);
    tap_ok(shards_all() == 0xf, "shards_init(4): shards 0..3");
    a = stats0();
    f = shards_lock(shard_bit(40) | 0xf);
    tap_ok(shards_held() == 0xf && shards_exclusive(), "shards above the CPU count are ignored: exclusive");
    shards_unlock(f);
    shim_cpu.irq_on = false;
    f = shards_lock(shard_bit(3));
    tap_ok(!(f & IF_BIT) && shards_held() == shard_bit(3), "shards_lock with interrupts off: IF clear in flags");
    shards_unlock(f);
    tap_ok(!shim_cpu.irq_on && !shards_held(), "shards_unlock leaves interrupts off that were off");
    shim_cpu.irq_on = true;
    b = stats0();
    tap_ok(b.excl_acq - a.excl_acq == 1 && b.shard_acq - a.shard_acq == 1, "stats: 1 exclusive, 1 shard");
}

/* ---- two hand-driven races ---------------------------------------------------------------------- */
static int step;          /* hand-shake between main (CPU 0) and the helper (CPU 1) (atomic) */
static int helper_result; /* what the helper saw (atomic) */

/* Waits (yielding) until *p == v, at most 10 s. */
static bool await(int *p, int v)
{
    time_t end = time(NULL) + 10;
    while (__atomic_load_n(p, __ATOMIC_SEQ_CST) != v)
        if (time(NULL) > end)
            return false;
        else
            sched_yield();
    return true;
}
static bool await_polls(unsigned cpu, uint64_t above)
{
    time_t end = time(NULL) + 10;
    while (shim_polls(cpu) <= above)
        if (time(NULL) > end)
            return false;
        else
            sched_yield();
    return true;
}
static void set(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

/* Race 1: CPU 1 holds shard 0; CPU 0 holds 1 and extends to 0 (below: only tried). CPU 0 must let go of
 * shard 1 while it waits: CPU 1 takes it meanwhile, then lets both go; CPU 0's extend says false. */
static void *helper1(void *p)
{
    uint64_t base = *(uint64_t *)p;
    shim_cpu_start(1);
    uint64_t f = shards_lock(shard_bit(0));
    set(&step, 1);
    int r = 0;
    if (await_polls(0, base)) { /* CPU 0 waits with interrupts off, polling for shootdowns */
        bool kept = shards_extend(shard_bit(1)); /* above 0: spins; only free if CPU 0 let go of it */
        r = kept && shards_held() == 3 ? 1 : 2;
    }
    shards_unlock(f);
    set(&helper_result, r);
    shim_cpu_stop();
    return NULL;
}

/* Race 2: CPU 1 holds shard 3; CPU 0 holds 1 and extends to 3 (above: it waits, keeping 1). CPU 1 then
 * extends to 1: the try fails because CPU 0 still holds it, so CPU 1 lets go of 3 and must get false;
 * CPU 0 gets 3 and true. */
static void *helper2(void *p)
{
    uint64_t base = *(uint64_t *)p;
    shim_cpu_start(1);
    uint64_t f = shards_lock(shard_bit(3));
    set(&step, 1);
    int r = 0;
    if (await_polls(0, base)) {
        bool kept = shards_extend(shard_bit(1));
        r = !kept && shards_held() == (shard_bit(1) | shard_bit(3)) ? 1 : 2;
    }
    shards_unlock(f);
    set(&helper_result, r);
    shim_cpu_stop();
    return NULL;
}

static void races(void)
{
    shards_init(4);
    pthread_t t;
    uint64_t base = shim_polls(0);
    set(&step, 0);
    set(&helper_result, -1);
    pthread_create(&t, NULL, helper1, &base);
    bool ready = await(&step, 1);
    uint64_t f = shards_lock(shard_bit(1));
    bool kept = shards_extend(shard_bit(0));
    uint64_t held = shards_held();
    shards_unlock(f);
    pthread_join(t, NULL);
    tap_ok(ready && !kept && held == 3, "extend to a lower shard that is taken: false, then both held");
    tap_eq(helper_result, 1, "... and it let go meanwhile: the other CPU took the shard it had");

    base = shim_polls(0);
    set(&step, 0);
    set(&helper_result, -1);
    pthread_create(&t, NULL, helper2, &base);
    ready = await(&step, 1);
    f = shards_lock(shard_bit(1));
    kept = shards_extend(shard_bit(3));
    held = shards_held();
    shards_unlock(f);
    pthread_join(t, NULL);
    tap_ok(ready && kept && held == (shard_bit(1) | shard_bit(3)), "extend to a higher taken shard: waits, true");
    tap_eq(helper_result, 1, "... keeping the lower one throughout: the other CPU's try failed, it got false");
}

/* ---- the stress run ----------------------------------------------------------------------------- */
static void stress(unsigned nshards, unsigned nthreads, unsigned iters, uint64_t seed)
{
    static struct stress_result r;
    struct shard_stats before[MAX_CPUS], after[MAX_CPUS];
    uint64_t polls0[MAX_CPUS];
    char n[64];
    if (nthreads == nshards)
        snprintf(n, sizeof n, "%u CPUs", nshards);
    else
        snprintf(n, sizeof n, "%u shards, %u CPUs", nshards, nthreads);
    for (unsigned c = 0; c < nshards; c++) {
        shards_stats(c, &before[c]);
        polls0[c] = shim_polls(c);
    }
    time_t t0 = time(NULL);
    stress_run(nshards, nthreads, iters, seed, 60, &r);
    tap_diag("%s, %u sections each: %llu sections, %llu in interrupt handlers, %llu exclusive, %llu "
             "shootdowns, extend %llu true / %llu false (%llu of those saw another CPU take a shard "
             "meanwhile), %llu shards taken from a CPU inside extend; %ld s",
             n, iters, (unsigned long long)r.ops, (unsigned long long)r.nested, (unsigned long long)r.excl,
             (unsigned long long)r.shootdowns, (unsigned long long)r.ext_true, (unsigned long long)r.ext_false,
             (unsigned long long)r.ext_false_moved, (unsigned long long)r.steals, (long)(time(NULL) - t0));
    for (int k = 0; k < SF_N; k++)
        if (!tap_ok(r.fails[k] == 0, "%s: %s", n, stress_fail_name(k)))
            tap_diag("  %llu times; first: %s", (unsigned long long)r.fails[k], r.first[k]);
    if (!tap_ok(r.counters_bad == 0, "%s: no increment of a shard's plain counter lost", n))
        tap_diag("  %u shards; first: %s", r.counters_bad, r.counter_msg);

    bool acq = true, spins = true, cont = true, polled = true;
    uint64_t on = 0, off = 0;
    for (unsigned c = 0; c < nshards; c++) { /* a CPU that did not run must show no change either */
        shards_stats(c, &after[c]);
        struct stress_cpu *e = &r.cpu[c];
        uint64_t ds = after[c].shard_acq - before[c].shard_acq, dx = after[c].excl_acq - before[c].excl_acq;
        uint64_t dc = after[c].contended - before[c].contended, dsp = after[c].spins - before[c].spins;
        if (ds != e->exp_shard || dx != e->exp_excl) {
            acq = false;
            tap_diag("  cpu %u: shard_acq %llu excl_acq %llu, made %llu and %llu", c, (unsigned long long)ds,
                     (unsigned long long)dx, (unsigned long long)e->exp_shard, (unsigned long long)e->exp_excl);
        }
        if (dsp != e->relax_on + e->relax_off) {
            spins = false;
            tap_diag("  cpu %u: spins %llu, busy-wait iterations %llu", c, (unsigned long long)dsp,
                     (unsigned long long)(e->relax_on + e->relax_off));
        }
        if (dc < e->ext_false || (dsp && !dc))
            cont = false;
        if (e->relax_off && shim_polls(c) == polls0[c])
            polled = false;
        on += e->relax_on;
        off += e->relax_off;
    }
    tap_ok(acq, "%s: shards_stats shard_acq and excl_acq equal the acquisitions each CPU made", n);
    tap_ok(spins, "%s: shards_stats spins equal each CPU's busy-wait iterations", n);
    tap_ok(cont, "%s: contended counts each extend that let go, and any wait", n);
    tap_ok(polled, "%s: every CPU that waited with interrupts off polled for shootdowns", n);
    /* a CPU queued for a ticket must not take an interrupt: a handler wanting the same shard would wait
     * behind its own CPU's ticket */
    tap_ok(on == 0, "%s: no CPU waited for a shard with interrupts on (%llu busy-wait iterations did)", n,
           (unsigned long long)on);
    tap_diag("%s: busy-wait iterations %llu with interrupts on, %llu off", n, (unsigned long long)on,
             (unsigned long long)off);
    bool failed = r.counters_bad != 0;
    for (int k = 0; k < SF_N; k++)
        failed |= r.fails[k] != 0;
    const char *what = "the run exercised extend false, a steal from inside extend, nested handlers, "
                       "shootdowns, waits (with interrupts off)";
    if (failed) /* the first failure cuts the run short */
        tap_skip(what, "the run stopped at a failure");
    else
        tap_ok(r.ext_false && r.steals && r.nested && r.shootdowns && off, "%s: %s", n, what);
}

/* A hang outside the stress run (whose own watchdog reports it) must still end the test. */
static void on_alarm(int sig)
{
    static const char msg[] = "# no progress for 120 s: a CPU waits for a shard forever\n";
    (void)sig;
    fflush(stdout);
    (void)!write(1, msg, sizeof msg - 1);
    _exit(3);
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    alarm(120);
    shim_cpu_start(0);
    uint64_t seed = 0x5eed5a4d5ull;
    unsigned mult = 1;
    if (getenv("SHARDS_SEED"))
        seed = strtoull(getenv("SHARDS_SEED"), NULL, 0);
    if (getenv("SHARDS_ITERS"))
        mult = (unsigned)strtoul(getenv("SHARDS_ITERS"), NULL, 0);
    tap_diag("seed %#llx (SHARDS_SEED), iteration multiplier %u (SHARDS_ITERS)", (unsigned long long)seed, mult);
    tap_ok(shards_all() == 1, "before shards_init there is one shard");
    misuse();
    single_cpu();
    races();
    stress(4, 4, 6000 * mult, seed);
    stress(8, 8, 3000 * mult, seed + 1);
    stress(64, 8, 1500 * mult, seed + 2); /* every bit a shard: CPUs 0-3 and 60-63 run */
    return tap_done();
}
