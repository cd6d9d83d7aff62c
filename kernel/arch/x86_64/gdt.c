/* gdt.c - per-CPU GDT, TSS and stacks (see percpu.h). */
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/paging.h"
#include "lib/base/mem.h"

struct percpu percpu_area[MAX_CPUS];
uint32_t ncpus_online;

/* Virtual layout of one CPU's slot in the KSTACK region (KSTACK_STRIDE bytes):
 *   [guard 4K][kernel stack 16K][guard 4K][#DF 8K][guard 4K][NMI 8K][guard 4K][#MC 8K] */
static uint64_t slot(uint32_t cpu) { return KSTACK_BASE + (uint64_t)cpu * KSTACK_STRIDE; }
#define KSTACK_OFF 0x1000
#define IST_OFF(i) (KSTACK_OFF + KSTACK_SIZE + 0x1000 + (uint64_t)(i) * (IST_STACK_SIZE + 0x1000))

int kstack_map(struct percpu *cpu)
{
    uint64_t base = slot(cpu->stack_slot);
    struct {
        uint64_t off, size;
    } st[4] = {{KSTACK_OFF, KSTACK_SIZE}, {IST_OFF(0), IST_STACK_SIZE}, {IST_OFF(1), IST_STACK_SIZE},
               {IST_OFF(2), IST_STACK_SIZE}};
    for (int i = 0; i < 4; i++) {
        for (uint64_t o = 0; o < st[i].size; o += 4096) {
            uint64_t pa = frame_alloc_zeroed();
            if (pa == FRAME_NONE)
                return -1;
            if (paging_map(kernel_pml4, base + st[i].off + o, pa, 1, PTE_W | PTE_NX | PTE_G))
                return -1;
        }
    }
    cpu->kstack_top = base + KSTACK_OFF + KSTACK_SIZE;
    cpu->tss.rsp[0] = cpu->kstack_top;
    for (int i = 0; i < 3; i++)
        cpu->tss.ist[i] = base + IST_OFF(i) + IST_STACK_SIZE;
    return 0;
}

static uint64_t seg(uint64_t flags) { return flags | 0xFFFF | (0xFull << 48); }

void percpu_load(struct percpu *cpu)
{
    cpu->self = cpu;
    cpu->expect.vector = -1;
    cpu->gdt[0] = 0;
    cpu->gdt[1] = seg(0x00A09A0000000000); /* kernel code: present, DPL0, code, L */
    cpu->gdt[2] = seg(0x00C0920000000000); /* kernel data */
    cpu->gdt[3] = seg(0x00C0FA0000000000); /* user code 32 (placeholder for SYSRET layout) */
    cpu->gdt[4] = seg(0x00C0F20000000000); /* user data */
    cpu->gdt[5] = seg(0x00A0FA0000000000); /* user code 64 */
    uint64_t t = (uint64_t)&cpu->tss, lim = sizeof(struct tss) + sizeof cpu->iopb - 1;
    /* The bitmap follows the TSS; iopb.c points iopb_offset at it for a domain with ports. 0xFFFF lies
     * beyond the limit: every port denied to user mode, the bitmap unused. */
    cpu->tss.iopb_offset = 0xFFFF;
    memset(cpu->iopb, 0xff, sizeof cpu->iopb);
    cpu->gdt[6] = (lim & 0xFFFF) | ((t & 0xFFFFFF) << 16) | (0x89ull << 40) | (((lim >> 16) & 0xF) << 48) |
                  (((t >> 24) & 0xFF) << 56);
    cpu->gdt[7] = t >> 32;

    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } gdtr = {sizeof cpu->gdt - 1, (uint64_t)cpu->gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq $0x08\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1: movw $0x10, %%ax\n"
                     "movw %%ax, %%ds\n"
                     "movw %%ax, %%es\n"
                     "movw %%ax, %%ss\n"
                     "xorl %%eax, %%eax\n"
                     "movw %%ax, %%fs\n"
                     "movw %%ax, %%gs\n"
                     :
                     : "m"(gdtr)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
    wrmsr(MSR_GS_BASE, (uint64_t)cpu);
    wrmsr(MSR_KERNEL_GS, 0);
    idt_load();
}
