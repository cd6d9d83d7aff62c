/* uspace.h - user address spaces on x86-64: the page-table side of capcore's aspace objects, and
 * which CPU has which address space loaded (for TLB shootdown).
 *
 * The capability core decides what may be mapped (kernel/core/obj_aspace.c, syscall_decode_mem.c);
 * this code only edits the four-level tables of one address space (capenv_arch_* in uspace.c) and
 * switches CR3. The kernel half (PML4 slots 256..511) is copied from the kernel's PML4 at creation;
 * the kernel creates all its top-level entries at boot, so later kernel mappings are shared. */
#ifndef PLADOF_KERNEL_USPACE_H
#define PLADOF_KERNEL_USPACE_H

#include <stdint.h>

struct aspace;

/* Per address space arch state (aspace->arch_priv points into a static pool). */
struct uspace {
    volatile uint64_t cpus; /* bit i: CPU i has this address space loaded (or may have cached it) */
    uint64_t root_pa;
};

/* Loads `as` on this CPU (or the kernel's tables for NULL), maintaining the cpus masks. */
void uspace_activate(struct aspace *as);
/* The address space loaded on this CPU, or NULL. */
struct aspace *uspace_current(void);
/* Shootdown: forget [va, va + n pages) of `as` on every CPU that has it loaded; returns after every
 * CPU acknowledged (tlb.c). */
void tlb_shootdown_user(struct uspace *u, uint64_t va, uint64_t n);
void tlb_init(void);
/* Answers this CPU's part of a shootdown in flight by polling (for code that spins with interrupts
 * off, e.g. an interrupt handler waiting for the core lock). */
void tlb_answer_pending(void);

#endif
