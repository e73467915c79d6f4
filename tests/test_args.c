/* SPDX-License-Identifier: MIT
 * SA_NOARGS binds nothing (C11, -pedantic -Werror), and SA_ARGS() does where the
 * language has __VA_OPT__ (C23; C++20 in test_cxx20). */
#include "tap.h"

int main(int argc, char **argv)
{
  SA_CHECK(sa_init(&argc, &argv));
  sat_plan(2);
  sa_array *a = NULL, *b = NULL;
  double x = 0, y = 0;
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L
  int ok = sa_eval_new(&a, "e * 2", SA_ARGS()) == SA_OK &&
           sa_item(&x, a, (const int64_t[]){0}) == SA_OK;
  sat_ok(ok && x == 2.718281828459045 * 2, "SA_ARGS(): e * 2 = %.17g", x);
#else
  int ok = sa_eval_new(&a, "e * 2", SA_ARGS(SA_NUM("unused", 1))) == SA_OK &&
           sa_item(&x, a, (const int64_t[]){0}) == SA_OK;
  sat_ok(ok && x == 2.718281828459045 * 2, "e * 2 = %.17g (SA_ARGS() needs C23)", x);
#endif
  ok = sa_eval_new(&b, "sqrt(4) + 1", SA_NOARGS) == SA_OK &&
       sa_item(&y, b, (const int64_t[]){0}) == SA_OK;
  sat_ok(ok && y == 3, "SA_NOARGS: sqrt(4) + 1 = %g", y);
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_finalize());
  return sat_done();
}
