/* fakephys.h - a "physical memory" window for hosted tests of the boot parsers: a buffer that
 * pretends to live at physical address `base`; reads outside it fail like unmapped memory. */
#ifndef PLADOF_TESTS_FAKEPHYS_H
#define PLADOF_TESTS_FAKEPHYS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fakephys {
    uint8_t *buf;
    uint64_t base;
    size_t len;
};

static const void *fakephys_read(void *ctx, uint64_t pa, size_t len)
{
    struct fakephys *f = ctx;
    if (pa < f->base || pa - f->base > f->len || len > f->len - (pa - f->base))
        return NULL;
    return f->buf + (pa - f->base);
}

static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

#endif
