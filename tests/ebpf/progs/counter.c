/* counter.c - counts packets per length bucket in a hash map and in total in an array map.
 * Exercises: legacy map definitions, map lookup/update helpers, the null check of a lookup,
 * an atomic add into a map value, and a bpf-to-bpf call into .text. Returns the total count. */
#include "pladof_bpf.h"

struct bpf_map_def counts SEC("maps") = {
    .type = MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 16,
};
struct bpf_map_def totals SEC("maps") = {
    .type = MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1,
};

static NOINLINE u32 bucket(u64 len)
{
    return (u32)(len * 2654435761u >> 7) & 3;
}

SEC("socket")
int count(const u8 *pkt, u64 len)
{
    u32 key = bucket(len);
    u64 *v = map_lookup_elem(&counts, &key);
    if (v) {
        __sync_fetch_and_add(v, 1);
    } else {
        u64 one = 1;
        map_update_elem(&counts, &key, &one, 0);
    }
    u32 zero = 0;
    u64 *t = map_lookup_elem(&totals, &zero);
    if (!t)
        return 0;
    *t += 1;
    return (int)*t;
}
