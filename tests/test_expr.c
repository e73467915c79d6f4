/* SPDX-License-Identifier: MIT
 * The expression front end parses a text once and keeps its syntax tree; names are
 * bound again at every call. The same text with other bindings (dtypes, an array or
 * a number or a future for one name, a missing name, other shapes) must give what
 * that binding means, checked against values computed here; errors are never kept;
 * more texts than the cache holds stay right; a statement compiled before is used
 * again only for the same live arrays, views and numbers (lib/exprmemo.c);
 * --sa-verbose=2 reports the counts. */
#include "tap.h"

#include <string.h>
#include <unistd.h>

/* out (n float64 or int32 values, by dtype) equals want[0..n)? */
static int values_are(sa_array *out, const double *want, int64_t n)
{
  double got[16];
  int32_t got_i[16];
  sa_dtype dt;
  int64_t size;
  if (n > 16 || sa_array_dtype(out, &dt) != SA_OK || sa_array_size(out, &size) != SA_OK ||
      size != n)
    return 0;
  if (sa_to_buffer(dt == SA_I32 ? (void *)got_i : (void *)got, (size_t)n * sa_dtype_size(dt),
                   out) != SA_OK)
    return 0;
  for (int64_t k = 0; k < n; k++)
    if ((dt == SA_I32 ? (double)got_i[k] : got[k]) != want[k]) return 0;
  return 1;
}

static sa_status rebinding(void)
{
  sa_array *a = NULL, *b = NULL, *ai = NULL, *bi = NULL, *out = NULL, *longer = NULL;
  sa_future *f = NULL;
  const double av[4] = {1, 2, 3, 4}, bv[4] = {10, 20, 30, 40};
  const int32_t aiv[4] = {1, 2, 3, 4}, biv[4] = {-5, 5, 7, 9};
  const double lv[6] = {1, 4, 9, 16, 25, 36};
  int64_t four = 4, six = 6;
  SA_CHECK(sa_from_buffer(&a, SA_F64, 1, &four, av, NULL));
  SA_CHECK(sa_from_buffer(&b, SA_F64, 1, &four, bv, NULL));
  SA_CHECK(sa_from_buffer(&ai, SA_I32, 1, &four, aiv, NULL));
  SA_CHECK(sa_from_buffer(&bi, SA_I32, 1, &four, biv, NULL));
  SA_CHECK(sa_from_buffer(&longer, SA_F64, 1, &six, lv, NULL));
  const char *text = "a * 2 + b";

  SA_CHECK(sa_eval_new(&out, text, SA_ARGS(SA_ARR("a", a), SA_ARR("b", b))));
  sat_ok(values_are(out, (double[]){12, 24, 36, 48}, 4), "'%s' over float64 arrays", text);
  SA_CHECK(sa_array_release(&out));

  sa_dtype dt = SA_F64;
  SA_CHECK(sa_eval_new(&out, text, SA_ARGS(SA_ARR("a", ai), SA_ARR("b", bi))));
  SA_CHECK(sa_array_dtype(out, &dt));
  sat_ok(dt == SA_I32 && values_are(out, (double[]){-3, 9, 13, 17}, 4),
         "the same text over int32 arrays: int32 (%s)", sa_dtype_name(dt));
  SA_CHECK(sa_array_release(&out));

  SA_CHECK(sa_eval_new(&out, text, SA_ARGS(SA_NUM("a", 0.5), SA_ARR("b", b))));
  sat_ok(values_are(out, (double[]){11, 21, 31, 41}, 4), "'a' bound to a number now");
  SA_CHECK(sa_array_release(&out));

  SA_CHECK(sa_sum(&f, a)); /* 10 */
  SA_CHECK(sa_eval_new(&out, text, SA_ARGS(SA_ARR("a", a), SA_FUT("b", f))));
  sat_ok(values_are(out, (double[]){12, 14, 16, 18}, 4), "'b' bound to a future now");
  SA_CHECK(sa_array_release(&out));

  sa_status st = sa_eval_new(&out, text, SA_ARGS(SA_ARR("a", a)));
  sat_status_is(st, SA_ERR_ARG, "the same text with 'b' unbound",
                SAT_KEYS("'b' is not bound (column 9 of \"a * 2 + b\")"));

  /* a subscript needs an array */
  st = sa_eval_new(&out, "x[0] + a", SA_ARGS(SA_NUM("x", 2), SA_ARR("a", a)));
  sat_status_is(st, SA_ERR_SYNTAX, "'x[0]' with x a number",
                SAT_KEYS("unexpected '[' at column 2", "'x' is a number"));
  st = sa_eval_new(&out, "a + b[1:]", SA_ARGS(SA_ARR("a", a), SA_FUT("b", f)));
  sat_status_is(st, SA_ERR_SYNTAX, "'b[1:]' with b a future",
                SAT_KEYS("unexpected '[' at column 6", "'b' is a future"));

  /* -x of a number is folded into a constant: with the number of this call */
  for (int k = 0; k < 2; k++) {
    double x = k ? -2 : 3;
    SA_CHECK(sa_eval_new(&out, "-x * a", SA_ARGS(SA_NUM("x", x), SA_ARR("a", a))));
    sat_ok(values_are(out, (double[]){-x, -2 * x, -3 * x, -4 * x}, 4),
           "'-x * a' with x = %g", x);
    SA_CHECK(sa_array_release(&out));
  }
  /* subscripts make views of whatever array is bound */
  SA_CHECK(sa_eval_new(&out, "a[1:] - a[:-1]", SA_ARGS(SA_ARR("a", a))));
  sat_ok(values_are(out, (double[]){1, 1, 1}, 3), "'a[1:] - a[:-1]' on 4 values");
  SA_CHECK(sa_array_release(&out));
  SA_CHECK(sa_eval_new(&out, "a[1:] - a[:-1]", SA_ARGS(SA_ARR("a", longer))));
  sat_ok(values_are(out, (double[]){3, 5, 7, 9, 11}, 5), "the same text on 6 values");
  SA_CHECK(sa_array_release(&out));

  /* a syntax error is reported every time, never kept as a parsed text */
  for (int k = 0; k < 2; k++) {
    st = sa_eval_new(&out, "a * (b + 1", SA_ARGS(SA_ARR("a", a), SA_ARR("b", b)));
    sat_status_is(st, SA_ERR_SYNTAX, k ? "the same syntax error again" : "a syntax error",
                  SAT_KEYS("expected ')' at column 11"));
  }

  /* long chains compile in a few registers: 34 terms, and a 17-step Horner scheme
   * (evaluated here in the same order, so the same bits) */
  char chain[34 * 4 + 1] = "a", horner[17 * 16 + 8] = "a";
  for (int k = 1; k < 34; k++) strcat(chain, " + a");
  for (int k = 0; k < 17; k++) {
    memmove(horner + 1, horner, strlen(horner) + 1);
    horner[0] = '(';
    strcat(horner, k % 2 ? " * x + 0.5)" : " * x - 1.5)");
  }
  double want_chain[4], want_horner[4];
  for (int j = 0; j < 4; j++) {
    double c = av[j], h = av[j];
    for (int k = 1; k < 34; k++) c = c + av[j];
    for (int k = 0; k < 17; k++) h = k % 2 ? h * 0.75 + 0.5 : h * 0.75 - 1.5;
    want_chain[j] = c;
    want_horner[j] = h;
  }
  SA_CHECK(sa_eval_new(&out, chain, SA_ARGS(SA_ARR("a", a))));
  sat_ok(values_are(out, want_chain, 4), "a + a + ... (34 terms)");
  SA_CHECK(sa_array_release(&out));
  SA_CHECK(sa_eval_new(&out, horner, SA_ARGS(SA_ARR("a", a), SA_NUM("x", 0.75))));
  sat_ok(values_are(out, want_horner, 4), "a Horner scheme of 17 steps");
  SA_CHECK(sa_array_release(&out));

  /* more distinct texts than the cache has slots, then the first ones again */
  int right = 1;
  char t[32];
  for (int round = 0; round < 2; round++)
    for (int k = 0; k < 600; k += round ? 37 : 1) {
      snprintf(t, sizeof t, "a + %d", k);
      SA_CHECK(sa_eval_new(&out, t, SA_ARGS(SA_ARR("a", a))));
      right &= values_are(out, (double[]){1 + k, 2 + k, 3 + k, 4 + k}, 4);
      SA_CHECK(sa_array_release(&out));
    }
  sat_ok(right, "600 distinct texts, then some of them again");

  SA_CHECK(sa_future_release(&f));
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&ai));
  SA_CHECK(sa_array_release(&bi));
  SA_CHECK(sa_array_release(&longer));
  return SA_OK;
}

/* With --sa-verbose=2, sa_finalize reports how many texts were parsed and how many
 * parses the cache saved: 3 distinct texts run 10 times each. */
static sa_status counts(void)
{
  sa_array *a = NULL;
  int64_t four = 4;
  SA_CHECK(sa_full(&a, SA_F64, 1, &four, 1.0, NULL));
  for (int k = 0; k < 10; k++) {
    SA_CHECK(sa_eval(a, NULL, "a + 1", SA_ARGS(SA_ARR("a", a))));
    SA_CHECK(sa_eval(a, NULL, "a * 2", SA_ARGS(SA_ARR("a", a))));
    SA_CHECK(sa_eval(a, "1:", "a[:-1]", SA_ARGS(SA_ARR("a", a))));
  }
  return sa_array_release(&a);
}

/* A compiled statement is found again only for the same bindings: the same live
 * arrays seen through the same views and the same numbers. Each case below runs a
 * text once to be remembered, then again with one thing changed, and checks the
 * values against what that change means. */
static sa_status memo(void)
{
  sa_array *a = NULL, *b = NULL, *out = NULL, *v = NULL;
  int64_t four = 4, six = 6;
  const double av[4] = {1, 2, 3, 4}, bv[6] = {10, 20, 30, 40, 50, 60};
  SA_CHECK(sa_from_buffer(&a, SA_F64, 1, &four, av, NULL));
  SA_CHECK(sa_full(&out, SA_F64, 1, &four, 0.0, NULL));
  const char *text = "a * s + 1";
  for (int k = 0; k < 3; k++) /* a number that changes: 2, 3, 4 */
    SA_CHECK(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", a), SA_NUM("s", 2.0 + k))));
  sat_ok(values_are(out, (double[]){5, 9, 13, 17}, 4), "the same text, s = 2, 3, then 4");

  /* a released and made again: the new array may take the old one's slot */
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_full(&a, SA_F64, 1, &four, -1.0, NULL));
  SA_CHECK(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", a), SA_NUM("s", 4.0))));
  sat_ok(values_are(out, (double[]){-3, -3, -3, -3}, 4), "a released, a new a bound");

  /* the old handle: refused as released, as without the memory of the statement */
  sa_array *stale = a;
  SA_CHECK(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", a), SA_NUM("s", 4.0))));
  SA_CHECK(sa_array_release(&a));
  sat_status_is(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", stale), SA_NUM("s", 4.0))),
                SA_ERR_INVALID_HANDLE, "the same statement with a released array",
                SAT_KEYS("the array bound to 'a'", "already released"));

  /* one name, views of other offsets, then an int32 array, then a longer array */
  SA_CHECK(sa_from_buffer(&b, SA_F64, 1, &six, bv, NULL));
  int right = 1;
  for (int k = 0; k < 3; k++) {
    char index[16];
    snprintf(index, sizeof index, "%d:%d", k, k + 4);
    SA_CHECK(sa_view(&v, b, index));
    SA_CHECK(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", v), SA_NUM("s", 1.0))));
    right &= values_are(out, (double[]){bv[k] + 1, bv[k + 1] + 1, bv[k + 2] + 1, bv[k + 3] + 1}, 4);
    SA_CHECK(sa_array_release(&v));
  }
  sat_ok(right, "'a' bound to b[0:4], b[1:5], then b[2:6]");
  const int32_t iv[4] = {7, 8, 9, 10};
  SA_CHECK(sa_from_buffer(&a, SA_I32, 1, &four, iv, NULL));
  SA_CHECK(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", a), SA_INT("s", 3))));
  sat_ok(values_are(out, (double[]){22, 25, 28, 31}, 4), "then an int32 array and an int");
  SA_CHECK(sa_array_release(&a));
  sat_status_is(sa_eval(out, NULL, text, SA_ARGS(SA_ARR("a", b), SA_INT("s", 3))),
                SA_ERR_SHAPE, "then 6 values into 4", SAT_KEYS("sa_eval"));

  /* subscripts inside the text, applied to whatever the name is bound to now */
  SA_CHECK(sa_eval(out, NULL, "a[1:5] - a[:4]", SA_ARGS(SA_ARR("a", b))));
  SA_CHECK(sa_view(&v, b, "::-1"));
  SA_CHECK(sa_eval(out, NULL, "a[1:5] - a[:4]", SA_ARGS(SA_ARR("a", v))));
  sat_ok(values_are(out, (double[]){-10, -10, -10, -10}, 4), "a[1:5] - a[:4] over b reversed");
  SA_CHECK(sa_array_release(&v));

  /* the output among the operands, over and over: every step sees the last */
  SA_CHECK(sa_full(&a, SA_F64, 1, &four, 1.0, NULL));
  for (int k = 0; k < 20; k++) SA_CHECK(sa_eval(a, "1:", "a[:-1] + a[1:]", SA_ARGS(SA_ARR("a", a))));
  double want[4] = {1, 1, 1, 1};
  for (int k = 0; k < 20; k++) /* NumPy: the right side is evaluated first */
    for (int j = 3; j >= 1; j--) want[j] = want[j - 1] + want[j];
  sat_ok(values_are(out, (double[]){-10, -10, -10, -10}, 4) && values_are(a, want, 4),
         "a[1:] = a[:-1] + a[1:], 20 times");
  SA_CHECK(sa_array_release(&a));
  SA_CHECK(sa_array_release(&b));
  SA_CHECK(sa_array_release(&out));
  return SA_OK;
}

/* Integer literals beyond int64 meet floats as Python's ints do: a float. */
static void big_literals(void)
{
  sa_array *u = NULL, *w = NULL, *r = NULL, *q = NULL;
  double d[2] = {0, 0};
  float f[2] = {0, 0};
  int ok = sa_full(&u, SA_F64, 1, (const int64_t[]){2}, 3.0, NULL) == SA_OK &&
           sa_full(&w, SA_F32, 1, (const int64_t[]){2}, 3.0, NULL) == SA_OK &&
           sa_eval_new(&r, "u * 0 - 99999999999999999999", SA_ARGS(SA_ARR("u", u))) == SA_OK &&
           sa_eval_new(&q, "w * 0 + 99999999999999999999", SA_ARGS(SA_ARR("w", w))) == SA_OK &&
           sa_to_buffer(d, sizeof d, r) == SA_OK && sa_to_buffer(f, sizeof f, q) == SA_OK;
  sat_ok(ok && d[0] == -1e20 && f[1] == (float)1e20,
         "float64 - 99999999999999999999 is -1e20, float32 + it is float32(1e20)");
  ok = sa_eval(u, NULL, "sqrt(99999999999999999999 * 1.0)", NULL) == SA_OK &&
       sa_to_buffer(d, sizeof d, u) == SA_OK;
  sat_ok(ok && d[1] == 1e10, "sqrt of it times 1.0 is 1e10 (got %.17g)", d[1]);
  ok = sa_array_release(&u) == SA_OK && sa_array_release(&w) == SA_OK &&
       sa_array_release(&r) == SA_OK && sa_array_release(&q) == SA_OK;
  sat_ok(ok, "release");
}

int main(void)
{
  sat_plan(28);
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=1") != SA_OK) {
    sat_diag(sa_error_message());
    return 1;
  }
  if (rebinding() != SA_OK) sat_diag(sa_error_message());
  if (memo() != SA_OK) sat_diag(sa_error_message());
  big_literals();
  if (sa_finalize() != SA_OK) return 1;

  if (sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-verbose=2") != SA_OK) return 1;
  if (counts() != SA_OK) sat_diag(sa_error_message());
  sa_status st;
  const char *text = sat_finalize_stderr(&st); /* the report */
  /* each text is parsed once and compiled once: the other 27 calls find the
   * statement compiled (the same array, the same view) */
  if (!sat_ok(st == SA_OK && strstr(text, "expression cache: 3 texts parsed, 0 parses saved") &&
                  strstr(text, "compiled expressions: 3 compiled, 27 found again"),
              "--sa-verbose=2: 3 texts parsed, 3 compiled, 27 found compiled"))
    sat_diag(text);
  return sat_done();
}
