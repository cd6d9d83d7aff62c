/* ctx_cow.c - in-QEMU test: copy-on-write done by a test LibOS through page-fault upcalls (issue 4).
 *
 * init plays the "parent": it fills NPAGES pages of a memory object (seen at ORIG_VA) and maps the same
 * frames read-only at COW_VA for a "child" context of the LibOS domain L. The child reads every page
 * (no fault: sharing is free) and writes into some of them. Each first write faults (#PF, present +
 * write); L's handler allocates a fresh page from L's own quota, copies the shared page into it
 * through a scratch mapping, replaces the read-only page by the copy (writable) and resumes the
 * faulting store with exo_upcall_return. Checked: one fault per written page and none for the pages
 * only read, the child sees its writes and the rest of each page intact, the parent's pages are
 * unchanged, the copies were charged to L's quota, and after the test everything is reclaimed. */
#include "user/tests/ctx_util.h"

#define PG       4096ull
#define NPAGES   8
#define ORIG_VA  0x60000000ull /* the parent's view (read-write) */
#define COW_VA   0x60100000ull /* the child's view (read-only until copied) */
#define SCR_VA   0x60200000ull /* the handler's scratch page */
#define STK_VA   0x60300000ull /* child stack (page 0) and handler stack (page 1) */
#define LQ_PAGES 16

static uint64_t Q, AS;
/* L's handles, used by its handler (the handler runs with L's capability space) */
static volatile uint64_t l_as, l_quota;
static volatile unsigned cow_faults, other_faults, handler_errors, child_done;
static volatile uint64_t fault_addr[NPAGES + 2];
static volatile uint64_t child_sum; /* what the child read before writing */
static volatile int64_t last_error;  /* the handler's failing call, if any */
static volatile unsigned last_step;
static volatile uint64_t other_info[4]; /* kind, address, access, rip of an unexpected fault */

/* The LibOS page-fault handler: copy the shared page, remap it writable, retry the store. */
_Noreturn void cow_handler(struct exo_upcall_frame *f);
_Noreturn void cow_handler(struct exo_upcall_frame *f)
{
    uint64_t page = f->addr & ~(PG - 1);
    if (f->kind != EXO_EXC_PF || (f->access & (EXO_PF_PRESENT | EXO_PF_WRITE)) != (EXO_PF_PRESENT | EXO_PF_WRITE) ||
        page < COW_VA || page >= COW_VA + NPAGES * PG) {
        other_faults++;
        other_info[0] = f->kind, other_info[1] = f->addr, other_info[2] = f->access, other_info[3] = f->regs.r[EXO_CTX_RIP];
        ctx_exit(); /* not a COW fault: give up (the test reports it) */
    }
    if (cow_faults < NPAGES + 2)
        fault_addr[cow_faults] = f->addr;
    cow_faults++;
    int64_t m = exo_alloc_mem_pages(l_quota, 1, 0), e = m;
    last_step = 1;
    if (m > 0)
        last_step = 2, e = exo_map_pages(l_as, (uint64_t)m, SCR_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    if (e >= 0) {
        memcpy((void *)SCR_VA, (const void *)page, PG);
        last_step = 3, e = exo_unmap_pages(l_as, SCR_VA, 1);
        if (e >= 0) /* unmap returns the number of pages it unmapped */
            last_step = 4, e = exo_unmap_pages(l_as, page, 1);
        if (e >= 0)
            last_step = 5, e = exo_map_pages(l_as, (uint64_t)m, page, EXO_MAP_R | EXO_MAP_W, 0, 1);
    }
    if (e < 0) {
        handler_errors++;
        last_error = e;
        ctx_exit(); /* could not fix it: retrying would fault forever */
    }
    exo_upcall_return(&f->regs, f->fpu); /* the store runs again, now on the private copy */
    handler_errors += 100;
    ctx_exit();
}

/* The child: reads everything, then writes one word into pages 1, 3 and 6 (twice into page 3). */
_Noreturn void child_main(uint64_t arg);
_Noreturn void child_main(uint64_t arg)
{
    uint64_t sum = 0;
    for (unsigned p = 0; p < NPAGES; p++)
        for (unsigned w = 0; w < PG / 8; w += 64)
            sum += ((volatile uint64_t *)(COW_VA + p * PG))[w];
    child_sum = sum;
    ((volatile uint64_t *)(COW_VA + 1 * PG))[10] = 0xc0c0c0c0;
    ((volatile uint64_t *)(COW_VA + 3 * PG))[20] = 0xd0d0d0d0;
    ((volatile uint64_t *)(COW_VA + 3 * PG))[21] = 0xe0e0e0e0; /* already private: no fault */
    ((volatile uint64_t *)(COW_VA + 6 * PG))[511] = 0xf0f0f0f0;
    child_done = 1;
    ctx_exit();
}

static uint64_t pattern(unsigned p, unsigned w) { return 0x1000000ull * (p + 1) + w; }

static uint64_t quota_used(uint64_t q)
{
    struct exo_cap_info ci;
    return exo_cap_info(q, &ci) == 0 ? ci.used : ~0ull;
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "cow: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    uint64_t used0 = quota_used(Q);

    /* the parent's memory, filled, and the child's read-only view of the same frames */
    int64_t mem = exo_alloc_mem_pages(Q, NPAGES, 0), stk = exo_alloc_mem_pages(Q, 2, 0);
    tap_ok(mem > 0 && stk > 0 && exo_map_pages(AS, (uint64_t)mem, ORIG_VA, EXO_MAP_R | EXO_MAP_W, 0, NPAGES) == 0 &&
           exo_map_pages(AS, (uint64_t)stk, STK_VA, EXO_MAP_R | EXO_MAP_W, 0, 2) == 0,
           "cow: parent memory (%u pages) and stacks mapped", NPAGES);
    uint64_t used_maps = quota_used(Q); /* used0 + NPAGES + 2 data pages + the new page tables */
    uint64_t sum = 0;
    for (unsigned p = 0; p < NPAGES; p++)
        for (unsigned w = 0; w < PG / 8; w++) {
            ((uint64_t *)(ORIG_VA + p * PG))[w] = pattern(p, w);
            if (w % 64 == 0)
                sum += pattern(p, w);
        }
    tap_eq(exo_map_pages(AS, (uint64_t)mem, COW_VA, EXO_MAP_R, 0, NPAGES), 0, "cow: the same frames mapped read-only for the child");

    /* the LibOS domain: its own quota, the address space, a #PF handler */
    int64_t L = exo_domain_create(Q), lq = exo_cap_derive(Q, EXO_R_ALLOC | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_READ | EXO_R_WRITE | EXO_R_MAP,
                                                              0, LQ_PAGES);
    struct exo_cap_info ai;
    exo_cap_info(AS, &ai);
    tap_ok(L > 0 && lq > 0, "cow: LibOS domain L and a %u-page quota for it", LQ_PAGES);
    l_as = (uint64_t)exo_cap_copy(AS, (uint64_t)L, ai.rights);
    l_quota = (uint64_t)exo_cap_copy((uint64_t)lq, (uint64_t)L, EXO_R_ALLOC | EXO_R_READ | EXO_R_WRITE | EXO_R_MAP);
    tap_ok((int64_t)l_as > 0 && (int64_t)l_quota > 0, "cow: L holds the address space and its quota");
    tap_eq(exo_event_register_handler((uint64_t)L, EXO_EXC_PF, (uint64_t)cow_handler, STK_VA + 2 * PG), 0,
           "cow: L registers its page-fault handler");

    int64_t c = ctx_make((uint64_t)L, AS, child_main, STK_VA + PG, 0, CTX_TEST_CPU);
    tap_ok(c > 0 && exo_cpu_context_start((uint64_t)c) == 0, "cow: the child context started");
    int ok = WAIT_UNTIL(ctx_stopped(c), 5000);
    tap_ok(ok && child_done, "cow: the child ran to its end");
    tap_eq(other_faults + handler_errors, 0, "cow: every fault was a COW write fault and the handler's calls succeeded");
    if (other_faults)
        tap_diag("unexpected fault: kind %lu address 0x%lx access 0x%lx rip 0x%lx", other_info[0], other_info[1], other_info[2], other_info[3]);
    for (unsigned i = 0; cow_faults != 3 && i < cow_faults && i < NPAGES + 2; i++)
        tap_diag("cow fault %u at 0x%lx", i, fault_addr[i]);
    if (last_error)
        tap_diag("the handler's failing call (step %u) returned %ld (%s)", last_step, (long)last_error, exo_strerror(last_error));
    tap_eq(cow_faults, 3, "cow: three faults: one per written page, none for reads or the second write to a page");
    tap_ok(fault_addr[0] == COW_VA + PG + 80 && fault_addr[1] == COW_VA + 3 * PG + 160 &&
           fault_addr[2] == COW_VA + 6 * PG + 511 * 8, "cow: the faulting addresses are the stores'");
    tap_eq(child_sum, sum, "cow: the child read the parent's data through the shared read-only pages");
    tap_ok(((volatile uint64_t *)(COW_VA + PG))[10] == 0xc0c0c0c0 && ((volatile uint64_t *)(COW_VA + 3 * PG))[21] == 0xe0e0e0e0 &&
           ((volatile uint64_t *)(COW_VA + 6 * PG))[511] == 0xf0f0f0f0, "cow: the child's view has its writes");
    int intact = 1, parent = 1;
    for (unsigned p = 0; p < NPAGES; p++)
        for (unsigned w = 0; w < PG / 8; w++) {
            uint64_t v = ((volatile uint64_t *)(COW_VA + p * PG))[w];
            int written = (p == 1 && w == 10) || (p == 3 && (w == 20 || w == 21)) || (p == 6 && w == 511);
            if (!written && v != pattern(p, w))
                intact = 0;
            if (((volatile uint64_t *)(ORIG_VA + p * PG))[w] != pattern(p, w))
                parent = 0;
        }
    tap_ok(intact, "cow: every other word of the child's pages is the parent's (copied, not zeroed)");
    tap_ok(parent, "cow: the parent's pages are unchanged");
    tap_eq(quota_used((uint64_t)lq), 3, "cow: the three copies are charged to L's quota");
    ((volatile uint64_t *)(ORIG_VA + 2 * PG))[0] = 77;
    tap_eq(((volatile uint64_t *)(COW_VA + 2 * PG))[0], 77, "cow: a page never written is still shared with the parent");

    /* clean up: L and its copies go, the quota gets every page back */
    exo_cap_revoke((uint64_t)L);
    exo_cap_delete((uint64_t)L);
    exo_unmap_pages(AS, COW_VA, NPAGES);
    exo_cap_revoke((uint64_t)lq);
    exo_cap_delete((uint64_t)lq);
    exo_unmap_pages(AS, ORIG_VA, NPAGES);
    exo_unmap_pages(AS, STK_VA, 2);
    exo_free_mem_pages((uint64_t)mem);
    exo_free_mem_pages((uint64_t)stk);
    tap_eq(quota_used(Q), used_maps - NPAGES - 2, "cow: every data page is back in the root quota (%lu page-table pages stay with the address space)",
           used_maps - NPAGES - 2 - used0);
    tap_eq(kexo_check(), 0, "cow: kernel invariant check");
    return tap_done();
}
