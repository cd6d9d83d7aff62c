/* exo_isolation.h - the two-domain isolation test (included once by exo_test.c).
 *
 * Domain A is init. Domain B is a new domain with its own address space, into which A maps A's text
 * (so B runs b_main from the same addresses) and one stack page; B runs through the temporary
 * KEXO_SYS_RUN call until it exits or faults. B gets its parameters on its stack (params[]): its own
 * address-space handle, a capability handle to try, and an address. B's code touches no global data
 * and no rodata: only its stack and system calls.
 *
 * Checked: B cannot read A's memory (fault), cannot map or revoke it by naming A's handle values
 * (they mean nothing in B's capability space); after A grants a read-only capability B can map and
 * read it but not write it; after A revokes, B's mapping is gone (fault) and its handle is stale.
 * A fault kills B: the kernel deletes every capability in B's space (what B held alone is reclaimed),
 * so run_b gives B a fresh capability to its address space before each run that needs one. */

#define B_STACK_VA  0x30000000ull
#define A_VIEW_VA   0x30100000ull /* A's view of B's stack page (to write params) */
#define SECRET_VA   0x30200000ull
#define B_MAP_VA    0x30300000ull

enum { B_READ = 1, B_MAP = 2, B_REVOKE = 3, B_MAP_READ = 4, B_WRITE = 5, B_SPIN = 6, B_EXEC_KERNEL = 7,
       B_BAD_PTR = 8, B_UD = 9 };
#define B_ERR(r) (0x100 + (int)-(r)) /* B's exit status for a negative syscall result */

_Noreturn void b_main(uint64_t mode, uint64_t unused, const uint64_t *params);
void b_start(void);
__asm__(".text\n.global b_start\nb_start:\n movq %rsp, %rdx\n andq $-16, %rsp\n call b_main\n ud2\n");

static _Noreturn void b_exit(int64_t v)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, (uint64_t)v);
}

/* no jump tables: they would live in rodata, which B does not map */
__attribute__((optimize("no-jump-tables"))) _Noreturn void b_main(uint64_t mode, uint64_t unused, const uint64_t *params)
{
    uint64_t as = params[0], h = params[1], va = params[2];
    int64_t r;
    if (mode == B_READ)
        b_exit(*(volatile uint64_t *)va & 0xff);
    if (mode == B_MAP || mode == B_MAP_READ) {
        r = exo_map_pages(as, h, va, EXO_MAP_R, 0, 1);
        if (r < 0)
            b_exit(B_ERR(r));
        b_exit(mode == B_MAP ? 0 : (int64_t)(*(volatile uint64_t *)va & 0xff));
    }
    if (mode == B_REVOKE) {
        r = exo_cap_revoke(h);
        b_exit(r < 0 ? B_ERR(r) : r);
    }
    if (mode == B_WRITE) {
        *(volatile uint64_t *)va = 1;
        b_exit(0);
    }
    if (mode == B_SPIN)
        for (;;)
            __asm__ volatile("" ::: "memory");
    if (mode == B_EXEC_KERNEL)
        ((void (*)(void))va)();
    if (mode == B_BAD_PTR) {
        r = exo_debug_write(h, (const void *)va, 8);
        b_exit(r < 0 ? B_ERR(r) : r);
    }
    __asm__ volatile("ud2");
    b_exit(0xfff);
}

static uint64_t iso_db, iso_asb, iso_b_as;

static int64_t run_b(uint64_t mode, uint64_t h, uint64_t va)
{
    volatile uint64_t *params = (uint64_t *)(A_VIEW_VA + PG - 64);
    struct exo_cap_info ci;
    if (exo_cap_invoke(iso_db, EXO_OP_QUERY, 0) == EXO_CSPACE_SLOTS) /* B was killed: empty space */
        iso_b_as = (uint64_t)exo_cap_copy(iso_asb, iso_db, EXO_R_MAP);
    (void)ci;
    params[0] = iso_b_as;
    params[1] = h;
    params[2] = va;
    return kexo_run(iso_db, iso_asb, (uint64_t)b_start, B_STACK_VA + PG - 64, mode, 0);
}

static void test_isolation(void)
{
    const int64_t FAULT_PF = KEXO_RUN_FAULT | 14;
    /* A's secret page */
    int64_t secret = map_one(SECRET_VA, EXO_MAP_R | EXO_MAP_W);
    *(volatile uint64_t *)SECRET_VA = 0x5a;
    /* B: domain, address space with A's text and a stack page */
    iso_db = (uint64_t)exo_domain_create(Q);
    iso_asb = (uint64_t)exo_address_space_create(Q);
    const struct kexo_boot_seg *text = seg_with(EXO_MAP_R | EXO_MAP_X);
    int64_t r = exo_map_pages(iso_asb, text->mem, text->vaddr, EXO_MAP_R | EXO_MAP_X, 0, text->npages);
    int64_t stack = exo_alloc_mem_pages(Q, 1, 0);
    r |= exo_map_pages(iso_asb, stack, B_STACK_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    r |= exo_map_pages(AS, stack, A_VIEW_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    iso_b_as = (uint64_t)exo_cap_copy(iso_asb, iso_db, EXO_R_MAP);
    tap_ok((int64_t)iso_db > 0 && (int64_t)iso_asb > 0 && r == 0 && (int64_t)iso_b_as > 0,
           "isolation: domain B with its own address space (A's text, a stack page)");

    tap_eq(run_b(B_READ, 0, SECRET_VA), FAULT_PF, "isolation: B reading A's secret address faults");
    tap_eq(run_b(B_MAP, (uint64_t)secret, B_MAP_VA), B_ERR(EXO_EBADHANDLE),
           "isolation: B cannot map A's memory by naming A's handle");
    tap_eq(run_b(B_REVOKE, (uint64_t)secret, 0), B_ERR(EXO_EBADHANDLE),
           "isolation: B cannot revoke A's memory by naming A's handle");
    /* The same handle value names a slot of B's own capability space (B's address-space capability,
     * or a stale slot after a kill): revoking it touches nothing of A's. */
    int64_t child = exo_cap_derive(Q, EXO_R_READ, 0, 0);
    struct exo_cap_info ci;
    int64_t rb = run_b(B_REVOKE, Q, 0);
    tap_ok(rb == 0 || rb == B_ERR(EXO_ESTALE), "isolation: B's revoke of A's root-quota handle value reaches only B's slot (%ld)", (long)rb);
    tap_eq(exo_cap_info(child, &ci), 0, "isolation: A's capabilities derived from the root quota survive");
    exo_cap_delete(child);
    tap_eq(run_b(B_MAP, iso_b_as, B_MAP_VA), B_ERR(EXO_EWRONGTYPE), "isolation: B's own handles are type-checked");

    int64_t grant = exo_cap_copy(secret, iso_db, EXO_R_READ | EXO_R_MAP);
    tap_ok(grant > 0, "isolation: A grants B a read-only capability");
    tap_eq(run_b(B_MAP_READ, (uint64_t)grant, B_MAP_VA), 0x5a, "isolation: with the grant B maps and reads A's page");
    tap_eq(run_b(B_READ, 0, B_MAP_VA), 0x5a, "isolation: B's mapping persists between runs");
    tap_eq(exo_cap_revoke(secret), 1, "isolation: A revokes what it granted");
    tap_eq(run_b(B_READ, 0, B_MAP_VA), FAULT_PF, "isolation: after revoke B's mapping is gone (access faults)");
    tap_eq(exo_cap_invoke(iso_db, EXO_OP_QUERY, 0), EXO_CSPACE_SLOTS, "a faulting domain is killed: its capabilities are deleted");
    tap_eq(run_b(B_MAP, (uint64_t)grant, B_MAP_VA), B_ERR(EXO_ESTALE), "isolation: after revoke B's handle is stale");
    tap_eq(*(volatile uint64_t *)SECRET_VA, 0x5a, "isolation: A still has its page");
    int64_t grant2 = exo_cap_copy(secret, iso_db, EXO_R_READ | EXO_R_MAP);
    tap_eq(run_b(B_MAP_READ, (uint64_t)grant2, B_MAP_VA), 0x5a, "isolation: a second grant maps again");
    tap_eq(run_b(B_WRITE, 0, B_MAP_VA), FAULT_PF, "isolation: B's read-only mapping faults on write");
    tap_eq(exo_cap_revoke(secret), 0, "killing B deleted the granted capability (nothing left for A to revoke)");

    /* B's other misbehaviour ends its run and nothing else */
    tap_eq(run_b(B_EXEC_KERNEL, 0, KERNEL_VA), FAULT_PF, "B jumping into the kernel faults");
    tap_eq(run_b(B_UD, 0, 0), KEXO_RUN_FAULT | 6, "B's invalid instruction stops B (#UD)");
    /* the console: B prints only through a console capability A gives it */
    tap_eq(run_b(B_BAD_PTR, (uint64_t)rt_console, B_STACK_VA), B_ERR(EXO_EBADHANDLE),
           "B cannot print through A's console handle (B holds no console)");
    int64_t b_cons = exo_cap_copy((uint64_t)rt_console, iso_db, EXO_R_WRITE);
    tap_ok(b_cons > 0, "A copies a write-only console capability to B");
    tap_eq(run_b(B_BAD_PTR, (uint64_t)b_cons, KERNEL_VA), B_ERR(EXO_EFAULT), "B's syscall with a kernel pointer gets EFAULT");
    tap_eq(run_b(B_BAD_PTR, (uint64_t)b_cons, B_STACK_VA), 8, "B prints 8 bytes through its console capability");
    tap_eq(run_b(B_SPIN, 0, 0), KEXO_RUN_TIMEOUT, "B spinning forever is stopped after its budget");

    /* the temporary run call's own errors */
    uint64_t sp = B_STACK_VA + PG - 64;
    tap_eq(kexo_run(EXO_HANDLE_MAKE(999, 0x7ffffff0), iso_asb, (uint64_t)b_start, sp, 1, 0), EXO_EBADHANDLE, "run: bad domain handle");
    tap_eq(kexo_run(iso_asb, iso_asb, (uint64_t)b_start, sp, 1, 0), EXO_EWRONGTYPE, "run: not a domain");
    tap_eq(kexo_run(iso_db, iso_db, (uint64_t)b_start, sp, 1, 0), EXO_EWRONGTYPE, "run: not an address space");
    tap_eq(kexo_run(iso_db, iso_asb, KERNEL_VA, sp, 1, 0), EXO_ERANGE, "run: kernel entry point");
    tap_eq(kexo_run(iso_db, iso_asb, (uint64_t)b_start, sp + 8, 1, 0), EXO_EALIGN, "run: misaligned stack");
    int64_t noinv = exo_cap_derive(iso_db, EXO_R_GRANT, 0, 0);
    tap_eq(kexo_run(noinv, iso_asb, (uint64_t)b_start, sp, 1, 0), EXO_EPERM, "run: domain capability without INVOKE");

    exo_cap_delete(noinv);
    exo_cap_delete(iso_db);
    exo_unmap_pages(AS, A_VIEW_VA, 1);
    exo_free_mem_pages(stack);
    exo_cap_delete(iso_asb);
    exo_free_mem_pages(secret);
}
