/* verifier_harness.h - hosted glue shared by the verifier tests, the fuzzer, the benchmark and
 * the pladof-bpf tool: reading files, the test-case text format, ELF loading into a program
 * with its map table, verification with a static work area, and runs on the interpreter and
 * (when built with EBPFV_HAVE_JIT) the JIT.
 *
 * Test-case text format: the program in the assembler syntax of lib/ebpf/asm.h, preceded or
 * interleaved by directive comments:
 *   # expect: reject <substring of the verifier's message>
 *   # expect: accept
 *   # input-min: N          input bytes guaranteed to the verifier (default 0)
 *   # input-writable        the program may write its input
 *   # map: array|hash KEY VALUE MAX   one map per line, index = order
 *   # input: HEX            input bytes for a run (default: input-min zero bytes)
 *   # result: N             expected r0 of a run (interpreter and JIT)
 *   # format: raw           the body is one 64-bit instruction word per line, in hex (for
 *                           encodings the assembler refuses to produce)
 */
#ifndef PLADOF_TESTS_EBPF_VERIFIER_HARNESS_H
#define PLADOF_TESTS_EBPF_VERIFIER_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/insn.h"
#include "lib/ebpf/maps.h"
#include "lib/ebpf/verifier.h"
#include "lib/ebpf/vm.h"

#define VH_MAX_INSNS 8192u
#define VH_MAX_INPUT 4096u

struct vh_prog {
    struct ebpf_insn insns[VH_MAX_INSNS];
    uint32_t n;
    struct ebpf_verifier_map maps[EBPF_VERIFIER_MAX_MAPS];
    uint32_t nmaps;
    uint32_t min_input;
    bool writable;
    int expect;                 /* 1 accept, 0 reject, -1 not stated */
    char expect_msg[160];
    bool has_result;
    uint64_t result;
    uint8_t input[VH_MAX_INPUT];
    uint32_t input_len;
    bool has_input;
};

/* Reads a whole file (malloc'ed, NUL-terminated); NULL on error. */
char *vh_read_file(const char *path, size_t *len);

/* Parses a test case (see above). Returns 0, or -1 with a message in err. */
int vh_parse_text(const char *text, size_t len, struct vh_prog *p, char *err, size_t errlen);

/* Loads the program in section `section` (NULL: the first program) of an ELF object, with its
 * maps. Sections named xdp* get a writable input. Returns 0, or -1 with a message in err. */
int vh_load_elf(const uint8_t *buf, size_t len, const char *section, struct vh_prog *p, char *err,
                size_t errlen);

/* The standard helper environment (initialised once). */
const struct ebpf_env *vh_env(void);

/* Explored-instruction budget vh_verify passes to the verifier (0 = the verifier's default). */
extern uint64_t vh_budget;

/* Verifies p with the standard environment and a static work area. Returns 0 if accepted. */
int vh_verify(const struct vh_prog *p, struct ebpf_verifier_result *res);

/* Maps for running p: created fresh (zeroed) by vh_maps_create. */
struct vh_maps {
    struct ebpf_map maps[EBPF_VERIFIER_MAX_MAPS];
    struct ebpf_map *ptrs[EBPF_VERIFIER_MAX_MAPS];
    void *storage[EBPF_VERIFIER_MAX_MAPS];
    uint32_t n;
};
int vh_maps_create(const struct vh_prog *p, struct vh_maps *m, char *err, size_t errlen);
void vh_maps_destroy(struct vh_maps *m);

enum vh_engine { VH_INTERP_CHECKED, VH_INTERP, VH_JIT };
bool vh_have_jit(void);

/* Runs p on mem[0..len) with maps m on one engine. Returns 0 with *r0, or a negative EBPF_E*
 * code with a message in err. */
int vh_run(const struct vh_prog *p, struct vh_maps *m, enum vh_engine e, void *mem, uint64_t len,
           uint64_t *r0, char *err, size_t errlen);

#endif
