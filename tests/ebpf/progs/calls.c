/* calls.c - bpf-to-bpf calls: noinline static and global functions in .text, one taking a
 * pointer into its caller's stack, nested two deep. */
#include "pladof_bpf.h"

static NOINLINE u64 mix(u64 a, u64 b)
{
    return (a * 31) ^ (b + 7);
}

static NOINLINE void store_pair(u64 *out, u64 a, u64 b)
{
    out[0] = mix(a, b);
    out[1] = mix(b, a);
}

NOINLINE u64 fold(u64 x)
{
    return (x >> 32) ^ (x & 0xffffffff);
}

SEC("socket")
int calls(const u8 *pkt, u64 len)
{
    u64 pair[2];
    u64 a = len >= 2 ? pkt[0] : 1, b = len >= 2 ? pkt[1] : 2;
    store_pair(pair, a, b);
    return (int)(fold(pair[0] + pair[1]) & 0xffff);
}
