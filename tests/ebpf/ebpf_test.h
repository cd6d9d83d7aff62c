/* ebpf_test.h - shared helpers for the eBPF unit tests (header-only, like tests/lib/tap.h, so
 * every test program stays one translation unit with one TAP counter).
 *
 * et_expect() assembles a program and runs it on the four execution paths - the interpreter in
 * trusted mode, the interpreter in checked mode, the JIT and the JIT with constant blinding -
 * and checks that each returns the expected r0. Every run gets a fresh copy of the input buffer. */
#ifndef PLADOF_TESTS_EBPF_TEST_H
#define PLADOF_TESTS_EBPF_TEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/asm.h"
#include "lib/ebpf/jit.h"
#include "lib/ebpf/maps.h"
#include "lib/ebpf/vm.h"
#include "tests/lib/tap.h"

#define ET_MAX 4096

enum { ET_INTERP, ET_CHECKED, ET_JIT, ET_JIT_BLIND, ET_ENGINES };
static const char *const et_engine_name[ET_ENGINES] = { "interp", "checked", "jit", "jitblind" };

static struct ebpf_env et_env;
static struct ebpf_run et_run_;
static struct ebpf_map *et_maps[8];
static uint32_t et_nmaps;

static __attribute__((unused)) void et_init(void)
{
    ebpf_env_init(&et_env);
    et_nmaps = 0;
}

/* Assembles `text`; returns the slot count (< 0 and a diagnostic on error). */
static __attribute__((unused)) int et_asm(const char *text, struct ebpf_insn *out)
{
    struct ebpf_asm_error e;
    int n = ebpf_asm(text, strlen(text), out, ET_MAX, &e);
    if (n < 0)
        tap_diag("assembler: %s", e.msg);
    return n;
}

/* Runs prog on one engine. Returns the engine's status code; *r0 gets r0. */
static __attribute__((unused)) int et_exec(int engine, const struct ebpf_insn *insns, int n,
                                           const void *mem, size_t len, uint64_t *r0)
{
    static uint8_t buf[4096];
    struct ebpf_prog p = { insns, (uint32_t)n, et_maps, et_nmaps };
    if (len > sizeof(buf))
        return EBPF_E2BIG;
    if (len)
        memcpy(buf, mem, len);
    *r0 = 0xdeadbeef;
    if (engine == ET_JIT || engine == ET_JIT_BLIND) {
        struct ebpf_jit_prog jp;
        struct ebpf_error err;
        struct ebpf_jit_opts opts = { EBPF_JIT_BLIND, 0x0123456789abcdefull ^ (uint64_t)n };
        int rc = ebpf_jit_compile_host_opts(&p, &et_env, engine == ET_JIT_BLIND ? &opts : NULL, &jp,
                                            &err);
        if (rc)
            return rc;
        ebpf_run_init(&et_run_, &et_env, len ? buf : NULL, len, 0, 0);
        rc = ebpf_jit_exec(&jp, &et_run_, r0);
        ebpf_jit_free(&jp);
        return rc;
    }
    ebpf_run_init(&et_run_, &et_env, len ? buf : NULL, len,
                  engine == ET_CHECKED ? EBPF_RUN_CHECKED : 0, 0);
    return ebpf_interp_exec(&p, &et_run_, r0);
}

/* The three-engine check with an input buffer. */
static __attribute__((unused)) void et_expect_mem(const char *name, const char *text,
                                                  const void *mem, size_t len, uint64_t want)
{
    static struct ebpf_insn insns[ET_MAX];
    int n = et_asm(text, insns);
    if (n < 0) {
        tap_ok(0, "%s: assembles", name);
        return;
    }
    for (int e = 0; e < ET_ENGINES; e++) {
        uint64_t r0;
        int rc = et_exec(e, insns, n, mem, len, &r0);
        if (!tap_ok(rc == 0 && r0 == want, "%s [%s]", name, et_engine_name[e]))
            tap_diag("  rc %d (%s) r0 0x%llx want 0x%llx: %s", rc, ebpf_strerror(rc),
                     (unsigned long long)r0, (unsigned long long)want, et_run_.fault.msg);
    }
}
#define et_expect(name, text, want) et_expect_mem((name), (text), NULL, 0, (want))

/* Expects engine `engine` to fail with `code`. */
static __attribute__((unused)) void et_expect_fail(const char *name, int engine, const char *text,
                                                   const void *mem, size_t len, int code)
{
    static struct ebpf_insn insns[ET_MAX];
    int n = et_asm(text, insns);
    uint64_t r0;
    int rc = n < 0 ? n : et_exec(engine, insns, n, mem, len, &r0);
    if (!tap_ok(rc == code, "%s [%s] fails with %s", name, et_engine_name[engine],
                ebpf_strerror(code)))
        tap_diag("  got %d (%s)", rc, ebpf_strerror(rc));
}

#endif
