/* SPDX-License-Identifier: MIT
 * The fill family: x[i] = base + i * step over a vector tile. Shared by the CPU
 * (fill.c) and CUDA (fill.cu) kernels; used by sa_self_test. */
#ifndef SAI_FILL_H
#define SAI_FILL_H

#include <stdint.h>

#ifdef __CUDACC__
#define SAI_HD __host__ __device__
#else
#define SAI_HD
#endif

typedef struct sai_fill_args {
  double base, step;
} sai_fill_args;

static inline SAI_HD double sai_fill_value(const sai_fill_args *a, int64_t i)
{
  return a->base + (double)i * a->step;
}

#include <starpu.h>
#include "sai.h"

#ifdef __cplusplus
extern "C" {
#endif
/* The CUDA launcher (fill.cu); the CPU kernel and codelet live in fill.c. */
void sai_fill_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_fill_cl;
/* Fills vector x (float64) with base + i*step on the given worker (-1: any). */
sa_status sai_fill_submit(starpu_data_handle_t x, double base, double step, int worker);
#ifdef __cplusplus
}
#endif

#endif /* SAI_FILL_H */
