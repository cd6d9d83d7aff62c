/* vectors.h - the interface between the vector-file runner (tools/vectors/main.c) and the
 * per-algorithm handlers (vec_<alg>.c). The runner parses ../shared/vectors-style files
 * (see ../shared/vectors/README.md): a comment header, then cases of "key = value" lines
 * separated by blank lines. For each file it asks every handler whether it claims the file
 * (from the header text and the first case), then runs each case through that handler. */
#ifndef PLADOF_TOOLS_VECTORS_H
#define PLADOF_TOOLS_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX_FIELDS 64

struct vec_case {
    const char *file;                 /* path of the vector file */
    long tcid;                        /* tcId field, or -1 */
    int nfields;
    const char *key[VEC_MAX_FIELDS];
    const char *val[VEC_MAX_FIELDS];  /* value text, "" for an empty value */
};

/* Field lookup: the value, or NULL when the case has no such key. */
const char *vec_get(const struct vec_case *c, const char *key);
/* Hex decoding into a malloc'd buffer; returns 0 on success, -1 on bad hex. *out is freed by the caller. */
int vec_hex(const char *hex, uint8_t **out, size_t *len);
/* Decimal number field, or `dflt` when absent. */
long vec_num(const struct vec_case *c, const char *key, long dflt);

enum vec_result { VEC_PASS = 0, VEC_FAIL = 1 };

struct vec_handler {
    const char *name;
    /* Non-zero when this handler runs the file whose comment header is `header` (all "#" lines,
     * joined with newlines) and whose first case is `first`. */
    int (*claims)(const char *header, const struct vec_case *first);
    /* Runs one case; on failure writes a short reason into why[whylen]. `file_state` starts
     * NULL for each file and may hold the handler's per-file state (e.g. a Monte Carlo chain);
     * `finish` (may be NULL) is called once at the end of the file to free it. */
    enum vec_result (*run)(const struct vec_case *c, void **file_state, char *why, size_t whylen);
    void (*finish)(void *file_state);
    /* Selects the code path for later runs: 0 portable, 1 vector (AVX2/AVX-512); returns 0, or -1
     * when the vector path is not available on this CPU. May be NULL when the handler has only one
     * path. The runner runs every file on the portable path (with cpu_features forced portable),
     * then, when set_path(1) succeeds, once per vector level the CPU has, with cpu_features limited
     * to AVX2 and then to AVX-512 (cpu_features_limit), so both kinds of vector code are checked. */
    int (*set_path)(int vector);
};

/* Handlers; declared weak in main.c so the runner links while some are still being written. */
extern const struct vec_handler vec_sha3, vec_shake, vec_kmac, vec_chacha20poly1305, vec_mlkem, vec_mldsa;

#endif
