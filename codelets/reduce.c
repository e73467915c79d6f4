/* SPDX-License-Identifier: MIT
 * The reduce family on the CPU: per-tile partial results of a compiled expression
 * and their combination in tile order. (No CUDA kernels yet: StarPU runs these on
 * CPU workers, fetching GPU-resident tiles as needed.) */
#include "reduce.h"

#include <starpu.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

/* Sum of n <= SAI_EW_CHUNK doubles: 8 interleaved accumulators (vectorised),
 * combined pairwise -- NumPy's pairwise-sum base case. */
static double chunk_sum(const sai_ew_value *v, int n)
{
  double r[8] = {0, 0, 0, 0, 0, 0, 0, 0}, tail = 0;
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int q = 0; q < 8; q++) r[q] += v[j + q].f;
  for (; j < n; j++) tail += v[j].f;
  return ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + tail;
}

/* One chunk of n values reduced to a partial, kind f or i. */
static void chunk_reduce(int op, int f, const sai_ew_value *v, int n, int64_t first,
                         sai_partial *out)
{
  sai_red_identity(op, out);
  out->n = n;
  if (op == SAI_RED_SUM && f) {
    out->f = chunk_sum(v, n);
  } else if (op == SAI_RED_SUM) {
    uint64_t s = 0;
    for (int j = 0; j < n; j++) s += (uint64_t)v[j].i;
    out->i = (int64_t)s;
  } else {
    out->n = 0;
    for (int j = 0; j < n; j++) {
      sai_partial one = {f ? v[j].f : 0, f ? 0 : v[j].i, 1, first + j};
      sai_red_merge(op, f, out, &one);
    }
  }
}

/* Across chunks: a binary counter of partial sums (level k holds 2^k chunks). */
typedef struct cascade {
  int op, f, top;
  sai_partial level[64];
  int used[64];
} cascade;

static void cascade_add(void *ctx, const sai_ew_value *values, int m, int64_t first)
{
  cascade *c = ctx;
  sai_partial s;
  chunk_reduce(c->op, c->f, values, m, first, &s);
  int k = 0;
  for (; k < 63 && c->used[k]; k++) {
    sai_red_merge(c->op, c->f, &c->level[k], &s);
    s = c->level[k];
    c->used[k] = 0;
  }
  c->level[k] = s;
  c->used[k] = 1;
  if (k >= c->top) c->top = k + 1;
}

static void sai_reduce_tile_cpu(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = cl_arg;
  cascade c = {.op = args->reduce, .f = args->prog.result_kind_f};
  sai_ew_run_boxes(args, buffers, cascade_add, &c);
  sai_partial *out = (sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[0]);
  sai_red_identity(c.op, out);
  for (int k = 0; k < c.top; k++) /* small levels first: a fixed order */
    if (c.used[k]) sai_red_merge(c.op, c.f, out, &c.level[k]);
}

/* Buffer 0 gets the partials 1..n merged pairwise in tile order. */
static void merge_range(const sai_combine_args *a, void *buffers[], int lo, int hi, sai_partial *out)
{
  if (hi - lo == 1) {
    *out = *(const sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[lo]);
    return;
  }
  sai_partial right;
  merge_range(a, buffers, lo, (lo + hi) / 2, out);
  merge_range(a, buffers, (lo + hi) / 2, hi, &right);
  sai_red_merge(a->op, a->f, out, &right);
}

static void sai_reduce_combine_cpu(void *buffers[], void *cl_arg)
{
  const sai_combine_args *a = cl_arg;
  int n = (int)starpu_task_get_current()->nbuffers;
  /* a vector of one sai_partial, so expressions can read it as array elements */
  sai_partial *out = (sai_partial *)STARPU_VECTOR_GET_PTR(buffers[0]);
  if (n > 1) merge_range(a, buffers, 1, n, out);
  else sai_red_identity(a->op, out);
}

static struct starpu_perfmodel sai_reduce_tile_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_reduce",
};

struct starpu_codelet sai_reduce_tile_cl = {
    .cpu_funcs = {sai_reduce_tile_cpu},
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_reduce_tile_model,
    .name = "reduce",
};

struct starpu_codelet sai_reduce_combine_cl = {
    .cpu_funcs = {sai_reduce_combine_cpu},
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .name = "reduce_combine",
};
