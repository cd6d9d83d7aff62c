/* ebpf_elf_fuzz.c - libFuzzer harness for the ELF loader: any byte string is loaded and every
 * program in it linked. The loader must never read outside the input (ASan) nor misbehave on
 * integer overflow (UBSan); a successfully linked program must respect the output bound. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/elf_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ebpf_elf_obj obj;
    static uint8_t out[8 * 1024];
    char err[160];
    /* A private copy of exactly `size` bytes so that any overread is caught. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (ebpf_elf_load(&obj, buf, size, err, sizeof(err)) == 0) {
        for (uint32_t i = 0; i < obj.nprogs; i++) {
            uint32_t n = 0;
            if (ebpf_elf_link(&obj, i, out, 1024, &n, err, sizeof(err)) == 0 && n > 1024)
                abort();
        }
        (void)ebpf_elf_find_prog(&obj, "socket");
    }
    if (!memchr(err, 0, sizeof(err)))
        abort(); /* messages are always terminated */
    free(buf);
    return 0;
}
