/* selfcheck.h - boot self-checks shared by `make run` (printed as a list) and the test kernel (printed
 * as TAP): each reads back real state (page-table bits, control registers, allocator counters, per-CPU
 * data) rather than trusting what the boot code meant to do. */
#ifndef PLADOF_KERNEL_SELFCHECK_H
#define PLADOF_KERNEL_SELFCHECK_H

#include <stdbool.h>

struct selfcheck {
    const char *name;
    bool (*fn)(void);
};
extern const struct selfcheck selfchecks[];
extern const int nselfchecks;

/* Runs them all, printing one line each; returns the number that failed. */
int selfcheck_run(void);

#endif
