/* ports.c - reads the TCP destination port behind a variable-length IPv4 header. The read's
 * offset depends on the header length (IHL), so no constant length check covers it: the
 * program compares 14 + ihl + 4 with the input length, and the verifier links that sum to ihl
 * and the pointer built from it ("room" in docs/EBPF-VERIFIER.md). Returns the port, or 0. */
#include "pladof_bpf.h"
SEC("socket")
int ports(const u8 *pkt, u64 len)
{
    if (len < 34 || pkt[12] != 0x08 || pkt[13] != 0x00 || pkt[23] != 6)
        return 0;
    u64 ihl = (pkt[14] & 0xf) * 4;
    if (ihl < 20)
        return 0;
    if (14 + ihl + 4 > len)
        return 0;
    const u8 *tcp = pkt + 14 + ihl;
    return (tcp[2] << 8) | tcp[3]; /* destination port */
}
