/* SPDX-License-Identifier: MIT
 * Futures do not block: N iterations (an update and a reduction each) are all
 * submitted before the first value is read, and right after submission the last
 * result is still pending; then every value is checked against its closed form. */
#include "tap.h"

#include <math.h>
#include <time.h>

#define N 20
#define SIZE 4000000

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A float32 reduction used inside an expression has float32's value, the one
 * sa_future_get gives: x = [2^24, 1] sums to 2^24 in float32 (2^24 + 1 is not a
 * float32), so s - 2^24 is 0, as in NumPy; the same for mean, norm and dot. */
static void float32_futures(void)
{
  float xs[2] = {16777216.0f, 1.0f};
  sa_array *x = NULL, *r = NULL;
  sa_future *s = NULL, *m = NULL, *n = NULL, *d = NULL;
  int ok = sa_from_buffer(&x, SA_F32, 1, (const int64_t[]){2}, xs, NULL) == SA_OK &&
           sa_sum(&s, x) == SA_OK && sa_mean(&m, x) == SA_OK && sa_norm(&n, x) == SA_OK &&
           sa_dot(&d, x, x) == SA_OK;
  double got = -1;
  ok = ok && sa_future_get(s, &got) == SA_OK;
  sat_ok(ok && got == 16777216.0, "float32 sum of [2^24, 1] is 2^24 (got %.17g)", got);
  float out[4] = {-1, -1, -1, -1};
  sa_array *i = NULL;
  ok = ok && sa_arange(&i, SA_I32, 0, 4, 1) == SA_OK &&
       sa_eval_new(&r, "where(i == 0, s - 16777216, where(i == 1, m - 8388608, "
                       "where(i == 2, n - 16777216, d - 281474976710656)))",
                   SA_ARGS(SA_FUT("s", s), SA_FUT("m", m), SA_FUT("n", n), SA_FUT("d", d),
                           SA_ARR("i", i))) == SA_OK &&
       sa_to_buffer(out, sizeof out, r) == SA_OK;
  sat_ok(ok && out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0,
         "s - 2^24, m - 2^23, n - 2^24, d - 2^48 are 0 in expressions (got %g %g %g %g)",
         out[0], out[1], out[2], out[3]);
  ok = sa_future_release(&s) == SA_OK && sa_future_release(&m) == SA_OK &&
       sa_future_release(&n) == SA_OK && sa_future_release(&d) == SA_OK &&
       sa_array_release(&x) == SA_OK && sa_array_release(&r) == SA_OK &&
       sa_array_release(&i) == SA_OK;
  sat_ok(ok, "release the float32 futures");
}

int main(void)
{
  sat_plan(25);
  sa_array *a = NULL;
  sa_future *f[N] = {NULL};
  /* what is timed here is submission: kernels compile in the background (the
   * default), not before the first run as the rest of the suite asks */
  setenv("STARRAY_JIT", "on", 1);
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=2") != SA_OK) return sat_diag(sa_error_message()), 1;
  sat_ok(sa_zeros(&a, SA_F64, 1, (const int64_t[]){SIZE}) == SA_OK, "zeros(4e6)");
  double t0 = now();
  int ok = 1;
  for (int k = 0; k < N; k++) {
    ok &= sa_eval(a, NULL, "a + 1", SA_ARGS(SA_ARR("a", a))) == SA_OK;
    ok &= sa_reduce(&f[k], "sum", "a", SA_ARGS(SA_ARR("a", a))) == SA_OK;
  }
  double t_submit = now() - t0;
  int ready_last = 1;
  ok &= sa_future_test(f[N - 1], &ready_last) == SA_OK;
  sat_ok(ok, "%d iterations submitted in %.1f ms", N, 1e3 * t_submit);
  sat_ok(!ready_last, "the last iteration's sum is still pending after submission");
  int good = 1;
  for (int k = 0; k < N; k++) {
    double v = -1;
    good &= sa_future_get(f[k], &v) == SA_OK && v == (double)(k + 1) * SIZE;
  }
  double t_all = now() - t0;
  sat_ok(good, "every sum is (k+1) * 4e6 exactly");
  sat_ok(t_submit < t_all / 2, "submission (%.1f ms) took less than half of the run (%.1f ms)",
         1e3 * t_submit, 1e3 * t_all);
  int ready = 0;
  sat_ok(sa_future_test(f[0], &ready) == SA_OK && ready, "a value once read stays ready");
  for (int k = 0; k < N; k++) good &= sa_future_release(&f[k]) == SA_OK && f[k] == NULL;
  sat_ok(good, "futures released");
  /* a future bound into expressions: no host wait, tasks read it when it exists */
  sa_future *total = NULL, *m = NULL;
  sa_array *x = NULL, *y = NULL;
  good = sa_arange(&x, SA_F64, 1, 5, 1) == SA_OK && sa_sum(&total, x) == SA_OK &&
         sa_eval_new(&y, "x / total + (total > 9)",
                     SA_ARGS(SA_ARR("x", x), SA_FUT("total", total))) == SA_OK;
  double yv[4] = {0};
  good = good && sa_to_buffer(yv, sizeof yv, y) == SA_OK;
  sat_ok(good && yv[0] == 1.0 / 10 + 1 && yv[3] == 4.0 / 10 + 1,
         "x / total + (total > 9) with total bound as a future (got %g .. %g)", yv[0], yv[3]);
  sat_ok(sa_sum(&m, a) == SA_OK &&
             sa_eval(a, NULL, "a - m / 4000000", SA_ARGS(SA_ARR("a", a), SA_FUT("m", m))) ==
                 SA_OK &&
             sa_future_test(m, &ready) == SA_OK && !ready,
         "an update using a pending sum is submitted without waiting for it");
  double after = -1;
  sa_future *check = NULL;
  good = sa_max(&check, a) == SA_OK && sa_future_get(check, &after) == SA_OK;
  sat_ok(good && after == 0.0, "a - mean(a) leaves 0 everywhere (max %g)", after);
  /* mean, norm and argmax futures bind with their final values (x = 1, 2, 3, 4) */
  sa_future *avg = NULL, *nrm = NULL, *at = NULL;
  sa_array *z = NULL;
  good = sa_mean(&avg, x) == SA_OK && sa_norm(&nrm, x) == SA_OK && sa_argmax(&at, x) == SA_OK &&
         sa_eval(y, NULL, "(x - avg) / nrm", SA_ARGS(SA_ARR("x", x), SA_FUT("avg", avg),
                                                     SA_FUT("nrm", nrm))) == SA_OK &&
         sa_eval_new(&z, "where(x == 4, 1, 0) + at * 10", SA_ARGS(SA_ARR("x", x),
                                                                 SA_FUT("at", at))) == SA_OK &&
         sa_to_buffer(yv, sizeof yv, y) == SA_OK;
  sa_dtype zt = SA_F64;
  int64_t zi[4] = {0};
  good = good && sa_array_dtype(z, &zt) == SA_OK && zt == SA_I64 &&
         sa_to_buffer(zi, sizeof zi, z) == SA_OK;
  if (!good) sat_diag(sa_error_message());
  sat_ok(good && yv[0] == (1 - 2.5) / sqrt(30.0) && yv[3] == (4 - 2.5) / sqrt(30.0),
         "(x - mean) / norm with both bound as futures (got %g .. %g)", yv[0], yv[3]);
  sat_ok(good && zi[0] == 30 && zi[3] == 31,
         "argmax bound as an int64 future: where(x == 4, 1, 0) + 10 at (got %lld .. %lld)",
         (long long)zi[0], (long long)zi[3]);
  /* sa_eval_reduce's refusals (x is float64 1..4, y float64 of 4) */
  const sa_arg *xy = SA_ARGS(SA_ARR("x", x), SA_ARR("y", y));
  sa_future *fr[5] = {NULL};
  const char *const sum1[] = {"sum"}, *const arg1[] = {"argmax"}, *const x1[] = {"x"};
  sat_status_is(sa_eval_reduce(y, NULL, "x", xy, 0, sum1, x1, fr), SA_ERR_ARG,
                "sa_eval_reduce with n = 0", SAT_KEYS("n is 0", "1 to 4 reductions"));
  sat_status_is(sa_eval_reduce(y, NULL, "x", xy, 1, NULL, x1, fr), SA_ERR_ARG,
                "sa_eval_reduce with ops NULL", SAT_KEYS("must not be NULL"));
  sat_status_is(sa_eval_reduce(y, NULL, "x", xy, 1, arg1, x1, fr), SA_ERR_NOT_SUPPORTED,
                "sa_eval_reduce of argmax", SAT_KEYS("argmax cannot be computed with a statement"));
  sat_status_is(sa_eval_reduce(y, NULL, "x", xy, 1, sum1, (const char *const[]){"x[1:]"}, fr),
                SA_ERR_SHAPE, "sa_eval_reduce of another shape",
                SAT_KEYS("reduction 1 does not have the shape"));
  sat_status_is(sa_eval_reduce(y, NULL, "x", xy, 1, sum1, (const char *const[]){"_[::1]"}, fr),
                SA_ERR_NOT_SUPPORTED, "sa_eval_reduce of a subscripted _",
                SAT_KEYS("'_' cannot be subscripted"));
  sat_status_is(sa_eval_reduce(y, NULL, "x > 2", xy, 1, sum1, (const char *const[]){"_"}, fr),
                SA_ERR_NOT_SUPPORTED, "sa_eval_reduce of _ stored with a conversion",
                SAT_KEYS("is stored as float64", "no conversion"));
  sat_ok(fr[0] == NULL, "refused calls leave no future");
  sat_ok(sa_future_release(&total) == SA_OK && sa_future_release(&m) == SA_OK &&
             sa_future_release(&check) == SA_OK && sa_future_release(&avg) == SA_OK &&
             sa_future_release(&nrm) == SA_OK && sa_future_release(&at) == SA_OK &&
             sa_array_release(&x) == SA_OK && sa_array_release(&y) == SA_OK &&
             sa_array_release(&z) == SA_OK,
         "release");
  float32_futures();
  sa_future *stale = NULL;
  sat_status_is(sa_future_get(stale, &(double){0}), SA_ERR_INVALID_HANDLE, "NULL future",
                SAT_KEYS("future is NULL"));
  sat_ok(sa_array_release(&a) == SA_OK && sa_finalize() == SA_OK, "finalize");
  return sat_done();
}
