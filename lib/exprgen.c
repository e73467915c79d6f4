/* SPDX-License-Identifier: MIT
 * The expression code generator: NumPy's types (promotion, weak scalars,
 * refusals) and register bytecode for codelets/elementwise.h, from the tree the
 * parser (expr.c) built; and the programs' last steps before submission. */
#include "exprtree.h"
#include "reduce.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ types */

static const sa_dtype promote_table[SA_NDTYPES][SA_NDTYPES] = {
    /*            bool    i32     i64     f32     f64 */
    /* bool */ {SA_BOOL, SA_I32, SA_I64, SA_F32, SA_F64},
    /* i32  */ {SA_I32, SA_I32, SA_I64, SA_F64, SA_F64},
    /* i64  */ {SA_I64, SA_I64, SA_I64, SA_F64, SA_F64},
    /* f32  */ {SA_F32, SA_F64, SA_F64, SA_F32, SA_F64},
    /* f64  */ {SA_F64, SA_F64, SA_F64, SA_F64, SA_F64},
};

SA_API sa_dtype sa_result_type(sa_dtype a, sa_dtype b)
{
  if ((unsigned)a >= SA_NDTYPES || (unsigned)b >= SA_NDTYPES) return SA_F64;
  return promote_table[a][b];
}

static int is_float(sa_dtype t) { return t == SA_F32 || t == SA_F64; }

/* The generator's state: the tree it types and folds (its own copy), the program it
 * writes, which registers are in use, and whether float functions and ** compute
 * with codelets/pmath.h (--sa-math=portable) or the C library. */
typedef struct sai_gen {
  int portable;
  sai_tree *t;
  sai_expr *ex;
  sai_ew_program *pr;
  int used[SAI_EW_MAX_REGS];
} sai_gen;

static sa_status compile(sai_gen *g, int id, int *reg);

/* NumPy 2 (NEP 50) promotion: a weak scalar takes the other side's type when it
 * is of the same kind or wider (int scalar with float array, ...). */
static sa_dtype promote(const sai_node *a, const sai_node *b, int *weak)
{
  *weak = a->weak && b->weak;
  if (a->weak == b->weak) return promote_table[a->dtype][b->dtype];
  const sai_node *s = a->weak ? a : b, *x = a->weak ? b : a;
  if (is_float(s->dtype)) return is_float(x->dtype) ? x->dtype : SA_F64;
  return x->dtype == SA_BOOL ? SA_I64 : x->dtype;
}

/* ---------------------------------------------------------------- codegen */

/* Reads no register (an operand or a constant). */
static int is_load(const sai_ew_instr *in)
{
  return sai_ew_is_load(in->op) || sai_ew_is_const(in->op);
}

/* Does instruction in read register r? */
static int reads(const sai_ew_instr *in, int r)
{
  if (is_load(in)) return 0; /* a is an operand or a constant, not a register */
#define SAI_EW_ARITY(name, kind, nargs) [SAI_EW_##name] = nargs,
  static const unsigned char arity[SAI_EW_NOPS] = {SAI_EW_OPS(SAI_EW_ARITY)};
#undef SAI_EW_ARITY
  return in->a == r || (arity[in->op] > 1 && in->b == r) || (arity[in->op] > 2 && in->c == r);
}

static sa_status emit(sai_gen *g, int op, int a, int b, int c, int *dst)
{
  sa_status st = SA_OK;
  /* the lowest free register that the last computing instruction (loads aside) does
   * not read, so that it and this one can fuse (sai_gen_fuse); else the lowest free */
  const sai_ew_instr *prev = NULL;
  for (int k = g->pr->ninstr - 1; k >= 0 && !prev; k--)
    if (!is_load(&g->pr->code[k])) prev = &g->pr->code[k];
  int r = 0;
  while (r < SAI_EW_MAX_REGS && (g->used[r] || (prev && reads(prev, r)))) r++;
  if (r == SAI_EW_MAX_REGS)
    for (r = 0; r < SAI_EW_MAX_REGS && g->used[r];) r++;
  SAI_REQUIRE(r < SAI_EW_MAX_REGS && g->pr->ninstr < SAI_EW_MAX_INSTR, SA_ERR_NOT_SUPPORTED,
              "%s: expression too large to compile (more than %d registers or %d steps)",
              g->t->func, SAI_EW_MAX_REGS, SAI_EW_MAX_INSTR);
  g->pr->code[g->pr->ninstr++] = (sai_ew_instr){(uint8_t)op, (uint8_t)r, (uint8_t)a,
                                                (uint8_t)b, (uint8_t)c};
  g->used[r] = 1;
  *dst = r;
done:
  return st;
}

static void drop(sai_gen *g, int r) { g->used[r] = 0; }

/* Converts register r holding type `from` into type `to` (NumPy's astype). */
static sa_status cast(sai_gen *g, int *r, sa_dtype from, sa_dtype to)
{
  sa_status st = SA_OK;
  int op1 = -1, op2 = -1;
  if (from == to) goto done;
  if (to == SA_BOOL) op1 = is_float(from) ? SAI_EW_F2B : SAI_EW_I2B;
  else if (is_float(to)) {
    if (!is_float(from)) op1 = SAI_EW_I2F;
    if (to == SA_F32) op2 = SAI_EW_ROUND_F32;
  } else {
    if (is_float(from)) op1 = SAI_EW_F2I;
    if (to == SA_I32) op2 = SAI_EW_WRAP_I32;
  }
  for (int k = 0; k < 2; k++) {
    int op = k ? op2 : op1, d;
    if (op < 0) continue;
    SAI_CALL(emit(g, op, *r, 0, 0, &d));
    drop(g, *r);
    *r = d;
  }
done:
  return st;
}


/* Compiles kid k of n and casts it to type t. */
/* A weak integer (a literal or a bound C integer) c meets type t, as NumPy 2 does:
 * refused where it does not fit t (never wrapped), a float where t is one. */
static sa_status weak_int_as(sai_gen *g, sai_node *c, sa_dtype t)
{
  sa_status st = SA_OK;
  char num[64];
  const char *at = g->t->text + c->col - 1;
  if (c->big) snprintf(num, sizeof num, "%.*s", (int)strspn(at, "-+0123456789"), at);
  else snprintf(num, sizeof num, "%lld", (long long)c->value.i);
  int fits = c->big ? is_float(t)
             : t != SA_I32 || (c->value.i >= INT32_MIN && c->value.i <= INT32_MAX);
  SAI_REQUIRE(fits, SA_ERR_ARG, "%s: the integer %s (column %zu of \"%s\") is out of bounds "
              "for %s", g->t->func, num, c->col, g->t->text,
              c->big ? "int64" : sa_dtype_name(t));
  if (c->big) { /* a float from here on, as Python's int meets a float array */
    c->big = 0;
    c->dtype = SA_F64;
  }
done:
  return st;
}

static sa_status operand_as(sai_gen *g, const sai_node *n, int k, sa_dtype t, int *reg)
{
  sa_status st = SA_OK;
  sai_node *kid = &g->t->nodes[n->kid[k]];
  if (kid->kind == SAI_N_CONST && kid->weak && !is_float(kid->dtype))
    SAI_CALL(weak_int_as(g, kid, t));
  SAI_CALL(compile(g, n->kid[k], reg));
  SAI_CALL(cast(g, reg, g->t->nodes[n->kid[k]].dtype, t));
done:
  return st;
}

static sa_status type_error(const sai_gen *g, const sai_node *n, const char *what)
{
  sa_status st = SA_OK;
  const sai_node *a = &g->t->nodes[n->kid[0]];
  const sai_node *b = n->nkids > 1 ? &g->t->nodes[n->kid[1]] : NULL;
  SAI_FAIL(SA_ERR_DTYPE, "%s: %s is not defined for %s%s%s (column %zu of \"%s\")",
           g->t->func, what, sa_dtype_name(a->dtype), b ? " and " : "",
           b ? sa_dtype_name(b->dtype) : "", n->col, g->t->text);
done:
  return st;
}

/* Sets n->dtype and n->weak from its kids, refusing what NumPy refuses. */
static sa_status infer(sai_gen *g, int id)
{
  sa_status st = SA_OK;
  sai_node *n = &g->t->nodes[id];
  for (int k = 0; k < n->nkids; k++) SAI_CALL(infer(g, n->kid[k]));
  const sai_node *a = n->nkids ? &g->t->nodes[n->kid[0]] : NULL;
  const sai_node *b = n->nkids > 1 ? &g->t->nodes[n->kid[1]] : NULL;
  int weak = a ? a->weak : n->weak;
  if (n->kind == SAI_N_UNARY) {
    n->dtype = n->op == SAI_OP_NOT ? SA_BOOL : a->dtype;
    if (n->op == SAI_OP_NEG && a->dtype == SA_BOOL) SAI_CALL(type_error(g, n, "negation (-)"));
    if (n->op == SAI_OP_INVERT && is_float(a->dtype)) SAI_CALL(type_error(g, n, "invert (~)"));
  } else if (n->kind == SAI_N_BINARY) {
    sa_dtype t = promote(a, b, &weak);
    n->ctype = t;
    n->dtype = t;
    switch (n->op) {
    case SAI_OP_SUB:
      if (t == SA_BOOL) SAI_CALL(type_error(g, n, "subtraction (-)"));
      break;
    case SAI_OP_DIV: n->dtype = n->ctype = is_float(t) ? t : SA_F64; break;
    case SAI_OP_FLOORDIV: case SAI_OP_MOD: case SAI_OP_POW:
      if (t == SA_BOOL) SAI_CALL(type_error(g, n, "//, % and **"));
      if (n->op == SAI_OP_POW && !is_float(t) && b->kind == SAI_N_CONST && b->value.i < 0)
        SAI_FAIL(SA_ERR_ARG, "%s: integers to negative integer powers are not allowed "
                 "(column %zu of \"%s\")", g->t->func, n->col, g->t->text);
      break;
    case SAI_OP_LT: case SAI_OP_LE: case SAI_OP_GT: case SAI_OP_GE: case SAI_OP_EQ: case SAI_OP_NE:
      n->dtype = SA_BOOL;
      weak = 0;
      break;
    case SAI_OP_BITAND: case SAI_OP_BITOR: case SAI_OP_BITXOR:
      if (is_float(t)) SAI_CALL(type_error(g, n, "&, | and ^"));
      break;
    case SAI_OP_AND: case SAI_OP_OR: n->dtype = n->ctype = SA_BOOL; weak = 0; break;
    default: break;
    }
  } else if (n->kind == SAI_N_CALL) {
    const struct sai_function *fn = &sai_functions[n->op];
    sai_node t = *a; /* the arguments' promoted type (where: of its last two) */
    for (int k = fn->rule == SAI_FN_SA_FN_WHERE ? 2 : 1; k < n->nkids; k++) {
      if (k == 2 && fn->rule == SAI_FN_SA_FN_WHERE) t = g->t->nodes[n->kid[1]];
      t.dtype = promote(&t, &g->t->nodes[n->kid[k]], &t.weak);
    }
    weak = t.weak;
    n->dtype = n->ctype = t.dtype;
    if (fn->rule == SAI_FN_SA_FN_NUMBER && t.dtype == SA_BOOL) {
      char what[48];
      snprintf(what, sizeof what, "%s()", fn->name);
      SAI_CALL(type_error(g, n, what));
    }
    if (fn->rule == SAI_FN_SA_FN_FLOAT || fn->rule == SAI_FN_SA_FN_TEST)
      n->ctype = is_float(t.dtype) ? t.dtype : SA_F64;
    if (fn->rule == SAI_FN_SA_FN_FLOAT) n->dtype = n->ctype;
    if (fn->rule == SAI_FN_SA_FN_TEST) n->dtype = SA_BOOL, weak = 0;
  }
  n->weak = weak;
done:
  return st;
}

/* After an operation computed in the I or F kind, bring the value back to the
 * sai_node's dtype (float32 rounding, int32 wrap-around, bool). */
static sa_status settle(sai_gen *g, int *reg, sa_dtype t, int is_bool_arith)
{
  sa_status st = SA_OK;
  int op = t == SA_F32 ? SAI_EW_ROUND_F32 : t == SA_I32 ? SAI_EW_WRAP_I32
           : is_bool_arith ? SAI_EW_I2B : -1;
  if (op >= 0) {
    int d;
    SAI_CALL(emit(g, op, *reg, 0, 0, &d));
    drop(g, *reg);
    *reg = d;
  }
done:
  return st;
}

static sa_status compile_unary(sai_gen *g, const sai_node *n, int *reg)
{
  sa_status st = SA_OK;
  int r, f = is_float(n->dtype);
  if (n->op == SAI_OP_NOT) {
    SAI_CALL(operand_as(g, n, 0, SA_BOOL, &r));
    SAI_CALL(emit(g, SAI_EW_NOT_B, r, 0, 0, reg));
  } else {
    SAI_CALL(operand_as(g, n, 0, n->dtype, &r));
    if (n->op == SAI_OP_POS) {
      *reg = r;
      goto done;
    }
    int op = n->op == SAI_OP_NEG ? (f ? SAI_EW_NEG_F : SAI_EW_NEG_I)
             : n->dtype == SA_BOOL ? SAI_EW_NOT_B : SAI_EW_INVERT_I;
    SAI_CALL(emit(g, op, r, 0, 0, reg));
  }
  drop(g, r);
  SAI_CALL(settle(g, reg, n->dtype, 0));
done:
  return st;
}

static sa_status compile_binary(sai_gen *g, const sai_node *n, int *reg)
{
  sa_status st = SA_OK;
  static const int ops_f[] = {
      [SAI_OP_ADD] = SAI_EW_ADD_F, [SAI_OP_SUB] = SAI_EW_SUB_F, [SAI_OP_MUL] = SAI_EW_MUL_F,
      [SAI_OP_DIV] = SAI_EW_DIV_F, [SAI_OP_FLOORDIV] = SAI_EW_FLOORDIV_F, [SAI_OP_MOD] = SAI_EW_MOD_F,
      [SAI_OP_POW] = SAI_EW_POW_F, [SAI_OP_LT] = SAI_EW_LT_F, [SAI_OP_LE] = SAI_EW_LE_F,
      [SAI_OP_GT] = SAI_EW_GT_F, [SAI_OP_GE] = SAI_EW_GE_F, [SAI_OP_EQ] = SAI_EW_EQ_F,
      [SAI_OP_NE] = SAI_EW_NE_F};
  static const int ops_i[] = {
      [SAI_OP_ADD] = SAI_EW_ADD_I, [SAI_OP_SUB] = SAI_EW_SUB_I, [SAI_OP_MUL] = SAI_EW_MUL_I,
      [SAI_OP_FLOORDIV] = SAI_EW_FLOORDIV_I, [SAI_OP_MOD] = SAI_EW_MOD_I, [SAI_OP_POW] = SAI_EW_POW_I,
      [SAI_OP_LT] = SAI_EW_LT_I, [SAI_OP_LE] = SAI_EW_LE_I, [SAI_OP_GT] = SAI_EW_GT_I,
      [SAI_OP_GE] = SAI_EW_GE_I, [SAI_OP_EQ] = SAI_EW_EQ_I, [SAI_OP_NE] = SAI_EW_NE_I,
      [SAI_OP_BITAND] = SAI_EW_AND_I, [SAI_OP_BITOR] = SAI_EW_OR_I, [SAI_OP_BITXOR] = SAI_EW_XOR_I,
      [SAI_OP_AND] = SAI_EW_AND_I, [SAI_OP_OR] = SAI_EW_OR_I};
  int ra, rb;
  SAI_CALL(operand_as(g, n, 0, n->ctype, &ra));
  const sai_node *e = &g->t->nodes[n->kid[1]];
  if (n->op == SAI_OP_POW && e->kind == SAI_N_CONST) { /* NumPy's fast scalar powers */
    double x = is_float(e->dtype) ? e->value.f : (double)e->value.i;
    int f = is_float(n->ctype);
    if (x == 2 || x == 1 || (x == 0.5 && f)) {
      int op = x == 2 ? (f ? SAI_EW_MUL_F : SAI_EW_MUL_I) : SAI_EW_FN_sqrt_F;
      if (x == 1) {
        *reg = ra;
      } else {
        SAI_CALL(emit(g, op, ra, ra, 0, reg));
        drop(g, ra);
      }
      SAI_CALL(settle(g, reg, n->dtype, 0));
      goto done;
    }
  }
  SAI_CALL(operand_as(g, n, 1, n->ctype, &rb));
  int op = is_float(n->ctype) ? ops_f[n->op] : ops_i[n->op];
  if (op == SAI_EW_POW_F && g->portable) op = SAI_EW_POW_P;
  SAI_CALL(emit(g, op, ra, rb, 0, reg));
  drop(g, ra);
  drop(g, rb);
  if (n->dtype != SA_BOOL || n->op == SAI_OP_ADD || n->op == SAI_OP_MUL)
    SAI_CALL(settle(g, reg, n->dtype, n->dtype == SA_BOOL));
done:
  return st;
}

static sa_status compile_call(sai_gen *g, const sai_node *n, int *reg)
{
  sa_status st = SA_OK;
  const struct sai_function *fn = &sai_functions[n->op];
  int f = is_float(n->ctype), r[3] = {0, 0, 0};
  for (int k = 0; k < n->nkids; k++)
    SAI_CALL(operand_as(g, n, k, k == 0 && fn->rule == SAI_FN_SA_FN_WHERE ? SA_BOOL : n->ctype,
                        &r[k]));
  SAI_CALL(emit(g, !f ? fn->op_i : g->portable && fn->op_p >= 0 ? fn->op_p : fn->op_f, r[0],
                r[1], r[2], reg));
  for (int k = 0; k < n->nkids; k++) drop(g, r[k]);
  SAI_CALL(settle(g, reg, n->dtype, 0));
done:
  return st;
}

/* Whether a subtree holds only numbers (C scalars and literals). */
static int constant(const sai_gen *g, int id)
{
  const sai_node *n = &g->t->nodes[id];
  if (n->kind == SAI_N_OPERAND) return 0;
  for (int k = 0; k < n->nkids; k++)
    if (!constant(g, n->kid[k])) return 0;
  return 1;
}

/* Runs instructions [start, ninstr) once on the host -- the same semantics the
 * kernels use -- and replaces them by one constant: NumPy computes `2 * dx` or
 * `dy**2` once as a Python number, so must we (and pow per element is slow). */
static sa_status fold(sai_gen *g, int id, int start, int *reg)
{
  sa_status st = SA_OK;
  sai_ew_value r[SAI_EW_MAX_REGS] = {{0}};
  for (int k = start; k < g->pr->ninstr; k++) {
    const sai_ew_instr *in = &g->pr->code[k];
#define SAI_D r[in->dst]
#define SAI_A r[in->a]
#define SAI_B r[in->b]
#define SAI_C r[in->c]
#define SAI_K g->pr->consts[in->a]
#define SAI_CASE(name, stmt) case SAI_EW_##name: stmt; break;
    switch (in->op) {
      SAI_EW_SEMANTICS(SAI_CASE)
    default: break;
    }
#undef SAI_CASE
#undef SAI_D
#undef SAI_A
#undef SAI_B
#undef SAI_C
#undef SAI_K
  }
  sai_node *n = &g->t->nodes[id];
  n->value = r[*reg];
  n->kind = SAI_N_CONST;
  n->nkids = 0;
  g->pr->ninstr = start;
  drop(g, *reg);
  SAI_CALL(compile(g, id, reg));
done:
  return st;
}

static sa_status compile(sai_gen *g, int id, int *reg)
{
  sa_status st = SA_OK;
  sai_node *n = &g->t->nodes[id];
  switch (n->kind) {
  case SAI_N_CONST: {
    if (n->big) SAI_CALL(weak_int_as(g, n, SA_I64)); /* on its own: an int64, refused */
    int k = 0;
    while (k < g->ex->nconsts && g->pr->consts[k].i != n->value.i) k++;
    if (k == g->ex->nconsts) {
      k = g->ex->nconsts;
      SAI_REQUIRE(k < SAI_EW_MAX_CONSTS, SA_ERR_NOT_SUPPORTED,
                  "%s: more than %d constants in one expression", g->t->func,
                  SAI_EW_MAX_CONSTS);
      g->ex->nconsts++;
      g->pr->consts[k] = n->value;
    }
    SAI_CALL(emit(g, is_float(n->dtype) ? SAI_EW_CONST_F : SAI_EW_CONST_I, k, 0, 0, reg));
    break;
  }
  case SAI_N_OPERAND:
    SAI_CALL(emit(g, is_float(n->dtype) ? SAI_EW_LOAD_F : SAI_EW_LOAD_I, n->operand + 1, 0,
                  0, reg));
    break;
  default: {
    int start = g->pr->ninstr;
    if (n->kind == SAI_N_UNARY) SAI_CALL(compile_unary(g, n, reg));
    else if (n->kind == SAI_N_BINARY) SAI_CALL(compile_binary(g, n, reg));
    else SAI_CALL(compile_call(g, n, reg));
    if (constant(g, id)) SAI_CALL(fold(g, id, start, reg));
    break;
  }
  }
done:
  return st;
}



_Static_assert(SAI_EW_NOPS <= 256, "an instruction's op is a uint8_t (sai_ew_instr)");
_Static_assert(SAI_EW_DIV_RDIV_F == SAI_EW_ADD_LADD_F + 31 && SAI_EW_SUB_F == SAI_EW_ADD_F + 1 &&
                   SAI_EW_MUL_F == SAI_EW_ADD_F + 2 && SAI_EW_DIV_F == SAI_EW_ADD_F + 3,
               "the fused forms are 2 x 4 x 4, in the order of + - * /");

/* Peephole: a float + - * / whose result only the next such operation reads (loads
 * of that one's other operand may come between) becomes one instruction with it
 * (codelets/elementwise.h, SAI_EW_FUSED). */
static void fuse(sai_ew_program *pr)
{
  for (int k = 0; k + 1 < pr->ninstr; k++) {
    const sai_ew_instr x = pr->code[k];
    int t = x.dst, i1 = (int)x.op - SAI_EW_ADD_F;
    if (i1 < 0 || i1 > 3) continue;
    /* y: the next instruction but loads of y's other operand, which must leave x's
     * registers alone (y will read x's operands where it stands) */
    int n = k + 1;
    while (n < pr->ninstr && is_load(&pr->code[n]) && pr->code[n].dst != x.a &&
           pr->code[n].dst != x.b && pr->code[n].dst != t)
      n++;
    if (n == pr->ninstr) continue;
    const sai_ew_instr y = pr->code[n];
    int i2 = (int)y.op - SAI_EW_ADD_F;
    if (i2 < 0 || i2 > 3) continue;
    /* y reads x's result once, and nothing after y reads it (nor is it the program's
     * result, unless written again) */
    if ((y.a == t) == (y.b == t) || y.dst == x.a || y.dst == x.b) continue;
    int j = n + 1, live = 0;
    for (; j < pr->ninstr && !live && pr->code[j].dst != t; j++)
      live = reads(&pr->code[j], t);
    if (live || (j == pr->ninstr && t == pr->result)) continue;
    int right = y.b == t, c = right ? y.a : y.b;
    pr->code[n] = (sai_ew_instr){(uint8_t)(SAI_EW_ADD_LADD_F + 4 * (right ? 4 + i2 : i2) + i1),
                                 y.dst, x.a, x.b, (uint8_t)c};
    memmove(&pr->code[k], &pr->code[k + 1], (size_t)(pr->ninstr - k - 1) * sizeof *pr->code);
    pr->ninstr--;
  }
}

sa_status sai_expr_compile(sai_expr *ex, const char *text, const sa_arg *args,
                           const char *func)
{
  sa_status st = SA_OK;
  /* One tree per thread, reused: compiling never nests, and a 20 KiB allocation per
   * statement showed up in profiles. */
  static _Thread_local sai_tree tree;
  if (sai_expr_memo_get(ex, text, args)) return SA_OK;
  SAI_CALL(sai_tree_parse(&tree, ex, text, args, func));
  sai_gen g = {.portable = sai_rt.settings.math == SAI_MATH_PORTABLE, .t = &tree, .ex = ex,
               .pr = &ex->prog};
  ex->nconsts = 0;
  int reg;
  SAI_CALL(infer(&g, tree.root));
  SAI_CALL(compile(&g, tree.root, &reg));
  ex->prog.result = reg;
  fuse(&ex->prog);
  ex->dtype = tree.nodes[tree.root].dtype;
  ex->prog.result_kind_f = ex->dtype >= SA_F32;
  sai_expr_memo_put(ex, text, args);
done:
  return st;
}
