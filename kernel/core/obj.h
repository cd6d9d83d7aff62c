/* obj.h - the header every kernel object starts with: type, identity, reference count, and the
 * registry of live objects.
 *
 * Lifetime rule (docs/CAPABILITIES.md): an object lives while its reference count is non-zero. Every
 * capability naming it holds one reference; objects hold references on the objects they depend on
 * (a memory object or address space on the quota it is charged to, a split quota on its parent).
 * When the count drops to zero the object is queued, not destroyed at once: obj_reap() destroys
 * queued objects one by one, so tearing down a domain whose capability space holds the last
 * capability of another domain never recurses on the kernel stack. */
#ifndef PLADOF_KERNEL_CORE_OBJ_H
#define PLADOF_KERNEL_CORE_OBJ_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct obj {
    uint32_t type;            /* EXO_OBJ_* */
    uint32_t id;              /* unique, never reused; also the frame owner id in the ledger */
    uint64_t refs;            /* capabilities + internal references + kernel references */
    uint64_t krefs;           /* of refs, those the embedding kernel holds (capcore_domain_hold) */
    uint64_t scratch;         /* for the checkers (cap_check, ledger_check) */
    struct obj *next, *prev;  /* registry of live objects (walked by the checkers) */
    struct obj *reap_next;    /* queue of objects whose count reached zero */
    uint32_t live;            /* OBJ_LIVE from obj_init until reaped (an O(1) check for the checkers) */
};

#define OBJ_LIVE 0x6f626a6cu /* "objl" */

/* Marks the invariant checkers: the fuzzer runs them after every call, and coverage feedback from
 * their loops would only slow it down (they are verified by the tests, not explored). */
#if defined(__clang__) && defined(PLADOF_FUZZING)
#define CAPCORE_CHECKER __attribute__((no_sanitize("coverage")))
#else
#define CAPCORE_CHECKER
#endif

/* Ledger owner ids 0 and 1 mean free and kernel; objects get ids from OBJ_ID_FIRST up. */
#define OBJ_ID_FIRST 2u

/* Resets the registry and the id counter (capcore_init). */
void obj_registry_reset(void);
/* Storage size of one object of a kind (EXO_OBJ_* or CAPENV_KIND_MAPPING), for embedders' pools. */
size_t capcore_obj_size(unsigned kind);
/* Initialises the header of freshly allocated storage and registers it (refs = 0). */
void obj_init(struct obj *o, uint32_t type);
static inline void obj_get(struct obj *o) { o->refs++; }
/* Drops a reference; at zero the object is queued for obj_reap. */
void obj_put(struct obj *o);
/* The same two for a path that holds only some shards of the core lock (a CPU taking or dropping its
 * hold on the context it runs: obj_ctx_sync_cpu): atomic, so two CPUs may do it at once on one
 * object; the queue push is lock-free. Everything else on refs runs with every shard held. */
void obj_get_shared(struct obj *o);
void obj_put_shared(struct obj *o);
/* Something waits in the reap queue (read without the lock: a hint). */
bool obj_reap_pending(void);
/* Destroys queued objects until the queue is empty (each destruction may queue more). */
void obj_reap(void);
/* Object types defined outside the capability core (CPU contexts, events, timers, grants, async
 * tokens: kernel/core/ctx*, event*, ...) plug in here instead of editing obj.c. Every hook runs with
 * the core lock held. */
struct obj_type_ops {
    /* Bytes of storage one object takes (capcore_obj_size reports it to the embedder's pools). */
    size_t size;
    /* Required. Reap hook: release what the object owns and drop the references it holds (obj_put);
     * obj_reap then returns the storage with capenv_obj_free(type, o). Must not fail. */
    void (*destroy)(struct obj *o);
    /* For cap_check (optional if the object holds no references): add 1 to the `scratch` of every
     * object this one holds a reference on. */
    void (*count_refs)(struct obj *o);
    /* For ledger_check (optional if the object owns no frames): the number of frames the ledger
     * records under this object's id. */
    uint64_t (*ledger_frames)(struct obj *o);
    /* For ledger_check (optional if the object charges no quota): add the pages this object has
     * charged to each quota to that quota's `check_acc`. */
    void (*quota_charges)(struct obj *o);
};
/* Registers the operations of an object type no built-in code knows (EXO_OBJ_CPU_CONTEXT and up,
 * below EXO_OBJ_TYPE_LIMIT); the ops stay referenced. Call before the first such object exists. */
void obj_register_type(uint32_t type, const struct obj_type_ops *ops);
/* The registered operations of a type, or NULL (built-in types and unregistered ones). */
const struct obj_type_ops *obj_type_ops(uint32_t type);

/* First live object and the next one, for walks over every object. */
struct obj *obj_first(void);
static inline struct obj *obj_next(const struct obj *o) { return o->next; }

#endif
