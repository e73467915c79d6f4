/* SPDX-License-Identifier: MIT
 * The gemm family: C_tile = beta * C_tile + A_tile @ B_tile on contiguous row-major
 * tiles (CBLAS on CPUs, cuBLAS on GPUs). One task per output tile and k-step, in k
 * order, so results do not depend on workers or schedulers. */
#ifndef SAI_GEMM_H
#define SAI_GEMM_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

typedef struct sai_gemm_args {
  int64_t m, n, k; /* C is m x n, A m x k, B k x n, all row-major and contiguous */
  double beta;     /* 0 on the first k-step (C is write-only), 1 after */
  int dtype;       /* SAI_F32 or SAI_F64 */
  char where[120]; /* the user's call site, for error messages ("" if unknown) */
} sai_gemm_args;

#ifdef __cplusplus
extern "C" {
#endif
void sai_gemm_cuda(void *buffers[], void *cl_arg);
/* Opens cuBLAS for the CUDA implementation (sa_init, when there are CUDA workers);
 * 0 if it cannot, and then CUDA gemm tasks fail with SA_ERR_CUDA saying why. */
int sai_gemm_cuda_open(void);
extern struct starpu_codelet sai_gemm_cl;
/* Buffers: A (R), B (R), C (W when beta == 0, else RW). */
sa_status sai_gemm_submit(starpu_data_handle_t a, starpu_data_handle_t b,
                          starpu_data_handle_t c, const sai_gemm_args *args);
#ifdef __cplusplus
}
#endif

#endif /* SAI_GEMM_H */
