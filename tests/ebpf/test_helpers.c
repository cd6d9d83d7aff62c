/* test_helpers.c - the standard helpers: trace_printk-style printing (conversions, truncation,
 * unknown conversions), the clock hook, octonion multiply/norm against lib/algebra directly,
 * and the prototype table the verifier reads. */
#include "lib/algebra/cd_int.h"
#include "lib/ebpf/helpers.h"
#include "tests/ebpf/ebpf_test.h"

static char out[64];

static uint64_t fake_clock(void) { return 123456789; }

static void printing(void)
{
    struct ebpf_run *run = &et_run_;
    et_env.print_buf = out;
    et_env.print_cap = sizeof(out);
    ebpf_run_init(run, &et_env, NULL, 0, 0, 0);
    uint64_t args[3] = { (uint64_t)-5, 0xff, 'z' };
    const char *fmt = "a=%d b=%x c=%c %%";
    size_t n = ebpf_format(run, fmt, strlen(fmt), args, 3);
    tap_ok(strcmp(out, "a=-5 b=ff c=z %") == 0, "format %%d %%x %%c %%%%: '%s'", out);
    tap_eq(n, strlen(out), "returns bytes appended");
    ebpf_run_init(run, &et_env, NULL, 0, 0, 0);
    uint64_t big[2] = { 0xffffffffffffffffull, 0x8000000000000000ull };
    fmt = "%llu %lld %u";
    ebpf_format(run, fmt, strlen(fmt), big, 2);
    tap_ok(strcmp(out, "18446744073709551615 -9223372036854775808 %u") == 0,
           "64-bit conversions, missing argument printed literally: '%s'", out);
    ebpf_run_init(run, &et_env, NULL, 0, 0, 0);
    fmt = "%q %s";
    ebpf_format(run, fmt, strlen(fmt), big, 2);
    tap_ok(strcmp(out, "%q %s") == 0, "unknown conversions printed literally: '%s'", out);
    ebpf_run_init(run, &et_env, NULL, 0, 0, 0);
    fmt = "0123456789012345678901234567890123456789012345678901234567890123456789";
    n = ebpf_format(run, fmt, strlen(fmt), args, 0);
    tap_ok(n == sizeof(out) - 1 && out[sizeof(out) - 1] == 0, "output truncated to the buffer, NUL kept");
    ebpf_run_init(run, &et_env, NULL, 0, 0, 0);
    fmt = "ab\0cd";
    ebpf_format(run, fmt, 5, args, 0);
    tap_ok(strcmp(out, "ab") == 0, "stops at NUL inside the size");
    /* From a program: the format string lives on the stack. */
    out[0] = 0;
    et_expect("print helper from a program",
              "stdw [%r10-8], 0\nstw [%r10-8], 0x64253d78\n"   /* "x=%d" */
              "mov %r1, %r10\nadd %r1, -8\nmov %r2, 8\nmov %r3, 42\ncall 6\nexit", 4);
    tap_ok(strstr(out, "x=42") == out, "program printed 'x=42' (buffer '%s')", out);
    et_expect_fail("checked: print with a format outside memory", ET_CHECKED,
                   "mov %r1, 16\nmov %r2, 8\ncall 6\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("checked: print with a size past the stack", ET_CHECKED,
                   "mov %r1, %r10\nadd %r1, -8\nmov %r2, 9\ncall 6\nexit", NULL, 0, EBPF_EFAULT);
    et_env.print_buf = NULL;
}

static void clock(void)
{
    et_expect("ktime without a clock is 0", "call 7\nexit", 0);
    et_env.ktime_ns = fake_clock;
    et_expect("ktime uses the env clock", "call 7\nexit", 123456789);
    et_env.ktime_ns = NULL;
}

static void octonions(void)
{
    /* a = 1 + 2e1 + ... + 8e7, b = 8 - 7e1 + ... on the stack; out = a*b; return sum of
     * coefficients weighted by index so the whole product is compared. */
    int64_t a[8], b[8], want[8];
    for (int i = 0; i < 8; i++) {
        a[i] = i + 1;
        b[i] = (i & 1) ? -(8 - i) : (8 - i);
    }
    cd_i_mul(8, want, a, b);
    uint64_t digest = 0;
    for (int i = 0; i < 8; i++)
        digest = digest * 31 + (uint64_t)want[i];
    char prog[4096];
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        n += (size_t)snprintf(prog + n, sizeof(prog) - n, "stdw [%%r10-%d], %lld\n", 64 - 8 * i, (long long)a[i]);
        n += (size_t)snprintf(prog + n, sizeof(prog) - n, "stdw [%%r10-%d], %lld\n", 128 - 8 * i, (long long)b[i]);
    }
    n += (size_t)snprintf(prog + n, sizeof(prog) - n,
                          "mov %%r1, %%r10\nadd %%r1, -64\nmov %%r2, %%r10\nadd %%r2, -128\n"
                          "mov %%r3, %%r10\nadd %%r3, -192\ncall 16\nmov %%r0, 0\n");
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(prog + n, sizeof(prog) - n,
                              "mul %%r0, 31\nldxdw %%r1, [%%r10-%d]\nadd %%r0, %%r1\n", 192 - 8 * i);
    snprintf(prog + n, sizeof(prog) - n, "exit\n");
    et_expect("octonion_mul matches lib/algebra", prog, digest);
    et_expect("octonion_norm2", "stdw [%r10-64], 1\nstdw [%r10-56], 2\nstdw [%r10-8], -3\n"
              "mov %r1, %r10\nadd %r1, -64\ncall 17\nexit", 14);
    et_expect_fail("checked: octonion output past the stack top", ET_CHECKED,
                   "mov %r1, %r10\nadd %r1, -64\nmov %r2, %r1\nmov %r3, %r10\nadd %r3, -32\ncall 16\nexit",
                   NULL, 0, EBPF_EFAULT);
}

static void prototypes(void)
{
    const struct ebpf_helper *h = ebpf_env_helper(&et_env, EBPF_HELPER_MAP_LOOKUP);
    tap_ok(h && h->ret == EBPF_RET_MAP_VALUE_OR_NULL && h->args[0] == EBPF_ARG_MAP_PTR &&
           h->args[1] == EBPF_ARG_MAP_KEY && h->args[2] == EBPF_ARG_NONE, "map_lookup prototype");
    h = ebpf_env_helper(&et_env, EBPF_HELPER_OCT_MUL);
    tap_ok(h && h->args[2] == EBPF_ARG_MEM_WO && h->mem_size[2] == 64, "octonion_mul prototype");
    tap_ok(ebpf_env_helper(&et_env, 1000) == NULL && ebpf_env_helper(&et_env, 63) == NULL,
           "unknown ids give NULL");
    struct ebpf_helper bad = { .id = EBPF_MAX_HELPERS, .name = "x", .fn = NULL };
    tap_eq(ebpf_env_register(&et_env, &bad), EBPF_EINVAL, "register refuses id 64 / NULL fn");
    tap_eq(ebpf_std_helpers_count, 8, "eight standard helpers");
    for (uint32_t i = 0; i < ebpf_std_helpers_count; i++)
        tap_ok(ebpf_env_helper(&et_env, ebpf_std_helpers[i]->id) == ebpf_std_helpers[i],
               "helper %s registered by env_init", ebpf_std_helpers[i]->name);
}

int main(void)
{
    et_init();
    printing();
    clock();
    octonions();
    prototypes();
    return tap_done();
}
