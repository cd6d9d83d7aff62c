/* exo_test.c - init's TAP test of every system call of issue 3, in ring 3 on the real kernel.
 *
 * Each call gets positive cases and its documented errors (docs/SYSCALLS.md): wrong handle, stale
 * handle, wrong object type, missing right, rights escalation, mapping over kernel space,
 * misaligned and wrapping ranges, bad user pointers (NULL, kernel addresses, non-canonical, page
 * boundaries, read-only pages), double free, use after revoke, quota exhaustion. After all of them
 * the kernel's invariant check (KEXO_SYS_CHECK) must pass. The two-domain isolation test is in
 * exo_isolation.h. */
#include "user/rt/rt.h"

#define Q   (rt_boot->root_quota)
#define AS  (rt_boot->aspace)
#define CON (rt_boot->console)
#define PG  4096ull
#define VA(n) (0x20000000ull + (uint64_t)(n) * 0x100000ull) /* scratch windows, 1 MiB apart */
#define KERNEL_VA 0xffffffff80100000ull
#define NONCANON  0x0000800000000000ull

static const struct kexo_boot_seg *seg_with(unsigned perms)
{
    for (unsigned i = 0; i < rt_boot->nsegs; i++)
        if (rt_boot->seg[i].perms == perms)
            return &rt_boot->seg[i];
    return 0;
}

/* A page mapped at va with the next page unmapped: for page-boundary pointer tests. */
static int64_t map_one(uint64_t va, unsigned perms)
{
    int64_t m = exo_alloc_mem_pages(Q, 1, 0);
    if (m < 0)
        return m;
    int64_t r = exo_map_pages(AS, m, va, perms, 0, 1);
    return r < 0 ? r : m;
}

/* KEXO_SYS_LOCKSTAT (include/kexo/tmp_abi.h): the core lock's statistics; this program's own calls
 * took shards, so the counters of its CPU are not all zero. */
static void test_lockstat(void)
{
    static struct kexo_lockstat st;
    tap_eq(exo_syscall2(KEXO_SYS_LOCKSTAT, (uint64_t)(uintptr_t)&st, sizeof st), 0, "lockstat: copied");
    uint64_t total = 0;
    for (unsigned i = 0; i < KEXO_LOCKSTAT_CPUS; i++)
        total += st.cpu[i].shard_acq + st.cpu[i].excl_acq;
    tap_ok(st.ncpus >= 1 && st.ncpus <= 64 && total > 0, "lockstat: %lu CPUs, %lu acquisitions so far", st.ncpus, total);
    struct kexo_lockstat st2;
    tap_ok(exo_syscall2(KEXO_SYS_LOCKSTAT, (uint64_t)(uintptr_t)&st2, sizeof st2) == 0 &&
               st2.cpu[0].shard_acq + st2.cpu[0].excl_acq > st.cpu[0].shard_acq + st.cpu[0].excl_acq - 1,
           "lockstat: counters only grow");
    tap_eq(exo_syscall2(KEXO_SYS_LOCKSTAT, (uint64_t)(uintptr_t)&st, sizeof st - 1), EXO_EINVAL,
           "lockstat: a buffer shorter than the structure: EINVAL");
    tap_eq(exo_syscall2(KEXO_SYS_LOCKSTAT, 0, sizeof st), EXO_EFAULT, "lockstat: NULL buffer: EFAULT");
    tap_eq(exo_syscall2(KEXO_SYS_LOCKSTAT, 0xffff800000001000ull, sizeof st), EXO_EFAULT,
           "lockstat: a kernel address: EFAULT");
}

static void test_debug_write_and_time(void)
{
    static const char msg[] = "# debug_write from init\n";
    tap_eq(exo_debug_write(CON, msg, sizeof msg - 1), sizeof msg - 1, "debug_write returns the length");
    /* the console capability: init holds the root one; every check of a handle applies */
    struct exo_cap_info ci;
    tap_ok(exo_cap_info(CON, &ci) == 0 && ci.type == EXO_OBJ_CONSOLE && (ci.rights & EXO_R_WRITE),
           "init holds a CONSOLE capability with WRITE");
    tap_eq(exo_debug_write(EXO_HANDLE_MAKE(5000, 1), msg, 4), EXO_EBADHANDLE, "debug_write: a handle naming no capability");
    tap_eq(exo_debug_write(Q, msg, 4), EXO_EWRONGTYPE, "debug_write: a QUOTA capability is not a console");
    int64_t ro = exo_cap_derive(CON, EXO_R_INVOKE | EXO_R_DERIVE, 0, 0);
    tap_ok(ro > 0, "a console capability without WRITE");
    tap_eq(exo_debug_write((uint64_t)ro, msg, 4), EXO_EPERM, "debug_write: console capability without WRITE");
    tap_eq(exo_cap_derive((uint64_t)ro, EXO_R_WRITE, 0, 0), EXO_EESCALATE, "the WRITE right cannot come back by derive");
    int64_t wo = exo_cap_derive(CON, EXO_R_WRITE, 0, 0);
    tap_eq(exo_debug_write((uint64_t)wo, "#\n", 2), 2, "debug_write through a derived write-only console capability");
    tap_ok(exo_cap_revoke(CON) >= 2, "revoking the root console takes the derived ones back");
    tap_eq(exo_debug_write((uint64_t)wo, msg, 4), EXO_ESTALE, "debug_write: revoked console capability is stale");
    tap_eq(exo_debug_write((uint64_t)ro, msg, 4), EXO_ESTALE, "debug_write: the other one too");
    tap_eq(exo_debug_write(CON, "#\n", 2), 2, "the root console still works");
    tap_eq(exo_debug_write(CON, msg, 0), EXO_EINVAL, "debug_write: zero length");
    tap_eq(exo_debug_write(CON, msg, EXO_DEBUG_WRITE_MAX + 1), EXO_ETOOBIG, "debug_write: too long");
    tap_eq(exo_debug_write(CON, 0, 4), EXO_EFAULT, "debug_write: NULL");
    tap_eq(exo_debug_write(CON, (void *)KERNEL_VA, 4), EXO_EFAULT, "debug_write: kernel address");
    tap_eq(exo_debug_write(CON, (void *)0xffff800000000000ull, 4), EXO_EFAULT, "debug_write: direct map address");
    tap_eq(exo_debug_write(CON, (void *)NONCANON, 4), EXO_EFAULT, "debug_write: non-canonical address");
    tap_eq(exo_debug_write(CON, (void *)(NONCANON - 2), 4), EXO_EFAULT, "debug_write: range leaving the user half");
    tap_eq(exo_debug_write(CON, (void *)0xfffffffffffffff0ull, 32), EXO_EFAULT, "debug_write: wrapping range");
    int64_t m = map_one(VA(0), EXO_MAP_R | EXO_MAP_W);
    tap_ok(m > 0, "scratch page for boundary tests");
    char *end = (char *)(VA(0) + PG);
    memcpy(end - 2, "#\n", 2);
    tap_eq(exo_debug_write(CON, end - 2, 2), 2, "debug_write: buffer ending at the last mapped byte");
    tap_eq(exo_debug_write(CON, end - 2, 3), EXO_EFAULT, "debug_write: buffer crossing into an unmapped page");
    tap_eq(exo_debug_write(CON, end, 1), EXO_EFAULT, "debug_write: buffer in an unmapped page");
    int64_t t1 = exo_get_system_time(), t2 = exo_get_system_time();
    tap_ok(t1 > 0 && t2 >= t1, "get_system_time is positive and monotonic (%ld, %ld)", (long)t1, (long)t2);
    exo_unmap_pages(AS, VA(0), 1);
    exo_free_mem_pages(m);
}

static void test_cap_info(void)
{
    struct exo_cap_info ci;
    tap_eq(exo_cap_info(Q, &ci), 0, "cap_info on the root quota");
    tap_ok(ci.type == EXO_OBJ_QUOTA && ci.rights == EXO_R_ALL && ci.depth == 0, "root quota: type, all rights, depth 0");
    tap_eq(exo_cap_info(EXO_HANDLE_MAKE(777, 1), &ci), EXO_EBADHANDLE, "cap_info: empty slot");
    tap_eq(exo_cap_info(EXO_HANDLE_MAKE(5000, 1), &ci), EXO_EBADHANDLE, "cap_info: slot out of range");
    tap_eq(exo_cap_info(Q | (1ull << 63), &ci), EXO_EBADHANDLE, "cap_info: bit 63 set");
    tap_eq(exo_cap_info(EXO_HANDLE_MAKE(EXO_HANDLE_SLOT(Q), EXO_HANDLE_GEN(Q) + 5), &ci), EXO_EBADHANDLE,
           "cap_info: generation never issued");
    tap_eq(exo_cap_info(Q, 0), EXO_EFAULT, "cap_info: NULL buffer");
    tap_eq(exo_cap_info(Q, (void *)KERNEL_VA), EXO_EFAULT, "cap_info: kernel buffer");
    const struct kexo_boot_seg *text = seg_with(EXO_MAP_R | EXO_MAP_X);
    tap_ok(text != 0, "init has a text segment");
    tap_eq(exo_cap_info(Q, (void *)text->vaddr), EXO_EFAULT, "cap_info: read-only (text) buffer");
    int64_t m = map_one(VA(1), EXO_MAP_R | EXO_MAP_W);
    uint64_t end = VA(1) + PG;
    tap_eq(exo_cap_info(Q, (void *)(end - sizeof ci)), 0, "cap_info: buffer ending at a page end");
    tap_eq(exo_cap_info(Q, (void *)(end - sizeof ci + 8)), EXO_EFAULT, "cap_info: buffer crossing into an unmapped page");
    exo_unmap_pages(AS, VA(1), 1);
    exo_free_mem_pages(m);
}

static void test_derive_revoke_delete(void)
{
    struct exo_cap_info ci;
    int64_t d = exo_cap_derive(Q, EXO_R_READ | EXO_R_MAP | EXO_R_DERIVE, 0, 0);
    tap_ok(d > 0, "derive a weaker quota capability");
    exo_cap_info(d, &ci);
    tap_ok(ci.rights == (EXO_R_READ | EXO_R_MAP | EXO_R_DERIVE) && ci.depth == 1, "derived rights are the meet, depth 1");
    tap_eq(exo_cap_derive(d, EXO_R_READ | EXO_R_ALLOC, 0, 0), EXO_EESCALATE, "derive: asking for more rights is refused");
    int64_t nod = exo_cap_derive(d, EXO_R_READ, 0, 0);
    tap_eq(exo_cap_derive(nod, EXO_R_READ, 0, 0), EXO_EPERM, "derive: source without DERIVE");
    int64_t b = exo_cap_derive(d, EXO_R_READ | EXO_R_DERIVE, 42, 0);
    exo_cap_info(b, &ci);
    tap_eq(ci.badge, 42, "derive sets a badge");
    tap_eq(exo_cap_derive(b, EXO_R_READ, 43, 0), EXO_EBADGE, "derive: a badge is set once");
    tap_eq(exo_cap_derive(EXO_HANDLE_MAKE(900, 1), EXO_R_READ, 0, 0), EXO_EBADHANDLE, "derive: bad handle");
    tap_eq(exo_alloc_mem_pages(d, 1, 0), EXO_EPERM, "alloc through a quota capability without ALLOC");
    tap_eq(exo_cap_derive(d, EXO_R_READ, 0, 5), EXO_EPERM, "quota split without ALLOC");
    /* revoke: everything below d goes, d stays */
    int64_t n = exo_cap_revoke(d);
    tap_eq(n, 2, "revoke deletes the two descendants");
    tap_eq(exo_cap_info(b, &ci), EXO_ESTALE, "use after revoke: stale handle");
    tap_eq(exo_cap_info(nod, &ci), EXO_ESTALE, "use after revoke: the other child");
    tap_eq(exo_cap_info(d, &ci), 0, "revoke keeps the capability itself");
    tap_eq(exo_cap_revoke(b), EXO_ESTALE, "revoke: stale handle");
    tap_eq(exo_cap_delete(d), 0, "delete");
    tap_eq(exo_cap_delete(d), EXO_ESTALE, "delete twice: stale");
    tap_eq(exo_cap_delete(EXO_HANDLE_MAKE(5000, 1)), EXO_EBADHANDLE, "delete: bad handle");
    /* a chain: revoking the top removes all of it */
    int64_t top = exo_cap_derive(Q, EXO_R_ALL, 0, 0), cur = top;
    for (int i = 0; i < 50; i++)
        cur = exo_cap_derive(cur, EXO_R_ALL, 0, 0);
    tap_eq(exo_cap_revoke(top), 50, "revoke a chain of 50");
    tap_eq(exo_cap_info(cur, &ci), EXO_ESTALE, "the chain's leaf is stale");
    exo_cap_delete(top);
}

static void test_quota(void)
{
    int64_t sq = exo_cap_derive(Q, EXO_R_ALL, 0, 8);
    tap_ok(sq > 0, "split a quota of 8 pages");
    tap_eq(exo_cap_invoke(sq, EXO_OP_QUERY, 0), 8, "invoke QUERY: 8 pages left");
    tap_eq(exo_alloc_mem_pages(sq, 9, 0), EXO_EQUOTA, "quota exhaustion: 9 pages from 8");
    int64_t m = exo_alloc_mem_pages(sq, 8, 0);
    tap_ok(m > 0, "allocate the whole quota");
    tap_eq(exo_alloc_mem_pages(sq, 1, 0), EXO_EQUOTA, "quota exhausted: one more page");
    tap_eq(exo_address_space_create(sq), EXO_EQUOTA, "quota exhausted: no root table for an address space");
    tap_eq(exo_cap_derive(sq, EXO_R_ALL, 0, 1), EXO_EQUOTA, "quota exhausted: no split");
    tap_eq(exo_free_mem_pages(m), 8, "free returns the pages");
    tap_eq(exo_cap_invoke(sq, EXO_OP_QUERY, 0), 8, "the quota is whole again");
    tap_eq(exo_cap_derive(Q, EXO_R_ALL, 0, 1ull << 40), EXO_EQUOTA, "split larger than the root quota");
    int64_t mem = exo_alloc_mem_pages(Q, 1, 0);
    tap_eq(exo_cap_derive(mem, EXO_R_READ, 0, 1), EXO_EINVAL, "quota_pages on a memory capability");
    exo_free_mem_pages(mem);
    exo_cap_delete(sq);
}

static void test_alloc_free(void)
{
    struct exo_cap_info ci;
    tap_eq(exo_alloc_mem_pages(Q, 0, 0), EXO_EINVAL, "alloc: zero pages");
    tap_eq(exo_alloc_mem_pages(Q, 1, 0x100), EXO_EINVAL, "alloc: unknown flag");
    tap_eq(exo_alloc_mem_pages(Q, EXO_ALLOC_MAX_PAGES + 1, 0), EXO_ETOOBIG, "alloc: too many pages");
    tap_eq(exo_alloc_mem_pages(AS, 1, 0), EXO_EWRONGTYPE, "alloc: address space is not a quota");
    tap_eq(exo_alloc_mem_pages(EXO_HANDLE_MAKE(1000, 3), 1, 0), EXO_EBADHANDLE, "alloc: bad handle");
    int64_t m = exo_alloc_mem_pages(Q, 4, EXO_MEM_CONTIG | EXO_MEM_DMA32 | EXO_MEM_ZERO);
    tap_ok(m > 0, "alloc 4 contiguous pages below 4 GiB");
    exo_cap_info(m, &ci);
    tap_ok(ci.type == EXO_OBJ_MEMORY && ci.size == 4, "memory capability of 4 pages");
    tap_eq(exo_cap_invoke(m, EXO_OP_QUERY, 0), 4, "invoke QUERY on memory");
    tap_eq(exo_cap_invoke(m, EXO_OP_NOP, 0), 0, "invoke NOP");
    tap_eq(exo_cap_invoke(m, 99, 0), EXO_EINVAL, "invoke: unknown operation");
    tap_eq(exo_cap_invoke(m, EXO_OP_NOP, 1), EXO_EINVAL, "invoke: non-zero argument");
    int64_t noinv = exo_cap_derive(m, EXO_R_READ, 0, 0);
    tap_eq(exo_cap_invoke(noinv, EXO_OP_NOP, 0), EXO_EPERM, "invoke without INVOKE");
    tap_eq(exo_free_mem_pages(AS), EXO_EWRONGTYPE, "free: not a memory capability");
    tap_eq(exo_free_mem_pages(m), 4, "free");
    tap_eq(exo_free_mem_pages(m), EXO_ESTALE, "double free: stale");
    tap_eq(exo_cap_info(noinv, &ci), EXO_ESTALE, "free revoked the derived capability");
}

static void test_map_unmap(void)
{
    int64_t m = exo_alloc_mem_pages(Q, 4, 0);
    const uint64_t RW = EXO_MAP_R | EXO_MAP_W;
    tap_eq(exo_map_pages(AS, m, VA(2) + 8, RW, 0, 1), EXO_EALIGN, "map: misaligned address");
    tap_eq(exo_map_pages(AS, m, 0, RW, 0, 1), EXO_ERANGE, "map: page 0");
    tap_eq(exo_map_pages(AS, m, KERNEL_VA, RW, 0, 1), EXO_ERANGE, "map: over the kernel image");
    tap_eq(exo_map_pages(AS, m, 0xffff800000000000ull, RW, 0, 1), EXO_ERANGE, "map: over the direct map");
    tap_eq(exo_map_pages(AS, m, NONCANON - PG, RW, 0, 2), EXO_ERANGE, "map: range leaving the user half");
    tap_eq(exo_map_pages(AS, m, 0xfffffffffffff000ull, RW, 0, 2), EXO_ERANGE, "map: wrapping range");
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 2, 3), EXO_ERANGE, "map: beyond the memory object");
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 1ull << 62, 1), EXO_ERANGE, "map: huge page offset");
    tap_eq(exo_map_pages(AS, m, VA(2), 0, 0, 1), EXO_EINVAL, "map: no permissions");
    tap_eq(exo_map_pages(AS, m, VA(2), EXO_MAP_W, 0, 1), EXO_EINVAL, "map: W without R");
    tap_eq(exo_map_pages(AS, m, VA(2), RW | 0x80, 0, 1), EXO_EINVAL, "map: unknown permission bit");
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 0, 0), EXO_EINVAL, "map: zero pages");
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 0, EXO_MAP_MAX_PAGES + 1), EXO_ETOOBIG, "map: too many pages");
    tap_eq(exo_map_pages(m, m, VA(2), RW, 0, 1), EXO_EWRONGTYPE, "map: memory capability as address space");
    tap_eq(exo_map_pages(AS, AS, VA(2), RW, 0, 1), EXO_EWRONGTYPE, "map: address space as memory");
    tap_eq(exo_map_pages(AS, EXO_HANDLE_MAKE(999, 9), VA(2), RW, 0, 1), EXO_EBADHANDLE, "map: bad memory handle");
    int64_t nowx = exo_cap_derive(m, EXO_R_MEM_ALL & ~EXO_R_WX, 0, 0);
    tap_eq(exo_map_pages(AS, nowx, VA(2), RW | EXO_MAP_X, 0, 1), EXO_EWX, "map: W+X without the WX right");
    int64_t ro = exo_cap_derive(m, EXO_R_READ | EXO_R_MAP, 0, 0);
    tap_eq(exo_map_pages(AS, ro, VA(2), RW, 0, 1), EXO_EPERM, "map: W through a read-only capability");
    tap_eq(exo_map_pages(AS, ro, VA(2), EXO_MAP_R | EXO_MAP_X, 0, 1), EXO_EPERM, "map: X without EXEC");
    int64_t nomap = exo_cap_derive(m, EXO_R_READ | EXO_R_WRITE, 0, 0);
    tap_eq(exo_map_pages(AS, nomap, VA(2), EXO_MAP_R, 0, 1), EXO_EPERM, "map: memory without MAP");
    int64_t asnomap = exo_cap_derive(AS, EXO_R_DERIVE, 0, 0);
    tap_eq(exo_map_pages(asnomap, m, VA(2), EXO_MAP_R, 0, 1), EXO_EPERM, "map: address space without MAP");
    tap_eq(exo_unmap_pages(asnomap, VA(2), 1), EXO_EPERM, "unmap: address space without MAP");
    /* positive: map 4 pages, write through them, overlap refused, partial unmap */
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 0, 4), 0, "map 4 pages read-write");
    volatile uint64_t *p = (uint64_t *)VA(2);
    p[0] = 0x1234;
    p[3 * 512] = 0x5678;
    tap_ok(p[0] == 0x1234 && p[3 * 512] == 0x5678, "the pages are usable");
    tap_eq(exo_map_pages(AS, m, VA(2) + PG, RW, 0, 1), EXO_EEXIST, "map: overlap refused");
    tap_eq(exo_map_pages(AS, ro, VA(2) + 8 * PG, EXO_MAP_R, 0, 1), 0, "map the same frame again read-only");
    tap_eq(*(volatile uint64_t *)(VA(2) + 8 * PG), 0x1234, "both mappings show the same frame");
    tap_eq(exo_unmap_pages(AS, VA(2) + PG, 2), 2, "unmap the middle of a mapping (split)");
    tap_eq(p[3 * 512], 0x5678, "the tail still maps the last page");
    tap_eq(exo_unmap_pages(AS, VA(2) + PG, 2), 0, "unmap an empty range: 0 pages");
    tap_eq(exo_unmap_pages(AS, VA(2), 0), EXO_EINVAL, "unmap: zero pages");
    tap_eq(exo_unmap_pages(AS, VA(2) + 1, 1), EXO_EALIGN, "unmap: misaligned");
    tap_eq(exo_unmap_pages(AS, KERNEL_VA, 1), EXO_ERANGE, "unmap: kernel range");
    tap_eq(exo_unmap_pages(AS, 0xfffffffffffff000ull, 4), EXO_ERANGE, "unmap: wrapping");
    tap_eq(exo_unmap_pages(m, VA(2), 1), EXO_EWRONGTYPE, "unmap: not an address space");
    /* revoking the capability a mapping was made through removes the mapping */
    tap_eq(exo_cap_revoke(m), 3, "revoke the memory capability's children");
    tap_eq(exo_map_pages(AS, m, VA(2) + 8 * PG, EXO_MAP_R, 0, 1), 0, "the read-only mapping is gone with its capability");
    tap_eq(exo_free_mem_pages(m), 4, "free removes the remaining mappings and the frames");
    tap_eq(exo_map_pages(AS, m, VA(2), RW, 0, 1), EXO_ESTALE, "map after free: stale");
    exo_cap_delete(asnomap);
    /* a second address space: its own tables, charged to the quota */
    int64_t as2 = exo_address_space_create(Q);
    tap_ok(as2 > 0, "create an address space");
    tap_eq(exo_address_space_create(m), EXO_ESTALE, "address_space_create: stale quota");
    tap_eq(exo_address_space_create(as2), EXO_EWRONGTYPE, "address_space_create: not a quota");
    int64_t m2 = exo_alloc_mem_pages(Q, 1, 0);
    tap_eq(exo_map_pages(as2, m2, 0x7fffffffe000ull, EXO_MAP_R, 0, 1), 0, "map at the top of the user half");
    struct exo_cap_info ci;
    exo_cap_info(as2, &ci);
    tap_ok(ci.size == 4 && ci.used == 1, "4 table pages (PML4..PT), 1 page mapped");
    tap_eq(exo_cap_delete(as2), 0, "delete the address space (tables freed)");
    exo_free_mem_pages(m2);
}

static void test_domains(void)
{
    int64_t d = exo_domain_create(Q);
    tap_ok(d > 0, "create a domain");
    tap_eq(exo_domain_create(AS), EXO_EWRONGTYPE, "domain_create: not a quota");
    int64_t m = exo_alloc_mem_pages(Q, 1, 0);
    int64_t c = exo_cap_copy(m, d, EXO_R_READ | EXO_R_MAP);
    tap_ok(c > 0, "copy a memory capability into the domain");
    tap_eq(exo_cap_copy(m, d, EXO_R_ALL), EXO_EESCALATE, "copy: more rights than the source");
    tap_eq(exo_cap_copy(m, m, EXO_R_READ), EXO_EWRONGTYPE, "copy: destination is not a domain");
    int64_t nogrant = exo_cap_derive(d, EXO_R_DERIVE, 0, 0);
    tap_eq(exo_cap_copy(m, nogrant, EXO_R_READ), EXO_EPERM, "copy: domain capability without GRANT");
    int64_t notr = exo_cap_derive(m, EXO_R_READ, 0, 0);
    tap_eq(exo_cap_copy(notr, d, EXO_R_READ), EXO_EPERM, "copy: source without TRANSFER");
    int64_t mv = exo_cap_move(notr, d);
    tap_eq(mv, EXO_EPERM, "move: source without TRANSFER");
    int64_t m3 = exo_alloc_mem_pages(Q, 1, 0);
    tap_ok(exo_cap_move(m3, d) > 0, "move a capability into the domain");
    struct exo_cap_info ci;
    tap_eq(exo_cap_info(m3, &ci), EXO_ESTALE, "the moved handle is stale here");
    tap_eq(exo_cap_move(m3, d), EXO_ESTALE, "move twice: stale");
    tap_eq(exo_cap_invoke(d, EXO_OP_QUERY, 0), EXO_CSPACE_SLOTS - 2, "invoke QUERY on the domain: free slots");
    tap_eq(exo_cap_delete(d), 0, "delete the domain (its capability space goes)");
    tap_eq(exo_cap_delete(nogrant), 0, "delete the last capability to the domain");
    exo_free_mem_pages(m);
}

/* Resource errors of the kernel itself: a full capability space, the domain pool, no frames. */
static void test_resource_limits(void)
{
    static uint64_t h[EXO_CSPACE_SLOTS];
    int n = 0;
    int64_t r = 0;
    int64_t parent = exo_cap_derive(Q, EXO_R_READ | EXO_R_DERIVE, 0, 0);
    while (n < (int)EXO_CSPACE_SLOTS && (r = exo_cap_derive(parent, EXO_R_READ, 0, 0)) > 0)
        h[n++] = (uint64_t)r;
    tap_eq(r, EXO_ENOSLOT, "derive into a full capability space: EXO_ENOSLOT (after %d)", n);
    tap_eq(exo_alloc_mem_pages(Q, 1, 0), EXO_ENOSLOT, "alloc with a full capability space: EXO_ENOSLOT");
    tap_eq(exo_cap_revoke(parent), n, "revoke frees every slot again");
    exo_cap_delete(parent);
    int d = 0;
    while (d < 64 && (r = exo_domain_create(Q)) > 0)
        h[d++] = (uint64_t)r;
    tap_eq(r, EXO_ENOOBJ, "domain pool exhausted: EXO_ENOOBJ (after %d domains)", d);
    for (int i = 0; i < d; i++)
        exo_cap_delete(h[i]);
    int64_t again = exo_domain_create(Q);
    tap_ok(again > 0, "deleted domains return to the pool");
    exo_cap_delete(again);
    int64_t left = exo_cap_invoke(Q, EXO_OP_QUERY, 0);
    tap_eq(exo_alloc_mem_pages(Q, left, EXO_MEM_CONTIG), EXO_ENOMEM,
           "one contiguous run of all free memory does not exist: EXO_ENOMEM");
    tap_eq(exo_alloc_mem_pages(Q, left + 1, 0), (uint64_t)left + 1 > EXO_ALLOC_MAX_PAGES ? EXO_ETOOBIG : EXO_EQUOTA,
           "one page more than the root quota has: EXO_EQUOTA");
}

#include "user/tests/exo_isolation.h"

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "init got its boot information"))
        return tap_done();
    test_debug_write_and_time();
    test_lockstat();
    test_cap_info();
    test_derive_revoke_delete();
    test_quota();
    test_alloc_free();
    test_map_unmap();
    test_domains();
    test_resource_limits();
    test_isolation();
    tap_eq(kexo_check(), 0, "the kernel's invariant check (trees, refcounts, mappings, ledger) passes");
    return tap_done();
}
