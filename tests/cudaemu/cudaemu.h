/* SPDX-License-Identifier: MIT
 * Host emulation of the part of CUDA that libstarray's kernels use, so that
 * codelets/FAMILY.cu run as host C++ on machines without a GPU (make check).
 *
 * What it emulates exactly: kernels whose threads do not talk to each other (no
 * shared memory, barriers or warp intrinsics; atomics are exact because threads run
 * one after another). A launch runs every block and thread in order, with
 * blockIdx/threadIdx/blockDim/gridDim set as CUDA would, after checking the launch
 * configuration as the driver does. Device memory lives in pages of its own between
 * guard pages; outside a kernel or a copy the pages are inaccessible, so a host
 * dereference of a device pointer faults, and so does a kernel reading or writing
 * past an allocation. Streams are synchronous. cuBLAS gemm is a plain triple loop
 * (cuBLAS's summation order is not specified: results are compared with tolerance).
 *
 * CUDAEMU_PLANT=first-thread|stride plants a bug in every launch (the grid's first
 * thread of a launch of several does not run, as with an index off by one; kernels see gridDim.x one more
 * than launched, a wrong grid stride), for the tests that prove the comparisons
 * catch such bugs. CUDAEMU_NOMEM=1: cudaMallocAsync fails. */
#ifndef CUDAEMU_H
#define CUDAEMU_H

#ifndef __cplusplus
#error "host-compiled CUDA is C++"
#endif

/* Before any CUDA header: the toolkit's headers keep definitions that exist. */
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)

#include <starpu.h> /* a StarPU built with CUDA brings the toolkit's types */

#include <cstddef>
#include <cstdint>

#ifndef STARPU_USE_CUDA /* no toolkit: the types, with CUDA's values */
typedef enum cudaError {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorLaunchFailure = 719
} cudaError_t;
typedef struct CUstream_st *cudaStream_t;
enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
  cudaMemcpyDefault = 4
};
struct uint3 {
  unsigned int x, y, z;
};
struct dim3 {
  unsigned int x, y, z;
  dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};
#endif

/* ------------------------------------------------------------- launches */

/* The indices of the thread running, per host thread (workers emulate at once). */
struct cudaemu_indices {
  uint3 block, thread;
  dim3 block_dim, grid_dim;
};
cudaemu_indices &cudaemu_here(void);
#define blockIdx (cudaemu_here().block)
#define threadIdx (cudaemu_here().thread)
#define blockDim (cudaemu_here().block_dim)
#define gridDim (cudaemu_here().grid_dim)

/* Device memory of this thread becomes accessible (1) or not (0). */
void cudaemu_device_access(int on);
/* Whether a launch of grid x block is valid; if not, the error is recorded. */
int cudaemu_launch_begin(dim3 grid, dim3 block);
/* Whether thread (b, t) of the grid runs, and the blockDim it sees (plants). */
int cudaemu_thread_runs(dim3 grid, dim3 block);
void cudaemu_launch_end(void);

template <class Body>
void cudaemu_launch(dim3 grid, dim3 block, cudaStream_t stream, Body body)
{
  (void)stream;
  if (!cudaemu_launch_begin(grid, block)) return;
  for (unsigned bz = 0; bz < grid.z; bz++)
    for (unsigned by = 0; by < grid.y; by++)
      for (unsigned bx = 0; bx < grid.x; bx++)
        for (unsigned tz = 0; tz < block.z; tz++)
          for (unsigned ty = 0; ty < block.y; ty++)
            for (unsigned tx = 0; tx < block.x; tx++) {
              cudaemu_here().block = {bx, by, bz};
              cudaemu_here().thread = {tx, ty, tz};
              if (cudaemu_thread_runs(grid, block)) body();
            }
  cudaemu_launch_end();
}

/* ------------------------------------------------------- runtime calls */

cudaError_t cudaemu_get_last_error(void);
const char *cudaemu_error_string(cudaError_t e);
cudaError_t cudaemu_malloc_async(void **p, size_t size, cudaStream_t s);
cudaError_t cudaemu_free_async(void *p, cudaStream_t s);
cudaError_t cudaemu_memcpy_async(void *dst, const void *src, size_t n, cudaMemcpyKind kind,
                                 cudaStream_t s);
cudaError_t cudaemu_memset_async(void *p, int value, size_t n, cudaStream_t s);
cudaError_t cudaemu_stream_synchronize(cudaStream_t s);
cudaStream_t cudaemu_stream(void);
/* Whether p lies in device memory of this thread. */
int cudaemu_is_device(const void *p);
/* Device memory of size bytes, its end against a guard page; NULL when out of memory. */
void *cudaemu_device_alloc(size_t size);
void cudaemu_device_free(void *p);

#define cudaGetLastError cudaemu_get_last_error
#define cudaPeekAtLastError cudaemu_get_last_error
#define cudaGetErrorString cudaemu_error_string
#define cudaMallocAsync cudaemu_malloc_async
#define cudaFreeAsync cudaemu_free_async
#define cudaMemcpyAsync cudaemu_memcpy_async
#define cudaMemsetAsync cudaemu_memset_async
#define cudaStreamSynchronize cudaemu_stream_synchronize
#define starpu_cuda_get_local_stream cudaemu_stream

/* atomics: threads run one at a time */
static inline unsigned long long cudaemu_atomic_min(unsigned long long *p, unsigned long long v)
{
  unsigned long long old = *p;
  if (v < old) *p = v;
  return old;
}
#define atomicMin cudaemu_atomic_min

/* ---------------------------------------------------------------- cuBLAS */

typedef struct cudaemu_cublas *cublasHandle_t;
typedef enum { CUBLAS_STATUS_SUCCESS = 0, CUBLAS_STATUS_INVALID_VALUE = 7 } cublasStatus_t;
typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 } cublasOperation_t;
cublasStatus_t cudaemu_dgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                             int m, int n, int k, const double *alpha, const double *a, int lda,
                             const double *b, int ldb, const double *beta, double *c, int ldc);
cublasStatus_t cudaemu_sgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                             int m, int n, int k, const float *alpha, const float *a, int lda,
                             const float *b, int ldb, const float *beta, float *c, int ldc);
#define cublasDgemm cudaemu_dgemm
#define cublasSgemm cudaemu_sgemm
#define starpu_cublas_get_local_handle() ((cublasHandle_t)0)

/* ------------------------------------------------- StarPU's side of a task */

extern "C" {
/* A codelet's CPU entry that runs its CUDA implementation on emulated device memory:
 * each buffer is copied to device pages (a write-only one filled with a pattern
 * instead), the interface points there while the CUDA function runs, and what the
 * task writes comes back. */
void cudaemu_task(void *buffers[], void *cl_arg);
}

#endif /* CUDAEMU_H */
