/* native.h - the benchmark programs written in C, compiled by gcc -O2: the floor the engines
 * are compared against. Each computes exactly what the eBPF program of the same name does. */
#ifndef PLADOF_BENCH_EBPF_NATIVE_H
#define PLADOF_BENCH_EBPF_NATIVE_H

#include <stddef.h>
#include <stdint.h>

uint64_t native_sum(const uint8_t *mem, uint64_t len);
uint64_t native_fnv(const uint8_t *mem, uint64_t len);
uint64_t native_filter(const uint8_t *mem, uint64_t len);
uint64_t native_primes(uint64_t limit);

#endif
