/* SPDX-License-Identifier: MIT
 * The sort family on the CPU: kernel, codelet and submission. */
#include "sort.h"

#include <stdlib.h>

static void sai_sort_cpu(void *buffers[], void *cl_arg)
{
  const sai_sort_args *a = cl_arg;
  /* argsort: buffer 0 the indices written, 1 the values; sort: 0 the values */
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[a->arg]);
  int64_t *idx = a->arg ? (int64_t *)STARPU_VECTOR_GET_PTR(buffers[0]) : NULL;
  void *scratch = malloc(SAI_SORT_SCRATCH(a->n) + 1);
  if (!scratch) {
    sai_async_fail(SA_ERR_NOMEM, "sort", "out of memory for a row of %lld", (long long)a->n);
    return;
  }
  for (int64_t r = 0; r < a->rows; r++) sai_sort_row(a, x, idx, r, scratch);
  free(scratch);
}

static struct starpu_perfmodel sai_sort_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_sort",
};

struct starpu_codelet sai_sort_cl = {
    .cpu_funcs = {sai_sort_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_sort_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_sort_model,
    .name = "sort",
};

sa_status sai_sort_submit(starpu_data_handle_t x, starpu_data_handle_t idx,
                          const sai_sort_args *sort)
{
  sa_status st = SA_OK;
  sai_sort_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "sort: out of memory");
  *args = *sort;
  args->arg = idx != NULL;
  /* argsort writes the indices: that tile, listed first, decides the owner */
  struct starpu_data_descr d[2] = {{x, STARPU_RW}, {x, STARPU_R}};
  if (idx) d[0] = (struct starpu_data_descr){idx, STARPU_W};
  int ret = sai_task_insert(&sai_sort_cl, d, idx ? 2 : 1, args, sizeof *args,
                            idx ? "argsort" : "sort");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "sort: task submission failed (%d)", ret);
done:
  return st;
}
