/* uspace.c - the page tables of user address spaces: capenv_arch_* hooks of kernel/core/cap_env.h.
 *
 * Layout: a four-level x86-64 tree per address space. PML4 slots 0..255 are the user half and
 * belong to the address space: every table below them came from a pt_reserve the core charged to
 * the address space's quota, and goes back through aspace_release_table when it is destroyed.
 * Slots 256..511 are copied from the kernel's PML4 and never touched again (the kernel made all of
 * them at boot, so they stay valid). Intermediate entries are P|W|U; the leaf decides: U always,
 * W only for EXO_MAP_W, NX unless EXO_MAP_X. No user page is global.
 *
 * Every hook runs under the core lock (cap_env.h), so no locking here; CR3 switches and the
 * per-CPU "loaded" masks are in uspace_activate. */
#include "kernel/arch/x86_64/uspace.h"

#include <pladof/exo.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/mmio_dev.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/lib/string.h"

#define PG 4096ull
#define USPACE_MAX 512 /* more than the aspace object pool can hold (capenv.c) */

static struct uspace pool[USPACE_MAX];
static bool pool_used[USPACE_MAX];
static struct {
    struct aspace *v;
} __attribute__((aligned(64))) loaded[MAX_CPUS]; /* a cache line per CPU: written at switches */

static uint64_t *tab(uint64_t e) { return phys_to_virt(e & PTE_ADDR); }
static unsigned ix(uint64_t va, int level) { return (va >> (12 + 9 * (level - 1))) & 511; }

void capenv_arch_as_init(struct aspace *as, uint64_t root_pfn)
{
    struct uspace *u = 0;
    for (unsigned i = 0; i < USPACE_MAX && !u; i++)
        if (!pool_used[i]) {
            pool_used[i] = true;
            u = &pool[i];
        }
    if (!u)
        capenv_panic("uspace: arch pool smaller than the aspace pool");
    u->cpus = 0;
    u->root_pa = root_pfn * PG;
    uint64_t *root = phys_to_virt(u->root_pa);
    const uint64_t *kroot = phys_to_virt(kernel_pml4);
    for (unsigned i = 256; i < 512; i++)
        root[i] = kroot[i];
    as->arch_priv = u;
}

/* The table at `level` (3 = PDPT, 2 = PD, 1 = PT) covering va, or NULL if it does not exist. */
static uint64_t *table_at(uint64_t root_pa, uint64_t va, int level)
{
    uint64_t *t = phys_to_virt(root_pa);
    for (int l = 4; l > level; l--) {
        uint64_t e = t[ix(va, l)];
        if (!(e & PTE_P))
            return 0;
        t = tab(e);
    }
    return t;
}

unsigned capenv_arch_tables_needed(struct aspace *as, uint64_t va, uint64_t npages)
{
    struct uspace *u = as->arch_priv;
    uint64_t end = va + npages * PG, n = 0;
    /* level l table covers `span` bytes; one is missing for every span-aligned chunk without one */
    static const uint64_t span[4] = {0, 2ull << 20, 1ull << 30, 512ull << 30};
    for (int level = 1; level <= 3; level++)
        for (uint64_t a = va & ~(span[level] - 1); a < end; a += span[level])
            if (!table_at(u->root_pa, a, level))
                n++;
    return (unsigned)n;
}

void capenv_arch_map(struct aspace *as, uint64_t va, uint64_t pfn, uint64_t npages, unsigned perms,
                     struct pt_reserve *res)
{
    struct uspace *u = as->arch_priv;
    uint64_t leaf = PTE_P | PTE_U | ((perms & EXO_MAP_W) ? PTE_W : 0) | ((perms & EXO_MAP_X) ? 0 : PTE_NX);
    if (perms & CAPENV_MAP_UC) /* device memory: the PAT entry that is UC (checked to exist at boot) */
        leaf |= (uint64_t)mmio_uc_pte_bits();
    for (uint64_t i = 0; i < npages; i++) {
        uint64_t a = va + i * PG;
        uint64_t *t = phys_to_virt(u->root_pa);
        for (int l = 4; l > 1; l--) {
            uint64_t *e = &t[ix(a, l)];
            if (!(*e & PTE_P)) {
                if (res->used >= res->count)
                    capenv_panic("uspace: page-table reserve exhausted");
                /* the core zeroed the reserve frames (aspace_map) */
                *e = (res->pfn[res->used++] * PG) | PTE_P | PTE_W | PTE_U;
            }
            t = tab(*e);
        }
        t[ix(a, 1)] = ((pfn + i) * PG) | leaf;
    }
}

void capenv_arch_unmap(struct aspace *as, uint64_t va, uint64_t npages)
{
    struct uspace *u = as->arch_priv;
    for (uint64_t i = 0; i < npages; i++) {
        uint64_t *pt = table_at(u->root_pa, va + i * PG, 1);
        if (!pt || !(pt[ix(va + i * PG, 1)] & PTE_P))
            capenv_panic("uspace: unmapping a page that is not mapped");
        pt[ix(va + i * PG, 1)] = 0;
    }
}

void capenv_tlb_shootdown(struct aspace *as, uint64_t va, uint64_t npages)
{
    tlb_shootdown_user(as->arch_priv, va, npages);
}

void capenv_arch_as_destroy(struct aspace *as)
{
    struct uspace *u = as->arch_priv;
    if (u->cpus)
        capenv_panic("uspace: destroying an address space that a CPU still has loaded");
    uint64_t *root = phys_to_virt(u->root_pa);
    for (unsigned i = 0; i < 256; i++) {
        if (!(root[i] & PTE_P))
            continue;
        uint64_t *pdpt = tab(root[i]);
        for (unsigned j = 0; j < 512; j++) {
            if (!(pdpt[j] & PTE_P))
                continue;
            uint64_t *pd = tab(pdpt[j]);
            for (unsigned k = 0; k < 512; k++)
                if (pd[k] & PTE_P)
                    aspace_release_table(as, (pd[k] & PTE_ADDR) / PG);
            aspace_release_table(as, (pdpt[j] & PTE_ADDR) / PG);
        }
        aspace_release_table(as, (root[i] & PTE_ADDR) / PG);
    }
    aspace_release_table(as, u->root_pa / PG);
    pool_used[u - pool] = false;
    as->arch_priv = 0;
}

void uspace_activate(struct aspace *as)
{
    unsigned me = this_cpu()->cpu_id;
    struct aspace *old = loaded[me].v;
    if (old == as)
        return;
    if (as)
        __atomic_fetch_or(&((struct uspace *)as->arch_priv)->cpus, 1ull << me, __ATOMIC_SEQ_CST);
    write_cr3(as ? ((struct uspace *)as->arch_priv)->root_pa : kernel_pml4);
    loaded[me].v = as;
    if (old)
        __atomic_fetch_and(&((struct uspace *)old->arch_priv)->cpus, ~(1ull << me), __ATOMIC_SEQ_CST);
}

struct aspace *uspace_current(void) { return loaded[this_cpu()->cpu_id].v; }
