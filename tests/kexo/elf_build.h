/* elf_build.h - builds small ELF64 images in memory for the ELF loader's hosted tests and fuzz seeds. */
#ifndef PLADOF_TESTS_KEXO_ELF_BUILD_H
#define PLADOF_TESTS_KEXO_ELF_BUILD_H

#include <stdint.h>
#include <string.h>

struct tseg {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz;
};

static void put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes an ELF header with phnum program headers at offset 64, then the headers. Returns the
 * image size: max(64 + 56 * n, min_size). */
static size_t elf_build(uint8_t *buf, size_t cap, uint64_t entry, const struct tseg *s, unsigned n, size_t min_size)
{
    size_t size = 64 + 56 * (size_t)n;
    if (size < min_size)
        size = min_size;
    if (size > cap)
        size = cap;
    memset(buf, 0, size);
    memcpy(buf, "\x7f" "ELF", 4);
    buf[4] = 2, buf[5] = 1, buf[6] = 1;
    put(buf + 16, 2, 2);    /* ET_EXEC */
    put(buf + 18, 62, 2);   /* EM_X86_64 */
    put(buf + 20, 1, 4);
    put(buf + 24, entry, 8);
    put(buf + 32, 64, 8);   /* phoff */
    put(buf + 52, 64, 2);
    put(buf + 54, 56, 2);
    put(buf + 56, n, 2);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *ph = buf + 64 + 56 * i;
        put(ph, s[i].type, 4);
        put(ph + 4, s[i].flags, 4);
        put(ph + 8, s[i].offset, 8);
        put(ph + 16, s[i].vaddr, 8);
        put(ph + 24, s[i].vaddr, 8);
        put(ph + 32, s[i].filesz, 8);
        put(ph + 40, s[i].memsz, 8);
        put(ph + 48, 4096, 8);
    }
    return size;
}

#endif
