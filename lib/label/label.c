/* label.c - security-lattice label operations (see label.h for the order and the flow rule). */
#include "lib/label/label.h"

label_t label_bottom(void) { return (label_t){0, 0}; }
label_t label_top(void) { return (label_t){LABEL_LEVEL_MAX, ~(uint64_t)0}; }

label_t label_join(label_t a, label_t b)
{
    return (label_t){a.level > b.level ? a.level : b.level, a.cats | b.cats};
}

label_t label_meet(label_t a, label_t b)
{
    return (label_t){a.level < b.level ? a.level : b.level, a.cats & b.cats};
}

bool label_eq(label_t a, label_t b) { return a.level == b.level && a.cats == b.cats; }

bool label_dominates(label_t a, label_t b)
{
    return a.level >= b.level && (b.cats & ~a.cats) == 0;
}

bool label_flow_allowed(label_t src, label_t dst) { return label_dominates(dst, src); }
