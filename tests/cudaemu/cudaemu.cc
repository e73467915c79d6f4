/* SPDX-License-Identifier: MIT
 * The emulated CUDA runtime of cudaemu.h: launches, guarded device memory, copies,
 * a reference gemm, and the task entry that runs a codelet's CUDA implementation. */
#include "cudaemu.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

cudaemu_indices &cudaemu_here(void)
{
  static thread_local cudaemu_indices here;
  return here;
}

namespace {

/* One allocation: [map, map + maplen) with a guard page at each end; the user's
 * bytes end at the last data page's end. */
struct region {
  char *map;
  size_t maplen;
  char *user;
  size_t size;
};

thread_local std::vector<region> regions; /* this thread's device memory */
thread_local cudaError_t last_error = cudaSuccess;
thread_local int access_depth; /* > 0: inside a kernel or a copy */

size_t page(void) { return (size_t)sysconf(_SC_PAGESIZE); }

void protect(const region &r, int on)
{
  size_t pg = page();
  if (mprotect(r.map + pg, r.maplen - 2 * pg, on ? PROT_READ | PROT_WRITE : PROT_NONE)) {
    perror("cudaemu: mprotect");
    abort();
  }
}

const char *plant(void)
{
  const char *p = getenv("CUDAEMU_PLANT");
  return p ? p : "";
}

void fail(cudaError_t e)
{
  if (last_error == cudaSuccess) last_error = e;
}

} // namespace

void cudaemu_device_access(int on)
{
  if (on ? access_depth++ > 0 : --access_depth > 0) return;
  for (const region &r : regions) protect(r, on);
}

void *cudaemu_device_alloc(size_t size)
{
  size_t pg = page(), data = (size + pg - 1) / pg * pg;
  if (!data) data = pg;
  size_t len = data + 2 * pg;
  void *m = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return NULL;
  size_t rounded = (size + 15) / 16 * 16; /* the alignment cudaMalloc gives, at least */
  region r = {(char *)m, len, (char *)m + pg + data - rounded, size};
  regions.push_back(r);
  if (access_depth > 0) protect(r, 1);
  return r.user;
}

void cudaemu_device_free(void *p)
{
  for (size_t k = 0; k < regions.size(); k++)
    if (regions[k].user == p) {
      munmap(regions[k].map, regions[k].maplen);
      regions.erase(regions.begin() + (long)k);
      return;
    }
  fprintf(stderr, "cudaemu: free of %p, which is no device memory of this thread\n", p);
  abort();
}

int cudaemu_is_device(const void *p)
{
  const char *c = (const char *)p;
  for (const region &r : regions)
    if (c >= r.map && c < r.map + r.maplen) return 1;
  return 0;
}

int cudaemu_launch_begin(dim3 grid, dim3 block)
{
  unsigned long long threads = (unsigned long long)block.x * block.y * block.z;
  if (!grid.x || !grid.y || !grid.z || !threads || threads > 1024 || block.x > 1024 ||
      block.y > 1024 || block.z > 64 || grid.x > 2147483647u || grid.y > 65535 ||
      grid.z > 65535) {
    fail(cudaErrorInvalidConfiguration);
    return 0;
  }
  cudaemu_here().grid_dim = grid;
  cudaemu_here().block_dim = block;
  if (!strcmp(plant(), "stride")) cudaemu_here().grid_dim.x = grid.x + 1;
  cudaemu_device_access(1);
  return 1;
}

int cudaemu_thread_runs(dim3 grid, dim3 block)
{
  /* a kernel of one thread is serial code, not an index computation */
  if (!strcmp(plant(), "first-thread") &&
      (unsigned long long)grid.x * grid.y * grid.z * block.x * block.y * block.z > 1)
    return blockIdx.x || blockIdx.y || blockIdx.z || threadIdx.x || threadIdx.y || threadIdx.z;
  return 1;
}

void cudaemu_launch_end(void) { cudaemu_device_access(0); }

cudaError_t cudaemu_get_last_error(void)
{
  cudaError_t e = last_error;
  last_error = cudaSuccess;
  return e;
}

const char *cudaemu_error_string(cudaError_t e)
{
  switch ((int)e) {
  case cudaSuccess: return "no error";
  case cudaErrorInvalidValue: return "invalid argument";
  case cudaErrorMemoryAllocation: return "out of memory";
  case cudaErrorInvalidConfiguration: return "invalid configuration argument";
  default: return "unspecified launch failure";
  }
}

cudaStream_t cudaemu_stream(void) { return (cudaStream_t)0; }

cudaError_t cudaemu_malloc_async(void **p, size_t size, cudaStream_t s)
{
  (void)s;
  *p = getenv("CUDAEMU_NOMEM") ? NULL : cudaemu_device_alloc(size);
  return *p ? cudaSuccess : cudaErrorMemoryAllocation;
}

cudaError_t cudaemu_free_async(void *p, cudaStream_t s)
{
  (void)s;
  if (!p) return cudaSuccess;
  if (!cudaemu_is_device(p)) return cudaErrorInvalidValue;
  cudaemu_device_free(p);
  return cudaSuccess;
}

cudaError_t cudaemu_memcpy_async(void *dst, const void *src, size_t n, cudaMemcpyKind kind,
                                 cudaStream_t s)
{
  (void)s;
  int dd = cudaemu_is_device(dst), sd = cudaemu_is_device(src);
  if ((kind == cudaMemcpyHostToDevice && (!dd || sd)) ||
      (kind == cudaMemcpyDeviceToHost && (dd || !sd)) ||
      (kind == cudaMemcpyDeviceToDevice && (!dd || !sd)) || kind == cudaMemcpyHostToHost)
    return cudaErrorInvalidValue;
  cudaemu_device_access(1);
  memmove(dst, src, n);
  cudaemu_device_access(0);
  return cudaSuccess;
}

cudaError_t cudaemu_memset_async(void *p, int value, size_t n, cudaStream_t s)
{
  (void)s;
  if (!cudaemu_is_device(p)) return cudaErrorInvalidValue;
  cudaemu_device_access(1);
  memset(p, value, n);
  cudaemu_device_access(0);
  return cudaSuccess;
}

cudaError_t cudaemu_stream_synchronize(cudaStream_t s)
{
  (void)s;
  return cudaSuccess;
}

/* Column-major C = alpha op(A) op(B) + beta C, as cuBLAS defines it. */
template <class T>
static cublasStatus_t gemm(cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                           T alpha, const T *a, int lda, const T *b, int ldb, T beta, T *c,
                           int ldc)
{
  if (m < 0 || n < 0 || k < 0 || lda < (ta == CUBLAS_OP_N ? m : k) || lda < 1 ||
      ldb < (tb == CUBLAS_OP_N ? k : n) || ldb < 1 || ldc < m || ldc < 1)
    return CUBLAS_STATUS_INVALID_VALUE;
  cudaemu_device_access(1);
  for (int j = 0; j < n; j++)
    for (int i = 0; i < m; i++) {
      T s = 0;
      for (int l = 0; l < k; l++) {
        T x = ta == CUBLAS_OP_N ? a[i + (long)l * lda] : a[l + (long)i * lda];
        T y = tb == CUBLAS_OP_N ? b[l + (long)j * ldb] : b[j + (long)l * ldb];
        s += x * y;
      }
      T *out = &c[i + (long)j * ldc];
      *out = beta == 0 ? alpha * s : alpha * s + beta * *out;
    }
  cudaemu_device_access(0);
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cudaemu_dgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                             int m, int n, int k, const double *alpha, const double *a, int lda,
                             const double *b, int ldb, const double *beta, double *c, int ldc)
{
  (void)h;
  return gemm<double>(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
}

cublasStatus_t cudaemu_sgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                             int m, int n, int k, const float *alpha, const float *a, int lda,
                             const float *b, int ldb, const float *beta, float *c, int ldc)
{
  (void)h;
  return gemm<float>(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
}

/* ------------------------------------------------------------ the task */

namespace {

/* A private copy of one buffer's interface (StarPU's is shared by every task that
 * reads the handle at the same time), to point at device memory. */
union iface_copy {
  struct starpu_vector_interface vector;
  struct starpu_variable_interface variable;
};

/* Copies buffer iface of handle h; where its bytes are, how many, and where the
 * copy keeps its pointer. 0 for an interface the emulation does not know. */
int copy_interface(starpu_data_handle_t h, void *iface, iface_copy *out, void **host,
                   size_t *bytes, uintptr_t **ptr)
{
  switch (starpu_data_get_interface_id(h)) {
  case STARPU_VECTOR_INTERFACE_ID:
    out->vector = *(struct starpu_vector_interface *)iface;
    *host = (void *)out->vector.ptr;
    *bytes = (size_t)out->vector.nx * out->vector.elemsize;
    *ptr = &out->vector.ptr;
    out->vector.offset = 0;
    return 1;
  case STARPU_VARIABLE_INTERFACE_ID:
    out->variable = *(struct starpu_variable_interface *)iface;
    *host = (void *)out->variable.ptr;
    *bytes = out->variable.elemsize;
    *ptr = &out->variable.ptr;
    out->variable.offset = 0;
    return 1;
  default: return 0;
  }
}

} // namespace

extern "C" void cudaemu_task(void *buffers[], void *cl_arg)
{
  struct starpu_task *task = starpu_task_get_current();
  unsigned n = STARPU_TASK_GET_NBUFFERS(task);
  std::vector<iface_copy> copy(n);
  std::vector<void *> dev(n, nullptr), host(n, nullptr), local(n, nullptr);
  std::vector<size_t> bytes(n, 0);
  for (unsigned k = 0; k < n; k++) {
    unsigned same = k; /* a handle given twice is one interface: one copy */
    for (unsigned j = 0; j < k && same == k; j++)
      if (buffers[j] == buffers[k]) same = j;
    if (same != k) {
      local[k] = local[same];
      continue;
    }
    uintptr_t *ptr;
    if (!copy_interface(STARPU_TASK_GET_HANDLE(task, k), buffers[k], &copy[k], &host[k],
                        &bytes[k], &ptr)) {
      fprintf(stderr, "cudaemu: buffer %u of task %s has an interface it does not know\n", k,
              task->cl->name);
      abort();
    }
    if (!(dev[k] = cudaemu_device_alloc(bytes[k]))) {
      fprintf(stderr, "cudaemu: out of device memory\n");
      abort();
    }
    cudaemu_device_access(1);
    if (STARPU_TASK_GET_MODE(task, k) & STARPU_R) memcpy(dev[k], host[k], bytes[k]);
    else memset(dev[k], 0xa5, bytes[k]); /* never read: a pattern, not zeros */
    cudaemu_device_access(0);
    *ptr = (uintptr_t)dev[k];
    local[k] = &copy[k];
  }
  starpu_cuda_func_t cuda = task->cl->cuda_funcs[0];
  cuda(local.data(), cl_arg);
  for (unsigned k = 0; k < n; k++) {
    if (!dev[k]) continue;
    if (STARPU_TASK_GET_MODE(task, k) & STARPU_W) {
      cudaemu_device_access(1);
      memcpy(host[k], dev[k], bytes[k]);
      cudaemu_device_access(0);
    }
    cudaemu_device_free(dev[k]);
  }
}
