/* SPDX-License-Identifier: MIT
 * One program for one process or many (mpirun -np 2 ./distributed): a field on an
 * n x n grid, its discrete Laplacian and global sums, each tile computed by its owner. */
#include <starray.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0: run, -1: help printed, 2: bad option (libstarray's own are gone already). */
static int parse(int argc, char **argv, int64_t *n)
{
  *n = 1000;
  for (int k = 1; k < argc; k++) {
    if (!strcmp(argv[k], "--help")) {
      printf("Usage: distributed [--n N] [--sa-* ...]\n"
             "  --n  grid cells per side (default 1000)\n"
             "Run it as it is, or with mpirun -np 2 (or more) for the same results.\n");
      return -1;
    }
    char *end = NULL;
    errno = 0;
    long long x = k + 1 < argc ? strtoll(argv[k + 1], &end, 10) : 0;
    if (strcmp(argv[k], "--n") || k + 1 == argc || *end || errno || x < 3) {
      fprintf(stderr, "distributed: expected --n N with N >= 3 (see --help)\n");
      return 2;
    }
    *n = x;
    k++;
  }
  return 0;
}

static const double PI = 3.14159265358979323846;

/* f(x, y) = sin(pi x) sin(pi y) at the cell centres x = (j + 0.5) h, y = (i + 0.5) h. */
static const char *const FIELD =
    "sin(pi * (i[:, None] + 0.5) * h) * sin(pi * (i[None, :] + 0.5) * h)";
/* The 5-point Laplacian of f, which tends to -2 pi^2 f. */
static const char *const LAPLACIAN =
    "(f[2:, 1:-1] + f[:-2, 1:-1] + f[1:-1, 2:] + f[1:-1, :-2] - 4 * f[1:-1, 1:-1]) / h**2";

static sa_status run(int64_t n)
{
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  /* Each rank has its own workers. Output from several ranks comes in any order. */
  printf("rank %d of %d: %d CPU worker%s%s\n", c.mpi_rank, c.mpi_size, c.ncpu_workers,
         c.ncpu_workers == 1 ? "" : "s", c.mpi ? ", arrays spread over the ranks" : "");
  fflush(stdout);

  const double h = 1.0 / (double)n;
  const int64_t shape[2] = {n, n};
  sa_array *i = NULL, *f = NULL, *lap = NULL;
  SA_CHECK(sa_arange(&i, SA_F64, 0, (double)n, 1));
  SA_CHECK(sa_zeros(&f, SA_F64, 2, shape));
  SA_CHECK(sa_zeros(&lap, SA_F64, 2, shape));
  const sa_arg *args =
      SA_ARGS(SA_ARR("i", i), SA_ARR("f", f), SA_ARR("lap", lap), SA_NUM("h", h));
  /* Owner computes: each tile of f is written by the rank that holds it; the
   * Laplacian's tasks read a row of each neighbouring tile, which is all that crosses
   * between ranks. */
  SA_CHECK(sa_eval(f, NULL, FIELD, args));
  SA_CHECK(sa_eval(lap, "1:-1, 1:-1", LAPLACIAN, args));

  /* Global reductions: every rank's tiles contribute, every rank gets the value. */
  sa_future *sum = NULL, *norm = NULL, *num = NULL, *den = NULL, *err = NULL;
  SA_CHECK(sa_sum(&sum, f));
  SA_CHECK(sa_norm(&norm, f));
  SA_CHECK(sa_reduce(&num, "sum", "lap[1:-1, 1:-1] * f[1:-1, 1:-1]", args));
  SA_CHECK(sa_reduce(&den, "sum", "f[1:-1, 1:-1]**2", args));
  SA_CHECK(
      sa_reduce(&err, "max", "abs(lap[1:-1, 1:-1] + 2 * pi**2 * f[1:-1, 1:-1])", args));
  double total, l2, a, b, worst;
  SA_CHECK(sa_future_get(sum, &total));
  SA_CHECK(sa_future_get(norm, &l2));
  SA_CHECK(sa_future_get(num, &a));
  SA_CHECK(sa_future_get(den, &b));
  SA_CHECK(sa_future_get(err, &worst));
  double centre; /* a read is collective too: every rank asks for it */
  SA_CHECK(sa_item(&centre, f, (int64_t[]){n / 2, n / 2}));
  int nd;
  int64_t tile[SA_MAX_NDIM], grid[SA_MAX_NDIM];
  SA_CHECK(sa_array_tiles(f, &nd, tile, grid));

  if (c.mpi_rank == 0) { /* the values are the same on every rank: one prints them */
    printf("grid %lld x %lld in %lld x %lld tiles of %lld x %lld\n", (long long)n,
           (long long)n, (long long)grid[0], (long long)grid[1], (long long)tile[0],
           (long long)tile[1]);
    printf("integral of f      %.15g (exact 4/pi^2 = %.15g)\n", total * h * h,
           4 / (PI * PI));
    printf("2-norm of f        %.15g\n", l2);
    printf("f at the centre    %.15g\n", centre);
    printf("Rayleigh quotient  %.15g (exact -2 pi^2 = %.15g)\n", a / b, -2 * PI * PI);
    printf("largest error of the Laplacian %.6g\n", worst);
  }
  sa_future **futures[] = {&sum, &norm, &num, &den, &err};
  for (size_t k = 0; k < sizeof futures / sizeof *futures; k++)
    SA_CHECK(sa_future_release(futures[k]));
  SA_CHECK(sa_array_release(&i));
  SA_CHECK(sa_array_release(&f));
  SA_CHECK(sa_array_release(&lap));
  return SA_OK;
}

int main(int argc, char **argv)
{
  sa_status st = sa_init(&argc, &argv);
  if (st != SA_OK) return sa_error_check(st, __FILE__, __LINE__, __func__), 1;
  int64_t n;
  int code = parse(argc, argv, &n);
  if (code == 0 && run(n) != SA_OK) code = 1;
  /* Every rank reaches sa_finalize, also after an error: a rank that left without it
   * would leave the others waiting. */
  if (sa_error_check(sa_finalize(), __FILE__, __LINE__, __func__) != SA_OK) code = 1;
  return code < 0 ? 0 : code;
}
