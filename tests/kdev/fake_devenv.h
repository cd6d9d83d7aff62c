/* fake_devenv.h - what tests see of the device layer's hosted embedder (fake_devenv.c). */
#ifndef PLADOF_TESTS_KDEV_FAKE_DEVENV_H
#define PLADOF_TESTS_KDEV_FAKE_DEVENV_H

#include <stdint.h>

/* How many port ranges may be enabled in all (64 at most); devenv_ports_can_add fails past it. */
void fake_ports_set_limit(unsigned n);
/* 1 if port is enabled for domain dom_id by some range. */
int fake_port_enabled(uint32_t dom_id, uint32_t port);
/* Ranges enabled now, over all domains. */
unsigned fake_port_ranges(void);

/* An interrupt line as the device layer left it. */
struct fake_irq_line {
    int routed, masked;
    unsigned routes;   /* how often it was routed */
};
struct fake_irq_line fake_irq_line(uint32_t gsi);

#endif
