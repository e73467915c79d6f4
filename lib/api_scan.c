/* SPDX-License-Identifier: MIT
 * Cumulative sums and products along an axis (NumPy's cumsum, cumprod): the input
 * copied into the result's dtype, then one scan task per tile, in order along the
 * axis, each continuing from the tile before it. */
#include "plan.h"
#include "scan.h"

static sa_status scan(sa_array **out, const sa_array *h, int axis, int op, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a, *b = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, func, 2));
  SAI_REQUIRE(a->ndim > 0, SA_ERR_SHAPE, "%s: a 0-d array has no axis", func);
  SAI_REQUIRE(axis >= -a->ndim && axis < a->ndim, SA_ERR_INDEX,
              "%s: axis %d is out of bounds for an array of %d dimension%s (argument 3)",
              func, axis, a->ndim, a->ndim == 1 ? "" : "s");
  int ax = axis < 0 ? axis + a->ndim : axis;
  sa_dtype dt = a->base->dtype, r = dt == SA_F32 || dt == SA_F64 ? dt : SA_I64;
  SAI_CALL(sai_copy_as(&b, a, r, func)); /* a new base of a's shape: its dims are a's */
  const sai_base *B = b->base;
  for (int64_t t = 0; t < B->ntiles; t++) {
    int64_t tc[SA_MAX_NDIM], rest = t, ext[SA_MAX_NDIM];
    for (int d = B->ndim - 1; d >= 0; d--) tc[d] = rest % B->grid[d], rest /= B->grid[d];
    sai_scan_args s = {.op = op, .dtype = r, .outer = 1, .inner = 1};
    for (int d = 0; d < B->ndim; d++) {
      ext[d] = sai_tile_extent(B, d, tc[d]);
      if (d < ax) s.outer *= ext[d];
      if (d > ax) s.inner *= ext[d];
    }
    s.len = ext[ax];
    starpu_data_handle_t prev = NULL;
    if (tc[ax] > 0) { /* the tile before along the axis: flat index one grid step back */
      int64_t stride = 1;
      for (int d = B->ndim - 1; d > ax; d--) stride *= B->grid[d];
      prev = sai_tile(B, t - stride);
      s.prev_len = sai_tile_extent(B, ax, tc[ax] - 1);
    }
    if (s.outer * s.inner * s.len > 0) SAI_CALL(sai_scan_submit(sai_tile(B, t), prev, &s));
  }
  *out = sai_array_handle(b);
  b = NULL;
done:
  sai_release(&b);
  return st;
}

SA_API sa_status sa_cumsum(sa_array **out, const sa_array *a, int axis)
SAI_API_CALL(scan(out, a, axis, SAI_SCAN_SUM, "sa_cumsum"))

SA_API sa_status sa_cumprod(sa_array **out, const sa_array *a, int axis)
SAI_API_CALL(scan(out, a, axis, SAI_SCAN_PROD, "sa_cumprod"))
