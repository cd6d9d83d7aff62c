/* pladof-keygen.c - creates an ML-DSA key pair from operating-system randomness.
 * usage: pladof-keygen OUT.key OUT.pub [--params 44|65|87]   (default 65)
 * OUT.key is written with mode 0600. Formats: tools/sign/keyfile.h. Exit 0 on success, 1 on
 * failure, 2 on a usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/ct.h"
#include "tools/sign/keyfile.h"

/* Prints the usage line; returns the usage-error exit status 2. */
static int usage(void)
{
    fprintf(stderr, "usage: pladof-keygen OUT.key OUT.pub [--params 44|65|87]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *out[2] = { NULL, NULL };
    unsigned level = 65, nout = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--params") == 0) {
            if (++i == argc)
                return usage();
            char *end;
            unsigned long v = strtoul(argv[i], &end, 10);
            if (*end || !mldsa_params_get((unsigned)v)) {
                fprintf(stderr, "pladof-keygen: unknown parameter set '%s' (use 44, 65 or 87)\n", argv[i]);
                return 2;
            }
            level = (unsigned)v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage();
        } else if (nout < 2) {
            out[nout++] = argv[i];
        } else {
            return usage();
        }
    }
    if (nout != 2)
        return usage();

    const mldsa_params *p = mldsa_params_get(level);
    static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX], file[KEYFILE_HEADER + MLDSA_SK_MAX];
    int e = mldsa_keygen(p, pk, sk, NULL, os_random, NULL);
    if (e != MLDSA_OK) {
        fprintf(stderr, "pladof-keygen: %s\n", mldsa_strerror(e));
        return 1;
    }
    size_t n = keyfile_encode(file, KEYFILE_SECRET, p, sk);
    int bad = file_write(out[0], file, n, 0600) != 0;
    ct_wipe(sk, sizeof sk);
    ct_wipe(file, sizeof file);
    if (bad) {
        fprintf(stderr, "pladof-keygen: cannot write %s: %s\n", out[0], strerror(errno));
        return 1;
    }
    n = keyfile_encode(file, KEYFILE_PUBLIC, p, pk);
    if (file_write(out[1], file, n, 0644) != 0) {
        fprintf(stderr, "pladof-keygen: cannot write %s: %s\n", out[1], strerror(errno));
        return 1;
    }
    fprintf(stderr, "pladof-keygen: %s key pair written to %s and %s\n", p->name, out[0], out[1]);
    return 0;
}
