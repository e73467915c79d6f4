/* SPDX-License-Identifier: MIT
 * What every family's .cu shares: launches on StarPU's stream and checked CUDA and
 * cuBLAS calls, whose failures are recorded for the next waiting call (with the
 * statement and the user's call site) instead of aborting. Built by nvcc, or as host
 * C++ against the emulation in tests/cudaemu (SAI_CUDA_EMU), which make check runs. */
#ifndef SAI_CUDA_H
#define SAI_CUDA_H

#ifdef SAI_CUDA_EMU
#include "cudaemu.h"
#else
#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <starpu_cublas_v2.h>
#endif
#include "sai.h"

/* kernel<<<grid, block, 0, stream>>>(args...) on the worker's stream. */
#ifdef SAI_CUDA_EMU
#define SAI_LAUNCH(kernel, grid, block, ...)                                           \
  cudaemu_launch((grid), (block), starpu_cuda_get_local_stream(), [&] { kernel(__VA_ARGS__); })
#else
#define SAI_LAUNCH(kernel, grid, block, ...)                                           \
  kernel<<<(grid), (block), 0, starpu_cuda_get_local_stream()>>>(__VA_ARGS__)
#endif

/* Threads per block of every kernel, and the blocks for n elements (a grid-stride
 * loop covers the rest). The emulation launches at most 3 blocks, so that every
 * kernel's grid-stride loop goes round, as on a GPU it does only for huge tiles. */
#define SAI_CUDA_THREADS 256u
#ifdef SAI_CUDA_EMU
#define SAI_CUDA_MAX_BLOCKS 3
#else
#define SAI_CUDA_MAX_BLOCKS 65535
#endif
static inline unsigned sai_cuda_blocks(int64_t n)
{
  int64_t b = (n + SAI_CUDA_THREADS - 1) / SAI_CUDA_THREADS;
  return (unsigned)(b < 1 ? 1 : b > SAI_CUDA_MAX_BLOCKS ? SAI_CUDA_MAX_BLOCKS : b);
}

/* The result of a CUDA call: 1 when it succeeded; otherwise the failure is recorded
 * as SA_ERR_CUDA for family `op` with `what` (the statement and call site, or "")
 * and 0 is returned. */
static inline int sai_cuda_ok_at(cudaError_t e, const char *op, const char *call,
                                 const char *what)
{
  if (e == cudaSuccess) return 1;
  sai_async_fail(SA_ERR_CUDA, op, "%s failed: %s%s%s", call, cudaGetErrorString(e),
                 what[0] ? "; " : "", what);
  return 0;
}

/* After a kernel launch (what: the statement and call site, may be ""). */
static inline int sai_cuda_check_launch(const char *op, const char *what)
{
  return sai_cuda_ok_at(cudaGetLastError(), op, "kernel launch", what);
}

/* Stream-ordered device scratch of size bytes, NULL (recorded) when there is none. */
static inline void *sai_cuda_scratch(size_t size, const char *op, const char *what)
{
  void *p = NULL;
  cudaError_t e = cudaMallocAsync(&p, size ? size : 1, starpu_cuda_get_local_stream());
  return sai_cuda_ok_at(e, op, "cudaMallocAsync", what) ? p : NULL;
}

static inline void sai_cuda_scratch_free(void *p, const char *op, const char *what)
{
  if (p) sai_cuda_ok_at(cudaFreeAsync(p, starpu_cuda_get_local_stream()), op, "cudaFreeAsync", what);
}

/* count bytes from device memory into host memory, the stream then waited for. */
static inline int sai_cuda_read(void *host, const void *dev, size_t count, const char *op,
                                const char *what)
{
  cudaStream_t s = starpu_cuda_get_local_stream();
  return sai_cuda_ok_at(cudaMemcpyAsync(host, dev, count, cudaMemcpyDeviceToHost, s), op,
                        "cudaMemcpyAsync", what) &&
         sai_cuda_ok_at(cudaStreamSynchronize(s), op, "cudaStreamSynchronize", what);
}

#endif /* SAI_CUDA_H */
