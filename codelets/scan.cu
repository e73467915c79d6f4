/* SPDX-License-Identifier: MIT
 * The scan family on CUDA: one thread per line along the axis, on StarPU's stream. */
#include "scan.h"
#include "sai_cuda.h"

static __global__ void scan_kernel(void *x, const void *prev, sai_scan_args a)
{
  int64_t lines = a.outer * a.inner;
  for (int64_t k = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; k < lines;
       k += (int64_t)gridDim.x * blockDim.x)
    sai_scan_line(&a, x, prev, k);
}

extern "C" void sai_scan_cuda(void *buffers[], void *cl_arg)
{
  const sai_scan_args *a = (const sai_scan_args *)cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const void *prev = a->has_prev ? (const void *)STARPU_VECTOR_GET_PTR(buffers[1]) : NULL;
  int64_t lines = a->outer * a->inner;
  if (lines == 0 || a->len == 0) return;
  SAI_LAUNCH(scan_kernel, sai_cuda_blocks(lines), SAI_CUDA_THREADS, x, prev, *a);
  sai_cuda_check_launch("scan", "");
}
