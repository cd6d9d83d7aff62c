/* test_jit.c - the JIT's memory contract and failure paths: code is mapped read+execute and
 * never writable+executable (checked in /proc/self/maps), the executable-memory hook is used
 * exactly as documented (alloc RW, then protect, release on free or on failure), and a hook
 * or scratch that cannot serve the request gives a clean error instead of code. */
#include <stdio.h>

#include "tests/ebpf/ebpf_test.h"

/* Permissions of the mapping that contains addr ("r-xp" etc.), or "" if none. */
static void perms_of(const void *addr, char out[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    out[0] = 0;
    while (f && fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo &&
            (uintptr_t)addr < hi) {
            memcpy(out, p, 5);
            break;
        }
    }
    if (f)
        fclose(f);
}

static struct ebpf_insn prog_insns[ET_MAX];

static void w_xor_x(void)
{
    int n = et_asm("mov %r0, 7\nexit", prog_insns);
    struct ebpf_prog p = { prog_insns, (uint32_t)n, NULL, 0 };
    struct ebpf_jit_prog jp;
    struct ebpf_error err;
    tap_eq(ebpf_jit_compile_host(&p, &et_env, &jp, &err), 0, "compile");
    char perms[5];
    perms_of(jp.code, perms);
    tap_ok(strcmp(perms, "r-xp") == 0, "JIT code is mapped r-x, not writable (%s)", perms);
    tap_ok(jp.code_len > 0 && jp.code_len <= jp.size && jp.size % 4096 == 0, "code %zu bytes in %zu",
           jp.code_len, jp.size);
    uint64_t r0;
    ebpf_run_init(&et_run_, &et_env, NULL, 0, 0, 0);
    tap_ok(ebpf_jit_exec(&jp, &et_run_, &r0) == 0 && r0 == 7, "runs");
    struct ebpf_env other;
    ebpf_env_init(&other);
    ebpf_run_init(&et_run_, &other, NULL, 0, 0, 0);
    tap_eq(ebpf_jit_exec(&jp, &et_run_, &r0), EBPF_EINVAL, "refuses a run with another env");
    ebpf_jit_free(&jp);
    ebpf_run_init(&et_run_, &et_env, NULL, 0, 0, 0);
    tap_eq(ebpf_jit_exec(&jp, &et_run_, &r0), EBPF_EINVAL, "refuses freed code");
    tap_ok(jp.code == NULL, "free clears the handle");
    ebpf_jit_free(&jp);
    tap_ok(1, "second free is harmless");
}

/* A recording hook: hands out a static page-sized buffer and counts calls. */
static struct { int alloc, protect, release, fail_alloc, fail_protect; bool rw; } hk;
static _Alignas(4096) uint8_t page[8192];

static void *hk_alloc(size_t size, void *o)
{
    (void)o;
    hk.alloc++;
    if (hk.fail_alloc || size > sizeof(page))
        return NULL;
    hk.rw = true;
    return page;
}
static int hk_protect(void *p, size_t size, void *o)
{
    (void)p, (void)size, (void)o;
    hk.protect++;
    hk.rw = false;
    return hk.fail_protect ? -1 : 0;
}
static void hk_release(void *p, size_t size, void *o)
{
    (void)p, (void)size, (void)o;
    hk.release++;
}
static const struct ebpf_jit_mem_ops hook = { hk_alloc, hk_protect, hk_release, NULL };

static void hooks(void)
{
    int n = et_asm("mov %r0, 1\nexit", prog_insns);
    struct ebpf_prog p = { prog_insns, (uint32_t)n, NULL, 0 };
    static uint8_t code[4096];
    static uint32_t offs[16];
    struct ebpf_jit_scratch s = { code, sizeof(code), offs, 16 };
    struct ebpf_jit_prog jp;
    struct ebpf_error err;

    memset(&hk, 0, sizeof(hk));
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, &s, &jp, &err), 0, "compile through a custom hook");
    tap_ok(hk.alloc == 1 && hk.protect == 1 && !hk.rw, "alloc once, then protect before use");
    tap_ok(page[0] != 0 && page[jp.code_len] == 0xcc, "code copied, tail padded with int3");
    ebpf_jit_free(&jp);
    tap_eq(hk.release, 1, "free releases through the hook");

    memset(&hk, 0, sizeof(hk));
    hk.fail_alloc = 1;
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, &s, &jp, &err), EBPF_ENOMEM, "alloc failure -> ENOMEM");
    tap_ok(jp.code == NULL && hk.protect == 0, "nothing protected, no code");

    memset(&hk, 0, sizeof(hk));
    hk.fail_protect = 1;
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, &s, &jp, &err), EBPF_EPROT, "protect failure -> EPROT");
    tap_ok(jp.code == NULL && hk.release == 1, "buffer released, no code handed out");

    struct ebpf_jit_scratch tiny = { code, 16, offs, 16 };
    memset(&hk, 0, sizeof(hk));
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, &tiny, &jp, &err), EBPF_E2BIG, "code scratch too small -> E2BIG");
    tap_eq(hk.alloc, 0, "no memory requested for an oversized program");
    struct ebpf_jit_scratch few = { code, sizeof(code), offs, 2 };
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, &few, &jp, &err), EBPF_E2BIG, "offset scratch too small -> E2BIG");
    tap_eq(ebpf_jit_compile(&p, &et_env, &hook, NULL, &jp, &err), EBPF_E2BIG, "no scratch -> E2BIG");
}

static void long_program(void)
{
    /* 10000 instructions: rel32 jumps across the whole body, lddw of every size. */
    static char text[400000];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof(text) - n, "mov %%r0, 0\nja end\nback: add %%r0, 1\nexit\nend:\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "add %%r0, %d\nlddw %%r1, 0x%llx\nxor %%r0, %%r1\n", i,
                              (unsigned long long)i * 0x9e3779b97f4a7c15ull);
    snprintf(text + n, sizeof(text) - n, "ja back\n");
    uint64_t want = 0;
    for (int i = 0; i < 1000; i++) {
        want += (uint64_t)i;
        want ^= (uint64_t)i * 0x9e3779b97f4a7c15ull;
    }
    et_expect("4005-slot program, jumps across it", text, want + 1);
}

/* Does the 4-byte little-endian pattern of v occur in the code? */
static bool code_has(const struct ebpf_jit_prog *jp, uint32_t v)
{
    const uint8_t *c = jp->code;
    for (size_t i = 0; i + 4 <= jp->code_len; i++)
        if (c[i] == (uint8_t)v && c[i + 1] == (uint8_t)(v >> 8) && c[i + 2] == (uint8_t)(v >> 16) &&
            c[i + 3] == (uint8_t)(v >> 24))
            return true;
    return false;
}

static void blinding(void)
{
    static const uint32_t pat[] = { 0x41424344, 0x51525354, 0x61626364, 0x71727374, 0x85868788,
                                    0x81828384, 0x31323334, 0x21222324 };
    int n = et_asm("mov %r0, 0x41424344\nadd %r0, 0x51525354\njeq %r0, 0x61626364, +0\n"
                   "stw [%r10-4], 0x71727374\nlddw %r1, 0x8182838485868788\nmul32 %r1, 0x31323334\n"
                   "div %r1, 0x21222324\nadd %r0, %r1\nexit", prog_insns);
    struct ebpf_prog p = { prog_insns, (uint32_t)n, NULL, 0 };
    struct ebpf_jit_prog plain, blind;
    struct ebpf_jit_opts opts = { EBPF_JIT_BLIND, 0x243f6a8885a308d3ull };
    tap_eq(ebpf_jit_compile_host(&p, &et_env, &plain, NULL), 0, "compile without blinding");
    tap_eq(ebpf_jit_compile_host_opts(&p, &et_env, &opts, &blind, NULL), 0, "compile with blinding");
    int in_plain = 0, in_blind = 0;
    for (size_t k = 0; k < sizeof(pat) / sizeof(pat[0]); k++) {
        in_plain += code_has(&plain, pat[k]);
        in_blind += code_has(&blind, pat[k]);
    }
    tap_eq(in_plain, 8, "unblinded code contains all 8 immediates (the check can see them)");
    tap_eq(in_blind, 0, "blinded code contains none of them");
    uint64_t r0a, r0b;
    ebpf_run_init(&et_run_, &et_env, NULL, 0, 0, 0);
    ebpf_jit_exec(&plain, &et_run_, &r0a);
    ebpf_run_init(&et_run_, &et_env, NULL, 0, 0, 0);
    ebpf_jit_exec(&blind, &et_run_, &r0b);
    tap_ok(r0a == r0b, "same result (0x%llx)", (unsigned long long)r0a);
    struct ebpf_jit_prog other;
    opts.seed ^= 1;
    ebpf_jit_compile_host_opts(&p, &et_env, &opts, &other, NULL);
    tap_ok(other.code_len == blind.code_len && memcmp(other.code, blind.code, blind.code_len) != 0,
           "another seed gives other code bytes of the same size");
    ebpf_jit_free(&plain);
    ebpf_jit_free(&blind);
    ebpf_jit_free(&other);
}

/* A helper that reports the stack alignment it was called with: the SysV ABI requires rsp to be
 * 16-byte aligned at every call, so with frame pointers the helper's frame address is too.
 * Misalignment would crash helpers that use aligned SSE stores (libc, varargs). */
static uint64_t h_align(struct ebpf_run *run, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e)
{
    (void)run, (void)a, (void)b, (void)c, (void)d, (void)e;
    return (uintptr_t)__builtin_frame_address(0) & 15;
}
static const struct ebpf_helper align_helper = {
    .id = 40, .name = "align_check", .fn = h_align, .ret = EBPF_RET_SCALAR,
};

static void alignment(void)
{
    tap_eq(ebpf_env_register(&et_env, &align_helper), 0, "register a test helper (id 40)");
    et_expect("helper sees an aligned stack at depth 0", "call 40\nexit", 0);
    et_expect("helper sees an aligned stack at depth 1", "call local f\nexit\nf: call 40\nexit", 0);
    et_expect("helper sees an aligned stack at depth 3",
              "call local f\nexit\nf: call local g\nexit\ng: call local h\nexit\nh: call 40\nexit", 0);
    et_expect("callx sees an aligned stack", "mov %r2, 40\ncall local f\nexit\nf: callx %r2\nexit", 0);
    et_env.helpers[40] = NULL;
}

int main(void)
{
    et_init();
    w_xor_x();
    hooks();
    long_program();
    blinding();
    alignment();
    return tap_done();
}
