/* SPDX-License-Identifier: MIT
 * The reshape family on the CPU: kernel, codelet and submission. */
#include "reshape.h"

static void sai_reshape_cpu(void *buffers[], void *cl_arg)
{
  const sai_reshape_args *a = cl_arg;
  char *out = (char *)STARPU_VECTOR_GET_PTR(buffers[0]);
  char *in[SAI_RESHAPE_MAX_IN];
  for (int k = 0; k < a->nin; k++) in[k] = (char *)STARPU_VECTOR_GET_PTR(buffers[k + 1]);
  int64_t n = a->k1 - a->k0;
  for (int64_t k = 0; k < n; k++) sai_reshape_element(a, out, in, k);
}

SAI_CODELET(reshape, .nbuffers = STARPU_VARIABLE_NBUFFERS);

sa_status sai_reshape_submit(starpu_data_handle_t out, int first,
                             const starpu_data_handle_t *in, const sai_reshape_args *ra)
{
  struct starpu_data_descr d[SAI_RESHAPE_MAX_IN + 1];
  d[0] = (struct starpu_data_descr){out, first ? STARPU_W : STARPU_RW};
  for (int k = 0; k < ra->nin; k++) d[k + 1] = (struct starpu_data_descr){in[k], STARPU_R};
  return sai_task_submit(&sai_reshape_cl, d, ra->nin + 1, ra, sizeof *ra, "reshape");
}
