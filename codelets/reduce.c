/* SPDX-License-Identifier: MIT
 * The reduce family on the CPU: per-tile partial results of a compiled expression
 * and their combination in tile order (the CUDA kernels, reduce.cu, do the same
 * operations in the same order). */
#include "reduce.h"

#include <starpu.h>
#include <stdlib.h>

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
  sai_red_chunk c;
  sai_red_chunk_begin(op, &c, n);
  if (op == SAI_RED_SUM && f) /* vectorised, the operations of sai_red_chunk_add */
    c.p.f = square ? chunk_sum_squares(v, square == 2 ? w : NULL, n) : chunk_sum(v, n);
  else
    for (int j = 0; j < n; j++) sai_red_chunk_add(op, f, &c, v[j], j, n, first);
  *out = c.p;
}

static void cascade_add(void *ctx, const sai_ew_value *const *values, int m, int64_t first)
{
  sai_red_cascade *c = ctx;
  sai_partial s;
  chunk_reduce(c->op, c->f, 0, values[0], NULL, m, first, &s);
  sai_red_cascade_add(c, s);
}

/* sa_eval_reduce: each extra result of the statement into its own cascade. */
typedef struct extras {
  int n;
  const int *square;
  sai_red_cascade c[SAI_EW_MAX_EXTRA];
} extras;

static void extras_add(void *ctx, const sai_ew_value *const *values, int m, int64_t first)
{
  extras *e = ctx;
  for (int k = 0; k < e->n; k++) {
    sai_partial s;
    chunk_reduce(e->c[k].op, e->c[k].f, e->square[k], values[k], values[SAI_EW_MAX_EXTRA + k],
                 m, first, &s);
    sai_red_cascade_add(&e->c[k], s);
  }
}

/* The statement's output is buffer 0 (stored as sa_eval does), the partials of its
 * extra results buffers 1..n. */
static void sai_eval_reduce_cpu(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = cl_arg;
  extras e = {.n = args->prog.nextra, .square = args->prog.extra_square};
  for (int k = 0; k < e.n; k++)
    e.c[k] = (sai_red_cascade){.op = args->prog.extra_op[k], .f = args->prog.extra_kind_f[k]};
  sai_ew_run_boxes(args, buffers, extras_add, &e);
  for (int k = 0; k < e.n; k++)
    sai_red_cascade_end(&e.c[k], (sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[1 + k]));
}

static void sai_reduce_tile_cpu(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = cl_arg;
  sai_red_cascade c = {.op = args->reduce, .f = args->prog.result_kind_f};
  sai_ew_run_boxes(args, buffers, cascade_add, &c);
  sai_red_cascade_end(&c, (sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[0]));
}

/* Buffer 0 gets the partials 1..n merged pairwise in tile order. */
static void sai_reduce_combine_cpu(void *buffers[], void *cl_arg)
{
  const sai_combine_args *a = cl_arg;
  int n = (int)starpu_task_get_current()->nbuffers;
  /* a vector of one sai_partial, so expressions can read it as array elements */
  sai_partial *out = (sai_partial *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const sai_partial **part = n > 1 ? malloc((size_t)n * sizeof *part) : NULL;
  if (n > 1 && !part) {
    sai_async_fail(SA_ERR_NOMEM, "reduce", "out of memory combining %d partials", n - 1);
    return;
  }
  for (int k = 1; k < n; k++) part[k] = (const sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[k]);
  if (n > 1) sai_red_tree(a->op, a->f, part, 1, n, out);
  else sai_red_identity(a->op, out);
  sai_red_finish(a, out);
  free(part);
}

static struct starpu_perfmodel sai_reduce_tile_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_reduce",
};

struct starpu_codelet sai_reduce_tile_cl = {
    .cpu_funcs = {sai_reduce_tile_cpu},
#if SA_HAVE_CUDA
    .cuda_funcs = {sai_reduce_tile_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_reduce_tile_model,
    .name = "reduce",
};

/* CPU only, like the accumulation of axis reductions: the statement and its
 * reductions in one pass over memory. */
static struct starpu_perfmodel sai_eval_reduce_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_eval_reduce",
};

struct starpu_codelet sai_eval_reduce_cl = {
    .cpu_funcs = {sai_eval_reduce_cpu},
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_eval_reduce_model,
    .name = "eval_reduce",
};

struct starpu_codelet sai_reduce_combine_cl = {
    .cpu_funcs = {sai_reduce_combine_cpu},
#if SA_HAVE_CUDA
    .cuda_funcs = {sai_reduce_combine_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .name = "reduce_combine",
};
