/* vectors_parse_fuzz.c - libFuzzer harness for the vector-file parser (tools/vectors/parse.c) and
 * the field decoders, plus the KMAC/AEAD/SHA-3/SHAKE handlers on whatever cases parse (Monte
 * cases are left out: a fuzzed count would only make the run slow). Properties: no crash or
 * sanitizer report; parsed keys are non-empty key characters; values lie inside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/vectors/parse.h"
#include "tools/vectors/vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    (void)vec_sniff(text, size);
    struct vec_file f;
    char err[200];
    if (vec_parse(&f, "fuzz", text, size, err, sizeof err) != 0) {
        if (err[0] == '\0')
            abort(); /* a refusal must say why */
        return 0;
    }
    const struct vec_handler *hs[] = { &vec_sha3, &vec_shake, &vec_kmac, &vec_chacha20poly1305 };
    for (size_t i = 0; i < f.ncases; i++) {
        const struct vec_case *c = &f.cases[i];
        for (int k = 0; k < c->nfields; k++) {
            if (c->key[k][0] == '\0' || c->key[k] < f.text || c->val[k] < f.text || c->val[k] > f.text + size)
                abort();
            uint8_t *b;
            size_t bl;
            if (vec_hex(c->val[k], &b, &bl) == 0)
                free(b);
            (void)vec_num(c, c->key[k], 0);
        }
        if (vec_get(c, "seed"))
            continue;
        for (size_t h = 0; h < sizeof hs / sizeof hs[0]; h++) {
            if (!hs[h]->claims(f.header, c))
                continue;
            void *state = NULL;
            char why[256];
            (void)hs[h]->run(c, &state, why, sizeof why);
            if (hs[h]->finish)
                hs[h]->finish(state);
        }
    }
    vec_file_free(&f);
    return 0;
}
