/* dev_obj.c - DEVICE objects and the device-capability calls (see dev_obj.h). */
#include "kernel/core/dev_obj.h"

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_evset.h"
#include "kernel/core/quota.h"

/* The binding of each line (at most one): set by device_irq_bind, cleared by the binding's destroy. */
static struct dev_obj *bound[DEV_IRQ_LINES];

/* Holds no references and owns no frames (the MMIO it names is not RAM); an effect object undoes
 * its effect. */
static void dev_destroy(struct obj *p)
{
    struct dev_obj *o = (struct dev_obj *)p;
    if (o->res.kind == DEV_PORT_ON)
        devenv_ports_remove(o->dom_id, (uint32_t)o->res.base, (uint32_t)o->res.len);
    if (o->res.kind == DEV_IRQ_BIND) {
        devenv_irq_mask((uint32_t)o->res.base, 1);
        bound[o->res.base] = 0;
        obj_put(&o->ev->hdr);
    }
}

/* For cap_check: a binding holds a reference on its event set. */
static void dev_count_refs(struct obj *p)
{
    struct dev_obj *o = (struct dev_obj *)p;
    if (o->res.kind == DEV_IRQ_BIND)
        o->ev->hdr.scratch++;
}

static const struct obj_type_ops dev_ops = {.size = sizeof(struct dev_obj), .destroy = dev_destroy,
                                            .count_refs = dev_count_refs};

void dev_obj_register(void)
{
    obj_register_type(EXO_OBJ_DEVICE, &dev_ops);
}

/* The device rights of dev_res from a capability's EXO_R_* rights. */
static uint32_t dev_rights(uint64_t r)
{
    return ((r & EXO_R_READ) ? DEV_R_READ : 0) | ((r & EXO_R_WRITE) ? DEV_R_WRITE : 0) |
           ((r & EXO_R_DERIVE) ? DEV_R_DERIVE : 0) | ((r & EXO_R_INVOKE) ? DEV_R_IRQ : 0);
}

int64_t dev_make_root(struct domain *d)
{
    uint64_t cookie = capenv_lock();
    int64_t r;
    struct dev_obj *o = NULL;
    if (!cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    else if (!(o = capenv_obj_alloc(EXO_OBJ_DEVICE)))
        r = EXO_ENOOBJ;
    else {
        obj_init(&o->hdr, EXO_OBJ_DEVICE);
        o->res = dev_res_root();
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, EXO_R_DEV_ALL, 0, NULL));
    }
    capenv_unlock(cookie);
    return r;
}

int64_t dev_sys_get_cap(struct domain *d, const uint64_t a[6])
{
    uint64_t kind = a[1], base = a[2], len = a[3], rights = a[4];
    uint64_t cookie = capenv_lock();
    struct cap *sc = NULL;
    struct dev_obj *o = NULL;
    struct dev_res child;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DEVICE, EXO_R_DERIVE, &sc);
    if (r == 0 && (a[5] != 0 || (rights & ~(uint64_t)EXO_R_DEV_ALL) || kind > UINT32_MAX))
        r = EXO_EINVAL;
    if (r == 0 && (rights & ~sc->rights))
        r = EXO_EESCALATE;
    if (r == 0) {
        /* the parent's resource with the capability's rights (res.rights of objects is unused) */
        struct dev_res parent = ((struct dev_obj *)sc->obj)->res;
        parent.rights = dev_rights(sc->rights);
        r = dev_res_derive(&parent, (uint32_t)kind, base, len, dev_rights(rights), devenv_ram_map(), &child);
    }
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(o = capenv_obj_alloc(EXO_OBJ_DEVICE)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke: cannot fail */
        obj_init(&o->hdr, EXO_OBJ_DEVICE);
        o->res = child;
        o->res.rights = 0;
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, rights, 0, sc));
    }
    capenv_unlock(cookie);
    return r;
}

int64_t dev_sys_info(struct domain *d, exo_handle_t h, uint64_t out[4])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_DEVICE, 0, &c);
    if (r == 0) {
        const struct dev_obj *o = (const struct dev_obj *)c->obj;
        out[0] = o->res.kind, out[1] = o->res.base, out[2] = o->res.len, out[3] = c->rights;
    }
    capenv_unlock(cookie);
    return r;
}

int64_t dev_sys_irq_ack(struct domain *d, exo_handle_t h)
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_DEVICE, EXO_R_INVOKE, &c);
    if (r == 0 && ((struct dev_obj *)c->obj)->res.kind != DEV_IRQ)
        r = EXO_EWRONGTYPE;
    if (r == 0) {
        struct dev_obj *o = (struct dev_obj *)c->obj;
        r = (int64_t)(o->irq_pending & INT64_MAX);
        o->irq_pending = 0;
        struct dev_obj *b = bound[o->res.base];
        if (b && b->masked) {
            b->masked = 0;
            devenv_irq_mask((uint32_t)o->res.base, 0);
        }
    }
    capenv_unlock(cookie);
    return r;
}

unsigned dev_irq_raise(uint32_t gsi)
{
    unsigned n = 0;
    /* O(live objects): fine for the poll interface; the event path will keep a per-line list. */
    for (struct obj *p = obj_first(); p; p = obj_next(p)) {
        if (p->type != EXO_OBJ_DEVICE)
            continue;
        struct dev_obj *o = (struct dev_obj *)p;
        if (o->res.kind == DEV_IRQ && o->res.base == gsi) {
            o->irq_pending++;
            o->irq_total++;
            n++;
        }
    }
    struct dev_obj *b = gsi < DEV_IRQ_LINES ? bound[gsi] : 0;
    if (b && !b->masked) {
        /* FRAMEWORK 3.1.2: the interrupt becomes an event of the holder; the line waits for its ack. */
        b->masked = 1;
        devenv_irq_mask(gsi, 1);
        evsource_signal(&b->src, gsi, ++b->bind_count, 0);
    }
    return n;
}

const struct dev_obj *dev_irq_binding(uint32_t gsi)
{
    return gsi < DEV_IRQ_LINES ? bound[gsi] : 0;
}

int64_t dev_sys_enum(struct domain *d, exo_handle_t h, uint64_t index, struct dev_pci_info *out)
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_DEVICE, EXO_R_READ, &c);
    if (r == 0 && ((struct dev_obj *)c->obj)->res.kind != DEV_ROOT)
        r = EXO_EWRONGTYPE;
    capenv_unlock(cookie);
    if (r)
        return r;
    size_t n = 0;
    const struct pci_func *f = devenv_pci_funcs(&n);   /* fixed after boot: no lock needed */
    if (index >= n)
        return EXO_ERANGE;
    f += index;
    *out = (struct dev_pci_info){
        .bus = f->bus, .dev = f->dev, .fn = f->fn, .header_type = f->hdr.header_type,
        .vendor = f->hdr.vendor, .device = f->hdr.device, .class_code = f->hdr.class_code,
        .subclass = f->hdr.subclass, .progif = f->hdr.progif, .revision = f->hdr.revision,
        .irq_line = f->hdr.irq_line, .irq_pin = f->hdr.irq_pin, .parsed_ok = f->status == PCI_OK,
        .nbars = f->hdr.nbars,
    };
    for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
        out->bar[i].base = f->hdr.bar[i].base;
        out->bar[i].size = f->hdr.bar[i].size;
        out->bar[i].kind = f->hdr.bar[i].kind;
        out->bar[i].prefetch = f->hdr.bar[i].prefetch;
    }
    return (int64_t)n;
}

/* Locking (docs/LOCKING.md): a line's counters and mask state have a home shard of their own, CPU
 * gsi mod the number of CPUs (not the CPU the line is routed to: a re-route must not change it); the
 * delivery takes that shard, this CPU's, and what posting to the bound set touches. Binding, acks and
 * the objects themselves change only with every shard held. */
void dev_irq_deliver(uint32_t gsi)
{
    unsigned nshards = 64u - (unsigned)__builtin_clzll(capenv_shards_all()); /* bits 0..n-1 */
    uint64_t line = 1ull << (gsi % nshards);
    uint64_t mine = line | 1ull << (c2env_this_cpu() & 63);
    uint64_t cookie = capenv_shard_lock(mine);
    for (;;) {
        const struct dev_obj *b = gsi < DEV_IRQ_LINES ? bound[gsi] : 0;
        uint64_t need = mine | (b ? evset_post_shards(b->src.set) : 0);
        if (capenv_shard_extend(need) && (mine | (b ? evset_post_shards(b->src.set) : 0)) == need)
            break;
    }
    dev_irq_raise(gsi);
    capenv_unlock(cookie);
}

int64_t dev_lookup(struct domain *d, exo_handle_t h, uint32_t kind, uint64_t need, uint64_t a, uint64_t width,
                   struct dev_res *res_out)
{
    struct cap *c = NULL;
    int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_DEVICE, need, &c);
    if (r)
        return r;
    const struct dev_obj *o = (const struct dev_obj *)c->obj;
    if (width == 0 || a + width < a)
        return EXO_ERANGE;
    if (o->res.kind != DEV_ROOT && o->res.kind != kind)
        return EXO_EWRONGTYPE;
    struct dev_res res = o->res;
    res.rights = DEV_R_ALL;   /* rights were checked by the lookup */
    if (!dev_res_allows(&res, a, width, 0))
        return EXO_ERANGE;
    if (kind == DEV_MMIO && o->res.kind == DEV_ROOT && dev_res_overlaps_ram(devenv_ram_map(), a, width))
        return EXO_ERANGE;
    *res_out = o->res;
    return 0;
}

int64_t sys_device_get_cap(struct domain *d, const uint64_t a[6])
{
    return dev_sys_get_cap(d, a);
}

int64_t sys_device_info(struct domain *d, const uint64_t a[6])
{
    uint64_t out[4];
    int64_t r = dev_sys_info(d, a[0], out);
    if (r)
        return r;
    /* not under the lock: a copy-out may fault */
    return capenv_copyout((uaddr_t){a[1]}, out, sizeof out) ? EXO_EFAULT : 0;
}

/* The decoders read only their documented arguments: the registers past a call's argument count hold
 * whatever the caller's stub left there (user/libexo/exo_syscall.h), so they are not checked. */
int64_t sys_device_irq_ack(struct domain *d, const uint64_t a[6])
{
    return dev_sys_irq_ack(d, a[0]);
}

int64_t sys_device_enum(struct domain *d, const uint64_t a[6])
{
    struct dev_pci_info info;
    int64_t r = dev_sys_enum(d, a[0], a[1], &info);
    if (r < 0)
        return r;
    return capenv_copyout((uaddr_t){a[2]}, &info, sizeof info) ? EXO_EFAULT : r;
}

int64_t sys_device_port_enable(struct domain *d, const uint64_t a[6])
{
    uint64_t base = a[1], len = a[2];
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    struct dev_obj *o = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DEVICE, EXO_R_READ | EXO_R_WRITE, &c);
    if (r == 0) {
        uint32_t k = ((struct dev_obj *)c->obj)->res.kind;
        if (k != DEV_PORT && k != DEV_ROOT)
            r = EXO_EWRONGTYPE;
    }
    if (r == 0 && len == 0)
        r = EXO_EINVAL;
    if (r == 0 && (base + len < base || base + len > DEV_PORT_SPACE))
        r = EXO_ERANGE;
    if (r == 0) {
        struct dev_res res = ((struct dev_obj *)c->obj)->res;
        res.rights = DEV_R_ALL;   /* rights were checked by the lookup */
        if (!dev_res_allows(&res, base, len, 0))
            r = EXO_ERANGE;
    }
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0)
        r = devenv_ports_can_add(d->hdr.id);
    if (r == 0 && !(o = capenv_obj_alloc(EXO_OBJ_DEVICE)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke: cannot fail */
        obj_init(&o->hdr, EXO_OBJ_DEVICE);
        o->res = (struct dev_res){.kind = DEV_PORT_ON, .base = base, .len = len};
        o->dom_id = d->hdr.id;
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, 0, 0, c));
        devenv_ports_add(o->dom_id, (uint32_t)base, (uint32_t)len);
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_device_irq_bind(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL, *ec = NULL;
    struct dev_obj *o = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DEVICE, EXO_R_INVOKE, &c);
    if (r == 0 && ((struct dev_obj *)c->obj)->res.kind != DEV_IRQ)
        r = EXO_EWRONGTYPE;
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_EVENT, EXO_R_EV_POST, &ec);
    uint32_t gsi = r == 0 ? (uint32_t)((struct dev_obj *)c->obj)->res.base : 0;   /* < DEV_IRQ_LINES */
    if (r == 0 && bound[gsi])
        r = EXO_EEXIST;
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(o = capenv_obj_alloc(EXO_OBJ_DEVICE)))
        r = EXO_ENOOBJ;
    if (r == 0 && (r = devenv_irq_route(gsi)) != 0)   /* last check: changes nothing when it fails */
        capenv_obj_free(EXO_OBJ_DEVICE, o);
    if (r == 0) {
        /* invoke: cannot fail */
        struct evset_obj *eo = (struct evset_obj *)ec->obj;
        obj_init(&o->hdr, EXO_OBJ_DEVICE);
        o->res = (struct dev_res){.kind = DEV_IRQ_BIND, .base = gsi, .len = 1};
        obj_get(&eo->hdr);
        o->ev = eo;
        evsource_init(&o->src, o->hdr.id, EV_IRQ, &eo->e, a[2]);
        bound[gsi] = o;
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, 0, 0, c));
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_device_mmio_map(struct domain *d, const uint64_t a[6])
{
    uint64_t va = a[2], perms = a[3], off = a[4], npages = a[5];
    uint64_t cookie = capenv_lock();
    struct cap *ac = NULL, *dc = NULL;
    struct mapping *rec = NULL;
    struct pt_reserve res = {.count = 0};
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_DEVICE, EXO_R_MAP, &dc);
    if (r == 0 && ((struct dev_obj *)dc->obj)->res.kind != DEV_MMIO)
        r = EXO_EWRONGTYPE;
    /* R required (x86 cannot map unreadable pages), W optional, never X: device memory is not code */
    if (r == 0 && (!(perms & EXO_MAP_R) || (perms & ~(uint64_t)(EXO_MAP_R | EXO_MAP_W)) || npages == 0))
        r = EXO_EINVAL;
    if (r == 0 && ((perms & EXO_MAP_R) && !(dc->rights & EXO_R_READ)))
        r = EXO_EPERM;
    if (r == 0 && ((perms & EXO_MAP_W) && !(dc->rights & EXO_R_WRITE)))
        r = EXO_EPERM;
    if (r == 0 && npages > EXO_MAP_MAX_PAGES)
        r = EXO_ETOOBIG;
    if (r == 0 && ((va | off) % EXO_PAGE_SIZE))
        r = EXO_EALIGN;
    if (r == 0 && (va < EXO_USER_VA_MIN || va >= EXO_USER_VA_END || npages > (EXO_USER_VA_END - va) / EXO_PAGE_SIZE))
        r = EXO_ERANGE;
    const struct dev_res *dr = r == 0 ? &((struct dev_obj *)dc->obj)->res : NULL;
    if (r == 0 && (off >= dr->len || npages > (dr->len - off) / EXO_PAGE_SIZE))
        r = EXO_ERANGE;
    /* derive already refused RAM; checked again because this is what makes mapping device frames safe */
    if (r == 0 && dev_res_overlaps_ram(devenv_ram_map(), dr->base + off, npages * EXO_PAGE_SIZE))
        r = EXO_ERANGE;
    struct aspace *as = r == 0 ? (struct aspace *)ac->obj : NULL;
    if (r == 0 && !aspace_range_free(as, va, npages))
        r = EXO_EEXIST;
    unsigned tables = r == 0 ? capenv_arch_tables_needed(as, va, npages) : 0;
    if (r == 0 && tables > CAPENV_PT_RESERVE_MAX)
        r = EXO_ETOOBIG;
    if (r == 0 && !quota_has(as->quota, tables))
        r = EXO_EQUOTA;
    if (r == 0 && !(rec = capenv_obj_alloc(CAPENV_KIND_MAPPING)))
        r = EXO_ENOOBJ;
    for (; r == 0 && res.count < tables; res.count++) {
        if (capenv_frames_alloc(1, 0, &res.pfn[res.count]) != 1) {
            for (unsigned i = 0; i < res.count; i++)
                capenv_frames_free(res.pfn[i], 1);
            capenv_obj_free(CAPENV_KIND_MAPPING, rec);
            r = EXO_ENOMEM;
        }
    }
    if (r == 0)   /* invoke: cannot fail */
        aspace_map_dev(as, dc, va, (dr->base + off) / EXO_PAGE_SIZE, npages, (unsigned)perms, rec, &res);
    capenv_unlock(cookie);
    return r;
}
