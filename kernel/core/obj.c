/* obj.c - object registry, reference counts and deferred (iterative) destruction. See obj.h. */
#include "kernel/core/obj.h"

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"

static struct obj *registry;   /* doubly linked list of live objects */
static struct obj *reap_queue; /* singly linked via reap_next */
static uint32_t next_id = OBJ_ID_FIRST;
static const struct obj_type_ops *type_ops[EXO_OBJ_TYPE_LIMIT];

void obj_register_type(uint32_t type, const struct obj_type_ops *ops)
{
    if (type <= EXO_OBJ_DOMAIN || type >= EXO_OBJ_TYPE_LIMIT || !ops || !ops->destroy)
        capenv_panic("obj: registering a built-in or out-of-range type, or no destroy hook");
    type_ops[type] = ops;
}

const struct obj_type_ops *obj_type_ops(uint32_t type)
{
    return type < EXO_OBJ_TYPE_LIMIT ? type_ops[type] : NULL;
}

void obj_registry_reset(void)
{
    registry = NULL;
    reap_queue = NULL;
    next_id = OBJ_ID_FIRST;
}

size_t capcore_obj_size(unsigned kind)
{
    switch (kind) {
    case EXO_OBJ_QUOTA: return sizeof(struct quota);
    case EXO_OBJ_MEMORY: return sizeof(struct memobj);
    case EXO_OBJ_ASPACE: return sizeof(struct aspace);
    case EXO_OBJ_DOMAIN: return sizeof(struct domain);
    case CAPENV_KIND_MAPPING: return sizeof(struct mapping);
    default: return obj_type_ops(kind) ? obj_type_ops(kind)->size : 0;
    }
}

void obj_init(struct obj *o, uint32_t type)
{
    if (next_id == 0)
        capenv_panic("obj: object ids exhausted");
    if (type > EXO_OBJ_DOMAIN && !obj_type_ops(type))
        capenv_panic("obj: an object of an unregistered type");
    o->type = type;
    o->id = next_id++;
    o->refs = 0;
    o->krefs = 0;
    o->reap_next = NULL;
    o->live = OBJ_LIVE;
    o->prev = NULL;
    o->next = registry;
    if (registry)
        registry->prev = o;
    registry = o;
}

void obj_put(struct obj *o)
{
    if (o->refs == 0)
        capenv_panic("obj: reference count underflow");
    if (--o->refs == 0) {
        o->reap_next = reap_queue;
        reap_queue = o;
    }
}

void obj_get_shared(struct obj *o) { __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED); }

void obj_put_shared(struct obj *o)
{
    uint64_t left = __atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL);
    if (left == UINT64_MAX)
        capenv_panic("obj: reference count underflow");
    if (left == 0) {
        struct obj *head = __atomic_load_n(&reap_queue, __ATOMIC_RELAXED);
        do
            o->reap_next = head;
        while (!__atomic_compare_exchange_n(&reap_queue, &head, o, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    }
}

bool obj_reap_pending(void) { return __atomic_load_n(&reap_queue, __ATOMIC_RELAXED) != NULL; }

static void unregister(struct obj *o)
{
    o->live = 0;
    if (o->prev)
        o->prev->next = o->next;
    else
        registry = o->next;
    if (o->next)
        o->next->prev = o->prev;
}

void obj_reap(void)
{
    while (reap_queue) {
        struct obj *o = reap_queue;
        reap_queue = o->reap_next;
        unregister(o);
        /* Each destroy releases what the object owns and drops its internal references, which may
         * queue more objects; the loop picks them up. */
        switch (o->type) {
        case EXO_OBJ_QUOTA: quota_destroy((struct quota *)o); break;
        case EXO_OBJ_MEMORY: memobj_destroy((struct memobj *)o); break;
        case EXO_OBJ_ASPACE: aspace_destroy((struct aspace *)o); break;
        case EXO_OBJ_DOMAIN: domain_destroy((struct domain *)o); break;
        default:
            if (!obj_type_ops(o->type))
                capenv_panic("obj: reaping an object of unknown type");
            obj_type_ops(o->type)->destroy(o);
            break;
        }
        capenv_obj_free(o->type, o);
    }
}

struct obj *obj_first(void)
{
    return registry;
}
