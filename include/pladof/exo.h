/* exo.h - the PLADOF user-kernel ABI: handles, rights, object types, flags, limits and structures.
 *
 * This tree (include/pladof/) is the only kernel interface user space includes, and it never includes a
 * kernel header. System call numbers and error codes are generated from syscalls.tbl into
 * exo_syscalls.h (included below); docs/SYSCALLS.md documents every call and docs/CAPABILITIES.md the
 * model. Values here are ABI: a value once shipped keeps its meaning. */
#ifndef PLADOF_EXO_H
#define PLADOF_EXO_H

#include <stdint.h>

#include "exo_syscalls.h"

/* ---- handles ------------------------------------------------------------------------------- */
/* A handle names a capability in the caller's capability space: bits 0..31 are the slot index, bits
 * 32..62 the slot's generation (never 0 for an occupied slot), bit 63 is 0 so that every valid handle is
 * a non-negative result. A handle whose generation no longer matches fails with EXO_ESTALE. */
typedef uint64_t exo_handle_t;
#define EXO_HANDLE_NONE        ((exo_handle_t)0)  /* never names a capability */
#define EXO_HANDLE_SLOT(h)     ((uint32_t)((h) & 0xffffffffu))  /* slot index of a handle */
#define EXO_HANDLE_GEN(h)      ((uint32_t)(((h) >> 32) & 0x7fffffffu))  /* generation of a handle */
#define EXO_HANDLE_MAKE(s,g)   ((exo_handle_t)(((uint64_t)((g) & 0x7fffffffu) << 32) | (uint32_t)(s)))  /* handle from slot and generation */

/* ---- rights: a bit mask; the meet of two masks is AND, derive never widens -------------------- */
#define EXO_R_READ      (1u << 0)  /* memory: map readable; a quota passes it to the memory it makes */
#define EXO_R_WRITE     (1u << 1)  /* memory: map writable */
#define EXO_R_EXEC      (1u << 2)  /* memory: map executable */
#define EXO_R_WX        (1u << 3)  /* memory: map writable and executable at once (W^X exception) */
#define EXO_R_MAP       (1u << 4)  /* memory: may be mapped; address space: may map and unmap in it */
#define EXO_R_DERIVE    (1u << 5)  /* may derive children (exo_cap_derive) */
#define EXO_R_TRANSFER  (1u << 6)  /* may be copied or moved to another domain */
#define EXO_R_GRANT     (1u << 7)  /* domain: may put capabilities into its capability space */
#define EXO_R_ALLOC     (1u << 8)  /* quota: may allocate objects charged to it, or split it */
#define EXO_R_INVOKE    (1u << 9)  /* may be invoked (exo_cap_invoke) */
#define EXO_R_CTX_START     (1u << 10)  /* CPU context: make runnable, resume after stop, directed yield to it */
#define EXO_R_CTX_STOP      (1u << 11)  /* CPU context: stop */
#define EXO_R_CTX_READREGS  (1u << 12)  /* CPU context: read the register state of a stopped context */
#define EXO_R_CTX_WRITEREGS (1u << 13)  /* CPU context: write the register state of a stopped or new context */
#define EXO_R_CTX_BUDGET    (1u << 14)  /* CPU context: set the time budget and the CPU */
/* Rights of the event, timer and asynchronous-operation objects: type-specific like the CPU-context rights
 * (bits 10..12 mean something only on a capability of their type). */
#define EXO_R_EV_WAIT     (1u << 10)  /* EVENT set: wait for and take records (exo_event_wait) */
#define EXO_R_EV_POST     (1u << 11)  /* EVENT set: post records (exo_event_deliver); bind timers, tokens, services, IRQs to it */
#define EXO_R_TIMER_ARM   (1u << 10)  /* TIMER: arm and cancel; be the target of a timer operation */
#define EXO_R_TOK_SUBMIT  (1u << 10)  /* ASYNC_TOKEN: submit an operation on it */
#define EXO_R_TOK_RESULT  (1u << 11)  /* ASYNC_TOKEN: poll or wait for (and so consume) its result */
#define EXO_R_TOK_CANCEL  (1u << 12)  /* ASYNC_TOKEN: cancel its pending operation */
#define EXO_R_SVC_SUBMIT  (1u << 10)  /* SERVICE: submit requests to it (as the target of a token) */
#define EXO_R_SVC_SERVE   (1u << 11)  /* SERVICE: receive and complete its requests */
#define EXO_R_ALL       0x7fffu  /* every right (the root quota's mask) */
/* The rights that carry over from a quota capability to the objects allocated through it. */
#define EXO_R_MEM_ALL    0x27fu  /* READ WRITE EXEC WX MAP DERIVE TRANSFER INVOKE: memory rights */
#define EXO_R_ASPACE_ALL 0x270u  /* MAP DERIVE TRANSFER INVOKE: address-space rights */
#define EXO_R_DOMAIN_ALL 0x2e0u  /* GRANT DERIVE TRANSFER INVOKE: domain rights */
_Static_assert(EXO_R_MEM_ALL == (EXO_R_READ | EXO_R_WRITE | EXO_R_EXEC | EXO_R_WX | EXO_R_MAP | EXO_R_DERIVE |
                                 EXO_R_TRANSFER | EXO_R_INVOKE), "EXO_R_MEM_ALL");
_Static_assert(EXO_R_ASPACE_ALL == (EXO_R_MAP | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE), "EXO_R_ASPACE_ALL");
_Static_assert(EXO_R_DOMAIN_ALL == (EXO_R_GRANT | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE), "EXO_R_DOMAIN_ALL");

/* ---- object types ---------------------------------------------------------------------------- */
#define EXO_OBJ_NONE         0  /* an empty slot; never the type of a capability */
#define EXO_OBJ_QUOTA        1  /* a memory-allocation capability: a page budget objects are charged to */
#define EXO_OBJ_MEMORY       2  /* physical frames owned through one capability tree */
#define EXO_OBJ_ASPACE       3  /* an address space (page tables + mapping records) */
#define EXO_OBJ_DOMAIN       4  /* a protection domain: owns a capability space */
#define EXO_OBJ_CPU_CONTEXT  5  /* a CPU context: registers, budget, run queue (exo_cpu_context_alloc) */
#define EXO_OBJ_EVENT        6  /* an event set: a ring of event records, one waiter (exo_evset_create) */
#define EXO_OBJ_TIMER        7  /* a one-shot or periodic timer posting to an event set (exo_timer_create) */
#define EXO_OBJ_GRANT        8  /* a window of an address space for exo_transfer_data (exo_grant_create) */
#define EXO_OBJ_DEVICE       9  /* reserved: device capabilities */
#define EXO_OBJ_ASYNC_TOKEN  10 /* a completion token for asynchronous operations (exo_async_token_create) */
#define EXO_OBJ_CONSOLE      11 /* the kernel's debug console (exo_debug_write needs WRITE on it) */
#define EXO_OBJ_SERVICE      12 /* a service's request queue for asynchronous operations (exo_service_create) */
#define EXO_OBJ_TYPE_LIMIT   13 /* one past the highest type */

/* ---- exo_alloc_mem_pages flags --------------------------------------------------------------- */
#define EXO_MEM_CONTIG  (1u << 0)  /* one physically contiguous run */
#define EXO_MEM_ZERO    (1u << 1)  /* zeroed: accepted for clarity, frames are always zeroed */
#define EXO_MEM_DMA32   (1u << 2)  /* every frame below 4 GiB */
#define EXO_MEM_FLAGS_ALL 0x7u     /* every defined flag; other bits give EXO_EINVAL */

/* ---- exo_map_pages permissions (same bit positions as the READ/WRITE/EXEC rights) -------------- */
#define EXO_MAP_R  (1u << 0)  /* readable (required: x86 cannot map a page that is not) */
#define EXO_MAP_W  (1u << 1)  /* writable (needs WRITE) */
#define EXO_MAP_X  (1u << 2)  /* executable (needs EXEC; with W also WX) */
#define EXO_MAP_ALL 0x7u      /* every defined permission; other bits give EXO_EINVAL */

/* ---- CPU contexts: struct exo_ctx_regs (exo_cpu_context_read_regs / write_regs) --------------- */
#define EXO_CTX_RIP      0   /* index of rip in exo_ctx_regs.r; then rsp rflags rax rbx rcx rdx rsi rdi rbp r8..r15 */
#define EXO_CTX_RSP      1   /* index of rsp */
#define EXO_CTX_RFLAGS   2   /* index of rflags */
#define EXO_CTX_RAX      3   /* index of rax */
#define EXO_CTX_RDI      8   /* index of rdi (first argument) */
#define EXO_CTX_RSI      7   /* index of rsi (second argument) */
#define EXO_CTX_FS_BASE  18  /* index of the FS base */
#define EXO_CTX_GS_BASE  19  /* index of the GS base */
#define EXO_CTX_NREGS    20  /* registers in exo_ctx_regs */
#define EXO_CTX_BUDGET_MIN_NS 10000ull       /* shortest time slice per turn (10 us) */
#define EXO_CTX_BUDGET_MAX_NS 1000000000ull  /* longest time slice per turn (1 s) */
struct exo_ctx_regs {
    uint64_t r[EXO_CTX_NREGS];
};

/* ---- upcalls: what a handler finds at rdi (exo_cpu_context_set_upcall, exo_event_register_handler) -
 * The kernel writes the frame at the top of the handler stack, 16-byte aligned, and starts the context
 * at the handler entry with rdi = the frame's address, rsp = frame - 8 (as if the handler had been
 * called), rflags = IF, every other general register 0, FS/GS bases those of the interrupted state.
 * The FPU/SSE registers still hold the interrupted state when the handler starts; the frame carries a
 * copy (FXSAVE format), so a handler may use them freely. Upcalls are masked from then on: a
 * preemption resumes the handler in place, and an exception inside it kills the domain.
 * exo_upcall_return(&frame->regs, frame->fpu) (or exo_yield) unmasks them; upcall_return loads the
 * whole register file (and, given an FPU image, the FPU state) at once, so a handler resumes the
 * faulting or preempted state with it. */
#define EXO_UPCALL_PREEMPTED 1u  /* the slice ended while the context ran; regs is where it was */
#define EXO_UPCALL_EXCEPTION 2u  /* a user exception; kind, addr, access and error_code describe it */
/* Exception kinds (exo_event_register_handler's kind, exo_upcall_frame.kind). */
#define EXO_EXC_PF 5  /* page fault (#PF): addr = the faulting address, access = the EXO_PF_* bits */
#define EXO_EXC_GP 6  /* general protection (#GP); error_code = the pushed error code */
#define EXO_EXC_DE 7  /* divide error (#DE) */
#define EXO_EXC_UD 8  /* invalid opcode (#UD) */
#define EXO_EXC_BP 9  /* breakpoint (int3, #BP); regs.rip is after the int3 */
#define EXO_EXC_FIRST EXO_EXC_PF
#define EXO_EXC_LIMIT 10  /* one past the last kind */
/* exo_upcall_frame.access for a page fault: the x86 page-fault error-code bits. */
#define EXO_PF_PRESENT (1u << 0)  /* the page was present (a protection violation), else not mapped */
#define EXO_PF_WRITE   (1u << 1)  /* the access was a write */
#define EXO_PF_USER    (1u << 2)  /* from user mode (always set for an upcall) */
#define EXO_PF_FETCH   (1u << 4)  /* an instruction fetch */
#define EXO_FPU_BYTES  512u       /* an FPU image: the FXSAVE layout (SDM vol. 1, 10.5.1) */
#define EXO_MXCSR_VALID 0xffbfu   /* MXCSR bits an FPU image given to exo_upcall_return may set */
struct exo_upcall_frame {
    uint32_t reason;            /* EXO_UPCALL_* */
    uint32_t kind;              /* exception: EXO_EXC_*; preemption: 0 */
    uint64_t addr;              /* page fault: the faulting address (CR2); else 0 */
    uint64_t access;            /* page fault: EXO_PF_* bits; else 0 */
    uint64_t error_code;        /* the error code the CPU pushed (#PF, #GP), else 0 */
    struct exo_ctx_regs regs;   /* the interrupted state */
    uint8_t fpu[EXO_FPU_BYTES] __attribute__((aligned(16))); /* its x87/MMX/SSE state (FXSAVE layout) */
};
_Static_assert(sizeof(struct exo_upcall_frame) == 704, "struct exo_upcall_frame is ABI: 704 bytes");

/* ---- exo_device_enum: the record of one PCI function ---------------------------------------- */
#define EXO_PCI_MAX_BARS   6u  /* BAR slots in struct exo_pci_info */
#define EXO_PCI_BAR_NONE   0u  /* exo_pci_info.bar[].kind: unimplemented or unused */
#define EXO_PCI_BAR_IO     1u  /* exo_pci_info.bar[].kind: an I/O-port range */
#define EXO_PCI_BAR_MEM32  2u  /* exo_pci_info.bar[].kind: a 32-bit memory range */
#define EXO_PCI_BAR_MEM64  3u  /* exo_pci_info.bar[].kind: a 64-bit memory range */
struct exo_pci_info {
    uint8_t bus, dev, fn, header_type;
    uint16_t vendor, device;
    uint8_t class_code, subclass, progif, revision;
    uint8_t irq_line, irq_pin, parsed_ok, nbars;
    struct {
        uint64_t base, size;  /* size 0: unimplemented or undecodable */
        uint32_t kind;        /* EXO_PCI_BAR_* */
        uint32_t prefetch;    /* memory BARs: 1 if prefetchable */
    } bar[EXO_PCI_MAX_BARS];
};
_Static_assert(sizeof(struct exo_pci_info) == 160, "struct exo_pci_info is ABI: 160 bytes");

/* ---- exo_transfer_data flags ----------------------------------------------------------------- */
#define EXO_XFER_REMAP  (1u << 0)  /* move whole pages (map the source's frames at the destination) instead of copying */

/* ---- events, timers and asynchronous operations (their structures: include/pladof/exo_ev.h) ---- */
#define EXO_EV_USER   1u  /* record kind: exo_event_deliver (badge = the sender capability's badge, a = its three words) */
#define EXO_EV_TIMER  2u  /* record kind: a timer fired (a = deadline that was due, kernel clock at expiry, overruns) */
#define EXO_EV_ASYNC  3u  /* record kind: a token finished (a = token id, EXO_TOK_DONE/CANCELLED, result); from a service: a = 0, requests queued, 0 */
#define EXO_EV_IRQ    4u  /* record kind: an interrupt line (docs/DEVICES.md) */
#define EXO_TOK_DONE      3u  /* in an EXO_EV_ASYNC record: the operation completed */
#define EXO_TOK_CANCELLED 4u  /* in an EXO_EV_ASYNC record: the operation was cancelled */
#define EXO_DEADLINE_NEVER UINT64_MAX  /* exo_event_wait / exo_wait_async_op: no timeout */
#define EXO_EVSET_RING 64u  /* records an event set queues; more are refused (deliver) or dropped and counted (timers, IRQs) */
#define EXO_TIMER_PERIOD_MIN_NS 1000ull  /* shortest period of a periodic timer (exo_timer_arm) */

/* ---- exo_cap_invoke operations --------------------------------------------------------------- */
#define EXO_OP_NOP    0  /* check the capability and the INVOKE right, do nothing */
#define EXO_OP_QUERY  1  /* the object's main number: see docs/SYSCALLS.md, exo_cap_invoke */

/* ---- limits ---------------------------------------------------------------------------------- */
#define EXO_PAGE_SIZE        4096u                  /* bytes per page */
#define EXO_PAGE_SHIFT       12                     /* log2 of EXO_PAGE_SIZE */
#define EXO_USER_VA_MIN      0x1000ull              /* page 0 is never mappable */
#define EXO_USER_VA_END      0x0000800000000000ull  /* end (exclusive) of the canonical lower half */
#define EXO_ALLOC_MAX_PAGES  (1ull << 20)           /* 4 GiB per memory object */
#define EXO_MAP_MAX_PAGES    4096u                  /* 16 MiB per exo_map_pages call */
#define EXO_MEM_MAX_RUNS     16u                    /* physically contiguous runs per memory object */
#define EXO_DEBUG_WRITE_MAX  256u                   /* bytes per exo_debug_write */
#define EXO_CSPACE_SLOTS     1024u                  /* slots in every capability space */

/* ---- exo_cap_info result --------------------------------------------------------------------- */
struct exo_cap_info {
    uint32_t type;       /* EXO_OBJ_* */
    uint32_t depth;      /* distance from the root of the derivation tree (a root capability has 0) */
    uint64_t rights;     /* EXO_R_* */
    uint64_t badge;      /* 0 if none */
    uint64_t object_id;  /* equal for two capabilities exactly when they name the same object */
    uint64_t size;       /* QUOTA: limit in pages; MEMORY: pages; ASPACE: page-table pages; DOMAIN: slots */
    uint64_t used;       /* QUOTA: pages used; MEMORY: 0; ASPACE: pages mapped; DOMAIN: slots in use */
};
_Static_assert(sizeof(struct exo_cap_info) == 48, "struct exo_cap_info is ABI: 48 bytes, no padding");

#endif
