/* sched_grant.c - in-QEMU test of the grant calls between two domains (exo_grant_create,
 * exo_transfer_data with and without EXO_XFER_REMAP) on the real kernel: page walks and copies
 * through the direct map (kernel/exo/c2env.c), remap through capcore's mapping records.
 *
 * Domain A is init. Domain B has its own address space holding A's text (so B runs b_main from the
 * same addresses), a stack page (A sees it at A_VIEW_VA to pass parameters) and a data page that only
 * B maps. B runs through the temporary KEXO_SYS_RUN call (until issue 4's real contexts replace it);
 * its code touches only its stack and system calls (no globals, no rodata).
 *
 * Checked: A copies into B's data page and B reads the bytes; B writes and A copies them back; copies
 * across page boundaries; a remap moves A's page into B's unmapped window (B reads it) and revoking
 * A's memory capability removes it from B again; B, given only a read-only grant by cap_copy, cannot
 * write through it (EPERM) but can read through it; every decode error class from the kernel. */
#include "user/rt/rt.h"

#define PG          4096ull
#define B_STACK_VA  0x30000000ull
#define A_VIEW_VA   0x30100000ull
#define B_DATA_VA   0x30200000ull /* B only */
#define B_REMAP_VA  0x30400000ull /* B: unmapped until the remap */
#define A_BUF_VA    0x40000000ull /* A: two pages */
#define A_MOVE_VA   0x40200000ull /* A: the page that moves to B */

enum { B_READ = 1, B_WRITE = 2, B_XFER = 3 };
#define B_ERR(r) (0x100 + (int)-(r))

_Noreturn void b_main(uint64_t mode, uint64_t unused, const uint64_t *params);
void b_start(void);
__asm__(".text\n.global b_start\nb_start:\n movq %rsp, %rdx\n andq $-16, %rsp\n call b_main\n ud2\n");

static _Noreturn void b_exit(int64_t v)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, (uint64_t)v);
}

__attribute__((optimize("no-jump-tables"))) _Noreturn void b_main(uint64_t mode, uint64_t unused, const uint64_t *params)
{
    if (mode == B_READ) /* the byte at params[0] */
        b_exit(*(volatile uint8_t *)params[0]);
    if (mode == B_WRITE) { /* params[1] bytes of value params[2] at params[0] */
        for (uint64_t i = 0; i < params[1]; i++)
            ((volatile uint8_t *)params[0])[i] = (uint8_t)(params[2] + i);
        b_exit(0);
    }
    if (mode == B_XFER) { /* transfer_data(params[0..5]) from B's own capability space */
        int64_t r = exo_transfer_data(params[0], params[1], params[2], params[3], params[4], params[5]);
        b_exit(r < 0 ? B_ERR(r) : r);
    }
    b_exit(0xfff);
}

static uint64_t Q, AS, db, asb;

static int64_t run_b(uint64_t mode, uint64_t p0, uint64_t p1, uint64_t p2, uint64_t p3, uint64_t p4, uint64_t p5)
{
    volatile uint64_t *params = (uint64_t *)(A_VIEW_VA + PG - 64);
    params[0] = p0, params[1] = p1, params[2] = p2, params[3] = p3, params[4] = p4, params[5] = p5;
    return kexo_run(db, asb, (uint64_t)b_start, B_STACK_VA + PG - 64, mode, 0);
}

static int64_t map_new(uint64_t as, uint64_t va, uint64_t npages)
{
    int64_t m = exo_alloc_mem_pages(Q, npages, 0);
    if (m < 0 || exo_map_pages(as, (uint64_t)m, va, EXO_MAP_R | EXO_MAP_W, 0, npages) != 0)
        return -1;
    return m;
}

static const struct kexo_boot_seg *text_seg(void)
{
    for (unsigned i = 0; i < rt_boot->nsegs; i++)
        if (rt_boot->seg[i].perms == (EXO_MAP_R | EXO_MAP_X))
            return &rt_boot->seg[i];
    return 0;
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "grant: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    const struct kexo_boot_seg *text = text_seg();
    db = (uint64_t)exo_domain_create(Q);
    asb = (uint64_t)exo_address_space_create(Q);
    int64_t r = text ? exo_map_pages(asb, text->mem, text->vaddr, EXO_MAP_R | EXO_MAP_X, 0, text->npages) : -1;
    int64_t stack = exo_alloc_mem_pages(Q, 1, 0);
    r |= exo_map_pages(asb, (uint64_t)stack, B_STACK_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    r |= exo_map_pages(AS, (uint64_t)stack, A_VIEW_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    int64_t bdata = map_new(asb, B_DATA_VA, 2), abuf = map_new(AS, A_BUF_VA, 2), amove = map_new(AS, A_MOVE_VA, 1);
    tap_ok((int64_t)db > 0 && (int64_t)asb > 0 && r == 0 && bdata > 0 && abuf > 0 && amove > 0,
           "grant: domain B with its own address space (A's text, stack, two data pages only B maps)");

    /* A's grants: over its buffer, over B's data pages, over B's unmapped remap window */
    int64_t ga = exo_grant_create(AS, A_BUF_VA, 2 * PG, EXO_R_READ | EXO_R_WRITE);
    int64_t gb = exo_grant_create(asb, B_DATA_VA, 2 * PG, EXO_R_READ | EXO_R_WRITE);
    int64_t gmove = exo_grant_create(AS, A_MOVE_VA, PG, EXO_R_READ);
    int64_t gbr = exo_grant_create(asb, B_REMAP_VA, PG, EXO_R_WRITE);
    tap_ok(ga > 0 && gb > 0 && gmove > 0 && gbr > 0, "grant: four grant capabilities created");
    struct exo_cap_info ci;
    tap_ok(exo_cap_info((uint64_t)gb, &ci) == 0 && ci.type == EXO_OBJ_GRANT, "grant: cap_info reports a GRANT object");

    /* copies A -> B and B -> A, across page boundaries */
    volatile uint8_t *abytes = (uint8_t *)A_BUF_VA;
    for (unsigned i = 0; i < 2 * PG; i++)
        abytes[i] = (uint8_t)(i * 13 + 5);
    tap_eq(exo_transfer_data((uint64_t)gb, PG - 50, (uint64_t)ga, PG - 20, 300, 0), 300,
           "grant: copy 300 bytes A -> B, both ranges crossing a page boundary");
    int all = 1;
    for (unsigned i = 0; i < 300; i += 37)
        all &= run_b(B_READ, B_DATA_VA + PG - 50 + i, 0, 0, 0, 0, 0) == (uint8_t)((PG - 20 + i) * 13 + 5);
    tap_ok(all, "grant: B reads the bytes A copied (sampled every 37 bytes)");
    tap_eq(run_b(B_READ, B_DATA_VA + PG - 51, 0, 0, 0, 0, 0), 0, "grant: the byte before the copied range is untouched");
    tap_eq(run_b(B_WRITE, B_DATA_VA + 10, 64, 0x40, 0, 0, 0), 0, "grant: B writes 64 bytes into its data page");
    tap_eq(exo_transfer_data((uint64_t)ga, 100, (uint64_t)gb, 10, 64, 0), 64, "grant: copy them B -> A");
    all = 1;
    for (unsigned i = 0; i < 64; i++)
        all &= abytes[100 + i] == (uint8_t)(0x40 + i);
    tap_ok(all && abytes[99] == (uint8_t)(99 * 13 + 5) && abytes[164] == (uint8_t)(164 * 13 + 5),
           "grant: A sees B's bytes, and nothing around them changed");
    tap_eq(exo_transfer_data((uint64_t)ga, 1, (uint64_t)ga, 0, 1000, 0), 1000, "grant: overlapping copy within one window");
    tap_ok(abytes[1] == 5 && abytes[200] == (uint8_t)(199 * 13 + 5), "grant: it behaves like memmove");

    /* errors from the kernel's decoders */
    tap_eq(exo_transfer_data((uint64_t)gb, 0, (uint64_t)ga, 0, 0, 0), EXO_EINVAL, "grant: count 0: EINVAL");
    tap_eq(exo_transfer_data((uint64_t)gb, 0, (uint64_t)ga, 0, 8, 6), EXO_EINVAL, "grant: unknown flag: EINVAL");
    tap_eq(exo_transfer_data((uint64_t)gb, 2 * PG - 4, (uint64_t)ga, 0, 8, 0), EXO_ERANGE, "grant: leaves the destination window: ERANGE");
    tap_eq(exo_transfer_data((uint64_t)gb, 0, (uint64_t)ga, 0, (1ull << 24) + 1, 0), EXO_ETOOBIG, "grant: above 16 MiB: ETOOBIG");
    tap_eq(exo_transfer_data((uint64_t)gb, 0, (uint64_t)gbr, 0, 8, 0), EXO_EPERM, "grant: source without READ: EPERM");
    tap_eq(exo_transfer_data((uint64_t)gmove, 0, (uint64_t)ga, 0, 8, 0), EXO_EPERM, "grant: destination without WRITE: EPERM");
    tap_eq(exo_transfer_data((uint64_t)gbr, 0, (uint64_t)ga, 0, 8, 0), EXO_EFAULT, "grant: copy into an unmapped window: EFAULT");
    tap_eq(exo_transfer_data((uint64_t)abuf, 0, (uint64_t)ga, 0, 8, 0), EXO_EWRONGTYPE, "grant: a memory capability as destination: EWRONGTYPE");
    tap_eq(exo_transfer_data(EXO_HANDLE_MAKE(1000, 1), 0, (uint64_t)ga, 0, 8, 0), EXO_EBADHANDLE, "grant: empty slot: EBADHANDLE");
    tap_eq(exo_grant_create(AS, 0, PG, EXO_R_READ), EXO_ERANGE, "grant: window at address 0: ERANGE");
    tap_eq(exo_grant_create(AS, A_BUF_VA, PG, EXO_R_EXEC), EXO_EINVAL, "grant: EXEC is not a window right: EINVAL");
    tap_eq(exo_grant_create(abuf, A_BUF_VA, PG, EXO_R_READ), EXO_EWRONGTYPE, "grant: on a memory capability: EWRONGTYPE");

    /* remap: A's page moves into B's unmapped window */
    *(volatile uint64_t *)A_MOVE_VA = 0x77;
    tap_eq(exo_transfer_data((uint64_t)gbr, 0, (uint64_t)gmove, 0, 100, EXO_XFER_REMAP), EXO_EALIGN,
           "grant: remap of a partial page: EALIGN");
    tap_eq(exo_transfer_data((uint64_t)gb, 0, (uint64_t)gmove, 0, PG, EXO_XFER_REMAP), EXO_EEXIST,
           "grant: remap onto B's mapped data page: EEXIST");
    tap_eq(exo_transfer_data((uint64_t)gbr, 0, (uint64_t)gmove, 0, PG, EXO_XFER_REMAP), (int64_t)PG,
           "grant: remap A's page into B's unmapped window");
    tap_eq(run_b(B_READ, B_REMAP_VA, 0, 0, 0, 0, 0), 0x77, "grant: B reads A's bytes at the remapped address");
    tap_eq(exo_transfer_data((uint64_t)ga, 0, (uint64_t)gmove, 0, 8, 0), EXO_EFAULT,
           "grant: the page left A's address space (a copy from it faults)");
    tap_eq(exo_cap_revoke((uint64_t)amove), 0, "grant: revoking A's memory capability leaves the remap (it hangs on the capability itself)");
    tap_eq(run_b(B_READ, B_REMAP_VA, 0, 0, 0, 0, 0), 0x77, "grant: B still reads the page");
    tap_eq(exo_free_mem_pages((uint64_t)amove), 1, "grant: A frees its memory capability (the remap was made through it)");
    tap_eq(run_b(B_READ, B_REMAP_VA, 0, 0, 0, 0, 0), KEXO_RUN_FAULT | 14, "grant: the page is gone from B (B faults)");

    /* B holds a read-only copy of the grant over its data page and a write grant over A's buffer */
    tap_eq(exo_cap_invoke(db, EXO_OP_QUERY, 0), EXO_CSPACE_SLOTS, "grant: B was killed by the fault: its space is empty");
    int64_t bro = exo_cap_copy((uint64_t)gb, db, EXO_R_READ);
    int64_t bwa = exo_cap_copy((uint64_t)ga, db, EXO_R_WRITE);
    tap_ok(bro > 0 && bwa > 0, "grant: A gives B a read-only grant over B's data and a write-only grant over A's buffer");
    tap_eq(run_b(B_WRITE, B_DATA_VA, 16, 0x90, 0, 0, 0), 0, "grant: B fills 16 bytes of its data page");
    tap_eq(run_b(B_XFER, (uint64_t)bwa, 500, (uint64_t)bro, 0, 16, 0), 16, "grant: B copies from its window into A's buffer");
    tap_ok(abytes[500] == 0x90 && abytes[515] == 0x9f, "grant: A sees B's bytes");
    tap_eq(run_b(B_XFER, (uint64_t)bro, 0, (uint64_t)bwa, 0, 16, 0), B_ERR(EXO_EPERM),
           "grant: B cannot write through its read-only grant (nor read A's buffer through a write-only one): EPERM");
    tap_eq(run_b(B_XFER, (uint64_t)ga, 0, (uint64_t)gb, 0, 16, 0), B_ERR(EXO_EBADHANDLE),
           "grant: A's handle values mean nothing in B's space (or name other capabilities)");
    tap_eq(exo_cap_revoke((uint64_t)gb), 1, "grant: A revokes the copy it gave B");
    tap_eq(run_b(B_XFER, (uint64_t)bwa, 0, (uint64_t)bro, 0, 16, 0), B_ERR(EXO_ESTALE), "grant: B's revoked grant is stale");

    /* clean up: the grants go with their address-space capabilities */
    tap_eq(exo_cap_revoke(asb), 2, "grant: revoking B's address-space capability deletes the grants over it (gb, gbr)");
    tap_ok(exo_cap_delete(asb) == 0 && exo_cap_delete(db) == 0, "grant: B's domain and address space deleted");
    tap_eq(kexo_check(), 0, "grant: kernel invariant check");
    return tap_done();
}
