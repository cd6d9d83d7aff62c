/* memobj.c - acquiring, committing and releasing the frames of memory objects (see memobj.h). */
#include "kernel/core/memobj.h"

#include "kernel/core/cap_env.h"
#include "kernel/core/ledger.h"
#include "kernel/core/quota.h"

int memobj_acquire(struct memobj *m, uint64_t count, unsigned flags)
{
    unsigned fflags = (flags & EXO_MEM_DMA32) ? CAPENV_FRAMES_DMA32 : 0;
    m->nruns = 0;
    m->npages = 0;
    m->flags = flags;
    if (flags & EXO_MEM_CONTIG) {
        uint64_t pfn;
        if (capenv_frames_alloc(count, fflags | CAPENV_FRAMES_EXACT, &pfn) != count)
            return EXO_ENOMEM;
        m->runs[0] = (struct mem_run){pfn, count};
        m->nruns = 1;
        m->npages = count;
        return 0;
    }
    while (m->npages < count) {
        uint64_t pfn, got;
        if (m->nruns == EXO_MEM_MAX_RUNS ||
            (got = capenv_frames_alloc(count - m->npages, fflags, &pfn)) == 0) {
            memobj_abandon(m);
            return EXO_ENOMEM;
        }
        if (got > count - m->npages)
            capenv_panic("memobj: frame allocator returned a longer run than asked");
        m->runs[m->nruns++] = (struct mem_run){pfn, got};
        m->npages += got;
    }
    return 0;
}

void memobj_abandon(struct memobj *m)
{
    for (uint32_t i = 0; i < m->nruns; i++)
        capenv_frames_free(m->runs[i].pfn, m->runs[i].count);
    m->nruns = 0;
    m->npages = 0;
}

void memobj_commit(struct memobj *m, struct quota *q)
{
    obj_init(&m->hdr, EXO_OBJ_MEMORY);
    for (uint32_t i = 0; i < m->nruns; i++) {
        ledger_assign(m->runs[i].pfn, m->runs[i].count, m->hdr.id);
        /* FRAMEWORK 3.1.4: frames handed to a new owner never carry the previous owner's data. */
        capenv_frames_zero(m->runs[i].pfn, m->runs[i].count);
    }
    quota_charge(q, m->npages);
    obj_get(&q->hdr);
    m->quota = q;
}

uint64_t memobj_frame(const struct memobj *m, uint64_t pgoff, uint64_t *run_left)
{
    for (uint32_t i = 0; i < m->nruns; i++) {
        if (pgoff < m->runs[i].count) {
            *run_left = m->runs[i].count - pgoff;
            return m->runs[i].pfn + pgoff;
        }
        pgoff -= m->runs[i].count;
    }
    capenv_panic("memobj: page offset beyond the object");
}

void memobj_destroy(struct memobj *m)
{
    for (uint32_t i = 0; i < m->nruns; i++) {
        ledger_release(m->runs[i].pfn, m->runs[i].count, m->hdr.id);
        capenv_frames_free(m->runs[i].pfn, m->runs[i].count);
    }
    quota_uncharge(m->quota, m->npages);
    obj_put(&m->quota->hdr);
}
