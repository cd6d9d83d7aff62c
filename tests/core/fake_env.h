/* fake_env.h - a hosted embedder for the capability core: fake frames (with real bytes, so zeroing
 * can be checked), a fake 4-level page-table model, fake user memory, object storage with settable
 * limits, failure injection, and a lock that checks the core's locking contract.
 *
 * The fake machine has FAKE_NFRAMES frames from FAKE_BASE_PFN, straddling 4 GiB (pfn 0x100000) so
 * that EXO_MEM_DMA32 means something; the first FAKE_KERNEL_FRAMES are the kernel's. */
#ifndef PLADOF_TESTS_CORE_FAKE_ENV_H
#define PLADOF_TESTS_CORE_FAKE_ENV_H

#include <stdint.h>

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"

struct domain;

#define FAKE_BASE_PFN      0xffe00ull
#define FAKE_NFRAMES       1024u
#define FAKE_KERNEL_FRAMES 64u
#define FAKE_FREE_FRAMES   (FAKE_NFRAMES - FAKE_KERNEL_FRAMES)
#define FAKE_DMA32_END_PFN 0x100000ull
#define FAKE_USER_BASE     0x400000ull
#define FAKE_USER_SIZE     0x10000u

/* Resets the fake machine and the core, creates the root domain with a root quota over every free
 * frame (handle in *rootq) and returns it. */
struct domain *fake_boot(exo_handle_t *rootq);
/* The domain a DOMAIN capability of `holder` names (NULL if h is not one). */
struct domain *fake_domain_of(struct domain *holder, exo_handle_t h);
/* The object behind a handle (NULL if invalid), for white-box checks. */
struct aspace *fake_aspace_of(struct domain *holder, exo_handle_t h);

/* System call through the portable dispatcher (offset from EXO_SYSCALL_BASE is not needed: pass the
 * full EXO_SYS_* number). */
int64_t fake_sys(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5);

/* 1 if syscalls.tbl lists error r for call nr (or r is EXO_ENOSYS for an unimplemented number). */
int fake_error_documented(uint64_t nr, int64_t r);
/* How many calls through fake_sys returned an error their documentation does not list. */
uint64_t fake_undocumented_errors(void);

/* Bytes of a frame. */
uint8_t *fake_frame(uint64_t pfn);
/* The fake page table: 1 and the frame and perms if va is mapped in as. */
int fake_pt_lookup(const struct aspace *as, uint64_t va, uint64_t *pfn, unsigned *perms);
/* Leaf entries present in as, and table frames it holds (root excluded). */
uint64_t fake_pt_leaves(const struct aspace *as);
uint64_t fake_pt_tables(const struct aspace *as);
/* Leaf entries of every address space together (O(1)). */
uint64_t fake_pt_all_leaves(void);
extern uint64_t fake_shootdowns;
/* Forgets every translation and table (fake_boot). */
void fake_pt_reset(void);

/* Failure injection: the next n frame allocations succeed, then all fail (n < 0: never fail). */
void fake_fail_frames_after(long n);
/* Limit on live objects of a kind (EXO_OBJ_* or CAPENV_KIND_MAPPING). */
void fake_set_pool_limit(unsigned kind, unsigned limit);
/* The CPU index c2env_this_cpu reports (tests/core2/fake_c2pt.c). */
extern unsigned fake_c2_cpu;

/* Fake user memory [FAKE_USER_BASE, FAKE_USER_BASE + FAKE_USER_SIZE): host pointer for a user
 * address inside it; copy-in/out of anything outside fails with EXO_EFAULT. */
uint8_t *fake_user(uint64_t ua);
/* Everything written to the debug console since boot (NUL-terminated). */
const char *fake_console(void);
/* Object storage handed out and not yet returned (all kinds). */
uint64_t fake_pool_live_total(void);
/* Frames the fake allocator holds free. */
uint64_t fake_free_frames(void);

#endif
