/* label.h - security-lattice labels: a hierarchical level and a set of up to 64 categories.
 *
 * Labels form the product of a chain (levels 0..255) and the Boolean lattice of category sets,
 * ordered by  a >= b  ("a dominates b")  iff  a.level >= b.level  and  b.cats is a subset of a.cats.
 * join = least upper bound (max level, union), meet = greatest lower bound (min level,
 * intersection); bottom = {0, {}} is dominated by everything, top = {255, all} dominates everything.
 *
 * Flow rule (FRAMEWORK 2.3): information may flow from src to dst only if dst dominates src, so data
 * never flows from a higher (or more compartmented) label to a lower one; combining data labelled a
 * and b yields data labelled join(a, b). Every representable label is valid: there is no error case.
 * Freestanding, no FP: builds in the kernel. */
#ifndef PLADOF_LIB_LABEL_LABEL_H
#define PLADOF_LIB_LABEL_LABEL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t level;  /* 0 = least sensitive */
    uint64_t cats;  /* bit c set = category c */
} label_t;

#define LABEL_LEVEL_MAX 255u

label_t label_bottom(void);
label_t label_top(void);
label_t label_join(label_t a, label_t b);
label_t label_meet(label_t a, label_t b);
bool label_eq(label_t a, label_t b);
/* a >= b in the lattice order. */
bool label_dominates(label_t a, label_t b);
/* May data labelled src be written where data labelled dst lives?  (dst dominates src) */
bool label_flow_allowed(label_t src, label_t dst);

#endif
