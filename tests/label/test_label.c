/* test_label.c - lattice laws of lib/label, exhaustively over a small universe (levels 0..3 times
 * all subsets of 3 categories: 32 labels, all 32768 triples), plus the flow rule and the extremes
 * of the full 8-bit level / 64-bit category space on random labels. */
#include <stdint.h>

#include "lib/label/label.h"
#include "tests/algebra/rng.h"
#include "tests/lib/tap.h"

#define NL 32
static label_t U[NL];

static label_t rnd_label(void)
{
    uint64_t r = rng_u64();
    return (label_t){(uint8_t)r, rng_u64() & rng_u64()};
}

/* The order defined independently of the implementation, by its meaning. */
static bool ref_geq(label_t a, label_t b)
{
    if (a.level < b.level)
        return false;
    for (int c = 0; c < 64; c++)
        if ((b.cats >> c & 1) && !(a.cats >> c & 1))
            return false;
    return true;
}

int main(void)
{
    for (int i = 0; i < NL; i++)
        U[i] = (label_t){(uint8_t)(i >> 3), (uint64_t)(i & 7)};

    bool comm = true, assoc = true, absorb = true, idem = true, refl = true, antisym = true,
         trans = true, lub = true, glb = true, consistent = true, distrib = true, ref = true;
    for (int i = 0; i < NL; i++) {
        label_t a = U[i];
        idem &= label_eq(label_join(a, a), a) && label_eq(label_meet(a, a), a);
        refl &= label_dominates(a, a);
        for (int j = 0; j < NL; j++) {
            label_t b = U[j];
            comm &= label_eq(label_join(a, b), label_join(b, a)) &&
                    label_eq(label_meet(a, b), label_meet(b, a));
            absorb &= label_eq(label_join(a, label_meet(a, b)), a) &&
                      label_eq(label_meet(a, label_join(a, b)), a);
            antisym &= !(label_dominates(a, b) && label_dominates(b, a)) || label_eq(a, b);
            consistent &= label_dominates(a, b) == label_eq(label_join(a, b), a) &&
                          label_dominates(a, b) == label_eq(label_meet(a, b), b);
            ref &= label_dominates(a, b) == ref_geq(a, b) &&
                   label_flow_allowed(b, a) == ref_geq(a, b);
            label_t j_ab = label_join(a, b), m_ab = label_meet(a, b);
            for (int k = 0; k < NL; k++) {
                label_t c = U[k];
                assoc &= label_eq(label_join(label_join(a, b), c), label_join(a, label_join(b, c))) &&
                         label_eq(label_meet(label_meet(a, b), c), label_meet(a, label_meet(b, c)));
                trans &= !(label_dominates(a, b) && label_dominates(b, c)) || label_dominates(a, c);
                /* join is the least upper bound, meet the greatest lower bound */
                lub &= (label_dominates(c, a) && label_dominates(c, b)) == label_dominates(c, j_ab);
                glb &= (label_dominates(a, c) && label_dominates(b, c)) == label_dominates(m_ab, c);
                distrib &= label_eq(label_meet(a, label_join(b, c)),
                                    label_join(label_meet(a, b), label_meet(a, c)));
            }
        }
    }
    tap_ok(comm, "join and meet are commutative (32x32 pairs)");
    tap_ok(assoc, "join and meet are associative (32768 triples)");
    tap_ok(absorb, "absorption: a v (a ^ b) = a, a ^ (a v b) = a");
    tap_ok(idem, "idempotence: a v a = a ^ a = a");
    tap_ok(refl && antisym && trans, "dominates is a partial order (reflexive, antisymmetric, transitive)");
    tap_ok(lub, "join is the least upper bound: c >= a and c >= b iff c >= a v b");
    tap_ok(glb, "meet is the greatest lower bound: a >= c and b >= c iff a ^ b >= c");
    tap_ok(consistent, "a >= b iff a v b = a iff a ^ b = b");
    tap_ok(distrib, "the lattice is distributive");
    tap_ok(ref, "dominates and flow_allowed agree with the bit-by-bit definition");

    /* The flow rule, stated as refusals: never from higher to lower, never out of a compartment. */
    bool down = true, out = true, up = true, incomparable = false;
    for (int i = 0; i < NL; i++)
        for (int j = 0; j < NL; j++) {
            label_t s = U[i], d = U[j];
            if (s.level > d.level)
                down &= !label_flow_allowed(s, d);
            if (s.cats & ~d.cats)
                out &= !label_flow_allowed(s, d);
            if (s.level <= d.level && (s.cats & ~d.cats) == 0)
                up &= label_flow_allowed(s, d);
            incomparable |= !label_flow_allowed(s, d) && !label_flow_allowed(d, s);
        }
    tap_ok(down, "no flow from a higher level to a lower one");
    tap_ok(out, "no flow to a label lacking one of the source's categories");
    tap_ok(up, "flow allowed to every label at least as high with a superset of categories");
    tap_ok(incomparable, "some pairs are incomparable (no flow either way): the order is partial");

    label_t top = label_top(), bot = label_bottom();
    bool ext = true, rnd_ok = true;
    for (int it = 0; it < 100000; it++) {
        label_t a = rnd_label(), b = rnd_label(), c = rnd_label();
        ext &= label_dominates(top, a) && label_dominates(a, bot) && label_eq(label_join(a, top), top) &&
               label_eq(label_meet(a, bot), bot) && label_eq(label_join(a, bot), a);
        label_t j = label_join(a, b);
        rnd_ok &= label_dominates(j, a) && label_dominates(j, b) &&
                  label_dominates(a, label_meet(a, b)) && label_dominates(a, b) == ref_geq(a, b) &&
                  (!(label_dominates(c, a) && label_dominates(c, b)) || label_dominates(c, j));
    }
    tap_ok(ext, "top dominates and bottom is dominated by 100000 random full-width labels");
    tap_ok(rnd_ok, "bounds and order on 100000 random full-width (8-bit level, 64-bit set) labels");
    tap_ok(!label_flow_allowed(top, bot) && label_flow_allowed(bot, top) &&
               !label_flow_allowed((label_t){1, 0}, (label_t){0, ~0ull}) &&
               !label_flow_allowed((label_t){0, 1ull << 63}, (label_t){255, ~(1ull << 63)}),
           "top never flows to bottom; level and category 63 each block a flow on their own");
    return tap_done();
}
