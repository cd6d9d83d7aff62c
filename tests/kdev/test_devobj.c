/* test_devobj.c - DEVICE objects on the capability core with its hosted fake machine: the root device
 * capability, device_get_cap narrowing (ports, MMIO, one IRQ), every decode error leaving all state
 * unchanged (EXPECT_ERR's digest), rights shrinking only, revocation of derived device capabilities,
 * the IRQ pending count, and dev_lookup as the arch code will use it. */
#include "tests/core/core_test.h"

#include "kernel/core/dev_obj.h"
#include "kernel/core/obj_evset.h"
#include "tests/kdev/fake_devenv.h"

/* RAM: tests/kdev/fake_devenv.c (below 0x9f000 and 1 MiB .. 2 GiB) */

static struct domain *A;
static int64_t r_;

static int64_t getcap(int64_t src, uint64_t kind, uint64_t base, uint64_t len, uint64_t rights)
{
    return dev_sys_get_cap(A, (const uint64_t[6]){(uint64_t)src, kind, base, len, rights, 0});
}

static int64_t enable(struct domain *d, int64_t dev, uint64_t base, uint64_t len)
{
    return sys_device_port_enable(d, (const uint64_t[6]){(uint64_t)dev, base, len, 0, 0, 0});
}

/* device_port_enable: the enable capability is a rightless child of the port capability; deleting it,
 * revoking the port capability or the death of the domain disables the ports (fake_devenv's model). */
static void port_enable_tests(int64_t root, exo_handle_t rq)
{
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;
    const uint32_t a = A->hdr.id;
    int64_t pit, ro, wo, mm, irq, e1, e2, e3;
    uint64_t info[4];
    EXPECT_OK(pit, getcap(root, DEV_PORT, 0x40, 4, RW | EXO_R_DERIVE | EXO_R_TRANSFER), "PIT ports 0x40-0x43");
    EXPECT_OK(ro, SYS(A, EXO_SYS_CAP_DERIVE, pit, EXO_R_READ, 0, 0), "a read-only copy");
    EXPECT_OK(wo, SYS(A, EXO_SYS_CAP_DERIVE, pit, EXO_R_WRITE, 0, 0), "a write-only copy");
    EXPECT_OK(mm, getcap(root, DEV_MMIO, 0xfebf0000, 0x1000, RW | EXO_R_MAP), "an MMIO page");
    EXPECT_OK(irq, getcap(root, DEV_IRQ, 2, 1, EXO_R_INVOKE | RW), "an IRQ line");
    unsigned n0 = fake_port_ranges();
    EXPECT_ERR(enable(A, EXO_HANDLE_MAKE(900, 1), 0x40, 1), EXO_EBADHANDLE, "port_enable: empty slot: EBADHANDLE");
    EXPECT_ERR(enable(A, rq, 0x40, 1), EXO_EWRONGTYPE, "port_enable: a quota capability: EWRONGTYPE");
    EXPECT_ERR(enable(A, mm, 0x40, 1), EXO_EWRONGTYPE, "port_enable: an MMIO capability: EWRONGTYPE");
    EXPECT_ERR(enable(A, irq, 2, 1), EXO_EWRONGTYPE, "port_enable: an IRQ capability: EWRONGTYPE");
    EXPECT_ERR(enable(A, ro, 0x40, 1), EXO_EPERM, "port_enable: READ only: EPERM (the bitmap cannot split in/out)");
    EXPECT_ERR(enable(A, wo, 0x40, 1), EXO_EPERM, "port_enable: WRITE only: EPERM");
    EXPECT_ERR(enable(A, pit, 0x40, 0), EXO_EINVAL, "port_enable: len 0: EINVAL");
    EXPECT_ERR(enable(A, pit, 0x3f, 2), EXO_ERANGE, "port_enable: starts below the capability: ERANGE");
    EXPECT_ERR(enable(A, pit, 0x43, 2), EXO_ERANGE, "port_enable: ends past the capability: ERANGE");
    EXPECT_ERR(enable(A, pit, 0x40, UINT64_MAX), EXO_ERANGE, "port_enable: wrapping range: ERANGE");
    EXPECT_ERR(enable(A, root, 0xffff, 2), EXO_ERANGE, "port_enable through the root: past port 0xFFFF: ERANGE");
    fake_ports_set_limit(n0);
    EXPECT_ERR(enable(A, pit, 0x40, 4), EXO_ENOOBJ, "port_enable: port table full: ENOOBJ");
    fake_ports_set_limit(64);
    fake_set_pool_limit(EXO_OBJ_DEVICE, 0);
    EXPECT_ERR(enable(A, pit, 0x40, 4), EXO_ENOOBJ, "port_enable: device pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_DEVICE, 64);
    tap_ok(fake_port_ranges() == n0 && !fake_port_enabled(a, 0x40), "the refused calls enabled nothing");

    EXPECT_OK(e1, enable(A, pit, 0x40, 4), "port_enable: the PIT's four ports");
    tap_ok(fake_port_enabled(a, 0x40) && fake_port_enabled(a, 0x43) && !fake_port_enabled(a, 0x44) &&
           !fake_port_enabled(a, 0x3f), "ports 0x40-0x43 enabled for the caller, 0x3f and 0x44 not");
    tap_ok(dev_sys_info(A, e1, info) == 0 && info[0] == DEV_PORT_ON && info[1] == 0x40 && info[2] == 4 && info[3] == 0,
           "the enable capability: kind PORT_ON, the range, no rights");
    EXPECT_ERR(getcap(e1, DEV_PORT, 0x40, 1, 0), EXO_EPERM, "the enable capability cannot derive: EPERM");
    EXPECT_ERR(enable(A, e1, 0x40, 1), EXO_EPERM, "nor enable ports itself: EPERM");
    EXPECT_OK(e2, enable(A, pit, 0x42, 1), "a second, overlapping range (0x42)");
    EXPECT_OK(r_, SYS(A, EXO_SYS_CAP_DELETE, e1), "delete the first enable capability");
    tap_ok(!fake_port_enabled(a, 0x40) && fake_port_enabled(a, 0x42), "0x40 disabled; 0x42 stays (the second range covers it)");
    EXPECT_OK(e3, enable(A, root, 0x3f8, 8), "COM1 enabled through the root capability");
    tap_ok(fake_port_enabled(a, 0x3ff), "0x3ff enabled");
    EXPECT_OK(r_, SYS(A, EXO_SYS_CAP_REVOKE, pit), "revoke the PIT capability");
    tap_ok(!fake_port_enabled(a, 0x42) && fake_port_enabled(a, 0x3f8), "revoke disabled the PIT ports, COM1 (the root's child) stays");
    tap_eq(dev_sys_info(A, e2, info), EXO_ESTALE, "the revoked enable capability is stale");
    EXPECT_OK(r_, SYS(A, EXO_SYS_CAP_DELETE, e3), "delete COM1's enable capability");
    tap_eq(fake_port_ranges(), n0, "every range enabled here is gone");

    /* another domain: it enables through a copy; its death disables */
    int64_t hb, pitb;
    EXPECT_OK(hb, SYS(A, EXO_SYS_DOMAIN_CREATE, rq), "domain B");
    struct domain *B = fake_domain_of(A, (exo_handle_t)hb);
    EXPECT_OK(pit, getcap(root, DEV_PORT, 0x40, 4, RW | EXO_R_TRANSFER), "PIT ports again");
    EXPECT_OK(pitb, SYS(A, EXO_SYS_CAP_COPY, pit, hb, RW), "copied to B");
    EXPECT_OK(e1, enable(B, pitb, 0x40, 4), "B enables the PIT ports for itself");
    tap_ok(B && fake_port_enabled(B->hdr.id, 0x41) && !fake_port_enabled(a, 0x41), "enabled for B, not for A");
    EXPECT_ERR(SYS(B, EXO_SYS_CAP_COPY, e1, 0, 0), EXO_EPERM, "B cannot copy its enable capability (no TRANSFER)");
    EXPECT_OK(r_, SYS(A, EXO_SYS_CAP_DELETE, hb), "A drops B (its last capability: B dies)");
    tap_eq(fake_port_ranges(), n0, "B's death disabled its ports");
}

static int64_t bind(struct domain *d, int64_t irq, int64_t ev, uint64_t badge)
{
    return sys_device_irq_bind(d, (const uint64_t[6]){(uint64_t)irq, (uint64_t)ev, badge, 0, 0, 0});
}

/* The oldest record of event set ev (in A) and how many are queued. */
static unsigned queued(int64_t ev, struct ev_record *r)
{
    struct evset_obj *eo;
    if (evset_obj_lookup(A, (uint64_t)ev, 0, &eo))
        return 9999;
    if (eo->e.count && r)
        *r = eo->e.ring[eo->e.head];
    return eo->e.count;
}

/* device_irq_bind: interrupts become EV_IRQ records; the line is masked after each until the ack;
 * deleting the binding, revoking the IRQ capability or the binder's death unbinds and masks. */
static void irq_bind_tests(int64_t root, exo_handle_t rq)
{
    const uint64_t POST = EXO_R_EV_POST;
    int64_t irq3, irq3b, noinv, pinv, irq0, irq20, ev, evw, evst, b, r;
    struct ev_record rec = {0};
    obj_evsys_register();
    EXPECT_OK(irq3, getcap(root, DEV_IRQ, 3, 1, EXO_R_INVOKE | EXO_R_DERIVE | EXO_R_TRANSFER), "IRQ line 3");
    EXPECT_OK(irq3b, getcap(root, DEV_IRQ, 3, 1, EXO_R_INVOKE), "a second capability for line 3");
    EXPECT_OK(noinv, getcap(root, DEV_IRQ, 3, 1, EXO_R_READ), "line 3 without INVOKE");
    EXPECT_OK(pinv, getcap(root, DEV_PORT, 0x60, 1, EXO_R_INVOKE), "a port with INVOKE");
    EXPECT_OK(irq0, getcap(root, DEV_IRQ, 0, 1, EXO_R_INVOKE), "line 0 (not routable here)");
    EXPECT_OK(irq20, getcap(root, DEV_IRQ, 20, 1, EXO_R_INVOKE), "line 20 (a PCI line: not routable)");
    EXPECT_OK(ev, sys_evset_create(A, (const uint64_t[6]){rq, 0, 0, 0, 0, 0}), "an event set");
    EXPECT_OK(evw, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_WAIT, 0, 0), "a WAIT-only copy of it");
    EXPECT_OK(evst, SYS(A, EXO_SYS_CAP_DERIVE, ev, POST, 0, 0), "a POST copy, to be deleted");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, evst), "deleted: its handle is stale");
    unsigned routes = fake_irq_line(3).routes;
    EXPECT_ERR(bind(A, EXO_HANDLE_MAKE(900, 1), ev, 0), EXO_EBADHANDLE, "irq_bind: empty slot: EBADHANDLE");
    EXPECT_ERR(bind(A, rq, ev, 0), EXO_EWRONGTYPE, "irq_bind: a quota capability: EWRONGTYPE");
    EXPECT_ERR(bind(A, pinv, ev, 0), EXO_EWRONGTYPE, "irq_bind: a port capability: EWRONGTYPE");
    EXPECT_ERR(bind(A, root, ev, 0), EXO_EWRONGTYPE, "irq_bind: the root (not one line): EWRONGTYPE");
    EXPECT_ERR(bind(A, noinv, ev, 0), EXO_EPERM, "irq_bind: no INVOKE: EPERM");
    EXPECT_ERR(bind(A, irq3, EXO_HANDLE_MAKE(901, 1), 0), EXO_EBADHANDLE, "irq_bind: event set slot empty: EBADHANDLE");
    EXPECT_ERR(bind(A, irq3, evst, 0), EXO_ESTALE, "irq_bind: stale event set: ESTALE");
    EXPECT_ERR(bind(A, irq3, irq3b, 0), EXO_EWRONGTYPE, "irq_bind: an IRQ capability as the event set: EWRONGTYPE");
    EXPECT_ERR(bind(A, irq3, evw, 0), EXO_EPERM, "irq_bind: event set without POST: EPERM");
    EXPECT_ERR(bind(A, irq0, ev, 0), EXO_ERANGE, "irq_bind: a line that cannot be routed (0): ERANGE");
    EXPECT_ERR(bind(A, irq20, ev, 0), EXO_ERANGE, "irq_bind: a PCI line (20): ERANGE");
    fake_set_pool_limit(EXO_OBJ_DEVICE, 0);
    EXPECT_ERR(bind(A, irq3, ev, 0), EXO_ENOOBJ, "irq_bind: device pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_DEVICE, 64);
    tap_ok(fake_irq_line(3).routes == routes && dev_irq_binding(3) == NULL && queued(ev, NULL) == 0,
           "the refused binds routed nothing, bound nothing");

    EXPECT_OK(b, bind(A, irq3, ev, 0x77), "irq_bind: line 3 to the event set, badge 0x77");
    uint64_t info[4];
    tap_ok(dev_sys_info(A, b, info) == 0 && info[0] == DEV_IRQ_BIND && info[1] == 3 && info[3] == 0,
           "the binding capability: kind IRQ_BIND, GSI 3, no rights");
    tap_ok(fake_irq_line(3).routed && !fake_irq_line(3).masked && dev_irq_binding(3) != NULL, "line 3 routed, unmasked");
    EXPECT_ERR(bind(A, irq3b, ev, 0), EXO_EEXIST, "irq_bind: the line is bound already (another capability of it): EEXIST");
    dev_irq_deliver(3);
    tap_ok(queued(ev, &rec) == 1 && rec.kind == EV_IRQ && rec.badge == 0x77 && rec.a[0] == 3 && rec.a[1] == 1,
           "an interrupt: one EV_IRQ record (badge 0x77, GSI 3, 1st since the bind)");
    tap_ok(fake_irq_line(3).masked, "the line is masked until the ack");
    dev_irq_deliver(3);   /* raced the mask: counted, not posted */
    tap_eq(queued(ev, NULL), 1, "an interrupt while masked posts nothing");
    tap_eq(dev_sys_irq_ack(A, irq3), 2, "ack returns the 2 interrupts counted on the IRQ object");
    tap_ok(!fake_irq_line(3).masked, "and unmasks the line");
    dev_irq_deliver(3);
    tap_ok(queued(ev, NULL) == 2 && fake_irq_line(3).masked, "the next interrupt posts again and masks");
    tap_eq(dev_sys_irq_ack(A, irq3b), 3, "an ack through the other capability of the line: its own count (3: each IRQ object counts)");
    tap_ok(!fake_irq_line(3).masked, "unmasked");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, b), "delete the binding");
    tap_ok(dev_irq_binding(3) == NULL && fake_irq_line(3).masked, "unbound, the line masked");
    dev_irq_deliver(3);
    tap_eq(queued(ev, NULL), 2, "interrupts post nothing after the unbind");
    dev_sys_irq_ack(A, irq3);

    EXPECT_OK(b, bind(A, irq3, ev, 1), "bind again");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, ev), "delete the event set's capability (the binding keeps the set)");
    dev_irq_deliver(3);
    tap_ok(dev_irq_binding(3) != NULL && dev_irq_binding(3)->ev->e.count == 3, "the set lives on and receives the record");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, root), "revoke everything derived from the root");
    tap_ok(dev_irq_binding(3) == NULL && fake_irq_line(3).masked, "revoke unbound the line and masked it (the set is reaped)");

    /* another domain binds; its death unbinds */
    int64_t hb, irqb, evb, ev2;
    EXPECT_OK(hb, SYS(A, EXO_SYS_DOMAIN_CREATE, rq), "domain B");
    struct domain *B = fake_domain_of(A, (exo_handle_t)hb);
    EXPECT_OK(irq3, getcap(root, DEV_IRQ, 3, 1, EXO_R_INVOKE | EXO_R_TRANSFER), "line 3 again");
    EXPECT_OK(ev2, sys_evset_create(A, (const uint64_t[6]){rq, 0, 0, 0, 0, 0}), "an event set");
    EXPECT_OK(irqb, SYS(A, EXO_SYS_CAP_COPY, irq3, hb, EXO_R_INVOKE), "line 3 copied to B");
    EXPECT_OK(evb, SYS(A, EXO_SYS_CAP_COPY, ev2, hb, POST), "a POST capability of the set copied to B");
    EXPECT_OK(b, bind(B, irqb, evb, 5), "B binds the line");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, hb), "B dies");
    tap_ok(dev_irq_binding(3) == NULL && fake_irq_line(3).masked, "its binding went with it");
}

static int mapped(const struct aspace *as, uint64_t va, uint64_t *pfn, unsigned *perms)
{
    uint64_t p;
    unsigned f;
    return fake_pt_lookup(as, va, pfn ? pfn : &p, perms ? perms : &f);
}

static int64_t mmap_dev(int64_t as, int64_t dev, uint64_t va, uint64_t perms, uint64_t off, uint64_t n)
{
    return sys_device_mmio_map(A, (const uint64_t[6]){(uint64_t)as, (uint64_t)dev, va, perms, off, n});
}

/* device_mmio_map: device frames mapped uncached through a mapping record on the DEVICE capability,
 * checked like map_pages; overlap with memory mappings both ways; revoke unmaps. */
static void mmio_map_tests(int64_t root, exo_handle_t rq)
{
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE, R = EXO_MAP_R, W = EXO_MAP_W;
    const uint64_t VA = 0x10000000;
    int64_t as, asnm, mm, mro, mnomap, pmap, mem, r;
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, rq), "an address space");
    EXPECT_OK(asnm, SYS(A, EXO_SYS_CAP_DERIVE, as, EXO_R_DERIVE, 0, 0), "a copy of it without MAP");
    EXPECT_OK(mm, getcap(root, DEV_MMIO, 0xfebf0000, 0x2000, RW | EXO_R_MAP | EXO_R_DERIVE), "two MMIO pages");
    EXPECT_OK(mro, SYS(A, EXO_SYS_CAP_DERIVE, mm, EXO_R_READ | EXO_R_MAP, 0, 0), "a read-only copy");
    EXPECT_OK(mnomap, SYS(A, EXO_SYS_CAP_DERIVE, mm, RW, 0, 0), "a copy without MAP");
    EXPECT_OK(pmap, getcap(root, DEV_PORT, 0x60, 1, RW | EXO_R_MAP), "a port capability with MAP");
    EXPECT_OK(mem, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, rq, 1, 0), "one page of memory");
    struct aspace *asp = fake_aspace_of(A, (exo_handle_t)as);
    EXPECT_ERR(mmap_dev(EXO_HANDLE_MAKE(900, 1), mm, VA, R, 0, 1), EXO_EBADHANDLE, "mmio_map: as names no slot: EBADHANDLE");
    EXPECT_ERR(mmap_dev(asnm, mm, VA, R, 0, 1), EXO_EPERM, "mmio_map: as without MAP: EPERM");
    EXPECT_ERR(mmap_dev(as, rq, VA, R, 0, 1), EXO_EWRONGTYPE, "mmio_map: a quota as dev: EWRONGTYPE");
    EXPECT_ERR(mmap_dev(as, pmap, VA, R, 0, 1), EXO_EWRONGTYPE, "mmio_map: a port capability: EWRONGTYPE");
    EXPECT_ERR(mmap_dev(as, root, VA, R, 0, 1), EXO_EWRONGTYPE, "mmio_map: the root (no range): EWRONGTYPE");
    EXPECT_ERR(mmap_dev(as, mnomap, VA, R, 0, 1), EXO_EPERM, "mmio_map: dev without MAP: EPERM");
    EXPECT_ERR(mmap_dev(as, mm, VA, 0, 0, 1), EXO_EINVAL, "mmio_map: perms 0: EINVAL");
    EXPECT_ERR(mmap_dev(as, mm, VA, W, 0, 1), EXO_EINVAL, "mmio_map: W without R: EINVAL");
    EXPECT_ERR(mmap_dev(as, mm, VA, R | EXO_MAP_X, 0, 1), EXO_EINVAL, "mmio_map: executable: EINVAL");
    EXPECT_ERR(mmap_dev(as, mro, VA, R | W, 0, 1), EXO_EPERM, "mmio_map: writable through a read-only capability: EPERM");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0, 0), EXO_EINVAL, "mmio_map: 0 pages: EINVAL");
    EXPECT_ERR(mmap_dev(as, mm, VA + 8, R, 0, 1), EXO_EALIGN, "mmio_map: va not page aligned: EALIGN");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0x800, 1), EXO_EALIGN, "mmio_map: offset not page aligned: EALIGN");
    EXPECT_ERR(mmap_dev(as, mm, 0, R, 0, 1), EXO_ERANGE, "mmio_map: page 0: ERANGE");
    EXPECT_ERR(mmap_dev(as, mm, 0xffff800000000000ull, R, 0, 1), EXO_ERANGE, "mmio_map: the kernel half: ERANGE");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0x2000, 1), EXO_ERANGE, "mmio_map: offset at the end of the range: ERANGE");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0x1000, 2), EXO_ERANGE, "mmio_map: pages past the range: ERANGE");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0, EXO_MAP_MAX_PAGES + 1), EXO_ETOOBIG, "mmio_map: more than EXO_MAP_MAX_PAGES: ETOOBIG");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, as, mem, VA + 0x1000, EXO_MAP_R, 0, 1), "a memory page mapped at VA + 4 KiB");
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0, 2), EXO_EEXIST, "mmio_map: over a memory mapping: EEXIST");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 0);
    EXPECT_ERR(mmap_dev(as, mm, VA, R, 0, 1), EXO_ENOOBJ, "mmio_map: no mapping record: ENOOBJ");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 4096);
    tap_ok(mapped(asp, VA, NULL, NULL) == 0, "the refused calls mapped nothing");

    EXPECT_OK(r, mmap_dev(as, mm, VA, R | W, 0, 1), "mmio_map: the first MMIO page, read-write");
    uint64_t pfn = 0;
    unsigned perms = 0;
    tap_ok(mapped(asp, VA, &pfn, &perms) && pfn == 0xfebf0 && (perms & CAPENV_MAP_UC) && (perms & EXO_MAP_W) &&
           !(perms & EXO_MAP_X), "the PTE: frame 0xfebf0, uncached, writable, not executable");
    EXPECT_ERR(SYS(A, EXO_SYS_MAP_PAGES, as, mem, VA, EXO_MAP_R, 0, 1), EXO_EEXIST, "map_pages over the MMIO page: EEXIST");
    EXPECT_OK(r, mmap_dev(as, mro, VA + 0x2000, R, 0, 2), "both pages again, read-only, through the read-only copy");
    tap_ok(mapped(asp, VA + 0x3000, &pfn, &perms) && pfn == 0xfebf1 && !(perms & EXO_MAP_W), "second page: frame 0xfebf1, read-only");
    EXPECT_OK(r, SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 0x2000, 1), "unmap_pages cuts the head of the device mapping");
    tap_ok(!mapped(asp, VA + 0x2000, NULL, NULL) && mapped(asp, VA + 0x3000, &pfn, NULL) && pfn == 0xfebf1,
           "its second page stays");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, mro), "delete the read-only copy");
    tap_ok(!mapped(asp, VA + 0x3000, NULL, NULL), "its mapping is gone");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, root), "revoke everything derived from the root");
    tap_ok(!mapped(asp, VA, NULL, NULL) && mapped(asp, VA + 0x1000, NULL, NULL),
           "the MMIO mapping is gone, the memory mapping stays");
}

int main(void)
{
    exo_handle_t rq;
    A = fake_boot(&rq);
    dev_obj_register();
    fake_set_pool_limit(EXO_OBJ_DEVICE, 64);
    int64_t root, ports, com2, mmio, irq, r;
    uint64_t info[4];
    EXPECT_OK(root, dev_make_root(A), "root device capability installed");
    tap_ok(dev_sys_info(A, root, info) == 0 && info[0] == DEV_ROOT && info[3] == EXO_R_DEV_ALL, "root: kind ROOT, all device rights");
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;
    EXPECT_OK(ports, getcap(root, DEV_PORT, 0x2f8, 8, RW | EXO_R_DERIVE | EXO_R_TRANSFER), "COM2 ports 0x2f8-0x2ff from the root");
    tap_ok(dev_sys_info(A, ports, info) == 0 && info[0] == DEV_PORT && info[1] == 0x2f8 && info[2] == 8 &&
           info[3] == (RW | EXO_R_DERIVE | EXO_R_TRANSFER), "port capability describes itself");
    EXPECT_OK(com2, getcap(ports, DEV_PORT, 0x2f8, 1, EXO_R_WRITE), "one port, write only");
    /* decode errors: nothing changes */
    EXPECT_ERR(getcap(EXO_HANDLE_MAKE(900, 1), DEV_PORT, 0x2f8, 1, EXO_R_READ), EXO_EBADHANDLE, "empty slot: EBADHANDLE");
    EXPECT_ERR(getcap(rq, DEV_PORT, 0x2f8, 1, EXO_R_READ), EXO_EWRONGTYPE, "a quota capability: EWRONGTYPE");
    EXPECT_ERR(getcap(com2, DEV_PORT, 0x2f8, 1, EXO_R_WRITE), EXO_EPERM, "no DERIVE: EPERM");
    EXPECT_ERR(getcap(ports, DEV_PORT, 0x2f8, 1, EXO_R_INVOKE), EXO_EESCALATE, "a right the source lacks: EESCALATE");
    EXPECT_ERR(getcap(ports, DEV_PORT, 0x2f8, 1, EXO_R_EXEC), EXO_EINVAL, "a right devices do not have: EINVAL");
    EXPECT_ERR(getcap(ports, DEV_PORT, 0x2f8, 1, EXO_R_READ | (1ull << 40)), EXO_EINVAL, "high right bits: EINVAL");
    EXPECT_ERR(dev_sys_get_cap(A, (const uint64_t[6]){(uint64_t)ports, DEV_PORT, 0x2f8, 1, EXO_R_READ, 1}), EXO_EINVAL,
               "a[5] non-zero: EINVAL");
    EXPECT_ERR(getcap(ports, DEV_PORT, 0x2f0, 16, EXO_R_READ), EXO_ERANGE, "ports outside the source: ERANGE");
    EXPECT_ERR(getcap(ports, DEV_PORT, 0x2f8, UINT64_MAX, EXO_R_READ), EXO_ERANGE, "wrapping range: ERANGE");
    EXPECT_ERR(getcap(ports, DEV_MMIO, 0xfebf0000, 4096, EXO_R_READ), EXO_EWRONGTYPE, "MMIO from a port capability: EWRONGTYPE");
    EXPECT_ERR(getcap(root, 7, 0, 1, EXO_R_READ), EXO_EINVAL, "unknown kind: EINVAL");
    EXPECT_ERR(getcap(root, (1ull << 32) | DEV_PORT, 0, 1, EXO_R_READ), EXO_EINVAL, "kind above 32 bits: EINVAL");
    EXPECT_ERR(getcap(root, DEV_ROOT, 0, 0, EXO_R_READ), EXO_EINVAL, "a second root: EINVAL");
    EXPECT_ERR(getcap(root, DEV_MMIO, 0x7ffff000, 0x2000, EXO_R_READ | EXO_R_MAP), EXO_ERANGE, "MMIO over RAM: ERANGE");
    EXPECT_ERR(getcap(root, DEV_MMIO, 0xfebf0800, 0x1000, EXO_R_READ | EXO_R_MAP), EXO_EALIGN, "unaligned MMIO: EALIGN");
    EXPECT_ERR(getcap(root, DEV_IRQ, 3, 2, EXO_R_INVOKE), EXO_EINVAL, "two IRQ lines: EINVAL");
    EXPECT_ERR(getcap(root, DEV_IRQ, 300, 1, EXO_R_INVOKE), EXO_ERANGE, "GSI 300: ERANGE");
    fake_set_pool_limit(EXO_OBJ_DEVICE, 0);
    EXPECT_ERR(getcap(root, DEV_PORT, 0x70, 2, EXO_R_READ), EXO_ENOOBJ, "device pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_DEVICE, 64);
    EXPECT_OK(mmio, getcap(root, DEV_MMIO, 0xfebf0000, 0x2000, EXO_R_READ | EXO_R_WRITE | EXO_R_MAP), "MMIO window of a BAR");
    EXPECT_OK(irq, getcap(root, DEV_IRQ, 3, 1, EXO_R_INVOKE), "IRQ line 3 (COM2)");
    /* lookups the arch code does */
    struct dev_res res;
    tap_eq(dev_lookup(A, com2, DEV_PORT, EXO_R_WRITE, 0x2f8, 1, &res), 0, "lookup: write to 0x2f8 through the one-port capability");
    tap_eq(dev_lookup(A, com2, DEV_PORT, EXO_R_READ, 0x2f8, 1, &res), EXO_EPERM, "lookup: read without READ: EPERM");
    tap_eq(dev_lookup(A, com2, DEV_PORT, EXO_R_WRITE, 0x2f9, 1, &res), EXO_ERANGE, "lookup: port 0x2f9 outside: ERANGE");
    tap_eq(dev_lookup(A, mmio, DEV_MMIO, EXO_R_MAP, 0xfebf1000, 0x1000, &res), 0, "lookup: map the second MMIO page");
    tap_eq(dev_lookup(A, mmio, DEV_PORT, EXO_R_READ, 0xfebf1000, 1, &res), EXO_EWRONGTYPE, "lookup: MMIO capability as ports: EWRONGTYPE");
    tap_eq(dev_lookup(A, root, DEV_MMIO, EXO_R_MAP, 0x100000, 0x1000, &res), EXO_ERANGE, "lookup: root cannot map RAM as MMIO");
    tap_eq(dev_lookup(A, root, DEV_PORT, EXO_R_READ, UINT64_MAX, 2, &res), EXO_ERANGE, "lookup: wrapping access: ERANGE");
    /* enumeration through the root capability */
    struct dev_pci_info pi;
    tap_eq(dev_sys_enum(A, root, 0, &pi), 2, "device_enum through the root: 2 functions");
    tap_ok(pi.vendor == 0x8086 && pi.device == 0x29c0 && pi.class_code == 6 && pi.parsed_ok, "function 0: the host bridge 8086:29c0");
    tap_ok(dev_sys_enum(A, root, 1, &pi) == 2 && pi.dev == 2 && pi.bar[2].kind == PCI_BAR_IO && pi.bar[2].base == 0xc040 &&
           pi.bar[3].kind == PCI_BAR_MEM64 && pi.bar[3].size == 0x4000 && pi.irq_pin == 1, "function 1: the NIC with its BARs and pin");
    tap_eq(dev_sys_enum(A, root, 2, &pi), EXO_ERANGE, "index past the table: ERANGE");
    tap_eq(dev_sys_enum(A, ports, 0, &pi), EXO_EWRONGTYPE, "enumeration through a port capability: EWRONGTYPE");
    int64_t rootnr;
    EXPECT_OK(rootnr, SYS(A, EXO_SYS_CAP_DERIVE, root, EXO_R_DERIVE, 0, 0), "root copy without READ");
    tap_eq(dev_sys_enum(A, rootnr, 0, &pi), EXO_EPERM, "enumeration without READ: EPERM");
    tap_ok(sys_device_enum(A, (const uint64_t[6]){(uint64_t)root, 1, FAKE_USER_BASE, 0, 0, 0}) == 2 &&
           ((struct dev_pci_info *)fake_user(FAKE_USER_BASE))->device == 0x10d3, "sys_device_enum copies the record out");
    EXPECT_ERR(sys_device_enum(A, (const uint64_t[6]){(uint64_t)root, 1, 0x10, 0, 0, 0}), EXO_EFAULT, "sys_device_enum to a bad buffer: EFAULT");
    tap_eq(sys_device_enum(A, (const uint64_t[6]){(uint64_t)root, 1, FAKE_USER_BASE, 1, 2, 3}), 2,
           "sys_device_enum ignores a[3..5] (registers past its arguments)");
    /* IRQ pending count */
    tap_eq(dev_irq_raise(3), 1, "interrupt on GSI 3 counted by one IRQ object");
    tap_eq(dev_irq_raise(3), 1, "second interrupt");
    tap_eq(dev_irq_raise(4), 0, "GSI 4: no holder");
    dev_irq_deliver(3);   /* the interrupt-context entry (takes the lock itself) */
    tap_eq(dev_sys_irq_ack(A, irq), 3, "ack returns 3 pending (two raised, one delivered)");
    tap_eq(dev_sys_irq_ack(A, irq), 0, "and clears the count");
    tap_eq(dev_sys_irq_ack(A, ports), EXO_EPERM, "ack on a port capability without INVOKE: EPERM");
    tap_eq(dev_sys_irq_ack(A, root), EXO_EWRONGTYPE, "ack on the root (not an IRQ line): EWRONGTYPE");
    /* generic derive narrows rights of a device capability; revoke takes back what was derived */
    int64_t ro;
    EXPECT_OK(ro, SYS(A, EXO_SYS_CAP_DERIVE, ports, EXO_R_READ, 0, 0), "cap_derive: read-only copy of the port range");
    tap_eq(cap_rights_of(A, ro), EXO_R_READ, "copy has READ only");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_DERIVE, ro, EXO_R_READ | EXO_R_WRITE, 0, 0), EXO_EPERM, "cap_derive cannot widen (no DERIVE on the copy)");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, root), "revoke everything derived from the root");
    tap_ok(r >= 5, "revoke deleted %lld device capabilities", (long long)r);
    tap_eq(dev_sys_info(A, ports, info), EXO_ESTALE, "the port capability is gone");
    tap_eq(dev_irq_raise(3), 0, "its IRQ object was reaped: no holder counts interrupts");
    tap_ok(dev_sys_info(A, root, info) == 0, "the root stays");
    /* the sys_* entry points: argument checks and the copy-out */
    int64_t p2;
    EXPECT_OK(p2, sys_device_get_cap(A, (const uint64_t[6]){(uint64_t)root, DEV_PORT, 0x70, 2, EXO_R_READ, 0}), "sys_device_get_cap: CMOS ports");
    tap_eq(sys_device_info(A, (const uint64_t[6]){(uint64_t)p2, FAKE_USER_BASE, 0, 0, 0, 0}), 0, "sys_device_info copies out");
    uint64_t u[4];
    memcpy(u, fake_user(FAKE_USER_BASE), sizeof u);
    tap_ok(u[0] == DEV_PORT && u[1] == 0x70 && u[2] == 2 && u[3] == EXO_R_READ, "user buffer holds kind, base, len, rights");
    EXPECT_ERR(sys_device_info(A, (const uint64_t[6]){(uint64_t)p2, 0x10, 0, 0, 0, 0}), EXO_EFAULT, "sys_device_info to an unmapped buffer: EFAULT");
    EXPECT_ERR(sys_device_info(A, (const uint64_t[6]){(uint64_t)ports, 0x10, 0, 0, 0, 0}), EXO_ESTALE, "sys_device_info on a revoked handle: ESTALE");
    EXPECT_ERR(sys_device_irq_ack(A, (const uint64_t[6]){(uint64_t)root, 1, 2, 3, 4, 5}), EXO_EWRONGTYPE,
               "sys_device_irq_ack ignores a[1..5]; the root is no IRQ line: EWRONGTYPE");
    port_enable_tests(root, rq);
    mmio_map_tests(root, rq);
    irq_bind_tests(root, rq);
    inv_summary();
    return tap_done();
}
