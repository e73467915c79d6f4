/* SPDX-License-Identifier: MIT
 * sa_matmul GFLOP/s against the same CBLAS called directly on the whole matrices
 * with 2 BLAS threads (the CPU workers libstarray gets here), measured before StarPU
 * starts (its idle workers spin and would slow BLAS's threads). Prints JSON lines.
 * Usage: bench_matmul [N ...] (default 2048 4096). */
#include <starray.h>

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int num_threads);

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void fill(double *x, double *y, int64_t n)
{
  for (int64_t i = 0; i < n * n; i++) x[i] = (double)(i % 7) - 3, y[i] = (double)(i % 5) - 2;
}

/* GFLOP/s of one direct dgemm with `threads` BLAS threads. */
static double direct(int64_t n, int threads)
{
  double *x = malloc((size_t)(n * n) * sizeof *x), *y = malloc((size_t)(n * n) * sizeof *y);
  double *z = malloc((size_t)(n * n) * sizeof *z);
  if (!x || !y || !z) return 0;
  fill(x, y, n);
  openblas_set_num_threads(threads);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, x,
              (int)n, y, (int)n, 0.0, z, (int)n); /* warm-up */
  double t0 = now();
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, x,
              (int)n, y, (int)n, 0.0, z, (int)n);
  double t = now() - t0;
  free(x), free(y), free(z);
  return 2.0 * (double)n * (double)n * (double)n / t * 1e-9;
}

static sa_status one(int64_t n, double blas_gflops)
{
  double *x = malloc((size_t)(n * n) * sizeof *x), *y = malloc((size_t)(n * n) * sizeof *y);
  double *z = malloc((size_t)(n * n) * sizeof *z);
  if (!x || !y || !z) return SA_ERR_NOMEM;
  fill(x, y, n);
  sa_array *a = NULL, *b = NULL, *c = NULL;
  const int64_t shape[2] = {n, n};
  SA_CHECK(sa_from_buffer(&a, SA_F64, 2, shape, x, NULL));
  SA_CHECK(sa_from_buffer(&b, SA_F64, 2, shape, y, NULL));
  SA_CHECK(sa_matmul(&c, a, b)); /* warm-up (and calibration) */
  SA_CHECK(sa_sync());
  SA_CHECK(sa_array_release(&c));
  double t0 = now();
  SA_CHECK(sa_matmul(&c, a, b));
  SA_CHECK(sa_sync());
  double ts = now() - t0, flops = 2.0 * (double)n * (double)n * (double)n;
  printf("{\"bench\": \"matmul\", \"n\": %lld, \"starray_gflops\": %.2f, "
         "\"blas_2_threads_gflops\": %.2f}\n", (long long)n, flops / ts * 1e-9, blas_gflops);
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&c));
  free(x), free(y), free(z);
  return SA_OK;
}

int main(int argc, char **argv)
{
  int64_t sizes[16] = {2048, 4096};
  int n = 2;
  if (argc > 1)
    for (n = 0; n < 16 && n + 1 < argc && argv[n + 1][0] != '-'; n++) sizes[n] = atoll(argv[n + 1]);
  double blas[16];
  for (int k = 0; k < n; k++) blas[k] = direct(sizes[k], 2);
  openblas_set_num_threads(1);
  if (sa_init(&argc, &argv) != SA_OK) return 1;
  int bad = 0;
  for (int k = 0; !bad && k < n; k++) bad = one(sizes[k], blas[k]) != SA_OK;
  bad |= sa_finalize() != SA_OK;
  return bad;
}
