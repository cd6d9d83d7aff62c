/* main.c - the test-vector runner: `vectors [--tap] PATH...`.
 *
 * Every PATH is a vector file or a folder searched recursively (in name order). A file found in a
 * folder is taken when it looks like the vector format (vec_sniff), whatever its name; other files
 * (READMEs, eBPF .data tests) are passed over. A file named on the command line must be a vector
 * file. Each file goes to the first handler that claims it (from its header and first case) and
 * runs once on the portable code path and, when the handler has a vector path the CPU supports,
 * again on it once per vector level (AVX2, and AVX-512 when present). Output: a line per file and path, then "N passed, M failed" (cases; a file
 * that cannot be read, parsed or claimed counts as one failure). Exit status 1 when anything
 * failed. --tap prints the same as TAP, one test per file and path, for `make check`. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/crypto/cpu_features.h"
#include "tools/vectors/parse.h"
#include "tools/vectors/vectors.h"

/* Weak: handlers written by other helpers may not exist yet; a missing one has address NULL. */
#pragma weak vec_sha3
#pragma weak vec_shake
#pragma weak vec_kmac
#pragma weak vec_chacha20poly1305
#pragma weak vec_mlkem
#pragma weak vec_mldsa

#define MAX_REPORTED_FAILURES 10

static int tap_mode;
static long total_pass, total_fail, tap_n, files_skipped;

#define NHANDLERS 6
/* The handler table; an entry is NULL when that handler is not linked in. */
static const struct vec_handler *handler(int i)
{
    const struct vec_handler *const all[NHANDLERS] = { &vec_sha3, &vec_shake, &vec_kmac, &vec_chacha20poly1305,
                                                       &vec_mlkem, &vec_mldsa };
    return all[i];
}

/* One result line: a TAP test line or a table row. */
static void report(const char *path, const char *pathname, long pass, long fail, const char *note)
{
    if (tap_mode) {
        printf("%sok %ld - %s [%s] %ld passed, %ld failed%s%s\n", fail ? "not " : "", ++tap_n, path, pathname, pass,
               fail, note ? ": " : "", note ? note : "");
    } else {
        printf("%-58s %-13s passed %5ld  failed %ld%s%s\n", path, pathname, pass, fail, note ? "  " : "",
               note ? note : "");
    }
    fflush(stdout);
}

static void case_failed(long tcid, const char *why)
{
    printf("%stcId %ld: %s\n", tap_mode ? "# " : "    ", tcid, why[0] ? why : "(no reason given)");
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, 65536, fp);
        n += got;
        if (got < 65536)
            break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs every case of f once. vector = 0: portable code (vector extensions hidden); otherwise
 * the handler's vector path with CPU support limited to `level`. */
static void run_path(const struct vec_handler *h, const struct vec_file *f, const char *path, int vector,
                     enum cpu_level level, const char *pathname)
{
    long pass = 0, fail = 0;
    void *state = NULL;
    cpu_features_limit(vector ? level : CPU_LEVEL_PORTABLE);
    if (h->set_path)
        h->set_path(vector);
    for (size_t i = 0; i < f->ncases; i++) {
        char why[256] = "";
        if (h->run(&f->cases[i], &state, why, sizeof why) == VEC_PASS) {
            pass++;
        } else {
            if (fail < MAX_REPORTED_FAILURES)
                case_failed(f->cases[i].tcid, why);
            fail++;
        }
    }
    if (h->finish)
        h->finish(state);
    cpu_features_limit(CPU_LEVEL_AVX512);
    report(path, pathname, pass, fail, NULL);
    total_pass += pass;
    total_fail += fail;
}

static void file_error(const char *path, const char *what)
{
    report(path, "-", 0, 1, what);
    total_fail++;
}

/* Runs one file; `explicit` when named on the command line (then it must be a vector file). */
static void run_file(const char *path, int explicit)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        file_error(path, msg);
        return;
    }
    if (!vec_sniff(text, len)) {
        free(text);
        if (explicit)
            file_error(path, "not a vector file (no \"key = value\" line after the header)");
        return;
    }
    struct vec_file f;
    char err[200];
    if (vec_parse(&f, path, text, len, err, sizeof err) != 0) {
        char msg[260];
        snprintf(msg, sizeof msg, "parse error: %s", err);
        file_error(path, msg);
        return;
    }
    const struct vec_handler *h = NULL;
    for (int i = 0; i < NHANDLERS; i++) {
        const struct vec_handler *c = handler(i);
        if (c && c->claims && c->claims(f.header, &f.cases[0])) {
            h = c;
            break;
        }
    }
    char missing[128] = "";
    for (int i = 0; i < NHANDLERS; i++) {
        static const char *const names[NHANDLERS] = { "vec_sha3", "vec_shake", "vec_kmac", "vec_chacha20poly1305",
                                                      "vec_mlkem", "vec_mldsa" };
        if (!handler(i))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", names[i]);
    }
    if (!h && missing[0]) {
        /* Perhaps the file belongs to a handler that is not linked into this build yet: say so,
         * and do not count it as a failure. With every handler linked, unclaimed files fail. */
        char msg[200];
        snprintf(msg, sizeof msg, "no handler claims it; not linked:%s", missing);
        if (tap_mode)
            printf("ok %ld - %s # SKIP %s\n", ++tap_n, path, msg);
        else
            printf("%-58s skipped   %s\n", path, msg);
        files_skipped++;
    } else if (!h) {
        file_error(path, "no handler claims this file");
    } else {
        run_path(h, &f, path, 0, CPU_LEVEL_PORTABLE, "portable");
        if (h->set_path && h->set_path(1) == 0) {
            /* The vector path once per instruction-set level the CPU has, so that AVX2 code is
             * also checked on AVX-512 machines. */
            struct cpu_features hw = cpu_features_detected();
            if (hw.avx2)
                run_path(h, &f, path, 1, CPU_LEVEL_AVX2, "vector/avx2");
            if (hw.avx512)
                run_path(h, &f, path, 1, CPU_LEVEL_AVX512, "vector/avx512");
            if (!hw.avx2 && !hw.avx512)
                run_path(h, &f, path, 1, CPU_LEVEL_PORTABLE, "vector");
        }
    }
    vec_file_free(&f);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *path, int explicit)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
        file_error(path, msg);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (S_ISREG(st.st_mode) || explicit)
            run_file(path, explicit);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        file_error(path, "cannot open folder");
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", ".." and hidden files */
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn)
                break;
            names = nn;
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        if (!names[n])
            break;
        snprintf(names[n], l, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        walk(names[i], 0);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tap") == 0) {
            tap_mode = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--tap] PATH...\n", argv[0]);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-') {
            npaths++;
            walk(argv[i], 1);
        }
    }
    if (npaths == 0) {
        fprintf(stderr, "usage: %s [--tap] PATH...\n", argv[0]);
        return 2;
    }
    if (total_pass + total_fail == 0) {
        file_error("(all paths)", "no vector files found");
    }
    if (files_skipped)
        printf("%s%ld file(s) skipped: no handler linked for them\n", tap_mode ? "# " : "", files_skipped);
    if (tap_mode) {
        printf("# %ld passed, %ld failed\n", total_pass, total_fail);
        printf("1..%ld\n", tap_n);
    } else {
        printf("%ld passed, %ld failed\n", total_pass, total_fail);
    }
    return total_fail ? 1 : 0;
}
