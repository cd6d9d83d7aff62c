/* verifier_call.c - helper calls, bpf-to-bpf calls and exits.
 *
 * Helper calls are checked against the typed prototype registered in the environment (vm.h):
 * each argument register must hold what the prototype asks (a scalar, the map pointer, a pointer
 * to key_size / value_size readable bytes of the stack or a map value, a memory range whose size
 * is the next argument). Afterwards r1-r5 are clobbered and r0 takes the declared return type.
 *
 * A bpf-to-bpf call pushes a frame: the callee sees r1-r5 as passed, its own empty 512-byte
 * stack in r10, and r0, r6-r9 uninitialised (they belong to the caller). Its exit returns a
 * scalar r0 to the caller, whose r6-r9 and stack are as they were and whose r1-r5 are clobbered.
 * Depth is limited to EBPF_MAX_CALL_DEPTH frames, as in the engines. */
#include "lib/ebpf/verifier_call.h"

#include "lib/ebpf/verifier_mem.h"

#define MAX_HELPER_MEM (1u << 16)

static int need_init(struct vctx *c, uint32_t pc, unsigned regno)
{
    if (c->cur.f[c->cur.nframes - 1].r[regno].type == VT_UNINIT)
        return ebpf_vreject(c->res, pc, "r%u is uninitialised", regno);
    return 0;
}

/* Memory argument `argi` (register r(argi+1)): n bytes at most, at least nmin surely touched. */
static int mem_arg(struct vctx *c, uint32_t pc, unsigned argi, uint64_t nmin, uint64_t n,
                   bool write)
{
    struct vreg *r = &c->cur.f[c->cur.nframes - 1].r[argi + 1];
    char what[16] = "arg1 (r1)";
    what[3] = (char)('1' + argi), what[7] = (char)('1' + argi);
    if (n == 0)
        return 0;
    int64_t lo;
    if (vmem_check(c, pc, what, r, 0, n, write, &lo))
        return -1;
    if (r->type != VT_STACK)
        return 0;
    if (!write)
        return vmem_stack_readable(c, pc, r, lo, n, true);
    /* The helper may write up to n bytes (clobbering spills there) but surely writes nmin. */
    vmem_stack_written(c, r, lo, n);
    if (nmin < n) {
        struct vframe *f = &c->cur.f[r->frame];
        for (uint64_t i = nmin; i < n; i++)
            f->sk[lo + EBPF_STACK_SIZE + (int64_t)i] = SB_INVALID;
    }
    return 0;
}

int vcall_helper(struct vctx *c, uint32_t pc, int32_t id)
{
    const struct ebpf_helper *h = c->cfg->env ? ebpf_env_helper(c->cfg->env, (uint32_t)id) : NULL;
    if (!h)
        return ebpf_vreject(c->res, pc, "unknown helper %d", id);
    struct vframe *f = &c->cur.f[c->cur.nframes - 1];
    int map = -1;
    for (unsigned a = 0; a < EBPF_HELPER_MAX_ARGS && h->args[a] != EBPF_ARG_NONE; a++) {
        struct vreg *r = &f->r[a + 1];
        uint8_t t = h->args[a];
        if (t != EBPF_ARG_SIZE && t != EBPF_ARG_SIZE_OR_ZERO && need_init(c, pc, a + 1))
            return -1;
        switch (t) {
        case EBPF_ARG_SCALAR:
            if (r->type != VT_SCALAR)
                return ebpf_vreject(c->res, pc, "%s arg%u (r%u) must be a scalar, not a pointer",
                                    h->name, a + 1, a + 1);
            break;
        case EBPF_ARG_MAP_PTR:
            if (r->type != VT_MAP_PTR)
                return ebpf_vreject(c->res, pc, "%s arg%u (r%u) must be a map pointer", h->name,
                                    a + 1, a + 1);
            map = r->map;
            break;
        case EBPF_ARG_MAP_KEY:
        case EBPF_ARG_MAP_VALUE: {
            if (map < 0)
                return ebpf_vreject(c->res, pc, "%s arg%u: no map argument before it", h->name, a + 1);
            const struct ebpf_verifier_map *m = &c->cfg->maps[map];
            uint32_t n = t == EBPF_ARG_MAP_KEY ? m->key_size : m->value_size;
            if (r->type != VT_STACK && r->type != VT_MAP_VALUE)
                return ebpf_vreject(c->res, pc, "%s arg%u (r%u) must point to the stack or a map "
                                    "value", h->name, a + 1, a + 1);
            if (mem_arg(c, pc, a, n, n, false))
                return -1;
            break;
        }
        case EBPF_ARG_MEM_RO:
        case EBPF_ARG_MEM_WO: {
            uint64_t nmin, nmax;
            if (h->mem_size[a]) {
                nmin = nmax = h->mem_size[a];
            } else {
                uint8_t st = a + 1 < EBPF_HELPER_MAX_ARGS ? h->args[a + 1] : EBPF_ARG_NONE;
                if (st != EBPF_ARG_SIZE && st != EBPF_ARG_SIZE_OR_ZERO)
                    return ebpf_vreject(c->res, pc, "%s: prototype has no size for arg%u",
                                        h->name, a + 1);
                struct vreg *sz = &f->r[a + 2];
                if (need_init(c, pc, a + 2))
                    return -1;
                if (sz->type != VT_SCALAR)
                    return ebpf_vreject(c->res, pc, "%s arg%u (r%u) must be a scalar size",
                                        h->name, a + 2, a + 2);
                if (st == EBPF_ARG_SIZE && sz->v.umin == 0)
                    return ebpf_vreject(c->res, pc, "%s arg%u (r%u): size may be zero", h->name,
                                        a + 2, a + 2);
                if (sz->v.umax > MAX_HELPER_MEM)
                    return ebpf_vreject(c->res, pc, "%s arg%u (r%u): size is not bounded "
                                        "(max %llu)", h->name, a + 2, a + 2,
                                        (unsigned long long)sz->v.umax);
                nmin = sz->v.umin, nmax = sz->v.umax;
            }
            if (r->type == VT_SCALAR && nmax == 0 && r->v.umax == 0)
                break; /* (NULL, 0) is a valid empty buffer */
            if (mem_arg(c, pc, a, nmin, nmax, t == EBPF_ARG_MEM_WO))
                return -1;
            break;
        }
        case EBPF_ARG_SIZE:
        case EBPF_ARG_SIZE_OR_ZERO:
            if (a == 0 || (h->args[a - 1] != EBPF_ARG_MEM_RO && h->args[a - 1] != EBPF_ARG_MEM_WO))
                return ebpf_vreject(c->res, pc, "%s: size arg%u does not follow a memory argument",
                                    h->name, a + 1);
            break;
        default:
            return ebpf_vreject(c->res, pc, "%s: unknown argument kind %u", h->name, t);
        }
    }
    for (unsigned r = 1; r <= 5; r++)
        f->r[r].type = VT_UNINIT;
    struct vreg *r0 = &f->r[0];
    *r0 = (struct vreg){ .type = VT_SCALAR, .v = scal_unknown() };
    if (h->ret == EBPF_RET_VOID) {
        r0->type = VT_UNINIT;
    } else if (h->ret == EBPF_RET_MAP_VALUE_OR_NULL) {
        if (map < 0)
            return ebpf_vreject(c->res, pc, "%s returns a map value but takes no map", h->name);
        r0->type = VT_MAP_OR_NULL, r0->map = (uint16_t)map, r0->id = ++c->next_id;
        r0->v = scal_const(0);
    }
    return 0;
}

int vcall_local(struct vctx *c, uint32_t pc, uint32_t *next)
{
    struct vstate *s = &c->cur;
    if (s->nframes >= EBPF_MAX_CALL_DEPTH)
        return ebpf_vreject(c->res, pc, "call depth exceeds %u frames", EBPF_MAX_CALL_DEPTH);
    struct vframe *caller = &s->f[s->nframes - 1], *callee = &s->f[s->nframes];
    for (unsigned r = 0; r < EBPF_NREGS; r++)
        callee->r[r].type = VT_UNINIT;
    for (unsigned r = 1; r <= 5; r++)
        callee->r[r] = caller->r[r];
    callee->r[10] = (struct vreg){ .type = VT_STACK, .frame = (uint8_t)s->nframes,
                                   .v = scal_const(0) };
    callee->callsite = pc;
    for (unsigned i = 0; i < EBPF_STACK_SIZE; i++)
        callee->sk[i] = SB_INVALID;
    for (unsigned i = 0; i < STACK_SLOTS; i++)
        callee->spill[i].type = VT_UNINIT;
    s->nframes++;
    if (s->nframes > c->res->max_depth)
        c->res->max_depth = s->nframes;
    *next = pc + 1 + (uint32_t)c->p[pc].imm;
    return 0;
}

int vexit(struct vctx *c, uint32_t pc, uint32_t *next)
{
    struct vstate *s = &c->cur;
    struct vframe *f = &s->f[s->nframes - 1];
    if (f->r[0].type == VT_UNINIT)
        return ebpf_vreject(c->res, pc, "r0 is uninitialised at exit");
    if (f->r[0].type != VT_SCALAR)
        return ebpf_vreject(c->res, pc, "returning a pointer in r0 leaks an address");
    if (s->nframes == 1)
        return VSTEP_END;
    struct vframe *caller = &s->f[s->nframes - 2];
    caller->r[0] = f->r[0];
    caller->r[0].id = 0;
    for (unsigned r = 1; r <= 5; r++)
        caller->r[r].type = VT_UNINIT;
    *next = f->callsite + 1;
    s->nframes--;
    return VSTEP_NEXT;
}
