/* pladof-sign.c - signs a file with an ML-DSA secret key (hedged: fresh randomness per signature).
 * usage: pladof-sign KEY FILE [--ctx STR] > FILE.sig
 * The detached signature (bare FIPS 204 encoding) goes to standard output, which must not be a
 * terminal. FILE may be "-" for standard input. Exit 0 on success, 1 on failure, 2 on usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/crypto/ct.h"
#include "tools/sign/keyfile.h"

/* Prints the usage line; returns the usage-error exit status 2. */
static int usage(void)
{
    fprintf(stderr, "usage: pladof-sign KEY FILE [--ctx STR] > FILE.sig\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *arg[2] = { NULL, NULL }, *ctx = "";
    unsigned narg = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ctx") == 0) {
            if (++i == argc)
                return usage();
            ctx = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage();
        } else if (narg < 2) {
            arg[narg++] = argv[i];
        } else {
            return usage();
        }
    }
    if (narg != 2)
        return usage();
    if (strlen(ctx) > 255) {
        fprintf(stderr, "pladof-sign: context string is %zu bytes, at most 255 allowed\n", strlen(ctx));
        return 1;
    }
    if (isatty(STDOUT_FILENO)) {
        fprintf(stderr, "pladof-sign: refusing to write a binary signature to a terminal; redirect stdout\n");
        return 2;
    }

    size_t keylen, msglen;
    uint8_t *keybuf = file_read(arg[0], &keylen);
    if (!keybuf) {
        fprintf(stderr, "pladof-sign: cannot read %s: %s\n", arg[0], strerror(errno));
        return 1;
    }
    struct keyfile kf;
    char why[160];
    if (keyfile_decode(&kf, KEYFILE_SECRET, keybuf, keylen, why, sizeof why) != 0) {
        fprintf(stderr, "pladof-sign: %s: %s\n", arg[0], why);
        free(keybuf);
        return 1;
    }
    uint8_t *msg = file_read(arg[1], &msglen);
    if (!msg) {
        fprintf(stderr, "pladof-sign: cannot read %s: %s\n", arg[1], strerror(errno));
        ct_wipe(keybuf, keylen);
        free(keybuf);
        return 1;
    }
    static uint8_t sig[MLDSA_SIG_MAX];
    int e = mldsa_sign(kf.params, sig, kf.key, kf.keylen, msg, msglen, (const uint8_t *)ctx, strlen(ctx), os_random,
                       NULL);
    const mldsa_params *p = kf.params;
    ct_wipe(keybuf, keylen);
    free(keybuf);
    free(msg);
    if (e != MLDSA_OK) {
        fprintf(stderr, "pladof-sign: %s\n", mldsa_strerror(e));
        return 1;
    }
    if (fwrite(sig, 1, p->sig_bytes, stdout) != p->sig_bytes || fflush(stdout) != 0) {
        fprintf(stderr, "pladof-sign: cannot write the signature: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
