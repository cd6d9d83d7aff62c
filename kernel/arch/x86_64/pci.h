/* pci.h - x86-64 PCI configuration access and the boot-time device table: configuration mechanism #1
 * (ports 0xCF8/0xCFC, under a lock because the address/data pair is shared state) and ECAM through
 * the ACPI MCFG window (mapped uncached in the MMIO window). Enumeration and parsing are the portable
 * kernel/core/pci_cfg.c; this file supplies the access ops. docs/DEVICES.md. */
#ifndef PLADOF_KERNEL_ARCH_PCI_H
#define PLADOF_KERNEL_ARCH_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include "kernel/core/pci_cfg.h"
#include "kernel/core/pci_mcfg.h"

#define PCI_ARCH_MAX_FUNCS 64
#define PCI_ARCH_MAX_BUSES 16   /* buses mapped and scanned (ECAM: 1 MiB each) */

struct pci_state {
    bool have_mcfg;              /* a valid MCFG with a window for segment 0 */
    struct mcfg_window ecam;     /* segment 0's window */
    volatile uint8_t *ecam_va;   /* mapping of buses ecam.start_bus .. ecam_last_bus */
    uint8_t ecam_last_bus;
    int nfunc;                   /* functions found, or a PCI_E* error */
    struct pci_func func[PCI_ARCH_MAX_FUNCS];
};
extern struct pci_state pci;

/* Access through ports 0xCF8/0xCFC (always present on PC-compatible machines). */
extern const struct pci_access pci_port_access;
/* Access through ECAM; valid only after pci_arch_init found an MCFG (reads of unmapped buses return
 * all-ones, writes there are dropped). */
extern const struct pci_access pci_ecam_access;

/* Finds the MCFG (after acpi_init), maps segment 0's ECAM window and enumerates buses 0..
 * PCI_ARCH_MAX_BUSES-1 through ECAM (ports when there is no MCFG) into `pci`. Idempotent. Prints one
 * line per function. Returns pci.nfunc. */
int pci_arch_init(void);

#endif
