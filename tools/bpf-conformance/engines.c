/* engines.c - the conformance runner's engine table: the interpreter (trusted mode, since the
 * checked run already vetted the program), the x86-64 JIT, and the JIT with constant blinding. */
#include "tools/bpf-conformance/engines.h"

#include <stdio.h>
#include <string.h>

#include "lib/ebpf/jit.h"

const char *const engine_names[ENGINE_COUNT] = { "interp", "jit", "jitblind" };

unsigned engine_parse(const char *s)
{
    if (!strcmp(s, "all"))
        return ENGINE_ALL;
    for (unsigned e = 0; e < ENGINE_COUNT; e++)
        if (!strcmp(s, engine_names[e]))
            return 1u << e;
    return 0;
}

int engine_run(unsigned e, const struct ebpf_prog *prog, const struct ebpf_env *env,
               struct ebpf_run *run, void *mem, size_t len, uint64_t *r0, char *msg, size_t cap)
{
    int rc;
    if (e == ENGINE_INTERP) {
        ebpf_run_init(run, env, mem, len, 0, 0);
        rc = ebpf_interp_exec(prog, run, r0);
        if (rc)
            snprintf(msg, cap, "interp: insn %u: %s (%s)", run->fault.pc, run->fault.msg,
                     ebpf_strerror(rc));
        return rc ? -1 : 0;
    }
    struct ebpf_jit_prog jp;
    struct ebpf_error err;
    /* A fixed seed keeps runs reproducible; production callers pass a secret fresh seed. */
    struct ebpf_jit_opts opts = { EBPF_JIT_BLIND, 0x5eed5eed5eed5eedull };
    rc = ebpf_jit_compile_host_opts(prog, env, e == ENGINE_JIT_BLIND ? &opts : NULL, &jp, &err);
    if (rc) {
        snprintf(msg, cap, "jit compile: insn %u: %s (%s)", err.pc, err.msg, ebpf_strerror(rc));
        return -1;
    }
    ebpf_run_init(run, env, mem, len, 0, 0);
    rc = ebpf_jit_exec(&jp, run, r0);
    ebpf_jit_free(&jp);
    if (rc)
        snprintf(msg, cap, "jit: insn %u: %s (%s)", run->fault.pc, run->fault.msg,
                 ebpf_strerror(rc));
    return rc ? -1 : 0;
}
