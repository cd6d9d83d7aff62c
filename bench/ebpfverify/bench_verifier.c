/* bench_verifier.c - verifier time and explored instructions for each test program.
 *
 * For every program section of every ELF object in argv[1] and every *.asm case in argv[2], the
 * program is verified repeatedly: 21 samples, each the mean over enough runs to last >= 2 ms;
 * the table prints the median CPU time (CLOCK_THREAD_CPUTIME_ID, so that other load on the
 * machine does not inflate it) per verification. The baseline column is a quoted reference, not
 * a measurement on this machine: a leading abstract-interpretation eBPF verifier is reported to
 * take 2-6 ms on small loop programs of this kind; we use its lower end, 2 ms (ratio = baseline /
 * ours, higher is faster). Only programs the verifier accepts are timed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/ebpf/elf_loader.h"
#include "tests/ebpf/verifier_harness.h"

#define BASELINE_US 2000.0

static struct vh_prog prog;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench(const char *name)
{
    struct ebpf_verifier_result res;
    if (vh_verify(&prog, &res)) {
        printf("%-44s rejected: %s\n", name, res.msg);
        return;
    }
    int reps = 1;
    for (;;) {
        double t0 = now_us();
        for (int i = 0; i < reps; i++)
            vh_verify(&prog, &res);
        if (now_us() - t0 >= 2000.0 || reps >= 1 << 20)
            break;
        reps *= 2;
    }
    double s[21];
    for (int k = 0; k < 21; k++) {
        double t0 = now_us();
        for (int i = 0; i < reps; i++)
            vh_verify(&prog, &res);
        s[k] = (now_us() - t0) / reps;
    }
    qsort(s, 21, sizeof(s[0]), cmp_d);
    printf("%-44s %6u %9llu %7u %10.1f %12.0f %8.1fx\n", name, prog.n,
           (unsigned long long)res.explored, res.states_stored, s[10], BASELINE_US,
           BASELINE_US / s[10]);
}

static int cmp_s(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int list(const char *dir, const char *ext, char **out, int max)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) && n < max) {
        size_t l = strlen(de->d_name), e = strlen(ext);
        if (l > e && !strcmp(de->d_name + l - e, ext)) {
            out[n] = malloc(strlen(dir) + l + 2);
            sprintf(out[n++], "%s/%s", dir, de->d_name);
        }
    }
    if (d)
        closedir(d);
    qsort(out, (size_t)n, sizeof(out[0]), cmp_s);
    return n;
}

int main(int argc, char **argv)
{
    static struct ebpf_elf_obj obj;
    char *files[512], err[256], name[128];
    printf("BENCH ebpfverify: verifier CPU time per program (median of 21 samples)\n");
    printf("baseline: quoted 2 ms (lower end of 2-6 ms reported for a leading abstract-interpretation"
           " verifier on small loop programs; not measured here)\n");
    printf("%-44s %6s %9s %7s %10s %12s %9s\n", "program", "insns", "explored", "states",
           "median_us", "baseline_us", "ratio");
    int n = argc > 1 ? list(argv[1], ".o", files, 512) : 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        uint8_t *b = (uint8_t *)vh_read_file(files[i], &len);
        if (b && !ebpf_elf_load(&obj, b, len, err, sizeof(err))) {
            for (uint32_t k = 0; k < obj.nprogs; k++) {
                snprintf(name, sizeof(name), "%s [%s]", strrchr(files[i], '/') + 1, obj.progs[k].name);
                if (!vh_load_elf(b, len, obj.progs[k].name, &prog, err, sizeof(err)))
                    bench(name);
            }
        }
        free(b);
        free(files[i]);
    }
    n = argc > 2 ? list(argv[2], ".asm", files, 512) : 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        char *t = vh_read_file(files[i], &len);
        if (t && !vh_parse_text(t, len, &prog, err, sizeof(err)))
            bench(strrchr(files[i], '/') + 1);
        free(t);
        free(files[i]);
    }
    return 0;
}
