/* SPDX-License-Identifier: MIT
 * Handles (lib/handle.c): a released array or future handle is refused ever after,
 * also once its slot serves a new object; other pointers are recognised as foreign
 * without being read. */
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define SLOT(h) ((uintptr_t)(h) & 0xffffffu)

static double first_value(sa_array *a)
{
  double v[4] = {-1, -1, -1, -1};
  if (sa_to_buffer(v, sizeof v, a) != SA_OK) return -1;
  return v[0];
}

/* The case a reviewer found: a copy of a released handle reached the next array. */
static void copy_of_released(void)
{
  sa_array *a = NULL, *b, *c = NULL;
  int64_t n = 4;
  sat_ok(sa_full(&a, SA_F64, 1, &n, 1.0, NULL) == SA_OK, "a = full(4, 1.0)");
  b = a;
  sat_ok(sa_array_release(&a) == SA_OK && a == NULL, "release a");
  sat_ok(sa_full(&c, SA_F64, 1, &n, 7.0, NULL) == SA_OK, "c = full(4, 7.0)");
  sat_status_is(sa_array_release(&b), SA_ERR_INVALID_HANDLE, "release of b, a's copy",
                SAT_KEYS("sa_array_release", "already released", "argument 1"));
  sat_status_is(sa_eval(b, NULL, "0 * x", SA_ARGS(SA_NUM("x", 1.0))), SA_ERR_INVALID_HANDLE,
                "sa_eval into b", SAT_KEYS("already released"));
  sat_status_is(sa_eval(c, NULL, "b", SA_ARGS(SA_ARR("b", b))), SA_ERR_INVALID_HANDLE,
                "b bound in an expression", SAT_KEYS("the array bound to 'b'",
                                                     "already released"));
  sat_ok(first_value(c) == 7.0, "c is untouched: 7.0");
  sat_ok(sa_array_release(&c) == SA_OK, "release c");
}

/* Thousands of arrays made and released: slots are reused, old handles never. */
static void reused_slots(void)
{
  enum { N = 3000 };
  static sa_array *old[N], *now[N];
  int64_t n = 4;
  int made = 1;
  for (int k = 0; k < N && made; k++) made = sa_full(&old[k], SA_F64, 1, &n, 1.0, NULL) == SA_OK;
  sat_ok(made, "%d arrays made", N);
  sa_array *stale[N];
  for (int k = 0; k < N; k++) {
    stale[k] = old[k];
    made &= sa_array_release(&old[k]) == SA_OK;
  }
  sat_ok(made, "and released");
  for (int k = 0; k < N && made; k++)
    made = sa_full(&now[k], SA_F64, 1, &n, (double)k, NULL) == SA_OK;
  sat_ok(made, "%d new arrays made", N);
  int reused = 0, refused = 1, intact = 1;
  for (int k = 0; k < N; k++) {
    for (int j = 0; j < N && !reused; j++) reused = SLOT(now[j]) == SLOT(stale[k]);
    int64_t size;
    sa_status st = sa_array_size(stale[k], &size);
    refused &= st == SA_ERR_INVALID_HANDLE && strstr(sa_error_message(), "already released");
  }
  for (int k = 0; k < N; k += 97) intact &= first_value(now[k]) == (double)k;
  sat_ok(reused, "some new array took a released one's slot");
  sat_ok(refused, "every old handle is refused: already released");
  sat_ok(intact, "the new arrays hold their own values");
  for (int k = 0; k < N; k++) made &= sa_array_release(&now[k]) == SA_OK;
  sat_ok(made, "release them");
}

static void futures(void)
{
  enum { N = 2000 };
  static sa_future *stale[N];
  sa_array *a = NULL;
  int64_t n = 4;
  int ok = sa_full(&a, SA_F64, 1, &n, 2.0, NULL) == SA_OK;
  for (int k = 0; k < N && ok; k++) {
    sa_future *f = NULL;
    ok = sa_sum(&f, a) == SA_OK;
    stale[k] = f;
    ok &= sa_future_release(&f) == SA_OK;
  }
  /* a future's struct goes back once its value has arrived too */
  sat_ok(ok && sa_sync() == SA_OK, "%d futures made and released", N);
  sa_future *f = NULL, *copy;
  double v = 0;
  ok = sa_sum(&f, a) == SA_OK && sa_future_get(f, &v) == SA_OK && v == 8.0;
  sat_ok(ok, "a new future: sum 8");
  int reused = 0;
  for (int k = 0; k < N && !reused; k++) reused = SLOT(stale[k]) == SLOT(f);
  sat_ok(reused, "it took a released future's slot");
  int refused = 1;
  for (int k = 0; k < N; k++)
    refused &= sa_future_get(stale[k], &v) == SA_ERR_INVALID_HANDLE &&
               strstr(sa_error_message(), "already released");
  sat_ok(refused, "every released future is refused");
  copy = f;
  sat_ok(sa_future_release(&f) == SA_OK, "release the new one");
  sat_status_is(sa_future_release(&copy), SA_ERR_INVALID_HANDLE, "its copy",
                SAT_KEYS("already released"));
  sat_status_is(sa_eval(a, NULL, "s", SA_ARGS(SA_FUT("s", copy))), SA_ERR_INVALID_HANDLE,
                "a released future bound in an expression",
                SAT_KEYS("the future bound to 's'", "already released"));
  sat_ok(sa_array_release(&a) == SA_OK, "release a");
}

static void foreign(void)
{
  double x = 1;
  int64_t size;
  sa_array *a = NULL;
  sa_future *f = NULL;
  int64_t n = 4;
  sat_status_is(sa_array_size((const sa_array *)&x, &size), SA_ERR_INVALID_HANDLE,
                "a pointer to a double as an array", SAT_KEYS("not a libstarray array"));
  sat_ok(sa_full(&a, SA_F64, 1, &n, 1.0, NULL) == SA_OK && sa_sum(&f, a) == SA_OK,
         "an array and a future");
  sat_status_is(sa_array_size((const sa_array *)f, &size), SA_ERR_INVALID_HANDLE,
                "a future as an array", SAT_KEYS("argument 1 is not a libstarray array"));
  sat_status_is(sa_future_get((sa_future *)a, &x), SA_ERR_INVALID_HANDLE,
                "an array as a future", SAT_KEYS("argument 1 is not a libstarray future"));
  sat_ok(sa_future_release(&f) == SA_OK && sa_array_release(&a) == SA_OK, "release both");
}

int main(void)
{
  sat_plan(33);
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=1") != SA_OK) {
    sat_diag(sa_error_message());
    return 1;
  }
  copy_of_released();
  reused_slots();
  futures();
  foreign();
  sa_array *kept = NULL;
  int64_t n = 2, size;
  sat_ok(sa_full(&kept, SA_F64, 1, &n, 1.0, NULL) == SA_OK, "an array kept past sa_finalize");
  sat_ok(sa_finalize() == SA_OK && sa_init_ex(NULL, NULL, "--sa-ncpus=1") == SA_OK,
         "finalize, init again");
  sat_status_is(sa_array_size(kept, &size), SA_ERR_INVALID_HANDLE, "its handle",
                SAT_KEYS("session that sa_finalize ended"));
  sat_ok(sa_finalize() == SA_OK, "finalize");

  /* --sa-debug: sa_finalize names what was never released, arrays and futures */
  sa_array *left = NULL;
  sa_future *fut = NULL;
  int ok = sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-debug") == SA_OK &&
           sa_full(&left, SA_F64, 1, &n, 1.0, NULL) == SA_OK && sa_sum(&fut, left) == SA_OK;
  sa_status st;
  const char *text = sat_finalize_stderr(&st);
  ok = ok && st == SA_OK;
  sat_ok(ok && strstr(text, "1 array base was never released") &&
             strstr(text, "1 future was never released"),
         "--sa-debug reports an array and a future never released") || (sat_diag(text), 0);
  return sat_done();
}
