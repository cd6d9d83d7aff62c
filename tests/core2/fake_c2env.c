/* fake_c2env.c - the hosted embedder for the core2 modules. See fake_c2env.h. */
#include "tests/core2/fake_c2env.h"

#include <string.h>

struct fake_as_store {
    uint8_t mem[FAKE_AS_SIZE];
};
static struct fake_as_store store[FAKE_AS_COUNT];
uint64_t fake_kicks[64];
uint64_t fake_copies, fake_user_writes;

struct aspace *fake_as(unsigned i)
{
    return (struct aspace *)&store[i];
}

static int as_index(const struct aspace *as)
{
    for (unsigned i = 0; i < FAKE_AS_COUNT; i++)
        if ((const void *)as == (const void *)&store[i])
            return (int)i;
    return -1;
}

uint8_t *fake_as_mem(unsigned i, uint64_t va)
{
    if (i >= FAKE_AS_COUNT || va < FAKE_AS_BASE || va >= FAKE_AS_BASE + FAKE_AS_SIZE)
        return NULL;
    return &store[i].mem[va - FAKE_AS_BASE];
}

static uint8_t *range(const struct aspace *as, uint64_t va, size_t n)
{
    int i = as_index(as);
    if (i < 0)
        return NULL;
    if (va < FAKE_AS_BASE || n > FAKE_AS_SIZE || va - FAKE_AS_BASE > FAKE_AS_SIZE - n)
        return NULL;
    return &store[i].mem[va - FAKE_AS_BASE];
}

void fake_c2env_reset(void)
{
    memset(store, 0, sizeof store);
    memset(fake_kicks, 0, sizeof fake_kicks);
    fake_copies = fake_user_writes = 0;
}

int c2env_user_write(struct aspace *as, uaddr_t va, const void *src, size_t n)
{
    uint8_t *p = range(as, va.va, n);
    if (!p)
        return EXO_EFAULT;
    memcpy(p, src, n);
    fake_user_writes++;
    return 0;
}

int c2env_copy(struct aspace *dst_as, uaddr_t dst, struct aspace *src_as, uaddr_t src, size_t n)
{
    uint8_t *d = range(dst_as, dst.va, n), *s = range(src_as, src.va, n);
    if (!d || !s)
        return EXO_EFAULT;
    memmove(d, s, n);
    fake_copies++;
    return 0;
}

void c2env_kick_cpu(unsigned cpu)
{
    if (cpu < 64)
        fake_kicks[cpu]++;
}

/* No registers to save here: a context's state lives in struct ctx only. */
void c2env_ctx_leaves_cpu(struct ctx *c) { (void)c; }

/* The portable core asks which CPU it runs on only to choose a timer queue: CPU 0's here. */
unsigned c2env_this_cpu(void) { return 0; }
