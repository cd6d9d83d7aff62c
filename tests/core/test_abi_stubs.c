/* test_abi_stubs.c - the generated libexo stubs (user/libexo/exo_calls.h) executed for real: a
 * seccomp filter turns every `syscall` with a number in [EXO_SYSCALL_BASE, EXO_SYS_LIMIT) into
 * SIGSYS, and the handler reads the registers the way the kernel's entry will (rax = number; rdi,
 * rsi, rdx, r10, r8, r9 = arguments), so the test checks the register convention of every stub and
 * then runs a short program through the stubs into the portable core (fake embedder). Skipped if the
 * host refuses seccomp filters. */
#define _GNU_SOURCE /* REG_* register names in ucontext */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>

#include "kernel/core/syscall_decode.h"
#include "kernel/core/obj_console.h"
#include "tests/core/core_test.h"
#include "user/libexo/libexo.h"

static volatile int recording;
static volatile uint64_t rec_nr, rec_args[6];
static struct domain *A;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    uint64_t a[6] = {(uint64_t)g[REG_RDI], (uint64_t)g[REG_RSI], (uint64_t)g[REG_RDX],
                     (uint64_t)g[REG_R10], (uint64_t)g[REG_R8], (uint64_t)g[REG_R9]};
    uint64_t nr = (uint64_t)si->si_syscall;
    if (recording) {
        rec_nr = nr;
        for (int i = 0; i < 6; i++)
            rec_args[i] = a[i];
        g[REG_RAX] = 0x1234;
    } else {
        g[REG_RAX] = (greg_t)syscall_dispatch(A, nr, a);
    }
}

static int install(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, EXO_SYSCALL_BASE, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, EXO_SYS_LIMIT, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    struct sigaction sa = {0};
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSYS, &sa, NULL) != 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int rec_is(uint64_t nr, int n, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    const uint64_t w[6] = {a0, a1, a2, a3, a4, a5};
    if (rec_nr != nr)
        return 0;
    for (int i = 0; i < n; i++)
        if (rec_args[i] != w[i])
            return 0;
    return 1;
}

#define P(x) ((void *)(uintptr_t)(x))

static void test_registers(void)
{
    int n = 0;
    recording = 1;
    const uint64_t v1 = 0x1111111111111111ull, v2 = 0x2222222222222222ull, v3 = 0x3333333333333333ull,
                   v4 = 0x4444444444444444ull, v5 = 0x5555555555555555ull, v6 = 0x6666666666666666ull;
    /* One check per row of the table, generated with the stubs (EXO_STUB_SELFTEST), so a new call
     * is checked without touching this file. */
#define CHECK(name, NAME, k, call) do { int64_t r_ = call; n++; \
        tap_ok(r_ == 0x1234 && rec_is(EXO_SYS_##NAME, k, v1, v2, v3, v4, v5, v6), \
               "stub exo_%s: number and %d argument registers", #name, k); } while (0);
    EXO_STUB_SELFTEST(CHECK)
#undef CHECK
    recording = 0;
#define COUNT(off, name, NAME, nargs) +1
    tap_eq(n, 0 EXO_SYSCALLS(COUNT), "every call of the table has a stub checked here");
#undef COUNT
}

static void test_program(exo_handle_t rq)
{
    int64_t as = exo_address_space_create(rq);
    int64_t m = exo_alloc_mem_pages(rq, 2, EXO_MEM_ZERO);
    tap_ok(as >= 0 && m >= 0, "address space and memory through the stubs");
    tap_eq(exo_map_pages(as, m, 0x10000000, EXO_MAP_R | EXO_MAP_W, 0, 2), 0, "map through the stub");
    tap_eq(exo_map_pages(as, m, 0x10000001, EXO_MAP_R, 0, 1), EXO_EALIGN, "an error code comes back in rax");
    struct exo_cap_info *info = (struct exo_cap_info *)fake_user(FAKE_USER_BASE);
    tap_ok(exo_cap_info(m, P(FAKE_USER_BASE)) == 0 && info->type == EXO_OBJ_MEMORY && info->size == 2,
           "cap_info writes the user buffer");
    memcpy(fake_user(FAKE_USER_BASE), "stub\n", 5);
    tap_eq(exo_debug_write((exo_handle_t)console_make_root(A), P(FAKE_USER_BASE), 5), 5, "debug_write through the stub");
    tap_eq(exo_unmap_pages(as, 0x10000000, 2), 2, "unmap through the stub");
    tap_eq(exo_free_mem_pages(m), 2, "free through the stub");
    tap_eq(exo_cap_revoke(rq), 1, "revoke through the stub");
    inv("program");
    tap_ok(getpid() > 0, "ordinary Linux system calls still work under the filter");
    tap_ok(strcmp(exo_strerror(EXO_EPERM), "EXO_EPERM") == 0 && strcmp(exo_strerror(EXO_ENOOBJ), "EXO_ENOOBJ") == 0 &&
           strcmp(exo_strerror(5), "EXO_OK") == 0 && strcmp(exo_strerror(-15), "EXO_E?") == 0 &&
           exo_failed(EXO_EALIGN) && !exo_failed(0), "exo_strerror names every kind of result");
}

int main(void)
{
    exo_handle_t rq;
    A = fake_boot(&rq);
    if (install() != 0) {
        tap_skip("seccomp trap of exo syscall numbers", strerror(errno));
        return tap_done();
    }
    test_registers();
    test_program(rq);
    inv_summary();
    return tap_done();
}
