/* jit.h - the x86-64 JIT: translates a checked program into machine code in W^X memory.
 *
 * The JIT never makes memory writable and executable at once. It asks an executable-memory hook
 * for a writable buffer, emits the code, then asks the hook to flip the pages to read+execute
 * before anything runs. The kernel supplies its own hook (pages from its allocator, mapped
 * RW then remapped RX); hosted builds use ebpf_jit_host_mem (lib/ebpf/jit_host.c: mmap +
 * mprotect).
 *
 * The compiled code is bound to the env (helper addresses) and the program's maps (their
 * addresses are embedded), so both must outlive it. It runs on a struct ebpf_run like the
 * interpreter and gives the same r0 for every program the interpreter runs without a fault.
 * It performs no run-time bounds checks: run only verified programs, or programs the checked
 * interpreter has run to completion on the same input (what the conformance runner does). */
#ifndef PLADOF_LIB_EBPF_JIT_H
#define PLADOF_LIB_EBPF_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/vm.h"

/* Executable-memory hook. alloc returns `size` writable bytes (page aligned) or NULL; protect
 * turns them read+execute (and not writable), returning 0 or non-zero on failure; release frees. */
struct ebpf_jit_mem_ops {
    void *(*alloc)(size_t size, void *opaque);
    int (*protect)(void *p, size_t size, void *opaque);
    void (*release)(void *p, size_t size, void *opaque);
    void *opaque;
};

/* Scratch the compiler needs, supplied by the caller (no allocation): a code buffer of
 * code_cap bytes to assemble into and an offset table of (prog->len + 1) uint32_t. */
struct ebpf_jit_scratch {
    uint8_t *code;
    size_t code_cap;
    uint32_t *offsets;
    uint32_t offsets_cap;
};

struct ebpf_jit_prog {
    void *code;         /* RX region from the hook */
    size_t size;        /* bytes requested from the hook */
    size_t code_len;    /* bytes of machine code */
    const struct ebpf_jit_mem_ops *ops;
    const struct ebpf_env *env; /* the env the code was compiled for (its helper addresses) */
};

/* Options. EBPF_JIT_BLIND: constant blinding - no 32- or 64-bit immediate of the program
 * appears in the generated code (each is loaded as (imm ^ k) ^ k with a fresh key k drawn from
 * `seed`), so a program cannot plant chosen byte sequences in executable memory (JIT spraying).
 * Not blinded: shift counts (6 bits) and 16-bit load/store/jump offsets. The seed should be
 * secret and fresh per compilation (the kernel uses its DRBG). */
#define EBPF_JIT_BLIND 0x1u
struct ebpf_jit_opts {
    uint32_t flags;
    uint64_t seed;
};

/* Compiles `prog` for `env`. Returns 0 or an EBPF_E* code (ebpf_prog_check errors, EBPF_E2BIG
 * if the scratch is too small, EBPF_ENOMEM / EBPF_EPROT from the hook) with err filled. */
int ebpf_jit_compile(const struct ebpf_prog *prog, const struct ebpf_env *env,
                     const struct ebpf_jit_mem_ops *ops, struct ebpf_jit_scratch *scratch,
                     struct ebpf_jit_prog *out, struct ebpf_error *err);

/* The same with options (opts may be NULL = none). */
int ebpf_jit_compile_opts(const struct ebpf_prog *prog, const struct ebpf_env *env,
                          const struct ebpf_jit_mem_ops *ops, struct ebpf_jit_scratch *scratch,
                          const struct ebpf_jit_opts *opts, struct ebpf_jit_prog *out,
                          struct ebpf_error *err);

/* Runs compiled code on `run` (set up with ebpf_run_init; the checked flag is ignored) and
 * stores r0. Returns 0, EBPF_EINVAL if run->env is not the env the code was compiled for (or
 * the code was freed), or EBPF_EDEPTH / EBPF_ECALLX with run->fault filled. */
int ebpf_jit_exec(const struct ebpf_jit_prog *jp, struct ebpf_run *run, uint64_t *r0);

/* Releases the code through the hook it came from. */
void ebpf_jit_free(struct ebpf_jit_prog *jp);

#ifdef PLADOF_HOSTED
/* Hosted hook: mmap(RW) + mprotect(RX). Not built into the kernel. */
extern const struct ebpf_jit_mem_ops ebpf_jit_host_mem;
/* Convenience for hosted tools/tests: compiles with stack scratch sized for prog. */
int ebpf_jit_compile_host(const struct ebpf_prog *prog, const struct ebpf_env *env,
                          struct ebpf_jit_prog *out, struct ebpf_error *err);
int ebpf_jit_compile_host_opts(const struct ebpf_prog *prog, const struct ebpf_env *env,
                               const struct ebpf_jit_opts *opts, struct ebpf_jit_prog *out,
                               struct ebpf_error *err);
#endif

#endif
