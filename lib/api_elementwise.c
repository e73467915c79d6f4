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

/* The functions of SA_FUNCTIONS: sa_<name>(&out, a[, b[, c]]) is "<name>(a, ...)". */
#define FN_TEXT_1 "(a)"
#define FN_TEXT_2 "(a, b)"
#define FN_TEXT_3 "(a, b, c)"
#define FN_CHECK_1                                                                     \
  SAI_CALL(sai_array_check(a, func, 2));
#define FN_CHECK_2 FN_CHECK_1 SAI_CALL(sai_array_check(b, func, 3));
#define FN_CHECK_3 FN_CHECK_2 SAI_CALL(sai_array_check(c, func, 4));
#define FN_ARGS_1 SA_ARR("a", a)
#define FN_ARGS_2 FN_ARGS_1, SA_ARR("b", b)
#define FN_ARGS_3 FN_ARGS_2, SA_ARR("c", c)
#define SA_DEFINE_FUNCTION(P, name, nargs, result, how)                                 \
  SA_API sa_status sa_##name(sa_array **out, SA_FUNCTION_PARAMS_##nargs)                \
  {                                                                                     \
    sa_status st = SA_OK;                                                               \
    const char *func = "sa_" #name;                                                     \
    FN_CHECK_##nargs                                                                    \
    SAI_CALL(eval_new(out, #name FN_TEXT_##nargs, SA_ARGS(FN_ARGS_##nargs), func));     \
  done:                                                                                 \
    return st;                                                                          \
  }
SA_FUNCTIONS(SA_DEFINE_FUNCTION, )

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

SA_API sa_status sa_time(double *seconds)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(seconds, SA_ERR_ARG, "sa_time: seconds is NULL (argument 1)");
  *seconds = NAN;
  SAI_CALL(sai_require_init("sa_time"));
  *seconds = 1e-6 * starpu_timing_now();
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
