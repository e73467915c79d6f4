/* SPDX-License-Identifier: MIT
 * Shapes: NumPy broadcasting of an expression's operands, whether a result fits the
 * view it is assigned to, and which operand has the result's shape. */
#include "plan.h"

#include <stdio.h>

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
