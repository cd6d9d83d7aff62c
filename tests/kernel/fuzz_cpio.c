/* fuzz_cpio.c - libFuzzer harness for the newc reader: any input must either parse or be refused;
 * every accepted entry's name and data must lie inside the input. */
#include <stdlib.h>
#include "kernel/core/cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cpio_iter it;
    struct cpio_entry e;
    const char *why;
    cpio_iter_init(&it, data, size);
    int r;
    while ((r = cpio_next(&it, &e, &why)) == 1) {
        const uint8_t *n = (const uint8_t *)e.name;
        if (n < data || n + e.namelen >= data + size || e.data < data || e.data + e.size > data + size)
            abort();
        if (e.name[e.namelen] != 0)
            abort();
    }
    if (r < 0 && (!why || !why[0]))
        abort(); /* every refusal names its reason */
    cpio_find(data, size, "README", &e, &why);
    return 0;
}
