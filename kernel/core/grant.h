/* grant.h - grant windows and the checked copy between two of them (exo_transfer_data, FRAMEWORK
 * 3.1.2 "grant-based copy").
 *
 * A grant names a window [base, base + len) of one address space with READ and/or WRITE right; the
 * domain that owns the memory creates it and hands the GRANT capability to a peer. transfer_check
 * validates a copy of `count` bytes from src_off in the source window to dst_off in the destination
 * window: rights (source READ, destination WRITE), offsets and count inside both windows with every
 * sum checked for overflow, count within GRANT_COPY_MAX, flags known. transfer_do then calls the
 * kernel's copy hook (c2env_copy), which may still fail with EXO_EFAULT where the window covers
 * unmapped memory (a window is a permission, not a pinning).
 *
 * With GRANT_XFER_REMAP (grant_remap.h) whole pages are moved instead of copied: transfer_check then
 * also requires page alignment; transfer_do refuses the flag (EXO_EINVAL) because moving pages needs
 * the capability core's mapping records, which grant_remap.c uses. */
#ifndef PLADOF_KERNEL_CORE_GRANT_H
#define PLADOF_KERNEL_CORE_GRANT_H

#include <stdint.h>

#include <pladof/exo.h>

struct aspace;

#define GRANT_COPY_MAX (1ull << 24)   /* 16 MiB per transfer: bounds the time one call holds a CPU */

struct grant {
    struct aspace *as;
    uint64_t base, len;
    uint32_t rights;   /* EXO_R_READ | EXO_R_WRITE */
};

struct transfer {
    const struct grant *dst, *src;
    uint64_t dst_off, src_off, count;
    unsigned flags;    /* 0 or GRANT_XFER_REMAP */
};

#define GRANT_XFER_REMAP EXO_XFER_REMAP  /* move whole pages (grant_remap.h); the ABI flag */

/* EXO_EINVAL (len 0, rights not a non-empty subset of READ|WRITE, as NULL), EXO_ERANGE (window
 * wraps or leaves [EXO_USER_VA_MIN, EXO_USER_VA_END)). */
int grant_init(struct grant *g, struct aspace *as, uint64_t base, uint64_t len, uint32_t rights);
/* EXO_EINVAL (count 0, unknown flags), EXO_ETOOBIG (count > GRANT_COPY_MAX), EXO_EPERM (src lacks
 * READ or dst lacks WRITE), EXO_ERANGE (offset + count outside a window, or overflows), and with
 * GRANT_XFER_REMAP EXO_EALIGN (an address or the count not page-aligned). */
int transfer_check(const struct transfer *x);
/* transfer_check, then the copy: the bytes copied, or the check's error, EXO_EINVAL for
 * GRANT_XFER_REMAP, or EXO_EFAULT from the hook. */
int64_t transfer_do(const struct transfer *x);

#endif
