/* SPDX-License-Identifier: MIT
 * The bad-input corpus: one row per mistake a user can make with the public API
 * (a function doing the call, then a table row: expected status, words the message
 * must contain); after all of them the library still computes correctly. */
#include "tap.h"

static sa_array *u, *v, *i3, *big, *b, *dead, *cube, *vec, *ints;
static sa_future *fut, *scratch; /* scratch: outputs of calls that must fail */

#define ROW(name, call)                                                               \
  static sa_status name(void)                                                        \
  {                                                                                  \
    sa_array *out = NULL;                                                            \
    (void)out;                                                                       \
    return call;                                                                     \
  }
#define ARGS_UV SA_ARGS(SA_ARR("u", u), SA_ARR("v", v))
ROW(full_null_out, sa_full(NULL, SA_F64, 1, (int64_t[]){3}, 0, NULL))
ROW(from_null_data, sa_from_buffer(&out, SA_F64, 1, (int64_t[]){3}, NULL, NULL))
ROW(linspace_neg, sa_linspace(&out, SA_F64, 0, 1, -1))
ROW(view_syntax, sa_view(&out, u, "1:2:3:4"))
ROW(view_letter, sa_view(&out, u, "a"))
ROW(view_empty_item, sa_view(&out, u, "1,,2"))
ROW(view_too_many, sa_view(&out, u, "1, 2, 3"))
ROW(view_null_text, sa_view(&out, u, NULL))
ROW(eval_null_out, sa_eval(NULL, NULL, "u", ARGS_UV))
ROW(eval_null_expr, sa_eval(u, NULL, NULL, ARGS_UV))
ROW(eval_bad_index, sa_eval(u, "1:x", "v", ARGS_UV))
ROW(eval_ends_early, sa_eval(u, NULL, "u +", ARGS_UV))
ROW(eval_unclosed_bracket, sa_eval(u, NULL, "u[1:", ARGS_UV))
ROW(eval_unclosed_paren, sa_eval(u, NULL, "(u + v", ARGS_UV))
ROW(eval_bad_char, sa_eval(u, NULL, "u @ v", ARGS_UV))
ROW(eval_arity, sa_eval(u, NULL, "where(u)", ARGS_UV))
ROW(eval_unbound, sa_eval(u, NULL, "u + w", ARGS_UV))
ROW(eval_null_binding, sa_eval(u, NULL, "z", SA_ARGS(SA_ARR("z", NULL))))
ROW(eval_bad_kind, sa_eval(u, NULL, "z", SA_ARGS(((sa_arg){.name = "z", .kind = 9}))))
ROW(eval_float_bitand, sa_eval(u, NULL, "u & v", ARGS_UV))
ROW(eval_broadcast, sa_eval_new(&out, "u + i", SA_ARGS(SA_ARR("u", u), SA_ARR("i", i3))))
ROW(reduce_unknown, sa_reduce(&scratch, "median", "u", ARGS_UV))
ROW(reduce_null_op, sa_reduce(&scratch, NULL, "u", ARGS_UV))
ROW(future_null_value, sa_future_get(fut, NULL))
ROW(matmul_int, sa_matmul(&out, u, i3))
ROW(matmul_shape, sa_matmul(&out, u, big))
ROW(astype_bad, sa_astype(&out, u, (sa_dtype)7))
ROW(save_unwritable, sa_save_npy("/nonexistent/dir/x.npy", u))
ROW(load_missing, sa_load_npy(&out, "/nonexistent/x.npy", NULL))
ROW(options_print_null, sa_options_print(NULL))
ROW(tiles_null_ndim, sa_array_tiles(u, NULL, NULL, NULL))
ROW(opts_negative_tile, sa_full(&out, SA_F64, 1, (int64_t[]){3}, 0, &(sa_array_opts){.tile = {-2}}))
ROW(policy_bad, sa_error_set_policy((sa_error_policy)-1, NULL, NULL))

ROW(eval_released, sa_eval(dead, NULL, "1", NULL))
ROW(view_released, sa_view(&out, dead, ":"))
ROW(sum_null, sa_sum(&scratch, NULL))
ROW(absurd_size, sa_zeros(&out, SA_F64, 2, (int64_t[]){1 << 30, 1 << 30}))
ROW(absurd_buffer, sa_from_buffer(&out, SA_F64, 1, (int64_t[]){(int64_t)1 << 39}, "", NULL))
ROW(arange_huge, sa_arange(&out, SA_F64, 0, 1e15, 1))
ROW(ndim_five, sa_zeros(&out, SA_F64, 5, (int64_t[]){1, 1, 1, 1, 1}))
ROW(eval_index_bounds, sa_eval(u, "7", "0", NULL))
ROW(eval_unknown_fn, sa_eval(u, NULL, "frobnicate(u)", ARGS_UV))
ROW(eval_chained, sa_eval(u, NULL, "u < v < u", ARGS_UV))
ROW(eval_int_neg_pow, sa_eval_new(&out, "i ** -1", SA_ARGS(SA_ARR("i", ints))))
ROW(eval_neg_bool, sa_eval_new(&out, "-b", SA_ARGS(SA_ARR("b", b))))
ROW(eval_invert_float, sa_eval(u, NULL, "~u", ARGS_UV))
ROW(eval_step_zero, sa_eval(u, NULL, "u[::0]", ARGS_UV))
ROW(eval_unclosed_sub, sa_eval(u, NULL, "u[1", ARGS_UV))
ROW(eval_bool_sub, sa_eval_new(&out, "b - b", SA_ARGS(SA_ARR("b", b))))
ROW(reduce_max_empty, sa_reduce(&scratch, "max", "u[2:2]", ARGS_UV))
ROW(future_int_of_float, sa_future_get_int(fut, &(int64_t){0}))
ROW(future_test_null, sa_future_test(NULL, &(int){0}))
ROW(future_dtype_null, sa_future_dtype(NULL, &(sa_dtype){0}))
ROW(matmul_3d, sa_matmul(&out, cube, u))
ROW(matmul_vectors, sa_matmul(&out, vec, vec))
ROW(load_null_path, sa_load_npy(&out, NULL, NULL))
ROW(save_null_path, sa_save_npy(NULL, u))
ROW(copy_null_out, sa_copy(NULL, u))
ROW(where_null_cond, sa_where(&out, NULL, u, v))
ROW(arctan2_null_b, sa_arctan2(&out, u, NULL))
ROW(clip_null_hi, sa_clip(&out, u, v, NULL))
ROW(isnan_null_out, sa_isnan(NULL, u))
ROW(sign_of_bool, sa_sign(&out, b))
ROW(fmod_of_bools, sa_eval_new(&out, "fmod(b, b)", SA_ARGS(SA_ARR("b", b))))
ROW(hypot_one_arg, sa_eval(u, NULL, "hypot(u)", ARGS_UV))
ROW(pi_subscript, sa_eval(u, NULL, "u + pi[0]", ARGS_UV))
ROW(var_null_out, sa_var(NULL, u, 0))
ROW(transpose_null_out, sa_transpose(NULL, u, NULL))
ROW(cumsum_axis, sa_cumsum(&out, u, 2))
ROW(sort_null_out, sa_sort(NULL, u))
ROW(argsort_dead, sa_argsort(&out, dead))
ROW(reshape_size, sa_reshape(&out, u, 2, (int64_t[]){3, 7}))
ROW(reshape_two_unknown, sa_reshape(&out, u, 2, (int64_t[]){-1, -1}))
ROW(cumprod_null_out, sa_cumprod(NULL, u, 0))
ROW(transpose_repeat, sa_transpose(&out, u, (int[]){1, -1}))
ROW(moveaxis_bounds, sa_moveaxis(&out, u, 0, 2))
ROW(concatenate_none, sa_concatenate(&out, 0, NULL, 0))
ROW(concatenate_dead, sa_concatenate(&out, 2, (const sa_array *[]){u, dead}, 0))
ROW(stack_shapes, sa_stack(&out, 2, (const sa_array *[]){u, vec}, 0))
ROW(std_dead, sa_std(&scratch, dead, 1))
ROW(count_nonzero_null, sa_count_nonzero(&scratch, NULL))
ROW(item_null_value, sa_item(NULL, u, (int64_t[]){0, 0}))
ROW(item_null_index, sa_item(&(double){0}, u, NULL))
ROW(item_out_of_bounds, sa_item(&(double){0}, u, (int64_t[]){0, 99}))
ROW(item_int_of_float, sa_item_int(&(int64_t){0}, u, (int64_t[]){0, 0}))
ROW(zeros_like_null_out, sa_zeros_like(NULL, u))
ROW(full_like_dead, sa_full_like(&out, dead, 1.0))
ROW(add_null_out, sa_add(NULL, u, v))
ROW(shape_null_ndim, sa_array_shape(u, NULL, NULL))
ROW(dtype_null, sa_array_dtype(u, NULL))
ROW(to_buffer_null, sa_to_buffer(NULL, 160, u))
ROW(init_twice, sa_init(NULL, NULL))
ROW(self_test_null, sa_self_test(NULL))
ROW(eval_new_null_out, sa_eval_new(NULL, "u", ARGS_UV))
ROW(view_step_zero, sa_view(&out, u, "::0"))
ROW(eval_int_beyond_int64, sa_eval_new(&out, "i + 99999999999999999999",
                                       SA_ARGS(SA_ARR("i", ints))))
ROW(eval_int_beyond_int32, sa_eval_new(&out, "i + 3000000000", SA_ARGS(SA_ARR("i", i3))))
ROW(eval_bound_int_beyond_int32,
    sa_eval_new(&out, "i * k", SA_ARGS(SA_ARR("i", i3), SA_INT("k", -3000000000LL))))
ROW(eval_int_beyond_int64_alone, sa_eval(u, NULL, "99999999999999999999", NULL))
ROW(eval_bound_twice, sa_eval(u, NULL, "u + 1", SA_ARGS(SA_ARR("u", u), SA_NUM("u", 2))))
ROW(eval_bound_twice_unused, sa_eval(u, NULL, "v", SA_ARGS(SA_ARR("v", v), SA_NUM("x", 1),
                                                           SA_INT("x", 2))))
ROW(tiles_too_many, sa_full(&out, SA_F64, 2, (int64_t[]){1000, 1000}, 0,
                            &(sa_array_opts){.tile = {1, 1}}))
ROW(tile_too_large, sa_full(&out, SA_BOOL, 1, (int64_t[]){(int64_t)5 << 30}, 0,
                            &(sa_array_opts){.tile = {(int64_t)5 << 30}}))
ROW(size_too_large, sa_zeros(&out, SA_BOOL, 2, (int64_t[]){(int64_t)1 << 45, 1 << 10}))
ROW(view_two_commas, sa_view(&out, u, "1:3,,"))
ROW(view_comma_only, sa_view(&out, u, ","))
static char deep_parens[100010], deep_minus[100010], deep_not[400010];
ROW(eval_nested_parens, sa_eval(u, NULL, deep_parens, ARGS_UV))
ROW(eval_unary_chain, sa_eval(u, NULL, deep_minus, ARGS_UV))
ROW(eval_not_chain, sa_eval_new(&out, deep_not, SA_ARGS(SA_ARR("b", b))))
static sa_future *released;
ROW(future_get_released, sa_future_get(released, &(double){0}))
ROW(future_release_twice, sa_future_release(&(sa_future *){released}))

static const struct {
  const char *name;
  sa_status code;
  const char *words;
  sa_status (*call)(void);
} corpus[] = {
#define R(name, code, words) {#name, code, words, name}
    R(full_null_out, SA_ERR_ARG, "out is NULL"),
    R(from_null_data, SA_ERR_ARG, "data is NULL"),
    R(linspace_neg, SA_ERR_ARG, "num is -1"),
    R(view_syntax, SA_ERR_SYNTAX, "unexpected ':'"),
    R(view_letter, SA_ERR_SYNTAX, "unexpected 'a'"),
    R(view_empty_item, SA_ERR_SYNTAX, "empty index"),
    R(view_too_many, SA_ERR_INDEX, "too many indices"),
    R(view_null_text, SA_ERR_ARG, "index is NULL"),
    R(eval_null_out, SA_ERR_INVALID_HANDLE, "argument 1"),
    R(eval_null_expr, SA_ERR_ARG, "expression is NULL"),
    R(eval_bad_index, SA_ERR_SYNTAX, "column"),
    R(eval_ends_early, SA_ERR_SYNTAX, "ends too early"),
    R(eval_unclosed_bracket, SA_ERR_SYNTAX, "never closed"),
    R(eval_unclosed_paren, SA_ERR_SYNTAX, "expected ')'"),
    R(eval_bad_char, SA_ERR_SYNTAX, "unexpected"),
    R(eval_arity, SA_ERR_SYNTAX, "where takes 3 arguments"),
    R(eval_unbound, SA_ERR_ARG, "'w' is not bound"),
    R(eval_null_binding, SA_ERR_INVALID_HANDLE, "array is NULL"),
    R(eval_bad_kind, SA_ERR_ARG, "binding of 'z' has unknown kind 9"),
    R(eval_float_bitand, SA_ERR_DTYPE, "not defined for float64"),
    R(eval_broadcast, SA_ERR_SHAPE, "cannot be broadcast"),
    R(reduce_unknown, SA_ERR_ARG, "unknown reduction 'median'"),
    R(reduce_null_op, SA_ERR_ARG, "op is NULL"),
    R(future_null_value, SA_ERR_ARG, "value is NULL"),
    R(matmul_int, SA_ERR_DTYPE, "int32"),
    R(matmul_shape, SA_ERR_SHAPE, "do not align"),
    R(astype_bad, SA_ERR_DTYPE, "invalid dtype 7"),
    R(save_unwritable, SA_ERR_IO, "/nonexistent/dir/x.npy"),
    R(load_missing, SA_ERR_IO, "cannot open"),
    R(options_print_null, SA_ERR_ARG, "stream is NULL"),
    R(tiles_null_ndim, SA_ERR_ARG, "ndim is NULL"),
    R(opts_negative_tile, SA_ERR_ARG, "opts->tile[0] is -2"),
    R(policy_bad, SA_ERR_ARG, "unknown policy"),
    R(eval_released, SA_ERR_INVALID_HANDLE, "already released"),
    R(view_released, SA_ERR_INVALID_HANDLE, "already released"),
    R(sum_null, SA_ERR_INVALID_HANDLE, "array is NULL"),
    R(absurd_size, SA_ERR_NOMEM, "cannot be allocated"),
    R(absurd_buffer, SA_ERR_NOMEM, "GiB cannot be allocated"),
    R(arange_huge, SA_ERR_ARG, "too many"),
    R(ndim_five, SA_ERR_ARG, "ndim is 5"),
    R(eval_index_bounds, SA_ERR_INDEX, "index 7 is out of bounds for axis 0 with size 4"),
    R(eval_unknown_fn, SA_ERR_SYNTAX, "unknown function 'frobnicate'"),
    R(eval_chained, SA_ERR_SYNTAX, "chained comparison"),
    R(eval_int_neg_pow, SA_ERR_ARG, "negative integer powers"),
    R(eval_neg_bool, SA_ERR_DTYPE, "negation (-) is not defined for bool"),
    R(eval_invert_float, SA_ERR_DTYPE, "invert (~) is not defined for float64"),
    R(eval_step_zero, SA_ERR_INDEX, "slice step cannot be zero"),
    R(eval_unclosed_sub, SA_ERR_SYNTAX, "never closed"),
    R(eval_bool_sub, SA_ERR_DTYPE, "subtraction (-) is not defined for bool"),
    R(reduce_max_empty, SA_ERR_ARG, "zero-size array to reduction operation max"),
    R(future_int_of_float, SA_ERR_DTYPE, "the result is float64"),
    R(future_test_null, SA_ERR_INVALID_HANDLE, "future is NULL"),
    R(future_dtype_null, SA_ERR_INVALID_HANDLE, "future is NULL"),
    R(matmul_3d, SA_ERR_NOT_SUPPORTED, "3 dimensions"),
    R(matmul_vectors, SA_ERR_NOT_SUPPORTED, "two vectors"),
    R(load_null_path, SA_ERR_ARG, "path is NULL"),
    R(save_null_path, SA_ERR_ARG, "path is NULL"),
    R(copy_null_out, SA_ERR_ARG, "out is NULL"),
    R(where_null_cond, SA_ERR_INVALID_HANDLE, "argument 2"),
    R(arctan2_null_b, SA_ERR_INVALID_HANDLE, "sa_arctan2: array is NULL (argument 3)"),
    R(clip_null_hi, SA_ERR_INVALID_HANDLE, "sa_clip: array is NULL (argument 4)"),
    R(isnan_null_out, SA_ERR_ARG, "sa_isnan: out is NULL"),
    R(sign_of_bool, SA_ERR_DTYPE, "sign() is not defined for bool"),
    R(fmod_of_bools, SA_ERR_DTYPE, "fmod() is not defined for bool and bool"),
    R(hypot_one_arg, SA_ERR_SYNTAX, "hypot takes 2 arguments, 1 given"),
    R(pi_subscript, SA_ERR_SYNTAX, "'pi' is a constant"),
    R(var_null_out, SA_ERR_ARG, "sa_var: out is NULL"),
    R(transpose_null_out, SA_ERR_ARG, "sa_transpose: out is NULL"),
    R(cumsum_axis, SA_ERR_INDEX, "sa_cumsum: axis 2 is out of bounds"),
    R(sort_null_out, SA_ERR_ARG, "sa_sort: out is NULL"),
    R(argsort_dead, SA_ERR_INVALID_HANDLE, "sa_argsort"),
    R(reshape_size, SA_ERR_SHAPE, "cannot reshape an array of size 20 into a shape of 21"),
    R(reshape_two_unknown, SA_ERR_ARG, "can only specify one unknown dimension"),
    R(cumprod_null_out, SA_ERR_ARG, "sa_cumprod: out is NULL"),
    R(transpose_repeat, SA_ERR_ARG, "axes[1] = -1 repeats an axis"),
    R(moveaxis_bounds, SA_ERR_INDEX, "axis 2 is out of bounds for an array of 2 dimensions"),
    R(concatenate_none, SA_ERR_ARG, "needs at least one array"),
    R(concatenate_dead, SA_ERR_INVALID_HANDLE, "arrays[1]"),
    R(stack_shapes, SA_ERR_SHAPE, "arrays[1] has 1 dimension, arrays[0] 2"),
    R(std_dead, SA_ERR_INVALID_HANDLE, "sa_std"),
    R(count_nonzero_null, SA_ERR_INVALID_HANDLE, "sa_count_nonzero: array is NULL"),
    R(item_null_value, SA_ERR_ARG, "sa_item: value is NULL"),
    R(item_null_index, SA_ERR_ARG, "sa_item: index is NULL"),
    R(item_out_of_bounds, SA_ERR_INDEX, "index 99 is out of bounds for axis 1"),
    R(item_int_of_float, SA_ERR_DTYPE, "sa_item_int: the array is float64"),
    R(zeros_like_null_out, SA_ERR_ARG, "sa_zeros_like: out is NULL"),
    R(full_like_dead, SA_ERR_INVALID_HANDLE, "sa_full_like"),
    R(add_null_out, SA_ERR_ARG, "out is NULL"),
    R(shape_null_ndim, SA_ERR_ARG, "ndim is NULL"),
    R(dtype_null, SA_ERR_ARG, "dtype is NULL"),
    R(to_buffer_null, SA_ERR_ARG, "data is NULL"),
    R(init_twice, SA_ERR_INITIALIZED, "already initialized"),
    R(self_test_null, SA_ERR_ARG, "ntasks is NULL"),
    R(eval_new_null_out, SA_ERR_ARG, "out is NULL"),
    R(view_step_zero, SA_ERR_INDEX, "slice step cannot be zero"),
    R(future_get_released, SA_ERR_INVALID_HANDLE, "already released"),
    R(future_release_twice, SA_ERR_INVALID_HANDLE, "already released"),
    R(eval_int_beyond_int64, SA_ERR_ARG,
      "the integer 99999999999999999999 (column 5 of \"i + 99999999999999999999\") is out "
      "of bounds for int64"),
    R(eval_int_beyond_int32, SA_ERR_ARG, "the integer 3000000000 (column 5"),
    R(eval_bound_int_beyond_int32, SA_ERR_ARG, "-3000000000 (column 5 of \"i * k\") is out "
      "of bounds for int32"),
    R(eval_int_beyond_int64_alone, SA_ERR_ARG, "out of bounds for int64"),
    R(eval_bound_twice, SA_ERR_ARG, "name 'u' is bound twice (bindings 1 and 2)"),
    R(eval_bound_twice_unused, SA_ERR_ARG, "name 'x' is bound twice (bindings 2 and 3)"),
    R(tiles_too_many, SA_ERR_ARG, "a 1000x1000 array in 1x1 tiles makes 1000000 tiles, more "
      "than --sa-max-tiles=65536"),
    R(tile_too_large, SA_ERR_ARG, "a tile would hold more than 2^31 - 1 elements"),
    R(size_too_large, SA_ERR_NOMEM, "cannot be allocated"),
    R(view_two_commas, SA_ERR_SYNTAX, "empty index at column 5"),
    R(view_comma_only, SA_ERR_SYNTAX, "empty index at column 1"),
    R(eval_nested_parens, SA_ERR_SYNTAX, "nested too deeply (more than 200 levels"),
    R(eval_unary_chain, SA_ERR_SYNTAX, "nested too deeply"),
    R(eval_not_chain, SA_ERR_SYNTAX, "nested too deeply"),
#undef R
};
#define NCORPUS (int)(sizeof corpus / sizeof *corpus)

int main(void)
{
  sat_plan(NCORPUS + 3);
  int d = 0;
  for (int k = 0; k < 50000; k++) deep_parens[d++] = '(';
  deep_parens[d++] = 'u';
  for (int k = 0; k < 50000; k++) deep_parens[d++] = ')';
  memset(deep_minus, '-', 100000);
  deep_minus[100000] = 'u';
  for (int k = 0; k < 100000; k++) memcpy(deep_not + 4 * k, "not ", 4);
  deep_not[400000] = 'b';
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=2") != SA_OK) return sat_diag(sa_error_message()), 1;
  int ok = sa_full(&u, SA_F64, 2, (int64_t[]){4, 5}, 2.0, NULL) == SA_OK &&
           sa_full(&v, SA_F64, 2, (int64_t[]){4, 5}, 3.0, NULL) == SA_OK &&
           sa_full(&i3, SA_I32, 2, (int64_t[]){5, 3}, 1.0, NULL) == SA_OK &&
           sa_full(&big, SA_F64, 2, (int64_t[]){6, 6}, 1.0, NULL) == SA_OK &&
           sa_full(&cube, SA_F64, 3, (int64_t[]){2, 5, 2}, 1.0, NULL) == SA_OK &&
           sa_full(&vec, SA_F64, 1, (int64_t[]){5}, 1.0, NULL) == SA_OK &&
           sa_full(&ints, SA_I64, 1, (int64_t[]){5}, 2.0, NULL) == SA_OK &&
           sa_eval_new(&b, "u > 0", SA_ARGS(SA_ARR("u", u))) == SA_OK &&
           sa_full(&dead, SA_F64, 1, (int64_t[]){5}, 1.0, NULL) == SA_OK &&
           sa_sum(&fut, u) == SA_OK;
  sa_future *gone = NULL;
  ok = ok && sa_sum(&gone, u) == SA_OK && sa_sync() == SA_OK;
  released = gone;
  ok = ok && sa_future_release(&gone) == SA_OK; /* released now dangles, on purpose */
  sa_array *kill = dead;
  ok = ok && sa_array_release(&kill) == SA_OK; /* dead now dangles, on purpose */
  sat_ok(ok, "set-up");
  for (int k = 0; k < NCORPUS; k++) {
    sa_status st = corpus[k].call();
    sat_status_is(st, corpus[k].code, corpus[k].name, SAT_KEYS(corpus[k].words));
  }
  /* still usable: u = u * v + 1 everywhere, sum = 20 * 7 */
  double s = 0;
  sa_future *f = NULL;
  ok = sa_eval(u, NULL, "u * v + 1", SA_ARGS(SA_ARR("u", u), SA_ARR("v", v))) == SA_OK &&
       sa_sum(&f, u) == SA_OK && sa_future_get(f, &s) == SA_OK && s == 140.0;
  sat_ok(ok, "after every refusal the library still computes (sum %g, expected 140)", s);
  ok = sa_future_release(&f) == SA_OK && sa_future_release(&fut) == SA_OK &&
       sa_array_release(&u) == SA_OK && sa_array_release(&v) == SA_OK &&
       sa_array_release(&i3) == SA_OK && sa_array_release(&big) == SA_OK &&
       sa_array_release(&cube) == SA_OK && sa_array_release(&vec) == SA_OK &&
       sa_array_release(&ints) == SA_OK && sa_array_release(&b) == SA_OK &&
       sa_finalize() == SA_OK;
  sat_ok(ok, "clean shutdown");
  return sat_done();
}
