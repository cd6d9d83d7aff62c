/* btf_maps.c - maps defined the BTF way (SEC(".maps") with __uint / __type), compiled with -g so
 * that clang emits the .BTF section the loader reads the shapes from. Counts frames per
 * EtherType's low byte in a hash map keyed by a struct, and returns the updated count. */
#include "pladof_bpf.h"

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

struct key {
    u16 ethertype;
    u16 pad;
};
struct stats {
    u64 frames, bytes;
};

struct {
    __uint(type, MAP_TYPE_HASH);
    __uint(max_entries, 8);
    __type(key, struct key);
    __type(value, struct stats);
} per_type SEC(".maps");

struct {
    __uint(type, MAP_TYPE_ARRAY);
    __uint(key_size, 4);
    __uint(value_size, 8);
    __uint(max_entries, 2);
} seen SEC(".maps");

SEC("socket")
int classify(const u8 *pkt, u64 len)
{
    if (len < 14)
        return 0;
    struct key k = { .ethertype = (u16)(pkt[12] << 8 | pkt[13]), .pad = 0 };
    struct stats *s = map_lookup_elem(&per_type, &k);
    if (!s) {
        struct stats init = { 0, 0 };
        map_update_elem(&per_type, &k, &init, 0);
        s = map_lookup_elem(&per_type, &k);
        if (!s)
            return 0;
    }
    s->frames++;
    s->bytes += len;
    u32 idx = 1;
    u64 *n = map_lookup_elem(&seen, &idx);
    if (n)
        *n += 1;
    return (int)s->frames;
}
