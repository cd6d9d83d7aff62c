/* fuzz_core2.c - libFuzzer harness: random sequences of scheduler, event, timer, grant and async-token
 * operations against the portable core (2 simulated CPUs, 6 contexts in 2 domains, 3 event sets,
 * 4 tokens, a service queue, grant windows), with every invariant checked after each operation:
 * run queues and states (sched_check), timer heap (timerq_check), event sets (evset_check), tokens
 * (state, waiter and queue links agree), and no result is ever read twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/core/async.h"
#include "tests/core2/fake_c2env.h"

#define NCTX 6
#define NSET 3
#define NTOK 4
#define ALLR (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)

static struct sched S;
static struct ctx C[NCTX];
static struct evset E[NSET];
static struct async_token T[NTOK];
static struct svc_queue Q;
static struct dom_events D[2];
static struct grant G[3];
static uint64_t now;
static uint64_t completions[NTOK], reads[NTOK];

struct in {
    const uint8_t *p;
    size_t n;
};
static uint8_t byte(struct in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}
static uint64_t word(struct in *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | byte(in);
    return v;
}

static void setup(void)
{
    fake_c2env_reset();
    sched_init(&S, 2);
    core2_timers_init();
    async_reset(&S);
    svc_queue_init(&Q, 4);
    now = 0;
    for (int i = 0; i < 2; i++)
        dom_events_init(&D[i]);
    for (int i = 0; i < NSET; i++)
        evset_init(&E[i], &S);
    for (int i = 0; i < NCTX; i++) {
        ctx_init(&C[i], (uint32_t)i + 1, NULL, fake_as((unsigned)i % 2));
        C[i].inbox = &E[i % NSET];
        dom_events_add_ctx(&D[i % 2], &C[i]);
    }
    for (int i = 0; i < NTOK; i++) {
        async_token_init(&T[i], (uint32_t)i + 1);
        completions[i] = reads[i] = 0;
    }
    grant_init(&G[0], fake_as(0), FAKE_AS_BASE, 0x2000, EXO_R_READ);
    grant_init(&G[1], fake_as(1), FAKE_AS_BASE + 0x1000, 0x2000, EXO_R_WRITE);
    grant_init(&G[2], fake_as(1), FAKE_AS_BASE, FAKE_AS_SIZE, EXO_R_READ | EXO_R_WRITE);
}

static void check(void)
{
    if (sched_check(&S) || timerq_check(&core2_timers))
        abort();
    for (int i = 0; i < NSET; i++)
        if (evset_check(&E[i]))
            abort();
    unsigned queued = 0;
    for (int i = 0; i < NTOK; i++) {
        struct async_token *t = &T[i];
        if (t->state > TOK_CANCELLED || t->state == TOK_COMPLETING)
            abort();
        if (t->waiter && (t->state != TOK_PENDING || t->waiter->state != CTX_BLOCKED || t->waiter->wait_obj != t))
            abort();
        if (t->svc) {
            queued++;
            if (t->state != TOK_PENDING || t->target != TOK_T_SERVICE)
                abort();
        }
        if (reads[i] > completions[i] + T[i].cancels)
            abort();
    }
    if (queued != Q.n)
        abort();
    for (int i = 0; i < NCTX; i++)
        if (C[i].state == CTX_BLOCKED && !C[i].wait_obj)
            abort();
}

static void note_read(int i, int r)
{
    if (r == 1)
        reads[i]++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    setup();
    while (in.n > 0) {
        uint8_t op = byte(&in), a = byte(&in);
        unsigned cpu = a & 1;
        struct ctx *c = &C[a % NCTX];
        struct async_token *t = &T[(a >> 3) % NTOK];
        int ti = (int)(t - T);
        struct evset *e = &E[(a >> 2) % NSET];
        uint64_t rights = (op & 0x80) ? ALLR : ALLR & ~((uint64_t)1 << (10 + a % 5));
        int up;
        int64_t res;
        struct ev_record rec;
        switch (op % 20) {
        case 0: sched_start(&S, c, rights); break;
        case 1: sched_stop(&S, c, rights); break;
        case 2: sched_set_budget(&S, c, rights, word(&in) * 16); break;
        case 3: sched_migrate(&S, c, rights, byte(&in) % 3); break;
        case 4:
            now += word(&in) % 3000000;
            core2_expire_all(now);
            if (sched_tick(&S, cpu, now, &up) && up)
                ctx_prepare_resume(S.cpu[cpu].cur);
            break;
        case 5:
            if (S.cpu[cpu].cur)
                sched_yield_cpu(&S, cpu, now, (op & 0x40) ? c : NULL, rights);
            break;
        case 6:
            if (S.cpu[cpu].cur)
                evset_wait(e, cpu, now, (op & 0x40) ? UINT64_MAX : now + word(&in) % 100000, &rec);
            else
                evset_wait(e, cpu, now, now, &rec);
            break;
        case 7: evset_post(e, &(struct ev_record){.kind = EV_USER, .a = {a}}); break;
        case 8: event_deliver(c, a, 1, 2, 3); break;
        case 9:
            event_register_handler(&D[a & 1], EV_EXC_FIRST + byte(&in) % (EV_EXC_COUNT + 1),
                                   (op & 0x40) ? 0 : FAKE_AS_BASE + 0x100, (op & 0x40) ? 0 : FAKE_AS_BASE + 0x8000);
            break;
        case 10:
            if (S.cpu[cpu].cur && !D[S.cpu[cpu].cur->id % 2 == 1 ? 0 : 1].killed)
                event_exception(&D[(S.cpu[cpu].cur->id - 1) % 2], &S, S.cpu[cpu].cur, cpu,
                                EV_EXC_FIRST + byte(&in) % EV_EXC_COUNT, word(&in), a, 0);
            break;
        case 11: {
            uint64_t p[4] = {a, 0, 0, 0};
            async_submit_service(t, &Q, p, (op & 0x40) ? e : NULL, a);
            break;
        }
        case 12: {
            struct async_token *r = svc_receive(&Q);
            if (r && async_complete(r, a) == 0)
                completions[r - T]++;
            break;
        }
        case 13: note_read(ti, async_poll(t, &res)); break;
        case 14: async_cancel(t); break;
        case 15:
            if (S.cpu[cpu].cur)
                note_read(ti, async_wait(t, &S, cpu, now, (op & 0x40) ? UINT64_MAX : now + word(&in) % 100000, &res));
            break;
        case 16: async_submit_timer(t, now + word(&in) % 1000000, (op & 0x40) ? e : NULL, 0); break;
        case 17: {
            struct transfer x = {.dst = &G[1 + (a & 1)], .src = &G[(a >> 1) % 3], .dst_off = word(&in) % 0x3000,
                                 .src_off = word(&in) % 0x3000, .count = word(&in) % 0x2100, .flags = op & 0x40 ? 1 : 0};
            if (a & 0x80)
                async_submit_copy(t, &x, NULL, 0);
            else
                transfer_do(&x);
            break;
        }
        case 18: {
            unsigned ran = async_run_copies(byte(&in) % 4);
            (void)ran;
            break;
        }
        case 19: ctx_set_upcall(c, rights, word(&in) << 4, (word(&in) << 8) & ~15ull); break;
        }
        /* Completions through timers and copies happen inside the calls above: count them. */
        for (int i = 0; i < NTOK; i++)
            if (T[i].completions > completions[i])
                completions[i] = T[i].completions;
        check();
    }
    return 0;
}
