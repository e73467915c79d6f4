/* SPDX-License-Identifier: MIT
 * The fill family: element i of a tile (global index first + i) becomes
 * base + (first + i) * step, converted to the tile's dtype; the element at global
 * index last_index becomes last_value (linspace's exact end point). As NumPy, a
 * full array holds base itself and arange starts at base itself (-0.0 stays -0.0,
 * which base + 0 * step would make +0.0). Shared by the CPU (fill.c) and CUDA
 * (fill.cu) kernels. */
#ifndef SAI_FILL_H
#define SAI_FILL_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

enum { SAI_FILL_STEPS, SAI_FILL_FULL, SAI_FILL_ARANGE }; /* STEPS: linspace, self-test */
typedef struct sai_fill_args {
  double base, step, last_value;
  int64_t first, last_index;
  int dtype, kind;
} sai_fill_args;

static inline SAI_HD double sai_fill_value(const sai_fill_args *a, int64_t i)
{
  int64_t g = a->first + i;
  if (a->kind == SAI_FILL_FULL || (a->kind == SAI_FILL_ARANGE && g == 0)) return a->base;
  return g == a->last_index ? a->last_value : a->base + (double)g * a->step;
}

#ifdef __cplusplus
extern "C" {
#endif
/* The CUDA launcher (fill.cu); the CPU kernel and codelet live in fill.c. */
void sai_fill_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_fill_cl;
/* Fills vector tile x as *args says, on the given worker (-1: any). */
sa_status sai_fill_submit(starpu_data_handle_t x, const sai_fill_args *args, int worker);
#ifdef __cplusplus
}
#endif

#endif /* SAI_FILL_H */
