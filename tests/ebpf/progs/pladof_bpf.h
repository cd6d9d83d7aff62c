/* pladof_bpf.h - what PLADOF eBPF test programs need: section markers, the legacy map definition
 * the ELF loader reads, and the helper prototypes (ids from lib/ebpf/vm.h).
 * Compiled only by `clang -target bpf -O2 -c`, never by the host compiler. */
#ifndef PLADOF_TESTS_EBPF_PROGS_BPF_H
#define PLADOF_TESTS_EBPF_PROGS_BPF_H

#define SEC(name) __attribute__((section(name), used))
#define NOINLINE __attribute__((noinline))

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

/* Legacy map definition: 5 u32 fields, 20 bytes, in SEC("maps"). */
struct bpf_map_def {
    u32 type, key_size, value_size, max_entries, map_flags;
};

#define MAP_TYPE_ARRAY 1
#define MAP_TYPE_HASH 2

static void *(*map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static long (*map_delete_elem)(void *map, const void *key) = (void *)3;

#endif
