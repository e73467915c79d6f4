/* SPDX-License-Identifier: MIT
 * Shared by the expression parser (expr.c) and code generator (exprgen.c). */
#ifndef SAI_EXPR_H
#define SAI_EXPR_H

#include "sai.h"
#include "elementwise.h"

typedef struct sai_reduce_plan sai_reduce_plan;

/* A compiled expression with its operands (views, one per name occurrence). */
typedef struct sai_expr {
  sai_ew_program prog;
  sa_dtype dtype;                          /* result dtype */
  int noperands, nconsts;
  sa_array *operands[SAI_EW_MAX_OPERANDS - 1];
  const char *texts[SAI_EW_MAX_OPERANDS - 1]; /* "u[1:-1, 2:]", for messages */
  size_t cols[SAI_EW_MAX_OPERANDS - 1];
  const sa_array *sources[SAI_EW_MAX_OPERANDS - 1]; /* the bound array */
} sai_expr;

/* N_NAME: a name as parsed, before binding turns it into N_OPERAND or N_CONST. */
enum node_kind { N_CONST, N_OPERAND, N_UNARY, N_BINARY, N_CALL, N_NAME };
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW, OP_LT, OP_LE, OP_GT,
       OP_GE, OP_EQ, OP_NE, OP_BITAND, OP_BITOR, OP_BITXOR, OP_AND, OP_OR, OP_NEG,
       OP_INVERT, OP_NOT, OP_POS };
enum { F_WHERE, F_MAXIMUM, F_MINIMUM, F_ABS, F_SQRT, F_EXP, F_LOG, F_SIN, F_COS, F_TANH,
       F_FLOOR, F_CEIL };
extern const struct sai_function {
  const char *name;
  int nargs, op_f; /* op_f: the F-kind instruction of a one-argument math function */
} sai_functions[];
#define NFUNCTIONS 12

typedef struct node {
  int kind, op, nkids, kid[3];
  sa_dtype dtype;
  int weak;            /* a C number or literal: NumPy's weak scalar */
  sa_dtype ctype;      /* the type an operation computes in */
  sai_ew_value value;  /* N_CONST */
  int operand;         /* N_OPERAND */
  size_t col;          /* 1-based column in the text */
  /* N_NAME: text offsets of the name (namelen long; with its subscript, textlen) and
   * of the subscript inside the brackets (sublen long; sub 0: none) */
  size_t name, namelen, textlen, sub, sublen;
} node;

typedef struct parser {
  const char *text, *p, *func;
  const sa_arg *args;
  node nodes[256];
  int nnodes;
  sai_expr *ex;
} parser;

typedef struct sai_gen {
  parser *ps;
  sai_ew_program *pr;
  int used[SAI_EW_MAX_REGS];
} sai_gen;

/* Parses text (once per distinct text: parsed expressions are cached), binds its
 * names to args and compiles it into ex. */
sa_status sai_expr_compile(sai_expr *ex, const char *text, const sa_arg *args,
                           const char *func);
/* Operand text[0..len) ("u[1:-1, 2:]") bound to a; sub is the subscript part. */
sa_status sai_expr_add_operand(sai_expr *ex, const sa_array *a, const char *text,
                               size_t len, const char *sub, size_t sublen, const char *func,
                               size_t col, int *index);
/* Appends src's program to dst's as extra result number dst->prog.nextra, reduced
 * with op (SAI_RED_*); src's operands move to dst (src keeps none). An operand of src
 * bound to view result (as "_") reads dst's result instead. */
sa_status sai_expr_merge(sai_expr *dst, sai_expr *src, int op, const sa_array *result,
                         const char *func);
/* sa_eval (out[index] = text) with n reductions computed in the same pass: extra[k]
 * (compiled by the caller, of the statement's shape) reduced with ops[k] into
 * plans[k]'s partials; operands bound to result (the view out[index], as "_") read
 * the statement's result. */
sa_status sai_eval_into(sa_array *out, const char *index, const char *text,
                        const sa_arg *args, int n, sai_expr *const *extra, const int *ops,
                        sai_reduce_plan *plans, const sa_array *result, const char *func);
/* Releases the operands and frees ex (NULL: nothing). */
void sai_expr_free(sai_expr *ex);
sa_status sai_gen_compile(sai_gen *g, int id, int *reg);
/* Peephole: a float + - * / whose result only the next such operation reads (loads
 * of that one's other operand may come between) becomes one instruction with it
 * (codelets/elementwise.h, SAI_EW_FUSED). */
void sai_gen_fuse(sai_ew_program *pr);
/* api_reduce.c: a future as a 0-d operand, and the dtype it has in expressions. */
sa_status sai_future_operand(sa_array **out, sa_dtype *dtype, const sa_future *fu,
                             const char *func);

/* plan.c */
sa_status sai_broadcast(const sai_expr *ex, int *ndim, int64_t *shape, const char *func,
                        const char *text);
sa_status sai_check_assign(const sa_array *out, int nd, const int64_t *shape,
                           const char *func);
sa_status sai_ew_submit(sa_array *out, sa_array *const *ops, int nops,
                        const sai_ew_program *prog, const char *name);
/* The same for a user's statement: with --sa-check-finite its output is checked
 * and `text` names it in the report. */
/* With prog->nextra, extra[k] collects the per-tile partials of extra result k. */
sa_status sai_ew_submit_checked(sa_array *out, sa_array *const *ops, int nops,
                                const sai_ew_program *prog, const char *name,
                                const char *text, sai_reduce_plan *extra);

/* Reductions along an axis: out has stride 0 along that axis and each task combines
 * (op of codelets/reduce.h) its values into out in order. */
sa_status sai_ew_submit_accumulate(sa_array *out, sa_array *const *ops, int nops,
                                   const sai_ew_program *prog, int op);

/* Reductions: the per-tile tasks write partial results into handles made by
 * sai_reduce_partial (api_reduce.c). */
struct sai_reduce_plan {
  int op;
  struct starpu_codelet *cl;
  starpu_data_handle_t *partials;
  int npartials, cap;
};
sa_status sai_reduce_partial(sai_reduce_plan *red, starpu_data_handle_t *h, int owner,
                             const char *func);
sa_status sai_reduce_tiles(const sa_array *driver, sa_array *const *ops, int nops,
                           const sai_ew_program *prog, const char *name, sai_reduce_plan *red);

#endif /* SAI_EXPR_H */
