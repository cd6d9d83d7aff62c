/* elf_loader_btf.h - map shapes of BTF-defined maps (SEC(".maps")) for the ELF loader. */
#ifndef PLADOF_LIB_EBPF_ELF_LOADER_BTF_H
#define PLADOF_LIB_EBPF_ELF_LOADER_BTF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/elf_loader.h"

/* Reads the shape (type, key_size, value_size, max_entries, flags) of the map variable `name`
 * from the .BTF section btf[0..len). Returns 0, or -1 with a message in err. */
int ebpf_btf_map_shape(const uint8_t *btf, size_t len, const char *name, struct ebpf_elf_map *out,
                       char *err, size_t errlen);

#endif
