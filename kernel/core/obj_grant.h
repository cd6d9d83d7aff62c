/* obj_grant.h - GRANT objects (EXO_OBJ_GRANT) and their two system calls, grant_create and
 * transfer_data (issue 4 "grant-based copy"), registered with the capability core through
 * obj_register_type.
 *
 * A GRANT object names a window [base, base + len) of one address space and holds a reference on that
 * address space, so the window's address space lives as long as any grant on it. The READ/WRITE rights
 * that count are the capability's (derive can narrow them), not a field of the object. A grant
 * capability is created as a child of the address-space capability it was made from, so revoking that
 * capability revokes every grant on it.
 *
 * The table rows for these calls are not in include/pladof/syscalls.tbl yet (requested in
 * /work/coord/capcore-kernel.md); until then the sys_* functions are declared here and tested directly. */
#ifndef PLADOF_KERNEL_CORE_OBJ_GRANT_H
#define PLADOF_KERNEL_CORE_OBJ_GRANT_H

#include <stdint.h>

#include "kernel/core/obj.h"

struct domain;
struct aspace;

struct grant_obj {
    struct obj hdr;
    struct aspace *as;   /* holds a reference */
    uint64_t base, len;
};

/* Registers EXO_OBJ_GRANT with the capability core (boot, after capcore_init). */
void obj_grant_register(void);

/* grant_create(aspace, base, len, rights): a GRANT capability over [base, base+len) of the address
 * space, with rights (a non-empty subset of READ|WRITE) plus DERIVE, TRANSFER and INVOKE from the
 * address-space capability. Needs MAP on the address-space capability. Errors: EXO_EBADHANDLE,
 * EXO_ESTALE, EXO_EWRONGTYPE, EXO_EPERM, EXO_EINVAL (len 0, rights), EXO_ERANGE (window outside the
 * user half or wrapping), EXO_ENOSLOT, EXO_ENOOBJ. */
int64_t sys_grant_create(struct domain *d, const uint64_t a[6]);
/* transfer_data(dst_grant, dst_off, src_grant, src_off, count, flags): copies count bytes (flags 0) or
 * moves whole pages (GRANT_XFER_REMAP) between the windows; dst needs WRITE, src READ. Returns the
 * bytes transferred. Errors: handle errors for both grants, EXO_EPERM, and those of transfer_check /
 * transfer_remap (EXO_EINVAL, EXO_ETOOBIG, EXO_ERANGE, EXO_EALIGN, EXO_EFAULT, EXO_EEXIST, EXO_EQUOTA,
 * EXO_ENOOBJ, EXO_ENOMEM). The copy runs under the core lock (see obj_grant.c for why). */
int64_t sys_transfer_data(struct domain *d, const uint64_t a[6]);

#endif
