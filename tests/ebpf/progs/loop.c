/* loop.c - bounded loops the verifier must prove finite.
 * "checksum": a fixed 64-iteration loop over the input (kept as a loop, not unrolled).
 * "varloop": a loop whose trip count comes from the input, masked to at most 31. */
#include "pladof_bpf.h"

SEC("socket")
int checksum(const u8 *pkt, u64 len)
{
    if (len < 64)
        return 0;
    u32 sum = 0;
#pragma clang loop unroll(disable)
    for (u32 i = 0; i < 64; i++)
        sum = (sum << 1 | sum >> 31) ^ pkt[i];
    return (int)(sum & 0x7fffffff);
}

SEC("socket/varloop")
int varloop(const u8 *pkt, u64 len)
{
    if (len < 33)
        return 0;
    u32 n = pkt[0] & 31, sum = 0;
#pragma clang loop unroll(disable)
    for (u32 i = 0; i < n; i++)
        sum += pkt[1 + i];
    return (int)sum;
}
