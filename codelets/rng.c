/* SPDX-License-Identifier: MIT
 * The rng family on the CPU: kernel, codelet and submission. */
#include "rng.h"

#include <stdlib.h>

static void sai_rng_cpu(void *buffers[], void *cl_arg)
{
  const sai_rng_args *a = cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  int64_t row = a->ext[a->ndim - 1];
  uint32_t block[4];
  uint64_t have = 0;
  /* row by row: along one row the global indices are consecutive */
  for (int64_t i = 0; i < n; i += row) {
    int64_t g = sai_rng_global(a, i);
    for (int64_t k = 0; k < row; k++)
      sai_rng_store(a, x, i + k, g + k, block, &have);
  }
}

static struct starpu_perfmodel sai_rng_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_rng",
};

struct starpu_codelet sai_rng_cl = {
    .cpu_funcs = {sai_rng_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_rng_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = 1,
    .modes = {STARPU_W},
    .model = &sai_rng_model,
    .name = "rng",
};

sa_status sai_rng_submit(starpu_data_handle_t x, const sai_rng_args *rng)
{
  sa_status st = SA_OK;
  /* STARPU_CL_ARGS hands the struct to the kernels as is; StarPU frees it. */
  sai_rng_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "rng: out of memory");
  *args = *rng;
  struct starpu_data_descr d = {x, STARPU_W};
  int ret = sai_task_insert(&sai_rng_cl, &d, 1, args, sizeof *args, "rng");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "rng: task submission failed (%d)", ret);
done:
  return st;
}
