/* async_token.pml - SPIN model of the completion-token protocol of kernel/core/async.c (FRAMEWORK
 * 3.1.5; docs/SCHED-EVENTS.md). One token, reused for NOPS operations by a client; a service that
 * completes what it receives; a second reader racing the client for the result.
 *
 * Each atomic block is one compare-and-swap of async.c (async_try_claim/complete/cancel/consume);
 * the result store between COMPLETING and DONE is a separate step, as in the code.
 *
 * Safety (assertions, checked by `pan`):
 *   S1 a result is delivered at most once per operation;
 *   S2 a token is never reused (submitted again) before the previous result was read;
 *   S3 cancel and complete never both succeed for one operation;
 *   S4 a reader gets the winner's outcome: the completed value, or CANCELLED.
 * Liveness (LTL `live`, checked by `pan -a -f`, weak fairness): every submitted operation is
 * eventually completed or cancelled. */

#define NOPS 3
mtype = { FREE, PENDING, COMPLETING, DONE, CANCELLED };

mtype st = FREE;
byte op = 0;              /* the operation the token currently carries (1..NOPS) */
byte result = 0;          /* written by the completer before DONE is published */
byte delivered[NOPS + 1]; /* ghost: reads of each operation's result */
bool cwin[NOPS + 1];      /* ghost: complete succeeded */
bool kwin[NOPS + 1];      /* ghost: cancel succeeded */

/* async_try_consume: DONE/CANCELLED -> FREE, reading the outcome first. */
inline consume(got)
{
    atomic {
        (st == DONE || st == CANCELLED) ->
        if
        :: st == DONE -> got = result; assert(cwin[op] && !kwin[op] && result == op)   /* S4 */
        :: else -> got = 255; assert(kwin[op] && !cwin[op])                             /* S4 */
        fi;
        delivered[op]++;
        assert(delivered[op] == 1);                                                     /* S1 */
        st = FREE
    }
}

active proctype client()
{
    byte i = 1, got;
    do
    :: i <= NOPS ->
        atomic {   /* async_try_claim: only from FREE */
            st == FREE ->
            assert(i == 1 || delivered[i - 1] == 1);                                    /* S2 */
            op = i; st = PENDING
        };
        if
        :: atomic { st == PENDING -> st = CANCELLED; kwin[op] = true }  /* cancel wins */
        :: atomic { st != PENDING && st != FREE -> skip }               /* cancel loses: EALREADY */
        :: skip                                                         /* no cancel */
        fi;
        if
        :: consume(got)
        :: st == FREE -> skip        /* the other reader took it */
        fi;
        i++
    :: else -> break
    od
}

active proctype service()
{
end:
    do
    :: atomic { st == PENDING -> st = COMPLETING; cwin[op] = true };
       result = op;
       st = DONE
    od
}

active proctype reader()
{
    byte got;
end:
    do
    :: consume(got)
    od
}

ltl live { [] ((st == PENDING) -> <> (st == DONE || st == CANCELLED)) }
