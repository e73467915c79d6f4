/* SPDX-License-Identifier: MIT
 * The scan family on the CPU: kernel, codelet and submission. */
#include "scan.h"

#include <stdlib.h>

static void sai_scan_cpu(void *buffers[], void *cl_arg)
{
  const sai_scan_args *a = cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const void *prev = a->has_prev ? (const void *)STARPU_VECTOR_GET_PTR(buffers[1]) : NULL;
  for (int64_t k = 0; k < a->outer * a->inner; k++) sai_scan_line(a, x, prev, k);
}

static struct starpu_perfmodel sai_scan_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_scan",
};

struct starpu_codelet sai_scan_cl = {
    .cpu_funcs = {sai_scan_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_scan_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_scan_model,
    .name = "scan",
};

sa_status sai_scan_submit(starpu_data_handle_t x, starpu_data_handle_t prev,
                          const sai_scan_args *scan)
{
  sa_status st = SA_OK;
  sai_scan_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "scan: out of memory");
  *args = *scan;
  args->has_prev = prev != NULL;
  struct starpu_data_descr d[2] = {{x, STARPU_RW}, {prev, STARPU_R}};
  int ret = sai_task_insert(&sai_scan_cl, d, prev ? 2 : 1, args, sizeof *args, "scan");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "scan: task submission failed (%d)", ret);
done:
  return st;
}
