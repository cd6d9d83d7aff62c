/* test_maps.c - array and hash maps: shape validation, storage limits, lookup/update/delete with
 * every flag, a full hash table, tombstone reuse, a randomised comparison against a simple
 * reference model, and programs that use maps through helpers and lddw on every engine. */
#include "tests/ebpf/ebpf_test.h"

static uint64_t store_a[4096], store_h[8192];

static void shapes(void)
{
    struct ebpf_map m;
    tap_eq(ebpf_map_storage_size(EBPF_MAP_ARRAY, 4, 12, 10), 160, "array storage: 10 x round8(12)");
    tap_eq(ebpf_map_storage_size(EBPF_MAP_ARRAY, 8, 8, 10), 0, "array key must be 4 bytes");
    tap_eq(ebpf_map_storage_size(EBPF_MAP_HASH, 0, 8, 10), 0, "hash key size 0 refused");
    tap_eq(ebpf_map_storage_size(EBPF_MAP_HASH, 8, 0, 10), 0, "value size 0 refused");
    tap_eq(ebpf_map_storage_size(EBPF_MAP_HASH, 8, 8, 0), 0, "max_entries 0 refused");
    tap_eq(ebpf_map_storage_size(EBPF_MAP_HASH, EBPF_MAP_MAX_KEY + 1, 8, 1), 0, "oversized key refused");
    tap_eq(ebpf_map_storage_size(9, 4, 8, 1), 0, "unknown type refused");
    tap_eq(ebpf_map_init(&m, EBPF_MAP_ARRAY, 4, 8, 10, store_a, 79, 0), EBPF_ENOSPC, "too little storage");
    tap_eq(ebpf_map_init(&m, EBPF_MAP_ARRAY, 4, 8, 10, (uint8_t *)store_a + 1, 200, 0), EBPF_EINVAL,
           "misaligned storage");
    tap_eq(ebpf_map_init(&m, EBPF_MAP_HASH, 4, 8, 10, NULL, 4096, 0), EBPF_EINVAL, "null storage");
}

static void array_map(void)
{
    struct ebpf_map m;
    uint32_t k;
    uint64_t v = 77, *p;
    tap_eq(ebpf_map_init(&m, EBPF_MAP_ARRAY, 4, 8, 16, store_a, sizeof(store_a), 0), 0, "array init");
    k = 3;
    p = ebpf_map_lookup(&m, &k);
    tap_ok(p && *p == 0, "array entries exist and start at zero");
    tap_eq(ebpf_map_update(&m, &k, &v, EBPF_ANY), 0, "array update");
    tap_ok(*(uint64_t *)ebpf_map_lookup(&m, &k) == 77, "array lookup sees the update");
    tap_eq(ebpf_map_update(&m, &k, &v, EBPF_NOEXIST), EBPF_EEXIST, "array NOEXIST always exists");
    tap_eq(ebpf_map_update(&m, &k, &v, EBPF_EXIST), 0, "array EXIST");
    tap_eq(ebpf_map_update(&m, &k, &v, 7), EBPF_EINVAL, "bad flags refused");
    k = 16;
    tap_ok(ebpf_map_lookup(&m, &k) == NULL, "array index == max_entries misses");
    tap_eq(ebpf_map_update(&m, &k, &v, EBPF_ANY), EBPF_EINVAL, "array update out of range");
    k = 0xffffffff;
    tap_ok(ebpf_map_lookup(&m, &k) == NULL, "array index 2^32-1 misses");
    tap_eq(ebpf_map_delete(&m, &k), EBPF_EINVAL, "array delete refused");
    k = 5;
    p = ebpf_map_lookup(&m, &k);
    tap_ok(ebpf_map_owns(&m, (uintptr_t)p, 8), "owns a whole value");
    tap_ok(!ebpf_map_owns(&m, (uintptr_t)p + 1, 8), "does not own a value plus one byte");
    tap_ok(!ebpf_map_owns(&m, (uintptr_t)store_a + sizeof(store_a), 1), "does not own past storage");
}

static void hash_map(void)
{
    struct ebpf_map m;
    uint64_t k;
    size_t need = ebpf_map_storage_size(EBPF_MAP_HASH, 8, 16, 8);
    tap_ok(need > 0 && need <= sizeof(store_h), "hash storage size %zu", need);
    tap_eq(ebpf_map_init(&m, EBPF_MAP_HASH, 8, 16, 8, store_h, need, 42), 0, "hash init");
    k = 1;
    tap_ok(ebpf_map_lookup(&m, &k) == NULL, "empty hash misses");
    tap_eq(ebpf_map_delete(&m, &k), EBPF_ENOENT, "delete of absent key");
    uint64_t val[2] = { 10, 20 };
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_EXIST), EBPF_ENOENT, "EXIST on absent key");
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_NOEXIST), 0, "NOEXIST insert");
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_NOEXIST), EBPF_EEXIST, "NOEXIST on present key");
    uint64_t *p = ebpf_map_lookup(&m, &k);
    tap_ok(p && p[0] == 10 && p[1] == 20, "hash lookup");
    val[0] = 11;
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_EXIST), 0, "EXIST replace");
    tap_ok(p == ebpf_map_lookup(&m, &k) && p[0] == 11, "value replaced in place");
    for (k = 2; k <= 8; k++)
        ebpf_map_update(&m, &k, val, EBPF_ANY);
    tap_eq(m.count, 8, "eight entries");
    k = 9;
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_ANY), EBPF_EFULL, "ninth entry refused");
    k = 4;
    tap_eq(ebpf_map_delete(&m, &k), 0, "delete");
    tap_ok(ebpf_map_lookup(&m, &k) == NULL, "deleted key misses");
    k = 9;
    tap_eq(ebpf_map_update(&m, &k, val, EBPF_ANY), 0, "room again after delete");
    for (k = 1; k <= 9; k++)
        if (k != 4)
            tap_ok(ebpf_map_lookup(&m, &k) != NULL, "key %llu still present", (unsigned long long)k);
}

/* Randomised: 20000 operations on a 64-entry hash map with keys from a small space, checked
 * against a direct-indexed model. Exercises collisions, tombstones and reuse. */
static void hash_model(void)
{
    struct ebpf_map m;
    uint32_t key;
    uint32_t value;
    int64_t model[256];
    int live = 0, mismatches = 0;
    for (int i = 0; i < 256; i++)
        model[i] = -1;
    size_t need = ebpf_map_storage_size(EBPF_MAP_HASH, 4, 4, 64);
    ebpf_map_init(&m, EBPF_MAP_HASH, 4, 4, 64, store_h, need, 7);
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        key = (uint32_t)(s % 256);
        value = (uint32_t)(s >> 32);
        int op = (int)((s >> 20) % 3);
        if (op == 0) {
            int rc = ebpf_map_update(&m, &key, &value, EBPF_ANY);
            int want = (model[key] < 0 && live >= 64) ? EBPF_EFULL : 0;
            if (rc != want)
                mismatches++;
            if (rc == 0) {
                if (model[key] < 0)
                    live++;
                model[key] = value;
            }
        } else if (op == 1) {
            int rc = ebpf_map_delete(&m, &key);
            if (rc != (model[key] < 0 ? EBPF_ENOENT : 0))
                mismatches++;
            if (model[key] >= 0)
                live--;
            model[key] = -1;
        } else {
            uint32_t *p = ebpf_map_lookup(&m, &key);
            if ((p == NULL) != (model[key] < 0) || (p && *p != (uint32_t)model[key]))
                mismatches++;
        }
    }
    tap_eq(mismatches, 0, "hash map agrees with the model over 20000 random operations");
    tap_eq(m.count, live, "live count agrees");
}

/* Programs using maps on every engine. */
static void programs(void)
{
    static uint64_t sa[64], sh[1024];
    static struct ebpf_map arr, hash;
    ebpf_map_init(&arr, EBPF_MAP_ARRAY, 4, 8, 8, sa, sizeof(sa), 0);
    ebpf_map_init(&hash, EBPF_MAP_HASH, 8, 8, 16, sh, sizeof(sh), 1);
    et_maps[0] = &arr;
    et_maps[1] = &hash;
    et_nmaps = 2;
    /* Each engine runs on the same maps: the counter goes 1, 2, 3. */
    static const char counter[] =
        "stw [%r10-4], 2\n"
        "lddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
        "jeq %r0, 0, miss\n"
        "mov %r1, 1\nlock add [%r0+0], %r1\nldxdw %r0, [%r0+0]\nexit\n"
        "miss: mov %r0, -1\nexit";
    static struct ebpf_insn insns[ET_MAX];
    int n = et_asm(counter, insns);
    for (int e = 0; e < ET_ENGINES; e++) {
        uint64_t r0;
        int rc = et_exec(e, insns, n, NULL, 0, &r0);
        tap_ok(rc == 0 && r0 == (uint64_t)e + 1, "array counter via lookup [%s] = %llu", et_engine_name[e],
               (unsigned long long)r0);
    }
    et_expect("hash update then lookup",
              "stdw [%r10-8], 1234\nstdw [%r10-16], 99\n"
              "lddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -8\nmov %r3, %r10\nadd %r3, -16\nmov %r4, 0\ncall 2\n"
              "jne %r0, 0, fail\n"
              "lddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -8\ncall 1\njeq %r0, 0, fail\n"
              "ldxdw %r0, [%r0+0]\nexit\nfail: mov %r0, -1\nexit", 99);
    et_expect("hash delete returns 0 then ENOENT",
              "stdw [%r10-8], 1234\n"
              "lddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -8\nmov %r3, %r2\nmov %r4, 0\ncall 2\n"
              "lddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -8\ncall 3\nmov %r6, %r0\n"
              "lddw %r1, map[1]\nmov %r2, %r10\nadd %r2, -8\ncall 3\nlsh %r6, 8\nsub %r6, %r0\nmov %r0, %r6\nexit",
              (uint64_t)-EBPF_ENOENT);
    et_expect("lddw map_value gives the array storage",
              "lddw %r1, map_value[0]+16\nstdw [%r1+0], 55\n"
              "stw [%r10-4], 2\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\ncall 1\nldxdw %r0, [%r0+0]\nexit", 55);
    et_expect_fail("checked: map value access past the value", ET_CHECKED,
                   "stw [%r10-4], 7\nlddw %r1, map[0]\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
                   "jeq %r0, 0, out\nldxdw %r0, [%r0+8]\nout: exit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("checked: helper key pointer outside memory", ET_CHECKED,
                   "lddw %r1, map[1]\nmov %r2, 64\ncall 1\nexit", NULL, 0, EBPF_EFAULT);
    et_expect_fail("checked: helper map argument not a map", ET_CHECKED,
                   "mov %r1, %r10\nadd %r1, -64\nmov %r2, %r10\nadd %r2, -8\ncall 1\nexit", NULL, 0,
                   EBPF_EFAULT);
    et_nmaps = 0;
}

int main(void)
{
    et_init();
    shapes();
    array_map();
    hash_map();
    hash_model();
    programs();
    return tap_done();
}
