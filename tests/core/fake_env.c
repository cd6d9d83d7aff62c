/* fake_env.c - the hosted embedder of the capability core (see fake_env.h). Not kernel code: it
 * uses libc freely. Every hook checks the locking contract of cap_env.h. */
#define _GNU_SOURCE /* program_invocation_short_name */
#include "tests/core/fake_env.h"

#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/core/obj_console.h"
#include "kernel/core/capcore.h"
#include "kernel/core/cspace.h"
#include "kernel/core/ledger.h"
#include "kernel/core/obj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_grant.h"
#include "kernel/core/syscall_decode.h"

static uint8_t mem[FAKE_NFRAMES][EXO_PAGE_SIZE];
static uint8_t frame_free[FAKE_NFRAMES];
static uint64_t nfree;
static uint32_t ledger_words[FAKE_NFRAMES];
static long frames_budget = -1;
static unsigned pool_limit[CAPENV_KIND_MAPPING + 1], pool_live[CAPENV_KIND_MAPPING + 1];
/* The core lock is a real mutex so that tests/core/test_smp.c can run the core from two threads under
 * ThreadSanitizer; `lock_held` is per thread and catches taking it twice or calling a hook without it. */
static pthread_mutex_t core_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int lock_held;
static uint8_t user_mem[FAKE_USER_SIZE];
static char console[4096];
static size_t console_len;
static _Atomic uint64_t clock_ns;
uint64_t fake_shootdowns;

#define NEED_LOCK() do { if (!lock_held) capenv_panic("fake: hook called without the core lock"); } while (0)
#define NO_LOCK() do { if (lock_held) capenv_panic("fake: hook that may fault called with the lock held"); } while (0)

_Noreturn void capenv_panic(const char *msg)
{
    fprintf(stderr, "capenv_panic: %s\n", msg);
    fflush(stderr);
    abort();
}

uint64_t capenv_lock(void)
{
    if (lock_held)
        capenv_panic("fake: core lock taken twice");
    pthread_mutex_lock(&core_lock);
    lock_held = 1;
    return 0x5a;
}

/* One lock here: a shard is the whole lock, and extending never has to let go. */
uint64_t capenv_shard_lock(uint64_t cpus)
{
    (void)cpus;
    return capenv_lock();
}

bool capenv_shard_extend(uint64_t cpus)
{
    (void)cpus;
    if (!lock_held)
        capenv_panic("fake: shard extended without holding the lock");
    return true;
}

uint64_t capenv_shards_all(void) { return 1; }

bool capenv_exclusive(void) { return lock_held; }

void capenv_unlock(uint64_t cookie)
{
    if (!lock_held || cookie != 0x5a)
        capenv_panic("fake: unlock without lock or with a wrong cookie");
    lock_held = 0;
    pthread_mutex_unlock(&core_lock);
}

/* ---- frames ---- */
uint8_t *fake_frame(uint64_t pfn)
{
    if (pfn < FAKE_BASE_PFN || pfn >= FAKE_BASE_PFN + FAKE_NFRAMES)
        capenv_panic("fake: frame out of range");
    return mem[pfn - FAKE_BASE_PFN];
}

uint64_t fake_free_frames(void) { return nfree; }
void fake_fail_frames_after(long n) { frames_budget = n; }

uint64_t capenv_frames_alloc(uint64_t max, unsigned flags, uint64_t *pfn)
{
    NEED_LOCK();
    if (max == 0)
        capenv_panic("fake: frames_alloc of 0");
    if (frames_budget == 0)
        return 0;
    /* DMA32 requests search upward from the bottom; others downward from the top, so that
     * ordinary allocations leave low memory free, like a real zoned allocator. */
    uint64_t lim = FAKE_NFRAMES;
    if (flags & CAPENV_FRAMES_DMA32)
        lim = FAKE_DMA32_END_PFN - FAKE_BASE_PFN;
    uint64_t best = 0, best_len = 0;
    for (uint64_t k = 0; k < lim; k++) {
        uint64_t i = (flags & CAPENV_FRAMES_DMA32) ? k : lim - 1 - k;
        if (!frame_free[i])
            continue;
        uint64_t s = i, len = 0;
        if (flags & CAPENV_FRAMES_DMA32) {
            while (s + len < lim && frame_free[s + len] && len < max)
                len++;
        } else {
            /* grow downward from i, then the run starts at s */
            while (len < max && frame_free[i - len]) {
                len++;
                if (i - len + 1 == 0)
                    break;
            }
            s = i - len + 1;
        }
        if (len > best_len) {
            best = s;
            best_len = len;
        }
        if (best_len == max || !(flags & CAPENV_FRAMES_EXACT))
            break;
        k += len - 1; /* skip the run just measured */
    }
    if (best_len == 0 || ((flags & CAPENV_FRAMES_EXACT) && best_len != max))
        return 0;
    for (uint64_t j = 0; j < best_len; j++)
        frame_free[best + j] = 0;
    nfree -= best_len;
    if (frames_budget > 0)
        frames_budget--;
    *pfn = FAKE_BASE_PFN + best;
    return best_len;
}

void capenv_frames_free(uint64_t pfn, uint64_t count)
{
    NEED_LOCK();
    for (uint64_t j = 0; j < count; j++) {
        uint64_t i = pfn + j - FAKE_BASE_PFN;
        if (pfn + j < FAKE_BASE_PFN || i >= FAKE_NFRAMES || frame_free[i])
            capenv_panic("fake: freeing a frame that is free or out of range");
        frame_free[i] = 1;
        memset(mem[i], 0xa5, EXO_PAGE_SIZE); /* poison: a missing zeroing shows */
    }
    nfree += count;
}

void capenv_frames_zero(uint64_t pfn, uint64_t count)
{
    NEED_LOCK();
    for (uint64_t j = 0; j < count; j++)
        memset(fake_frame(pfn + j), 0, EXO_PAGE_SIZE);
}

uint64_t capenv_frames_free_count(void) { return nfree; }

/* ---- object storage ---- */
void fake_set_pool_limit(unsigned kind, unsigned limit) { pool_limit[kind] = limit; }

/* Every live allocation sits on a list behind a small header, so fake_boot can free what a previous
 * run left (objects of a domain that was never torn down) and LeakSanitizer sees no leak. */
struct fhdr {
    alignas(16) struct fhdr *next, *prev;
    unsigned kind;
};
static struct fhdr live_list = {.next = &live_list, .prev = &live_list};

void *capenv_obj_alloc(unsigned kind)
{
    NEED_LOCK();
    if (kind > CAPENV_KIND_MAPPING || capcore_obj_size(kind) == 0)
        capenv_panic("fake: obj_alloc of an unknown kind");
    if (pool_live[kind] >= pool_limit[kind])
        return NULL;
    struct fhdr *h = calloc(1, sizeof *h + capcore_obj_size(kind));
    if (!h)
        capenv_panic("fake: out of host memory");
    pool_live[kind]++;
    h->kind = kind;
    h->next = live_list.next;
    h->prev = &live_list;
    live_list.next->prev = h;
    live_list.next = h;
    return h + 1;
}

void capenv_obj_free(unsigned kind, void *p)
{
    NEED_LOCK();
    struct fhdr *h = (struct fhdr *)p - 1;
    if (pool_live[kind] == 0 || h->kind != kind)
        capenv_panic("fake: obj_free of a wrong kind or with nothing live");
    pool_live[kind]--;
    h->prev->next = h->next;
    h->next->prev = h->prev;
    free(h);
}

uint64_t fake_pool_live_total(void)
{
    uint64_t n = 0;
    for (unsigned k = 0; k <= CAPENV_KIND_MAPPING; k++)
        n += pool_live[k];
    return n;
}

static void free_all_objects(void)
{
    while (live_list.next != &live_list) {
        struct fhdr *h = live_list.next;
        live_list.next = h->next;
        free(h);
    }
    live_list.prev = &live_list;
}

/* ---- user memory, time, console ---- */
uint8_t *fake_user(uint64_t ua)
{
    if (ua < FAKE_USER_BASE || ua >= FAKE_USER_BASE + FAKE_USER_SIZE)
        return NULL;
    return user_mem + (ua - FAKE_USER_BASE);
}

static int user_ok(uaddr_t u, size_t n)
{
    return u.va >= FAKE_USER_BASE && u.va <= FAKE_USER_BASE + FAKE_USER_SIZE &&
           n <= FAKE_USER_BASE + FAKE_USER_SIZE - u.va;
}

int capenv_copyin(void *dst, uaddr_t src, size_t n)
{
    NO_LOCK();
    if (!user_ok(src, n))
        return EXO_EFAULT;
    memcpy(dst, user_mem + (src.va - FAKE_USER_BASE), n);
    return 0;
}

int capenv_copyout(uaddr_t dst, const void *src, size_t n)
{
    NO_LOCK();
    if (!user_ok(dst, n))
        return EXO_EFAULT;
    memcpy(user_mem + (dst.va - FAKE_USER_BASE), src, n);
    return 0;
}

uint64_t capenv_time_ns(void) { return atomic_fetch_add(&clock_ns, 1000) + 1000; }

void capenv_console_write(const char *s, size_t n)
{
    NO_LOCK();
    pthread_mutex_lock(&console_lock);
    if (n > sizeof console - 1 - console_len)
        n = sizeof console - 1 - console_len;
    memcpy(console + console_len, s, n);
    console_len += n;
    console[console_len] = 0;
    pthread_mutex_unlock(&console_lock);
}

const char *fake_console(void) { return console; }

/* ---- the error contract of include/pladof/syscalls.tbl, checked on every call ---- */
#define FAKE_NCALLS 128
static const char *call_names[FAKE_NCALLS];
static _Atomic uint8_t err_seen[FAKE_NCALLS][64];
static _Atomic uint64_t undocumented;

int fake_error_documented(uint64_t nr, int64_t r)
{
#define DOC(name, NAME, err) if (nr == EXO_SYS_##NAME && r == (err)) return 1;
    EXO_SYSCALL_ERRORS(DOC)
#undef DOC
#define IMPL(off, name, NAME, nargs) if (nr == EXO_SYS_##NAME) return 0;
    EXO_SYSCALLS(IMPL)
#undef IMPL
    return r == EXO_ENOSYS; /* unknown and reserved numbers */
}

uint64_t fake_undocumented_errors(void) { return undocumented; }

/* At exit, the (call, error) pairs this program saw go to $BUILD/capcore/errors-seen/<program>.txt;
 * tests/core/errors-covered.sh checks that every documented pair is seen by some test. */
static void write_seen(void)
{
#ifndef PLADOF_FUZZING
    const char *b = getenv("BUILD");
    char path[512];
    snprintf(path, sizeof path, "%s/capcore", b ? b : "build");
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/capcore/errors-seen", b ? b : "build");
    mkdir(path, 0777);
    FILE *f = NULL;
    char file[600];
    snprintf(file, sizeof file, "%s/%s.txt", path, program_invocation_short_name);
    if (!(f = fopen(file, "w")))
        return;
    for (unsigned i = 0; i < FAKE_NCALLS; i++)
        for (unsigned e = 1; e < 64; e++)
            if (err_seen[i][e] && call_names[i])
                fprintf(f, "%s %d\n", call_names[i], -(int)e);
    fclose(f);
#endif
}

/* ---- boot and helpers ---- */

struct domain *fake_boot(exo_handle_t *rootq)
{
    static int once; /* fake_boot runs before any thread starts */
    if (!once) {
        once = 1;
#define NAME(off, name, NAME, nargs) call_names[off] = #name;
        EXO_SYSCALLS(NAME)
#undef NAME
        atexit(write_seen);
    }
    /* Objects of a previous run are leaked on purpose (tests are short); the core starts afresh. */
    memset(frame_free, 0, sizeof frame_free);
#ifndef PLADOF_FUZZING
    memset(mem, 0xa5, sizeof mem); /* the fuzzer skips this (speed); frames are poisoned when freed */
#endif
    nfree = 0;
    frames_budget = -1;
    free_all_objects();
    memset(pool_live, 0, sizeof pool_live);
    for (unsigned k = 0; k <= CAPENV_KIND_MAPPING; k++)
        pool_limit[k] = 4096;
    pool_limit[EXO_OBJ_DOMAIN] = 16;
    memset(user_mem, 0, sizeof user_mem);
    console_len = 0;
    console[0] = 0;
    fake_shootdowns = 0;
    fake_pt_reset();
    capcore_init(ledger_words, FAKE_BASE_PFN, FAKE_NFRAMES);
    obj_grant_register(); /* the GRANT objects of exo_grant_create (capcore_init clears the registry) */
    obj_console_register(); /* the CONSOLE object of exo_debug_write */
    obj_ctx_boot(2, 0);   /* CPU contexts and a two-CPU scheduler (tests drive sched_tick themselves) */
    for (unsigned i = FAKE_KERNEL_FRAMES; i < FAKE_NFRAMES; i++)
        frame_free[i] = 1;
    nfree = FAKE_FREE_FRAMES;
    ledger_kernel_to_free(FAKE_BASE_PFN + FAKE_KERNEL_FRAMES, FAKE_FREE_FRAMES);
    struct domain *d;
    if (capcore_make_root(FAKE_FREE_FRAMES, &d, rootq) != 0)
        capenv_panic("fake: cannot make the root domain");
    return d;
}

struct domain *fake_domain_of(struct domain *holder, exo_handle_t h)
{
    struct cap *c;
    if (cspace_lookup(&holder->cs, h, EXO_OBJ_DOMAIN, 0, &c))
        return NULL;
    return (struct domain *)c->obj;
}

struct aspace *fake_aspace_of(struct domain *holder, exo_handle_t h)
{
    struct cap *c;
    if (cspace_lookup(&holder->cs, h, EXO_OBJ_ASPACE, 0, &c))
        return NULL;
    return (struct aspace *)c->obj;
}

int64_t fake_sys(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5)
{
    const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
    int64_t r = syscall_dispatch(d, nr, a);
    if (r < 0 && !fake_error_documented(nr, r)) {
        undocumented++;
        fprintf(stderr, "fake_sys: call %#llx returned %lld, not in its documented errors\n",
                (unsigned long long)nr, (long long)r);
    }
    if (r < 0 && r > -64 && nr >= EXO_SYSCALL_BASE && nr - EXO_SYSCALL_BASE < FAKE_NCALLS)
        err_seen[nr - EXO_SYSCALL_BASE][-r] = 1;
    return r;
}
