/* SPDX-License-Identifier: MIT
 * Helpers for the .cu side of every family: launch checks that record, never abort. */
#ifndef SAI_CUDA_H
#define SAI_CUDA_H

#include <cuda_runtime.h>
#include "sai.h"

/* After a kernel launch: a failure is kept for the next waiting call, with what
 * the task was computing (`what`: the statement and call site, may be ""). */
static inline void sai_cuda_check_launch(const char *op, const char *what)
{
  cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess)
    sai_async_fail(SA_ERR_CUDA, op, "kernel launch failed: %s%s%s", cudaGetErrorString(e),
                   what[0] ? "; " : "", what);
}

#endif /* SAI_CUDA_H */
