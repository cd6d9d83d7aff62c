/* cap_env.h - what the embedding kernel (or a hosted test) must supply to the capability core.
 *
 * The capability core (kernel/core/cap*, cspace*, ledger*, memobj*, quota*, obj*, syscall_decode*) is
 * portable, freestanding C with no allocator of its own and no knowledge of page-table formats. Every
 * machine-dependent or policy-dependent service it needs is one of the functions below; the kernel
 * defines them (kernel/arch, kernel/core/pmm*), hosted tests define them in tests/core/fake_env.c.
 * /work/coord/capcore-kernel.md (outside the repo) and docs/CAPABILITIES.md explain the contract.
 *
 * Context: every hook except capenv_lock/unlock is called with the core's lock held (see
 * docs/CAPABILITIES.md, "Locking"), never from interrupt context, and must not call back into the
 * core except where stated (capenv_arch_as_destroy calls aspace_release_table). */
#ifndef PLADOF_KERNEL_CORE_CAP_ENV_H
#define PLADOF_KERNEL_CORE_CAP_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aspace;

/* A user virtual address. Only capenv_copyin/capenv_copyout accept it, so the core can never
 * dereference a user pointer by accident (STYLE: user addresses have their own type). */
typedef struct {
    uint64_t va;
} uaddr_t;

/* ---- physical frames (the kernel's frame allocator, kernel/core/pmm*) ------------------------- */
#define CAPENV_FRAMES_EXACT  (1u << 0)  /* the run must have exactly `max` frames */
#define CAPENV_FRAMES_DMA32  (1u << 1)  /* every frame of the run below 4 GiB */

/* Allocates one physically contiguous run of 1..max frames (exactly max with CAPENV_FRAMES_EXACT).
 * Returns the run's length and stores its first frame number in *pfn, or returns 0 if no run fits.
 * The frames need not be zeroed: the core calls capenv_frames_zero before handing them out. */
uint64_t capenv_frames_alloc(uint64_t max, unsigned flags, uint64_t *pfn);
/* Returns a run obtained from capenv_frames_alloc (possibly a part of one) to the allocator. */
void capenv_frames_free(uint64_t pfn, uint64_t count);
/* Fills the frames with zero bytes (through the kernel's direct map). */
void capenv_frames_zero(uint64_t pfn, uint64_t count);
/* Number of frames the allocator holds free now; ledger_check compares it with the ledger. */
uint64_t capenv_frames_free_count(void);

/* ---- kernel object storage ------------------------------------------------------------------ */
/* Kinds are the EXO_OBJ_* values for objects, plus CAPENV_KIND_MAPPING for mapping records.
 * capenv_obj_alloc returns zero-filled storage of capcore_obj_size(kind) bytes (see obj.h), or NULL
 * when the pool for that kind is exhausted (the call then fails with EXO_ENOOBJ, changing nothing). */
#define CAPENV_KIND_MAPPING 16
void *capenv_obj_alloc(unsigned kind);
void capenv_obj_free(unsigned kind, void *p);

/* ---- page tables (kernel/arch) -------------------------------------------------------------- */
/* Page-table frames handed to the arch code for one map request. The core fills pfn[0..count) with
 * zeroed frames already charged to the address space's quota; capenv_arch_map takes them in order
 * (used++) and never needs more than capenv_arch_tables_needed said. */
#define CAPENV_PT_RESERVE_MAX 16
struct pt_reserve {
    uint64_t pfn[CAPENV_PT_RESERVE_MAX];
    unsigned count, used;
};
/* A new address space whose root table is root_pfn (zeroed, already owned by the address space). */
void capenv_arch_as_init(struct aspace *as, uint64_t root_pfn);
/* How many page-table frames mapping [va, va + npages pages) would add, given the tables present. */
unsigned capenv_arch_tables_needed(struct aspace *as, uint64_t va, uint64_t npages);
/* Kernel-internal perms bit for capenv_arch_map (never accepted from user space): the frames are device
 * memory (MMIO), mapped uncached (the PAT/PCD/PWT bits selecting UC). */
#define CAPENV_MAP_UC (1u << 16)
/* Maps npages pages at va to frames pfn, pfn+1, ...; perms are EXO_MAP_* bits (and CAPENV_MAP_UC). Cannot fail: the
 * range was checked to be free and user-space, and the reserve holds enough table frames. */
void capenv_arch_map(struct aspace *as, uint64_t va, uint64_t pfn, uint64_t npages, unsigned perms,
                     struct pt_reserve *res);
/* Removes the translations of [va, va + npages pages); all of them are present. Table frames stay. */
void capenv_arch_unmap(struct aspace *as, uint64_t va, uint64_t npages);
/* Makes every CPU that may have cached translations of the range forget them; called after unmap. */
void capenv_tlb_shootdown(struct aspace *as, uint64_t va, uint64_t npages);
/* The address space is going away (nothing is mapped any more): hand every table frame, the root
 * included, back with aspace_release_table(as, pfn) (obj_aspace.h). */
void capenv_arch_as_destroy(struct aspace *as);

/* ---- user memory, time, console ------------------------------------------------------------- */
/* Copy between kernel memory and the calling domain's user memory; 0 or EXO_EFAULT. */
int capenv_copyin(void *dst, uaddr_t src, size_t n);
int capenv_copyout(uaddr_t dst, const void *src, size_t n);
/* Monotonic nanoseconds since boot. */
uint64_t capenv_time_ns(void);
/* Writes bytes to the debug console. */
void capenv_console_write(const char *s, size_t n);

/* ---- locking and failure -------------------------------------------------------------------- */
/* The core's one lock (docs/CAPABILITIES.md, "Locking"). capenv_lock returns a cookie (the kernel:
 * saved RFLAGS) that capenv_unlock gets back. A hosted single-threaded embedder may do nothing. */
uint64_t capenv_lock(void);
void capenv_unlock(uint64_t cookie);
/* The core lock is split into one shard per CPU (kernel/exo/shards.h; docs/LOCKING.md): capenv_lock takes every shard (needed to change capabilities, objects, pools, mappings);
 * holding any one shard keeps all of those in place. capenv_shard_lock takes the shards of `cpus`
 * (bit i = CPU i), capenv_shard_extend adds more while holding some: true if nothing was let go, false
 * if everything was released and re-taken in order (what the caller looked up must be looked up
 * again). capenv_unlock releases whatever is held. A hosted embedder may take its one lock for both. */
uint64_t capenv_shard_lock(uint64_t cpus);
bool capenv_shard_extend(uint64_t cpus);
/* Every shard (bits 0..ncpus-1), and whether the caller holds all of them: only then may it reap
 * objects (obj_reap) or change the capability graph. */
uint64_t capenv_shards_all(void);
bool capenv_exclusive(void);
/* A broken internal invariant (a bug in the core or the embedder): does not return. */
_Noreturn void capenv_panic(const char *msg);

#endif
