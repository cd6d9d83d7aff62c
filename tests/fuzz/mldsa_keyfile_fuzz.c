/* mldsa_keyfile_fuzz.c - libFuzzer harness for the host tools' key-file decoder
 * (tools/sign/keyfile.c). Byte 0 picks public or secret, the rest is the file. Property: a file
 * that decodes re-encodes to exactly the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/sign/keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[KEYFILE_HEADER + MLDSA_SK_MAX];
    struct keyfile kf;
    char why[160];
    if (size < 1)
        return 0;
    enum keyfile_kind kind = data[0] & 1 ? KEYFILE_SECRET : KEYFILE_PUBLIC;
    if (keyfile_decode(&kf, kind, data + 1, size - 1, why, sizeof why) != 0) {
        if (!why[0])
            abort(); /* every refusal has a reason */
        return 0;
    }
    size_t n = keyfile_encode(again, kind, kf.params, kf.key);
    if (n != size - 1 || memcmp(again, data + 1, n) != 0)
        abort();
    return 0;
}
