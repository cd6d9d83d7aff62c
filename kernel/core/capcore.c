/* capcore.c - initialisation, the root domain, and the combined invariant check. */
#include "kernel/core/capcore.h"

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/ledger.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"

void capcore_init(uint32_t *ledger_storage, uint64_t base_pfn, uint64_t nframes)
{
    obj_registry_reset();
    ledger_init(ledger_storage, base_pfn, nframes);
}

int capcore_make_root(uint64_t quota_pages, struct domain **dom, exo_handle_t *root_quota)
{
    uint64_t cookie = capenv_lock();
    struct domain *d = capenv_obj_alloc(EXO_OBJ_DOMAIN);
    struct quota *q = capenv_obj_alloc(EXO_OBJ_QUOTA);
    if (!d || !q) {
        if (d)
            capenv_obj_free(EXO_OBJ_DOMAIN, d);
        if (q)
            capenv_obj_free(EXO_OBJ_QUOTA, q);
        capenv_unlock(cookie);
        return EXO_ENOOBJ;
    }
    domain_commit(d);
    obj_get(&d->hdr);
    d->hdr.krefs++;
    quota_init(q, NULL, quota_pages);
    struct cap *c = cap_install(&d->cs, &q->hdr, EXO_R_ALL, 0, NULL);
    *root_quota = cap_handle(c);
    *dom = d;
    capenv_unlock(cookie);
    return 0;
}

void capcore_domain_hold(struct domain *d)
{
    uint64_t cookie = capenv_lock();
    obj_get(&d->hdr);
    d->hdr.krefs++;
    capenv_unlock(cookie);
}

void capcore_domain_release(struct domain *d)
{
    uint64_t cookie = capenv_lock();
    if (d->hdr.krefs == 0)
        capenv_panic("capcore: releasing a domain the kernel does not hold");
    d->hdr.krefs--;
    obj_put(&d->hdr);
    obj_reap();
    capenv_unlock(cookie);
}

int capcore_check(const char **why)
{
    uint64_t cookie = capenv_lock();
    int r = cap_check(why);
    if (r == 0)
        r = ledger_check(why);
    capenv_unlock(cookie);
    return r;
}
