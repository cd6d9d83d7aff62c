/* filter.c - a packet filter: accepts IPv4 TCP or UDP frames addressed to port 80 or 53.
 * The input is an Ethernet frame (r1 = its bytes, r2 = its length); every read is preceded by a
 * length check the verifier uses to prove it in bounds. Returns 1 (accept) or 0 (drop). */
#include "pladof_bpf.h"

SEC("socket")
int filter(const u8 *pkt, u64 len)
{
    if (len < 38)
        return 0;
    if (pkt[12] != 0x08 || pkt[13] != 0x00) /* EtherType IPv4 */
        return 0;
    if ((pkt[14] >> 4) != 4 || (pkt[14] & 0xf) != 5) /* version 4, no IP options */
        return 0;
    u8 proto = pkt[23];
    if (proto != 6 && proto != 17) /* TCP or UDP */
        return 0;
    u16 dport = (u16)(pkt[36] << 8 | pkt[37]);
    return dport == 80 || dport == 53;
}
