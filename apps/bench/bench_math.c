/* SPDX-License-Identifier: MIT
 * The cost of --sa-math=portable (codelets/pmath.h) against the C library: each
 * function once per element of an array in a tight loop on one thread (no
 * libstarray), then sa_eval of exp(a), log(b), sin(a), tanh(a), b ** a and a 5-op
 * expression over the same n elements as the options given (--sa-math, --sa-jit,
 * --sa-ncpus) make it. Prints JSON lines; apps/bench/bench_math.sh runs the four
 * combinations and the ratios.
 * Usage: bench_math [N REPS] [--no-raw]. */
#include <starray.h>

#include "pmath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The functions compared call by call, with the arguments' range (b: the second). */
typedef struct raw_fn {
  const char *name;
  double (*libm1)(double), (*pm1)(double);
  double (*libm2)(double, double), (*pm2)(double, double);
  double lo, hi;
} raw_fn;

static const raw_fn raw_fns[] = {
    {"exp", exp, sai_pm_exp, NULL, NULL, -5, 5},
    {"log", log, sai_pm_log, NULL, NULL, 0.1, 4.1},
    {"sin", sin, sai_pm_sin, NULL, NULL, -5, 5},
    {"cos", cos, sai_pm_cos, NULL, NULL, -5, 5},
    {"tan", tan, sai_pm_tan, NULL, NULL, -1.5, 1.5},
    {"expm1", expm1, sai_pm_expm1, NULL, NULL, -5, 5},
    {"log2", log2, sai_pm_log2, NULL, NULL, 0.1, 4.1},
    {"log10", log10, sai_pm_log10, NULL, NULL, 0.1, 4.1},
    {"log1p", log1p, sai_pm_log1p, NULL, NULL, -0.9, 4},
    {"asin", asin, sai_pm_asin, NULL, NULL, -1, 1},
    {"acos", acos, sai_pm_acos, NULL, NULL, -1, 1},
    {"atan", atan, sai_pm_atan, NULL, NULL, -5, 5},
    {"sinh", sinh, sai_pm_sinh, NULL, NULL, -5, 5},
    {"cosh", cosh, sai_pm_cosh, NULL, NULL, -5, 5},
    {"tanh", tanh, sai_pm_tanh, NULL, NULL, -5, 5},
    {"atan2", NULL, NULL, atan2, sai_pm_atan2, -5, 5},
    {"hypot", NULL, NULL, hypot, sai_pm_hypot, -5, 5},
    {"pow", NULL, NULL, pow, sai_pm_pow, 0.1, 4.1},
};

/* Nanoseconds per call of f over x (and y), the best of reps passes. */
static double per_call(const raw_fn *f, int pm, const double *x, const double *y,
                       double *out, int n, int reps)
{
  double best = 1e30;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    if (f->libm1) {
      double (*g)(double) = pm ? f->pm1 : f->libm1;
      for (int i = 0; i < n; i++)
        out[i] = g(x[i]);
    } else {
      double (*g)(double, double) = pm ? f->pm2 : f->libm2;
      for (int i = 0; i < n; i++)
        out[i] = g(y[i], x[i]);
    }
    double t = (now() - t0) / n * 1e9;
    if (t < best) best = t;
  }
  return best;
}

static int raw(int n, int reps)
{
  double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y),
         *out = malloc((size_t)n * sizeof *out);
  if (!x || !y || !out) return 1;
  srand(1);
  for (size_t k = 0; k < sizeof raw_fns / sizeof *raw_fns; k++) {
    const raw_fn *f = &raw_fns[k];
    for (int i = 0; i < n; i++) {
      x[i] = f->lo + (f->hi - f->lo) * rand() / RAND_MAX;
      y[i] = 0.1 + 4.0 * rand() / RAND_MAX; /* pow's base, atan2's and hypot's y */
    }
    double lib = per_call(f, 0, x, y, out, n, reps),
           pm = per_call(f, 1, x, y, out, n, reps);
    printf("{\"bench\": \"math_call\", \"function\": \"%s\", \"glibc_ns\": %.2f, "
           "\"portable_ns\": %.2f, \"ratio\": %.2f}\n",
           f->name, lib, pm, pm / lib);
  }
  free(x);
  free(y);
  free(out);
  return 0;
}

/* Seconds per sa_eval(out, NULL, expr) over the arrays, the best of reps. */
static sa_status timed(sa_array *out, const char *expr, const sa_arg *args, int reps,
                       double *seconds)
{
  SA_CHECK(sa_eval(out, NULL, expr, args)); /* compiles its kernel with --sa-jit=sync */
  SA_CHECK(sa_sync());
  *seconds = 1e30;
  for (int k = 0; k < reps; k++) {
    double t0 = now();
    SA_CHECK(sa_eval(out, NULL, expr, args));
    SA_CHECK(sa_sync());
    double t = now() - t0;
    if (t < *seconds) *seconds = t;
  }
  return SA_OK;
}

static sa_status library(int64_t n, int reps, const char *mode)
{
  sa_array *u = NULL, *a = NULL, *b = NULL, *c = NULL;
  SA_CHECK(sa_random_uniform(&u, SA_F64, 1, &n, 7, 0, NULL));
  SA_CHECK(sa_eval_new(&a, "10.0 * u - 5.0", SA_ARGS(SA_ARR("u", u)))); /* [-5, 5) */
  SA_CHECK(sa_eval_new(&b, "4.0 * u + 0.1", SA_ARGS(SA_ARR("u", u))));  /* [0.1, 4.1) */
  SA_CHECK(sa_zeros(&c, SA_F64, 1, &n));
  const sa_arg *args = SA_ARGS(SA_ARR("a", a), SA_ARR("b", b));
  static const char *const exprs[] = {"exp(a)", "log(b)",
                                      "sin(a)", "tanh(a)",
                                      "b ** a", "(a + b) * (a - b) / (a * b + 1.0)"};
  for (size_t k = 0; k < sizeof exprs / sizeof *exprs; k++) {
    double s = 0.0;
    SA_CHECK(timed(c, exprs[k], args, reps, &s));
    printf("{\"bench\": \"math_eval\", \"mode\": \"%s\", \"expr\": \"%s\", \"elements\": "
           "%lld, "
           "\"seconds\": %.6f, \"ns_per_element\": %.2f}\n",
           mode, exprs[k], (long long)n, s, 1e9 * s / (double)n);
  }
  SA_CHECK(sa_array_release(&u));
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&c));
  return SA_OK;
}

int main(int argc, char **argv)
{
  char mode[256] = "";
  for (int k = 1; k < argc; k++) /* what the run measures, for the output */
    if (!strncmp(argv[k], "--sa-", 5) && strlen(mode) + strlen(argv[k]) + 2 < sizeof mode)
      strcat(strcat(mode, *mode ? " " : ""), argv[k]);
  if (sa_init(&argc, &argv) != SA_OK) return 1;
  int no_raw = argc > 1 && !strcmp(argv[argc - 1], "--no-raw");
  if (no_raw) argc--;
  int64_t n = argc > 1 ? atoll(argv[1]) : 4000000;
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  int bad = !no_raw && raw(n > 1000000 ? 1000000 : (int)n, reps);
  bad |= library(n, reps, mode) != SA_OK;
  bad |= sa_finalize() != SA_OK;
  return bad;
}
