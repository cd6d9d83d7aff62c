/* ct_test.c - the constant-time helpers of lib/crypto/ct.h give the right answers (their timing
 * behaviour is checked under valgrind by ctgrind_test). */
#include "lib/crypto/ct.h"
#include "tests/lib/tap.h"

int main(void)
{
    uint8_t a[64], b[64], out[64];
    for (int i = 0; i < 64; i++)
        a[i] = b[i] = (uint8_t)(i * 7);
    tap_eq(ct_memcmp(a, b, 64), 0, "ct_memcmp: equal buffers give 0");
    tap_eq(ct_memcmp(a, b, 0), 0, "ct_memcmp: zero length gives 0");
    int all = 1;
    for (int i = 0; i < 64; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1 << bit);
            all &= ct_memcmp(a, b, 64) == 1;
            b[i] ^= (uint8_t)(1 << bit);
        }
    tap_ok(all, "ct_memcmp: every single-bit difference in 64 bytes gives exactly 1");
    b[63] ^= 0x80;
    tap_eq(ct_memcmp(a, b, 63), 0, "ct_memcmp: difference past n is ignored");
    b[63] ^= 0x80;

    tap_eq(ct_select_u64(5, 9, 1), 5, "ct_select_u64 cond 1");
    tap_eq(ct_select_u64(5, 9, 0), 9, "ct_select_u64 cond 0");
    tap_eq(ct_select_u64(~0ULL, 0, 1) == ~0ULL, 1, "ct_select_u64 full width");
    tap_eq(ct_select_u32(0xdeadbeef, 1, 1), 0xdeadbeef, "ct_select_u32 cond 1");
    tap_eq(ct_select_u32(0xdeadbeef, 1, 0), 1, "ct_select_u32 cond 0");
    tap_eq(ct_select_u8(0xAA, 0x55, 1), 0xAA, "ct_select_u8 cond 1");
    tap_eq(ct_select_u8(0xAA, 0x55, 0), 0x55, "ct_select_u8 cond 0");

    for (int i = 0; i < 64; i++)
        b[i] = (uint8_t)~a[i];
    ct_select_bytes(out, a, b, 64, 1);
    tap_mem(out, a, 64, "ct_select_bytes cond 1 gives a");
    ct_select_bytes(out, a, b, 64, 0);
    tap_mem(out, b, 64, "ct_select_bytes cond 0 gives b");
    memcpy(out, a, 64);
    ct_cmov(out, b, 64, 0);
    tap_mem(out, a, 64, "ct_cmov cond 0 leaves dst");
    ct_cmov(out, b, 64, 1);
    tap_mem(out, b, 64, "ct_cmov cond 1 copies src");

    tap_eq(ct_nonzero_u64(0), 0, "ct_nonzero_u64(0)");
    tap_eq(ct_nonzero_u64(1), 1, "ct_nonzero_u64(1)");
    tap_eq(ct_nonzero_u64(1ULL << 63), 1, "ct_nonzero_u64(2^63)");
    tap_eq(ct_mask_u64(1) == ~0ULL, 1, "ct_mask_u64(1) is all ones");
    tap_eq(ct_mask_u64(0), 0, "ct_mask_u64(0) is zero");

    ct_wipe(out, 64);
    uint8_t zero[64] = { 0 };
    tap_mem(out, zero, 64, "ct_wipe zeroes the buffer");
    ct_wipe(out, 0);
    tap_ok(1, "ct_wipe of zero bytes is harmless");
    return tap_done();
}
