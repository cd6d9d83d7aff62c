/* obj_console.h - the CONSOLE object (EXO_OBJ_CONSOLE): the kernel's debug console as a capability.
 *
 * There is one console object, made at boot for the root domain (console_make_root); every console
 * capability descends from that one, so the root domain can hand out narrower copies (cap_copy) and
 * take them back (cap_revoke). exo_debug_write needs a CONSOLE capability with the WRITE right: a
 * domain that holds none cannot print. The object holds no references and owns no frames. */
#ifndef PLADOF_KERNEL_CORE_OBJ_CONSOLE_H
#define PLADOF_KERNEL_CORE_OBJ_CONSOLE_H

#include <stdint.h>

#include "kernel/core/obj.h"

struct domain;

struct console_obj {
    struct obj hdr;
};

/* The rights of the root console capability. */
#define CONSOLE_ROOT_RIGHTS (EXO_R_WRITE | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

/* Registers EXO_OBJ_CONSOLE with the capability core (boot, after capcore_init). */
void obj_console_register(void);
/* Makes the console object and installs its first capability (CONSOLE_ROOT_RIGHTS) in d's capability
 * space: the handle, or EXO_ENOSLOT / EXO_ENOOBJ. Takes the core lock. */
int64_t console_make_root(struct domain *d);

#endif
