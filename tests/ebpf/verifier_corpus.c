/* verifier_corpus.c - data-driven verifier test: every *.asm file in the directories given on
 * the command line is a test case (format in verifier_harness.h). A case that expects a
 * rejection passes only if the verifier rejects it with a message containing the expected
 * substring; a case that expects acceptance must be accepted and, when it states a result, give
 * that r0 on the checked interpreter, the unchecked interpreter and the JIT (when built). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/ebpf/verifier_harness.h"
#include "tests/lib/tap.h"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_case(const char *path)
{
    static struct vh_prog p;
    char err[256];
    size_t len;
    char *text = vh_read_file(path, &len);
    if (!tap_ok(text != NULL, "%s: readable", path))
        return;
    if (vh_parse_text(text, len, &p, err, sizeof(err))) {
        tap_ok(0, "%s: parses (%s)", path, err);
        free(text);
        return;
    }
    free(text);
    if (p.expect < 0) {
        tap_ok(0, "%s: states '# expect: accept' or '# expect: reject ...'", path);
        return;
    }
    struct ebpf_verifier_result res;
    int rc = vh_verify(&p, &res);
    if (p.expect == 0) {
        bool good = rc != 0 && strstr(res.msg, p.expect_msg) != NULL;
        if (!tap_ok(good, "%s: rejected with '%s'", path, p.expect_msg))
            tap_diag("  verifier said: %s", rc ? res.msg : "accepted");
        return;
    }
    if (!tap_ok(rc == 0, "%s: accepted (%llu insns explored)", path,
                (unsigned long long)res.explored)) {
        tap_diag("  verifier said: %s", res.msg);
        return;
    }
    if (!p.has_result)
        return;
    uint8_t mem[VH_MAX_INPUT] = { 0 };
    uint32_t mlen = p.has_input ? p.input_len : p.min_input;
    enum vh_engine engines[3] = { VH_INTERP_CHECKED, VH_INTERP, VH_JIT };
    const char *names[3] = { "checked interpreter", "interpreter", "JIT" };
    for (int e = 0; e < 3; e++) {
        if (engines[e] == VH_JIT && !vh_have_jit()) {
            tap_skip(path, "JIT not built yet");
            continue;
        }
        struct vh_maps maps;
        uint64_t r0 = 0;
        memcpy(mem, p.input, p.input_len);
        if (vh_maps_create(&p, &maps, err, sizeof(err))) {
            tap_ok(0, "%s: maps (%s)", path, err);
            return;
        }
        rc = vh_run(&p, &maps, engines[e], mem, mlen, &r0, err, sizeof(err));
        vh_maps_destroy(&maps);
        if (!tap_ok(rc == 0 && r0 == p.result, "%s: %s result %llu", path, names[e],
                    (unsigned long long)p.result))
            tap_diag("  rc %d (%s), r0 %llu", rc, rc ? err : "", (unsigned long long)r0);
    }
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!tap_ok(d != NULL, "open %s", argv[a]))
            continue;
        char *names[1024];
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)) && n < 1024) {
            size_t l = strlen(de->d_name);
            if (l > 4 && !strcmp(de->d_name + l - 4, ".asm")) {
                names[n] = malloc(strlen(argv[a]) + l + 2);
                sprintf(names[n++], "%s/%s", argv[a], de->d_name);
            }
        }
        closedir(d);
        qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
        for (int i = 0; i < n; i++) {
            run_case(names[i]);
            free(names[i]);
        }
        tap_diag("%s: %d cases", argv[a], n);
        total += n;
    }
    tap_ok(total > 0, "corpus is not empty (%d cases)", total);
    return tap_done();
}
