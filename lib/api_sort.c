/* SPDX-License-Identifier: MIT
 * Sorting along the last axis (NumPy's sort and argsort, stable): the values copied
 * into an array whose tiles hold whole rows, then one sort task per tile. */
#include "plan.h"
#include "sort.h"

#include <string.h>

/* Tiles of whole rows of a's last axis, about --sa-tile-size elements each. */
static sa_array_opts row_tiles(const sai_array *a)
{
  int nd = a->ndim;
  int64_t n = a->shape[nd - 1], rows = sai_rt.settings.tile_size / (n ? n : 1);
  sa_array_opts opts;
  memset(&opts, 0, sizeof opts);
  for (int d = 0; d < nd; d++) opts.tile[d] = 1;
  opts.tile[nd - 1] = n ? n : 1;
  if (nd > 1) opts.tile[nd - 2] = rows < 1 ? 1 : rows > a->shape[nd - 2] ? a->shape[nd - 2] : rows;
  return opts;
}

/* A copy of a tiled by opts. */
static sa_status rows_copy(sai_array **out, const sai_array *a, const sa_array_opts *opts,
                           const char *func)
{
  sa_status st = SA_OK;
  sai_array *c = NULL;
  SAI_CALL(sai_array_new(&c, a->base->dtype, a->ndim, a->shape, opts, func));
  sai_eval_req r = {.func = func, .out = c, .text = "a", .args = SA_ARGS(SAI_ARR("a", a))};
  SAI_CALL(sai_eval(&r));
  *out = c;
  c = NULL;
done:
  sai_release(&c);
  return st;
}

static sa_status sort(sa_array **out, const sa_array *h, int arg, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a, *v = NULL, *idx = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, func, 2));
  SAI_REQUIRE(a->ndim > 0, SA_ERR_SHAPE, "%s: a 0-d array has no axis to sort", func);
  sa_array_opts opts = row_tiles(a);
  SAI_CALL(rows_copy(&v, a, &opts, func));
  if (arg) SAI_CALL(sai_array_new(&idx, SA_I64, a->ndim, a->shape, &opts, func));
  const sai_base *B = v->base;
  for (int64_t t = 0; t < B->ntiles; t++) {
    int64_t rest = t, rows = 1;
    for (int d = B->ndim - 1; d >= 0; d--) {
      int64_t tc = rest % B->grid[d];
      rest /= B->grid[d];
      if (d < B->ndim - 1) rows *= sai_tile_extent(B, d, tc);
    }
    sai_sort_args s = {.dtype = B->dtype, .rows = rows, .n = B->shape[B->ndim - 1]};
    if (rows * s.n > 0)
      SAI_CALL(sai_sort_submit(sai_tile(B, t), idx ? sai_tile(idx->base, t) : NULL, &s));
  }
  *out = sai_array_handle(arg ? idx : v);
  if (arg) idx = NULL;
  else v = NULL;
done:
  sai_release(&v);
  sai_release(&idx);
  return st;
}

SA_API sa_status sa_sort(sa_array **out, const sa_array *a)
SAI_API_CALL(sort(out, a, 0, "sa_sort"))

SA_API sa_status sa_argsort(sa_array **out, const sa_array *a)
SAI_API_CALL(sort(out, a, 1, "sa_argsort"))
