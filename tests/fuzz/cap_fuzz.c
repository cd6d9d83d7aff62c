/* cap_fuzz.c - libFuzzer harness for the capability core: the input is a program of system calls
 * (every implemented call, from two domains) whose handles are chosen from the handles returned so
 * far, stale ones, or raw input bytes, and whose other arguments come from the input, biased toward
 * edges. After every call: all invariant checkers (derivation trees, reference counts, mapping
 * records, the ledger and quotas) must pass, and a call that returned an error must have changed
 * nothing. Any violation aborts (a crash for libFuzzer). */
#include <stdlib.h>

#include "tests/lib/fuzz_input.h"
#include "kernel/core/syscall_decode.h"
#include "tests/core/core_test.h"


#define MAXH 64
static exo_handle_t hs[2][MAXH];
static unsigned nh[2];

static uint64_t handle(struct fuzz_input *in, int d)
{
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    if (sel < 0xf0 && nh[d])
        return hs[d][sel % nh[d]];
    if (sel < 0xf8)
        return EXO_HANDLE_MAKE(fuzz_take(in, 2) % 1100, fuzz_take(in, 1) % 4);
    return fuzz_take(in, 8);
}

/* Mostly a live handle of the wanted type (so deep paths are reached), sometimes any handle. */
static uint64_t typed(struct fuzz_input *in, struct domain *dm, int d, uint32_t type)
{
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    if (sel >= 0xc0 || !nh[d])
        return handle(in, d);
    exo_handle_t match[MAXH];
    unsigned n = 0;
    for (unsigned i = 0; i < nh[d]; i++) {
        struct cap *c;
        if (cspace_lookup(&dm->cs, hs[d][i], type, 0, &c) == 0)
            match[n++] = hs[d][i];
    }
    return n ? match[sel % n] : hs[d][sel % nh[d]];
}

static uint64_t value(struct fuzz_input *in)
{
    static const uint64_t edges[] = {0, 1, 2, 3, 4, 7, 8, 16, 17, 4095, 4096, 4097, EXO_USER_VA_MIN,
                                     EXO_USER_VA_END - 4096, EXO_USER_VA_END, 0x10000000, 0x10001000,
                                     0x7fffffffe000ull, 0xffff800000000000ull, ~0ull, ~0ull - 4095,
                                     EXO_R_ALL, EXO_R_MEM_ALL, EXO_MAP_ALL, FAKE_USER_BASE,
                                     FAKE_USER_BASE + FAKE_USER_SIZE - 8, 1ull << 63, 0x200000, 0x1000};
    uint8_t sel = (uint8_t)fuzz_take(in, 1);
    if (sel < 0x80)
        return edges[sel % (sizeof edges / sizeof edges[0])];
    if (sel < 0xc0)
        return fuzz_take(in, 1);
    return fuzz_take(in, 8);
}

static void remember(int d, int64_t r)
{
    if (r <= 0 || EXO_HANDLE_GEN((uint64_t)r) == 0)
        return;
    if (nh[d] < MAXH)
        hs[d][nh[d]++] = (exo_handle_t)r;
    else
        hs[d][(uint64_t)r % MAXH] = (exo_handle_t)r;
}

static void check(const char *what)
{
    const char *why = "";
    if (capcore_check(&why) != 0) {
        fprintf(stderr, "invariant broken after %s: %s\n", what, why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size, 0x9e3779b97f4a7c15ull};
    for (size_t i = 0; i < size; i++)
        in.rng = (in.rng ^ data[i]) * 0x100000001b3ull;
    if (in.rng == 0)
        in.rng = 1;
    exo_handle_t rq;
    struct domain *dom[2];
    dom[0] = fake_boot(&rq);
    nh[0] = nh[1] = 0;
    remember(0, (int64_t)rq);
    int64_t dh = SYS(dom[0], EXO_SYS_DOMAIN_CREATE, rq);
    remember(0, dh);
    dom[1] = fake_domain_of(dom[0], (exo_handle_t)dh);
    for (int steps = 0; steps < 48; steps++) {
        uint8_t op = (uint8_t)fuzz_take(&in, 1);
        int d = (op >> 7) & 1;
        if (!fake_domain_of(dom[0], (exo_handle_t)dh))
            d = 0; /* B was destroyed (A lost its capability): only A acts */
        uint64_t a[6] = {0};
        uint64_t nr = EXO_SYSCALL_BASE + (op & 0x7f) % 16;
        switch (nr) {
        case EXO_SYS_DEBUG_WRITE: a[0] = value(&in); a[1] = value(&in); break;
        case EXO_SYS_CAP_DERIVE: a[0] = handle(&in, d); a[1] = value(&in); a[2] = value(&in); a[3] = value(&in) % 40; break;
        case EXO_SYS_CAP_COPY: a[0] = handle(&in, d); a[1] = handle(&in, d); a[2] = value(&in); break;
        case EXO_SYS_CAP_MOVE: a[0] = handle(&in, d); a[1] = handle(&in, d); break;
        case EXO_SYS_CAP_INFO: a[0] = handle(&in, d); a[1] = value(&in); break;
        case EXO_SYS_CAP_INVOKE: a[0] = handle(&in, d); a[1] = value(&in) % 3; a[2] = value(&in) % 2; break;
        case EXO_SYS_ALLOC_MEM_PAGES:
            a[0] = typed(&in, dom[d], d, EXO_OBJ_QUOTA); a[1] = value(&in) % 40; a[2] = value(&in) % 16;
            break;
        case EXO_SYS_MAP_PAGES: {
            uint8_t shape = (uint8_t)fuzz_take(&in, 1);
            a[0] = typed(&in, dom[d], d, EXO_OBJ_ASPACE);
            a[1] = typed(&in, dom[d], d, EXO_OBJ_MEMORY);
            if (shape & 1) { /* a plausible request: aligned, small, in user space */
                a[2] = 0x10000000 + (fuzz_take(&in, 1) % 24) * 0x1000 + (shape & 2 ? 0x40000000000ull : 0);
                a[3] = fuzz_take(&in, 1) % 8; a[4] = fuzz_take(&in, 1) % 4; a[5] = 1 + fuzz_take(&in, 1) % 8;
            } else {
                a[2] = value(&in); a[3] = value(&in) % 16; a[4] = value(&in) % 20; a[5] = value(&in) % 40;
            }
            break;
        }
        case EXO_SYS_UNMAP_PAGES:
            a[0] = typed(&in, dom[d], d, EXO_OBJ_ASPACE);
            if (fuzz_take(&in, 1) & 1) {
                a[1] = 0x10000000 + (fuzz_take(&in, 1) % 24) * 0x1000; a[2] = 1 + fuzz_take(&in, 1) % 8;
            } else {
                a[1] = value(&in); a[2] = value(&in);
            }
            break;
        case EXO_SYS_ADDRESS_SPACE_CREATE:
        case EXO_SYS_DOMAIN_CREATE: a[0] = typed(&in, dom[d], d, EXO_OBJ_QUOTA); break;
        case EXO_SYS_FREE_MEM_PAGES: a[0] = typed(&in, dom[d], d, EXO_OBJ_MEMORY); break;
        default: a[0] = handle(&in, d); break; /* revoke, delete, free, address_space/domain_create, time, reserved */
        }
        if (nr == EXO_SYSCALL_BASE + 15)
            nr = EXO_SYS_CPU_CONTEXT_ALLOC;
        if ((fuzz_take(&in, 1) & 0xf) == 0)
            fake_fail_frames_after((long)(fuzz_take(&in, 1) % 4));
        struct digest before = digest_now();
        int64_t r = syscall_dispatch(dom[d], nr, a);
        struct digest after = digest_now();
        fake_fail_frames_after(-1);
        if (r < 0 && !fake_error_documented(nr, r)) {
            fprintf(stderr, "call %#llx returned %lld, which syscalls.tbl does not list for it\n",
                    (unsigned long long)nr, (long long)r);
            abort();
        }
        if (r < 0 && nr != EXO_SYS_GET_SYSTEM_TIME && memcmp(&before, &after, sizeof before) != 0) {
            fprintf(stderr, "call %#llx failed with %lld but changed state\n", (unsigned long long)nr, (long long)r);
            abort();
        }
        if (nr == EXO_SYS_CAP_COPY || nr == EXO_SYS_CAP_MOVE)
            remember(1 - d, r); /* the handle lives in the other domain when dst is B's domain */
        else if (nr != EXO_SYS_CAP_REVOKE && nr != EXO_SYS_FREE_MEM_PAGES && nr != EXO_SYS_UNMAP_PAGES &&
                 nr != EXO_SYS_GET_SYSTEM_TIME && nr != EXO_SYS_CAP_INVOKE && nr != EXO_SYS_DEBUG_WRITE)
            remember(d, r);
        check("a call");
    }
    return 0;
}
