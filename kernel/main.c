/* main.c - kmain: the boot CPU's path from the long-mode entry to the kernel's "main job".
 *
 * Order matters: console and exceptions first (so anything later can report), then the boot
 * information (through the boot identity map), the memory map and the frame allocator, then the
 * kernel page tables, ACPI, the local APIC and the other CPUs. Bad boot input that leaves no way
 * forward (no memory map, no usable memory) ends in boot_fail: one clear message, then a clean halt.
 * For now the main job is: banner, self-checks, initramfs listing, halt (or the in-kernel tests in a
 * -DPLADOF_KTEST build). */
#include <stdint.h>

#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/power.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/syscall.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/boot/boot_state.h"
#include "kernel/boot/selfcheck.h"
#include "kernel/exo/rng.h"
#include "kernel/core/cpio.h"
#include "kernel/core/mmap.h"
#include "kernel/exo/kexo.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

void kmain(uint32_t magic, uint32_t info_pa);
#ifdef PLADOF_KTEST
__attribute__((noreturn)) void ktest_main(void);
#endif

struct boot_state boot;
extern const char _kernel_phys_start[], _kernel_phys_end[];
/* IST stacks for the boot CPU until its guarded stacks are mapped (a #DF this early still reports). */
static uint8_t early_ist[3][IST_STACK_SIZE] __attribute__((aligned(16)));

__attribute__((noreturn)) static void boot_fail(const char *what, const char *why)
{
    kprintf("\nPLADOF cannot boot: %s: %s\nPLADOF halted.\n", what, why);
    machine_exit(EXIT_PANIC);
}

/* Before paging_init, physical memory below 4 GiB is identity-mapped by boot.S. */
static const void *identity_read(void *ctx, uint64_t pa, size_t len)
{
    (void)ctx;
    if (len == 0 || pa == 0 || pa > (1ull << 32) || len > (1ull << 32) - pa)
        return 0;
    return (const void *)(uintptr_t)pa;
}

const char *cmdline_get(const char *key, char *buf, size_t cap)
{
    size_t kl = kstrlen(key);
    for (const char *p = boot.bi.cmdline; *p;) {
        while (*p == ' ')
            p++;
        if (kstrncmp(p, key, kl) == 0 && p[kl] == '=') {
            p += kl + 1;
            size_t n = 0;
            while (p[n] && p[n] != ' ' && n + 1 < cap)
                buf[n] = p[n], n++;
            buf[n] = 0;
            return buf;
        }
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

static void read_expectations(void)
{
    char v[16];
    boot.expect_cpus = -1;
    boot.expect_initrd = -1;
    if (cmdline_get("ktest.cpus", v, sizeof v)) {
        boot.expect_cpus = 0;
        for (char *c = v; *c >= '0' && *c <= '9'; c++)
            boot.expect_cpus = boot.expect_cpus * 10 + (*c - '0');
    }
    boot.expect_numa = -1;
    if (cmdline_get("ktest.numa", v, sizeof v))
        boot.expect_numa = v[0] - '0';
    boot.expect_failed_cpus = 0;
    if (cmdline_get("ktest.cpus_failed", v, sizeof v))
        boot.expect_failed_cpus = v[0] - '0';
    if (cmdline_get("ktest.initrd", v, sizeof v))
        boot.expect_initrd = !kstrcmp(v, "ok") ? INITRD_OK : !kstrcmp(v, "bad") ? INITRD_BAD : INITRD_NONE;
}

static void memory_init(uint32_t magic, uint32_t info_pa)
{
    const char *why;
    if (boot_info_parse(magic, info_pa, identity_read, 0, &boot.bi, &why) != BI_OK)
        boot_fail("boot information", why);
    if (boot.bi.warnings)
        kprintf("boot: loader information was odd but usable (warnings 0x%x)\n", boot.bi.warnings);
    int r = mmap_sanitize(boot.bi.mem, boot.bi.nmem, boot.map, sizeof boot.map / sizeof boot.map[0], &boot.nmap);
    if (r == MMAP_EEMPTY)
        boot_fail("memory map", "no usable memory in the loader's memory map");
    if (r != MMAP_OK)
        boot_fail("memory map", "too many regions after sanitising");
    boot.modules_dropped = boot_modules_check(&boot.bi, (uint64_t)_kernel_phys_start, (uint64_t)_kernel_phys_end, &why);
    if (boot.modules_dropped)
        kprintf("boot: %zu boot module(s) dropped: %s\n", boot.modules_dropped, why);
    kprintf("memory map (sanitised):\n");
    for (size_t i = 0; i < boot.nmap; i++)
        kprintf("  %016lx-%016lx %s\n", boot.map[i].base, boot.map[i].base + boot.map[i].len - 1,
                mem_type_name(boot.map[i].type));
    if (frames_init(&boot.bi, boot.map, boot.nmap, &why))
        boot_fail("frame allocator", why);
    if (paging_init(boot.map, boot.nmap, &why))
        boot_fail("page tables", why);
}

static void initrd_init(void)
{
    if (boot.bi.nmod == 0) {
        boot.initrd_status = INITRD_NONE;
        kprintf("initramfs: none given (boot with -initrd or a GRUB module); nothing to list\n");
        return;
    }
    const struct boot_module *m = &boot.bi.mod[0];
    boot.initrd = phys_to_virt(m->start);
    boot.initrd_len = m->end - m->start;
    const char *why;
    boot.initrd_entries = cpio_count(boot.initrd, boot.initrd_len, &why);
    if (boot.initrd_entries < 0) {
        boot.initrd_status = INITRD_BAD;
        boot.initrd_error = why;
        kprintf("initramfs: module 0 (%zu bytes) is not a usable cpio newc archive: %s; continuing without it\n",
                boot.initrd_len, why);
        return;
    }
    boot.initrd_status = INITRD_OK;
    kprintf("initramfs: %d entries, %zu bytes:\n", boot.initrd_entries, boot.initrd_len);
    struct cpio_iter it;
    struct cpio_entry e;
    cpio_iter_init(&it, boot.initrd, boot.initrd_len);
    while (cpio_next(&it, &e, &why) == 1)
        kprintf("  %06o %8zu  %s\n", e.mode, e.size, e.name);
}

static void banner(void)
{
    uint64_t total = (uint64_t)frames_pmm()->total_frames * 4096, freeb = (uint64_t)frames_pmm()->free_frames * 4096;
    const char *accel = !cpu_feat.hypervisor ? "none (bare metal?)"
                        : !kstrcmp(cpu_feat.hypervisor_sig, "TCGTCGTCGTCG") ? "QEMU TCG (emulation)"
                        : !kstrncmp(cpu_feat.hypervisor_sig, "KVMKVMKVM", 9) ? "KVM (hardware virtualisation)"
                                                                         : cpu_feat.hypervisor_sig;
    kprintf("\n== PLADOF exokernel ==\n");
    kprintf("CPUs: %u online of %u listed%s\n", smp.online, smp.listed, smp.failed ? " (some did not answer)" : "");
    kprintf("memory: %lu MiB allocatable, %lu MiB free\n", total >> 20, freeb >> 20);
    kprintf("accelerator: %s; CPU vendor %s\n", accel, cpu_feat.vendor);
    kprintf("protections: NX on, W^X kernel mappings, SMEP %s, SMAP %s, UMIP %s\n", cpu_feat.smep ? "on" : "absent",
            cpu_feat.smap ? "on" : "absent", cpu_feat.umip ? "on" : "absent");
}

/* The rest of boot, on the boot CPU's guarded kernel stack (the boot stack in .bss has no guard). */
__attribute__((noreturn)) static void kmain_on_kstack(void)
{
    acpi_init(&boot.bi);
    apic_init_bsp(acpi.have_madt ? acpi.madt.lapic_pa : 0);
    irq_enable();
    smp_start();
    tlb_init();         /* cross-CPU shootdown from here on (all CPUs are up) */
    c2env_init();       /* reschedule IPI handler (issue-4 core hooks) */
    syscall_init_cpu(); /* user domains run on the boot CPU only until issue 4 */
    initrd_init();
    banner();
    rng_init();         /* the kernel DRBG, seeded from RDSEED/RDRAND + jitter (lib/crypto) */
#ifdef PLADOF_KTEST
    ktest_main();
#endif
    int failed = selfcheck_run();
    kprintf("self-checks: %s\n", failed ? "SOME FAILED" : "all passed");
    if (boot.initrd_status == INITRD_OK) {
        char name[64] = "init";
        cmdline_get("init", name, sizeof name);
        char chk[4];
        kexo_check_each_call = cmdline_get("kexo.check", chk, sizeof chk) && chk[0] == '1';
        int r = kexo_run_init(boot.initrd, boot.initrd_len, name);
        if (r != -1) { /* -1: no init in the initramfs */
            kprintf("PLADOF: init is done; halting.\n");
            machine_exit(failed || r != 0 ? EXIT_TEST_FAILED : EXIT_OK);
        }
    }
    kprintf("PLADOF: nothing more to do (no init to run); halting.\n");
    machine_exit(failed ? EXIT_TEST_FAILED : EXIT_OK);
}

void kmain(uint32_t magic, uint32_t info_pa)
{
    serial_init();
    cpu_detect();
    idt_init();
    struct percpu *bsp = &percpu_area[0];
    for (int i = 0; i < 3; i++)
        bsp->tss.ist[i] = (uint64_t)early_ist[i] + IST_STACK_SIZE;
    percpu_load(bsp);
    kprintf("PLADOF: booted by multiboot %d loader\n", magic == MB2_BOOT_MAGIC ? 2 : 1);

    memory_init(magic, info_pa);
    read_expectations();
    if (kstack_map(bsp))
        boot_fail("kernel stacks", "out of memory");
    cpu_enable_protections();
    kprintf("memory: %zu map regions, %lu MiB allocatable; kernel page tables active\n", boot.nmap,
            frames_pmm()->total_frames >> 8);
    /* switch stacks; a zero return address ends backtraces here */
    __asm__ volatile("movq %0, %%rsp\n xorl %%ebp, %%ebp\n pushq $0\n jmp *%1"
                     : : "r"(bsp->kstack_top), "r"(kmain_on_kstack) : "memory");
    __builtin_unreachable();
}
