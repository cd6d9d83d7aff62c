/* mlkem_ct.c - constant-time check of ML-KEM under valgrind memcheck.
 *
 * The secrets (d and z for KeyGen, m for Encaps, the secret vector dk_pke and z inside dk for
 * Decaps) are marked undefined with VALGRIND_MAKE_MEM_UNDEFINED. Memcheck then reports every
 * conditional branch and every memory address computed from them, so an operation that
 * finishes without a new memcheck error has no secret-dependent branch or index (in the code
 * this compiler produced at -O2). Public results (ek, the ciphertext) are declassified after
 * each call; the library itself declassifies only the matrix seed rho (part of ek) before
 * rejection sampling (see indcpa.c). Decapsulation is run on a valid and on a modified
 * ciphertext, so both sides of the implicit-rejection select are covered.
 *
 * Run it through tests/crypto/mlkem_ct.sh (valgrind with --error-exitcode). Outside valgrind
 * it fails on purpose, so it can never pass without checking anything. A canary child
 * process branches on an undefined byte and must be caught, which shows the check works. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/expanded.h"
#include "lib/crypto/mlkem/mlkem.h"
#include "tests/crypto/mlkem_util.h"
#include "tests/lib/tap.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static unsigned long errors_now(void)
{
    return (unsigned long)VALGRIND_COUNT_ERRORS;
}

/* A deliberately leaky function: branches on a secret byte. The exit status of the child
 * tells whether memcheck noticed (valgrind replaces it with the --error-exitcode value). */
static volatile int canary_sink;
static const int canary_table[256] = { 1 };

static int canary_caught(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        volatile uint8_t s[1] = { 7 };
        SECRET((const void *)s, 1);
        uint8_t v = s[0];
        canary_sink = canary_table[v]; /* secret-dependent address */
        if (v == 7)                    /* secret-dependent branch */
            canary_sink++;
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 99;
}

static struct mlkem_ek_expanded xek;
static struct mlkem_dk_expanded xdk;

static void check_level(int level, int vector)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    const char *path = vector ? "AVX2" : "portable";
    struct mk_rng g;
    mk_seed(&g, (uint64_t)level + 100 * (uint64_t)vector);
    uint8_t d[32], z[32], m[32], ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss[32], ss2[32], ss3[32];
    unsigned long e0;
    int rc, keys_ok = 1;
    const size_t pke = 384 * p->k;
    unsigned long kg = 0, enc = 0, dec = 0, rej = 0, xexp = 0, xdec = 0, xenc = 0;

    for (int t = 0; t < 3; t++) {
        mk_bytes(&g, d, 32);
        mk_bytes(&g, z, 32);
        mk_bytes(&g, m, 32);

        SECRET(d, 32), SECRET(z, 32);
        e0 = errors_now();
        rc = mlkem_keygen_internal(level, ek, p->ek_bytes, dk, p->dk_bytes, d, z);
        kg += errors_now() - e0;
        PUBLIC(ek, p->ek_bytes);
        PUBLIC(dk + pke, p->ek_bytes + 32); /* the copy of ek and H(ek) inside dk */
        keys_ok &= rc == 0;

        SECRET(m, 32);
        e0 = errors_now();
        rc = mlkem_encaps_internal(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, m);
        enc += errors_now() - e0;
        PUBLIC(ct, p->ct_bytes);
        keys_ok &= rc == 0;

        SECRET(dk, pke);                         /* dk_pke */
        SECRET(dk + p->dk_bytes - 32, 32);       /* z */
        e0 = errors_now();
        rc = mlkem_decaps(level, ss2, ct, p->ct_bytes, dk, p->dk_bytes);
        dec += errors_now() - e0;
        keys_ok &= rc == 0;

        ct[t * 37 % p->ct_bytes] ^= 0x10; /* a rejected ciphertext */
        e0 = errors_now();
        rc = mlkem_decaps(level, ss3, ct, p->ct_bytes, dk, p->dk_bytes);
        rej += errors_now() - e0;
        keys_ok &= rc == 0;

        PUBLIC(ss, 32), PUBLIC(ss2, 32), PUBLIC(ss3, 32);
        keys_ok &= memcmp(ss, ss2, 32) == 0 && memcmp(ss, ss3, 32) != 0;

        /* The expanded-key interface (expanded.h): import of a secret dk, then decapsulation
         * of the modified and of the restored ciphertext, and encapsulation with secret m. */
        e0 = errors_now();
        rc = mlkem_dk_expand(level, &xdk, dk, p->dk_bytes);
        rc |= mlkem_ek_expand(level, &xek, ek, p->ek_bytes);
        xexp += errors_now() - e0;
        keys_ok &= rc == 0;
        e0 = errors_now();
        rc = mlkem_decaps_expanded(&xdk, ss2, ct, p->ct_bytes);
        ct[t * 37 % p->ct_bytes] ^= 0x10;
        rc |= mlkem_decaps_expanded(&xdk, ss3, ct, p->ct_bytes);
        xdec += errors_now() - e0;
        keys_ok &= rc == 0;
        SECRET(m, 32);
        e0 = errors_now();
        rc = mlkem_encaps_expanded_internal(&xek, ct, p->ct_bytes, ss, m);
        xenc += errors_now() - e0;
        keys_ok &= rc == 0;
        PUBLIC(ct, p->ct_bytes);
        PUBLIC(ss, 32), PUBLIC(ss2, 32), PUBLIC(ss3, 32);
        keys_ok &= memcmp(ss, ss3, 32) == 0 && memcmp(ss, ss2, 32) != 0;
        mlkem_dk_expanded_wipe(&xdk);
    }
    tap_eq(kg, 0, "%s %s: KeyGen with secret d, z: no secret-dependent branch or index", p->name, path);
    tap_eq(enc, 0, "%s %s: Encaps with secret m: none", p->name, path);
    tap_eq(dec, 0, "%s %s: Decaps of a valid ciphertext with secret dk_pke, z: none", p->name, path);
    tap_eq(rej, 0, "%s %s: Decaps of a modified ciphertext (implicit rejection): none", p->name, path);
    tap_eq(xexp, 0, "%s %s: expanding a secret dk and the ek: none", p->name, path);
    tap_eq(xdec, 0, "%s %s: expanded Decaps, rejected and valid ciphertext: none", p->name, path);
    tap_eq(xenc, 0, "%s %s: expanded Encaps with secret m: none", p->name, path);
    tap_ok(keys_ok, "%s %s: the runs also computed the right keys", p->name, path);
}

int main(void)
{
    if (!RUNNING_ON_VALGRIND) {
        tap_ok(0, "must run under valgrind (tests/crypto/mlkem_ct.sh)");
        return tap_done();
    }
    tap_ok(canary_caught(), "canary: a branch on a secret byte is reported by memcheck");
    const int levels[3] = { 512, 768, 1024 };
    for (int v = 0; v < 2; v++) {
        if (mlkem_set_path(v) != 0) {
            tap_skip("AVX2 constant-time runs", "no AVX2 on this CPU");
            continue;
        }
        for (int i = 0; i < 3; i++)
            check_level(levels[i], v);
    }
    return tap_done();
}
