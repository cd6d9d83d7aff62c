/* parse.h - the vector-file parser (format: ../shared/vectors/README.md), kept apart from the
 * runner so the libFuzzer harness tests exactly the code that reads untrusted files. */
#ifndef PLADOF_TOOLS_VECTORS_PARSE_H
#define PLADOF_TOOLS_VECTORS_PARSE_H

#include <stddef.h>

#include "tools/vectors/vectors.h"

struct vec_file {
    char *text;             /* the file contents, NUL-terminated; keys and values point into it */
    char *header;           /* the leading "#" lines joined with '\n' (malloc'd) */
    struct vec_case *cases; /* ncases parsed cases (malloc'd) */
    size_t ncases;
};

/* 1 when text looks like a vector file: after any leading comment and blank lines, the first line
 * is a "key = value" line. Used to skip other files (READMEs, .data files) met while walking folders. */
int vec_sniff(const char *text, size_t len);

/* Parses text[0..len) (which must be writable and is modified in place; the parser takes ownership
 * and frees it in vec_file_free). `path` is recorded in every case. Returns 0, or -1 with a message
 * naming the line and the problem in err[errlen]; on error nothing needs freeing. */
int vec_parse(struct vec_file *f, const char *path, char *text, size_t len, char *err, size_t errlen);

void vec_file_free(struct vec_file *f);

#endif
