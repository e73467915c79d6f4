/* SPDX-License-Identifier: MIT
 * Public entry points of the elementwise family: validate -> compile -> plan ->
 * submit. The per-operator functions are generated from one table in starray.h. */
#include "expr.h"

#include <stdlib.h>
#include <string.h>

/* out (a new array of src's shape) = src converted to dtype. */
static sa_status copy_as(sa_array **out, const sa_array *src, sa_dtype dtype,
                         const char *func)
{
  sa_status st = SA_OK;
  sa_array *a = NULL;
  sai_ew_program pr = {.ninstr = 1, .noperands = 2, .result = 0};
  int f = src->base->dtype >= SA_F32;
  pr.code[0] = (sai_ew_instr){(uint8_t)(f ? SAI_EW_LOAD_F : SAI_EW_LOAD_I), 0, 1, 0, 0};
  pr.result_kind_f = f;
  pr.dtype[0] = (int)dtype;
  pr.dtype[1] = (int)src->base->dtype;
  int64_t shape[SA_MAX_NDIM] = {1};
  int nd = src->ndim ? src->ndim : 1;
  if (src->ndim) memcpy(shape, src->shape, sizeof shape);
  SAI_CALL(sai_array_new_dist(&a, dtype, nd, shape, NULL, src, 0, func));
  sa_array *ops[1] = {(sa_array *)src};
  SAI_CALL(sai_ew_submit(a, ops, 1, &pr, func + 3));
  *out = a;
  a = NULL;
done:
  sai_release(&a);
  return st;
}

/* NumPy reads every input before writing: an operand that overlaps the output
 * differently from element-for-element is copied first. */
static sa_status separate_aliases(sai_expr *ex, const sa_array *out, const char *func)
{
  sa_status st = SA_OK;
  for (int k = 0; k < ex->noperands; k++) {
    sa_array *op = ex->operands[k], *copy = NULL;
    if (op->base != out->base || sai_same_view(op, out)) continue;
    SAI_CALL(copy_as(&copy, op, op->base->dtype, func));
    sai_release(&ex->operands[k]);
    ex->operands[k] = copy;
  }
done:
  return st;
}

sa_status sai_eval_into(sa_array *out, const char *index, const char *text,
                        const sa_arg *args, int n, sai_expr *const *extra, const int *ops,
                        sai_reduce_plan *plans, const sa_array *result, const char *func)
{
  sa_status st = SA_OK;
  sai_expr *ex = calloc(1, sizeof *ex);
  sa_array *view = NULL;
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_CALL(sai_require_init(func));
  SAI_CALL(sai_array_check(out, func, 1));
  SAI_REQUIRE(text, SA_ERR_ARG, "%s: expression is NULL (argument 3)", func);
  if (index && index[0]) SAI_CALL(sai_view_parse(&view, out, index, strlen(index), func, 0));
  else SAI_CALL(sai_array_alias(&view, out));
  SAI_CALL(sai_expr_compile(ex, text, args, func));
  int nd;
  int64_t shape[SA_MAX_NDIM];
  SAI_CALL(sai_broadcast(ex, &nd, shape, func, text));
  SAI_CALL(sai_check_assign(view, nd, shape, func));
  for (int k = 0; k < n; k++) { /* reductions over the statement's iteration space */
    int rnd;
    int64_t rshape[SA_MAX_NDIM];
    SAI_CALL(sai_broadcast(extra[k], &rnd, rshape, func, text));
    int same = rnd == nd;
    for (int d = 0; same && d < nd; d++) same = rshape[d] == shape[d];
    SAI_REQUIRE(same, SA_ERR_SHAPE, "%s: reduction %d does not have the shape of the "
                "statement \"%s\"", func, k + 1, text);
    SAI_CALL(sai_expr_merge(ex, extra[k], ops[k], result, func));
  }
  SAI_CALL(separate_aliases(ex, view, func));
  ex->prog.dtype[0] = (int)view->base->dtype;
  char what[96];
  if (sai_describe_tasks())
    snprintf(what, sizeof what, "out[%s] = %s", index && index[0] ? index : "...", text);
  SAI_CALL(sai_ew_submit_checked(view, ex->operands, ex->noperands, &ex->prog, "eval",
                                 sai_describe_tasks() ? what : NULL, plans));
done:
  sai_expr_free(ex);
  sai_release(&view);
  return st;
}

static sa_status eval_into(sa_array *out, const char *index, const char *text,
                           const sa_arg *args, const char *func)
{
  return sai_eval_into(out, index, text, args, 0, NULL, NULL, NULL, NULL, func);
}

static sa_status eval_new(sa_array **out, const char *text, const sa_arg *args,
                          const char *func)
{
  sa_status st = SA_OK;
  sai_expr *ex = calloc(1, sizeof *ex);
  sa_array *a = NULL;
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_require_init(func));
  SAI_REQUIRE(text, SA_ERR_ARG, "%s: expression is NULL (argument 2)", func);
  SAI_CALL(sai_expr_compile(ex, text, args, func));
  int nd;
  int64_t shape[SA_MAX_NDIM] = {1};
  SAI_CALL(sai_broadcast(ex, &nd, shape, func, text));
  const sa_array *like = NULL; /* the first operand of the result's shape */
  for (int k = 0; k < ex->noperands && !like; k++) {
    const sa_array *o = ex->operands[k];
    int same = o->ndim == nd;
    for (int d = 0; same && d < nd; d++) same = o->shape[d] == shape[d];
    if (same) like = o;
  }
  SAI_CALL(sai_array_new_dist(&a, ex->dtype, nd ? nd : 1, shape, NULL, like, 0, func));
  ex->prog.dtype[0] = (int)ex->dtype;
  char what[96];
  if (sai_describe_tasks()) snprintf(what, sizeof what, "new = %s", text);
  SAI_CALL(sai_ew_submit_checked(a, ex->operands, ex->noperands, &ex->prog, "eval",
                                 sai_describe_tasks() ? what : NULL, NULL));
  *out = a;
  a = NULL;
done:
  sai_expr_free(ex);
  sai_release(&a);
  return st;
}

SA_API sa_status sa_eval(sa_array *out, const char *index, const char *expr,
                         const sa_arg *args)
{
  sa_status st = SA_OK;
  SAI_CALL(eval_into(out, index, expr, args, "sa_eval"));
done:
  return st;
}

SA_API sa_status sa_eval_new(sa_array **out, const char *expr, const sa_arg *args)
{
  sa_status st = SA_OK;
  SAI_CALL(eval_new(out, expr, args, "sa_eval_new"));
done:
  return st;
}

#define SA_DEFINE_BINARY(name, text)                                                  \
  SA_API sa_status sa_##name(sa_array **out, const sa_array *a, const sa_array *b)    \
  {                                                                                   \
    sa_status st = SA_OK;                                                             \
    SAI_CALL(sai_array_check(a, "sa_" #name, 2));                                     \
    SAI_CALL(sai_array_check(b, "sa_" #name, 3));                                     \
    SAI_CALL(eval_new(out, text, SA_ARGS(SA_ARR("a", a), SA_ARR("b", b)), "sa_" #name)); \
  done:                                                                               \
    return st;                                                                        \
  }
#define SA_DEFINE_UNARY(name, text)                                                   \
  SA_API sa_status sa_##name(sa_array **out, const sa_array *a)                       \
  {                                                                                   \
    sa_status st = SA_OK;                                                             \
    SAI_CALL(sai_array_check(a, "sa_" #name, 2));                                     \
    SAI_CALL(eval_new(out, text, SA_ARGS(SA_ARR("a", a)), "sa_" #name));              \
  done:                                                                               \
    return st;                                                                        \
  }
SA_BINARY_OPS(SA_DEFINE_BINARY)
SA_UNARY_OPS(SA_DEFINE_UNARY)

SA_API sa_status sa_where(sa_array **out, const sa_array *cond, const sa_array *a,
                          const sa_array *b)
{
  sa_status st = SA_OK;
  SAI_CALL(sai_array_check(cond, "sa_where", 2));
  SAI_CALL(sai_array_check(a, "sa_where", 3));
  SAI_CALL(sai_array_check(b, "sa_where", 4));
  SAI_CALL(eval_new(out, "where(c, a, b)",
                    SA_ARGS(SA_ARR("c", cond), SA_ARR("a", a), SA_ARR("b", b)), "sa_where"));
done:
  return st;
}

SA_API sa_status sa_copy(sa_array **out, const sa_array *a)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_copy: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_check(a, "sa_copy", 2));
  SAI_CALL(copy_as(out, a, a->base->dtype, "sa_copy"));
done:
  return st;
}

SA_API sa_status sa_astype(sa_array **out, const sa_array *a, sa_dtype dtype)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_astype: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_check(a, "sa_astype", 2));
  SAI_REQUIRE((unsigned)dtype < SA_NDTYPES, SA_ERR_DTYPE, "sa_astype: invalid dtype %d "
              "(argument 3)", (int)dtype);
  SAI_CALL(copy_as(out, a, dtype, "sa_astype"));
done:
  return st;
}

SA_API sa_status sa_sync(void)
{
  sa_status st = SA_OK;
  SAI_CALL(sai_require_init("sa_sync"));
  SAI_CALL(sai_dist_check_sequence("sa_sync"));
  sai_dist_wait_all();
  SAI_CALL(sai_async_take("sa_sync"));
done:
  return st;
}
