/* SPDX-License-Identifier: MIT
 * The reduce family: what sum, prod, min, max, all and any do with values, and the
 * one order they are combined in, shared by the per-task kernels and the combine.
 * Sums are cascaded (8 lanes within a chunk, a binary counter across chunks), so
 * rounding error grows with log(n), and the order is a function of the element count
 * alone, so results do not depend on tiles, workers, schedulers or ranks. */
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

/* A float chunk sum's 8 accumulators and tail, added as ((r0 + r1) + (r2 + r3)) +
 * ((r4 + r5) + (r6 + r7)) + tail: the one order every kernel uses. */
static inline SAI_HD double sai_red_lanes_total(const double *r, double tail)
{
  return ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + tail;
}

/* One chunk's partial, value by value (value j of m, flat index first + j): what
 * the CPU computes over an array of m values, in the same order of operations. A
 * float sum uses 8 interleaved accumulators over the first m - m % 8 values, then a
 * tail, added as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) + tail. */
typedef struct sai_red_chunk {
  sai_partial p;
  double r[8], tail;
} sai_red_chunk;

static inline SAI_HD void sai_red_chunk_begin(int op, sai_red_chunk *c, int m)
{
  sai_red_identity(op, &c->p);
  c->p.n = op == SAI_RED_SUM ? m : 0;
  for (int q = 0; q < 8; q++) c->r[q] = 0;
  c->tail = 0;
}

static inline SAI_HD void sai_red_chunk_add(int op, int f, sai_red_chunk *c, sai_ew_value v,
                                            int j, int m, int64_t first)
{
  if (op == SAI_RED_SUM && f) {
    if (j < m - m % 8) c->r[j % 8] += v.f;
    else c->tail += v.f;
  } else if (op == SAI_RED_SUM) {
    c->p.i = (int64_t)((uint64_t)c->p.i + (uint64_t)v.i);
  } else {
    sai_partial one = {f ? v.f : 0, f ? 0 : v.i, 1, first + j};
    sai_red_merge(op, f, &c->p, &one);
  }
}

static inline SAI_HD void sai_red_chunk_end(int op, int f, sai_red_chunk *c)
{
  if (op == SAI_RED_SUM && f)
    c->p.f = sai_red_lanes_total(c->r, c->tail);
}

/* ---- The order of every reduction (doc/design.md): chunk c holds the flat indices
 * [c*C, min((c+1)*C, N)) of the reduction's iteration space (C order, N elements,
 * C = SAI_EW_CHUNK); each chunk is reduced as sai_red_chunk_* do; the chunks are
 * combined by a binary counter over the chunk index, whose levels are merged
 * smallest first at the end. It depends on N alone: not on tiles, workers,
 * schedulers or ranks. A task covers a range of flat indices and hands on its part
 * as a state: complete chunks folded into aligned blocks (block j of level l covers
 * chunks [j, j + 2^l), j a multiple of 2^l, exactly as the counter would fold them),
 * and, where its range starts or ends inside a chunk, that chunk's values. */

/* A binary counter of partials (level k holds 2^k chunks). */
typedef struct sai_red_cascade {
  int op, f, top;
  sai_partial level[64];
  int used[64];
} sai_red_cascade;

/* s, the partial of 2^level chunks, joins the counter after everything in it (its
 * chunks begin at a multiple of 2^level: the levels below are empty). */
static inline SAI_HD void sai_red_cascade_push(sai_red_cascade *c, sai_partial s, int level)
{
  int k = level;
  for (; k < 63 && c->used[k]; k++) {
    sai_red_merge(c->op, c->f, &c->level[k], &s);
    s = c->level[k];
    c->used[k] = 0;
  }
  c->level[k] = s;
  c->used[k] = 1;
  if (k >= c->top) c->top = k + 1;
}

static inline SAI_HD void sai_red_cascade_add(sai_red_cascade *c, sai_partial s)
{
  sai_red_cascade_push(c, s, 0);
}

static inline SAI_HD void sai_red_cascade_end(const sai_red_cascade *c, sai_partial *out)
{
  sai_red_identity(c->op, out);
  for (int k = 0; k < c->top; k++)
    if (c->used[k]) sai_red_merge(c->op, c->f, out, &c->level[k]);
}

typedef struct sai_red_block {
  int64_t chunk; /* the first chunk, a multiple of 2^level */
  int level;
  sai_partial p;
} sai_red_block;

/* A state as tasks hand it on (a StarPU variable of sai_red_packed_size bytes): this
 * header, then cap_blocks blocks, cap_head and cap_tail values. head: the values
 * before its first complete chunk (the whole range if it holds none), tail: the
 * values after its last one (a sum of squares keeps the squares). */
typedef struct sai_red_packed {
  int64_t begin, end, head_first, tail_first;
  int nhead, ntail, nblocks;
  int cap_blocks, cap_head, cap_tail;
} sai_red_packed;

#ifdef __cplusplus
extern "C" {
#endif
/* (reduce.c) The size of the state of flat indices [begin, end) of n: a function of
 * these alone, so that a handle can be made for it before it is computed. */
size_t sai_red_packed_size(int64_t begin, int64_t end, int64_t n);
#ifdef __cplusplus
}
#endif

/* The combine task's argument (STARPU_CL_ARGS); finish: what the combined partial
 * becomes, so that expressions read the final value from the future's handle. */
enum { SAI_RED_FINISH_NONE, SAI_RED_FINISH_MEAN, SAI_RED_FINISH_SQRT };
typedef struct sai_combine_args {
  int op, f, finish;
  int round32;   /* the result is float32: the handle holds it rounded, as it is read */
  int64_t n;     /* the reduction's element count */
  int final;     /* 1: buffer 0 is the future's value; 0: a state of all the inputs */
} sai_combine_args;

static inline SAI_HD void sai_red_finish(const sai_combine_args *a, sai_partial *p)
{
  if (a->finish == SAI_RED_FINISH_MEAN) p->f = p->n ? p->f / (double)p->n : NAN;
  else if (a->finish == SAI_RED_FINISH_SQRT) p->f = sqrt(p->f);
  if (a->round32 && a->f) p->f = (double)(float)p->f;
}

#ifdef __cplusplus
extern "C" {
#endif
/* CPU only for now: each writes a packed state (the combine, with final, a
 * one-element vector of sai_partial). */
extern struct starpu_codelet sai_reduce_tile_cl, sai_reduce_combine_cl, sai_eval_reduce_cl;
#ifdef __cplusplus
}
#endif

#endif /* SAI_REDUCE_H */
