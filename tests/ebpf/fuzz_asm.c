/* fuzz_asm.c - libFuzzer harness for the assembler's text parser.
 *
 * Any input must assemble or be refused with a message, never crash or read outside the text.
 * When it assembles, every instruction the disassembler can express must survive the round
 * trip disasm -> asm with identical words (a mismatch aborts, which libFuzzer reports). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/asm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ebpf_insn out[1024], again[4];
    struct ebpf_asm_error err;
    /* A copy of exactly `size` bytes, so ASan catches any read past the end. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    int n = ebpf_asm(text, size, out, 1024, &err);
    free(text);
    if (n < 0) {
        if (err.msg[0] == 0)
            abort();    /* every refusal explains itself */
        return 0;
    }
    for (int pc = 0; pc < n;) {
        char line[96];
        int used = ebpf_disasm(out, (uint32_t)n, (uint32_t)pc, line, sizeof(line));
        if (used == 0) {
            pc++;
            continue;
        }
        int m = ebpf_asm(line, strlen(line), again, 4, &err);
        if (m != used)
            abort();
        for (int k = 0; k < used; k++)
            if (ebpf_insn_word(again[k]) != ebpf_insn_word(out[pc + k]))
                abort();
        pc += used;
    }
    return 0;
}
