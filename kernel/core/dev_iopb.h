/* dev_iopb.h - the x86 TSS I/O permission bitmap as data (Intel SDM vol. 1, 19.5.2): one bit per port,
 * 0 = allowed at CPL 3 with IOPL 0, followed by a terminating 0xFF byte. An access of width w at port p
 * is allowed only if bits p..p+w-1 are all clear. Built from a domain's PORT capabilities and
 * installed by the arch code at domain switch. Portable so that it is tested hosted. */
#ifndef PLADOF_KERNEL_CORE_DEV_IOPB_H
#define PLADOF_KERNEL_CORE_DEV_IOPB_H

#include <stdint.h>

#define DEV_IOPB_PORT_BYTES 8192u              /* 65536 ports / 8 */
#define DEV_IOPB_BYTES (DEV_IOPB_PORT_BYTES + 1u) /* plus the all-ones terminator */

/* Every port denied, terminator set. */
void dev_iopb_deny_all(uint8_t bm[DEV_IOPB_BYTES]);
/* Allows ports [base, base+len); EXO_EINVAL for len 0, EXO_ERANGE for a range that wraps or leaves the
 * port space (the bitmap is not changed then). */
int dev_iopb_allow(uint8_t bm[DEV_IOPB_BYTES], uint64_t base, uint64_t len);
/* What the CPU decides for an access of width (1, 2, 4) bytes at port: 1 allowed, 0 #GP. Accesses that
 * run past port 0xFFFF read the terminator byte, hence are denied. */
int dev_iopb_allowed(const uint8_t bm[DEV_IOPB_BYTES], uint32_t port, unsigned width);

#endif
