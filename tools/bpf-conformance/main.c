/* bpf-conformance - runs the conformance suite's .data files on PLADOF's eBPF engines.
 *
 * usage: bpf-conformance [--tap] [--engine interp|jit|jitblind|all] [-v] [--dump-raw DIR] PATH...
 * Each PATH is a .data file or a directory searched recursively for them. Every test is
 * assembled (and its -- raw words compared when present), structurally checked, run on the
 * interpreter in checked mode (memory bounds and an instruction budget enforced, so a bad
 * program fails the test instead of crashing the runner) and then, only if the interpreter
 * finished without a fault, compiled by the JIT and run again on a fresh copy of the input.
 * The JIT performs no run-time checks, so the interpreter acts as its gate here (documented in
 * docs/EBPF.md). Each (file, engine) pair counts as one test. A test with "-- error" passes when
 * assembly, the check or the interpreter run fails.
 *
 * --dump-raw DIR also writes each assembled program to DIR/<name>.bin as raw little-endian
 * slots (seeds for the engine fuzzer).
 *
 * Output: one line per failure (or TAP lines with --tap), then "N passed, M failed"; the exit
 * status is non-zero if anything failed. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/ebpf/asm.h"
#include "lib/ebpf/vm.h"
#include "tools/bpf-conformance/datafile.h"
#include "tools/bpf-conformance/engines.h"

#define MAX_FILES 4096
#define MAX_INSNS 65536

static char *files[MAX_FILES];
static int nfiles;
static int tap, verbose, npass, nfail, ntest;
static unsigned engine_mask = ENGINE_ALL;
static const char *dump_dir;

static void dump_raw(const char *path, const struct ebpf_insn *insns, int n)
{
    const char *base = strrchr(path, '/');
    char out[4096];
    snprintf(out, sizeof(out), "%s/%s.bin", dump_dir, base ? base + 1 : path);
    FILE *f = fopen(out, "wb");
    if (!f)
        return;
    for (int i = 0; i < n; i++) {
        uint64_t w = ebpf_insn_word(insns[i]);
        fwrite(&w, 8, 1, f);
    }
    fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static void collect(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "bpf-conformance: cannot stat %s\n", path);
        nfail++;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        if (!d)
            return;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char sub[4096];
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            struct stat s2;
            if (stat(sub, &s2) == 0 && (S_ISDIR(s2.st_mode) || ends_with(sub, ".data")))
                collect(sub);
        }
        closedir(d);
    } else if (nfiles < MAX_FILES) {
        files[nfiles++] = strdup(path);
    }
}

static void report(int ok, const char *file, const char *engine, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(int ok, const char *file, const char *engine, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ntest++;
    ok ? npass++ : nfail++;
    if (tap)
        printf("%sok %d - %s [%s]%s%s\n", ok ? "" : "not ", ntest, file, engine,
               *msg ? ": " : "", msg);
    else if (!ok || verbose)
        printf("%s %s [%s]: %s\n", ok ? "PASS" : "FAIL", file, engine, msg);
}

static struct ebpf_insn insns[MAX_INSNS];
static struct ebpf_run run;

static void run_file(const char *path)
{
    static struct datafile d;
    char why[256];
    struct ebpf_asm_error aerr;
    struct ebpf_error cerr;
    struct ebpf_env env;
    ebpf_env_init(&env);

    if (datafile_load(&d, path, why, sizeof(why))) {
        for (unsigned e = 0; e < ENGINE_COUNT; e++)
            if (engine_mask & (1u << e))
                report(0, path, engine_names[e], "bad test file: %s", why);
        return;
    }
    int n = ebpf_asm(d.asm_text, d.asm_len, insns, MAX_INSNS, &aerr);
    const char *early = NULL;
    char early_buf[300];
    if (n < 0) {
        snprintf(early_buf, sizeof(early_buf), "assembler: %s", aerr.msg);
        early = early_buf;
    } else if (dump_dir) {
        dump_raw(path, insns, n);
    }
    if (n >= 0 && d.has_raw) {
        int same = (size_t)n == d.nraw;
        for (int i = 0; same && i < n; i++)
            same = ebpf_insn_word(insns[i]) == d.raw[i];
        if (!same) {
            for (unsigned e = 0; e < ENGINE_COUNT; e++)
                if (engine_mask & (1u << e))
                    report(0, path, engine_names[e], "assembled words differ from -- raw");
            datafile_free(&d);
            return;
        }
    }
    struct ebpf_prog prog = { insns, n < 0 ? 0 : (uint32_t)n, NULL, 0 };
    if (!early && ebpf_prog_check(&prog, &env, &cerr)) {
        snprintf(early_buf, sizeof(early_buf), "check: insn %u: %s", cerr.pc, cerr.msg);
        early = early_buf;
    }
    /* Reference run: checked interpreter. */
    uint64_t want_r0 = 0;
    int ref_ok = 0;
    static uint8_t mem[DATAFILE_MAX_MEM];
    if (!early) {
        memcpy(mem, d.mem, d.mem_len);
        ebpf_run_init(&run, &env, d.mem_len ? mem : NULL, d.mem_len, EBPF_RUN_CHECKED, 0);
        int rc = ebpf_interp_exec(&prog, &run, &want_r0);
        if (rc) {
            snprintf(early_buf, sizeof(early_buf), "run: insn %u: %s (%s)", run.fault.pc,
                     run.fault.msg, ebpf_strerror(rc));
            early = early_buf;
        } else {
            ref_ok = 1;
        }
    }
    for (unsigned e = 0; e < ENGINE_COUNT; e++) {
        if (!(engine_mask & (1u << e)))
            continue;
        if (d.has_error) {
            report(early != NULL, path, engine_names[e], "%s",
                   early ? early : "expected an error, program ran");
            continue;
        }
        if (!ref_ok) {
            report(0, path, engine_names[e], "%s", early);
            continue;
        }
        uint64_t r0 = 0;
        char msg[256] = "";
        memcpy(mem, d.mem, d.mem_len);
        int rc = engine_run(e, &prog, &env, &run, d.mem_len ? mem : NULL, d.mem_len, &r0, msg,
                            sizeof(msg));
        if (rc)
            report(0, path, engine_names[e], "%s", msg);
        else if (r0 != d.result)
            report(0, path, engine_names[e], "r0 = 0x%llx, expected 0x%llx",
                   (unsigned long long)r0, (unsigned long long)d.result);
        else
            report(1, path, engine_names[e], "%s", "");
    }
    datafile_free(&d);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--tap"))
            tap = 1;
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "--dump-raw") && i + 1 < argc)
            dump_dir = argv[++i];
        else if (!strcmp(argv[i], "--engine") && i + 1 < argc) {
            engine_mask = engine_parse(argv[++i]);
            if (!engine_mask) {
                fprintf(stderr, "bpf-conformance: unknown engine '%s'\n", argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: bpf-conformance [--tap] [-v] [--engine interp|jit|jitblind|all] [--dump-raw DIR] PATH...\n");
            return 2;
        }
    }
    if (i == argc) {
        fprintf(stderr, "bpf-conformance: no test paths given\n");
        return 2;
    }
    for (; i < argc; i++)
        collect(argv[i]);
    qsort(files, (size_t)nfiles, sizeof(files[0]), cmp_str);
    for (int k = 0; k < nfiles; k++) {
        run_file(files[k]);
        free(files[k]);
    }
    if (nfiles == 0 && !nfail) {
        fprintf(stderr, "bpf-conformance: no .data files found\n");
        nfail++;
    }
    if (tap)
        printf("1..%d\n", ntest);
    printf("%s%d passed, %d failed\n", tap ? "# " : "", npass, nfail);
    return nfail ? 1 : 0;
}
