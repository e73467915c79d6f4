/* SPDX-License-Identifier: MIT
 * The reduce family on the CPU: per-tile partial results of a compiled expression
 * and their combination in tile order. (No CUDA kernels yet: StarPU runs these on
 * CPU workers, fetching GPU-resident tiles as needed.) */
#include "reduce.h"

#include <starpu.h>

/* Pairwise sum of n values (n <= SAI_EW_CHUNK), kind f or i. */
static void chunk_reduce(int op, int f, const sai_ew_value *v, int n, sai_partial *out)
{
  sai_red_identity(op, out);
  if (op == SAI_RED_SUM && f && n > 8) {
    sai_partial a, b;
    chunk_reduce(op, f, v, n / 2, &a);
    chunk_reduce(op, f, v + n / 2, n - n / 2, &b);
    sai_red_merge(op, f, &a, &b);
    *out = a;
    return;
  }
  for (int j = 0; j < n; j++) {
    sai_partial one = {f ? v[j].f : 0, f ? 0 : v[j].i, 1};
    sai_red_merge(op, f, out, &one);
  }
}

/* Across chunks: a binary counter of partial sums (level k holds 2^k chunks). */
typedef struct cascade {
  int op, f, top;
  sai_partial level[64];
  int used[64];
} cascade;

static void cascade_add(void *ctx, const sai_ew_value *values, int m)
{
  cascade *c = ctx;
  sai_partial s;
  chunk_reduce(c->op, c->f, values, m, &s);
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
  sai_partial *out = (sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[0]);
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
