/* SPDX-License-Identifier: MIT
 * The gemm family on CUDA: cuBLAS on StarPU's per-worker handle (bound to the
 * worker's stream). Row-major C = A B is column-major C^T = B^T A^T. */
#include "gemm.h"
#include "sai_cuda.h"

#ifdef SAI_CUDA_EMU
#define sai_dgemm cublasDgemm
#define sai_sgemm cublasSgemm
static const char blas_missing[] = "";
extern "C" int sai_gemm_cuda_open(void) { return 1; }
#else
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* cuBLAS is opened, not linked: loading it costs a process ~150 MiB (cuBLASLt's data)
 * even when no CUDA worker runs (doc/performance.md, "cuBLAS opened on demand"). */
static __typeof__(cublasDgemm_v2) *sai_dgemm;
static __typeof__(cublasSgemm_v2) *sai_sgemm;
static char blas_missing[PATH_MAX + 96] = "; cuBLAS was not opened (no CUDA worker at sa_init)";

#define SAI_CUBLAS_SONAME_(v) "libcublas.so." #v
#define SAI_CUBLAS_SONAME(v) SAI_CUBLAS_SONAME_(v)

/* libcublas next to the libcudart in use, else wherever the loader finds it. */
extern "C" int sai_gemm_cuda_open(void)
{
  if (sai_dgemm && sai_sgemm) return 1;
  const char *name = SAI_CUBLAS_SONAME(CUBLAS_VER_MAJOR);
  void *lib = NULL;
  Dl_info info;
  char dir[PATH_MAX], path[PATH_MAX + 32];
  if (dladdr((void *)&cudaGetErrorString, &info) && info.dli_fname &&
      strlen(info.dli_fname) < sizeof dir) {
    strcpy(dir, info.dli_fname);
    snprintf(path, sizeof path, "%s/%s", dirname(dir), name);
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  }
  if (!lib) lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(blas_missing, sizeof blas_missing, "; cannot load %s: %s", name, e ? e : "?");
    return 0;
  }
  sai_dgemm = (__typeof__(sai_dgemm))dlsym(lib, "cublasDgemm_v2");
  sai_sgemm = (__typeof__(sai_sgemm))dlsym(lib, "cublasSgemm_v2");
  if (sai_dgemm && sai_sgemm) return 1;
  snprintf(blas_missing, sizeof blas_missing, "; %s has no cublasDgemm_v2/cublasSgemm_v2", name);
  sai_dgemm = NULL;
  sai_sgemm = NULL;
  return 0;
}
#endif

extern "C" void sai_gemm_cuda(void *buffers[], void *cl_arg)
{
  const sai_gemm_args *g = (const sai_gemm_args *)cl_arg;
  void *a = (void *)STARPU_VECTOR_GET_PTR(buffers[0]);
  void *b = (void *)STARPU_VECTOR_GET_PTR(buffers[1]);
  void *c = (void *)STARPU_VECTOR_GET_PTR(buffers[2]);
  int m = (int)g->m, n = (int)g->n, k = (int)g->k;
  cublasHandle_t h = starpu_cublas_get_local_handle();
  if (!sai_dgemm || !sai_sgemm) {
    sai_async_fail(SA_ERR_CUDA, "matmul", "cuBLAS is unavailable%s%s", blas_missing, g->where);
    return;
  }
  cublasStatus_t s;
  if (g->dtype == SAI_F64) {
    const double one = 1.0, beta = g->beta;
    s = sai_dgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, (const double *)b, n,
                    (const double *)a, k, &beta, (double *)c, n);
  } else {
    const float one = 1.0f, beta = (float)g->beta;
    s = sai_sgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, (const float *)b, n,
                    (const float *)a, k, &beta, (float *)c, n);
  }
  if (s != CUBLAS_STATUS_SUCCESS)
    sai_async_fail(SA_ERR_CUDA, "matmul", "cuBLAS gemm failed with status %d%s", (int)s,
                   g->where);
}
