/* dev_obj.h - DEVICE objects (EXO_OBJ_DEVICE, registered with obj_register_type) and the calls on them:
 * a device capability names a resource (dev_res.h): the root (every port, every MMIO range outside
 * RAM, every IRQ line), an I/O-port range, an MMIO range or one IRQ line. The capability's rights are
 * EXO_R_* bits: READ/WRITE (port input/output, MMIO mapped readable/writable), MAP (MMIO may be mapped),
 * DERIVE (narrower device capabilities), TRANSFER, INVOKE (IRQ: poll and acknowledge the pending count).
 * Decode then invoke, as every call of the capability core: an error changes nothing. Rows 64, 66-71
 * of syscalls.tbl (docs/DEVICES.md, docs/SYSCALLS.md) dispatch to the sys_* functions here. */
#ifndef PLADOF_KERNEL_CORE_DEV_OBJ_H
#define PLADOF_KERNEL_CORE_DEV_OBJ_H

#include <stdint.h>

#include <pladof/exo.h>

#include "kernel/core/dev_res.h"
#include "kernel/core/event.h"
#include "kernel/core/obj.h"
#include "kernel/core/pci_cfg.h"

struct domain;
struct cap;
struct evset_obj;

/* Rights a device capability can carry. */
#define EXO_R_DEV_ALL (EXO_R_READ | EXO_R_WRITE | EXO_R_MAP | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

struct dev_obj {
    struct obj hdr;
    struct dev_res res;        /* res.rights unused: the capability's rights govern */
    uint64_t irq_pending;      /* DEV_IRQ: interrupts raised and not yet acknowledged */
    uint64_t irq_total;        /* DEV_IRQ: interrupts raised since creation */
    uint32_t dom_id;           /* DEV_PORT_ON: the domain the ports [res.base, +res.len) are enabled for */
    /* DEV_IRQ_BIND (res.base = the GSI): */
    struct evset_obj *ev;      /* the event set interrupts are posted to; holds a reference */
    struct evsource src;       /* EV_IRQ records: a = {GSI, interrupts since the bind, 0} */
    uint64_t bind_count;       /* interrupts delivered since the bind */
    uint32_t masked;           /* the line is masked after a delivery until device_irq_ack */
};

/* Effects (FRAMEWORK 3.1.2, revocation): what a device capability does beyond naming a resource --
 * ports enabled for a domain, an IRQ line bound to an event set -- is recorded by a new DEVICE object
 * of an effect kind (dev_res.h) whose capability the kernel installs in the caller's capability space
 * as a CHILD of the device capability used, with no rights (it cannot be copied, moved or derived).
 * Deleting that capability undoes the effect; revoking the device capability, or any ancestor,
 * deletes it with the other descendants; a dying domain deletes it with its capability space. The
 * object's destroy hook does the undo, under the core lock. */

/* The embedder's I/O-port hooks (kernel: kernel/arch/x86_64/iopb.c over dev_ports.h; tests: a model
 * in tests/kdev/fake_devenv.c), called with the core lock held. can_add: 0 if one more range can be
 * enabled for domain dom_id, else EXO_ENOOBJ. add/remove: the range [base, base+len) (inside the port
 * space) is now enabled / no longer enabled once for dom_id; ports stay enabled while any range
 * covers them. After add/remove returns, every CPU running dom_id uses the new set. */
int devenv_ports_can_add(uint32_t dom_id);
/* The embedder's interrupt-line hooks (kernel: kernel/arch/x86_64/irq.c), core lock held. route: route
 * gsi to this CPU, unmasked, its interrupts to reach dev_irq_deliver; 0, or EXO_ERANGE if the line
 * cannot be routed (no I/O APIC input or vector for it, or a level-triggered/active-low line), nothing
 * changed then. mask: set or clear the line's mask bit. */
int devenv_irq_route(uint32_t gsi);
void devenv_irq_mask(uint32_t gsi, int masked);
void devenv_ports_add(uint32_t dom_id, uint32_t base, uint32_t len);
void devenv_ports_remove(uint32_t dom_id, uint32_t base, uint32_t len);

/* The embedder's RAM map, which MMIO capabilities must never cover (kernel: the firmware memory map;
 * tests: a fixed list). Called with the core lock held. */
const struct dev_ram_map *devenv_ram_map(void);

/* One PCI function as device_enum reports it: the ABI's struct exo_pci_info (include/pladof/exo.h). */
#define dev_pci_info exo_pci_info
_Static_assert(PCI_MAX_BARS == EXO_PCI_MAX_BARS && PCI_BAR_IO == EXO_PCI_BAR_IO && PCI_BAR_MEM32 == EXO_PCI_BAR_MEM32 &&
                   PCI_BAR_MEM64 == EXO_PCI_BAR_MEM64, "the PCI record of the ABI follows pci_cfg.h");

/* The embedder's enumerated PCI functions (kernel: the boot-time table of kernel/arch/x86_64/pci.c,
 * fixed after boot). *n gets the count. */
const struct pci_func *devenv_pci_funcs(size_t *n);

/* Registers the DEVICE type (once, before the first device object). */
void dev_obj_register(void);
/* Boot: puts the root device capability (all rights of EXO_R_DEV_ALL) into d's capability space.
 * Returns its handle or EXO_ENOSLOT / EXO_ENOOBJ. Takes the core lock. */
int64_t dev_make_root(struct domain *d);

/* device_get_cap(src, kind, base, len, rights): a child capability of src naming [base, base+len) of
 * kind (DEV_PORT, DEV_MMIO, DEV_IRQ), a new DEVICE object. Errors: EXO_EBADHANDLE/ESTALE (src),
 * EXO_EWRONGTYPE (src not a DEVICE capability, or a kind other than a non-root src's), EXO_EPERM (src
 * lacks DERIVE), EXO_EINVAL (unknown right bits, bad kind, len 0, an IRQ range of more than one line,
 * a[5] != 0), EXO_EESCALATE (rights not a subset of src's), EXO_EALIGN (MMIO not page aligned),
 * EXO_ERANGE (wraps, outside src or the port space, MMIO over RAM), EXO_ENOSLOT, EXO_ENOOBJ. */
int64_t dev_sys_get_cap(struct domain *d, const uint64_t a[6]);
/* Describes a device capability: out = {kind, base, len, rights}. Errors: the lookup errors. */
int64_t dev_sys_info(struct domain *d, exo_handle_t h, uint64_t out[4]);
/* device_enum(root, index, out): function number index of the PCI table. Needs a ROOT device capability
 * with READ (EXO_EWRONGTYPE for a narrower one, EXO_EPERM without READ); EXO_ERANGE for index >= count.
 * Returns the number of functions. */
int64_t dev_sys_enum(struct domain *d, exo_handle_t h, uint64_t index, struct dev_pci_info *out);
/* IRQ capability: returns and clears the pending count (INVOKE right); unmasks the line if a binding
 * masked it after a delivery. */
int64_t dev_sys_irq_ack(struct domain *d, exo_handle_t h);
/* Interrupt path (the line's home shard and the bound set's shards held: dev_irq_deliver): one interrupt of GSI gsi: every live IRQ object of that line gets
 * pending + 1; a binding of the line that is not masked posts an EV_IRQ record and masks the line.
 * Returns the number of IRQ objects counted. */
unsigned dev_irq_raise(uint32_t gsi);
/* The same from interrupt context: takes the shards it needs itself (a CPU holds shards only with its
 * interrupts off, so it never interrupts itself inside them). Suits irq_dev_hook. */
void dev_irq_deliver(uint32_t gsi);
/* The system-call entry points of rows 64 device_get_cap, 66 device_info, 67 device_irq_ack: a[0] is
 * the device capability; device_info copies {kind, base, len, rights} (4 x u64) to user address a[1]
 * (EXO_EFAULT if not writable). Arguments past a call's count are ignored. */
int64_t sys_device_get_cap(struct domain *d, const uint64_t a[6]);
int64_t sys_device_info(struct domain *d, const uint64_t a[6]);
int64_t sys_device_irq_ack(struct domain *d, const uint64_t a[6]);
/* device_enum: a[0] root, a[1] index, a[2] user buffer of sizeof(struct dev_pci_info). */
int64_t sys_device_enum(struct domain *d, const uint64_t a[6]);
/* device_port_enable(dev, base, len): lets the calling domain use ports [base, base+len) from ring 3
 * (IN/OUT through the TSS I/O bitmap). dev is a DEVICE capability of kind PORT (or the root) with READ
 * and WRITE (the bitmap cannot tell input from output); the range must lie inside it. Returns the
 * handle of the enable capability (a child of dev, no rights; deleting it or revoking dev disables).
 * Errors: lookup (EXO_EBADHANDLE, EXO_ESTALE, EXO_EWRONGTYPE also for a kind other than PORT/ROOT),
 * EXO_EPERM (READ or WRITE missing), EXO_EINVAL (len 0), EXO_ERANGE (wraps, past port
 * 0xFFFF or outside dev), EXO_ENOSLOT, EXO_ENOOBJ (no device object, or the port table is full). */
int64_t sys_device_port_enable(struct domain *d, const uint64_t a[6]);
/* device_irq_bind(irq, evset, badge): interrupts of the IRQ capability's line are posted to the event
 * set as EV_IRQ records (badge, a = {GSI, interrupts since the bind, 0}). After each posted interrupt
 * the line stays masked until device_irq_ack on an IRQ capability of the line (which unmasks it), so a
 * driver sees one record per acknowledged interrupt and a storm cannot flood the CPU. irq needs INVOKE,
 * evset EXO_R_EV_POST. Returns the binding capability (a child of irq, no rights): deleting it, revoking
 * irq or an ancestor, or the caller's death unbinds and masks the line. Errors: lookups (EXO_EBADHANDLE,
 * EXO_ESTALE, EXO_EWRONGTYPE also for a device capability that is not one IRQ line, EXO_EPERM),
 * EXO_EEXIST (the line is bound already), EXO_ENOSLOT, EXO_ENOOBJ, EXO_ERANGE
 * (the line cannot be routed). */
int64_t sys_device_irq_bind(struct domain *d, const uint64_t a[6]);
/* The binding of a line, or NULL (tests, diagnostics). */
const struct dev_obj *dev_irq_binding(uint32_t gsi);
/* device_mmio_map(as, dev, va, perms, offset, npages): maps pages [offset, offset + npages pages) of the
 * MMIO capability dev at va in the address space as, uncached (the PAT entry that is UC), readable and
 * writable as perms says (EXO_MAP_R required, EXO_MAP_W optional, never executable), within dev's
 * READ/WRITE rights. The mapping record hangs on dev's capability like a memory mapping on a memory
 * capability: deleting or revoking it unmaps. Errors as map_pages, plus EXO_EWRONGTYPE for a device
 * capability that is not an MMIO range, EXO_ERANGE for pages outside it (or over RAM). */
int64_t sys_device_mmio_map(struct domain *d, const uint64_t a[6]);
/* Access check used by the arch code (I/O bitmap build, MMIO map): 0 if the capability h of d is a
 * DEVICE capability of kind allowing [a, a+width) with need (EXO_R_* bits), else the error. On
 * success *res_out is the object's resource. */
int64_t dev_lookup(struct domain *d, exo_handle_t h, uint32_t kind, uint64_t need, uint64_t a, uint64_t width,
                   struct dev_res *res_out);

#endif
