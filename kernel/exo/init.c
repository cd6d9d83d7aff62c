/* init.c - the first domain: find `init` in the initramfs, check it (elf_parse), build its address
 * space and memory through the capability core exactly as a user program would (every step is a
 * syscall_dispatch on behalf of the root domain, so every check applies), then run it in ring 3.
 *
 * What init gets: a domain whose capability space holds the root QUOTA capability over all memory
 * free at that moment (every right), the ASPACE capability of its own address space, a MEMORY
 * capability per ELF segment and one for its 64 KiB stack. A struct kexo_boot describing them is at
 * the top of the stack, and rdi points at it (include/kexo/tmp_abi.h). Segments are first mapped
 * writable for the copy, then remapped with their own permissions (never W+X). */
#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/capcore.h"
#include "kernel/core/cpio.h"
#include "kernel/core/cspace.h"
#include "kernel/core/elf_load.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/syscall_decode.h"
#include "kernel/core/dev_obj.h"
#include "kernel/core/obj_console.h"
#include "kernel/exo/kexo.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define STACK_TOP   0x00007fffffff0000ull
#define STACK_PAGES 16ull

static struct domain *root;

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
    return syscall_dispatch(root, nr, a);
}

#define TRY(expr, what)                                                                     \
    do {                                                                                    \
        int64_t r_ = (expr);                                                                \
        if (r_ < 0) {                                                                       \
            kprintf("kexo: cannot start init: %s failed with %ld\n", what, (long)r_);       \
            return -3;                                                                      \
        }                                                                                   \
    } while (0)

static int64_t map_and_fill(uint64_t as, uint64_t q, const uint8_t *file, const struct elf_seg *s,
                            struct kexo_boot_seg *out)
{
    int64_t mem = call(EXO_SYS_ALLOC_MEM_PAGES, q, s->npages, 0, 0, 0, 0);
    if (mem < 0)
        return mem;
    int64_t r = call(EXO_SYS_MAP_PAGES, as, (uint64_t)mem, s->page_va, EXO_MAP_R | EXO_MAP_W, 0, s->npages);
    if (r == 0 && s->filesz)
        r = capenv_copyout((uaddr_t){s->vaddr}, file + s->offset, s->filesz);
    if (r == 0 && s->perms != (EXO_MAP_R | EXO_MAP_W)) {
        r = call(EXO_SYS_UNMAP_PAGES, as, s->page_va, s->npages, 0, 0, 0);
        if (r >= 0)
            r = call(EXO_SYS_MAP_PAGES, as, (uint64_t)mem, s->page_va, s->perms, 0, s->npages);
    }
    *out = (struct kexo_boot_seg){.vaddr = s->page_va, .npages = s->npages, .perms = s->perms, .mem = (uint64_t)mem};
    return r < 0 ? r : 0;
}

int kexo_run_init(const void *initrd, uint64_t initrd_len, const char *name)
{
    struct cpio_iter it;
    struct cpio_entry e;
    const char *why;
    int found = 0;
    cpio_iter_init(&it, initrd, initrd_len);
    while (!found && cpio_next(&it, &e, &why) == 1)
        found = !kstrcmp(e.name, name);
    if (!found) {
        kprintf("kexo: no '%s' in the initramfs; no user space to run\n", name);
        return -1;
    }
    static struct elf_image img;
    if (elf_parse(e.data, e.size, &img, &why)) {
        kprintf("kexo: '%s' is not a loadable executable: %s\n", name, why);
        return -2;
    }
    if (kexo_core_init()) {
        kprintf("kexo: no memory for the frame ledger\n");
        return -3;
    }
    exo_handle_t q;
    if (capcore_make_root(frames_pmm()->free_frames, &root, &q)) {
        kprintf("kexo: no memory for the root domain\n");
        return -3;
    }
    int64_t as_h = call(EXO_SYS_ADDRESS_SPACE_CREATE, q, 0, 0, 0, 0, 0);
    TRY(as_h, "address_space_create");
    uint64_t cookie = capenv_lock();
    struct cap *ac;
    if (cspace_lookup(&root->cs, (exo_handle_t)as_h, EXO_OBJ_ASPACE, 0, &ac))
        capenv_panic("init: the new address space is not in the root domain");
    struct aspace *as = (struct aspace *)ac->obj;
    obj_get(&as->hdr);
    as->hdr.krefs++;
    capenv_unlock(cookie);

    static struct kexo_boot boot;
    boot = (struct kexo_boot){.magic = KEXO_BOOT_MAGIC, .root_quota = q, .aspace = (uint64_t)as_h,
                              .nsegs = img.nseg};
    uspace_activate(as); /* copy-out goes to the new address space */
    for (unsigned i = 0; i < img.nseg; i++)
        TRY(map_and_fill((uint64_t)as_h, q, e.data, &img.seg[i], &boot.seg[i]), "loading a segment");
    int64_t stack = call(EXO_SYS_ALLOC_MEM_PAGES, q, STACK_PAGES, 0, 0, 0, 0);
    TRY(stack, "allocating the stack");
    boot.stack_mem = (uint64_t)stack;
    int64_t dev_h = dev_make_root(root); /* the device root (I/O ports, MMIO outside RAM, IRQ lines) */
    TRY(dev_h, "dev_make_root");
    boot.device_root = (uint64_t)dev_h;
    int64_t con_h = console_make_root(root); /* the console: exo_debug_write needs WRITE on it */
    TRY(con_h, "console_make_root");
    boot.console = (uint64_t)con_h;
    boot.stack_lo = STACK_TOP - STACK_PAGES * 4096;
    boot.stack_pages = STACK_PAGES;
    TRY(call(EXO_SYS_MAP_PAGES, (uint64_t)as_h, (uint64_t)stack, boot.stack_lo, EXO_MAP_R | EXO_MAP_W, 0,
             STACK_PAGES), "mapping the stack");
    uint64_t bi = (STACK_TOP - sizeof boot) & ~15ull;
    TRY(capenv_copyout((uaddr_t){bi}, &boot, sizeof boot), "writing the boot information");
    uspace_activate(0);
    kprintf("kexo: starting init '%s' (%u segments, entry 0x%lx)\n", name, img.nseg, img.entry);
    int64_t res = krun_init(root, as, img.entry, bi, bi); /* init is a context on CPU 0 (krun.c) */
    kprintf("kexo: %lu system calls served", kexo_syscalls_total());
    if (kexo_check_each_call)
        kprintf(", each followed by the invariant check (%lu checks, all passed)", kexo_checks);
    kprintf("\n");
    kprintf("kexo: init ended: %s %ld\n", res & KEXO_RUN_FAULT ? "killed by exception" : "exit status",
            (long)(res & KEXO_RUN_FAULT ? res & 0xff : res));
    return (int)(res == 0 ? 0 : res < 0 ? -3 : 1);
}
