/* boot_state.h - what kmain learned while booting, for the banner, the self-checks and the in-kernel
 * tests: the parsed boot information, the sanitised memory map, the initramfs and its status, and the
 * expectations passed on the command line (ktest.cpus=N, ktest.cpus_failed=N, ktest.initrd=ok|bad|none). */
#ifndef PLADOF_KERNEL_BOOT_STATE_H
#define PLADOF_KERNEL_BOOT_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/core/boot_info.h"

enum initrd_status { INITRD_NONE, INITRD_OK, INITRD_BAD };

struct boot_state {
    struct boot_info bi;
    struct mem_region map[2 * BI_MAX_REGIONS + 1];
    size_t nmap;
    size_t modules_dropped;
    const uint8_t *initrd;  /* direct-map address of module 0, or NULL */
    size_t initrd_len;
    enum initrd_status initrd_status;
    const char *initrd_error;
    int initrd_entries;
    int expect_cpus;        /* from ktest.cpus=, or -1 */
    int expect_failed_cpus; /* from ktest.cpus_failed= (with ktest.smp_mute=), default 0 */
    int expect_initrd;      /* enum initrd_status from ktest.initrd=, or -1 */
    int expect_numa;        /* NUMA domains from ktest.numa=, or -1 (then an SRAT is optional) */
};
extern struct boot_state boot;

/* Value of "key=value" in the command line (copied into buf), or NULL. */
const char *cmdline_get(const char *key, char *buf, size_t cap);

#endif
