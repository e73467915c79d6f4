/* SPDX-License-Identifier: MIT
 * The sort family: every row (the last axis) of a tile sorted, stably, in NumPy's
 * order (NaN after everything, as numpy.sort), by a bottom-up merge sort of the
 * row's indices; sort writes the values in that order back into the tile, argsort
 * writes the indices into a second tile. One algorithm for CPU (sort.c) and CUDA
 * (sort.cu): the same result on either worker. */
#ifndef SAI_SORT_H
#define SAI_SORT_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

typedef struct sai_sort_args {
  int dtype, arg; /* arg: argsort (buffer 1 gets int64 indices) */
  int64_t rows, n;
} sai_sort_args;

/* Scratch per row: two index arrays and the values in order. */
#define SAI_SORT_SCRATCH(n) ((size_t)(n) * 3 * sizeof(int64_t))

/* Row element i before j? (floats: NaN last; ties keep the index order) */
static inline SAI_HD int sai_sort_less(const void *row, int64_t i, int64_t j, int dtype)
{
  if (dtype == SAI_F32 || dtype == SAI_F64) {
    double a = sai_load_f(row, i, dtype), b = sai_load_f(row, j, dtype);
    return a < b || (b != b && a == a);
  }
  return sai_load_i(row, i, dtype) < sai_load_i(row, j, dtype);
}

/* Sorts row r of tile x (idx: its int64 output row for argsort, else NULL) with
 * scratch of SAI_SORT_SCRATCH(n) bytes. */
static inline SAI_HD void sai_sort_row(const sai_sort_args *a, void *x, int64_t *idx_out,
                                       int64_t r, void *scratch)
{
  int64_t n = a->n, *p = (int64_t *)scratch, *q = p + n;
  size_t es = a->dtype == SAI_BOOL ? 1 : a->dtype == SAI_I32 || a->dtype == SAI_F32 ? 4 : 8;
  char *row = (char *)x + (size_t)(r * n) * es;
  for (int64_t i = 0; i < n; i++) p[i] = i;
  for (int64_t w = 1; w < n; w *= 2) { /* merge runs of w into runs of 2w, p -> q */
    for (int64_t lo = 0; lo < n; lo += 2 * w) {
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) q[k++] = sai_sort_less(row, p[j], p[i], a->dtype) ? p[j++] : p[i++];
      while (i < mid) q[k++] = p[i++];
      while (j < hi) q[k++] = p[j++];
    }
    int64_t *t = p;
    p = q;
    q = t;
  }
  if (a->arg) {
    for (int64_t i = 0; i < n; i++) idx_out[r * n + i] = p[i];
    return;
  }
  char *tmp = (char *)q; /* n values, then back into the row */
  for (int64_t i = 0; i < n; i++)
    for (size_t b = 0; b < es; b++) tmp[(size_t)i * es + b] = row[(size_t)p[i] * es + b];
  for (size_t b = 0; b < (size_t)n * es; b++) row[b] = tmp[b];
}

#ifdef __cplusplus
extern "C" {
#endif
void sai_sort_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_sort_cl;
/* Sorts the rows of tile x (idx NULL) or writes their argsort into idx. */
sa_status sai_sort_submit(starpu_data_handle_t x, starpu_data_handle_t idx,
                          const sai_sort_args *args);
#ifdef __cplusplus
}
#endif

#endif /* SAI_SORT_H */
