/* SPDX-License-Identifier: MIT
 * The syntax tree of an expression, shared by the parser (expr.c), which builds
 * and binds it, and the code generator (exprgen.c), which types and compiles it.
 * Nothing else includes this file. */
#ifndef SAI_EXPRTREE_H
#define SAI_EXPRTREE_H

#include "expr.h"

/* SAI_N_NAME: a name as parsed, before binding turns it into SAI_N_OPERAND or
 * SAI_N_CONST. */
enum { SAI_N_CONST, SAI_N_OPERAND, SAI_N_UNARY, SAI_N_BINARY, SAI_N_CALL, SAI_N_NAME };
enum { SAI_OP_ADD, SAI_OP_SUB, SAI_OP_MUL, SAI_OP_DIV, SAI_OP_FLOORDIV, SAI_OP_MOD,
       SAI_OP_POW, SAI_OP_LT, SAI_OP_LE, SAI_OP_GT, SAI_OP_GE, SAI_OP_EQ, SAI_OP_NE,
       SAI_OP_BITAND, SAI_OP_BITOR, SAI_OP_BITXOR, SAI_OP_AND, SAI_OP_OR, SAI_OP_NEG,
       SAI_OP_INVERT, SAI_OP_NOT, SAI_OP_POS };
/* The functions of SA_FUNCTIONS (starray.h): SAI_F_<name>, and what the parser and
 * the code generator need of each. */
#define SAI_F_ENUM(P, name, nargs, result, how) SAI_F_##name,
enum { SA_FUNCTIONS(SAI_F_ENUM, ) SAI_NFUNCTIONS };
#undef SAI_F_ENUM
enum { SAI_FN_SA_FN_FLOAT, SAI_FN_SA_FN_SAME, SAI_FN_SA_FN_NUMBER, SAI_FN_SA_FN_TEST,
       SAI_FN_SA_FN_WHERE };
extern const struct sai_function {
  const char *name;
  int nargs, rule; /* rule: SAI_FN_SA_FN_<result> */
  int op_f, op_i;  /* instructions computing in double and in int64 (-1: none) */
  int op_p;        /* SA_FN_FLOAT: op_f's portable twin (--sa-math=portable); else -1 */
} sai_functions[SAI_NFUNCTIONS];

typedef struct sai_node {
  int kind, op, nkids, kid[3];
  sa_dtype dtype;
  int weak;            /* a C number or literal: NumPy's weak scalar */
  int big;             /* an integer literal beyond int64: its value in value.f */
  sa_dtype ctype;      /* the type an operation computes in */
  sai_ew_value value;  /* SAI_N_CONST */
  int operand;         /* SAI_N_OPERAND */
  size_t col;          /* 1-based column in the text */
  /* SAI_N_NAME: text offsets of the name (namelen long; with its subscript,
   * textlen) and of the subscript inside the brackets (sublen long; sub 0: none) */
  size_t name, namelen, textlen, sub, sublen;
} sai_node;

#define SAI_TREE_MAX 256
#define SAI_MAX_NESTING 200 /* parentheses, calls and prefix operators, as Python's */
typedef struct sai_tree {
  const char *text, *func; /* the expression; the public function, for messages */
  sai_node nodes[SAI_TREE_MAX];
  int nnodes, root;
} sai_tree;

/* Parses text into t (once per distinct text: trees are cached by text) and binds
 * its names to args, adding the arrays and futures it names to ex's operands. */
sa_status sai_tree_parse(sai_tree *t, sai_expr *ex, const char *text, const sa_arg *args,
                         const char *func);

#endif /* SAI_EXPRTREE_H */
