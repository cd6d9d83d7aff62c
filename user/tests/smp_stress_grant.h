/* smp_stress_grant.h - the grant-copy activity of smp_stress.c: two copier contexts (CPUs 1 and 3) copy a
 * two-page source window of another address space into their own pages with exo_transfer_data (a copy holds
 * only its CPU's shard), while init (CPU 0) keeps replacing the source pages: a new page filled with the next
 * generation number is mapped in place of the old one, which is freed (its frames go back and are reused),
 * sometimes after a gap with nothing mapped. Every copy must return the byte count or EXO_EFAULT (a page was
 * not mapped); every page it copied must hold one generation in all its words (never a mix, never zeros of a
 * freed frame), and the generations a copier sees per page never go back. Included once, by smp_stress.c. */
#ifndef PLADOF_USER_TESTS_SMP_STRESS_GRANT_H
#define PLADOF_USER_TESTS_SMP_STRESS_GRANT_H

#include "user/tests/smp_stress_ctx.h"

#define GR_R      150
#define GR_SRC_VA 0x52000000ull /* in the source address space: 2 pages */
#define GR_DST_VA 0x52100000ull /* in init's address space: 2 pages per copier */
#define GR_SCR_VA 0x52200000ull /* in init's address space: where a new page is filled */
#define GR_WORDS  (PG / 8)

static volatile uint64_t gr_src_h, gr_dst_h[2];    /* D's handles: source window (READ), each copier's (WRITE) */
static volatile uint64_t gr_copies[2], gr_faults[2], gr_mixed[2], gr_back[2], gr_bad[2], gr_done;
static volatile int64_t gr_last_bad;

_Noreturn void copier_main(uint64_t id);
_Noreturn void copier_main(uint64_t id)
{
    const volatile uint64_t *dst = (const volatile uint64_t *)(GR_DST_VA + id * 2 * PG);
    uint64_t last[2] = {0, 0};
    while (!stop_all && !gr_done) {
        int64_t rc = exo_transfer_data(gr_dst_h[id], 0, gr_src_h, 0, 2 * PG, 0);
        if (rc == EXO_EFAULT) {
            gr_faults[id]++;
            continue;
        }
        if (rc != (int64_t)(2 * PG)) {
            gr_bad[id]++, gr_last_bad = rc;
            continue;
        }
        gr_copies[id]++;
        for (unsigned p = 0; p < 2; p++) {
            uint64_t g = dst[p * GR_WORDS];
            int same = g != 0;
            for (unsigned i = 1; i < GR_WORDS; i++)
                same &= dst[p * GR_WORDS + i] == g;
            if (!same)
                gr_mixed[id]++;
            else if (g < last[p])
                gr_back[id]++;
            else
                last[p] = g;
        }
    }
    smp_exit();
}

/* Init's side, part 1: the windows and the first generation (before the contexts start). */
static uint64_t gr_as, gr_mem[2], gr_dmem;
static int gr_setup(uint64_t qs, uint64_t as, uint64_t dom)
{
    int64_t a = exo_address_space_create(qs), dm = exo_alloc_mem_pages(qs, 4, 0);
    if (a < 0 || dm < 0 || exo_map_pages(as, (uint64_t)dm, GR_DST_VA, EXO_MAP_R | EXO_MAP_W, 0, 4) != 0)
        return 0;
    gr_as = (uint64_t)a, gr_dmem = (uint64_t)dm;
    for (unsigned p = 0; p < 2; p++) {
        int64_t m = exo_alloc_mem_pages(qs, 1, 0);
        if (m < 0 || exo_map_pages(as, (uint64_t)m, GR_SCR_VA, EXO_MAP_R | EXO_MAP_W, 0, 1) != 0)
            return 0;
        for (unsigned i = 0; i < GR_WORDS; i++)
            ((volatile uint64_t *)GR_SCR_VA)[i] = 1;
        exo_unmap_pages(as, GR_SCR_VA, 1);
        if (exo_map_pages(gr_as, (uint64_t)m, GR_SRC_VA + p * PG, EXO_MAP_R, 0, 1) != 0)
            return 0;
        gr_mem[p] = (uint64_t)m;
    }
    int64_t gs = exo_grant_create(gr_as, GR_SRC_VA, 2 * PG, EXO_R_READ);
    int64_t s = gs > 0 ? exo_cap_copy((uint64_t)gs, dom, EXO_R_READ) : -1;
    if (s < 0)
        return 0;
    /* each copier gets a window over its own two pages: a grant of init's address space per copier */
    int64_t w0 = exo_grant_create(as, GR_DST_VA, 2 * PG, EXO_R_WRITE), w1 = exo_grant_create(as, GR_DST_VA + 2 * PG, 2 * PG, EXO_R_WRITE);
    int64_t h0 = w0 > 0 ? exo_cap_copy((uint64_t)w0, dom, EXO_R_WRITE) : -1, h1 = w1 > 0 ? exo_cap_copy((uint64_t)w1, dom, EXO_R_WRITE) : -1;
    gr_src_h = (uint64_t)s, gr_dst_h[0] = (uint64_t)h0, gr_dst_h[1] = (uint64_t)h1;
    return h0 > 0 && h1 > 0;
}

/* Part 2: the replacements; returns how many init-side calls failed. */
static uint64_t gr_rounds(uint64_t qs, uint64_t as)
{
    uint64_t fails = 0;
    for (uint64_t r = 0; r < GR_R; r++) {
        unsigned p = r % 2;
        uint64_t g = 2 + r;
        int64_t m = exo_alloc_mem_pages(qs, 1, 0);
        if (m < 0 || exo_map_pages(as, (uint64_t)m, GR_SCR_VA, EXO_MAP_R | EXO_MAP_W, 0, 1) != 0) {
            fails++;
            break;
        }
        for (unsigned i = 0; i < GR_WORDS; i++)
            ((volatile uint64_t *)GR_SCR_VA)[i] = g;
        fails += exo_unmap_pages(as, GR_SCR_VA, 1) != 1; /* pages unmapped */
        fails += exo_unmap_pages(gr_as, GR_SRC_VA + p * PG, 1) != 1;
        if (r % 5 == 0) { /* a gap with nothing mapped: copies fail with EXO_EFAULT meanwhile */
            int64_t until = now() + 200000;
            while (now() < until)
                exo_yield(0);
        }
        fails += exo_map_pages(gr_as, (uint64_t)m, GR_SRC_VA + p * PG, EXO_MAP_R, 0, 1) != 0;
        fails += exo_free_mem_pages(gr_mem[p]) != 1; /* its last capability: the old frame goes back to the pool */
        gr_mem[p] = (uint64_t)m;
        exo_yield(0);
    }
    gr_done = 1;
    return fails;
}

#endif
