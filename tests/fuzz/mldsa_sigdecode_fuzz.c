/* mldsa_sigdecode_fuzz.c - libFuzzer harness for signature decoding (FIPS 204 sigDecode /
 * HintBitUnpack). Input: byte 0 picks the parameter set, the rest is the signature (padded
 * with zeros or cut to sig_bytes). Property: a signature that decodes is canonical, i.e.
 * encoding the decoded (c~, z, h) gives back exactly the input bytes; decoded hints are 0/1
 * with at most omega ones; decoded z lies in (gamma1 - 2^z_bits, gamma1]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/mldsa/packing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t sig[MLDSA_SIG_MAX], again[MLDSA_SIG_MAX];
    static mldsa_polyvecl z;
    static mldsa_polyveck h;
    uint8_t ct[MLDSA_CTILDE_MAX];
    if (size < 1)
        return 0;
    const mldsa_params *p = mldsa_params_get(data[0] % 3 == 0 ? 44 : data[0] % 3 == 1 ? 65 : 87);
    data++, size--;
    memset(sig, 0, sizeof sig);
    memcpy(sig, data, size < p->sig_bytes ? size : p->sig_bytes);

    if (mldsa_unpack_sig(p, ct, &z, &h, sig) != 0)
        return 0;
    unsigned ones = 0;
    for (unsigned i = 0; i < p->k; i++)
        for (unsigned j = 0; j < MLDSA_N; j++) {
            if (h.v[i].c[j] != 0 && h.v[i].c[j] != 1)
                abort();
            ones += (unsigned)h.v[i].c[j];
        }
    for (unsigned i = 0; i < p->l; i++)
        for (unsigned j = 0; j < MLDSA_N; j++)
            if (z.v[i].c[j] > p->gamma1 || z.v[i].c[j] <= p->gamma1 - (1 << p->z_bits))
                abort();
    if (ones > p->omega)
        abort();
    mldsa_pack_sig(p, again, ct, &z, &h);
    if (memcmp(sig, again, p->sig_bytes) != 0)
        abort(); /* accepted but not canonical */
    return 0;
}
