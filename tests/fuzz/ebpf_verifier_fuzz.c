/* ebpf_verifier_fuzz.c - libFuzzer harness checking "accepted => runs safely".
 *
 * The input becomes a program, either raw (instruction words straight from the bytes) or built
 * by a small generator that turns each 4 input bytes into a plausible instruction (ALU on r0-r9,
 * loads and stores around r10, r1 and r0, short forward and backward jumps, map lookups, calls,
 * exits), so that many programs pass the structural checks and the interesting ones reach the
 * abstract interpreter. Every accepted program is then run:
 *   - on the checked interpreter, which must finish without a fault or budget overrun (a fault
 *     there means the verifier accepted an out-of-bounds access or a non-terminating loop);
 *   - on the unchecked interpreter with the input in a heap block of exactly its size (ASan
 *     catches any overread the verifier missed);
 *   - on the JIT, whose r0 must equal the interpreter's.
 * Any violation aborts, which libFuzzer reports as a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/ebpf/verifier_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXN 256

static struct vh_prog p;

static void emit(struct ebpf_insn i)
{
    if (p.n < MAXN)
        p.insns[p.n++] = i;
}

/* One generated instruction (or a short sequence) from 4 bytes. */
static void gen(const uint8_t *b, uint32_t idx, uint32_t total)
{
    uint8_t k = b[0] % 16, d = b[1] % 10, s = (b[1] >> 4) % 11;
    int32_t imm = (int8_t)b[3];
    static const uint8_t alu[] = { EBPF_ADD, EBPF_SUB, EBPF_MUL, EBPF_DIV, EBPF_OR, EBPF_AND,
                                   EBPF_LSH, EBPF_RSH, EBPF_MOD, EBPF_XOR, EBPF_MOV, EBPF_ARSH };
    static const uint8_t jmp[] = { EBPF_JEQ, EBPF_JGT, EBPF_JGE, EBPF_JSET, EBPF_JNE, EBPF_JSGT,
                                   EBPF_JSGE, EBPF_JLT, EBPF_JLE, EBPF_JSLT, EBPF_JSLE };
    static const uint8_t sizes[] = { EBPF_B, EBPF_H, EBPF_W, EBPF_DW };
    uint8_t base = (uint8_t)((b[2] >> 6) == 0 ? 10 : (b[2] >> 6) == 1 ? 1 : (b[2] >> 6) == 2 ? 0 : s);
    switch (k) {
    case 0: case 1: case 2: case 3:
        emit(ebpf_insn_make((uint8_t)(((b[3] & 1) ? EBPF_ALU64 : EBPF_ALU) | alu[b[2] % 12] |
                                      ((b[0] & 0x10) ? EBPF_X : EBPF_K)),
                            d, (b[0] & 0x10) ? s : 0, 0, (b[0] & 0x10) ? 0 : imm));
        break;
    case 4: case 5: /* load */
        emit(ebpf_insn_make((uint8_t)(EBPF_LDX | EBPF_MEM | sizes[b[3] & 3]), d, base,
                            base == 10 ? (int16_t)-(int16_t)(8 + (b[3] >> 2) % 64) : (int16_t)(b[3] >> 3), 0));
        break;
    case 6: case 7: /* store register or immediate */
        emit(ebpf_insn_make((uint8_t)(((b[0] & 0x10) ? EBPF_STX : EBPF_ST) | EBPF_MEM | sizes[b[3] & 3]),
                            base, (b[0] & 0x10) ? s : 0,
                            base == 10 ? (int16_t)-(int16_t)(8 + (b[3] >> 2) % 64) : (int16_t)(b[3] >> 3),
                            (b[0] & 0x10) ? 0 : imm));
        break;
    case 8: case 9: { /* conditional jump, mostly forward */
        int16_t o = (int16_t)((b[0] & 0x20) ? -(b[2] % 8) - 1 : b[2] % 8);
        if ((int64_t)idx + 1 + o < 0 || idx + 1 + (uint32_t)(o > 0 ? o : 0) >= total)
            o = 0;
        emit(ebpf_insn_make((uint8_t)(((b[3] & 1) ? EBPF_JMP : EBPF_JMP32) | jmp[b[3] % 11] |
                                      ((b[0] & 0x10) ? EBPF_X : EBPF_K)),
                            d, (b[0] & 0x10) ? s : 0, o, (b[0] & 0x10) ? 0 : imm));
        break;
    }
    case 10: /* map lookup with a stack key */
        emit(ebpf_insn_make(EBPF_ST | EBPF_MEM | EBPF_W, 10, 0, -4, b[2] % 4));
        emit(ebpf_insn_make(EBPF_ALU64 | EBPF_MOV | EBPF_X, 2, 10, 0, 0));
        emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_K, 2, 0, 0, -4));
        emit(ebpf_insn_make(EBPF_OP_LDDW, 1, EBPF_PSEUDO_MAP_FD, 0, b[3] % 2));
        emit(ebpf_insn_make(0, 0, 0, 0, 0));
        emit(ebpf_insn_make(EBPF_OP_CALL, 0, 0, 0, EBPF_HELPER_MAP_LOOKUP));
        break;
    case 11: /* null check of r0 */
        emit(ebpf_insn_make(EBPF_JMP | EBPF_JEQ | EBPF_K, 0, 0, (int16_t)(b[2] % 4), 0));
        break;
    case 12: /* add a small constant, or a register, to a pointer-ish register */
        if (b[0] & 0x10)
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_X, (b[2] & 1) ? 1 : d, s, 0, 0));
        else
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_K, d, 0, 0, (int8_t)b[3] % 24));
        break;
    case 13: /* atomic add */
        emit(ebpf_insn_make((uint8_t)(EBPF_STX | EBPF_ATOMIC | ((b[3] & 1) ? EBPF_DW : EBPF_W)),
                            base, s, base == 10 ? -8 : 0, (b[3] & 2) ? EBPF_FETCH : 0));
        break;
    case 14:
        if (b[0] & 0x10) { /* link a register to another plus a constant, compare with r2 */
            static const uint8_t lens[] = { EBPF_JGT, EBPF_JGE, EBPF_JLT, EBPF_JLE };
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_MOV | EBPF_X, 6, d, 0, 0));
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_K, 6, 0, 0, (int8_t)b[3] % 24));
            emit(ebpf_insn_make(EBPF_JMP | lens[b[2] & 3] | EBPF_X, (b[2] & 4) ? 2 : 6,
                                (b[2] & 4) ? 6 : 2, (int16_t)((b[2] >> 3) % 4), 0));
            break;
        }
        /* length check on r2 */
        emit(ebpf_insn_make(EBPF_JMP | EBPF_JLT | EBPF_K, 2, 0, (int16_t)(b[2] % 4), b[3] % 64));
        break;
    default:
        if (b[2] & 1) { /* a small counted loop: r8 from 0 to N, accumulating into rd */
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_MOV | EBPF_K, 8, 0, 0, 0));
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_X, d == 8 ? 0 : d, 8, 0, 0));
            emit(ebpf_insn_make(EBPF_ALU64 | EBPF_ADD | EBPF_K, 8, 0, 0, 1 + (b[3] & 1)));
            emit(ebpf_insn_make(EBPF_JMP | ((b[3] & 2) ? EBPF_JLT : EBPF_JNE) | EBPF_K, 8, 0, -3,
                                (b[3] >> 2) % 40));
            break;
        }
        emit(ebpf_insn_make(EBPF_ALU64 | EBPF_MOV | EBPF_K, 0, 0, 0, imm));
        emit(ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0));
        break;
    }
}

/* Runs the accepted program on all engines with input mem[0..len) filled from `seed`. */
static void run_all(const uint8_t *data, uint8_t *mem, uint32_t len, uint8_t seed)
{
    uint64_t r_checked = 0, r_plain = 0, r_jit = 0;
    char err[256];
    struct vh_maps maps;
    (void)data;
    for (uint32_t i = 0; i < len; i++)
        mem[i] = (uint8_t)(i * 29 + seed);
    if (vh_maps_create(&p, &maps, err, sizeof(err)))
        abort();
    int rc = vh_run(&p, &maps, VH_INTERP_CHECKED, mem, len, &r_checked, err, sizeof(err));
    vh_maps_destroy(&maps);
    if (rc) {
        fprintf(stderr, "verified program faulted on the checked interpreter: %s\n", err);
        abort();
    }
    for (uint32_t i = 0; i < len; i++)
        mem[i] = (uint8_t)(i * 29 + seed);
    if (vh_maps_create(&p, &maps, err, sizeof(err)))
        abort();
    rc = vh_run(&p, &maps, VH_INTERP, mem, len, &r_plain, err, sizeof(err));
    vh_maps_destroy(&maps);
    if (rc || r_plain != r_checked) {
        fprintf(stderr, "unchecked interpreter differs: rc %d r0 %llu vs %llu\n", rc,
                (unsigned long long)r_plain, (unsigned long long)r_checked);
        abort();
    }
    if (!vh_have_jit())
        return;
    for (uint32_t i = 0; i < len; i++)
        mem[i] = (uint8_t)(i * 29 + seed);
    if (vh_maps_create(&p, &maps, err, sizeof(err)))
        abort();
    rc = vh_run(&p, &maps, VH_JIT, mem, len, &r_jit, err, sizeof(err));
    vh_maps_destroy(&maps);
    if (rc || r_jit != r_checked) {
        fprintf(stderr, "JIT differs: rc %d (%s) r0 %llu vs %llu\n", rc, rc ? err : "",
                (unsigned long long)r_jit, (unsigned long long)r_checked);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    memset(&p, 0, offsetof(struct vh_prog, input));
    p.min_input = data[1] % 48;
    p.writable = data[1] & 0x80;
    p.maps[0] = (struct ebpf_verifier_map){ EBPF_MAP_ARRAY, 4, 8 + 8 * (data[1] & 3), 4 };
    p.maps[1] = (struct ebpf_verifier_map){ EBPF_MAP_HASH, 4, 16, 4 };
    p.nmaps = 2;
    if (data[0] & 1) {
        for (size_t i = 2; i + 8 <= size && p.n < MAXN; i += 8) {
            uint64_t w;
            memcpy(&w, data + i, 8);
            p.insns[p.n++] = ebpf_insn_from_word(w);
        }
    } else {
        uint32_t total = (uint32_t)((size - 2) / 4);
        for (uint32_t i = 0; i < total; i++)
            gen(data + 2 + 4 * i, p.n, total + 8);
        emit(ebpf_insn_make(EBPF_ALU64 | EBPF_MOV | EBPF_K, 0, 0, 0, 0));
        emit(ebpf_insn_make(EBPF_OP_EXIT, 0, 0, 0, 0));
    }
    struct ebpf_verifier_result res;
    vh_budget = 20000; /* keeps each input fast; the budget's own logic is tested elsewhere */
    if (vh_verify(&p, &res))
        return 0;
    if (getenv("EBPFV_FUZZ_STATS"))
        fprintf(stderr, "accepted: %u insns, %llu explored\n", p.n, (unsigned long long)res.explored);
    /* Accepted: it must run safely on every input of at least min_input bytes. Two inputs:
     * a little longer than the minimum, and exactly the minimum with other contents. */
    uint32_t lens[2] = { p.min_input + (data[0] >> 4), p.min_input };
    for (int k = 0; k < 2; k++) { /* a block of exactly the input's size, so ASan sees overreads */
        uint8_t *mem = malloc(lens[k] ? lens[k] : 1);
        run_all(data, mem, lens[k], (uint8_t)(data[0] + 77 * k));
        free(mem);
    }
    return 0;
}
