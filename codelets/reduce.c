/* SPDX-License-Identifier: MIT
 * The reduce family on the CPU: each task folds its values, in increasing flat
 * order, into a state (reduce.h: chunks of the flat index, aligned blocks of them,
 * the values of chunks it holds only part of); combine tasks join consecutive states
 * and the last one gives the value. */
#include "reduce.h"

#include <starpu.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

/* Sum of n <= SAI_EW_CHUNK doubles: 8 interleaved accumulators (vectorised),
 * combined pairwise -- NumPy's pairwise-sum base case. */
SAI_CLONES
static double chunk_sum(const sai_ew_value *v, int n)
{
  double r[8] = {0, 0, 0, 0, 0, 0, 0, 0}, tail = 0;
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int q = 0; q < 8; q++) r[q] += v[j + q].f;
  for (; j < n; j++) tail += v[j].f;
  return sai_red_lanes_total(r, tail);
}

/* chunk_sum of the squares of the values (w: of v - w), each rounded before it is
 * added -- statements of their own, so that no compiler fuses them into the
 * addition. */
SAI_CLONES
static double chunk_sum_squares(const sai_ew_value *v, const sai_ew_value *w, int n)
{
  double r[8] = {0, 0, 0, 0, 0, 0, 0, 0}, tail = 0;
  int j = 0;
  if (w) {
    for (; j + 8 <= n; j += 8)
      for (int q = 0; q < 8; q++) {
        double d = v[j + q].f - w[j + q].f;
        double s = d * d;
        r[q] += s;
      }
  } else {
    for (; j + 8 <= n; j += 8)
      for (int q = 0; q < 8; q++) {
        double s = v[j + q].f * v[j + q].f;
        r[q] += s;
      }
  }
  for (; j < n; j++) {
    double d = w ? v[j].f - w[j].f : v[j].f;
    double s = d * d;
    tail += s;
  }
  return sai_red_lanes_total(r, tail);
}

/* One chunk of n values reduced to a partial, kind f or i; square: a float sum of
 * their squares (2: of v - w). */
static void chunk_reduce(int op, int f, int square, const sai_ew_value *v,
                         const sai_ew_value *w, int n, int64_t first, sai_partial *out)
{
  if (!(op == SAI_RED_SUM && f)) {
    sai_red_chunk_values(op, f, v, n, first, out);
    return;
  }
  sai_red_chunk c; /* vectorised, the operations of sai_red_chunk_add */
  sai_red_chunk_begin(op, &c, n);
  c.p.f = square ? chunk_sum_squares(v, square == 2 ? w : NULL, n) : chunk_sum(v, n);
  *out = c.p;
}

/* ------------------------------------------------------------------ states */

size_t sai_red_packed_size(int64_t begin, int64_t end, int64_t n)
{
  int blocks, head, tail;
  sai_red_packed_caps(begin, end, n, &blocks, &head, &tail);
  return sizeof(sai_red_packed) + (size_t)blocks * sizeof(sai_red_block) +
         (size_t)(head + tail) * sizeof(sai_ew_value);
}

/* ---------------------------------------------------------------- builders */

/* One reduction of a task's values, which arrive in increasing flat order from
 * range [begin, end): complete chunks fold into the aligned blocks covering chunks
 * [c0, c1) (each block a binary counter of its own, read when full), the rest goes
 * into the state's head and tail. */
typedef struct builder {
  int op, f, square; /* square: the inputs are x**2 (1) or (x - y)**2 (2) */
  int64_t n, pos, c1;
  sai_red_state *out;
  void *packed; /* where the state goes at the end */
  int64_t blk_chunk; /* the block being folded: chunks [blk_chunk, + 2^blk_level) */
  int blk_level;
  int64_t blk_count;
  sai_red_cascade cur;
  sai_ew_value buf[SAI_EW_CHUNK]; /* the chunk at pos, from buf_first on */
  int nbuf;
  int64_t buf_first;
} builder;


static void builder_init(builder *b, int op, int f, int square, int64_t n, int64_t begin,
                         int64_t end, sai_red_state *work, void *packed)
{
  *b = (builder){.op = op, .f = f, .square = square, .n = n, .pos = begin, .out = work,
                 .packed = packed};
  int64_t c0;
  sai_red_complete_chunks(begin, end, n, &c0, &b->c1);
  b->blk_chunk = c0;
  b->blk_level = sai_red_level_at(c0, b->c1);
  b->cur = (sai_red_cascade){.op = op, .f = f};
  b->buf_first = begin;
  sai_red_state_init(work, begin);
  work->end = end;
}

static void builder_chunk(builder *b, int64_t c, sai_partial p)
{
  sai_red_cascade_add(&b->cur, p);
  if (++b->blk_count < ((int64_t)1 << b->blk_level)) return;
  sai_red_block blk = {b->blk_chunk, b->blk_level, b->cur.level[b->blk_level]};
  b->out->block[b->out->nblocks++] = blk;
  b->blk_chunk += (int64_t)1 << b->blk_level;
  b->blk_level = sai_red_level_at(b->blk_chunk, b->c1);
  b->blk_count = 0;
  for (int k = 0; k < b->cur.top; k++) b->cur.used[k] = 0; /* empty again, cheaply */
  b->cur.top = 0;
  (void)c;
}

/* The chunk gathered in buf ends here (at its chunk's end, or the range's). */
static void builder_flush(builder *b)
{
  if (!b->nbuf) return;
  int64_t c = sai_red_chunk_of(b->buf_first), start = c * SAI_EW_CHUNK;
  if (b->buf_first == start && c < b->c1) { /* complete */
    sai_partial p;
    chunk_reduce(b->op, b->f, 0, b->buf, NULL, b->nbuf, start, &p);
    builder_chunk(b, c, p);
  } else {
    sai_red_frag *d = !b->out->nblocks && !b->out->head.n ? &b->out->head : &b->out->tail;
    d->first = b->buf_first;
    d->n = b->nbuf;
    memcpy(d->v, b->buf, (size_t)b->nbuf * sizeof *b->buf);
  }
  b->nbuf = 0;
  b->buf_first = b->pos;
}

/* m values from flat index first (= b->pos), and for (x - y)**2 the y values. */
static void builder_feed(builder *b, const sai_ew_value *v, const sai_ew_value *w, int m)
{
  while (m > 0) {
    int64_t stop = (sai_red_chunk_of(b->pos) + 1) * SAI_EW_CHUNK;
    if (stop > b->out->end) stop = b->out->end;
    int take = (int)(stop - b->pos < m ? stop - b->pos : m);
    if (!b->nbuf && b->pos % SAI_EW_CHUNK == 0 && take == stop - b->pos &&
        sai_red_chunk_of(b->pos) < b->c1) { /* a whole chunk in place: no copy */
      sai_partial p;
      chunk_reduce(b->op, b->f, b->square, v, w, take, b->pos, &p);
      builder_chunk(b, sai_red_chunk_of(b->pos), p);
      b->pos += take;
      b->buf_first = b->pos;
      v += take;
      if (w) w += take;
      m -= take;
      continue;
    }
    sai_ew_value *d = b->buf + b->nbuf;
    if (b->square == 2)
      for (int j = 0; j < take; j++) {
        double x = v[j].f - w[j].f;
        d[j].f = x * x;
      }
    else if (b->square)
      for (int j = 0; j < take; j++) d[j].f = v[j].f * v[j].f;
    else
      memcpy(d, v, (size_t)take * sizeof *v);
    b->nbuf += take;
    b->pos += take;
    v += take;
    if (w) w += take;
    m -= take;
    if (b->pos == stop) builder_flush(b);
  }
}

/* The end of the task's values: the last chunk, then the state into its buffer. */
static void builder_end(builder *b)
{
  builder_flush(b);
  sai_red_state_pack(b->out, b->packed, b->n);
}

static void tile_sink(void *ctx, const sai_ew_value *const *values, int m, int64_t first)
{
  (void)first; /* values come in order: first is the builder's pos */
  builder_feed(ctx, values[0], NULL, m);
}

/* sa_eval_reduce: each extra result of the statement into its own builder. */
typedef struct extras {
  int n;
  builder b[SAI_EW_MAX_EXTRA];
  sai_red_state work[SAI_EW_MAX_EXTRA];
} extras;

static void extras_sink(void *ctx, const sai_ew_value *const *values, int m, int64_t first)
{
  extras *e = ctx;
  (void)first;
  for (int k = 0; k < e->n; k++)
    builder_feed(&e->b[k], values[k], e->b[k].square == 2 ? values[SAI_EW_MAX_EXTRA + k] : NULL,
                 m);
}

/* Whole chunks a compiled kernel folded: each extra's chunk partial from its 8
 * accumulators, as chunk_sum gives it (the chunks are complete: no tail). */
static void extras_fold(void *ctx, const sai_ew_value *const *acc, int nch)
{
  extras *e = ctx;
  for (int k = 0; k < e->n; k++) {
    builder *b = &e->b[k];
    for (int c = 0; c < nch; c++) {
      double r[8];
      for (int q = 0; q < 8; q++) r[q] = acc[k][8 * c + q].f;
      sai_red_chunk ch;
      sai_red_chunk_begin(b->op, &ch, SAI_EW_CHUNK);
      ch.p.f = sai_red_lanes_total(r, 0);
      builder_chunk(b, sai_red_chunk_of(b->pos), ch.p);
      b->pos += SAI_EW_CHUNK;
      b->buf_first = b->pos;
    }
  }
}

/* The statement's output is buffer 0 (stored as sa_eval does), the states of its
 * extra results buffers 1..n. */
static void sai_eval_reduce_cpu(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = cl_arg;
  const sai_ew_program *pr = &args->prog;
  static _Thread_local extras e;
  e.n = pr->nextra;
  for (int k = 0; k < e.n; k++)
    builder_init(&e.b[k], pr->extra_op[k], pr->extra_kind_f[k], pr->extra_square[k],
                 sai_ew_element_count(args), args->range[0], args->range[1], &e.work[k],
                 (void *)STARPU_VARIABLE_GET_PTR(buffers[1 + k]));
  sai_ew_run_flat_fold(args, buffers, extras_sink, extras_fold, &e);
  for (int k = 0; k < e.n; k++) builder_end(&e.b[k]);
}

static void sai_reduce_tile_cpu(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = cl_arg;
  static _Thread_local builder b;
  static _Thread_local sai_red_state work;
  builder_init(&b, args->reduce, args->prog.result_kind_f, 0, sai_ew_element_count(args),
               args->range[0], args->range[1], &work,
               (void *)STARPU_VARIABLE_GET_PTR(buffers[0]));
  sai_ew_run_flat(args, buffers, tile_sink, &b);
  builder_end(&b);
}

/* Buffers 1.. are states of consecutive ranges, in order; buffer 0 gets their
 * union's state, or with a->final the value (a vector of one sai_partial, so that
 * expressions can read it as an array element). */
static void sai_reduce_combine_cpu(void *buffers[], void *cl_arg)
{
  const sai_combine_args *a = cl_arg;
  int n = (int)starpu_task_get_current()->nbuffers - 1;
  static _Thread_local sai_red_state acc;
  const void *in[SAI_RED_COMBINE_FANIN];
  for (int k = 0; k < n; k++) in[k] = (const void *)STARPU_VARIABLE_GET_PTR(buffers[1 + k]);
  void *out = a->final ? (void *)STARPU_VECTOR_GET_PTR(buffers[0])
                       : (void *)STARPU_VARIABLE_GET_PTR(buffers[0]);
  if (!sai_red_combine(a, &acc, in, n, out)) sai_red_report_uncovered(a);
}

static struct starpu_perfmodel sai_reduce_tile_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_reduce",
};

struct starpu_codelet sai_reduce_tile_cl = {
    .cpu_funcs = {sai_reduce_tile_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_reduce_tile_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_reduce_tile_model,
    .name = "reduce",
};

/* The statement and its reductions in one pass over memory. */
static struct starpu_perfmodel sai_eval_reduce_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_eval_reduce",
};

struct starpu_codelet sai_eval_reduce_cl = {
    .cpu_funcs = {sai_eval_reduce_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_eval_reduce_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_eval_reduce_model,
    .name = "eval_reduce",
};

struct starpu_codelet sai_reduce_combine_cl = {
    .cpu_funcs = {sai_reduce_combine_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_reduce_combine_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .name = "reduce_combine",
};
