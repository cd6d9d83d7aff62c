/* ksyms.h - address -> function name, from the table the second link pass embeds (.ksyms). */
#ifndef PLADOF_KERNEL_KSYMS_H
#define PLADOF_KERNEL_KSYMS_H

#include <stdint.h>

/* Returns the name of the function containing `addr` and sets *off to the offset into it, or
 * returns 0 when addr is outside the kernel's text. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);
/* Address of a symbol by exact name, or 0 (tests use it to check the table). */
uint64_t ksym_address(const char *name);

#endif
