/* fuzz_evsys.c - libFuzzer harness for the event-set, timer and async-operation calls (rows 41-43,
 * 48-50, 72-79) on the capability core's fake machine. The input is a program: calls by domain A (no
 * context: the poll path) and by domain B (a CPU context running on fake CPU 0, so its waits really
 * sleep), mixed with what the kernel does between calls (timer expiry at some later time, a
 * scheduling point, stopping and restarting B's context, deleting, revoking, copying and narrowing
 * capabilities). Handles come mostly from the results so far. After every step every invariant
 * checker (capabilities, references, ledger and quotas; run queues; the timer heap) must pass, every
 * error must be one syscalls.tbl documents for its call, and a call that failed must have left the
 * capability core's state unchanged. Any violation aborts. */
#include <stdlib.h>

#include "tests/lib/fuzz_input.h"
#include "kernel/core/syscall_decode.h"
#include "tests/core/core_test.h"

#include <pladof/exo_ev.h>

#include "kernel/core/obj_ctx.h"

#define UVA 0x10000000ull


#define MAXH 48
static exo_handle_t hs[2][MAXH];
static unsigned nh[2];
static struct domain *dom[2];
static exo_handle_t rq, bdom, bctx_h;

static void remember(int d, int64_t r)
{
    if (r <= 0 || EXO_HANDLE_GEN((uint64_t)r) == 0)
        return;
    hs[d][nh[d] < MAXH ? nh[d]++ : (uint64_t)r % MAXH] = (exo_handle_t)r;
}

/* Mostly a live handle of the wanted type, sometimes any remembered one, sometimes garbage. */
static uint64_t handle(struct fuzz_input *in, int d, uint32_t type)
{
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    if (sel >= 0xf8 || !nh[d])
        return sel & 1 ? fuzz_take(in, 8) : EXO_HANDLE_MAKE(fuzz_take(in, 2) % 1100, fuzz_take(in, 1) % 4);
    if (sel < 0xc0 && type != EXO_OBJ_NONE) {
        unsigned n = 0;
        exo_handle_t match[MAXH];
        for (unsigned i = 0; i < nh[d]; i++) {
            struct cap *c;
            if (cspace_lookup(&dom[d]->cs, hs[d][i], type, 0, &c) == 0)
                match[n++] = hs[d][i];
        }
        if (n)
            return match[sel % n];
    }
    return hs[d][sel % nh[d]];
}

static uint64_t deadline(struct fuzz_input *in)
{
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    uint64_t now = capenv_time_ns();
    switch (sel % 6) {
    case 0: return 0;
    case 1: return EXO_DEADLINE_NEVER;
    case 2: return now + fuzz_take(in, 2);
    case 3: return now - fuzz_take(in, 1);
    default: return fuzz_take(in, 8);
    }
}

/* A user address: mostly one the caller can write (A, without a context, writes the fake user memory
 * through copy-out; B, a context, writes its own page at UVA through its page tables), sometimes the
 * other one's, a boundary case or garbage. */
static uint64_t uptr(struct fuzz_input *in, int d)
{
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    uint64_t own = d ? UVA : FAKE_USER_BASE, other = d ? FAKE_USER_BASE : UVA;
    switch (sel % 10) {
    case 0: return 0;
    case 1: return own + (d ? EXO_PAGE_SIZE : FAKE_USER_SIZE) - 8;
    case 2: return other + (fuzz_take(in, 1) & 0x3f) * 8;
    case 3: return fuzz_take(in, 8);
    default: return own + (fuzz_take(in, 1) & 0x3f) * 8;
    }
}

static void check(const char *what)
{
    const char *why = "";
    if (capcore_check(&why) != 0 || sched_check(&ksched) != 0 || timerq_check(&core2_timers) != 0) {
        fprintf(stderr, "invariant broken after %s: %s\n", what, why);
        abort();
    }
}

static void kernel_step(struct fuzz_input *in)
{
    uint64_t cookie = capenv_lock();
    uint8_t k = (uint8_t)fuzz_take(in, 1) % 3;
    if (k == 0) {
        core2_expire_all(capenv_time_ns() + fuzz_take(in, 3));
    } else {
        int up;
        sched_tick(&ksched, 0, capenv_time_ns(), &up);
        obj_ctx_sync_cpu(0);
    }
    obj_reap();
    capenv_unlock(cookie);
}

/* One system call by domain d with every check after it; returns its result. */
static int64_t run(int d, uint64_t nr, const uint64_t a[6])
{
    struct digest before = digest_now();
    int64_t r = syscall_dispatch(dom[d], nr, a);
    struct digest after = digest_now();
    if (r < 0 && !fake_error_documented(nr, r)) {
        fprintf(stderr, "call %#llx returned %lld, which syscalls.tbl does not list for it\n",
                (unsigned long long)nr, (long long)r);
        abort();
    }
    if (r < 0 && memcmp(&before, &after, sizeof before) != 0) {
        fprintf(stderr, "call %#llx failed with %lld but changed state\n", (unsigned long long)nr, (long long)r);
        abort();
    }
    if (nr == EXO_SYS_CAP_COPY)
        remember(1, r);
    else if (nr == EXO_SYS_EVSET_CREATE || nr == EXO_SYS_TIMER_CREATE || nr == EXO_SYS_ASYNC_TOKEN_CREATE ||
             nr == EXO_SYS_SERVICE_CREATE || nr == EXO_SYS_CAP_DERIVE || nr == EXO_SYS_GRANT_CREATE)
        remember(d, r);
    check("a call");
    return r;
}

/* A whole request flow by one domain, with fuzzed details: a token and a service (made if the domain
 * has none), submit, then wait (a context really sleeps), sometimes served by the same domain while it
 * sleeps (receive + complete), sometimes cancelled. */
static void flow(struct fuzz_input *in, int d)
{
    uint64_t a[6] = {0};
    uint64_t t = handle(in, d, EXO_OBJ_ASYNC_TOKEN), sv = handle(in, d, EXO_OBJ_SERVICE);
    struct cap *c;
    if (cspace_lookup(&dom[d]->cs, t, EXO_OBJ_ASYNC_TOKEN, 0, &c) != 0) {
        a[0] = handle(in, d, EXO_OBJ_QUOTA);
        t = (uint64_t)run(d, EXO_SYS_ASYNC_TOKEN_CREATE, a);
    }
    if (cspace_lookup(&dom[d]->cs, sv, EXO_OBJ_SERVICE, 0, &c) != 0) {
        a[0] = handle(in, d, EXO_OBJ_QUOTA);
        a[1] = fuzz_take(in, 1) & 1 ? handle(in, d, EXO_OBJ_EVENT) : 0;
        sv = (uint64_t)run(d, EXO_SYS_SERVICE_CREATE, a);
    }
    uint64_t p[4] = {fuzz_take(in, 1), fuzz_take(in, 1), 0, 0};
    memcpy(fake_user(FAKE_USER_BASE + 0x800), p, sizeof p);
    uint64_t sub[6] = {t, sv, FAKE_USER_BASE + 0x800, fuzz_take(in, 1) & 1 ? handle(in, d, EXO_OBJ_EVENT) : 0, fuzz_take(in, 1), 0};
    run(d, EXO_SYS_SUBMIT_ASYNC_OP, sub);
    uint64_t w[6] = {t, deadline(in), uptr(in, d), 0, 0, 0};
    run(d, EXO_SYS_WAIT_ASYNC_OP, w);
    uint8_t how = (uint8_t)fuzz_take(in, 1) % 4;
    if (how == 0) {
        uint64_t cn[6] = {t, 0, 0, 0, 0, 0};
        run(d, EXO_SYS_CANCEL_ASYNC_OP, cn);
    } else if (how == 1) {
        uint64_t out = d ? UVA + 0x100 : FAKE_USER_BASE + 0x100;
        uint64_t rc[6] = {sv, out, 0, 0, 0, 0};
        run(d, EXO_SYS_SERVICE_RECEIVE, rc);
        /* request ids are small sequence numbers per service: a guess hits the received one often */
        uint64_t cp[6] = {sv, fuzz_take(in, 1) % 6, fuzz_take(in, 8), 0, 0, 0};
        run(d, EXO_SYS_SERVICE_COMPLETE, cp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size, 0x9e3779b97f4a7c15ull};
    for (size_t i = 0; i < size; i++)
        in.rng = (in.rng ^ data[i]) * 0x100000001b3ull;
    if (in.rng == 0)
        in.rng = 1;
    dom[0] = fake_boot(&rq);
    fake_c2_cpu = 0;
    nh[0] = nh[1] = 0;
    remember(0, (int64_t)rq);
    bdom = (exo_handle_t)SYS(dom[0], EXO_SYS_DOMAIN_CREATE, rq);
    dom[1] = fake_domain_of(dom[0], bdom);
    int64_t as = SYS(dom[0], EXO_SYS_ADDRESS_SPACE_CREATE, rq), m = SYS(dom[0], EXO_SYS_ALLOC_MEM_PAGES, rq, 1, 0);
    SYS(dom[0], EXO_SYS_MAP_PAGES, as, m, UVA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    bctx_h = (exo_handle_t)SYS(dom[0], EXO_SYS_CPU_CONTEXT_ALLOC, bdom, as);
    SYS(dom[0], EXO_SYS_CPU_CONTEXT_START, bctx_h);
    remember(0, as);
    remember(1, SYS(dom[0], EXO_SYS_CAP_COPY, rq, bdom, EXO_R_ALL));
    uint64_t cookie = capenv_lock();
    int up;
    sched_tick(&ksched, 0, capenv_time_ns(), &up);
    obj_ctx_sync_cpu(0);
    capenv_unlock(cookie);
    check("setup");
    for (int steps = 0; steps < 64; steps++) {
        uint8_t op = (uint8_t)fuzz_take(&in, 1);
        int d = op >> 7;
        if (!fake_domain_of(dom[0], bdom))
            d = 0;
        uint64_t a[6] = {0}, nr = 0;
        switch (op & 0x1f) {
        case 0: nr = EXO_SYS_EVSET_CREATE; a[0] = handle(&in, d, EXO_OBJ_QUOTA); break;
        case 1: case 2:
            nr = EXO_SYS_EVENT_WAIT; a[0] = handle(&in, d, EXO_OBJ_EVENT); a[1] = deadline(&in); a[2] = uptr(&in, d); break;
        case 3: case 4:
            nr = EXO_SYS_EVENT_DELIVER; a[0] = handle(&in, d, EXO_OBJ_EVENT); a[1] = fuzz_take(&in, 8); break;
        case 5:
            nr = EXO_SYS_TIMER_CREATE; a[0] = handle(&in, d, EXO_OBJ_QUOTA); a[1] = handle(&in, d, EXO_OBJ_EVENT);
            a[2] = fuzz_take(&in, 1);
            break;
        case 6: case 7:
            nr = EXO_SYS_TIMER_ARM; a[0] = handle(&in, d, EXO_OBJ_TIMER); a[1] = deadline(&in);
            a[2] = (fuzz_take(&in, 1) & 3) == 0 ? fuzz_take(&in, 3) : 0;
            break;
        case 8: nr = EXO_SYS_TIMER_CANCEL; a[0] = handle(&in, d, EXO_OBJ_TIMER); break;
        case 9: nr = EXO_SYS_ASYNC_TOKEN_CREATE; a[0] = handle(&in, d, EXO_OBJ_QUOTA); break;
        case 10:
            nr = EXO_SYS_SERVICE_CREATE; a[0] = handle(&in, d, EXO_OBJ_QUOTA);
            a[1] = fuzz_take(&in, 1) & 1 ? handle(&in, d, EXO_OBJ_EVENT) : 0; a[2] = fuzz_take(&in, 1);
            break;
        case 11: case 12: case 13: {
            static const uint32_t targets[] = {EXO_OBJ_SERVICE, EXO_OBJ_TIMER, EXO_OBJ_GRANT, EXO_OBJ_NONE};
            nr = EXO_SYS_SUBMIT_ASYNC_OP; a[0] = handle(&in, d, EXO_OBJ_ASYNC_TOKEN);
            uint32_t tt = targets[fuzz_take(&in, 1) % 4];
            a[1] = handle(&in, d, tt);
            uint64_t p[4] = {fuzz_take(&in, 1) % 64, tt == EXO_OBJ_GRANT ? handle(&in, d, EXO_OBJ_GRANT) : fuzz_take(&in, 8),
                             fuzz_take(&in, 1) % 64, fuzz_take(&in, 1) & 7 ? fuzz_take(&in, 1) : fuzz_take(&in, 2) % 5000};
            if (tt == EXO_OBJ_TIMER)
                p[0] = deadline(&in);
            memcpy(fake_user(FAKE_USER_BASE + 0x800), p, sizeof p);
            a[2] = fuzz_take(&in, 1) & 7 ? FAKE_USER_BASE + 0x800 : uptr(&in, d);
            a[3] = fuzz_take(&in, 1) & 1 ? handle(&in, d, EXO_OBJ_EVENT) : 0; a[4] = fuzz_take(&in, 1);
            break;
        }
        case 14: nr = EXO_SYS_POLL_ASYNC_OP; a[0] = handle(&in, d, EXO_OBJ_ASYNC_TOKEN); a[1] = fuzz_take(&in, 1) & 3 ? uptr(&in, d) : 0; break;
        case 15: case 16:
            nr = EXO_SYS_WAIT_ASYNC_OP; a[0] = handle(&in, d, EXO_OBJ_ASYNC_TOKEN); a[1] = deadline(&in); a[2] = uptr(&in, d); break;
        case 17: nr = EXO_SYS_CANCEL_ASYNC_OP; a[0] = handle(&in, d, EXO_OBJ_ASYNC_TOKEN); break;
        case 18: case 19: nr = EXO_SYS_SERVICE_RECEIVE; a[0] = handle(&in, d, EXO_OBJ_SERVICE); a[1] = uptr(&in, d); break;
        case 20: case 21:
            nr = EXO_SYS_SERVICE_COMPLETE; a[0] = handle(&in, d, EXO_OBJ_SERVICE); a[1] = fuzz_take(&in, 1) % 8; a[2] = fuzz_take(&in, 8);
            break;
        case 22: nr = EXO_SYS_CAP_DELETE; a[0] = handle(&in, d, EXO_OBJ_NONE); break;
        case 23: nr = EXO_SYS_CAP_REVOKE; a[0] = handle(&in, d, EXO_OBJ_NONE); break;
        case 24: nr = EXO_SYS_CAP_COPY; d = 0; a[0] = handle(&in, 0, EXO_OBJ_NONE); a[1] = bdom; a[2] = fuzz_take(&in, 2); break;
        case 25: nr = EXO_SYS_CAP_DERIVE; a[0] = handle(&in, d, EXO_OBJ_NONE); a[1] = fuzz_take(&in, 2); a[2] = fuzz_take(&in, 1); break;
        case 26:
            nr = EXO_SYS_GRANT_CREATE; d = 0; a[0] = as; a[1] = UVA; a[2] = EXO_PAGE_SIZE; a[3] = 1 + fuzz_take(&in, 1) % 3;
            break;
        case 27: nr = fuzz_take(&in, 1) & 1 ? EXO_SYS_CPU_CONTEXT_STOP : EXO_SYS_CPU_CONTEXT_START; d = 0; a[0] = bctx_h; break;
        case 28: case 29:
            flow(&in, d);
            continue;
        default:
            kernel_step(&in);
            check("a kernel step");
            continue;
        }
        run(d, nr, a);
    }
    return 0;
}
