/* SPDX-License-Identifier: MIT
 * The expression code generator: NumPy's types (promotion, weak scalars,
 * refusals) and register bytecode for codelets/elementwise.h. */
#include "expr.h"
#include "reduce.h"

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

static sa_status compile(sai_gen *g, int id, int *reg);

/* NumPy 2 (NEP 50) promotion: a weak scalar takes the other side's type when it
 * is of the same kind or wider (int scalar with float array, ...). */
static sa_dtype promote(const node *a, const node *b, int *weak)
{
  *weak = a->weak && b->weak;
  if (a->weak == b->weak) return promote_table[a->dtype][b->dtype];
  const node *s = a->weak ? a : b, *x = a->weak ? b : a;
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
  switch (in->op) {
  case SAI_EW_NEG_F: case SAI_EW_ABS_F: case SAI_EW_SQRT_F: case SAI_EW_EXP_F:
  case SAI_EW_LOG_F: case SAI_EW_SIN_F: case SAI_EW_COS_F: case SAI_EW_TANH_F:
  case SAI_EW_FLOOR_F: case SAI_EW_CEIL_F: case SAI_EW_NEG_I: case SAI_EW_ABS_I:
  case SAI_EW_INVERT_I: case SAI_EW_NOT_B: case SAI_EW_I2F: case SAI_EW_F2I:
  case SAI_EW_ROUND_F32: case SAI_EW_WRAP_I32: case SAI_EW_I2B: case SAI_EW_F2B:
    return in->a == r;
  case SAI_EW_WHERE_F: case SAI_EW_WHERE_I:
    return in->a == r || in->b == r || in->c == r;
  default: /* binary, or a fused form (which reads c too) */
    return in->a == r || in->b == r || (in->op >= SAI_EW_ADD_LADD_F && in->c == r);
  }
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
              g->ps->func, SAI_EW_MAX_REGS, SAI_EW_MAX_INSTR);
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
static sa_status operand_as(sai_gen *g, const node *n, int k, sa_dtype t, int *reg)
{
  sa_status st = SA_OK;
  SAI_CALL(compile(g, n->kid[k], reg));
  SAI_CALL(cast(g, reg, g->ps->nodes[n->kid[k]].dtype, t));
done:
  return st;
}

static sa_status type_error(const sai_gen *g, const node *n, const char *what)
{
  sa_status st = SA_OK;
  const node *a = &g->ps->nodes[n->kid[0]];
  const node *b = n->nkids > 1 ? &g->ps->nodes[n->kid[1]] : NULL;
  SAI_FAIL(SA_ERR_DTYPE, "%s: %s is not defined for %s%s%s (column %zu of \"%s\")",
           g->ps->func, what, sa_dtype_name(a->dtype), b ? " and " : "",
           b ? sa_dtype_name(b->dtype) : "", n->col, g->ps->text);
done:
  return st;
}

/* Sets n->dtype and n->weak from its kids, refusing what NumPy refuses. */
static sa_status infer(sai_gen *g, int id)
{
  sa_status st = SA_OK;
  node *n = &g->ps->nodes[id];
  for (int k = 0; k < n->nkids; k++) SAI_CALL(infer(g, n->kid[k]));
  const node *a = n->nkids ? &g->ps->nodes[n->kid[0]] : NULL;
  const node *b = n->nkids > 1 ? &g->ps->nodes[n->kid[1]] : NULL;
  int weak = a ? a->weak : n->weak;
  if (n->kind == N_UNARY) {
    n->dtype = n->op == OP_NOT ? SA_BOOL : a->dtype;
    if (n->op == OP_NEG && a->dtype == SA_BOOL) SAI_CALL(type_error(g, n, "negation (-)"));
    if (n->op == OP_INVERT && is_float(a->dtype)) SAI_CALL(type_error(g, n, "invert (~)"));
  } else if (n->kind == N_BINARY) {
    sa_dtype t = promote(a, b, &weak);
    n->ctype = t;
    n->dtype = t;
    switch (n->op) {
    case OP_SUB:
      if (t == SA_BOOL) SAI_CALL(type_error(g, n, "subtraction (-)"));
      break;
    case OP_DIV: n->dtype = n->ctype = is_float(t) ? t : SA_F64; break;
    case OP_FLOORDIV: case OP_MOD: case OP_POW:
      if (t == SA_BOOL) SAI_CALL(type_error(g, n, "//, % and **"));
      if (n->op == OP_POW && !is_float(t) && b->kind == N_CONST && b->value.i < 0)
        SAI_FAIL(SA_ERR_ARG, "%s: integers to negative integer powers are not allowed "
                 "(column %zu of \"%s\")", g->ps->func, n->col, g->ps->text);
      break;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
      n->dtype = SA_BOOL;
      weak = 0;
      break;
    case OP_BITAND: case OP_BITOR: case OP_BITXOR:
      if (is_float(t)) SAI_CALL(type_error(g, n, "&, | and ^"));
      break;
    case OP_AND: case OP_OR: n->dtype = n->ctype = SA_BOOL; weak = 0; break;
    default: break;
    }
  } else if (n->kind == N_CALL) {
    if (n->op == F_WHERE) {
      a = &g->ps->nodes[n->kid[1]];
      b = &g->ps->nodes[n->kid[2]];
    }
    if (n->op == F_WHERE || n->op == F_MAXIMUM || n->op == F_MINIMUM) {
      n->dtype = promote(a, b, &weak);
    } else if (n->op == F_ABS) {
      n->dtype = a->dtype;
    } else {
      n->dtype = is_float(a->dtype) ? a->dtype : SA_F64;
    }
    n->ctype = n->dtype;
  }
  n->weak = weak;
done:
  return st;
}

/* After an operation computed in the I or F kind, bring the value back to the
 * node's dtype (float32 rounding, int32 wrap-around, bool). */
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

static sa_status compile_unary(sai_gen *g, const node *n, int *reg)
{
  sa_status st = SA_OK;
  int r, f = is_float(n->dtype);
  if (n->op == OP_NOT) {
    SAI_CALL(operand_as(g, n, 0, SA_BOOL, &r));
    SAI_CALL(emit(g, SAI_EW_NOT_B, r, 0, 0, reg));
  } else {
    SAI_CALL(operand_as(g, n, 0, n->dtype, &r));
    if (n->op == OP_POS) {
      *reg = r;
      goto done;
    }
    int op = n->op == OP_NEG ? (f ? SAI_EW_NEG_F : SAI_EW_NEG_I)
             : n->dtype == SA_BOOL ? SAI_EW_NOT_B : SAI_EW_INVERT_I;
    SAI_CALL(emit(g, op, r, 0, 0, reg));
  }
  drop(g, r);
  SAI_CALL(settle(g, reg, n->dtype, 0));
done:
  return st;
}

static sa_status compile_binary(sai_gen *g, const node *n, int *reg)
{
  sa_status st = SA_OK;
  static const int ops_f[] = {
      [OP_ADD] = SAI_EW_ADD_F, [OP_SUB] = SAI_EW_SUB_F, [OP_MUL] = SAI_EW_MUL_F,
      [OP_DIV] = SAI_EW_DIV_F, [OP_FLOORDIV] = SAI_EW_FLOORDIV_F, [OP_MOD] = SAI_EW_MOD_F,
      [OP_POW] = SAI_EW_POW_F, [OP_LT] = SAI_EW_LT_F, [OP_LE] = SAI_EW_LE_F,
      [OP_GT] = SAI_EW_GT_F, [OP_GE] = SAI_EW_GE_F, [OP_EQ] = SAI_EW_EQ_F,
      [OP_NE] = SAI_EW_NE_F};
  static const int ops_i[] = {
      [OP_ADD] = SAI_EW_ADD_I, [OP_SUB] = SAI_EW_SUB_I, [OP_MUL] = SAI_EW_MUL_I,
      [OP_FLOORDIV] = SAI_EW_FLOORDIV_I, [OP_MOD] = SAI_EW_MOD_I, [OP_POW] = SAI_EW_POW_I,
      [OP_LT] = SAI_EW_LT_I, [OP_LE] = SAI_EW_LE_I, [OP_GT] = SAI_EW_GT_I,
      [OP_GE] = SAI_EW_GE_I, [OP_EQ] = SAI_EW_EQ_I, [OP_NE] = SAI_EW_NE_I,
      [OP_BITAND] = SAI_EW_AND_I, [OP_BITOR] = SAI_EW_OR_I, [OP_BITXOR] = SAI_EW_XOR_I,
      [OP_AND] = SAI_EW_AND_I, [OP_OR] = SAI_EW_OR_I};
  int ra, rb;
  SAI_CALL(operand_as(g, n, 0, n->ctype, &ra));
  const node *e = &g->ps->nodes[n->kid[1]];
  if (n->op == OP_POW && e->kind == N_CONST) { /* NumPy's fast scalar powers */
    double x = is_float(e->dtype) ? e->value.f : (double)e->value.i;
    int f = is_float(n->ctype);
    if (x == 2 || x == 1 || (x == 0.5 && f)) {
      int op = x == 2 ? (f ? SAI_EW_MUL_F : SAI_EW_MUL_I) : SAI_EW_SQRT_F;
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
  SAI_CALL(emit(g, is_float(n->ctype) ? ops_f[n->op] : ops_i[n->op], ra, rb, 0, reg));
  drop(g, ra);
  drop(g, rb);
  if (n->dtype != SA_BOOL || n->op == OP_ADD || n->op == OP_MUL)
    SAI_CALL(settle(g, reg, n->dtype, n->dtype == SA_BOOL));
done:
  return st;
}

static sa_status compile_call(sai_gen *g, const node *n, int *reg)
{
  sa_status st = SA_OK;
  int f = is_float(n->dtype), r[3] = {0, 0, 0};
  switch (n->op) {
  case F_WHERE:
    SAI_CALL(operand_as(g, n, 0, SA_BOOL, &r[0]));
    SAI_CALL(operand_as(g, n, 1, n->dtype, &r[1]));
    SAI_CALL(operand_as(g, n, 2, n->dtype, &r[2]));
    SAI_CALL(emit(g, f ? SAI_EW_WHERE_F : SAI_EW_WHERE_I, r[0], r[1], r[2], reg));
    break;
  case F_MAXIMUM: case F_MINIMUM:
    SAI_CALL(operand_as(g, n, 0, n->dtype, &r[0]));
    SAI_CALL(operand_as(g, n, 1, n->dtype, &r[1]));
    SAI_CALL(emit(g, n->op == F_MAXIMUM ? (f ? SAI_EW_MAX_F : SAI_EW_MAX_I)
                                        : (f ? SAI_EW_MIN_F : SAI_EW_MIN_I),
                  r[0], r[1], 0, reg));
    break;
  case F_ABS:
    SAI_CALL(operand_as(g, n, 0, n->dtype, &r[0]));
    SAI_CALL(emit(g, f ? SAI_EW_ABS_F : SAI_EW_ABS_I, r[0], 0, 0, reg));
    break;
  default:
    SAI_CALL(operand_as(g, n, 0, n->dtype, &r[0]));
    SAI_CALL(emit(g, sai_functions[n->op].op_f, r[0], 0, 0, reg));
    break;
  }
  for (int k = 0; k < n->nkids; k++) drop(g, r[k]);
  SAI_CALL(settle(g, reg, n->dtype, 0));
done:
  return st;
}

/* Whether a subtree holds only numbers (C scalars and literals). */
static int constant(const sai_gen *g, int id)
{
  const node *n = &g->ps->nodes[id];
  if (n->kind == N_OPERAND) return 0;
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
  node *n = &g->ps->nodes[id];
  n->value = r[*reg];
  n->kind = N_CONST;
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
  node *n = &g->ps->nodes[id];
  switch (n->kind) {
  case N_CONST: {
    int k = 0;
    while (k < g->ps->ex->nconsts && g->pr->consts[k].i != n->value.i) k++;
    if (k == g->ps->ex->nconsts) {
      k = g->ps->ex->nconsts;
      SAI_REQUIRE(k < SAI_EW_MAX_CONSTS, SA_ERR_NOT_SUPPORTED,
                  "%s: more than %d constants in one expression", g->ps->func,
                  SAI_EW_MAX_CONSTS);
      g->ps->ex->nconsts++;
      g->pr->consts[k] = n->value;
    }
    SAI_CALL(emit(g, is_float(n->dtype) ? SAI_EW_CONST_F : SAI_EW_CONST_I, k, 0, 0, reg));
    break;
  }
  case N_OPERAND:
    SAI_CALL(emit(g, is_float(n->dtype) ? SAI_EW_LOAD_F : SAI_EW_LOAD_I, n->operand + 1, 0,
                  0, reg));
    break;
  default: {
    int start = g->pr->ninstr;
    if (n->kind == N_UNARY) SAI_CALL(compile_unary(g, n, reg));
    else if (n->kind == N_BINARY) SAI_CALL(compile_binary(g, n, reg));
    else SAI_CALL(compile_call(g, n, reg));
    if (constant(g, id)) SAI_CALL(fold(g, id, start, reg));
    break;
  }
  }
done:
  return st;
}


sa_status sai_gen_compile(sai_gen *g, int id, int *reg)
{
  sa_status st = SA_OK;
  SAI_CALL(infer(g, id));
  SAI_CALL(compile(g, id, reg));
done:
  return st;
}

/* The highest register an instruction of pr writes, plus one. */
static int registers_used(const sai_ew_program *pr)
{
  int n = 0;
  for (int k = 0; k < pr->ninstr; k++)
    if (pr->code[k].dst + 1 > n) n = pr->code[k].dst + 1;
  return n;
}

_Static_assert(SAI_EW_DIV_RDIV_F == SAI_EW_ADD_LADD_F + 31 && SAI_EW_SUB_F == SAI_EW_ADD_F + 1 &&
                   SAI_EW_MUL_F == SAI_EW_ADD_F + 2 && SAI_EW_DIV_F == SAI_EW_ADD_F + 3,
               "the fused forms are 2 x 4 x 4, in the order of + - * /");

void sai_gen_fuse(sai_ew_program *pr)
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

sa_status sai_expr_merge(sai_expr *dst, sai_expr *src, int op, const sa_array *result,
                         const char *func)
{
  sa_status st = SA_OK;
  sai_ew_program *d = &dst->prog;
  const sai_ew_program *s = &src->prog;
  int roff = registers_used(d), ooff = dst->noperands, coff = dst->nconsts;
  int sub = 0; /* src's operand (program index) that is the statement's result, "_" */
  for (int k = 0; k < src->noperands; k++)
    if (result && src->sources[k] == result) {
      const char *t = src->texts[k];
      SAI_REQUIRE(t[0] == '_' && strspn(t + 1, " \t") == strlen(t + 1), SA_ERR_NOT_SUPPORTED,
                  "%s: '%s': the statement's result '_' cannot be subscripted", func,
                  src->texts[k]);
      SAI_REQUIRE(dst->dtype == result->base->dtype, SA_ERR_NOT_SUPPORTED,
                  "%s: '_' (the statement's result, %s) is stored as %s; reductions read "
                  "it only when no conversion is needed", func, sa_dtype_name(dst->dtype),
                  sa_dtype_name(result->base->dtype));
      sub = k + 1;
    }
  int moved = src->noperands - (sub ? 1 : 0);
  SAI_REQUIRE(d->nextra < SAI_EW_MAX_EXTRA && roff + registers_used(s) <= SAI_EW_MAX_REGS &&
                  d->ninstr + s->ninstr <= SAI_EW_MAX_INSTR &&
                  coff + src->nconsts <= SAI_EW_MAX_CONSTS &&
                  ooff + moved <= SAI_EW_MAX_OPERANDS - 1,
              SA_ERR_NOT_SUPPORTED,
              "%s: the statement and its reductions are too large to compute together (at "
              "most %d reductions, %d registers, %d instructions, %d operands)", func,
              SAI_EW_MAX_EXTRA, SAI_EW_MAX_REGS, SAI_EW_MAX_INSTR, SAI_EW_MAX_OPERANDS - 1);
  /* src's registers, operands and constants move up; loads of "_" become reads of
   * the statement's result register while src's register still holds them */
  int is_result[SAI_EW_MAX_REGS] = {0};
#define SAI_REG(r) ((uint8_t)(is_result[r] ? d->result : (r) + roff))
  for (int k = 0; k < s->ninstr; k++) {
    sai_ew_instr in = s->code[k], o = in;
    if (sai_ew_is_load(in.op)) {
      if (sub && in.a == sub) {
        is_result[in.dst] = 1;
        continue;
      }
      o.a = (uint8_t)(in.a + ooff - (sub && in.a > sub ? 1 : 0));
    } else if (sai_ew_is_const(in.op)) {
      o.a = (uint8_t)(in.a + coff);
    } else {
      o.a = SAI_REG(in.a);
      o.b = SAI_REG(in.b);
      o.c = SAI_REG(in.c);
    }
    o.dst = (uint8_t)(in.dst + roff);
    is_result[in.dst] = 0;
    d->code[d->ninstr++] = o;
  }
  for (int k = 0; k < src->nconsts; k++) d->consts[coff + k] = s->consts[k];
  dst->nconsts += src->nconsts;
  for (int k = 0, j = ooff; k < src->noperands; k++) { /* dst now owns them */
    if (k + 1 == sub) {
      sai_release(&src->operands[k]);
      free((void *)src->texts[k]);
      continue;
    }
    dst->operands[j] = src->operands[k];
    dst->texts[j] = src->texts[k];
    dst->cols[j] = src->cols[k];
    dst->sources[j] = src->sources[k];
    d->dtype[1 + j] = s->dtype[1 + k];
    j++;
  }
  dst->noperands += moved;
  d->noperands += moved;
  src->noperands = 0;
  /* sum(x**2): the kernel squares x as it sums, one pass over the chunk fewer (x's
   * register is not written after the square, which was src's last instruction);
   * sum((x - y)**2), the subtraction just before: it subtracts too, two passes fewer.
   * src's instructions are checked, not dst's: a load of "_" is not copied. */
  const sai_ew_instr *tail = s->ninstr ? &s->code[s->ninstr - 1] : NULL;
  const sai_ew_instr *minus = s->ninstr > 1 ? &s->code[s->ninstr - 2] : NULL;
  int square = op == SAI_RED_SUM && s->result_kind_f && tail && tail->dst == s->result &&
               tail->op == SAI_EW_MUL_F && tail->a == tail->b;
  if (square && minus && minus->op == SAI_EW_SUB_F && minus->dst == tail->a) square = 2;
  const sai_ew_instr *last = square ? &d->code[d->ninstr - square] : NULL; /* copies */
  d->ninstr -= square;
  d->extra_result[d->nextra] = square ? last->a : SAI_REG(s->result);
  d->extra_minus[d->nextra] = square == 2 ? last->b : 0;
#undef SAI_REG
  d->extra_square[d->nextra] = square;
  d->extra_kind_f[d->nextra] = s->result_kind_f;
  d->extra_op[d->nextra] = op;
  d->nextra++;
done:
  return st;
}
