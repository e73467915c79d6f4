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

SAI_CODELET(sort, .nbuffers = STARPU_VARIABLE_NBUFFERS);

sa_status sai_sort_submit(starpu_data_handle_t x, starpu_data_handle_t idx,
                          const sai_sort_args *sort)
{
  sai_sort_args args = *sort;
  args.arg = idx != NULL;
  /* argsort writes the indices: that tile, listed first, decides the owner */
  struct starpu_data_descr d[2] = {{x, STARPU_RW}, {x, STARPU_R}};
  if (idx) d[0] = (struct starpu_data_descr){idx, STARPU_W};
  return sai_task_submit(&sai_sort_cl, d, idx ? 2 : 1, &args, sizeof args,
                         idx ? "argsort" : "sort");
}
