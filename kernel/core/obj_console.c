/* obj_console.c - the CONSOLE object and its root capability (see obj_console.h). */
#include "kernel/core/obj_console.h"

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_domain.h"

static void console_destroy(struct obj *o)
{
    (void)o; /* nothing held: the console device itself belongs to the kernel */
}

static const struct obj_type_ops console_ops = {.size = sizeof(struct console_obj), .destroy = console_destroy};

void obj_console_register(void)
{
    obj_register_type(EXO_OBJ_CONSOLE, &console_ops);
}

int64_t console_make_root(struct domain *d)
{
    uint64_t cookie = capenv_lock();
    int64_t r;
    struct console_obj *o;
    if (!cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    else if (!(o = capenv_obj_alloc(EXO_OBJ_CONSOLE)))
        r = EXO_ENOOBJ;
    else {
        obj_init(&o->hdr, EXO_OBJ_CONSOLE);
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, CONSOLE_ROOT_RIGHTS, 0, NULL));
    }
    capenv_unlock(cookie);
    return r;
}
