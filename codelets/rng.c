/* SPDX-License-Identifier: MIT
 * The rng family on the CPU: kernel, codelet and submission. */
#include "rng.h"

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

SAI_CODELET(rng, .nbuffers = 1, .modes = {STARPU_W});

sa_status sai_rng_submit(starpu_data_handle_t x, const sai_rng_args *rng)
{
  struct starpu_data_descr d = {x, STARPU_W};
  return sai_task_submit(&sai_rng_cl, &d, 1, rng, sizeof *rng, "rng");
}
