/* btf_maps.c - a BTF-style map definition (SEC(".maps")), which the ELF loader must refuse with
 * a clear message: clang 14 without -g emits the section as zero bytes and no BTF. */
#define SEC(n) __attribute__((section(n), used))
#define __uint(name, val) int (*name)[val]

struct {
    __uint(type, 2);
    __uint(max_entries, 4);
} counts SEC(".maps");

SEC("socket")
int prog(void *ctx)
{
    (void)ctx;
    return 0;
}
