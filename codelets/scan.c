/* SPDX-License-Identifier: MIT
 * The scan family on the CPU: kernel, codelet and submission. */
#include "scan.h"

static void sai_scan_cpu(void *buffers[], void *cl_arg)
{
  const sai_scan_args *a = cl_arg;
  void *x = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const void *prev = a->has_prev ? (const void *)STARPU_VECTOR_GET_PTR(buffers[1]) : NULL;
  for (int64_t k = 0; k < a->outer * a->inner; k++) sai_scan_line(a, x, prev, k);
}

SAI_CODELET(scan, .nbuffers = STARPU_VARIABLE_NBUFFERS);

sa_status sai_scan_submit(starpu_data_handle_t x, starpu_data_handle_t prev,
                          const sai_scan_args *scan)
{
  sai_scan_args args = *scan;
  args.has_prev = prev != NULL;
  struct starpu_data_descr d[2] = {{x, STARPU_RW}, {prev, STARPU_R}};
  return sai_task_submit(&sai_scan_cl, d, prev ? 2 : 1, &args, sizeof args, "scan");
}
