/* maps.c - array and hash maps over caller-provided storage (see maps.h for the contract).
 *
 * Slot layout. Array: value_size rounded up to 8 bytes per index. Hash: an 8-byte header
 * (state: empty, live or tombstone), then the key rounded up to 8, then the value rounded up to
 * 8, so every value is 8-byte aligned and never moves: a pointer handed out by lookup stays
 * valid until that key is deleted. Probing is linear from the key's hash; a probe stops at the
 * first empty slot, and after visiting every slot at most (tombstones can fill a table). */
#include "lib/ebpf/maps.h"

#include "lib/base/mem.h"

enum { SLOT_EMPTY = 0, SLOT_LIVE = 1, SLOT_TOMB = 2 };

static uint64_t round8(uint64_t n) { return (n + 7u) & ~(uint64_t)7u; }

static uint32_t hash_slots(uint32_t max_entries)
{
    uint32_t n = 4;
    while (n < 2u * max_entries)
        n <<= 1;
    return n;
}

static bool shape_ok(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries)
{
    if (value_size == 0 || value_size > EBPF_MAP_MAX_VALUE || max_entries == 0 ||
        max_entries > EBPF_MAP_MAX_ENTRIES)
        return false;
    if (type == EBPF_MAP_ARRAY)
        return key_size == 4;
    if (type == EBPF_MAP_HASH)
        return key_size > 0 && key_size <= EBPF_MAP_MAX_KEY;
    return false;
}

size_t ebpf_map_storage_size(uint32_t type, uint32_t key_size, uint32_t value_size,
                             uint32_t max_entries)
{
    if (!shape_ok(type, key_size, value_size, max_entries))
        return 0;
    if (type == EBPF_MAP_ARRAY)
        return (size_t)(round8(value_size) * max_entries);
    return (size_t)((8u + round8(key_size) + round8(value_size)) * hash_slots(max_entries));
}

int ebpf_map_init(struct ebpf_map *m, uint32_t type, uint32_t key_size, uint32_t value_size,
                  uint32_t max_entries, void *storage, size_t storage_size, uint64_t hash_seed)
{
    size_t need = ebpf_map_storage_size(type, key_size, value_size, max_entries);
    if (!m || need == 0 || !storage || ((uintptr_t)storage & 7u))
        return EBPF_EINVAL;
    if (storage_size < need)
        return EBPF_ENOSPC;
    memset(m, 0, sizeof(*m));
    m->type = type;
    m->key_size = key_size;
    m->value_size = value_size;
    m->max_entries = max_entries;
    m->hash_seed = hash_seed;
    m->storage = storage;
    m->storage_size = need;
    if (type == EBPF_MAP_ARRAY) {
        m->nslots = max_entries;
        m->slot_size = (uint32_t)round8(value_size);
        m->count = max_entries;
    } else {
        m->nslots = hash_slots(max_entries);
        m->slot_size = (uint32_t)(8u + round8(key_size) + round8(value_size));
    }
    memset(storage, 0, need);
    return 0;
}

/* 64-bit mix of the key bytes: a multiply-xorshift per 8-byte word, seeded per map. Not a
 * keyed PRF: a hostile key set can still collide, which costs probes, never correctness. */
static uint64_t key_hash(const struct ebpf_map *m, const uint8_t *key)
{
    uint64_t h = m->hash_seed ^ 0x9e3779b97f4a7c15ull ^ m->key_size;
    for (uint32_t i = 0; i < m->key_size; i += 8) {
        uint64_t w = 0;
        uint32_t n = m->key_size - i < 8 ? m->key_size - i : 8;
        memcpy(&w, key + i, n);
        h ^= w;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static uint8_t *slot_at(const struct ebpf_map *m, uint32_t i)
{
    return m->storage + (size_t)i * m->slot_size;
}
static uint8_t *slot_key(uint8_t *s) { return s + 8; }
static uint8_t *slot_value(const struct ebpf_map *m, uint8_t *s)
{
    return s + 8 + round8(m->key_size);
}

/* Finds `key`: returns its slot index, or -1. *free_slot gets the first reusable slot seen
 * (tombstone or empty) or -1. */
static int64_t hash_find(const struct ebpf_map *m, const uint8_t *key, int64_t *free_slot)
{
    uint32_t mask = m->nslots - 1, i = (uint32_t)key_hash(m, key) & mask;
    *free_slot = -1;
    for (uint32_t n = 0; n < m->nslots; n++, i = (i + 1) & mask) {
        uint8_t *s = slot_at(m, i);
        uint32_t state;
        memcpy(&state, s, 4);
        if (state == SLOT_EMPTY) {
            if (*free_slot < 0)
                *free_slot = i;
            return -1;
        }
        if (state == SLOT_TOMB) {
            if (*free_slot < 0)
                *free_slot = i;
            continue;
        }
        if (memcmp(slot_key(s), key, m->key_size) == 0)
            return i;
    }
    return -1;
}

void *ebpf_map_lookup(struct ebpf_map *m, const void *key)
{
    if (m->type == EBPF_MAP_ARRAY) {
        uint32_t idx;
        memcpy(&idx, key, 4);
        return idx < m->max_entries ? slot_at(m, idx) : NULL;
    }
    int64_t free_slot, i = hash_find(m, key, &free_slot);
    return i < 0 ? NULL : slot_value(m, slot_at(m, (uint32_t)i));
}

int ebpf_map_update(struct ebpf_map *m, const void *key, const void *value, uint64_t flags)
{
    if (flags > EBPF_EXIST)
        return EBPF_EINVAL;
    if (m->type == EBPF_MAP_ARRAY) {
        uint32_t idx;
        memcpy(&idx, key, 4);
        if (idx >= m->max_entries)
            return EBPF_EINVAL;
        if (flags == EBPF_NOEXIST)
            return EBPF_EEXIST;     /* every array entry always exists */
        memcpy(slot_at(m, idx), value, m->value_size);
        return 0;
    }
    int64_t free_slot, i = hash_find(m, key, &free_slot);
    if (i >= 0) {
        if (flags == EBPF_NOEXIST)
            return EBPF_EEXIST;
        memcpy(slot_value(m, slot_at(m, (uint32_t)i)), value, m->value_size);
        return 0;
    }
    if (flags == EBPF_EXIST)
        return EBPF_ENOENT;
    if (m->count >= m->max_entries || free_slot < 0)
        return EBPF_EFULL;
    uint8_t *s = slot_at(m, (uint32_t)free_slot);
    uint32_t state;
    memcpy(&state, s, 4);
    if (state == SLOT_TOMB)
        m->tombstones--;
    state = SLOT_LIVE;
    memcpy(s, &state, 4);
    memcpy(slot_key(s), key, m->key_size);
    memcpy(slot_value(m, s), value, m->value_size);
    m->count++;
    return 0;
}

int ebpf_map_delete(struct ebpf_map *m, const void *key)
{
    if (m->type == EBPF_MAP_ARRAY)
        return EBPF_EINVAL;
    int64_t free_slot, i = hash_find(m, key, &free_slot);
    if (i < 0)
        return EBPF_ENOENT;
    uint8_t *s = slot_at(m, (uint32_t)i);
    uint32_t state = SLOT_TOMB;
    memcpy(s, &state, 4);
    memset(slot_value(m, s), 0, m->value_size);
    m->count--;
    m->tombstones++;
    /* When nothing is live, every slot can go back to empty: probes get short again. */
    if (m->count == 0) {
        memset(m->storage, 0, m->storage_size);
        m->tombstones = 0;
    }
    return 0;
}

bool ebpf_map_owns(const struct ebpf_map *m, uintptr_t addr, uint64_t len)
{
    uintptr_t base = (uintptr_t)m->storage;
    if (addr < base || len == 0 || len > m->value_size)
        return false;
    uint64_t rel = addr - base;
    if (rel >= m->storage_size)
        return false;
    uint64_t in = rel % m->slot_size;   /* offset inside its slot */
    uint64_t voff = m->type == EBPF_MAP_ARRAY ? 0 : 8 + round8(m->key_size);
    return in >= voff && in - voff + len <= m->value_size;
}
