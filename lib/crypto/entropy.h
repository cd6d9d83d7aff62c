/* entropy.h - seed material for the DRBG, freestanding so the kernel can use it.
 *
 * Sources: the CPU's RDSEED (preferred) or RDRAND instructions, with the retry counts Intel
 * recommends and a stuck-output check; and timing jitter, the low bits of rdtsc deltas around a
 * small workload, with the SP 800-90B repetition-count and adaptive-proportion health tests. All samples are
 * compressed with SHAKE256 into the requested bytes. gather succeeds when at least one source
 * passed its checks and reports which ones did. Entropy estimates are NOT validated (no
 * SP 800-90B assessment); see docs/CRYPTO.md. Hosted code can use entropy_os() (getrandom). */
#ifndef PLADOF_LIB_CRYPTO_ENTROPY_H
#define PLADOF_LIB_CRYPTO_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

#define ENTROPY_SRC_RDSEED 1u
#define ENTROPY_SRC_RDRAND 2u
#define ENTROPY_SRC_JITTER 4u
#define ENTROPY_SRC_ALL 7u

#define ENTROPY_JITTER_SAMPLES 4096 /* rdtsc deltas per gather: 512 bits at the assumed 1/8 bit each */

/* Fills out[len] from the allowed sources (a mask of ENTROPY_SRC_*). Returns 0 and sets *used
 * (may be NULL) to the sources that contributed, or -1 when none passed (out zeroed). */
int entropy_gather_ex(uint8_t *out, size_t len, unsigned allow, unsigned *used);
/* entropy_gather_ex with every source allowed. */
int entropy_gather(uint8_t *out, size_t len, unsigned *used);

/* One 64-bit word from RDSEED (rdseed = 1) or RDRAND, retrying as Intel advises; 0 on success,
 * -1 when the instruction is missing or keeps failing. */
int entropy_hw_u64(uint64_t *out, int rdseed);
/* Health test of a series of hardware words: -1 when two consecutive words are equal (a stuck
 * generator, e.g. the all-ones failure of some CPUs), else 0. */
int entropy_hw_health(const uint64_t *w, size_t n);
/* SP 800-90B repetition-count and adaptive-proportion tests on timing deltas, for an assumed
 * 1/8 bit of min-entropy per delta: -1 when 161 equal values occur in a row, or when a window of
 * 512 deltas holds its first value 497 times or more; else 0. */
int entropy_jitter_health(const uint64_t *deltas, size_t n);

#ifndef PLADOF_KERNEL
/* Hosted only (entropy_getrandom.c): len bytes from the OS via getrandom(2); 0 or -1. */
int entropy_os(uint8_t *out, size_t len);
#endif

#endif
