/* vm.h - programs, the execution environment, helper prototypes and the engines' entry points.
 *
 * Three objects:
 *   struct ebpf_prog  - the instruction slots plus the program's map table (what lddw with
 *                       src_reg 1/2/5/6 refers to by index). Read-only for the engines.
 *   struct ebpf_env   - what a program may call: the helper table (indexed by id, each entry
 *                       with a typed prototype so the verifier can check calls), the clock and
 *                       the print buffer. Set up once, shared by many runs.
 *   struct ebpf_run   - one execution: input buffer (r1 = address, r2 = length at entry), the
 *                       per-frame stacks, the stop flag helpers raise, the fault report.
 *
 * Engines: ebpf_interp_exec (lib/ebpf/interp.c) and the x86-64 JIT (lib/ebpf/jit.h). Both first
 * need ebpf_prog_check() to have accepted the program: it checks structure only (known opcodes,
 * register numbers, r10 never written, jump/call targets inside the program and not into the
 * middle of an lddw, helpers registered, maps present, last instruction an exit or jump). It does
 * NOT prove memory safety or termination - that is the verifier's job (docs/EBPF-VERIFIER.md).
 * For programs nobody verified, run the interpreter with EBPF_RUN_CHECKED: every load and store
 * is bounds-checked against the stack, the input buffer and the maps' storage, and an instruction
 * budget bounds the run; a violation ends the run with EBPF_EFAULT / EBPF_EBUDGET instead of
 * touching memory. The JIT has no checked mode: it runs verified (or interpreter-vetted) programs.
 *
 * Freestanding: no allocation anywhere; callers own every object. */
#ifndef PLADOF_LIB_EBPF_VM_H
#define PLADOF_LIB_EBPF_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/insn.h"

/* --- errors: 0 is success, each failure has its own negative code --- */
enum {
    EBPF_OK = 0,
    /* arguments and program structure */
    EBPF_EINVAL = -1,    /* malformed argument or instruction */
    EBPF_E2BIG = -2,     /* too many instructions / too large */
    EBPF_EOPCODE = -3,   /* unknown or unsupported opcode */
    EBPF_EREG = -4,      /* register number > 10, or a write to r10 */
    EBPF_EJUMP = -5,     /* jump or call target outside the program or inside an lddw */
    EBPF_EHELPER = -6,   /* call to a helper id that is not registered */
    EBPF_EMAP = -7,      /* lddw refers to a map index the program does not have */
    /* run-time */
    EBPF_EFAULT = -10,   /* checked mode: memory access outside every allowed region */
    EBPF_EBUDGET = -11,  /* checked mode: instruction budget exhausted */
    EBPF_EDEPTH = -12,   /* call depth above EBPF_MAX_CALL_DEPTH */
    EBPF_ECALLX = -13,   /* callx with a register that names no registered helper */
    /* maps */
    EBPF_ENOENT = -20,   /* no such key */
    EBPF_EEXIST = -21,   /* key exists and EBPF_NOEXIST was asked */
    EBPF_EFULL = -22,    /* map is at max_entries */
    EBPF_ENOSPC = -23,   /* storage given at creation too small */
    /* JIT */
    EBPF_ENOMEM = -30,   /* executable-memory hook returned nothing */
    EBPF_EPROT = -31,    /* executable-memory hook could not make the code RX */
};

/* Returns a short constant name for an error code ("EBPF_EFAULT"), or "?" for unknown. */
const char *ebpf_strerror(int err);

/* A structural or run-time error report: code, the instruction index, a readable message. */
struct ebpf_error {
    int code;
    uint32_t pc;
    char msg[96];
};

struct ebpf_map;    /* lib/ebpf/maps.h */
struct ebpf_run;

/* --- programs --- */
struct ebpf_prog {
    const struct ebpf_insn *insns;
    uint32_t len;                       /* number of 8-byte slots (lddw counts two) */
    struct ebpf_map *const *maps;       /* map table: lddw src 1/5 imm = index, src 2/6 too */
    uint32_t nmaps;
};

/* --- helpers: typed prototypes --------------------------------------------------------------
 * A helper receives the run (for its environment, maps and stop flag) and r1..r5; it returns
 * r0. Argument kinds say what the verifier must prove about each register before the call. */
typedef uint64_t (*ebpf_helper_fn)(struct ebpf_run *run, uint64_t r1, uint64_t r2, uint64_t r3,
                                   uint64_t r4, uint64_t r5);

enum ebpf_arg_type {
    EBPF_ARG_NONE = 0,      /* unused argument (and every later one) */
    EBPF_ARG_SCALAR,        /* any initialised scalar value */
    EBPF_ARG_MAP_PTR,       /* a map pointer loaded with lddw src 1/5 */
    EBPF_ARG_MAP_KEY,       /* pointer to key_size initialised readable bytes (stack), where the
                             * map is the one in the preceding EBPF_ARG_MAP_PTR argument */
    EBPF_ARG_MAP_VALUE,     /* pointer to value_size initialised readable bytes, same map */
    EBPF_ARG_MEM_RO,        /* pointer to readable initialised memory (stack, map value or
                             * input); size = mem_size[i] if non-zero, else the next argument */
    EBPF_ARG_MEM_WO,        /* pointer to writable memory the helper fills (may be
                             * uninitialised before the call; initialised after); size as above */
    EBPF_ARG_SIZE,          /* constant > 0: size of the previous MEM_* argument */
    EBPF_ARG_SIZE_OR_ZERO,  /* constant >= 0: size of the previous MEM_* argument */
};

enum ebpf_ret_type {
    EBPF_RET_SCALAR = 0,            /* r0 is an unknown scalar */
    EBPF_RET_VOID,                  /* r0 is unspecified (treat as uninitialised) */
    EBPF_RET_MAP_VALUE_OR_NULL,     /* r0 = NULL or a pointer to value_size bytes of the map in
                                     * the EBPF_ARG_MAP_PTR argument */
};

#define EBPF_HELPER_MAX_ARGS 5
#define EBPF_HELPER_MAY_STOP 0x1u   /* the helper may set run->stop (the engines then exit) */

struct ebpf_helper {
    uint32_t id;
    const char *name;
    ebpf_helper_fn fn;
    uint8_t ret;                                /* enum ebpf_ret_type */
    uint8_t args[EBPF_HELPER_MAX_ARGS];         /* enum ebpf_arg_type, NONE-terminated */
    uint16_t mem_size[EBPF_HELPER_MAX_ARGS];    /* fixed byte size for MEM_RO / MEM_WO, or 0 */
    uint32_t flags;                             /* EBPF_HELPER_* */
};

/* Helper ids of the standard set (lib/ebpf/helpers.c). 5 is the conformance suite's "unwind". */
enum {
    EBPF_HELPER_MAP_LOOKUP = 1,  /* (map, key) -> value pointer or 0 */
    EBPF_HELPER_MAP_UPDATE = 2,  /* (map, key, value, flags) -> 0 or EBPF_E* (as u64) */
    EBPF_HELPER_MAP_DELETE = 3,  /* (map, key) -> 0 or EBPF_ENOENT */
    EBPF_HELPER_UNWIND = 5,      /* (x) -> x; if x == 0 the program ends at once with r0 = 0 */
    EBPF_HELPER_PRINT = 6,       /* (fmt, fmt_size, a, b, c) -> bytes appended to the print buffer;
                                  * trace_printk-style: %d %i %u %x %ld %lu %lx %lld %llu %llx %c %% */
    EBPF_HELPER_KTIME_NS = 7,    /* () -> env->ktime_ns() or 0 if the env has no clock */
    EBPF_HELPER_OCT_MUL = 16,    /* (a, b, out): out = a * b, octonions of 8 little-endian int64
                                  * coefficients (64 bytes each), wrapping integer arithmetic */
    EBPF_HELPER_OCT_NORM = 17,   /* (a) -> sum of squares of a's 8 int64 coefficients, wrapping */
};
#define EBPF_MAX_HELPERS 64u     /* ids are 0 .. EBPF_MAX_HELPERS-1 */

/* --- the environment --- */
struct ebpf_env {
    const struct ebpf_helper *helpers[EBPF_MAX_HELPERS];   /* by id; NULL = not registered */
    uint64_t (*ktime_ns)(void);                            /* clock for helper 7, may be NULL */
    char *print_buf;                                       /* helper 6 output, may be NULL */
    uint32_t print_cap;
};

/* Clears `env` and registers the standard helpers (ids above). */
void ebpf_env_init(struct ebpf_env *env);
/* Registers (or replaces) one helper. EBPF_EINVAL if its id is >= EBPF_MAX_HELPERS or fn NULL. */
int ebpf_env_register(struct ebpf_env *env, const struct ebpf_helper *h);
/* The helper with this id, or NULL. Safe for any id. */
const struct ebpf_helper *ebpf_env_helper(const struct ebpf_env *env, uint64_t id);
/* The standard helper table (for verifiers and tools that only need the prototypes). */
extern const struct ebpf_helper *const ebpf_std_helpers[];
extern const uint32_t ebpf_std_helpers_count;

/* --- one run --- */
#define EBPF_RUN_CHECKED 0x1u   /* interpreter: bounds-check memory, enforce the budget */
#define EBPF_RUN_PRECHECKED 0x2u /* skip ebpf_prog_check: the caller already ran it (or the
                                  * verifier) on this program and env; saves O(n) per run */

struct ebpf_run {
    const struct ebpf_env *env;
    const struct ebpf_prog *prog;
    void *mem;                  /* input buffer: r1 at entry */
    uint64_t mem_len;           /* r2 at entry */
    uint32_t flags;             /* EBPF_RUN_* */
    uint8_t stop;               /* set by a helper to end the program; r0 is then run->stop_r0 */
    uint64_t stop_r0;
    uint64_t budget;            /* checked mode: instructions left */
    uint32_t print_len;         /* bytes of env->print_buf written by helper 6 */
    struct ebpf_error fault;    /* filled when a run fails */
    uint64_t jit_rsp;           /* JIT-private: host stack pointer at entry, for early exits */
    /* Stacks: frame k (0 = main) uses stack[(MAX-1-k)*512 .. +512); r10 = its top. */
    _Alignas(16) uint8_t stack[EBPF_MAX_CALL_DEPTH * EBPF_STACK_SIZE];
};

/* Prepares `run` for one execution with input buffer mem[0..len). budget applies in checked
 * mode (0 = a default of 10 million instructions). The stack is zeroed. */
void ebpf_run_init(struct ebpf_run *run, const struct ebpf_env *env, void *mem, uint64_t len,
                   uint32_t flags, uint64_t budget);

/* Structural check (see the top of this file). Returns 0 or an EBPF_E* code with err filled
 * (err may be NULL). Every engine calls it first; callers may call it to get the message. */
int ebpf_prog_check(const struct ebpf_prog *p, const struct ebpf_env *env, struct ebpf_error *err);

/* Interpreter: runs prog on `run` and stores r0. Returns 0, or EBPF_EFAULT / EBPF_EBUDGET /
 * EBPF_EDEPTH / EBPF_ECALLX (run->fault says where), or the ebpf_prog_check error. */
int ebpf_interp_exec(const struct ebpf_prog *prog, struct ebpf_run *run, uint64_t *r0);

/* The value lddw gives for a pseudo source (map pointer / map value address), or 0 with
 * EBPF_EMAP in *err when the index is out of range. Used by both engines. */
uint64_t ebpf_lddw_value(const struct ebpf_prog *prog, const struct ebpf_insn *lo,
                         const struct ebpf_insn *hi, int *err);

#endif
