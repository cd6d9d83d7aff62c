/* dev_bench.c - cost of the I/O-port bitmap at context switch and of the device calls (`make bench`,
 * target bench-kdev), under QEMU TCG with one CPU, single-threaded TCG and -icount shift=0: an rdtsc
 * delta is then an instruction count (as exo_bench.c and ev_bench.c). Each row is the median of ROUNDS
 * rounds of N operations, per operation, with a baseline column.
 *
 * The switch rows: init (a context on CPU 0) yields directly to a peer context of another domain, which
 * yields straight back, N times; the same loop with no domain holding ports (baseline), with only the
 * peer's domain holding ports (one bitmap install per round trip: switching back to init, whose domain
 * has none, only moves the TSS offset), and with both holding ports (two installs). An install copies
 * only the span of the bitmap that holds the domain's ports (here one byte, port 0x80). */
#include "user/tests/ctx_util.h"
#include "user/tests/bench_util.h"

#define ROUNDS 9
#define N      200
#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define DEV_PORT 2
#define DEV_IRQ  4

static void row(const char *name, uint64_t v, const char *base_name, uint64_t base)
{
    if (base)
        rt_printf("# %-48s %9lu  %-26s %7lu %5lu.%02lux\n", name, v, base_name, base, v / base, (v * 100 / base) % 100);
    else
        rt_printf("# %-48s %9lu\n", name, v);
}

#define MEASURE(var, ...)                                                        \
    do {                                                                         \
        uint64_t r_[ROUNDS];                                                     \
        for (int k_ = 0; k_ < ROUNDS; k_++) {                                    \
            uint64_t t0_ = tsc();                                                \
            for (int i = 0; i < N; i++) {                                        \
                __VA_ARGS__;                                                     \
            }                                                                    \
            r_[k_] = (tsc() - t0_) / N;                                          \
        }                                                                        \
        var = median(r_, ROUNDS);                                                \
    } while (0)

static volatile uint64_t peer_ports;   /* the peer's port capability handle (0: none) */
static volatile int64_t peer_enabled;

/* yields straight back to init (plain yield: init is the only other runnable context on CPU 0) */
_Noreturn void peer_main(uint64_t unused);
_Noreturn void peer_main(uint64_t unused)
{
    (void)unused;
    if (peer_ports)
        peer_enabled = exo_device_port_enable(peer_ports, 0x80, 1);
    for (;;)
        exo_yield(0);
}

/* A peer context in a new domain on CPU 0; with ports, the domain gets a copy of p and enables it. */
static int64_t peer(unsigned slot, int64_t p)
{
    int64_t d = exo_domain_create(rt_boot->root_quota);
    peer_ports = p ? (uint64_t)exo_cap_copy((uint64_t)p, (uint64_t)d, EXO_R_READ | EXO_R_WRITE) : 0;
    int64_t c = ctx_make((uint64_t)d, rt_boot->aspace, peer_main, STACKS_VA + (slot + 1) * PG, 0, 0);
    if (c > 0 && exo_cpu_context_start((uint64_t)c) == 0)
        exo_yield((uint64_t)c);   /* let it enable its ports and reach its loop */
    return c;
}

int main(uint64_t a0, uint64_t a1)
{
    (void)a0, (void)a1;
    if (!rt_boot)
        return 1;
    uint64_t root = rt_boot->device_root;
    int64_t stacks = exo_alloc_mem_pages(rt_boot->root_quota, 4, 0);
    exo_map_pages(rt_boot->aspace, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, 4);
    rt_printf("# kdev benchmark: per operation, median of %d rounds of %d (rdtsc; instructions under -icount shift=0)\n",
              ROUNDS, N);
    rt_printf("# %-48s %9s  %-26s %7s %8s\n", "operation", "PLADOF", "baseline", "", "ratio");
    uint64_t null_call, v, base;
    MEASURE(null_call, exo_syscall0(EXO_SYSCALL_BASE + 0x7ff));
    row("null syscall (ENOSYS)", null_call, "", 0);

    int64_t p = exo_device_get_cap(root, DEV_PORT, 0x80, 1, EXO_R_READ | EXO_R_WRITE | EXO_R_TRANSFER, 0);
    int64_t c0 = peer(0, 0);
    MEASURE(base, exo_yield((uint64_t)c0));
    row("yield round trip, no domain with ports", base, "", 0);
    exo_cpu_context_stop((uint64_t)c0);
    int64_t c1 = peer(1, p);
    MEASURE(v, exo_yield((uint64_t)c1));
    row("yield round trip, peer's domain has ports", v, "no ports", base);
    int64_t e = exo_device_port_enable((uint64_t)p, 0x80, 1);
    MEASURE(v, exo_yield((uint64_t)c1));
    row("yield round trip, both domains have ports", v, "no ports", base);
    int setup_ok = peer_enabled > 0 && e > 0 && c0 > 0 && c1 > 0;
    exo_cpu_context_stop((uint64_t)c1);
    exo_cap_delete((uint64_t)e);

    int64_t irq = exo_device_get_cap(root, DEV_IRQ, 2, 1, EXO_R_INVOKE, 0);
    MEASURE(v, exo_device_irq_ack((uint64_t)irq));
    row("device_irq_ack", v, "null syscall", null_call);
    uint64_t info[4];
    MEASURE(v, exo_device_info((uint64_t)p, info));
    row("device_info", v, "null syscall", null_call);
    MEASURE(v, { int64_t h_ = exo_device_port_enable((uint64_t)p, 0x80, 1); exo_cap_delete((uint64_t)h_); });
    row("device_port_enable + delete (bitmap rebuilt twice)", v, "2 null syscalls", 2 * null_call);
    /* the rows above mean something only if the set-up worked */
    tap_ok(setup_ok, "bench: both peers ran, the peer and init enabled their ports (%ld, %ld)", (long)peer_enabled, (long)e);
    tap_ok(irq > 0, "bench: an IRQ capability for device_irq_ack");
    return tap_done();
}
