/* ioapic.c - I/O APIC redirection programming (see ioapic.h). Register layout: Intel 82093AA
 * datasheet, 3.1-3.2 (IOAPICVER at 1, redirection entry n at 0x10 + 2n, low dword then high). */
#include "kernel/arch/x86_64/ioapic.h"

#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/lib/spinlock.h"

struct ioapic_state ioapic;
static spinlock_t lock = SPINLOCK_INIT;   /* IOREGSEL/IOWIN is a shared pair */

#define RTE_MASKED (1ull << 16)
#define RTE_LEVEL (1ull << 15)
#define RTE_ACTIVE_LOW (1ull << 13)

static uint32_t rd(uint32_t reg)
{
    ioapic.regs[0] = reg;
    return ioapic.regs[4];
}

static void wr(uint32_t reg, uint32_t v)
{
    ioapic.regs[0] = reg;
    ioapic.regs[4] = v;
}

bool ioapic_init(void)
{
    if (ioapic.regs)
        return true;
    if (!acpi.have_madt || acpi.madt.nioapic == 0)
        return false;
    volatile uint32_t *r = mmio_map(acpi.madt.ioapic[0].addr, 0x20);
    if (!r)
        return false;
    ioapic.id = acpi.madt.ioapic[0].id;
    ioapic.gsi_base = acpi.madt.ioapic[0].gsi_base;
    uint64_t f = spin_lock(&lock);
    r[0] = 1;   /* IOAPICVER */
    ioapic.nredir = ((r[4] >> 16) & 0xffu) + 1u;
    spin_unlock(&lock, f);
    /* published last: pin_of() treats a NULL regs as "no I/O APIC" */
    __atomic_store_n(&ioapic.regs, r, __ATOMIC_RELEASE);
    return true;
}

static bool pin_of(uint32_t gsi, uint32_t *pin)
{
    if (!ioapic.regs || gsi < ioapic.gsi_base || gsi - ioapic.gsi_base >= ioapic.nredir)
        return false;
    *pin = gsi - ioapic.gsi_base;
    return true;
}

bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool level, bool active_low)
{
    uint32_t pin;
    if (!pin_of(gsi, &pin) || vector < 0x20 || dest > 0xff)
        return false;
    uint64_t lo = vector | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0);
    uint64_t f = spin_lock(&lock);
    wr(0x10 + 2 * pin, (uint32_t)(lo | RTE_MASKED));   /* masked while the destination changes */
    wr(0x11 + 2 * pin, dest << 24);
    wr(0x10 + 2 * pin, (uint32_t)lo);
    spin_unlock(&lock, f);
    return true;
}

bool ioapic_mask(uint32_t gsi, bool masked)
{
    uint32_t pin;
    if (!pin_of(gsi, &pin))
        return false;
    uint64_t f = spin_lock(&lock);
    uint32_t lo = rd(0x10 + 2 * pin);
    wr(0x10 + 2 * pin, masked ? (lo | (uint32_t)RTE_MASKED) : (lo & ~(uint32_t)RTE_MASKED));
    spin_unlock(&lock, f);
    return true;
}

uint64_t ioapic_entry(uint32_t gsi)
{
    uint32_t pin;
    if (!pin_of(gsi, &pin))
        return 0;
    uint64_t f = spin_lock(&lock);
    uint64_t v = rd(0x10 + 2 * pin) | (uint64_t)rd(0x11 + 2 * pin) << 32;
    spin_unlock(&lock, f);
    return v;
}
