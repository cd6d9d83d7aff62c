/* pladof-verify.c - checks a detached ML-DSA signature.
 * usage: pladof-verify PUB FILE FILE.sig [--ctx STR]
 * Exit 0 and "good signature" when the signature is valid for the key, file and context;
 * exit 1 with the reason otherwise (including unreadable or malformed key and signature
 * files); exit 2 on a usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/sign/keyfile.h"

/* Prints the usage line; returns the usage-error exit status 2. */
static int usage(void)
{
    fprintf(stderr, "usage: pladof-verify PUB FILE FILE.sig [--ctx STR]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *arg[3] = { NULL, NULL, NULL }, *ctx = "";
    unsigned narg = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ctx") == 0) {
            if (++i == argc)
                return usage();
            ctx = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage();
        } else if (narg < 3) {
            arg[narg++] = argv[i];
        } else {
            return usage();
        }
    }
    if (narg != 3)
        return usage();

    uint8_t *buf[3] = { NULL, NULL, NULL };
    size_t len[3];
    int rc = 1;
    for (int i = 0; i < 3; i++) {
        if (!(buf[i] = file_read(arg[i], &len[i]))) {
            fprintf(stderr, "pladof-verify: BAD: cannot read %s: %s\n", arg[i], strerror(errno));
            goto out;
        }
    }
    struct keyfile kf;
    char why[160];
    if (keyfile_decode(&kf, KEYFILE_PUBLIC, buf[0], len[0], why, sizeof why) != 0) {
        fprintf(stderr, "pladof-verify: BAD: %s: %s\n", arg[0], why);
        goto out;
    }
    if (len[2] != kf.params->sig_bytes) {
        fprintf(stderr, "pladof-verify: BAD: %s is %zu bytes, an %s signature is %zu bytes\n", arg[2], len[2],
                kf.params->name, kf.params->sig_bytes);
        goto out;
    }
    int e = mldsa_verify(kf.params, kf.key, kf.keylen, buf[1], len[1], (const uint8_t *)ctx, strlen(ctx), buf[2],
                         len[2]);
    if (e != MLDSA_OK) {
        fprintf(stderr, "pladof-verify: BAD signature: %s\n", mldsa_strerror(e));
        goto out;
    }
    printf("pladof-verify: good signature (%s)\n", kf.params->name);
    rc = 0;
out:
    for (int i = 0; i < 3; i++)
        free(buf[i]);
    return rc;
}
