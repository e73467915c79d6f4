/* SPDX-License-Identifier: MIT
 * Elementwise benchmarks: the cost of one sa_eval on a one-tile array (submission
 * plus execution, averaged over many calls), a 5-operator expression on a large
 * float64 array, and on the same arrays a copy and Jacobi's 4-point update (the
 * same bytes moved, more instructions). Prints JSON lines.
 * Usage: bench_eval [N_SMALL CALLS N_BIG REPS]. */
#include <starray.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t id)
{
  struct timespec t;
  clock_gettime(id, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double now(void)
{
  return clock_s(CLOCK_MONOTONIC);
}

/* Seconds per sa_eval(out, index, expr), averaged over reps after one warm-up. */
static sa_status timed(sa_array *out, const char *index, const char *expr,
                       const sa_arg *args, int reps, double *seconds)
{
  SA_CHECK(sa_eval(out, index, expr, args));
  SA_CHECK(sa_sync());
  double t0 = now();
  for (int k = 0; k < reps; k++)
    SA_CHECK(sa_eval(out, index, expr, args));
  SA_CHECK(sa_sync());
  *seconds = (now() - t0) / reps;
  return SA_OK;
}

static sa_status run(int64_t n_small, int calls, int64_t n_big, int reps)
{
  sa_array *a = NULL, *b = NULL, *c = NULL;
  SA_CHECK(sa_full(&a, SA_F64, 1, &n_small, 1.5, NULL));
  SA_CHECK(sa_full(&b, SA_F64, 1, &n_small, 2.5, NULL));
  const sa_arg *args = SA_ARGS(SA_ARR("a", a), SA_ARR("b", b));
  SA_CHECK(sa_sync());
  double t0 = now(), cpu0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  for (int k = 0; k < calls; k++)
    SA_CHECK(sa_eval(a, NULL, "a * 0.5 + b", args));
  double submit_cpu = (clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0) / calls;
  SA_CHECK(sa_sync());
  double per = (now() - t0) / calls;
  printf("{\"bench\": \"eval_small\", \"elements\": %lld, \"calls\": %d, \"us_per_call\": "
         "%.3f, \"submitting_thread_cpu_us_per_call\": %.3f}\n",
         (long long)n_small, calls, 1e6 * per, 1e6 * submit_cpu);
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  const int64_t shape[2] = {n_big, n_big};
  SA_CHECK(sa_full(&a, SA_F64, 2, shape, 1.5, NULL));
  SA_CHECK(sa_full(&b, SA_F64, 2, shape, 2.5, NULL));
  SA_CHECK(sa_zeros(&c, SA_F64, 2, shape));
  const sa_arg *big = SA_ARGS(SA_ARR("a", a), SA_ARR("b", b), SA_ARR("c", c));
  SA_CHECK(timed(c, NULL, "(a + b) * (a - b) / (a * b + 1.0)", big, reps, &per));
  printf("{\"bench\": \"eval_5ops\", \"shape\": [%lld, %lld], \"seconds_per_eval\": %.6f, "
         "\"elements_per_s\": %.4g}\n",
         (long long)n_big, (long long)n_big, per, (double)(n_big * n_big) / per);
  double copy, update;
  SA_CHECK(timed(c, NULL, "a", big, reps, &copy));
  SA_CHECK(timed(c, "1:-1, 1:-1",
                 "0.25 * (a[1:-1, 2:] + a[1:-1, :-2] + a[2:, 1:-1] + a[:-2, 1:-1])", big,
                 reps, &update));
  printf(
      "{\"bench\": \"copy_vs_stencil\", \"shape\": [%lld, %lld], \"copy_seconds\": %.6f, "
      "\"stencil_seconds\": %.6f, \"ratio\": %.2f}\n",
      (long long)n_big, (long long)n_big, copy, update, update / copy);
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&c));
  return SA_OK;
}

int main(int argc, char **argv)
{
  if (sa_init(&argc, &argv) != SA_OK) return 1;
  int64_t n_small = argc > 1 ? atoll(argv[1]) : 1000,
          n_big = argc > 3 ? atoll(argv[3]) : 4096;
  int calls = argc > 2 ? atoi(argv[2]) : 20000, reps = argc > 4 ? atoi(argv[4]) : 10;
  int bad = run(n_small, calls, n_big, reps) != SA_OK;
  bad |= sa_finalize() != SA_OK;
  return bad;
}
