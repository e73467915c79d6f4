/* SPDX-License-Identifier: MIT
 * Public entry points of the elementwise family: each validates its arguments and
 * hands a statement to sai_eval (statement.c). The per-operator functions are
 * generated from one table in starray.h. */
#include "plan.h"

SA_API sa_status sa_eval(sa_array *out, const char *index, const char *expr,
                         const sa_arg *args)
{
  sa_status st = SA_OK;
  sai_array *o;
  SAI_CALL(sai_require_init("sa_eval"));
  SAI_CALL(sai_array_get(&o, out, "sa_eval", 1));
  sai_eval_req r = {.func = "sa_eval", .out = o, .index = index, .text = expr, .args = args};
  SAI_CALL(sai_eval(&r));
done:
  return st;
}

static sa_status eval_new(sa_array **out, const char *text, const sa_arg *args,
                          const char *func)
{
  sa_status st = SA_OK;
  sai_array *made = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  sai_eval_req r = {.func = func, .text = text, .args = args, .made = &made};
  SAI_CALL(sai_eval(&r));
  *out = sai_array_handle(made);
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
  SA_API sa_status sa_##name(sa_array **out, const sa_array *a, const sa_array *b)       \
  {                                                                                   \
    sa_status st = SA_OK;                                                             \
    SAI_CALL(sai_array_check(a, "sa_" #name, 2));                                     \
    SAI_CALL(sai_array_check(b, "sa_" #name, 3));                                     \
    SAI_CALL(eval_new(out, text, SA_ARGS(SA_ARR("a", a), SA_ARR("b", b)), "sa_" #name)); \
  done:                                                                               \
    return st;                                                                        \
  }
#define SA_DEFINE_UNARY(name, text)                                                   \
  SA_API sa_status sa_##name(sa_array **out, const sa_array *a)                         \
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

SA_API sa_status sa_copy(sa_array **out, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a, *c;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_copy: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_copy", 2));
  SAI_CALL(sai_copy_as(&c, a, a->base->dtype, "sa_copy"));
  *out = sai_array_handle(c);
done:
  return st;
}

SA_API sa_status sa_astype(sa_array **out, const sa_array *h, sa_dtype dtype)
{
  sa_status st = SA_OK;
  sai_array *a, *c;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_astype: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_astype", 2));
  SAI_REQUIRE((unsigned)dtype < SA_NDTYPES, SA_ERR_DTYPE, "sa_astype: invalid dtype %d "
              "(argument 3)", (int)dtype);
  SAI_CALL(sai_copy_as(&c, a, dtype, "sa_astype"));
  *out = sai_array_handle(c);
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
