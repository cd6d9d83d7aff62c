/* fake_pt.c - a fake x86-64-shaped page table for hosted tests of the capability core.
 *
 * Leaf translations and the existence of PT/PD/PDPT tables (covering 2 MiB, 1 GiB and 512 GiB) are
 * kept in one open-addressing hash keyed by (address space, level, index); the root table is the
 * address space's root_pfn. So capenv_arch_tables_needed gives the same answer real 4-level paging
 * would, and each table frame handed over is recorded and returned on destroy. The hooks panic on
 * any misuse the core must never commit (mapping over a present page, unmapping a hole, using more
 * table frames than reserved). */
#include <string.h>

#include "kernel/core/obj_aspace.h"
#include "tests/core/fake_env.h"

#define HBITS 16
#define HSIZE (1u << HBITS)

struct entry {
    const struct aspace *as; /* NULL: empty */
    uint64_t idx;            /* page number (level 0) or table index */
    uint64_t pfn;
    unsigned level, perms;
};

static struct entry tab[HSIZE];
static uint64_t live, live_leaves;

static unsigned hash(const struct aspace *as, unsigned level, uint64_t idx)
{
    uint64_t h = (uint64_t)(uintptr_t)as * 0x9e3779b97f4a7c15ull ^ (idx + level * 0x1000193ull) * 0xff51afd7ed558ccdull;
    return (unsigned)(h >> (64 - HBITS));
}

static struct entry *find(const struct aspace *as, unsigned level, uint64_t idx)
{
    for (unsigned i = hash(as, level, idx);; i = (i + 1) & (HSIZE - 1)) {
        if (!tab[i].as)
            return NULL;
        if (tab[i].as == as && tab[i].level == level && tab[i].idx == idx)
            return &tab[i];
    }
}

static void insert(const struct aspace *as, unsigned level, uint64_t idx, uint64_t pfn, unsigned perms)
{
    if (live + 1 >= HSIZE / 2)
        capenv_panic("fake_pt: table full");
    unsigned i = hash(as, level, idx);
    while (tab[i].as)
        i = (i + 1) & (HSIZE - 1);
    tab[i] = (struct entry){as, idx, pfn, level, perms};
    live++;
    live_leaves += level == 0;
}

/* Linear-probing deletion by backward shift: no tombstones, so probes stay short forever. */
static void erase(struct entry *e)
{
    unsigned i = (unsigned)(e - tab), j = i;
    live_leaves -= tab[i].level == 0;
    tab[i].as = NULL;
    live--;
    for (;;) {
        j = (j + 1) & (HSIZE - 1);
        if (!tab[j].as)
            return;
        unsigned k = hash(tab[j].as, tab[j].level, tab[j].idx);
        /* move tab[j] into the hole at i unless its home k lies cyclically in (i, j] */
        if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
            continue;
        tab[i] = tab[j];
        tab[j].as = NULL;
        i = j;
    }
}

static const unsigned shifts[4] = {12, 21, 30, 39}; /* level 0 = leaf page; 1..3 = PT, PD, PDPT */

void capenv_arch_as_init(struct aspace *as, uint64_t root_pfn)
{
    as->arch_priv = NULL;
    (void)root_pfn;
}

unsigned capenv_arch_tables_needed(struct aspace *as, uint64_t va, uint64_t npages)
{
    uint64_t last = va + npages * EXO_PAGE_SIZE - 1;
    unsigned n = 0;
    for (unsigned l = 1; l <= 3; l++)
        for (uint64_t i = va >> shifts[l]; i <= last >> shifts[l]; i++)
            n += find(as, l, i) == NULL;
    return n;
}

void capenv_arch_map(struct aspace *as, uint64_t va, uint64_t pfn, uint64_t npages, unsigned perms,
                     struct pt_reserve *res)
{
    for (uint64_t p = 0; p < npages; p++) {
        uint64_t v = va + p * EXO_PAGE_SIZE;
        for (unsigned l = 3; l >= 1; l--) {
            if (find(as, l, v >> shifts[l]))
                continue;
            if (res->used >= res->count)
                capenv_panic("fake_pt: more table frames needed than reserved");
            insert(as, l, v >> shifts[l], res->pfn[res->used++], 0);
        }
        if (find(as, 0, v >> 12))
            capenv_panic("fake_pt: mapping over a present page");
        insert(as, 0, v >> 12, pfn + p, perms);
    }
}

void capenv_arch_unmap(struct aspace *as, uint64_t va, uint64_t npages)
{
    for (uint64_t p = 0; p < npages; p++) {
        struct entry *e = find(as, 0, (va >> 12) + p);
        if (!e)
            capenv_panic("fake_pt: unmapping a page that is not mapped");
        erase(e);
    }
}

void capenv_tlb_shootdown(struct aspace *as, uint64_t va, uint64_t npages)
{
    (void)as, (void)va, (void)npages;
    fake_shootdowns++;
}

void capenv_arch_as_destroy(struct aspace *as)
{
    if (fake_pt_leaves(as) != 0)
        capenv_panic("fake_pt: destroying an address space with pages mapped");
    for (unsigned i = 0; i < HSIZE;) {
        if (tab[i].as == as && tab[i].level > 0) {
            uint64_t pfn = tab[i].pfn;
            erase(&tab[i]); /* the shift may bring another entry to i: look at i again */
            aspace_release_table(as, pfn);
        } else {
            i++;
        }
    }
    aspace_release_table(as, as->root_pfn);
}

int fake_pt_lookup(const struct aspace *as, uint64_t va, uint64_t *pfn, unsigned *perms)
{
    const struct entry *e = find(as, 0, va >> 12);
    if (!e)
        return 0;
    *pfn = e->pfn;
    *perms = e->perms;
    return 1;
}

static uint64_t count(const struct aspace *as, int leaves)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < HSIZE; i++)
        if (tab[i].as == as && ((tab[i].level == 0) == leaves))
            n++;
    return n;
}

uint64_t fake_pt_leaves(const struct aspace *as) { return count(as, 1); }
uint64_t fake_pt_all_leaves(void) { return live_leaves; }
uint64_t fake_pt_tables(const struct aspace *as) { return count(as, 0); }

void fake_pt_reset(void)
{
    if (live)
        memset(tab, 0, sizeof tab);
    live = live_leaves = 0;
}
