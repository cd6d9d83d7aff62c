/* entropy.c - hardware and jitter entropy for the DRBG (see entropy.h). Freestanding: the
 * only instructions used are CPUID (through cpu_features), RDSEED/RDRAND and RDTSC. */
#include "lib/crypto/entropy.h"

#include "lib/base/mem.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"

#define HW_WORDS 8 /* 512 bits of hardware output per gather */

static int rdrand64(uint64_t *v)
{
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
    return ok;
}

static int rdseed64(uint64_t *v)
{
    unsigned char ok;
    __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
    return ok;
}

static inline uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int entropy_hw_u64(uint64_t *out, int rdseed)
{
    struct cpu_features f = cpu_features_detected();
    if (rdseed ? !f.rdseed : !f.rdrand)
        return -1;
    /* RDRAND: 10 retries (Intel DRNG guide). RDSEED may underflow under load: more retries with a pause. */
    int tries = rdseed ? 100 : 10;
    for (int i = 0; i < tries; i++) {
        if (rdseed ? rdseed64(out) : rdrand64(out))
            return 0;
        __asm__ volatile("pause");
    }
    return -1;
}

int entropy_hw_health(const uint64_t *w, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (w[i] == w[i - 1])
            return -1;
    return 0;
}

/* SP 800-90B 4.4 health tests, run online, for an assumed min-entropy of H = 1/8 bit per
 * delta. That is deliberately low: on the development VM (TSC granularity 21 cycles) one delta
 * value often makes up ~85% of a window, i.e. about 0.25 bit, and a 0.25-bit claim failed the
 * test often. Repetition count: cutoff 1 + ceil(20 / H) = 161 equal values in a row. Adaptive
 * proportion: in each window of 512 deltas the window's first value may occur at most 496 times
 * (critical binomial value for p = 2^-H at false-alarm rate 2^-20). */
#define RCT_CUTOFF 161
#define APT_WINDOW 512
#define APT_CUTOFF 497

struct jitter_health {
    uint64_t last, apt_first;
    unsigned run, apt_count, apt_n;
    int failed;
};

static void health_feed(struct jitter_health *h, uint64_t v, int first)
{
    h->run = (!first && v == h->last) ? h->run + 1 : 1;
    h->last = v;
    if (h->run >= RCT_CUTOFF)
        h->failed = 1;
    if (h->apt_n == 0) {
        h->apt_first = v;
        h->apt_count = 1;
    } else if (v == h->apt_first) {
        h->apt_count++;
    }
    if (h->apt_count >= APT_CUTOFF)
        h->failed = 1;
    if (++h->apt_n == APT_WINDOW)
        h->apt_n = 0;
}

int entropy_jitter_health(const uint64_t *d, size_t n)
{
    struct jitter_health h = { 0 };
    for (size_t i = 0; i < n; i++)
        health_feed(&h, d[i], i == 0);
    return h.failed ? -1 : 0;
}

/* Timing of a loop of scattered writes over 64 KiB: cache and TLB misses, interrupts and
 * frequency changes all perturb it. (A 4 KiB buffer that stays in L1 gave nearly constant
 * deltas on a VM with a coarse TSC and failed the health test.) The write addresses depend on
 * earlier timings, which is intended; races between CPUs on the scratch buffer are harmless. */
static int jitter_absorb(keccak_state *st, size_t n)
{
    static volatile uint8_t scratch[1 << 16];
    struct jitter_health h = { 0 };
    uint64_t d[64], x = rdtsc_now();
    for (size_t i = 0; i < n; i++) {
        uint64_t t0 = rdtsc_now();
        for (int k = 0; k < 64; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            scratch[(x >> 48) & 0xffff] ^= (uint8_t)x;
        }
        uint64_t t1 = rdtsc_now();
        d[i % 64] = t1 - t0;
        x ^= t1 - t0;
        health_feed(&h, t1 - t0, i == 0);
        if (i % 64 == 63 || i == n - 1)
            keccak_absorb(st, (const uint8_t *)d, 8 * (i % 64 + 1));
    }
    ct_wipe(d, sizeof d);
    return h.failed ? -1 : 0;
}

int entropy_gather_ex(uint8_t *out, size_t len, unsigned allow, unsigned *used)
{
    keccak_state st;
    unsigned ok = 0;
    shake256_init(&st);
    static const uint8_t label[] = "PLADOF-entropy/v1";
    keccak_absorb(&st, label, sizeof label - 1);

    uint64_t w[HW_WORDS];
    for (int src = 0; src < 2; src++) {
        unsigned bit = src == 0 ? ENTROPY_SRC_RDSEED : ENTROPY_SRC_RDRAND;
        if (!(allow & bit) || (ok & ENTROPY_SRC_RDSEED))
            continue; /* RDRAND only when RDSEED did not deliver */
        int good = 1;
        for (int i = 0; i < HW_WORDS && good; i++)
            good = entropy_hw_u64(&w[i], src == 0) == 0;
        if (good && entropy_hw_health(w, HW_WORDS) == 0) {
            keccak_absorb(&st, (const uint8_t *)w, sizeof w);
            ok |= bit;
        }
        ct_wipe(w, sizeof w);
    }
    if ((allow & ENTROPY_SRC_JITTER) && jitter_absorb(&st, ENTROPY_JITTER_SAMPLES) == 0)
        ok |= ENTROPY_SRC_JITTER; /* samples of a failing source are absorbed but not counted */
    if (used)
        *used = ok;
    if (!ok) {
        ct_wipe(&st, sizeof st);
        if (len)
            memset(out, 0, len);
        return -1;
    }
    keccak_finalize(&st);
    keccak_squeeze(&st, out, len);
    ct_wipe(&st, sizeof st);
    return 0;
}

int entropy_gather(uint8_t *out, size_t len, unsigned *used)
{
    return entropy_gather_ex(out, len, ENTROPY_SRC_ALL, used);
}
