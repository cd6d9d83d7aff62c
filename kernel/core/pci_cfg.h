/* pci_cfg.h - portable PCI configuration-space logic: header parsing (type 0/1/2), BAR decoding from
 * the value and the all-ones size probe (32-bit, 64-bit and I/O BARs), capability-list walk, and a
 * brute-force bus/device/function enumeration over an access-ops table (ECAM or ports 0xCF8/0xCFC are
 * supplied by the arch code or by a test). Every input is treated as untrusted: a device or an
 * emulator may present any bytes, so nothing here reads outside the buffer it is given. */
#ifndef PLADOF_KERNEL_CORE_PCI_CFG_H
#define PLADOF_KERNEL_CORE_PCI_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_CFG_HDR_SIZE 64u   /* the standard header */
#define PCI_CFG_SIZE     256u  /* conventional configuration space (capability list lives here) */
#define PCI_MAX_BARS     6u
#define PCI_MAX_CAPS     48u   /* (256 - 64) / 4: a longer list must loop */

/* Results; negative values name the defect. */
enum pci_err {
    PCI_OK = 0,
    PCI_ENODEV = -1,    /* vendor id 0xFFFF (no function) or 0x0000 (invalid) */
    PCI_ESHORT = -2,    /* buffer shorter than the header */
    PCI_EHDRTYPE = -3,  /* header type other than 0, 1, 2 */
    PCI_EBAR = -4,      /* a BAR with a reserved type, a non power-of-two size, a misaligned base, wrap */
    PCI_ECAPPTR = -5,   /* capability pointer inside the header or past the buffer */
    PCI_ECAPLOOP = -6,  /* capability list longer than PCI_MAX_CAPS entries (a loop) */
    PCI_EFULL = -7,     /* enumeration found more functions than the table holds */
};

enum pci_bar_kind { PCI_BAR_NONE = 0, PCI_BAR_IO = 1, PCI_BAR_MEM32 = 2, PCI_BAR_MEM64 = 3 };

struct pci_bar {
    uint8_t kind;      /* enum pci_bar_kind */
    uint8_t prefetch;  /* memory BARs: bit 3 */
    uint8_t index;     /* BAR register index 0..5 (a 64-bit BAR also uses index + 1) */
    uint64_t base;     /* bus address; 0 with size > 0 means "not assigned by firmware" */
    uint64_t size;     /* bytes; 0 for an unimplemented BAR */
};

struct pci_header {
    uint16_t vendor, device;
    uint16_t command, status;
    uint8_t revision, progif, subclass, class_code;
    uint8_t header_type;     /* 0 device, 1 PCI-PCI bridge, 2 CardBus bridge (bit 7 stripped) */
    bool multifunction;      /* header type bit 7 */
    uint8_t irq_line, irq_pin;
    uint8_t primary_bus, secondary_bus, subordinate_bus; /* type 1 only */
    uint8_t nbars;           /* BAR registers the header type has (6, 2 or 1) */
    struct pci_bar bar[PCI_MAX_BARS]; /* decoded; bar[i].kind NONE for unused slots */
    uint8_t ncaps;
    uint8_t cap_id[PCI_MAX_CAPS], cap_off[PCI_MAX_CAPS];
};

/* Decodes one BAR. lo/hi: the register values (hi only for a 64-bit BAR); mlo/mhi: what the registers
 * read back after all-ones were written (the size probe). has_hi: false when lo is the last BAR
 * register, so a 64-bit BAR there is malformed. Returns PCI_OK or PCI_EBAR with *why set. */
int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mlo, uint32_t mhi, bool has_hi, uint8_t index,
                   struct pci_bar *out, const char **why);

/* Parses a configuration-space image of len bytes (at least PCI_CFG_HDR_SIZE; the capability list is
 * only followed inside len). masks: the six BAR size-probe read-backs in register order, or NULL (then
 * BAR sizes are 0 and only kinds and bases are decoded). */
int pci_parse_header(const uint8_t *cfg, size_t len, const uint32_t *masks, struct pci_header *out,
                     const char **why);

/* Configuration access for enumeration: offsets are dword aligned, below 256. */
struct pci_access {
    void *ctx;
    uint32_t (*read32)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
    void (*write32)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v);
};

struct pci_func {
    uint8_t bus, dev, fn;
    int status;              /* PCI_OK or the parse error (the function is still listed) */
    struct pci_header hdr;
};

/* Probes the sizes of a function's BARs (decoding disabled in the command register while all-ones are
 * written, every register restored) and parses its header. */
int pci_read_function(const struct pci_access *a, uint8_t bus, uint8_t dev, uint8_t fn, struct pci_func *out);

/* Scans buses bus_first..bus_last, devices 0..31, function 0 and (if multi-function) 1..7; stores at
 * most cap functions. Returns the count, or PCI_EFULL after filling the table. */
int pci_enumerate(const struct pci_access *a, uint8_t bus_first, uint8_t bus_last, struct pci_func *out,
                  size_t cap);

#endif
