/* rewrite.c - a program that writes its input: swaps the Ethernet source and destination
 * addresses and decrements the IPv4 TTL. Its section is "xdp", whose programs may write their
 * input (the harness and pladof-bpf give sections named xdp* a writable input); the same code
 * in a "socket" section must be rejected ("write to read-only input"). Returns the new TTL, or
 * 0 for frames it does not touch. */
#include "pladof_bpf.h"

static inline int rewrite_frame(u8 *pkt, u64 len)
{
    if (len < 34 || pkt[12] != 0x08 || pkt[13] != 0x00)
        return 0;
    for (int i = 0; i < 6; i++) {
        u8 t = pkt[i];
        pkt[i] = pkt[6 + i];
        pkt[6 + i] = t;
    }
    if (pkt[22] > 1)
        pkt[22]--;
    return pkt[22];
}

SEC("xdp")
int rewrite(u8 *pkt, u64 len)
{
    return rewrite_frame(pkt, len);
}

SEC("socket/rewrite")
int rewrite_ro(u8 *pkt, u64 len)
{
    return rewrite_frame(pkt, len);
}
