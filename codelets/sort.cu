/* SPDX-License-Identifier: MIT
 * The sort family on CUDA: one thread per row, each with its own stream-ordered
 * scratch, on StarPU's stream. */
#include "sort.h"
#include "sai_cuda.h"

static __global__ void sort_kernel(void *x, int64_t *idx, sai_sort_args a, char *scratch)
{
  for (int64_t r = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; r < a.rows;
       r += (int64_t)gridDim.x * blockDim.x)
    sai_sort_row(&a, x, idx, r, scratch + (size_t)r * SAI_SORT_SCRATCH(a.n));
}

extern "C" void sai_sort_cuda(void *buffers[], void *cl_arg)
{
  const sai_sort_args *a = (const sai_sort_args *)cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[a->arg]);
  int64_t *idx = a->arg ? (int64_t *)STARPU_VECTOR_GET_PTR(buffers[0]) : NULL;
  if (a->rows == 0 || a->n == 0) return;
  const char *what = a->arg ? "argsort" : "sort";
  char *scratch = (char *)sai_cuda_scratch((size_t)a->rows * SAI_SORT_SCRATCH(a->n), what, "");
  if (!scratch) return;
  SAI_LAUNCH(sort_kernel, sai_cuda_blocks(a->rows), SAI_CUDA_THREADS, x, idx, *a, scratch);
  sai_cuda_check_launch(what, "");
  sai_cuda_scratch_free(scratch, what, "");
}
