/* SPDX-License-Identifier: MIT
 * Views, axes and joins on a small table (4 cities x 6 months of temperatures),
 * printed as the NumPy session that computes the same. */
#include <starray.h>

#include <stdio.h>

/* Prints ">>> text" and x as NumPy's repr; then drops x (*x NULL) when release is 1. */
static sa_status show(const char *text, sa_array **x, int release)
{
  printf(">>> %s\n", text);
  SA_CHECK(sa_array_print(stdout, *x));
  if (release) SA_CHECK(sa_array_release(x));
  return SA_OK;
}

static sa_status run(void)
{
  static const double readings[4][6] = {{3.1, 4.0, 8.2, 12.5, 16.9, 20.3},
                                        {7.4, 8.1, 10.6, 13.0, 16.8, 20.9},
                                        {-2.2, -0.5, 4.1, 10.3, 15.8, 19.6},
                                        {12.0, 12.6, 14.8, 17.1, 21.0, 24.9}};
  sa_array *a = NULL, *v = NULL, *w = NULL, *m = NULL, *s = NULL;
  SA_CHECK(sa_from_buffer(&a, SA_F64, 2, (int64_t[]){4, 6}, readings, NULL));
  SA_CHECK(show("a", &a, 0));

  /* Views: no data moves, and each keeps a alive. */
  SA_CHECK(sa_transpose(&v, a, NULL));
  SA_CHECK(show("a.T", &v, 1));
  SA_CHECK(sa_view(&v, a, "::-1, ::2"));
  SA_CHECK(show("a[::-1, ::2]", &v, 1));
  SA_CHECK(sa_view(&v, a, "1:3, None, -1"));
  SA_CHECK(show("a[1:3, None, -1]", &v, 1));
  SA_CHECK(sa_view(&v, a, "..., 0"));
  SA_CHECK(show("a[..., 0]", &v, 1));
  SA_CHECK(sa_flip(&v, a, 1));
  SA_CHECK(show("np.flip(a, 1)", &v, 1));

  /* Reductions along an axis, and broadcasting their result back. */
  printf(">>> m = a.mean(axis=0, keepdims=True)\n");
  SA_CHECK(sa_reduce_axis(&m, "mean", a, 0, 1));
  SA_CHECK(show("m", &m, 0));
  SA_CHECK(sa_eval_new(&v, "a - m", SA_ARGS(SA_ARR("a", a), SA_ARR("m", m))));
  SA_CHECK(show("a - m", &v, 1));
  SA_CHECK(sa_squeeze(&v, m));
  SA_CHECK(show("np.squeeze(m)", &v, 1));
  SA_CHECK(sa_reduce_axis(&v, "max", a, 1, 0));
  SA_CHECK(show("a.max(axis=1)", &v, 1));
  SA_CHECK(sa_eval_new(&w, "a > 15", SA_ARGS(SA_ARR("a", a))));
  SA_CHECK(sa_reduce_axis(&v, "sum", w, 1, 0)); /* a count of bools: int64 */
  SA_CHECK(sa_array_release(&w));
  SA_CHECK(show("(a > 15).sum(axis=1)", &v, 1));
  SA_CHECK(sa_view(&v, a, ":, :1"));
  SA_CHECK(sa_broadcast_to(&w, v, 2, (int64_t[]){4, 3}));
  SA_CHECK(sa_array_release(&v));
  SA_CHECK(show("np.broadcast_to(a[:, :1], (4, 3))", &w, 1));

  /* Joins make new arrays. */
  sa_array *halves[2] = {NULL, NULL}, *twice = NULL;
  SA_CHECK(sa_view(&halves[0], a, ":2"));
  SA_CHECK(sa_view(&halves[1], a, "2:"));
  SA_CHECK(sa_concatenate(&v, 2, (const sa_array *const *)halves, 1));
  SA_CHECK(show("np.concatenate([a[:2], a[2:]], axis=1)", &v, 1));
  SA_CHECK(sa_array_release(&halves[0]));
  SA_CHECK(sa_array_release(&halves[1]));
  SA_CHECK(sa_eval_new(&twice, "2 * a", SA_ARGS(SA_ARR("a", a))));
  printf(">>> s = np.stack([a, 2 * a])\n");
  SA_CHECK(sa_stack(&s, 2, (const sa_array *const[]){a, twice}, 0));
  SA_CHECK(sa_array_release(&twice));
  SA_CHECK(sa_moveaxis(&w, s, 0, -1));
  SA_CHECK(sa_view(&v, w, "1"));
  SA_CHECK(sa_array_release(&w));
  SA_CHECK(show("np.moveaxis(s, 0, -1)[1]", &v, 1));

  /* Writing through a selection changes a (views of a see it too). */
  printf(">>> a[1:3, 2:4] = 0\n");
  SA_CHECK(sa_eval(a, "1:3, 2:4", "0", SA_NOARGS));
  SA_CHECK(show("a", &a, 0));
  SA_CHECK(sa_eval_new(&v, "where(a == 0, nan, a)", SA_ARGS(SA_ARR("a", a))));
  SA_CHECK(show("np.where(a == 0, np.nan, a)", &v, 1));

  SA_CHECK(sa_array_release(&s));
  SA_CHECK(sa_array_release(&m));
  SA_CHECK(sa_array_release(&a));
  return SA_OK;
}

int main(int argc, char **argv)
{
  SA_CHECK(sa_init(&argc, &argv));
  sa_status st = run();
  SA_CHECK(sa_finalize());
  return st == SA_OK ? 0 : 1;
}
