/* SPDX-License-Identifier: MIT
 * The fill family on the CPU: kernel, codelet and submission. */
#include "fill.h"

#include <stdlib.h>

static void sai_fill_cpu(void *buffers[], void *cl_arg)
{
  const sai_fill_args *a = cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  for (int64_t i = 0; i < n; i++) sai_store_f(x, i, a->dtype, sai_fill_value(a, i));
}

SAI_CODELET(fill, .nbuffers = 1, .modes = {STARPU_W});

sa_status sai_fill_submit(starpu_data_handle_t x, const sai_fill_args *fill, int worker)
{
  sa_status st = SA_OK;
  /* STARPU_CL_ARGS hands the struct to the kernels as is; StarPU frees it. */
  sai_fill_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "fill: out of memory");
  *args = *fill;
  struct starpu_data_descr d = {x, STARPU_W};
  /* a worker is only named for a rank-local handle (the self-test) */
  int ret = worker < 0 ? sai_task_insert(&sai_fill_cl, &d, 1, args, sizeof *args, "fill")
                       : starpu_task_insert(&sai_fill_cl, STARPU_W, x, STARPU_CL_ARGS, args,
                                            sizeof *args, STARPU_EXECUTE_ON_WORKER, worker,
                                            STARPU_NAME, "fill", 0);
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "fill: task submission failed (%d)", ret);
done:
  return st;
}
