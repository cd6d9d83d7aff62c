/* ledger.c - per-frame owner words and their checked transitions (see ledger.h). */
#include "kernel/core/ledger.h"

#include "kernel/core/cap_env.h"
#include "kernel/core/obj.h"

static uint32_t *owner;
static uint64_t base, nframes;

void ledger_init(uint32_t *owner_storage, uint64_t base_pfn, uint64_t n)
{
    owner = owner_storage;
    base = base_pfn;
    nframes = n;
    for (uint64_t i = 0; i < n; i++)
        owner[i] = LEDGER_KERNEL;
}

/* Moves [pfn, pfn + count) from state `from` to state `to`, checking every frame first so that a
 * violation leaves the ledger unchanged before panicking. */
static void transfer(uint64_t pfn, uint64_t count, uint32_t from, uint32_t to)
{
    if (pfn < base || pfn - base >= nframes || count > nframes - (pfn - base))
        capenv_panic("ledger: frame run outside the ledger");
    uint32_t *w = owner + (pfn - base);
    for (uint64_t i = 0; i < count; i++)
        if (w[i] != from)
            capenv_panic("ledger: frame is not in the expected state");
    for (uint64_t i = 0; i < count; i++)
        w[i] = to;
}

void ledger_kernel_to_free(uint64_t pfn, uint64_t count) { transfer(pfn, count, LEDGER_KERNEL, LEDGER_FREE); }
void ledger_free_to_kernel(uint64_t pfn, uint64_t count) { transfer(pfn, count, LEDGER_FREE, LEDGER_KERNEL); }

void ledger_assign(uint64_t pfn, uint64_t count, uint32_t who)
{
    if (who < 2)
        capenv_panic("ledger: assign to a non-object owner");
    transfer(pfn, count, LEDGER_FREE, who);
}

void ledger_release(uint64_t pfn, uint64_t count, uint32_t who)
{
    if (who < 2)
        capenv_panic("ledger: release from a non-object owner");
    transfer(pfn, count, who, LEDGER_FREE);
}

uint32_t ledger_owner(uint64_t pfn)
{
    if (pfn < base || pfn - base >= nframes)
        capenv_panic("ledger: frame outside the ledger");
    return owner[pfn - base];
}

CAPCORE_CHECKER void ledger_count(struct ledger_counts *out)
{
    *out = (struct ledger_counts){.total = nframes};
    for (uint64_t i = 0; i < nframes; i++) {
        if (owner[i] == LEDGER_FREE)
            out->free++;
        else if (owner[i] == LEDGER_KERNEL)
            out->kernel++;
        else
            out->owned++;
    }
}

uint64_t ledger_base(void) { return base; }
uint64_t ledger_nframes(void) { return nframes; }
