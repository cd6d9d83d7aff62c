/* verifier_harness.c - hosted glue for verifier tests and tools (see verifier_harness.h). */
#include "tests/ebpf/verifier_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ebpf/asm.h"
#include "lib/ebpf/elf_loader.h"
#ifdef EBPFV_HAVE_JIT
#include "lib/ebpf/jit.h"
#endif

char *vh_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb, cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Parses one "# key: value" directive line (without the '#'). */
static int directive(const char *line, struct vh_prog *p, bool *raw, char *err, size_t el)
{
    while (*line == ' ')
        line++;
    if (!strncmp(line, "expect: accept", 14)) {
        p->expect = 1;
    } else if (!strncmp(line, "expect: reject ", 15)) {
        p->expect = 0;
        snprintf(p->expect_msg, sizeof(p->expect_msg), "%s", line + 15);
        size_t k = strlen(p->expect_msg);
        while (k && (p->expect_msg[k - 1] == '\n' || p->expect_msg[k - 1] == '\r' ||
                     p->expect_msg[k - 1] == ' '))
            p->expect_msg[--k] = '\0';
    } else if (!strncmp(line, "input-min: ", 11)) {
        p->min_input = (uint32_t)strtoul(line + 11, NULL, 0);
    } else if (!strncmp(line, "input-writable", 14)) {
        p->writable = true;
    } else if (!strncmp(line, "format: raw", 11)) {
        *raw = true;
    } else if (!strncmp(line, "result: ", 8)) {
        p->has_result = true;
        p->result = strtoull(line + 8, NULL, 0);
    } else if (!strncmp(line, "input: ", 7)) {
        p->has_input = true;
        p->input_len = 0;
        for (const char *s = line + 7; *s && *s != '\n';) {
            if (*s == ' ') {
                s++;
                continue;
            }
            int hi = hexval(s[0]), lo = hexval(s[1]);
            if (hi < 0 || lo < 0 || p->input_len == VH_MAX_INPUT) {
                snprintf(err, el, "bad input hex");
                return -1;
            }
            p->input[p->input_len++] = (uint8_t)(hi << 4 | lo);
            s += 2;
        }
    } else if (!strncmp(line, "map: ", 5)) {
        char kind[16];
        unsigned k, v, mx;
        if (p->nmaps == EBPF_VERIFIER_MAX_MAPS ||
            sscanf(line + 5, "%15s %u %u %u", kind, &k, &v, &mx) != 4) {
            snprintf(err, el, "bad map directive");
            return -1;
        }
        uint32_t t = !strcmp(kind, "array") ? EBPF_MAP_ARRAY : !strcmp(kind, "hash") ? EBPF_MAP_HASH : 0;
        if (!t) {
            snprintf(err, el, "unknown map type '%s'", kind);
            return -1;
        }
        p->maps[p->nmaps++] = (struct ebpf_verifier_map){ t, k, v, mx };
    }
    return 0;
}

int vh_parse_text(const char *text, size_t len, struct vh_prog *p, char *err, size_t el)
{
    memset(p, 0, offsetof(struct vh_prog, input));
    p->expect = -1;
    bool raw = false;
    /* First pass: directives. */
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        char line[512];
        size_t n = e - i < sizeof(line) - 1 ? e - i : sizeof(line) - 1;
        memcpy(line, text + i, n);
        line[n] = '\0';
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' && directive(s + 1, p, &raw, err, el))
            return -1;
        i = e + 1;
    }
    if (!raw) {
        struct ebpf_asm_error ae;
        int n = ebpf_asm(text, len, p->insns, VH_MAX_INSNS, &ae);
        if (n < 0) {
            snprintf(err, el, "assembler: %s", ae.msg);
            return -1;
        }
        p->n = (uint32_t)n;
        return 0;
    }
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        char line[128];
        size_t n = e - i < sizeof(line) - 1 ? e - i : sizeof(line) - 1;
        memcpy(line, text + i, n);
        line[n] = '\0';
        i = e + 1;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        char *end;
        uint64_t w = strtoull(s, &end, 16);
        if (end == s || p->n == VH_MAX_INSNS) {
            snprintf(err, el, "bad raw instruction line '%s'", s);
            return -1;
        }
        p->insns[p->n++] = ebpf_insn_from_word(w);
    }
    return 0;
}

int vh_load_elf(const uint8_t *buf, size_t len, const char *section, struct vh_prog *p, char *err,
                size_t el)
{
    static struct ebpf_elf_obj obj;
    memset(p, 0, offsetof(struct vh_prog, input));
    p->expect = -1;
    if (ebpf_elf_load(&obj, buf, len, err, el))
        return -1;
    int idx = section ? ebpf_elf_find_prog(&obj, section) : 0;
    if (idx < 0) {
        snprintf(err, el, "no program section '%s'", section);
        return -1;
    }
    uint32_t n;
    if (ebpf_elf_link(&obj, (uint32_t)idx, (uint8_t *)p->insns, VH_MAX_INSNS, &n, err, el))
        return -1;
    p->n = n;
    /* Convention: programs in sections named xdp* may write their input (packet rewriting). */
    p->writable = !strncmp(obj.progs[idx].name, "xdp", 3);
    p->nmaps = obj.nmaps;
    for (uint32_t i = 0; i < obj.nmaps; i++)
        p->maps[i] = (struct ebpf_verifier_map){ obj.maps[i].type, obj.maps[i].key_size,
                                                 obj.maps[i].value_size, obj.maps[i].max_entries };
    return 0;
}

const struct ebpf_env *vh_env(void)
{
    static struct ebpf_env env;
    static bool done;
    if (!done) {
        ebpf_env_init(&env);
        done = true;
    }
    return &env;
}

uint64_t vh_budget;

int vh_verify(const struct vh_prog *p, struct ebpf_verifier_result *res)
{
    static uint64_t work[EBPF_VERIFIER_WORK_DEFAULT / 8];
    struct ebpf_verifier_cfg cfg = { .env = vh_env(), .maps = p->maps, .nmaps = p->nmaps,
                                     .min_input = p->min_input, .input_writable = p->writable,
                                     .budget = vh_budget };
    return ebpf_verify(p->insns, p->n, &cfg, work, sizeof(work), res);
}

int vh_maps_create(const struct vh_prog *p, struct vh_maps *m, char *err, size_t el)
{
    memset(m, 0, sizeof(*m));
    for (uint32_t i = 0; i < p->nmaps; i++) {
        const struct ebpf_verifier_map *d = &p->maps[i];
        size_t sz = ebpf_map_storage_size(d->type, d->key_size, d->value_size, d->max_entries);
        if (!sz || !(m->storage[i] = aligned_alloc(8, (sz + 7) & ~(size_t)7))) {
            snprintf(err, el, "map %u: bad shape or no memory", i);
            vh_maps_destroy(m);
            return -1;
        }
        m->n = i + 1;
        if (ebpf_map_init(&m->maps[i], d->type, d->key_size, d->value_size, d->max_entries,
                          m->storage[i], sz, 0x5eed + i)) {
            snprintf(err, el, "map %u: init failed", i);
            vh_maps_destroy(m);
            return -1;
        }
        m->ptrs[i] = &m->maps[i];
    }
    return 0;
}

void vh_maps_destroy(struct vh_maps *m)
{
    for (uint32_t i = 0; i < m->n; i++)
        free(m->storage[i]);
    m->n = 0;
}

bool vh_have_jit(void)
{
#ifdef EBPFV_HAVE_JIT
    return true;
#else
    return false;
#endif
}

int vh_run(const struct vh_prog *p, struct vh_maps *m, enum vh_engine e, void *mem, uint64_t len,
           uint64_t *r0, char *err, size_t el)
{
    static struct ebpf_run run;
    struct ebpf_prog prog = { p->insns, p->n, m->ptrs, m->n };
    int rc;
    if (e == VH_JIT) {
#ifdef EBPFV_HAVE_JIT
        struct ebpf_jit_prog jp;
        struct ebpf_error je = { 0 };
        rc = ebpf_jit_compile_host(&prog, vh_env(), &jp, &je);
        if (rc) {
            snprintf(err, el, "jit compile: %s", je.msg);
            return rc;
        }
        ebpf_run_init(&run, vh_env(), mem, len, 0, 0);
        rc = ebpf_jit_exec(&jp, &run, r0);
        ebpf_jit_free(&jp);
#else
        snprintf(err, el, "JIT not built");
        return EBPF_EINVAL;
#endif
    } else {
        ebpf_run_init(&run, vh_env(), mem, len, e == VH_INTERP_CHECKED ? EBPF_RUN_CHECKED : 0, 0);
        rc = ebpf_interp_exec(&prog, &run, r0);
    }
    if (rc)
        snprintf(err, el, "%s at insn %u: %s", ebpf_strerror(rc), run.fault.pc, run.fault.msg);
    return rc;
}
