/* SPDX-License-Identifier: MIT
 * The gemm family on CUDA: cuBLAS on StarPU's per-worker handle (bound to the
 * worker's stream). Row-major C = A B is column-major C^T = B^T A^T. */
#include "gemm.h"
#include "sai_cuda.h"

extern "C" void sai_gemm_cuda(void *buffers[], void *cl_arg)
{
  const sai_gemm_args *g = (const sai_gemm_args *)cl_arg;
  void *a = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  void *b = (void *)STARPU_VECTOR_GET_PTR(buffers[1]);
  void *c = (void *)STARPU_VECTOR_GET_PTR(buffers[2]);
  int m = (int)g->m, n = (int)g->n, k = (int)g->k;
  cublasHandle_t h = starpu_cublas_get_local_handle();
  cublasStatus_t s;
  if (g->dtype == SAI_F64) {
    const double one = 1.0, beta = g->beta;
    s = cublasDgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, (const double *)b, n,
                    (const double *)a, k, &beta, (double *)c, n);
  } else {
    const float one = 1.0f, beta = (float)g->beta;
    s = cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, (const float *)b, n,
                    (const float *)a, k, &beta, (float *)c, n);
  }
  if (s != CUBLAS_STATUS_SUCCESS)
    sai_async_fail(SA_ERR_CUDA, "matmul", "cuBLAS gemm failed with status %d%s", (int)s,
                   g->where);
}
