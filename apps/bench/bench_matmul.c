/* SPDX-License-Identifier: MIT
 * sa_matmul GFLOP/s against the same CBLAS called directly on the whole matrices
 * (with as many BLAS threads as libstarray has CPU workers). Prints JSON lines.
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

static sa_status one(int64_t n, int workers)
{
  double *x = malloc((size_t)(n * n) * sizeof *x), *y = malloc((size_t)(n * n) * sizeof *y);
  double *z = malloc((size_t)(n * n) * sizeof *z);
  if (!x || !y || !z) return SA_ERR_NOMEM;
  for (int64_t i = 0; i < n * n; i++) x[i] = (double)(i % 7) - 3, y[i] = (double)(i % 5) - 2;
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
  openblas_set_num_threads(workers);
  t0 = now();
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, x,
              (int)n, y, (int)n, 0.0, z, (int)n);
  double tb = now() - t0;
  openblas_set_num_threads(1);
  printf("{\"bench\": \"matmul\", \"n\": %lld, \"starray_gflops\": %.2f, \"blas_gflops\": %.2f, "
         "\"blas_threads\": %d}\n", (long long)n, flops / ts * 1e-9, flops / tb * 1e-9, workers);
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&c));
  free(x), free(y), free(z);
  return SA_OK;
}

int main(int argc, char **argv)
{
  if (sa_init(&argc, &argv) != SA_OK) return 1;
  sa_config cfg;
  int bad = sa_config_query(&cfg) != SA_OK;
  for (int k = 1; !bad && k < argc; k++) bad = one(atoll(argv[k]), cfg.ncpu_workers) != SA_OK;
  if (!bad && argc < 2) bad = one(2048, cfg.ncpu_workers) != SA_OK || one(4096, cfg.ncpu_workers) != SA_OK;
  bad |= sa_finalize() != SA_OK;
  return bad;
}
