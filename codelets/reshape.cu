/* SPDX-License-Identifier: MIT
 * The reshape family on CUDA: one thread per output element, on StarPU's stream. */
#include "reshape.h"
#include "sai_cuda.h"

typedef struct in_ptrs {
  char *p[SAI_RESHAPE_MAX_IN];
} in_ptrs;

static __global__ void reshape_kernel(char *out, in_ptrs in, sai_reshape_args a, int64_t n)
{
  for (int64_t k = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; k < n;
       k += (int64_t)gridDim.x * blockDim.x)
    sai_reshape_element(&a, out, in.p, k);
}

extern "C" void sai_reshape_cuda(void *buffers[], void *cl_arg)
{
  const sai_reshape_args *a = (const sai_reshape_args *)cl_arg;
  char *out = (char *)STARPU_VECTOR_GET_PTR(buffers[0]);
  in_ptrs in;
  for (int k = 0; k < a->nin; k++) in.p[k] = (char *)STARPU_VECTOR_GET_PTR(buffers[k + 1]);
  int64_t n = a->k1 - a->k0;
  if (n == 0) return;
  SAI_LAUNCH(reshape_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, out, in, *a, n);
  sai_cuda_check_launch("reshape", "");
}
