/* SPDX-License-Identifier: MIT
 * The gemm family on the CPU (CBLAS), the codelet and the submission. */
#include "gemm.h"

#include <cblas.h>

static void sai_gemm_cpu(void *buffers[], void *cl_arg)
{
  const sai_gemm_args *g = cl_arg;
  void *a = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  void *b = (void *)STARPU_VECTOR_GET_PTR(buffers[1]);
  void *c = (void *)STARPU_VECTOR_GET_PTR(buffers[2]);
  int m = (int)g->m, n = (int)g->n, k = (int)g->k;
  if (g->dtype == SAI_F64)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, a, k, b, n, g->beta,
                c, n);
  else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n,
                (float)g->beta, c, n);
}

SAI_CODELET(gemm, .nbuffers = STARPU_VARIABLE_NBUFFERS /* C is W on the first k-step, RW after */);

sa_status sai_gemm_submit(starpu_data_handle_t a, starpu_data_handle_t b,
                          starpu_data_handle_t c, const sai_gemm_args *g)
{
  struct starpu_data_descr d[3] = {
      {a, STARPU_R}, {b, STARPU_R}, {c, g->beta == 0 ? STARPU_W : STARPU_RW}};
  return sai_task_submit(&sai_gemm_cl, d, 3, g, sizeof *g, "matmul");
}
