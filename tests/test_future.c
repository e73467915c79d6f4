/* SPDX-License-Identifier: MIT
 * Futures do not block: N iterations (an update and a reduction each) are all
 * submitted before the first value is read, and right after submission the last
 * result is still pending; then every value is checked against its closed form. */
#include "tap.h"

#include <time.h>

#define N 20
#define SIZE 4000000

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
  sat_plan(9);
  sa_array *a = NULL;
  sa_future *f[N] = {NULL};
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
  sa_future *stale = NULL;
  sat_status_is(sa_future_get(stale, &(double){0}), SA_ERR_INVALID_HANDLE, "NULL future",
                SAT_KEYS("future is NULL"));
  sat_ok(sa_array_release(&a) == SA_OK && sa_finalize() == SA_OK, "finalize");
  return sat_done();
}
