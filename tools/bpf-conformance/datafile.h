/* datafile.h - parser for the conformance suite's ".data" test files (hosted tool code).
 *
 * A file is a list of sections, each started by a line "-- name"; `#` starts a comment. The
 * sections used: asm (program text), mem (input bytes in hex), result (expected r0), error
 * (expected failure message), raw (expected instruction words). Others are ignored. */
#ifndef PLADOF_TOOLS_BPF_CONFORMANCE_DATAFILE_H
#define PLADOF_TOOLS_BPF_CONFORMANCE_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATAFILE_MAX_MEM 65536
#define DATAFILE_MAX_RAW 4096

struct datafile {
    char *text;                 /* the whole file, owned (malloc) */
    const char *asm_text;       /* points into text */
    size_t asm_len;
    uint8_t mem[DATAFILE_MAX_MEM];
    size_t mem_len;
    bool has_result, has_error, has_raw;
    uint64_t result;
    char error[256];
    uint64_t raw[DATAFILE_MAX_RAW];
    size_t nraw;
};

/* Parses text[0..len). On success d owns the malloc'd text (datafile_free releases it); on
 * failure (-1, why[] set) the caller keeps it. */
int datafile_parse(struct datafile *d, char *text, size_t len, char *why, size_t why_len);
/* Reads and parses a file. Returns 0 or -1 with why[] set. */
int datafile_load(struct datafile *d, const char *path, char *why, size_t why_len);
void datafile_free(struct datafile *d);

#endif
