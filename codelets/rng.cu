/* SPDX-License-Identifier: MIT
 * The rng family on CUDA: one thread per element on StarPU's stream, each computing
 * its element's Philox block (the same functions as the CPU, rng.h). */
#include "rng.h"
#include "sai_cuda.h"

static __global__ void rng_kernel(void *x, int64_t n, sai_rng_args a)
{
  uint32_t block[4];
  uint64_t have = 0;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += (int64_t)gridDim.x * blockDim.x)
    sai_rng_store(&a, x, i, sai_rng_global(&a, i), block, &have);
}

extern "C" void sai_rng_cuda(void *buffers[], void *cl_arg)
{
  const sai_rng_args *a = (const sai_rng_args *)cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  if (n == 0) return;
  SAI_LAUNCH(rng_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, x, n, *a);
  sai_cuda_check_launch("rng", "");
}
