/* SPDX-License-Identifier: MIT
 * Shapes: NumPy broadcasting of an expression's operands, whether a result fits the
 * view it is assigned to, and which operand has the result's shape. */
#include "plan.h"

#include <stdio.h>
#include <string.h>

static void shape_text(char *buf, size_t size, int ndim, const int64_t *shape)
{
  size_t n = (size_t)snprintf(buf, size, "(");
  for (int d = 0; d < ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? "," : "", (long long)shape[d]);
  if (n < size) snprintf(buf + n, size - n, "%s)", ndim == 1 ? "," : "");
}

sa_status sai_broadcast(const sai_expr *ex, int *ndim, int64_t *shape, const char *func,
                        const char *text)
{
  sa_status st = SA_OK;
  int nd = 0;
  for (int k = 0; k < ex->noperands; k++)
    if (ex->operands[k]->ndim > nd) nd = ex->operands[k]->ndim;
  for (int d = 0; d < nd; d++) shape[d] = 1;
  for (int k = 0; k < ex->noperands; k++) {
    const sai_array *a = ex->operands[k];
    for (int u = 0; u < a->ndim; u++) {
      int64_t *s = &shape[u + nd - a->ndim];
      if (*s == 1) {
        *s = a->shape[u];
      } else if (a->shape[u] != 1 && a->shape[u] != *s) {
        char mine[64], all[64];
        shape_text(mine, sizeof mine, a->ndim, a->shape);
        shape_text(all, sizeof all, nd, shape);
        SAI_FAIL(SA_ERR_SHAPE,
                 "%s: '%s' (column %zu) has shape %s, which cannot be broadcast with the "
                 "shape %s of the operands before it in \"%s\"", func, ex->texts[k],
                 ex->cols[k], mine, all, text);
      }
    }
  }
  *ndim = nd;
done:
  return st;
}

/* Checks that a result of shape (nd, shape) can be assigned to view out. */
sa_status sai_check_assign(const sai_array *out, int nd, const int64_t *shape,
                           const char *func)
{
  sa_status st = SA_OK;
  int ok = nd <= out->ndim;
  for (int u = 0; ok && u < nd; u++) {
    int64_t want = out->shape[u + out->ndim - nd];
    ok = shape[u] == want || shape[u] == 1;
  }
  if (!ok) {
    char a[64], b[64];
    shape_text(a, sizeof a, nd, shape);
    shape_text(b, sizeof b, out->ndim, out->shape);
    SAI_FAIL(SA_ERR_SHAPE, "%s: could not broadcast the expression's shape %s into the "
             "output's shape %s", func, a, b);
  }
done:
  return st;
}

const sai_array *sai_full_operand(const sai_expr *ex, int nd, const int64_t *shape)
{
  for (int k = 0; k < ex->noperands; k++) {
    const sai_array *a = ex->operands[k];
    int same = a->ndim == nd;
    for (int d = 0; same && d < nd; d++) same = a->shape[d] == shape[d];
    if (same) return a;
  }
  return NULL;
}

/* ------------------------------------------------ concatenate and stack */

/* A join's start: *out NULL, the library started, arrays[0..n) (1 to 256) checked:
 * handles and the same number of dimensions; dtype: NumPy's result type of all. */
static sa_status join_check(sa_array **out, sai_array **as, int n,
                            const sa_array *const *arrays, sa_dtype *dtype, const char *func)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_require_init(func));
  SAI_REQUIRE(n <= 256, SA_ERR_NOT_SUPPORTED, "%s: %d arrays; at most 256 at once", func, n);
  SAI_REQUIRE(n >= 1 && arrays, SA_ERR_ARG, "%s: needs at least one array (%d given, "
              "arguments 2 and 3)", func, n);
  for (int k = 0; k < n; k++) {
    char which[48];
    snprintf(which, sizeof which, "arrays[%d]", k);
    SAI_CALL(sai_array_get_as(&as[k], arrays[k], func, which));
    *dtype = k ? sa_result_type(*dtype, as[k]->base->dtype) : as[k]->base->dtype;
    SAI_REQUIRE(as[k]->ndim == as[0]->ndim, SA_ERR_SHAPE,
                "%s: arrays[%d] has %d dimension%s, arrays[0] %d", func, k, as[k]->ndim,
                as[k]->ndim == 1 ? "" : "s", as[0]->ndim);
  }
done:
  return st;
}

/* The same shape but along axis (every axis: -1). */
static sa_status join_shapes(sai_array *const *as, int n, int axis, const char *func)
{
  sa_status st = SA_OK;
  for (int k = 1; k < n; k++)
    for (int d = 0; d < as[0]->ndim; d++) {
      char s0[96], sk[96];
      shape_text(s0, sizeof s0, as[0]->ndim, as[0]->shape);
      shape_text(sk, sizeof sk, as[k]->ndim, as[k]->shape);
      SAI_REQUIRE(d == axis || as[k]->shape[d] == as[0]->shape[d], SA_ERR_SHAPE,
                  "%s: arrays[%d] of shape %s does not match arrays[0] of shape %s%s", func,
                  k, sk, s0, axis >= 0 ? " but along the axis" : "");
    }
done:
  return st;
}

/* out[..., at:at+len along axis, ...] (or at, dropping the axis: stack) = a. */
static sa_status place(sai_array *out, int axis, int64_t at, int64_t len, int drop,
                       sai_array *a, const char *func)
{
  sa_status st = SA_OK;
  char index[SA_MAX_NDIM * 48 + 1] = "";
  size_t n = 0;
  for (int d = 0; d < out->ndim; d++) {
    if (d != axis) n += (size_t)snprintf(index + n, sizeof index - n, "%s:", d ? "," : "");
    else if (drop) n += (size_t)snprintf(index + n, sizeof index - n, "%s%lld", d ? "," : "",
                                          (long long)at);
    else n += (size_t)snprintf(index + n, sizeof index - n, "%s%lld:%lld", d ? "," : "",
                               (long long)at, (long long)(at + len));
  }
  sai_eval_req r = {.func = func, .out = out, .index = index, .text = "a",
                    .args = SA_ARGS(SAI_ARR("a", a))};
  SAI_CALL(sai_eval(&r));
done:
  return st;
}

SA_API sa_status sa_concatenate(sa_array **out, int n, const sa_array *const *arrays, int axis)
{
  sa_status st = SA_OK;
  const char *func = "sa_concatenate";
  sai_array *as[256], *c = NULL;
  sa_dtype dtype = SA_F64;
  SAI_CALL(join_check(out, as, n, arrays, &dtype, func));
  int nd = as[0]->ndim;
  SAI_REQUIRE(nd > 0, SA_ERR_SHAPE, "%s: zero-dimensional arrays cannot be concatenated",
              func);
  SAI_REQUIRE(axis >= -nd && axis < nd, SA_ERR_INDEX,
              "%s: axis %d is out of bounds for arrays of %d dimension%s (argument 4)", func,
              axis, nd, nd == 1 ? "" : "s");
  int ax = axis < 0 ? axis + nd : axis;
  SAI_CALL(join_shapes(as, n, ax, func));
  int64_t shape[SA_MAX_NDIM];
  memcpy(shape, as[0]->shape, sizeof shape);
  shape[ax] = 0;
  for (int k = 0; k < n; k++) shape[ax] += as[k]->shape[ax];
  SAI_CALL(sai_full(&c, dtype, nd, shape, 0.0, NULL, func)); /* parts of tiles are written */
  for (int k = 0, at = 0; k < n; at += (int)as[k]->shape[ax], k++)
    if (as[k]->shape[ax]) SAI_CALL(place(c, ax, at, as[k]->shape[ax], 0, as[k], func));
  *out = sai_array_handle(c);
  c = NULL;
done:
  sai_release(&c);
  return st;
}

SA_API sa_status sa_stack(sa_array **out, int n, const sa_array *const *arrays, int axis)
{
  sa_status st = SA_OK;
  const char *func = "sa_stack";
  sai_array *as[256], *c = NULL;
  sa_dtype dtype = SA_F64;
  SAI_CALL(join_check(out, as, n, arrays, &dtype, func));
  SAI_CALL(join_shapes(as, n, -1, func));
  int nd = as[0]->ndim + 1;
  SAI_REQUIRE(nd <= SA_MAX_NDIM, SA_ERR_NOT_SUPPORTED,
              "%s: the result would have %d dimensions; at most %d", func, nd, SA_MAX_NDIM);
  SAI_REQUIRE(axis >= -nd && axis < nd, SA_ERR_INDEX,
              "%s: axis %d is out of bounds for a result of %d dimension%s (argument 4)",
              func, axis, nd, nd == 1 ? "" : "s");
  int ax = axis < 0 ? axis + nd : axis;
  int64_t shape[SA_MAX_NDIM];
  for (int d = 0, s = 0; d < nd; d++) shape[d] = d == ax ? n : as[0]->shape[s++];
  SAI_CALL(sai_full(&c, dtype, nd, shape, 0.0, NULL, func)); /* parts of tiles are written */
  for (int k = 0; k < n; k++)
    if (sai_array_size(as[k])) SAI_CALL(place(c, ax, k, 1, 1, as[k], func));
  *out = sai_array_handle(c);
  c = NULL;
done:
  sai_release(&c);
  return st;
}
