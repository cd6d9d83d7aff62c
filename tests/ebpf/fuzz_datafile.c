/* fuzz_datafile.c - libFuzzer harness for the conformance runner's .data parser: any bytes must
 * parse or be refused with a reason, and a parsed file's sections must lie inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/bpf-conformance/datafile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct datafile d;
    char why[256] = "";
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    if (datafile_parse(&d, text, size, why, sizeof(why))) {
        if (!why[0])
            abort();
        free(text);     /* on failure the caller keeps ownership */
        return 0;
    }
    if (d.asm_text < text || d.asm_text + d.asm_len > text + size || d.mem_len > DATAFILE_MAX_MEM ||
        d.nraw > DATAFILE_MAX_RAW || (!d.has_result && !d.has_error))
        abort();
    datafile_free(&d);
    return 0;
}
