/* maps.h - eBPF maps: fixed-capacity array and hash tables in caller-provided storage.
 *
 * A map never allocates: ebpf_map_storage_size() says how many bytes a map of a given shape
 * needs, the caller supplies that much (8-byte aligned) to ebpf_map_init(), and every entry
 * lives there for the map's lifetime. Value pointers returned by lookup stay valid (values never
 * move) until the entry is deleted; programs may read and write value_size bytes through them.
 *
 * Array: keys are u32 indexes 0..max_entries-1, every entry exists (zero-initialised), delete
 * is refused (EBPF_EINVAL). Hash: open addressing with linear probing over a power-of-two slot
 * count of at least 2 x max_entries; deletion leaves a tombstone so values stay put.
 *
 * Not thread-safe: callers serialise access to a map (the engines run one program at a time). */
#ifndef PLADOF_LIB_EBPF_MAPS_H
#define PLADOF_LIB_EBPF_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/vm.h"

enum ebpf_map_type {
    EBPF_MAP_ARRAY = 1,
    EBPF_MAP_HASH = 2,
};

/* Update flags (as in Linux). */
#define EBPF_ANY 0u         /* create or replace */
#define EBPF_NOEXIST 1u     /* create only */
#define EBPF_EXIST 2u       /* replace only */

#define EBPF_MAP_MAX_KEY 512u
#define EBPF_MAP_MAX_VALUE 65536u
#define EBPF_MAP_MAX_ENTRIES (1u << 24)

struct ebpf_map {
    uint32_t type;          /* enum ebpf_map_type */
    uint32_t key_size;      /* bytes; 4 for arrays */
    uint32_t value_size;    /* bytes */
    uint32_t max_entries;
    uint32_t count;         /* live entries (hash); max_entries for arrays */
    uint32_t nslots;        /* hash: slot count (power of two); array: max_entries */
    uint32_t tombstones;    /* hash: deleted slots not yet reused */
    uint32_t slot_size;     /* bytes per slot */
    uint64_t hash_seed;     /* hash: mixed into every key hash */
    uint8_t *storage;
    size_t storage_size;
};

/* Bytes of storage a map of this shape needs, or 0 if the shape is invalid (type unknown, sizes
 * zero or above the EBPF_MAP_MAX_* limits, array key_size != 4). */
size_t ebpf_map_storage_size(uint32_t type, uint32_t key_size, uint32_t value_size,
                             uint32_t max_entries);

/* Initialises `m` over storage[0..storage_size) (8-byte aligned) and zeroes it. Returns 0,
 * EBPF_EINVAL for a bad shape or misaligned storage, EBPF_ENOSPC if storage_size is too small. */
int ebpf_map_init(struct ebpf_map *m, uint32_t type, uint32_t key_size, uint32_t value_size,
                  uint32_t max_entries, void *storage, size_t storage_size, uint64_t hash_seed);

/* The value for `key` (key_size bytes), or NULL. */
void *ebpf_map_lookup(struct ebpf_map *m, const void *key);

/* Stores value_size bytes of `value` under `key`. Returns 0, EBPF_EINVAL (bad flags, array index
 * out of range), EBPF_EEXIST (NOEXIST and present), EBPF_ENOENT (EXIST and absent; arrays: never),
 * EBPF_EFULL (hash at max_entries). */
int ebpf_map_update(struct ebpf_map *m, const void *key, const void *value, uint64_t flags);

/* Removes `key`. Returns 0, EBPF_ENOENT, or EBPF_EINVAL for arrays. */
int ebpf_map_delete(struct ebpf_map *m, const void *key);

/* True if [addr, addr+len) lies inside one value of `m` (live or not); used by the checked
 * interpreter to allow accesses through map value pointers. */
bool ebpf_map_owns(const struct ebpf_map *m, uintptr_t addr, uint64_t len);

#endif
