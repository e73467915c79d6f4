/* SPDX-License-Identifier: MIT
 * Expressions: NumPy-like text compiled into register bytecode over operand views
 * (expr.c parses and binds, exprgen.c types and generates code). */
#ifndef SAI_EXPR_H
#define SAI_EXPR_H

#include "sai.h"
#include "elementwise.h"

/* A compiled expression with its operands (views, one per name occurrence). */
typedef struct sai_expr {
  sai_ew_program prog;
  sa_dtype dtype;                          /* result dtype */
  int noperands, nconsts;
  sai_array *operands[SAI_EW_MAX_OPERANDS - 1];
  const char *texts[SAI_EW_MAX_OPERANDS - 1]; /* "u[1:-1, 2:]", for messages */
  size_t cols[SAI_EW_MAX_OPERANDS - 1];
  const sai_array *sources[SAI_EW_MAX_OPERANDS - 1]; /* the bound array */
} sai_expr;

/* Parses text, binds its names to args and compiles it into ex (exprgen.c). */
sa_status sai_expr_compile(sai_expr *ex, const char *text, const sa_arg *args,
                           const char *func);
/* ex (empty) becomes the values of a: an expression without text, for copies. */
sa_status sai_expr_load(sai_expr *ex, const sai_array *a, const char *func);
/* Completes ex's program for a store of dtype (the output's, or a reduction's
 * result): the operand table the kernels read. The planner calls it, once, just
 * before planning; nothing changes ex's operands after. */
void sai_expr_finish(sai_expr *ex, sa_dtype dtype);
/* ex's values as the input of reduction op (SAI_RED_*; mean: a sum divided by the
 * count): converts the result to what op takes (all/any: bool; a mean of integers:
 * float64) and returns the dtype NumPy gives the reduction's result. */
sa_dtype sai_expr_reduction(sai_expr *ex, int op, int mean);
/* Operand text[0..len) ("u[1:-1, 2:]") bound to a; sub is the subscript part. */
sa_status sai_expr_add_operand(sai_expr *ex, const sai_array *a, const char *text,
                               size_t len, const char *sub, size_t sublen, const char *func,
                               size_t col, int *index);
/* Appends src's program to dst's as extra result number dst->prog.nextra, reduced
 * with op (SAI_RED_*); src's operands move to dst (src keeps none). An operand of src
 * bound to view result (as "_") reads dst's result instead. */
sa_status sai_expr_merge(sai_expr *dst, sai_expr *src, int op, const sai_array *result,
                         const char *func);
/* The operand of src (program index, 0: none) bound to result, a statement's
 * result "_" of dtype: refused when subscripted or when its store converts it. */
sa_status sai_expr_result_use(const sai_expr *src, const sai_array *result, sa_dtype dtype,
                              int *sub, const char *func);
/* Releases the operands and frees ex (NULL: nothing). */
void sai_expr_free(sai_expr *ex);
/* lib/exprmemo.c: compiled expressions found again by text and bindings. _get fills
 * an empty ex and returns 1, or returns 0; _put remembers ex just compiled. */
int sai_expr_memo_get(sai_expr *ex, const char *text, const sa_arg *args);
void sai_expr_memo_put(const sai_expr *ex, const char *text, const sa_arg *args);

#endif /* SAI_EXPR_H */
