/* SPDX-License-Identifier: MIT
 * One statement, out[index] = text: validate, compile, broadcast, separate what the
 * output overlaps, submit. Every family that evaluates an expression into an array
 * fills a request (sai_eval_req, plan.h) and calls sai_eval. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

sa_status sai_copy_as(sai_array **out, const sai_array *src, sa_dtype dtype, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  sai_expr *ex = calloc(1, sizeof *ex);
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_CALL(sai_expr_load(ex, src, func));
  int64_t shape[SA_MAX_NDIM] = {1};
  int nd = src->ndim ? src->ndim : 1;
  if (src->ndim) memcpy(shape, src->shape, sizeof shape);
  SAI_CALL(sai_array_new_dist(&a, dtype, nd, shape, NULL, src, 0, func));
  sai_submit s = {.func = func, .name = func + 3, .mode = SAI_SUBMIT_EVAL, .out = a,
                  .ex = ex, .dtype = dtype};
  SAI_CALL(sai_submit_tiles(&s));
  *out = a;
  a = NULL;
done:
  sai_expr_free(ex);
  sai_release(&a);
  return st;
}

/* NumPy reads every input before writing: an operand that overlaps the output
 * differently from element-for-element is copied first (one that shares no element
 * with it, as p[-1] = p[-2], is read in place). */
static sa_status separate_aliases(sai_expr *ex, const sai_array *out, const char *func)
{
  sa_status st = SA_OK;
  for (int k = 0; k < ex->noperands; k++) {
    sai_array *op = ex->operands[k], *copy = NULL;
    if (sai_views_disjoint(op, out) || sai_same_view(op, out)) continue;
    SAI_CALL(sai_copy_as(&copy, op, op->base->dtype, func));
    sai_release(&ex->operands[k]);
    ex->operands[k] = copy;
  }
done:
  return st;
}

/* The reductions of r over the statement's iteration space (nd, shape) join ex. */
static sa_status merge_extras(sai_expr *ex, const sai_eval_req *r, int nd,
                              const int64_t *shape)
{
  sa_status st = SA_OK;
  for (int k = 0; k < r->nextra; k++) {
    int rnd;
    int64_t rshape[SA_MAX_NDIM];
    SAI_CALL(sai_broadcast(r->extra[k], &rnd, rshape, r->func, r->text));
    int same = rnd == nd;
    for (int d = 0; same && d < nd; d++) same = rshape[d] == shape[d];
    SAI_REQUIRE(same, SA_ERR_SHAPE, "%s: reduction %d does not have the shape of the "
                "statement \"%s\"", r->func, k + 1, r->text);
    SAI_CALL(sai_expr_merge(ex, r->extra[k], r->ops[k], r->result, r->func));
  }
done:
  return st;
}

/* A new array of the expression's shape and dtype, placed like its first operand of
 * that shape (under MPI its tiles live where that operand's do). */
static sa_status new_output(sai_array **out, const sai_expr *ex, int nd, const int64_t *shape,
                            const char *func)
{
  const sai_array *like = sai_full_operand(ex, nd, shape);
  return sai_array_new_dist(out, ex->dtype, nd ? nd : 1, shape, NULL, like, 0, func);
}

sa_status sai_eval(const sai_eval_req *r)
{
  sa_status st = SA_OK;
  const char *func = r->func;
  sai_expr *ex = calloc(1, sizeof *ex);
  sai_array *view = NULL;
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_CALL(sai_require_init(func));
  if (!r->made) {
    SAI_REQUIRE(r->text, SA_ERR_ARG, "%s: expression is NULL (argument 3)", func);
    if (r->index && r->index[0])
      SAI_CALL(sai_view_parse(&view, r->out, r->index, strlen(r->index), func, 0));
    else
      SAI_CALL(sai_array_alias(&view, r->out));
  } else {
    SAI_REQUIRE(r->text, SA_ERR_ARG, "%s: expression is NULL (argument 2)", func);
  }
  SAI_CALL(sai_expr_compile(ex, r->text, r->args, func));
  int nd;
  int64_t shape[SA_MAX_NDIM] = {1};
  SAI_CALL(sai_broadcast(ex, &nd, shape, func, r->text));
  if (!r->made) {
    for (int v = 0; v < view->ndim; v++)
      SAI_REQUIRE(view->step[v] || view->shape[v] <= 1, SA_ERR_ARG,
                  "%s: the output is a broadcast view (its axis %d repeats one element "
                  "%lld times): read-only, as NumPy's broadcast_to", func, v,
                  (long long)view->shape[v]);
    SAI_CALL(sai_check_assign(view, nd, shape, func));
    SAI_CALL(merge_extras(ex, r, nd, shape));
    SAI_CALL(separate_aliases(ex, view, func));
  } else {
    SAI_CALL(new_output(&view, ex, nd, shape, func));
  }
  char what[96];
  int describe = sai_describe_tasks(); /* formatting a long text costs more than a task */
  if (describe && r->made)
    snprintf(what, sizeof what, "new = %s", r->text);
  else if (describe)
    snprintf(what, sizeof what, "out[%s] = %s", r->index && r->index[0] ? r->index : "...",
             r->text);
  sai_submit s = {.func = func, .name = "eval", .mode = SAI_SUBMIT_EVAL, .out = view,
                  .ex = ex, .dtype = view->base->dtype, .extra = r->plans,
                  .text = describe ? what : NULL};
  SAI_CALL(sai_submit_tiles(&s));
  if (r->made) {
    *r->made = view;
    view = NULL;
  }
done:
  sai_expr_free(ex);
  sai_release(&view);
  return st;
}
