/* jit_host.c - hosted executable memory for the JIT: mmap read+write, then mprotect to
 * read+execute before the code runs (never writable and executable at once). Not built into
 * the kernel, which supplies its own ebpf_jit_mem_ops. */
#include <stdlib.h>
#include <sys/mman.h>

#include "lib/ebpf/jit.h"

static void *host_alloc(size_t size, void *opaque)
{
    (void)opaque;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static int host_protect(void *p, size_t size, void *opaque)
{
    (void)opaque;
    return mprotect(p, size, PROT_READ | PROT_EXEC);
}

static void host_release(void *p, size_t size, void *opaque)
{
    (void)opaque;
    munmap(p, size);
}

const struct ebpf_jit_mem_ops ebpf_jit_host_mem = { host_alloc, host_protect, host_release, NULL };

/* Worst-case bytes of x86 code per eBPF slot (the local call and the fetch loop are the longest
 * sequences, well under this), plus prologue and epilogue. */
#define JIT_BYTES_PER_SLOT 160u

int ebpf_jit_compile_host(const struct ebpf_prog *prog, const struct ebpf_env *env,
                          struct ebpf_jit_prog *out, struct ebpf_error *err)
{
    return ebpf_jit_compile_host_opts(prog, env, NULL, out, err);
}

int ebpf_jit_compile_host_opts(const struct ebpf_prog *prog, const struct ebpf_env *env,
                               const struct ebpf_jit_opts *opts, struct ebpf_jit_prog *out,
                               struct ebpf_error *err)
{
    if (!prog || prog->len > EBPF_MAX_INSNS)
        return ebpf_jit_compile_opts(prog, env, &ebpf_jit_host_mem, NULL, opts, out, err);
    struct ebpf_jit_scratch s = {
        .code_cap = (size_t)prog->len * JIT_BYTES_PER_SLOT + 256,
        .offsets_cap = prog->len + 1,
    };
    s.code = malloc(s.code_cap);
    s.offsets = malloc(s.offsets_cap * sizeof(uint32_t));
    int rc = (s.code && s.offsets)
                 ? ebpf_jit_compile_opts(prog, env, &ebpf_jit_host_mem, &s, opts, out, err)
                 : EBPF_ENOMEM;
    free(s.code);
    free(s.offsets);
    return rc;
}
