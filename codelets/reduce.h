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

/* A reduction along an axis, one value at a time: the output element at offset off
 * of p (dtype, kind f) becomes op(it, v), rounded to its dtype as it is stored. */
static inline SAI_HD void sai_red_accumulate(char *p, int64_t off, int dtype, int f, int op,
                                            sai_ew_value v, int64_t j)
{
  sai_partial acc = {f ? sai_load_f(p, off, dtype) : 0, f ? 0 : sai_load_i(p, off, dtype), 0,
                     -1};
  sai_partial one = {f ? v.f : 0, f ? 0 : v.i, 1, j};
  sai_red_merge(op, f, &acc, &one);
  if (f) sai_store_f(p, off, dtype, acc.f);
  else sai_store_i(p, off, dtype, acc.i);
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

/* ---- States as tasks build and join them, shared by the CPU and CUDA kernels. */

static inline SAI_HD int64_t sai_red_chunk_of(int64_t flat) { return flat / SAI_EW_CHUNK; }

/* The complete chunks of [begin, end) of n: [*c0, *c1) (the array's last chunk is
 * complete however short). */
static inline SAI_HD void sai_red_complete_chunks(int64_t begin, int64_t end, int64_t n,
                                                  int64_t *c0, int64_t *c1)
{
  *c0 = (begin + SAI_EW_CHUNK - 1) / SAI_EW_CHUNK;
  *c1 = end == n ? (n + SAI_EW_CHUNK - 1) / SAI_EW_CHUNK : end / SAI_EW_CHUNK;
}

/* The level of the largest aligned block of chunks at s inside [s, e), or -1. */
static inline SAI_HD int sai_red_level_at(int64_t s, int64_t e)
{
  if (s >= e) return -1;
  int l = 0;
  while (l < 62 && s % ((int64_t)2 << l) == 0 && s + ((int64_t)2 << l) <= e) l++;
  return l;
}

/* Room in the packed state of [begin, end) of n: blocks, head and tail values. */
static inline SAI_HD void sai_red_packed_caps(int64_t begin, int64_t end, int64_t n,
                                              int *blocks, int *head, int *tail)
{
  int64_t c0, c1, span = end - begin < SAI_EW_CHUNK ? end - begin : SAI_EW_CHUNK;
  sai_red_complete_chunks(begin, end, n, &c0, &c1);
  *blocks = 0;
  for (int64_t c = c0, l; (l = sai_red_level_at(c, c1)) >= 0; c += (int64_t)1 << l) ++*blocks;
  *head = begin % SAI_EW_CHUNK || c0 >= c1 ? (int)span : 0;
  *tail = end < n && end % SAI_EW_CHUNK ? (int)span : 0;
}

/* One chunk of n values reduced to a partial (the order of sai_red_chunk_*). */
static inline SAI_HD void sai_red_chunk_values(int op, int f, const sai_ew_value *v, int n,
                                               int64_t first, sai_partial *out)
{
  sai_red_chunk c;
  sai_red_chunk_begin(op, &c, n);
  for (int j = 0; j < n; j++) sai_red_chunk_add(op, f, &c, v[j], j, n, first);
  sai_red_chunk_end(op, f, &c);
  *out = c.p;
}

/* Values of one chunk that a state holds only part of, flat indices
 * [first, first + n). */
typedef struct sai_red_frag {
  int64_t first;
  int n;
  sai_ew_value v[SAI_EW_CHUNK];
} sai_red_frag;

#define SAI_RED_MAX_BLOCKS 104 /* an aligned cover of any range of 2^50 chunks */
/* A state being worked on (what tasks hand on is its packed form). */
typedef struct sai_red_state {
  int64_t begin, end;
  sai_red_frag head, tail;
  int nblocks;
  sai_red_block block[SAI_RED_MAX_BLOCKS];
} sai_red_state;

static inline SAI_HD void sai_red_state_init(sai_red_state *s, int64_t begin)
{
  s->begin = s->end = begin;
  s->head.n = s->tail.n = 0;
  s->head.first = s->tail.first = begin;
  s->nblocks = 0;
}

/* s, whose range [begin, end) of n it covers, into its packed form at p. */
static inline SAI_HD void sai_red_state_pack(const sai_red_state *s, void *p, int64_t n)
{
  sai_red_packed *h = (sai_red_packed *)p;
  sai_red_packed_caps(s->begin, s->end, n, &h->cap_blocks, &h->cap_head, &h->cap_tail);
  h->begin = s->begin;
  h->end = s->end;
  h->head_first = s->head.first;
  h->tail_first = s->tail.first;
  h->nhead = s->head.n;
  h->ntail = s->tail.n;
  h->nblocks = s->nblocks;
  sai_red_block *b = (sai_red_block *)(h + 1);
  sai_ew_value *v = (sai_ew_value *)(b + h->cap_blocks);
  for (int k = 0; k < s->nblocks; k++) b[k] = s->block[k];
  for (int k = 0; k < s->head.n; k++) v[k] = s->head.v[k];
  for (int k = 0; k < s->tail.n; k++) v[h->cap_head + k] = s->tail.v[k];
}

/* A block after s's last one; aligned siblings fold into their parent, as the
 * binary counter folds them. */
static inline SAI_HD void sai_red_push_block(sai_red_state *s, sai_red_block b, int op, int f)
{
  s->block[s->nblocks++] = b;
  while (s->nblocks >= 2) {
    sai_red_block *x = &s->block[s->nblocks - 2], *y = &s->block[s->nblocks - 1];
    int64_t size = (int64_t)1 << x->level;
    if (x->level != y->level || x->chunk + size != y->chunk || x->chunk % (2 * size)) break;
    sai_red_merge(op, f, &x->p, &y->p);
    x->level++;
    s->nblocks--;
  }
}

/* Values [first, first + m) of one chunk, after everything s holds; a chunk they
 * complete becomes a block. n: the element count. */
static inline SAI_HD void sai_red_push_values(sai_red_state *s, const sai_ew_value *v, int m,
                                              int64_t first, int op, int f, int64_t n)
{
  if (!m) return;
  int64_t c = sai_red_chunk_of(first);
  sai_red_frag *d;
  if (s->head.n && sai_red_chunk_of(s->head.first) == c) d = &s->head;
  else if (s->tail.n && sai_red_chunk_of(s->tail.first) == c) d = &s->tail;
  else d = !s->nblocks && !s->head.n ? &s->head : &s->tail;
  if (!d->n) d->first = first;
  for (int k = 0; k < m; k++) d->v[d->n + k] = v[k];
  d->n += m;
  int64_t start = c * SAI_EW_CHUNK, stop = start + SAI_EW_CHUNK < n ? start + SAI_EW_CHUNK : n;
  if (d->first == start && d->first + d->n == stop) { /* complete: a chunk's partial */
    sai_red_block b;
    b.chunk = c;
    b.level = 0;
    sai_red_chunk_values(op, f, d->v, d->n, d->first, &b.p);
    d->n = 0;
    sai_red_push_block(s, b, op, f);
  }
}

/* The packed state at p, which begins where dst ends, joins dst. */
static inline SAI_HD void sai_red_state_append(sai_red_state *dst, const void *p, int op, int f,
                                               int64_t n)
{
  const sai_red_packed *h = (const sai_red_packed *)p;
  const sai_red_block *b = (const sai_red_block *)(h + 1);
  const sai_ew_value *v = (const sai_ew_value *)(b + h->cap_blocks);
  sai_red_push_values(dst, v, h->nhead, h->head_first, op, f, n);
  for (int k = 0; k < h->nblocks; k++) sai_red_push_block(dst, b[k], op, f);
  sai_red_push_values(dst, v + h->cap_head, h->ntail, h->tail_first, op, f, n);
  dst->end = h->end;
}

/* The value of a state of the whole range: the counter's levels, smallest first. */
static inline SAI_HD void sai_red_state_finish(const sai_red_state *s, int op, int f,
                                               sai_partial *out)
{
  sai_red_identity(op, out);
  for (int k = s->nblocks - 1; k >= 0; k--) sai_red_merge(op, f, out, &s->block[k].p);
}

#ifdef __cplusplus
extern "C" {
#endif
/* (reduce.c) The size of the state of flat indices [begin, end) of n: a function of
 * these alone, so that a handle can be made for it before it is computed. */
size_t sai_red_packed_size(int64_t begin, int64_t end, int64_t n);
#ifdef __cplusplus
}
#endif

/* A combine task joins at most this many states. */
#define SAI_RED_COMBINE_FANIN 64

/* The combine task's argument (STARPU_CL_ARGS); finish: what the combined partial
 * becomes, so that expressions read the final value from the future's handle. */
enum { SAI_RED_FINISH_NONE, SAI_RED_FINISH_MEAN, SAI_RED_FINISH_SQRT, SAI_RED_FINISH_VAR,
       SAI_RED_FINISH_STD };
typedef struct sai_combine_args {
  int op, f, finish;
  int round32;   /* the result is float32: the handle holds it rounded, as it is read */
  int64_t n;     /* the reduction's element count */
  int64_t ddof;  /* var and std: the sum is divided by max(n - ddof, 0), as NumPy's */
  int final;     /* 1: buffer 0 is the future's value; 0: a state of all the inputs */
} sai_combine_args;

static inline SAI_HD void sai_red_finish(const sai_combine_args *a, sai_partial *p)
{
  if (a->finish == SAI_RED_FINISH_MEAN) p->f = p->n ? p->f / (double)p->n : NAN;
  else if (a->finish == SAI_RED_FINISH_SQRT) p->f = sqrt(p->f);
  else if (a->finish >= SAI_RED_FINISH_VAR) {
    int64_t d = a->n - a->ddof > 0 ? a->n - a->ddof : 0;
    if (a->round32 && a->f) p->f = (double)((float)p->f / (float)d); /* NumPy: in float32 */
    else p->f = p->f / (double)d;
    if (a->finish == SAI_RED_FINISH_STD) p->f = sqrt(p->f);
  }
  if (a->round32 && a->f) p->f = (double)(float)p->f;
}

/* The combine task (a, buffer 0 out, inputs in[0..n) consecutive packed states),
 * on either kind of worker; acc is room for the work. Returns 0 when the states do
 * not cover the whole range for a->final (out then gets the identity). */
static inline SAI_HD int sai_red_combine(const sai_combine_args *a, sai_red_state *acc,
                                         const void *const *in, int n, void *out)
{
  sai_red_state_init(acc, n > 0 ? ((const sai_red_packed *)in[0])->begin : 0);
  for (int k = 0; k < n; k++) sai_red_state_append(acc, in[k], a->op, a->f, a->n);
  if (!a->final) {
    sai_red_state_pack(acc, out, a->n);
    return 1;
  }
  sai_partial *p = (sai_partial *)out;
  if (acc->head.n || acc->tail.n || acc->begin != 0 || acc->end != a->n) {
    sai_red_identity(a->op, p);
    return 0;
  }
  sai_red_state_finish(acc, a->op, a->f, p);
  sai_red_finish(a, p);
  return 1;
}

/* (host) What a combine task whose states do not cover the reduction reports. */
static inline void sai_red_report_uncovered(const sai_combine_args *a)
{
  sai_async_fail(SA_ERR_INTERNAL, "reduce", "the partial results of a reduction of %lld "
                 "elements do not cover them all", (long long)a->n);
}

#ifdef __cplusplus
extern "C" {
#endif
/* Each writes a packed state (the combine, with final, a one-element vector of
 * sai_partial). CUDA (reduce.cu): the same states, bit for bit. */
extern struct starpu_codelet sai_reduce_tile_cl, sai_reduce_combine_cl, sai_eval_reduce_cl;
void sai_reduce_tile_cuda(void *buffers[], void *cl_arg);
void sai_eval_reduce_cuda(void *buffers[], void *cl_arg);
void sai_reduce_combine_cuda(void *buffers[], void *cl_arg);
#ifdef __cplusplus
}
#endif

#endif /* SAI_REDUCE_H */
