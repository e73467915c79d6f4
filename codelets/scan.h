/* SPDX-License-Identifier: MIT
 * The scan family: cumsum and cumprod along one axis of a tile, continuing from the
 * last slice of the tile before it along that axis. Values along the axis are
 * combined one after the other, as NumPy's add.accumulate does, so the bits are
 * NumPy's and the same for any tiling. The tile is C-order, outer x len x inner
 * around the axis; the previous tile has the same outer and inner extents. Shared by
 * the CPU (scan.c) and CUDA (scan.cu) kernels. */
#ifndef SAI_SCAN_H
#define SAI_SCAN_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

enum { SAI_SCAN_SUM, SAI_SCAN_PROD };
typedef struct sai_scan_args {
  int op, dtype;            /* dtype: int64, float32 or float64 (the result's) */
  int has_prev;             /* buffer 1 is the tile before along the axis */
  int64_t outer, len, inner; /* this tile around the axis */
  int64_t prev_len;         /* the previous tile's length along the axis */
} sai_scan_args;

static inline SAI_HD double sai_scan_f(int op, int f32, double a, double b)
{
  double r = op == SAI_SCAN_SUM ? a + b : a * b;
  return f32 ? (double)(float)r : r; /* float32 accumulates in float32, as NumPy */
}

static inline SAI_HD int64_t sai_scan_i(int op, int64_t a, int64_t b)
{
  return op == SAI_SCAN_SUM ? (int64_t)((uint64_t)a + (uint64_t)b)
                            : (int64_t)((uint64_t)a * (uint64_t)b); /* wraps */
}

/* The scan of line k (k < outer * inner) of tile x, after prev's last slice. */
static inline SAI_HD void sai_scan_line(const sai_scan_args *a, void *x, const void *prev,
                                        int64_t k)
{
  int64_t o = k / a->inner, in = k % a->inner;
  int64_t first = o * a->len * a->inner + in;
  int f32 = a->dtype == SAI_F32;
  if (a->dtype == SAI_I64) {
    int64_t *v = (int64_t *)x, acc;
    int64_t i = 0;
    if (a->has_prev) {
      acc = ((const int64_t *)prev)[(o * a->prev_len + a->prev_len - 1) * a->inner + in];
    } else {
      acc = v[first];
      i = 1;
    }
    for (; i < a->len; i++) v[first + i * a->inner] = acc = sai_scan_i(a->op, acc, v[first + i * a->inner]);
    return;
  }
  int64_t i = 0;
  double acc;
  if (a->has_prev) {
    acc = sai_load_f(prev, (o * a->prev_len + a->prev_len - 1) * a->inner + in, a->dtype);
  } else {
    acc = sai_load_f(x, first, a->dtype);
    i = 1;
  }
  for (; i < a->len; i++) {
    int64_t at = first + i * a->inner;
    acc = sai_scan_f(a->op, f32, acc, sai_load_f(x, at, a->dtype));
    sai_store_f(x, at, a->dtype, acc);
  }
}

#ifdef __cplusplus
extern "C" {
#endif
void sai_scan_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_scan_cl;
/* Scans tile x (after prev, or NULL for the first along the axis) in place. */
sa_status sai_scan_submit(starpu_data_handle_t x, starpu_data_handle_t prev,
                          const sai_scan_args *args);
#ifdef __cplusplus
}
#endif

#endif /* SAI_SCAN_H */
