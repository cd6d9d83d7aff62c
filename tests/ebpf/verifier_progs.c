/* verifier_progs.c - the clang-compiled test programs end to end: each object in the directory
 * argv[1] is loaded by the ELF loader, accepted by the verifier, and run on the checked
 * interpreter, the plain interpreter and the JIT (when built) on several inputs, with results
 * compared to a C model of the same computation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/ebpf/verifier_harness.h"
#include "tests/lib/tap.h"

static char dir[512];
static struct vh_prog prog;

static int load(const char *file, const char *section)
{
    char path[600], err[256];
    size_t len;
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    uint8_t *b = (uint8_t *)vh_read_file(path, &len);
    if (!b) {
        tap_ok(0, "read %s", path);
        return -1;
    }
    int rc = vh_load_elf(b, len, section, &prog, err, sizeof(err));
    free(b);
    if (!tap_ok(rc == 0, "%s [%s]: loaded (%u slots, %u maps)", file, section, prog.n, prog.nmaps)) {
        tap_diag("  %s", err);
        return -1;
    }
    struct ebpf_verifier_result res;
    rc = vh_verify(&prog, &res);
    if (!tap_ok(rc == 0, "%s [%s]: verified (%llu insns explored, %u states stored, %u pruned)",
                file, section, (unsigned long long)res.explored, res.states_stored,
                res.states_pruned)) {
        tap_diag("  %s", res.msg);
        return -1;
    }
    return 0;
}

/* Runs the loaded program on one input on every engine, maps fresh for each engine unless the
 * caller passes persistent ones. */
static void run(const char *name, const uint8_t *in, size_t len, uint64_t want)
{
    static const enum vh_engine engines[3] = { VH_INTERP_CHECKED, VH_INTERP, VH_JIT };
    static const char *const names[3] = { "checked interpreter", "interpreter", "JIT" };
    for (int e = 0; e < 3; e++) {
        if (engines[e] == VH_JIT && !vh_have_jit()) {
            tap_skip(name, "JIT not built");
            continue;
        }
        struct vh_maps maps;
        char err[256] = "";
        uint8_t buf[256];
        uint64_t r0 = ~0ull;
        memcpy(buf, in, len);
        int rc = vh_maps_create(&prog, &maps, err, sizeof(err));
        if (!rc)
            rc = vh_run(&prog, &maps, engines[e], buf, len, &r0, err, sizeof(err));
        vh_maps_destroy(&maps);
        if (!tap_ok(rc == 0 && r0 == want, "%s on %s: r0 = %llu", name, names[e],
                    (unsigned long long)want))
            tap_diag("  rc %d %s, r0 %llu", rc, err, (unsigned long long)r0);
    }
}

static void frame(uint8_t *f, uint16_t ethertype, uint8_t verihl, uint8_t proto, uint16_t dport)
{
    memset(f, 0, 64);
    f[12] = (uint8_t)(ethertype >> 8), f[13] = (uint8_t)ethertype;
    f[14] = verihl, f[23] = proto;
    f[36] = (uint8_t)(dport >> 8), f[37] = (uint8_t)dport;
}

static void test_filter(void)
{
    if (load("filter.o", "socket"))
        return;
    uint8_t f[64];
    frame(f, 0x0800, 0x45, 6, 80);
    run("filter: TCP to port 80", f, 60, 1);
    frame(f, 0x0800, 0x45, 17, 53);
    run("filter: UDP to port 53", f, 60, 1);
    frame(f, 0x0800, 0x45, 6, 81);
    run("filter: TCP to port 81", f, 60, 0);
    frame(f, 0x0806, 0x45, 6, 80);
    run("filter: ARP", f, 60, 0);
    frame(f, 0x0800, 0x46, 6, 80);
    run("filter: IP options", f, 60, 0);
    frame(f, 0x0800, 0x45, 1, 80);
    run("filter: ICMP", f, 60, 0);
    run("filter: short frame", f, 37, 0);
    run("filter: empty input", f, 0, 0);
}

static void test_counter(void)
{
    if (load("counter.o", "socket"))
        return;
    /* Persistent maps across runs: the total counts up. */
    struct vh_maps maps;
    char err[256] = "";
    uint8_t buf[16] = { 0 };
    int ok = !vh_maps_create(&prog, &maps, err, sizeof(err));
    for (uint64_t i = 1; ok && i <= 3; i++) {
        uint64_t r0 = 0;
        int rc = vh_run(&prog, &maps, VH_INTERP_CHECKED, buf, i, &r0, err, sizeof(err));
        ok = tap_ok(rc == 0 && r0 == i, "counter: run %llu returns total %llu",
                    (unsigned long long)i, (unsigned long long)i);
    }
    if (ok && vh_have_jit()) {
        uint64_t r0 = 0;
        int rc = vh_run(&prog, &maps, VH_JIT, buf, 4, &r0, err, sizeof(err));
        tap_ok(rc == 0 && r0 == 4, "counter: JIT run on the same maps returns 4");
    }
    vh_maps_destroy(&maps);
    run("counter: fresh maps", buf, 5, 1);
}

static void test_loops(void)
{
    uint8_t in[64];
    for (int i = 0; i < 64; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    if (!load("loop.o", "socket")) {
        uint32_t sum = 0;
        for (int i = 0; i < 64; i++)
            sum = (sum << 1 | sum >> 31) ^ in[i];
        run("checksum: 64 bytes", in, 64, sum & 0x7fffffff);
        run("checksum: 63 bytes (too short)", in, 63, 0);
    }
    if (!load("loop.o", "socket/varloop")) {
        for (int n = 0; n < 32; n += 9) {
            in[0] = (uint8_t)(n | 0xe0);
            uint32_t sum = 0;
            for (int i = 0; i < n; i++)
                sum += in[1 + i];
            char name[64];
            snprintf(name, sizeof(name), "varloop: %d iterations", n);
            run(name, in, 40, sum);
        }
        run("varloop: short input", in, 32, 0);
    }
}

static uint64_t mix(uint64_t a, uint64_t b) { return (a * 31) ^ (b + 7); }

static void test_calls(void)
{
    if (load("calls.o", "socket"))
        return;
    uint8_t in[2] = { 200, 3 };
    uint64_t s = mix(200, 3) + mix(3, 200);
    run("calls: two input bytes", in, 2, ((s >> 32) ^ (s & 0xffffffff)) & 0xffff);
    s = mix(1, 2) + mix(2, 1);
    run("calls: no input", in, 0, ((s >> 32) ^ (s & 0xffffffff)) & 0xffff);
}

static void test_rewrite(void)
{
    if (!load("rewrite.o", "xdp")) {
        uint8_t f[64];
        frame(f, 0x0800, 0x45, 6, 80);
        for (int i = 0; i < 12; i++)
            f[i] = (uint8_t)(i + 1);
        f[22] = 64;
        run("rewrite: TTL 64 -> 63", f, 60, 63);
        /* the run works on a copy; check the rewrite itself on the interpreter */
        struct vh_maps maps;
        char err[256];
        uint64_t r0;
        vh_maps_create(&prog, &maps, err, sizeof(err));
        int rc = vh_run(&prog, &maps, VH_INTERP, f, 60, &r0, err, sizeof(err));
        vh_maps_destroy(&maps);
        tap_ok(rc == 0 && f[0] == 7 && f[5] == 12 && f[6] == 1 && f[11] == 6 && f[22] == 63,
               "rewrite: MAC addresses swapped and TTL decremented in the input");
        run("rewrite: ARP frame untouched", (frame(f, 0x0806, 0, 0, 0), f), 60, 0);
    }
    /* The same code in a read-only section must be rejected. */
    char path[600], err[256];
    size_t len;
    snprintf(path, sizeof(path), "%s/rewrite.o", dir);
    uint8_t *b = (uint8_t *)vh_read_file(path, &len);
    struct ebpf_verifier_result res;
    int rc = b ? vh_load_elf(b, len, "socket/rewrite", &prog, err, sizeof(err)) : -1;
    free(b);
    tap_ok(rc == 0 && vh_verify(&prog, &res) != 0 && strstr(res.msg, "write to read-only input"),
           "rewrite in a socket section: rejected (%s)", rc ? err : res.msg);
}

static void test_btf_maps(void)
{
    if (load("btf_maps.o", "socket"))
        return;
    uint8_t f[64];
    frame(f, 0x0800, 0x45, 6, 80);
    run("btf_maps: first IPv4 frame counted once", f, 60, 1);
    struct vh_maps maps;
    char err[256] = "";
    int ok = !vh_maps_create(&prog, &maps, err, sizeof(err));
    for (uint64_t i = 1; ok && i <= 3; i++) {
        uint64_t r0 = 0;
        f[13] = (uint8_t)(i == 3); /* third frame has another EtherType: its own counter */
        int rc = vh_run(&prog, &maps, VH_INTERP_CHECKED, f, 60, &r0, err, sizeof(err));
        ok = tap_ok(rc == 0 && r0 == (i == 3 ? 1 : i), "btf_maps: run %llu counts per EtherType",
                    (unsigned long long)i);
    }
    vh_maps_destroy(&maps);
}

static void test_ports(void)
{
    if (load("ports.o", "socket"))
        return;
    uint8_t f[96];
    for (int ihl = 5; ihl <= 15; ihl += 5) {
        memset(f, 0, sizeof(f));
        f[12] = 0x08, f[14] = (uint8_t)(0x40 | ihl), f[23] = 6;
        unsigned tcp = 14 + 4 * (unsigned)ihl;
        f[tcp + 2] = 0x1f, f[tcp + 3] = 0x90; /* port 8080 */
        char name[64];
        snprintf(name, sizeof(name), "ports: IHL %d, port 8080", ihl);
        run(name, f, tcp + 4, 8080);
        snprintf(name, sizeof(name), "ports: IHL %d, frame one byte short", ihl);
        run(name, f, tcp + 3, 0);
    }
}

/* The kernel cannot hand out 8 MiB: every program must still verify with a 256 KiB work area
 * (fewer states kept for pruning), and a work area too small for the fixed part is refused. */
static void test_small_work_area(void)
{
    static uint64_t work[(256u << 10) / 8];
    static const char *const objs[][2] = { { "filter.o", "socket" }, { "counter.o", "socket" },
                                           { "loop.o", "socket" }, { "loop.o", "socket/varloop" },
                                           { "calls.o", "socket" }, { "btf_maps.o", "socket" } };
    for (size_t k = 0; k < sizeof(objs) / sizeof(objs[0]); k++) {
        char path[600], err[256];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", dir, objs[k][0]);
        uint8_t *b = (uint8_t *)vh_read_file(path, &len);
        if (!b || vh_load_elf(b, len, objs[k][1], &prog, err, sizeof(err))) {
            tap_ok(0, "load %s", path);
            free(b);
            continue;
        }
        free(b);
        struct ebpf_verifier_cfg cfg = { .env = vh_env(), .maps = prog.maps, .nmaps = prog.nmaps,
                                         .min_input = prog.min_input,
                                         .input_writable = prog.writable };
        struct ebpf_verifier_result res;
        int rc = ebpf_verify(prog.insns, prog.n, &cfg, work, sizeof(work), &res);
        tap_ok(rc == 0, "%s [%s] verifies in a 256 KiB work area (%u states stored)%s%s",
               objs[k][0], objs[k][1], res.states_stored, rc ? ": " : "", rc ? res.msg : "");
        if (k == 0) {
            rc = ebpf_verify(prog.insns, prog.n, &cfg, work, 16u << 10, &res);
            tap_ok(rc != 0 && strstr(res.msg, "out of verifier memory"),
                   "a 16 KiB work area is refused: %s", res.msg);
            rc = ebpf_verify(prog.insns, prog.n, &cfg, (uint8_t *)work + 4, sizeof(work) - 8, &res);
            tap_ok(rc != 0 && strstr(res.msg, "out of verifier memory"),
                   "a misaligned work area is refused");
        }
    }
}

int main(int argc, char **argv)
{
    snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "build/ebpf-progs");
    test_filter();
    test_counter();
    test_loops();
    test_calls();
    test_rewrite();
    test_btf_maps();
    test_ports();
    test_small_work_area();
    return tap_done();
}
