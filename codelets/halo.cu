/* SPDX-License-Identifier: MIT
 * The halo family on CUDA: one thread per packed element on StarPU's stream. */
#include "halo.h"
#include "sai_cuda.h"

static __global__ void halo_kernel(char *dst, const char *src, int64_t n, sai_halo_args a)
{
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < n;
       e += (int64_t)gridDim.x * blockDim.x)
    sai_halo_copy(dst, src, e, sai_halo_source(&a, e), a.elemsize);
}

extern "C" void sai_halo_cuda(void *buffers[], void *cl_arg)
{
  const sai_halo_args *a = (const sai_halo_args *)cl_arg;
  char *dst = (char *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const char *src = (const char *)STARPU_VECTOR_GET_PTR(buffers[1]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  if (n == 0) return;
  SAI_LAUNCH(halo_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, dst, src, n, *a);
  sai_cuda_check_launch("halo", "");
}
