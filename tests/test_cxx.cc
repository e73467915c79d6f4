// SPDX-License-Identifier: MIT
// starray.h from C++: every argument macro (SA_ARR, SA_NUM, SA_INT, SA_FUT, SA_ARGS,
// SA_NOARGS), a function of the table and a reduction, with values checked.
#include <starray.h>

#include <cmath>
#include <cstdio>

static int failures = 0;
static void check(bool ok, const char *what)
{
  std::printf("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok) failures++;
}

static sa_status run(int *argc, char ***argv)
{
  SA_CHECK(sa_init(argc, argv));
  std::printf("1..5\n");
  sa_array *u = nullptr, *v = nullptr, *w = nullptr;
  sa_future *f = nullptr;
  const int64_t shape[] = {4, 6};
  SA_CHECK(sa_arange(&u, SA_F64, 0, 24, 1));
  SA_CHECK(sa_full(&v, SA_F64, 2, shape, 2.0, nullptr));
  SA_CHECK(sa_eval_new(&w, "u[0:6] * k + n", SA_ARGS(SA_ARR("u", u), SA_NUM("k", 0.5),
                                                         SA_INT("n", 3))));
  double x = 0;
  const int64_t i5[] = {5}, i35[] = {3, 5}, i0[] = {0}, i00[] = {0, 0};
  SA_CHECK(sa_item(&x, w, i5));
  check(x == 5 * 0.5 + 3, "SA_ARGS of SA_ARR, SA_NUM, SA_INT: u[5] * 0.5 + 3");
  SA_CHECK(sa_sum(&f, v));
  sa_array *z = nullptr;
  SA_CHECK(sa_eval_new(&z, "v / total", SA_ARGS(SA_ARR("v", v), SA_FUT("total", f))));
  SA_CHECK(sa_item(&x, z, i35));
  check(x == 2.0 / 48, "SA_FUT: v / sum(v)");
  sa_array *c = nullptr;
  SA_CHECK(sa_eval_new(&c, "pi * 2", SA_NOARGS));
  SA_CHECK(sa_item(&x, c, i0));
  check(x == 2 * M_PI, "SA_NOARGS: constants only");
  sa_array *h = nullptr;
  SA_CHECK(sa_hypot(&h, v, v));
  SA_CHECK(sa_item(&x, h, i00));
  check(x == std::hypot(2.0, 2.0), "sa_hypot from the function table");
#if __cplusplus >= 202002L
  SA_CHECK(sa_array_release(&c));
  SA_CHECK(sa_eval_new(&c, "pi * 2", SA_ARGS()));
  SA_CHECK(sa_item(&x, c, i0));
  if (x != 2 * M_PI) failures++, std::printf("# SA_ARGS() in C++20 gave %g\n", x);
#endif
  sa_status st = sa_eval_new(&c, "nothere + 1", SA_NOARGS);
  check(st == SA_ERR_ARG, "an unbound name is SA_ERR_ARG");
  SA_CHECK(sa_array_release(&c));
  SA_CHECK(sa_array_release(&h));
  SA_CHECK(sa_array_release(&z));
  SA_CHECK(sa_future_release(&f));
  SA_CHECK(sa_array_release(&w));
  SA_CHECK(sa_array_release(&v));
  SA_CHECK(sa_array_release(&u));
  return sa_finalize();
}

int main(int argc, char **argv)
{
  if (run(&argc, &argv) != SA_OK) return 1;
  return failures ? 1 : 0;
}
