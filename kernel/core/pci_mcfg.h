/* pci_mcfg.h - parser for the ACPI MCFG table (PCI Firmware Specification 3.0, 4.1.2): the ECAM
 * (memory-mapped configuration) windows, one per PCI segment group and bus range. The table comes from
 * firmware and is untrusted: length, checksum and every window are checked before use. Portable. */
#ifndef PLADOF_KERNEL_CORE_PCI_MCFG_H
#define PLADOF_KERNEL_CORE_PCI_MCFG_H

#include <stddef.h>
#include <stdint.h>

#define MCFG_MAX_WINDOWS 8
#define MCFG_HDR_SIZE 44u    /* 36-byte ACPI header + 8 reserved bytes */
#define MCFG_ENTRY_SIZE 16u

enum mcfg_err { MCFG_OK = 0, MCFG_ESIG = -1, MCFG_ELEN = -2, MCFG_ECSUM = -3, MCFG_EWINDOW = -4 };

struct mcfg_window {
    uint64_t base;           /* physical address of bus start_bus, device 0, function 0 */
    uint16_t segment;
    uint8_t start_bus, end_bus;
};

struct mcfg_info {
    size_t n;
    struct mcfg_window win[MCFG_MAX_WINDOWS];
    unsigned dropped;        /* valid entries beyond MCFG_MAX_WINDOWS */
};

/* Parses the table at t (len bytes available). Windows with end_bus < start_bus, a base not aligned to
 * 1 MiB or a window that wraps the 64-bit address space reject the table (MCFG_EWINDOW). */
int mcfg_parse(const uint8_t *t, size_t len, struct mcfg_info *out, const char **why);

/* Physical address of one function's 4 KiB configuration page, or 0 if the window does not cover bus. */
uint64_t mcfg_func_addr(const struct mcfg_window *w, uint8_t bus, uint8_t dev, uint8_t fn);

#endif
