/* pladof-bpf - host tool for PLADOF eBPF programs: verify, run, assemble, disassemble.
 *
 *   pladof-bpf verify FILE [--section NAME] [--input-min N] [--writable]
 *   pladof-bpf run FILE [--jit] [--section NAME] [--input HEX] [--input-min N] [--writable]
 *   pladof-bpf asm FILE [-o OUT]
 *   pladof-bpf disasm FILE [--section NAME]
 *
 * FILE is an ELF object from `clang -target bpf` (recognised by its magic), assembler text in
 * the syntax of lib/ebpf/asm.h with the test-case directives of tests/ebpf/verifier_harness.h
 * (maps, input-min, ...), or for disasm a raw binary of 8-byte instructions. `run` verifies
 * first and refuses to run a rejected program.
 * Exit status: 0 success/accepted, 1 rejected by the verifier (reason on stderr), 2 usage or
 * input error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/asm.h"
#include "tests/ebpf/verifier_harness.h"

static struct vh_prog prog;

static int usage(void)
{
    fprintf(stderr, "usage: pladof-bpf verify|run|asm|disasm FILE [--jit] [--section NAME]\n"
                    "       [--input HEX] [--input-min N] [--writable] [-o OUT]\n");
    return 2;
}

struct opts {
    const char *cmd, *file, *section, *input, *out;
    bool jit, writable;
    long input_min;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->input_min = -1;
    if (argc < 3)
        return -1;
    o->cmd = argv[1], o->file = argv[2];
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--jit"))
            o->jit = true;
        else if (!strcmp(a, "--writable"))
            o->writable = true;
        else if (!strcmp(a, "--section") && i + 1 < argc)
            o->section = argv[++i];
        else if (!strcmp(a, "--input") && i + 1 < argc)
            o->input = argv[++i];
        else if (!strcmp(a, "--input-min") && i + 1 < argc)
            o->input_min = strtol(argv[++i], NULL, 0);
        else if (!strcmp(a, "-o") && i + 1 < argc)
            o->out = argv[++i];
        else {
            fprintf(stderr, "pladof-bpf: unknown option '%s'\n", a);
            return -1;
        }
    }
    return 0;
}

/* Loads FILE into prog: ELF, or text; raw binary only when `raw_ok`. */
static int load(const struct opts *o, bool raw_ok)
{
    size_t len;
    char *buf = vh_read_file(o->file, &len), err[256];
    if (!buf) {
        fprintf(stderr, "pladof-bpf: cannot read %s\n", o->file);
        return -1;
    }
    int rc;
    if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4)) {
        rc = vh_load_elf((const uint8_t *)buf, len, o->section, &prog, err, sizeof(err));
    } else if (raw_ok && strlen(buf) != len) { /* contains NUL bytes: raw instructions */
        memset(&prog, 0, offsetof(struct vh_prog, input));
        rc = len % 8 || len / 8 > VH_MAX_INSNS ? -1 : 0;
        snprintf(err, sizeof(err), "raw file size %zu is not a multiple of 8", len);
        if (!rc) {
            memcpy(prog.insns, buf, len);
            prog.n = (uint32_t)(len / 8);
        }
    } else {
        rc = vh_parse_text(buf, len, &prog, err, sizeof(err));
    }
    free(buf);
    if (rc) {
        fprintf(stderr, "pladof-bpf: %s: %s\n", o->file, err);
        return -1;
    }
    if (o->input_min >= 0)
        prog.min_input = (uint32_t)o->input_min;
    if (o->writable)
        prog.writable = true;
    return 0;
}

static int do_verify(const struct opts *o, bool quiet)
{
    struct ebpf_verifier_result res;
    if (vh_verify(&prog, &res)) {
        fprintf(stderr, "%s: rejected: %s\n", o->file, res.msg);
        return 1;
    }
    if (!quiet)
        printf("%s: accepted: %u instructions, %llu explored, %u states stored, %u pruned, "
               "%u call frames\n", o->file, prog.n, (unsigned long long)res.explored,
               res.states_stored, res.states_pruned, res.max_depth);
    return 0;
}

static int parse_hex(const char *s, uint8_t *out, uint32_t *n)
{
    *n = 0;
    for (; *s; s += 2) {
        char b[3] = { s[0], s[1], 0 }, *end;
        if (!s[1] || *n == VH_MAX_INPUT)
            return -1;
        out[(*n)++] = (uint8_t)strtoul(b, &end, 16);
        if (*end)
            return -1;
    }
    return 0;
}

static int do_run(const struct opts *o)
{
    int rc = do_verify(o, true);
    if (rc)
        return rc;
    static uint8_t mem[VH_MAX_INPUT];
    uint32_t len = prog.has_input ? prog.input_len : prog.min_input;
    memcpy(mem, prog.input, prog.input_len);
    if (o->input && parse_hex(o->input, mem, &len)) {
        fprintf(stderr, "pladof-bpf: bad --input hex\n");
        return 2;
    }
    if (len < prog.min_input) {
        fprintf(stderr, "pladof-bpf: input of %u bytes is shorter than input-min %u\n", len,
                prog.min_input);
        return 2;
    }
    if (o->jit && !vh_have_jit()) {
        fprintf(stderr, "pladof-bpf: built without the JIT\n");
        return 2;
    }
    struct vh_maps maps;
    char err[256];
    uint64_t r0 = 0;
    if (vh_maps_create(&prog, &maps, err, sizeof(err))) {
        fprintf(stderr, "pladof-bpf: %s\n", err);
        return 2;
    }
    rc = vh_run(&prog, &maps, o->jit ? VH_JIT : VH_INTERP, mem, len, &r0, err, sizeof(err));
    vh_maps_destroy(&maps);
    if (rc) {
        fprintf(stderr, "pladof-bpf: run failed: %s\n", err);
        return 2;
    }
    printf("%llu\n", (unsigned long long)r0);
    return 0;
}

static int do_asm(const struct opts *o)
{
    if (o->out) {
        FILE *f = fopen(o->out, "wb");
        if (!f || fwrite(prog.insns, 8, prog.n, f) != prog.n || fclose(f)) {
            fprintf(stderr, "pladof-bpf: cannot write %s\n", o->out);
            return 2;
        }
        return 0;
    }
    for (uint32_t i = 0; i < prog.n; i++)
        printf("%016llx\n", (unsigned long long)ebpf_insn_word(prog.insns[i]));
    return 0;
}

static int do_disasm(void)
{
    char line[128];
    for (uint32_t pc = 0; pc < prog.n;) {
        int k = ebpf_disasm(prog.insns, prog.n, pc, line, sizeof(line));
        printf("%5u: %s\n", pc, line);
        pc += k > 0 ? (uint32_t)k : 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    if (parse_args(argc, argv, &o))
        return usage();
    bool known = !strcmp(o.cmd, "verify") || !strcmp(o.cmd, "run") || !strcmp(o.cmd, "asm") ||
                 !strcmp(o.cmd, "disasm");
    if (!known) {
        fprintf(stderr, "pladof-bpf: unknown command '%s'\n", o.cmd);
        return usage();
    }
    if (load(&o, !strcmp(o.cmd, "disasm")))
        return 2;
    if (!strcmp(o.cmd, "verify"))
        return do_verify(&o, false);
    if (!strcmp(o.cmd, "run"))
        return do_run(&o);
    if (!strcmp(o.cmd, "asm"))
        return do_asm(&o);
    return do_disasm();
}
