/* capenv.c - the real kernel's implementation of kernel/core/cap_env.h (apart from page tables,
 * uspace.c, and user copies, usercopy.c): frames, kernel object storage, the core lock, time,
 * console and panic.
 *
 * Frames come from the kernel's frame allocator (frames.c over pmm.c). The core zeroes every frame
 * before it reaches a new owner (capenv_frames_zero). Object storage: a domain (160 KiB) takes its
 * own run of frames; smaller objects come from per-kind slabs of whole frames. Every frame taken
 * for object storage moves FREE -> KERNEL in the ledger; domain runs go back when freed, slab
 * frames stay with the kernel. Pools have fixed limits so that kernel objects, which no quota pays
 * for, cannot eat all memory: past a limit the call fails with EXO_ENOOBJ. */
#include <pladof/exo.h>

#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/capcore.h"
#include "kernel/core/ledger.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/dev_obj.h"
#include "kernel/core/obj_grant.h"
#include "kernel/core/obj_console.h"
#include "kernel/core/quota.h"
#include "kernel/exo/kexo.h"
#include "kernel/exo/shards.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define PG 4096ull
#define NKINDS 17 /* EXO_OBJ_* < 16 and CAPENV_KIND_MAPPING = 16 */

struct slab {
    void *free;              /* free list through the objects' first word */
    unsigned live, limit;    /* objects in use, and the most allowed */
    unsigned pages, max_pages;
};
static struct slab slabs[NKINDS];

static void pools_init(void)
{
    for (unsigned k = 0; k < NKINDS; k++)
        slabs[k] = (struct slab){.limit = 4096, .max_pages = 128};
    slabs[EXO_OBJ_DOMAIN].limit = 32;   /* 160 KiB each */
    slabs[EXO_OBJ_ASPACE].limit = 256;  /* below uspace.c's arch pool */
    /* every context may have two timers armed: the timer queues keep room for all of them */
    _Static_assert(2 * CTX_OBJ_LIMIT <= TIMERQ_CTX_RESERVE, "timer queues must hold every context's timers");
    slabs[EXO_OBJ_CPU_CONTEXT].limit = CTX_OBJ_LIMIT;
}

/* ---- frames ---------------------------------------------------------------------------------- */
uint64_t capenv_frames_alloc(uint64_t max, unsigned flags, uint64_t *pfn)
{
    uint64_t limit = (flags & CAPENV_FRAMES_DMA32) ? (4ull << 30) : UINT64_MAX;
    for (uint64_t n = max; n >= 1; n /= 2) {
        uint64_t pa = frames_alloc_run(n, 1, limit);
        if (pa != FRAME_NONE) {
            *pfn = pa / PG;
            return n;
        }
        if (flags & CAPENV_FRAMES_EXACT)
            break;
    }
    return 0;
}

void capenv_frames_free(uint64_t pfn, uint64_t count)
{
    if (frames_free(pfn * PG, count) != 0)
        capenv_panic("capenv: the frame allocator refused a free");
}

void capenv_frames_zero(uint64_t pfn, uint64_t count) { memset(phys_to_virt(pfn * PG), 0, count * PG); }

uint64_t capenv_frames_free_count(void) { return frames_pmm()->free_frames; }

/* ---- object storage ---------------------------------------------------------------------------- */
/* Storage per kind, from the core's own structure definitions. */
static size_t obj_size(unsigned kind)
{
    switch (kind) {
    case EXO_OBJ_QUOTA: return sizeof(struct quota);
    case EXO_OBJ_MEMORY: return sizeof(struct memobj);
    case EXO_OBJ_ASPACE: return sizeof(struct aspace);
    case EXO_OBJ_DOMAIN: return sizeof(struct domain);
    case CAPENV_KIND_MAPPING: return sizeof(struct mapping);
    default: { /* types other modules registered (obj_register_type): GRANT, ... */
        size_t n = kind < EXO_OBJ_TYPE_LIMIT && obj_type_ops(kind) ? capcore_obj_size(kind) : 0;
        if (!n)
            capenv_panic("capenv: unknown object kind");
        return n;
    }
    }
}

static uint64_t obj_pages(unsigned kind) { return (obj_size(kind) + PG - 1) / PG; }

void *capenv_obj_alloc(unsigned kind)
{
    if (kind >= NKINDS)
        capenv_panic("capenv: unknown object kind");
    struct slab *s = &slabs[kind];
    if (s->live >= s->limit)
        return 0;
    size_t size = obj_size(kind);
    if (size > PG / 2) { /* domains: a run of their own */
        uint64_t n = obj_pages(kind), pa = frames_alloc_run(n, 1, UINT64_MAX);
        if (pa == FRAME_NONE)
            return 0;
        ledger_free_to_kernel(pa / PG, n);
        s->live++;
        return memset(phys_to_virt(pa), 0, n * PG);
    }
    if (!s->free) {
        if (s->pages >= s->max_pages)
            return 0;
        uint64_t pa = frame_alloc();
        if (pa == FRAME_NONE)
            return 0;
        ledger_free_to_kernel(pa / PG, 1);
        s->pages++;
        size_t step = (size + 15) & ~(size_t)15;
        char *base = phys_to_virt(pa);
        for (size_t off = 0; off + step <= PG; off += step) {
            *(void **)(base + off) = s->free;
            s->free = base + off;
        }
    }
    void *p = s->free;
    s->free = *(void **)p;
    s->live++;
    return memset(p, 0, size);
}

void capenv_obj_free(unsigned kind, void *p)
{
    if (kind >= NKINDS || slabs[kind].live == 0)
        capenv_panic("capenv: freeing an object that was never allocated");
    struct slab *s = &slabs[kind];
    s->live--;
    if (obj_size(kind) > PG / 2) {
        uint64_t pa = (uint64_t)p - phys_offset, n = obj_pages(kind);
        ledger_kernel_to_free(pa / PG, n);
        capenv_frames_free(pa / PG, n);
        return;
    }
    *(void **)p = s->free;
    s->free = p;
}

/* ---- lock ---------------------------------------------------------------------------------------- */
/* The core lock is every shard of kernel/exo/shards.h (the exclusive lock): what changes the
 * capability graph, the pools, address spaces or frames takes it. Hot paths take single shards. */
uint64_t capenv_lock(void) { return shards_lock(shards_all()); }

void capenv_unlock(uint64_t flags)
{
    /* what paths holding fewer shards dropped to zero references (obj_put_shared) is reaped by the
     * next holder of every shard */
    if (shards_exclusive() && obj_reap_pending())
        obj_reap();
    shards_unlock(flags);
}

uint64_t capenv_shard_lock(uint64_t cpus) { return shards_lock(cpus); }

bool capenv_shard_extend(uint64_t cpus) { return shards_extend(cpus); }

uint64_t capenv_shards_all(void) { return shards_all(); }

bool capenv_exclusive(void) { return shards_exclusive(); }

/* ---- time, console, panic ------------------------------------------------------------------------ */
/* TSC ticks since the APIC calibration (apic.c) converted with the rate measured against the PIT.
 * Split so that nothing overflows 64 bits: d = q * rate + r. */
uint64_t capenv_time_ns(void)
{
    uint64_t rate = apic.tsc_per_ms ? apic.tsc_per_ms : 1000000;
    uint64_t d = rdtsc() - apic_tsc_boot;
    return (d / rate) * 1000000 + (d % rate) * 1000000 / rate;
}

void capenv_console_write(const char *s, size_t n) { kprintf("%.*s", (int)n, s); }

_Noreturn void capenv_panic(const char *msg) { panic("capability core: %s", msg); }

/* ---- boot ---------------------------------------------------------------------------------------- */
int kexo_core_init(void)
{
    struct pmm *p = frames_pmm();
    uint64_t n = p->nframes, bytes = n * sizeof(uint32_t), pages = (bytes + PG - 1) / PG;
    uint64_t pa = frames_alloc_run(pages, 1, UINT64_MAX);
    if (pa == FRAME_NONE)
        return -1;
    shards_init(ncpus_online); /* before any CPU but this one can take a lock */
    pools_init();
    capcore_init(phys_to_virt(pa), 0, n);
    obj_grant_register(); /* GRANT objects: exo_grant_create / exo_transfer_data */
    ctxrun_boot();        /* CPU_CONTEXT objects and the scheduler (secondary CPUs start running them) */
    dev_obj_register();   /* DEVICE objects (kdev: kernel/core/dev_obj.c) */
    obj_console_register(); /* the CONSOLE object (exo_debug_write) */
    /* the ledger starts all-KERNEL; every frame the allocator holds free becomes FREE */
    for (uint64_t f = 0; f < n;) {
        if (!pmm_is_allocatable(p, f * PG) || pmm_is_used(p, f * PG)) {
            f++;
            continue;
        }
        uint64_t run = 1;
        while (f + run < n && pmm_is_allocatable(p, (f + run) * PG) && !pmm_is_used(p, (f + run) * PG))
            run++;
        ledger_kernel_to_free(f, run);
        f += run;
    }
    return 0;
}
