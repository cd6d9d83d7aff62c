/* dev_mmio.c - in-QEMU test of MMIO mapped into a user address space (device_mmio_map,
 * docs/DEVICES.md), booted with 2+ CPUs: init finds the framebuffer BAR of QEMU's standard VGA device
 * (1234:1111) through device_enum, derives an MMIO capability for two of its pages, maps them
 * uncached and writes and reads back a pattern from ring 3; the call's errors; map_pages cannot map
 * over a device mapping; and revoking the capability while a context of another domain reads the
 * mapped page stops that context with a page fault at the load (the mapping went with the
 * capability, on the CPU that ran it too). */
#include "user/rt/rt.h"

#define DEV_PORT 2
#define DEV_MMIO 3

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define MMIO_VA   0x60000000ull
#define MEM_VA    0x61000000ull


static uint64_t Q, AS;
static volatile uint64_t reads, started;

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

extern const char mmio_load_insn[];
_Noreturn void reader_main(uint64_t va, uint64_t unused);
_Noreturn void reader_main(uint64_t va, uint64_t unused)
{
    (void)unused;
    started = 1;
    for (;;) {
        __asm__ volatile("mmio_load_insn: movl (%0), %%eax" : : "r"(va) : "rax", "memory");
        reads++;
    }
    ctx_exit();
}

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

static int stopped_at(int64_t c, const void *rip)
{
    struct exo_ctx_regs r;
    return exo_cpu_context_read_regs((uint64_t)c, &r) == 0 && r.r[EXO_CTX_RIP] == (uint64_t)rip;
}

int main(uint64_t a0, uint64_t a1)
{
    (void)a0, (void)a1;
    if (!tap_ok(rt_boot != 0 && rt_boot->device_root != 0, "mmio: init holds the root device capability"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    uint64_t root = rt_boot->device_root;
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;

    /* the VGA framebuffer BAR through device_enum */
    struct exo_pci_info pi;
    uint64_t fb = 0, fbsize = 0;
    int64_t n = exo_device_enum(root, 0, &pi);
    for (int64_t i = 0; i < n; i++) {
        if (exo_device_enum(root, (uint64_t)i, &pi) == n && pi.vendor == 0x1234 && pi.device == 0x1111 &&
            (pi.bar[0].kind == EXO_PCI_BAR_MEM32 || pi.bar[0].kind == EXO_PCI_BAR_MEM64) && pi.bar[0].size >= 2 * PG) {
            fb = pi.bar[0].base, fbsize = pi.bar[0].size;
        }
    }
    if (!tap_ok(fb != 0, "mmio: device_enum lists %lld functions; VGA 1234:1111 BAR0 at 0x%llx, %llu KiB", (long long)n,
                (unsigned long long)fb, (unsigned long long)(fbsize >> 10)))
        return tap_done();
    int64_t mm = exo_device_get_cap(root, DEV_MMIO, fb, 2 * PG, RW | EXO_R_MAP | EXO_R_DERIVE | EXO_R_TRANSFER, 0);
    int64_t m2 = exo_cap_derive((uint64_t)mm, RW | EXO_R_MAP, 0, 0);
    int64_t mro = exo_cap_derive((uint64_t)mm, EXO_R_READ | EXO_R_MAP, 0, 0);
    int64_t mnomap = exo_cap_derive((uint64_t)mm, RW, 0, 0);
    int64_t port = exo_device_get_cap(root, DEV_PORT, 0x3c0, 16, RW | EXO_R_MAP, 0);
    int64_t mem = exo_alloc_mem_pages(Q, 1, 0);
    tap_ok(mm > 0 && m2 > 0 && mro > 0 && mnomap > 0 && port > 0 && mem > 0,
           "mmio: a capability for two framebuffer pages, a read-only and a no-MAP copy");

    /* errors */
    tap_eq(exo_device_mmio_map(0x7fff0001, (uint64_t)m2, MMIO_VA, EXO_MAP_R, 0, 1), EXO_EBADHANDLE, "mmio_map: as names no slot: EBADHANDLE");
    tap_eq(exo_device_mmio_map(AS, Q, MMIO_VA, EXO_MAP_R, 0, 1), EXO_EWRONGTYPE, "mmio_map: a quota as dev: EWRONGTYPE");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)port, MMIO_VA, EXO_MAP_R, 0, 1), EXO_EWRONGTYPE, "mmio_map: a port capability: EWRONGTYPE");
    tap_eq(exo_device_mmio_map(AS, root, MMIO_VA, EXO_MAP_R, 0, 1), EXO_EWRONGTYPE, "mmio_map: the root capability: EWRONGTYPE");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)mnomap, MMIO_VA, EXO_MAP_R, 0, 1), EXO_EPERM, "mmio_map: without MAP: EPERM");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)mro, MMIO_VA, EXO_MAP_R | EXO_MAP_W, 0, 1), EXO_EPERM, "mmio_map: writable through a read-only capability: EPERM");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R | EXO_MAP_X, 0, 1), EXO_EINVAL, "mmio_map: executable: EINVAL");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, 0, 0, 1), EXO_EINVAL, "mmio_map: perms 0: EINVAL");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R, 0, 0), EXO_EINVAL, "mmio_map: 0 pages: EINVAL");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA + 4, EXO_MAP_R, 0, 1), EXO_EALIGN, "mmio_map: va not aligned: EALIGN");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R, 2, 1), EXO_EALIGN, "mmio_map: offset not aligned: EALIGN");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, 0xffff800000000000ull, EXO_MAP_R, 0, 1), EXO_ERANGE, "mmio_map: kernel half: ERANGE");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R, PG, 2), EXO_ERANGE, "mmio_map: past the capability's range: ERANGE");
    tap_eq(exo_map_pages(AS, (uint64_t)mem, MEM_VA, EXO_MAP_R | EXO_MAP_W, 0, 1), 0, "a memory page mapped");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MEM_VA, EXO_MAP_R, 0, 1), EXO_EEXIST, "mmio_map over the memory page: EEXIST");

    /* map, write, read back */
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R | EXO_MAP_W, 0, 2), 0, "mmio_map: both pages, read-write, uncached");
    volatile uint32_t *p = (volatile uint32_t *)MMIO_VA;
    for (unsigned i = 0; i < 2 * PG / 4; i++)
        p[i] = 0x9e3779b9u * (i + 1);
    unsigned bad = 0;
    for (unsigned i = 0; i < 2 * PG / 4; i++)
        bad += p[i] != 0x9e3779b9u * (i + 1);
    tap_ok(bad == 0, "ring 3 wrote 8 KiB of framebuffer and read it back (%u words differ)", bad);
    tap_eq(exo_map_pages(AS, (uint64_t)mem, MMIO_VA + PG, EXO_MAP_R, 0, 1), EXO_EEXIST, "map_pages over the device mapping: EEXIST");
    tap_eq(exo_unmap_pages(AS, MMIO_VA + PG, 1), 1, "unmap_pages takes the second page");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)mro, MMIO_VA + PG, EXO_MAP_R, PG, 1), 0, "and the read-only copy maps it again, read-only");
    tap_ok(p[PG / 4] == (uint32_t)(0x9e3779b9u * (PG / 4 + 1)), "the read-only mapping shows the same framebuffer word");

    /* revoke while another domain's context reads the page on CPU 1 */
    int64_t D = exo_domain_create(Q);
    int64_t stack = exo_alloc_mem_pages(Q, 1, 0);
    exo_map_pages(AS, (uint64_t)stack, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, 1);
    int64_t c = exo_cpu_context_alloc((uint64_t)D, AS);
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)reader_main;
    r.r[EXO_CTX_RSP] = STACKS_VA + PG - 8;
    r.r[EXO_CTX_RDI] = MMIO_VA;
    int ok = c > 0 && exo_cpu_context_write_regs((uint64_t)c, &r) == 0 &&
             exo_cpu_context_set_budget((uint64_t)c, 1000000, 1) == 0 && exo_cpu_context_start((uint64_t)c) == 0;
    ok = ok && WAIT_UNTIL(reads > 1000, 3000);
    tap_ok(ok, "a context of another domain reads the MMIO page (%llu reads)", (unsigned long long)reads);
    int64_t nrev = exo_cap_revoke((uint64_t)mm);
    tap_ok(nrev >= 3, "revoke the MMIO capability (%lld derived capabilities deleted)", (long long)nrev);
    tap_ok(WAIT_UNTIL(stopped_at(c, mmio_load_insn), 3000), "the reader is stopped at its load (#PF): the mapping went with the capability");
    uint64_t s = reads;
    tap_ok(WAIT_UNTIL(0, 50) == 0 && reads == s, "it reads no more");
    tap_eq(exo_device_mmio_map(AS, (uint64_t)m2, MMIO_VA, EXO_MAP_R, 0, 1), EXO_ESTALE, "mmio_map through the revoked capability: ESTALE");
    tap_eq(exo_map_pages(AS, (uint64_t)mem, MMIO_VA, EXO_MAP_R, 0, 1), 0, "the range is free again (a memory page maps there)");
    exo_unmap_pages(AS, MMIO_VA, 1);
    exo_unmap_pages(AS, MEM_VA, 1);
    exo_cap_delete((uint64_t)D);
    tap_eq(kexo_check(), 0, "kernel invariant check (device mapping records included)");
    return tap_done();
}
