/* exo_fuzz.c - the in-QEMU system-call fuzzer: FUZZ_CALLS random and mutated calls (valid,
 * mutated and random handles; good, bad and boundary pointers; edge-case numbers) against the real
 * kernel from ring 3: every row of syscalls.tbl (the list is taken from the generated X-macros, so a
 * new row is fuzzed as soon as it exists), with argument makers for the capability, memory, grant,
 * CPU-context, upcall, event, timer, asynchronous-operation and device calls. Waits are bounded (a
 * deadline at most 200 us ahead, or already past): the fuzzer runs as init and must not sleep forever.
 *
 * Checks: the kernel never panics or hangs (the runner sees init exit); every error a call returns
 * is one that call documents (EXO_SYSCALL_ERRORS, generated from syscalls.tbl) and unknown numbers
 * get EXO_ENOSYS; the kernel's invariant check (KEXO_SYS_CHECK: trees, reference counts, mappings,
 * ledger, quotas) passes every CHECK_EVERY calls and at the end; after revoking the fuzzer's quota
 * every page comes back (no leak).
 *
 * To stay alive itself, the fuzzer never destroys what it runs on: its own image and stack
 * capabilities and the root quota are only used read-only, and in its own address space it maps and
 * unmaps only inside a private window. Everything else is fair game. */
#include <pladof/exo_ev.h>

#include "user/rt/rt.h"

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 100000
#endif
#define CHECK_EVERY 10000
#define FZ_PAGES    64
#define FZ_QUOTA    2048
#define WIN_BASE    0x50000000ull
#define WIN_PAGES   256ull
#define PG          4096ull

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint64_t pick(uint64_t n) { return rnd() % n; }

static uint64_t pool[128];
static unsigned npool;
static uint64_t fz_console;
static uint64_t doms[16], spaces[16]; /* fuzz-made domains and address spaces, for runs */
static unsigned ndoms, nspaces;
static uint64_t grants[16]; /* fuzz-made grants, for transfers */
static unsigned ngrants;
static uint64_t stable_g[2]; /* two read/write grants over the window's first pages, never in the pool */
static uint64_t protected_h[16];
static unsigned nprot;
static uint64_t SQ;
static uint8_t buf[2 * PG] __attribute__((aligned(4096)));
static const char newlines[8] = "\n\n\n\n\n\n\n\n";

static uint64_t ctxs[16]; /* fuzz-made CPU contexts */
static unsigned nctxs;
/* fuzz-made event sets, timers, tokens, services and device capabilities */
static uint64_t evsets[16], timers[16], tokens[16], services[16], devs[16];
static unsigned nevsets, ntimers, ntokens, nservices, ndevs;
static unsigned offs[128], noffs; /* every call offset (a row of syscalls.tbl) */
#define FROM(pool, n) ((n) && pick(4) ? (pool)[pick(n)] : handle())
#define KEEP(pool, n, h) ((pool)[(n) < 16 ? (n)++ : pick(16)] = (h))
static uint64_t allowed[128]; /* per call offset: bit k set = error -k documented */
static void init_allowed(void)
{
#define FZ_ALLOW(name, NAME, err) allowed[EXO_SYS_##NAME - EXO_SYSCALL_BASE] |= 1ull << -(err);
    EXO_SYSCALL_ERRORS(FZ_ALLOW)
#undef FZ_ALLOW
}

/* Whether nr is an implemented call (a row of syscalls.tbl). */
static int is_call(uint64_t nr)
{
#define FZ_IS(off, name, NAME, nargs) if (nr == EXO_SYS_##NAME) return 1;
    EXO_SYSCALLS(FZ_IS)
#undef FZ_IS
    return 0;
}

static void init_offsets(void)
{
    for (unsigned off = 0; off < 128; off++)
        if (is_call(EXO_SYSCALL_BASE + off))
            offs[noffs++] = off;
}

/* An absolute deadline for the waiting calls: already past (a poll) or at most 200 us ahead. */
static uint64_t short_deadline(void)
{
    uint64_t now = (uint64_t)exo_get_system_time();
    switch (pick(4)) {
    case 0: return 0;
    case 1: return now > 1000 ? now - pick(1000) : now;
    default: return now + pick(200000);
    }
}

static int is_protected(uint64_t h)
{
    for (unsigned i = 0; i < nprot; i++)
        if (protected_h[i] == h)
            return 1;
    return 0;
}

static void remember(uint64_t h)
{
    if (npool < sizeof pool / sizeof pool[0])
        pool[npool++] = h;
    else
        pool[pick(npool)] = h;
}

static uint64_t handle(void)
{
    uint64_t h = npool ? pool[pick(npool)] : SQ;
    switch (pick(10)) {
    case 0: return rnd();
    case 1: return EXO_HANDLE_MAKE(EXO_HANDLE_SLOT(h), EXO_HANDLE_GEN(h) + 1);
    case 2: return EXO_HANDLE_MAKE(EXO_HANDLE_SLOT(h) + 1, EXO_HANDLE_GEN(h));
    case 3: return h ^ (1ull << pick(64));
    case 4: return protected_h[pick(nprot)];
    default: return h;
    }
}

static uint64_t number(void)
{
    static const uint64_t edge[] = {0, 1, 2, 3, 7, 8, 16, 255, 256, 257, 4095, 4096, 4097, EXO_MAP_MAX_PAGES,
                                    EXO_MAP_MAX_PAGES + 1, EXO_ALLOC_MAX_PAGES, EXO_ALLOC_MAX_PAGES + 1,
                                    1ull << 32, 1ull << 63, ~0ull, ~0ull - 4095};
    return pick(4) ? edge[pick(sizeof edge / sizeof edge[0])] : rnd();
}

static uint64_t pointer(void)
{
    const struct kexo_boot_seg *s = &rt_boot->seg[0];
    static const uint64_t bad[] = {0, 8, 0xffffffff80100000ull, 0xffff800000000000ull, 0x0000800000000000ull,
                                   0x00007ffffffffff8ull, ~0ull - 4, 0x7fffffff0000ull};
    switch (pick(6)) {
    case 0: return bad[pick(sizeof bad / sizeof bad[0])];
    case 1: return s->vaddr + pick(s->npages * PG);           /* the image: text is read-only */
    case 2: return WIN_BASE + pick(WIN_PAGES * PG);           /* maybe mapped, maybe not */
    case 3: return rnd();
    default: return (uint64_t)buf + pick(sizeof buf - 256); /* room for the largest output (registers: 160 bytes) */
    }
}

static uint64_t vaddr(void)
{
    switch (pick(8)) {
    case 0: return number();
    case 1: return WIN_BASE + pick(WIN_PAGES * PG);            /* misaligned */
    case 2: return 0xffffffff80000000ull + pick(64) * PG;      /* kernel */
    case 3: return 0x00007ffffffff000ull - pick(4) * PG;       /* top of the user half */
    default: return WIN_BASE + pick(WIN_PAGES) * PG;
    }
}

static uint64_t pages(void) { return pick(4) ? 1 + pick(8) : number(); }

/* Fills a[] for call `off` and returns 0, or -1 to skip a call that would destroy the fuzzer. */
#define RUN 100 /* pseudo-offset for KEXO_SYS_RUN (no call has it) */
static const uint64_t run_errors = (1ull << -EXO_EBADHANDLE) | (1ull << -EXO_ESTALE) | (1ull << -EXO_EWRONGTYPE) |
                                   (1ull << -EXO_EPERM) | (1ull << -EXO_ERANGE) | (1ull << -EXO_EALIGN) |
                                   (1ull << -EXO_ETOOBIG) | (1ull << -EXO_ENOOBJ); /* ENOOBJ: no context object free */

static int make_args(unsigned off, uint64_t a[6])
{
    for (int i = 0; i < 6; i++)
        a[i] = pick(8) ? 0 : rnd();
    switch (off) {
    case 0: /* debug_write: a console (a fuzz-owned child of init's, sometimes any handle); only newlines or
             * unreadable bytes, so the console's TAP stays clean */
        a[0] = pick(4) ? fz_console : handle();
        a[1] = pick(2) ? (uint64_t)newlines : pick(2) ? pointer() : WIN_BASE + pick(WIN_PAGES * PG);
        if ((a[1] >= (uint64_t)buf && a[1] < (uint64_t)buf + sizeof buf) ||
            (a[1] >= rt_boot->seg[0].vaddr && a[1] < WIN_BASE))
            a[1] = (uint64_t)newlines;
        a[2] = pick(3) ? pick(9) : number();
        if (a[1] == (uint64_t)newlines && a[2] > sizeof newlines && a[2] <= EXO_DEBUG_WRITE_MAX)
            a[2] = sizeof newlines;
        break;
    case 2: a[0] = handle(); a[1] = pick(2) ? EXO_R_ALL : rnd() & 0x7ff; a[2] = pick(4) ? 0 : number();
            a[3] = pick(3) ? 0 : pages(); break;
    case 3: case 4: case 10: a[0] = handle(); break;
    case 5: a[0] = handle(); a[1] = handle(); a[2] = pick(2) ? EXO_R_ALL : rnd() & 0x7ff; break;
    case 6: a[0] = handle(); a[1] = handle(); break;
    case 7: a[0] = handle(); a[1] = pointer(); break;
    case 8: a[0] = handle(); a[1] = pick(4) ? pick(3) : rnd(); a[2] = pick(4) ? 0 : rnd(); break;
    case 9: a[0] = pick(8) ? SQ : handle(); a[1] = pages(); a[2] = pick(3) ? 0 : pick(16); break;
    case 11: case 14: a[0] = pick(4) ? SQ : handle(); break;
    case 12: a[0] = pick(2) ? rt_boot->aspace : handle(); a[1] = handle(); a[2] = vaddr();
             a[3] = pick(4) ? 1 + pick(7) : rnd(); a[4] = pick(4) ? pick(4) : number(); a[5] = pages(); break;
    case 13: a[0] = pick(2) ? rt_boot->aspace : handle(); a[1] = vaddr(); a[2] = pages(); break;
    case 56: /* transfer_data: grants from the pool, small offsets and counts, sometimes the remap flag */
        a[0] = pick(2) ? stable_g[pick(2)] : ngrants && pick(2) ? grants[pick(ngrants)] : handle();
        a[2] = pick(2) ? stable_g[pick(2)] : ngrants && pick(2) ? grants[pick(ngrants)] : handle();
        a[1] = pick(4) ? (pick(2) ? pick(4) * PG : pick(4 * PG)) : number();
        a[3] = pick(4) ? (pick(2) ? pick(4) * PG : pick(4 * PG)) : number();
        a[4] = pick(4) ? (pick(2) ? 1 + pick(PG) : PG) : pick(2) ? pages() * PG : number();
        a[5] = pick(3) ? 0 : pick(4) ? EXO_XFER_REMAP : rnd();
        break;
    case 57: /* grant_create: on fuzz-made spaces, or on our own one inside the private window */
        a[0] = pick(2) ? rt_boot->aspace : nspaces && pick(2) ? spaces[pick(nspaces)] : handle();
        a[1] = pick(2) ? WIN_BASE + pick(8) * PG : vaddr(); a[2] = pick(4) ? pages() * PG : number();
        a[3] = pick(4) ? 1 + pick(3) : rnd();
        break;
    case 32: /* cpu_context_alloc: mostly fuzz-made domains and address spaces */
        a[0] = ndoms && pick(4) ? doms[pick(ndoms)] : handle();
        a[1] = nspaces && pick(4) ? spaces[pick(nspaces)] : handle();
        break;
    case 33: case 34: case 35: /* start, stop, yield (init is not a context: EBADSTATE) */
        a[0] = nctxs && pick(4) ? ctxs[pick(nctxs)] : pick(8) ? handle() : 0;
        break;
    case 36: case 37: /* read/write registers: buffers good and bad, random register contents */
        a[0] = nctxs && pick(4) ? ctxs[pick(nctxs)] : handle();
        a[1] = pointer();
        if (off == 37 && a[1] >= (uint64_t)buf && a[1] < (uint64_t)buf + sizeof buf)
            for (unsigned k = 0; k < EXO_CTX_NREGS; k++)
                ((uint64_t *)(buf + (a[1] - (uint64_t)buf) / 8 * 8))[k % 8] = pick(2) ? WIN_BASE + pick(PG) : number();
        break;
    case 38: /* budget and CPU */
        a[0] = nctxs && pick(4) ? ctxs[pick(nctxs)] : handle();
        a[1] = pick(2) ? EXO_CTX_BUDGET_MIN_NS + pick(1000000) : number();
        a[2] = pick(2) ? pick(3) : number();
        break;
    case 39: /* cpu_context_set_upcall: entries in the image or anywhere, stacks aligned or not */
    case 40: /* event_register_handler on fuzz-made domains (init holds no capability to its own) */
        a[0] = off == 39 ? FROM(ctxs, nctxs) : FROM(doms, ndoms);
        if (off == 40)
            a[1] = pick(4) ? EXO_EXC_FIRST + pick(EXO_EXC_LIMIT - EXO_EXC_FIRST) : number();
        a[off == 39 ? 1 : 2] = pick(4) ? rt_boot->seg[0].vaddr + pick(64) : pick(2) ? 0 : number();
        a[off == 39 ? 2 : 3] = pick(4) ? WIN_BASE + pick(WIN_PAGES) * PG + (pick(4) ? 0 : 8) : pick(2) ? 0 : number();
        break;
    case 80: { /* upcall_return: only unreadable register files (a readable one would send the fuzzer itself
                * anywhere); outside an upcall the call is refused anyway */
        static const uint64_t bad[] = {0, 8, 0xffffffff80100000ull, 0x0000800000000000ull, ~0ull - 4};
        a[0] = bad[pick(sizeof bad / sizeof bad[0])];
        break;
    }
    case 41: /* event_wait: bounded deadlines only */
        a[0] = FROM(evsets, nevsets); a[1] = short_deadline(); a[2] = pick(8) ? pointer() : 0;
        break;
    case 42: /* event_deliver */
        a[0] = FROM(evsets, nevsets); a[1] = rnd(); a[2] = rnd(); a[3] = rnd();
        break;
    case 43: case 76: /* evset_create, async_token_create */
        a[0] = pick(4) ? SQ : handle();
        break;
    case 48: /* timer_create */
        a[0] = pick(4) ? SQ : handle(); a[1] = FROM(evsets, nevsets); a[2] = rnd();
        break;
    case 49: /* timer_arm: near or past deadlines; periods of at least a millisecond, or edge numbers */
        a[0] = FROM(timers, ntimers); a[1] = pick(4) ? short_deadline() : number();
        a[2] = pick(2) ? 0 : pick(4) ? 1000000 + pick(10000000) : pick(2) ? EXO_TIMER_PERIOD_MIN_NS - 1 : number();
        break;
    case 50: a[0] = FROM(timers, ntimers); break;
    case 72: { /* submit_async_op: to a service, a timer (near deadline) or a grant copy between the window's grants */
        struct exo_async_params *p = (struct exo_async_params *)(buf + PG);
        a[0] = FROM(tokens, ntokens);
        switch (pick(4)) {
        case 0: a[1] = FROM(services, nservices); for (int k = 0; k < 4; k++) p->w[k] = rnd(); break;
        case 1: a[1] = FROM(timers, ntimers); p->w[0] = short_deadline(); break;
        case 2: a[1] = pick(2) ? stable_g[pick(2)] : FROM(grants, ngrants);
                p->w[0] = pick(4) ? pick(2 * PG) : number(); p->w[1] = pick(2) ? stable_g[pick(2)] : FROM(grants, ngrants);
                p->w[2] = pick(4) ? pick(2 * PG) : number(); p->w[3] = pick(4) ? 1 + pick(PG) : number(); break;
        default: a[1] = handle(); break;
        }
        a[2] = pick(8) ? (uint64_t)p : pointer();
        a[3] = pick(2) ? 0 : FROM(evsets, nevsets);
        break;
    }
    case 73: a[0] = FROM(tokens, ntokens); a[1] = pick(4) ? pointer() : 0; break;
    case 74: a[0] = FROM(tokens, ntokens); a[1] = short_deadline(); a[2] = pick(4) ? pointer() : 0; break;
    case 75: a[0] = FROM(tokens, ntokens); break;
    case 77: a[0] = pick(4) ? SQ : handle(); a[1] = pick(2) ? 0 : FROM(evsets, nevsets); break;
    case 78: a[0] = FROM(services, nservices); a[1] = pointer(); break;
    case 79: a[0] = FROM(services, nservices); a[1] = pick(2) ? pick(64) : rnd(); break;
    case 64: /* device_get_cap: from the root or a derived one, mostly plausible kinds and small ranges */
        a[0] = pick(2) ? rt_boot->device_root : FROM(devs, ndevs);
        a[1] = pick(4) ? 2 + pick(3) : number();
        a[2] = pick(2) ? pick(0x10000) : pick(2) ? 0xfe000000ull + pick(64) * PG : number();
        a[3] = pick(4) ? 1 + pick(8) : number();
        a[4] = pick(2) ? (EXO_R_READ | EXO_R_WRITE | EXO_R_DERIVE | EXO_R_INVOKE) : rnd() & 0x7ff;
        a[5] = pick(8) ? 0 : rnd();
        break;
    case 66: case 67: case 68: case 69: /* device info, irq_ack, enum, port_enable */
        a[0] = pick(4) ? FROM(devs, ndevs) : rt_boot->device_root;
        a[1] = off == 66 ? pointer() : off == 68 ? (pick(2) ? pick(16) : number()) : off == 67 ? (pick(4) ? 0 : rnd())
             : pick(2) ? pick(0x10000) : number();
        a[2] = off == 68 ? pointer() : off == 69 ? (pick(4) ? 1 + pick(8) : number()) : a[2];
        break;
    case 70: /* device_irq_bind: derived IRQ capabilities (or anything) to fuzz-made event sets */
        a[0] = FROM(devs, ndevs); a[1] = FROM(evsets, nevsets); a[2] = rnd();
        break;
    case 71: /* device_mmio_map: only into fuzz-made address spaces (our own is replaced below) */
        a[0] = nspaces && pick(4) ? spaces[pick(nspaces)] : handle(); a[1] = FROM(devs, ndevs);
        a[2] = vaddr(); a[3] = pick(4) ? EXO_MAP_R | (pick(2) ? EXO_MAP_W : 0) : number();
        a[4] = pick(4) ? pick(4) * PG : number(); a[5] = pages();
        break;
    case RUN: /* the temporary run call: mostly fuzz-made domains and spaces, whose code is zeroes or
               * missing, so a run ends in a fault (and the domain is killed) */
        a[0] = ndoms && pick(4) ? doms[pick(ndoms)] : handle();
        a[1] = nspaces && pick(4) ? spaces[pick(nspaces)] : handle();
        a[2] = pick(2) ? rt_boot->seg[0].vaddr + pick(rt_boot->seg[0].npages * PG) : vaddr();
        a[3] = pick(2) ? WIN_BASE + pick(WIN_PAGES) * PG : number();
        break;
    }
    /* What keeps the fuzzer alive. The capabilities it runs on (root quota, own address space,
     * image and stack memory) are used only for queries, and the own address space also for map and
     * unmap inside the private window: passed anywhere else they are replaced by SQ. Otherwise a
     * derived child of the text memory could be mapped writable and the fuzzer would overwrite its
     * own code (it did, before this rule). SQ itself may be revoked (rarely) but not deleted,
     * moved or freed. */
    for (int i = 0; i < 3; i++) {
        bool own_as = (off == 12 || off == 13 || off == 57) && i == 0 && a[0] == rt_boot->aspace;
        if (is_protected(a[i]) && off != 7 && off != 8 && !own_as)
            a[i] = SQ;
    }
    if ((off == 4 || off == 6 || off == 10) && a[0] == SQ)
        return -1;
    if (off == 3 && a[0] == SQ && pick(64) != 0)
        return -1;
    if ((off == 12 || off == 13) && a[0] == rt_boot->aspace) {
        uint64_t v = off == 12 ? a[2] : a[1], n = off == 12 ? a[5] : a[2];
        if (v < WIN_BASE + 8 * PG || n > WIN_PAGES || v + n * PG > WIN_BASE + WIN_PAGES * PG || v + n * PG < v)
            return -1;
    }
    /* a grant over our own address space may only cover the private window: a copy or remap through
     * it must never reach the fuzzer's image, stack or data */
    if (off == 57 && a[0] == rt_boot->aspace &&
        (a[1] < WIN_BASE || a[2] > WIN_PAGES * PG || a[1] + a[2] > WIN_BASE + WIN_PAGES * PG || a[1] + a[2] < a[1]))
        return -1;
    /* the stable grants' pages stay mapped: never the source of a remap */
    if (off == 56 && (a[5] & EXO_XFER_REMAP) && (a[2] == stable_g[0] || a[2] == stable_g[1]))
        return -1;
    return 0;
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "fuzzer: init got its boot information"))
        return tap_done();
    init_allowed();
    protected_h[nprot++] = rt_boot->root_quota;
    protected_h[nprot++] = rt_boot->aspace;
    protected_h[nprot++] = rt_boot->stack_mem;
    protected_h[nprot++] = rt_boot->console;
    for (unsigned i = 0; i < rt_boot->nsegs; i++)
        protected_h[nprot++] = rt_boot->seg[i].mem;
    /* the window's page tables (charged to the root quota, kept until the address space goes)
     * exist before the count is taken */
    int64_t w = exo_alloc_mem_pages(rt_boot->root_quota, 1, 0);
    exo_map_pages(rt_boot->aspace, (uint64_t)w, WIN_BASE, EXO_MAP_R, 0, 1);
    exo_free_mem_pages((uint64_t)w);
    int64_t q_before = exo_cap_invoke(rt_boot->root_quota, EXO_OP_QUERY, 0);
    init_offsets();
    SQ = (uint64_t)exo_cap_derive(rt_boot->root_quota, EXO_R_ALL, 0, FZ_QUOTA);
    tap_ok((int64_t)SQ > 0, "fuzzer: a quota of %u pages to fuzz with", FZ_QUOTA);
    remember(SQ);
    /* a console capability of its own (in the pool: fuzzed revokes and deletes may take it; init's stays) */
    fz_console = (uint64_t)exo_cap_derive(rt_boot->console, EXO_R_WRITE | EXO_R_DERIVE, 0, 0);
    remember(fz_console);
    /* eight mapped pages at the start of the window, so that grants over it have something to copy */
    /* (from the root quota and out of the pool: no fuzzed revoke or free takes them away) */
    int64_t wm = exo_alloc_mem_pages(rt_boot->root_quota, 8, 0);
    tap_ok(wm > 0 && exo_map_pages(rt_boot->aspace, (uint64_t)wm, WIN_BASE, EXO_MAP_R | EXO_MAP_W, 0, 8) == 0,
           "fuzzer: eight pages mapped in the private window");
    protected_h[nprot++] = (uint64_t)wm;
    stable_g[0] = (uint64_t)exo_grant_create(rt_boot->aspace, WIN_BASE, 4 * PG, EXO_R_READ | EXO_R_WRITE);
    stable_g[1] = (uint64_t)exo_grant_create(rt_boot->aspace, WIN_BASE + 4 * PG, 4 * PG, EXO_R_READ | EXO_R_WRITE);
    tap_ok((int64_t)stable_g[0] > 0 && (int64_t)stable_g[1] > 0, "fuzzer: two grants over the window to copy between");

    uint64_t grants_ok = 0, copies_ok = 0, remaps_ok = 0, ctx_ok = 0, ctx_calls_ok = 0;
    uint64_t ev_ok = 0, async_ok = 0, svc_ok = 0, dev_ok = 0;
    uint64_t undocumented = 0, check_fail = 0, done = 0, ok = 0, skipped = 0, runs = 0, run_timeouts = 0, runs_entered = 0;
    int64_t t0 = exo_get_system_time();
    for (uint64_t i = 0; i < FUZZ_CALLS; i++) {
        uint64_t a[6], nr;
        /* every call offset, numbers that are not calls (1 in 20), the temporary run call (1 in 64) */
        unsigned off = pick(64) == 0 ? RUN : pick(20) == 0 ? 15u : offs[pick(noffs)];
        if (pick(64) == 0) { /* the temporary lock-statistics call: own buffer, NULL, kernel half; any length */
            static struct kexo_lockstat st;
            static const uint64_t bufs[] = {0, 0xffff800000001000ull, 0x8000000000000000ull, ~0ull};
            uint64_t buf = pick(2) ? (uint64_t)(uintptr_t)&st : bufs[pick(4)];
            uint64_t len = pick(2) ? sizeof st : rnd();
            int64_t r = exo_syscall2(KEXO_SYS_LOCKSTAT, buf, len);
            if (r != 0 && r != EXO_EINVAL && r != EXO_EFAULT && undocumented++ < 5)
                tap_diag("lockstat(0x%lx, %lu) returned %ld", buf, len, r);
            done++;
            continue;
        }
        if (off == 15) { /* numbers that are not calls */
            static const uint64_t nrs[] = {0, 1, 60, 0xfff, EXO_SYSCALL_BASE + 15, EXO_SYSCALL_BASE + 32,
                                           EXO_SYSCALL_BASE + 75, EXO_SYSCALL_BASE + 0x7ff, ~0ull};
            nr = pick(2) ? nrs[pick(sizeof nrs / sizeof nrs[0])] : rnd();
            if (is_call(nr) || (nr >= KEXO_SYS_EXIT && nr < KEXO_SYS_EXIT + 16))
                continue;
            for (int k = 0; k < 6; k++)
                a[k] = rnd();
            int64_t r = exo_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            if (r != EXO_ENOSYS && undocumented++ < 5)
                tap_diag("number 0x%lx returned %ld, not EXO_ENOSYS", nr, r);
            done++;
            continue;
        }
        if (make_args(off, a)) {
            skipped++;
            continue;
        }
        uint64_t callnr = off == RUN ? KEXO_SYS_RUN : EXO_SYSCALL_BASE + off;
        int64_t r = exo_syscall6(callnr, a[0], a[1], a[2], a[3], a[4], a[5]);
        done++;
        if (off == RUN) {
            runs++;
            if (r < 0 && (-r >= 64 || !(run_errors & (1ull << -r))) && undocumented++ < 5)
                tap_diag("run returned undocumented %ld (%s)", r, exo_strerror(r));
            if (r >= KEXO_RUN_TIMEOUT)
                run_timeouts++;
            if (r >= 0)
                runs_entered++;
            continue;
        }
        if (r >= 0) {
            ok++;
            grants_ok += off == 57;
            ctx_ok += off == 32;
            ctx_calls_ok += off >= 33 && off <= 39;
            ev_ok += off == 41 || off == 42 || off == 49 || off == 50;
            async_ok += off >= 72 && off <= 75;
            svc_ok += off == 78 || off == 79;
            dev_ok += off >= 64 && off <= 71;
            if (off == 43) KEEP(evsets, nevsets, (uint64_t)r);
            if (off == 48) KEEP(timers, ntimers, (uint64_t)r);
            if (off == 76) KEEP(tokens, ntokens, (uint64_t)r);
            if (off == 77) KEEP(services, nservices, (uint64_t)r);
            if (off == 64) KEEP(devs, ndevs, (uint64_t)r);
            copies_ok += off == 56 && !(a[5] & EXO_XFER_REMAP);
            remaps_ok += off == 56 && (a[5] & EXO_XFER_REMAP);
            if (off == 2 || off == 5 || off == 6 || off == 9 || off == 11 || off == 14 || off == 57 || off == 32 ||
                off == 43 || off == 48 || off == 76 || off == 77 || off == 64)
                remember((uint64_t)r);
            if (off == 14)
                doms[ndoms < 16 ? ndoms++ : pick(16)] = (uint64_t)r;
            if (off == 32)
                ctxs[nctxs < 16 ? nctxs++ : pick(16)] = (uint64_t)r;
            if (off == 57)
                grants[ngrants < 16 ? ngrants++ : pick(16)] = (uint64_t)r;
            if (off == 11)
                spaces[nspaces < 16 ? nspaces++ : pick(16)] = (uint64_t)r;
            if (off == 12 && a[0] == rt_boot->aspace) /* a fresh mapping in our window must work */
                (void)*(volatile uint8_t *)a[2];
        } else if (-r >= 64 || !(allowed[off] & (1ull << -r))) {
            if (undocumented++ < 5)
                tap_diag("call %u (0x%lx, 0x%lx, 0x%lx, ...) returned undocumented %ld (%s)", off, a[0], a[1], a[2], r,
                         exo_strerror(r));
        }
        if ((i + 1) % CHECK_EVERY == 0 && kexo_check() != 0)
            check_fail++;
    }
    int64_t t1 = exo_get_system_time();
    tap_ok(done > FUZZ_CALLS / 2, "fuzzer: %lu calls made (%lu succeeded, %lu skipped), kernel alive, %ld ms",
           done, ok, skipped, (t1 - t0) / 1000000);
    tap_eq(undocumented, 0, "fuzzer: every error is documented for its call");
    tap_ok(runs > 0, "fuzzer: %lu random domain runs (%lu entered user mode, %lu timed out), each returned to the fuzzer",
           runs, runs_entered, run_timeouts);
    tap_ok(grants_ok > 0 && copies_ok > 0, "fuzzer: grant calls reached the kernel's work: %lu grants, %lu copies, %lu remaps",
           grants_ok, copies_ok, remaps_ok);
    tap_ok(ctx_ok > 0 && ctx_calls_ok > 0, "fuzzer: %lu CPU contexts made, %lu context calls succeeded", ctx_ok, ctx_calls_ok);
    tap_ok(ev_ok > 0 && async_ok > 0 && svc_ok > 0,
           "fuzzer: event/timer calls (%lu), async-operation calls (%lu) and service calls (%lu) succeeded", ev_ok, async_ok, svc_ok);
    tap_ok(dev_ok > 0, "fuzzer: %lu device calls succeeded", dev_ok);
    tap_eq(check_fail, 0, "fuzzer: invariant check passed every %d calls", CHECK_EVERY);
    /* clean up: everything the fuzzer made hangs below SQ */
    exo_unmap_pages(rt_boot->aspace, WIN_BASE, WIN_PAGES);
    /* grants over our own window are children of our address-space capability, not of SQ */
    tap_ok(exo_cap_revoke(rt_boot->aspace) >= 0, "fuzzer: revoke the grants made over the private window");
    tap_eq(exo_free_mem_pages((uint64_t)wm), 8, "fuzzer: free the window's eight pages");
    tap_ok(exo_cap_revoke(SQ) >= 0, "fuzzer: revoke everything derived from the fuzz quota");
    tap_eq(exo_cap_invoke(SQ, EXO_OP_QUERY, 0), FZ_QUOTA, "fuzzer: the fuzz quota got every page back");
    tap_eq(exo_cap_delete(SQ), 0, "fuzzer: delete the fuzz quota");
    tap_eq(exo_cap_invoke(rt_boot->root_quota, EXO_OP_QUERY, 0), q_before, "fuzzer: the root quota is whole again");
    tap_eq(kexo_check(), 0, "fuzzer: final invariant check (ledger conserved)");
    return tap_done();
}
