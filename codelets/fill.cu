/* SPDX-License-Identifier: MIT
 * The fill family on CUDA: one thread per element on StarPU's stream. */
#include "fill.h"
#include "sai_cuda.h"

static __global__ void fill_kernel(void *x, int64_t n, sai_fill_args a)
{
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += (int64_t)gridDim.x * blockDim.x)
    sai_store_f(x, i, a.dtype, sai_fill_value(&a, i));
}

extern "C" void sai_fill_cuda(void *buffers[], void *cl_arg)
{
  const sai_fill_args *a = (const sai_fill_args *)cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  if (n == 0) return;
  SAI_LAUNCH(fill_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, x, n, *a);
  sai_cuda_check_launch("fill", "");
}
