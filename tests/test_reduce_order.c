/* SPDX-License-Identifier: MIT
 * A chunk's partial, value by value with sai_red_chunk_add (what a kernel that cannot
 * vectorise does, as the CUDA one will), and the CPU kernel's vectorised sum of an
 * array of values must give the same bits: for one-chunk arrays of every length, and
 * values whose sums round differently in other orders, the CPU's sa_sum equals the
 * value-by-value chunk of reduce.h, and max/argmax/int sums too. */
#include "reduce.h"
#include "tap.h"

#include <stdlib.h>

static sai_partial by_value(int op, int f, const double *x, int m)
{
  sai_red_chunk c;
  sai_red_chunk_begin(op, &c, m);
  for (int j = 0; j < m; j++) {
    sai_ew_value v;
    if (f)
      v.f = x[j];
    else
      v.i = (int64_t)x[j];
    sai_red_chunk_add(op, f, &c, v, j, m, 0);
  }
  sai_red_chunk_end(op, f, &c);
  return c.p;
}

int main(void)
{
  sat_plan(4);
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-ncuda=0") != SA_OK) {
    sat_diag(sa_error_message());
    return 1;
  }
  double x[SAI_EW_CHUNK];
  srand(7);
  for (int j = 0; j < SAI_EW_CHUNK; j++) /* magnitudes 1e-8 .. 1e8: order matters */
    x[j] = ((double)rand() / RAND_MAX - 0.5) * (j % 3 == 0 ? 1e8 : j % 3 == 1 ? 1 : 1e-8);
  int sum_ok = 1, max_ok = 1, arg_ok = 1, int_ok = 1, order_matters = 0;
  for (int m = 1; m <= SAI_EW_CHUNK; m++) {
    sa_array *a = NULL;
    sa_future *s = NULL, *mx = NULL, *am = NULL;
    double got_s = 0, got_mx = 0, got_am = 0, naive = 0;
    int64_t shape = m;
    if (sa_from_buffer(&a, SA_F64, 1, &shape, x, NULL) != SA_OK || sa_sum(&s, a) != SA_OK ||
        sa_max(&mx, a) != SA_OK || sa_argmax(&am, a) != SA_OK ||
        sa_future_get(s, &got_s) != SA_OK || sa_future_get(mx, &got_mx) != SA_OK ||
        sa_future_get(am, &got_am) != SA_OK) {
      sat_diag(sa_error_message());
      return 1;
    }
    for (int j = 0; j < m; j++)
      naive += x[j];
    order_matters |= naive != got_s;
    sai_partial p = by_value(SAI_RED_SUM, 1, x, m);
    sum_ok &= p.f == got_s && p.n == m;
    p = by_value(SAI_RED_MAX, 1, x, m);
    max_ok &= p.f == got_mx;
    p = by_value(SAI_RED_ARGMAX, 1, x, m);
    arg_ok &= (double)p.where == got_am;
    if (sa_future_release(&s) != SA_OK || sa_future_release(&mx) != SA_OK ||
        sa_future_release(&am) != SA_OK || sa_array_release(&a) != SA_OK)
      return 1;
  }
  /* int64 sums wrap (as NumPy's): INT64_MAX + 5 + INT64_MAX - 3 = 2^64 + 0 -> 0 */
  int64_t big[4] = {INT64_MAX, 5, INT64_MAX, -3}, four = 4;
  sa_array *bi = NULL;
  sa_future *bs = NULL;
  double got_i = -1;
  if (sa_from_buffer(&bi, SA_I64, 1, &four, big, NULL) != SA_OK ||
      sa_sum(&bs, bi) != SA_OK || sa_future_get(bs, &got_i) != SA_OK ||
      sa_future_release(&bs) != SA_OK || sa_array_release(&bi) != SA_OK)
    return 1;
  sai_red_chunk c;
  sai_red_chunk_begin(SAI_RED_SUM, &c, 4);
  for (int j = 0; j < 4; j++)
    sai_red_chunk_add(SAI_RED_SUM, 0, &c, (sai_ew_value){.i = big[j]}, j, 4, 0);
  int_ok = c.p.i == 0 && got_i == 0;
  sat_ok(order_matters, "the data is such that a left-to-right sum differs somewhere");
  sat_ok(sum_ok, "float sums of 1..%d values: CPU == value by value, bitwise",
         SAI_EW_CHUNK);
  sat_ok(max_ok && arg_ok, "max and argmax: CPU == value by value");
  sat_ok(int_ok, "int64 sums wrap like the CPU's");
  if (sa_finalize() != SA_OK) return 1;
  return sat_done();
}
