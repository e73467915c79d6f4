/* SPDX-License-Identifier: MIT
 * The reduce family: what sum, prod, min, max, all and any do with values, shared by
 * the per-tile kernel and the combine kernel. Sums are cascaded (pairwise within a
 * chunk, a binary counter across chunks, pairwise across tiles), so rounding error
 * grows with log(n); partials are combined in tile order, so results do not depend
 * on workers or schedulers. */
#ifndef SAI_REDUCE_H
#define SAI_REDUCE_H

#include "elementwise.h"

enum { SAI_RED_SUM = 1, SAI_RED_PROD, SAI_RED_MIN, SAI_RED_MAX, SAI_RED_ALL, SAI_RED_ANY,
       SAI_RED_ARGMIN, SAI_RED_ARGMAX };

/* A partial (or final) result: f for float kinds, i for integer kinds; n elements. */
typedef struct sai_partial {
  double f;
  int64_t i;
  int64_t n;
  int64_t where; /* argmin/argmax: flat index of the value kept */
} sai_partial;

static inline SAI_HD void sai_red_identity(int op, sai_partial *p)
{
  p->n = 0;
  p->where = -1;
  p->f = op == SAI_RED_PROD ? 1.0 : op == SAI_RED_MIN ? INFINITY : op == SAI_RED_MAX ? -INFINITY : 0.0;
  p->i = op == SAI_RED_PROD || op == SAI_RED_ALL ? 1 : op == SAI_RED_MIN ? INT64_MAX
         : op == SAI_RED_MAX ? INT64_MIN : 0;
}

/* argmin/argmax as NumPy: the first NaN wins, then the extreme value, ties to the
 * smaller index. Does q replace p? */
static inline SAI_HD int sai_red_arg_takes(int max, int f, const sai_partial *p,
                                          const sai_partial *q)
{
  if (!q->n) return 0;
  if (!p->n) return 1;
  int earlier = q->where < p->where;
  if (f) {
    int pn = p->f != p->f, qn = q->f != q->f;
    if (pn || qn) return qn && (!pn || earlier);
    return max ? (q->f > p->f || (q->f == p->f && earlier))
               : (q->f < p->f || (q->f == p->f && earlier));
  }
  return max ? (q->i > p->i || (q->i == p->i && earlier))
             : (q->i < p->i || (q->i == p->i && earlier));
}

/* p = p (op) q, for kind f (float) or i. */
static inline SAI_HD void sai_red_merge(int op, int f, sai_partial *p, const sai_partial *q)
{
  if (op >= SAI_RED_ARGMIN) {
    int64_t n = p->n + q->n;
    if (sai_red_arg_takes(op == SAI_RED_ARGMAX, f, p, q)) *p = *q;
    p->n = n;
    return;
  }
  p->n += q->n;
  switch (op) {
  case SAI_RED_SUM:
    if (f) p->f += q->f;
    else p->i = (int64_t)((uint64_t)p->i + (uint64_t)q->i);
    break;
  case SAI_RED_PROD:
    if (f) p->f *= q->f;
    else p->i = (int64_t)((uint64_t)p->i * (uint64_t)q->i);
    break;
  case SAI_RED_MIN:
    if (f) p->f = sai_ew_min_f(p->f, q->f);
    else p->i = q->i < p->i ? q->i : p->i;
    break;
  case SAI_RED_MAX:
    if (f) p->f = sai_ew_max_f(p->f, q->f);
    else p->i = q->i > p->i ? q->i : p->i;
    break;
  case SAI_RED_ALL: p->i = p->i && q->i; break;
  default: p->i = p->i || q->i; break;
  }
}

/* The combine task's argument (STARPU_CL_ARGS). */
typedef struct sai_combine_args {
  int op, f;
} sai_combine_args;

#ifdef __cplusplus
extern "C" {
#endif
extern struct starpu_codelet sai_reduce_tile_cl, sai_reduce_combine_cl;
#ifdef __cplusplus
}
#endif

#endif /* SAI_REDUCE_H */
