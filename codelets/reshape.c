/* SPDX-License-Identifier: MIT
 * The reshape family on the CPU: kernel, codelet and submission. */
#include "reshape.h"

#include <stdlib.h>

static void sai_reshape_cpu(void *buffers[], void *cl_arg)
{
  const sai_reshape_args *a = cl_arg;
  char *out = (char *)STARPU_VECTOR_GET_PTR(buffers[0]);
  char *in[SAI_RESHAPE_MAX_IN];
  for (int k = 0; k < a->nin; k++) in[k] = (char *)STARPU_VECTOR_GET_PTR(buffers[k + 1]);
  int64_t n = a->k1 - a->k0;
  for (int64_t k = 0; k < n; k++) sai_reshape_element(a, out, in, k);
}

static struct starpu_perfmodel sai_reshape_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_reshape",
};

struct starpu_codelet sai_reshape_cl = {
    .cpu_funcs = {sai_reshape_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_reshape_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_reshape_model,
    .name = "reshape",
};

sa_status sai_reshape_submit(starpu_data_handle_t out, int first,
                             const starpu_data_handle_t *in, const sai_reshape_args *ra)
{
  sa_status st = SA_OK;
  sai_reshape_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "reshape: out of memory");
  *args = *ra;
  struct starpu_data_descr d[SAI_RESHAPE_MAX_IN + 1];
  d[0] = (struct starpu_data_descr){out, first ? STARPU_W : STARPU_RW};
  for (int k = 0; k < ra->nin; k++) d[k + 1] = (struct starpu_data_descr){in[k], STARPU_R};
  int ret = sai_task_insert(&sai_reshape_cl, d, ra->nin + 1, args, sizeof *args, "reshape");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "reshape: task submission failed (%d)", ret);
done:
  return st;
}
