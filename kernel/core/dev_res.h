/* dev_res.h - the resource a device capability names (an I/O-port range, an MMIO range, one IRQ line,
 * or the root device capability covering all of them) and the checks for deriving a narrower one:
 * the kind matches, the range lies inside the parent's, rights only shrink, ranges never wrap, and an
 * MMIO range never overlaps RAM that the frame ledger owns. Portable; the capability object wrapper
 * and the system call are separate (docs/DEVICES.md says what is wired). Errors are EXO_E* codes. */
#ifndef PLADOF_KERNEL_CORE_DEV_RES_H
#define PLADOF_KERNEL_CORE_DEV_RES_H

#include <stddef.h>
#include <stdint.h>

enum dev_kind { DEV_ROOT = 1, DEV_PORT = 2, DEV_MMIO = 3, DEV_IRQ = 4 };
/* Kinds of the objects that record an effect of a device capability (dev_obj.h: ports enabled for a
 * domain, an IRQ line bound to an event set). Never a resource: dev_res_shape refuses them. */
enum dev_effect_kind { DEV_PORT_ON = 5, DEV_IRQ_BIND = 6 };

#define DEV_R_READ   0x1u  /* port input; MMIO mapped readable */
#define DEV_R_WRITE  0x2u  /* port output; MMIO mapped writable */
#define DEV_R_DERIVE 0x4u  /* may derive narrower device capabilities */
#define DEV_R_IRQ    0x8u  /* IRQ: receive and acknowledge the line's interrupts */
#define DEV_R_ALL    0xfu

#define DEV_PORT_SPACE  0x10000ull        /* x86 I/O ports 0..0xFFFF */
#define DEV_MMIO_LIMIT  (1ull << 52)      /* architectural MAXPHYADDR bound */
#define DEV_IRQ_LINES   224u              /* GSIs routable to vectors 0x20..0xFF */
#define DEV_PAGE        4096ull

struct dev_res {
    uint32_t kind;    /* enum dev_kind */
    uint32_t rights;  /* DEV_R_* */
    uint64_t base;    /* first port / physical address / GSI (0 for DEV_ROOT) */
    uint64_t len;     /* ports / bytes / 1 (0 for DEV_ROOT: everything) */
};

/* Physical RAM ranges owned by the frame ledger, which MMIO capabilities must never cover. */
struct dev_ram_range { uint64_t base, len; };
struct dev_ram_map { const struct dev_ram_range *r; size_t n; };

/* The root device capability's resource. */
struct dev_res dev_res_root(void);
/* Shape of a range of a kind: EXO_EINVAL (unknown kind, len 0, IRQ len != 1), EXO_EALIGN (MMIO not page
 * aligned), EXO_ERANGE (wraps, leaves the port space, above DEV_MMIO_LIMIT, GSI >= DEV_IRQ_LINES). */
int dev_res_shape(uint32_t kind, uint64_t base, uint64_t len);
/* 1 if [base, base+len) overlaps any RAM range (len > 0, base+len not wrapping: shape-checked first). */
int dev_res_overlaps_ram(const struct dev_ram_map *ram, uint64_t base, uint64_t len);
/* Derives the resource of a child capability of parent. Errors in the order checked: EXO_EPERM (parent
 * lacks DERIVE), EXO_EINVAL (unknown right bits, or dev_res_shape), EXO_EESCALATE (rights not a subset),
 * EXO_EWRONGTYPE (kind differs from a non-root parent's), EXO_ERANGE (outside the parent, or MMIO
 * overlapping RAM). On success *out is the child's resource and 0 is returned. */
int dev_res_derive(const struct dev_res *parent, uint32_t kind, uint64_t base, uint64_t len, uint32_t rights,
                   const struct dev_ram_map *ram, struct dev_res *out);
/* 1 if res allows an access of width bytes at port/address a with the right bits need. */
int dev_res_allows(const struct dev_res *res, uint64_t a, uint64_t width, uint32_t need);

#endif
