/* SPDX-License-Identifier: MIT
 * Compiled programs after code generation: a copy's program, the reductions' view
 * of a result, a statement's extra results merged in (sa_eval_reduce), and the
 * operand table completed just before planning. */
#include "expr.h"
#include "reduce.h"

#include <stdlib.h>
#include <string.h>

/* The highest register an instruction of pr writes, plus one. */
static int registers_used(const sai_ew_program *pr)
{
  int n = 0;
  for (int k = 0; k < pr->ninstr; k++)
    if (pr->code[k].dst + 1 > n) n = pr->code[k].dst + 1;
  return n;
}

sa_status sai_expr_load(sai_expr *ex, const sai_array *a, const char *func)
{
  sa_status st = SA_OK;
  int k;
  SAI_CALL(sai_expr_add_operand(ex, a, "a", 1, NULL, 0, func, 1, &k));
  ex->dtype = a->base->dtype;
  ex->prog.result_kind_f = ex->dtype >= SA_F32;
  ex->prog.code[0] = (sai_ew_instr){(uint8_t)(ex->prog.result_kind_f ? SAI_EW_LOAD_F
                                                                      : SAI_EW_LOAD_I),
                                    0, (uint8_t)(k + 1), 0, 0};
  ex->prog.ninstr = 1;
  ex->prog.result = 0;
done:
  return st;
}

void sai_expr_finish(sai_expr *ex, sa_dtype dtype)
{
  ex->prog.dtype[0] = (int)dtype;
  ex->prog.noperands = ex->noperands + 1;
  for (int k = 0; k < ex->noperands; k++)
    ex->prog.dtype[k + 1] = (int)ex->operands[k]->base->dtype;
}

/* Appends a conversion of the result register (only it is live at the end). */
static void retype_result(sai_ew_program *pr, int op)
{
  int dst = pr->result == 0 ? 1 : 0;
  pr->code[pr->ninstr++] = (sai_ew_instr){(uint8_t)op, (uint8_t)dst, (uint8_t)pr->result, 0, 0};
  pr->result = dst;
  pr->result_kind_f = op == SAI_EW_I2F;
}

sa_dtype sai_expr_reduction(sai_expr *ex, int op, int mean)
{
  sai_ew_program *pr = &ex->prog;
  sa_dtype t = ex->dtype;
  if (op >= SAI_RED_ARGMIN) return SA_I64; /* the flat C-order index */
  if (op >= SAI_RED_ALL) {
    retype_result(pr, pr->result_kind_f ? SAI_EW_F2B : SAI_EW_I2B);
    return SA_BOOL;
  }
  if (mean) {
    if (!pr->result_kind_f) retype_result(pr, SAI_EW_I2F);
    return t == SA_F32 ? SA_F32 : SA_F64;
  }
  return (op <= SAI_RED_PROD && t <= SA_I64) ? SA_I64 : t;
}

sa_status sai_expr_result_use(const sai_expr *src, const sai_array *result, sa_dtype dtype,
                              int *sub, const char *func)
{
  sa_status st = SA_OK;
  *sub = 0;
  for (int k = 0; k < src->noperands; k++)
    if (result && src->sources[k] == result) {
      const char *t = src->texts[k];
      SAI_REQUIRE(t[0] == '_' && strspn(t + 1, " \t") == strlen(t + 1), SA_ERR_NOT_SUPPORTED,
                  "%s: '%s': the statement's result '_' cannot be subscripted", func,
                  src->texts[k]);
      SAI_REQUIRE(dtype == result->base->dtype, SA_ERR_NOT_SUPPORTED,
                  "%s: '_' (the statement's result, %s) is stored as %s; reductions read "
                  "it only when no conversion is needed", func, sa_dtype_name(dtype),
                  sa_dtype_name(result->base->dtype));
      *sub = k + 1;
    }
done:
  return st;
}

/* Appends src's instructions to d with registers moved up by roff, operands by ooff
 * (operand sub, "_", left out) and constants by coff; loads of "_" become reads of
 * d's result register while src's register still holds them. Returns the register
 * src's result is now in. */
static int move_code(sai_ew_program *d, const sai_ew_program *s, int roff, int ooff, int coff,
                     int sub)
{
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
  return SAI_REG(s->result);
#undef SAI_REG
}

/* src's operands but "_" (sub) move to dst, which owns them from here on. */
static void move_operands(sai_expr *dst, sai_expr *src, int sub)
{
  for (int k = 0, j = dst->noperands; k < src->noperands; k++) {
    if (k + 1 == sub) {
      sai_release(&src->operands[k]);
      free((void *)src->texts[k]);
      continue;
    }
    dst->operands[j] = src->operands[k];
    dst->texts[j] = src->texts[k];
    dst->cols[j] = src->cols[k];
    dst->sources[j] = src->sources[k];
    j++;
  }
  dst->noperands += src->noperands - (sub ? 1 : 0);
  src->noperands = 0;
}

/* sum(x**2): the kernel squares x as it sums, one pass over the chunk fewer (x's
 * register is not written after the square, which was src's last instruction);
 * sum((x - y)**2), the subtraction just before: it subtracts too, two passes fewer.
 * Returns 0, 1 (x**2) or 2 ((x - y)**2), judged on src's instructions, not d's (a
 * load of "_" is not copied). */
static int square_form(const sai_ew_program *s, int op)
{
  const sai_ew_instr *tail = s->ninstr ? &s->code[s->ninstr - 1] : NULL;
  const sai_ew_instr *minus = s->ninstr > 1 ? &s->code[s->ninstr - 2] : NULL;
  int square = op == SAI_RED_SUM && s->result_kind_f && tail && tail->dst == s->result &&
               tail->op == SAI_EW_MUL_F && tail->a == tail->b;
  if (square && minus && minus->op == SAI_EW_SUB_F && minus->dst == tail->a) square = 2;
  return square;
}

sa_status sai_expr_merge(sai_expr *dst, sai_expr *src, int op, const sai_array *result,
                         const char *func)
{
  sa_status st = SA_OK;
  sai_ew_program *d = &dst->prog;
  const sai_ew_program *s = &src->prog;
  int roff = registers_used(d), ooff = dst->noperands, coff = dst->nconsts, sub;
  SAI_CALL(sai_expr_result_use(src, result, dst->dtype, &sub, func));
  int moved = src->noperands - (sub ? 1 : 0);
  SAI_REQUIRE(d->nextra < SAI_EW_MAX_EXTRA && roff + registers_used(s) <= SAI_EW_MAX_REGS &&
                  d->ninstr + s->ninstr <= SAI_EW_MAX_INSTR &&
                  coff + src->nconsts <= SAI_EW_MAX_CONSTS &&
                  ooff + moved <= SAI_EW_MAX_OPERANDS - 1,
              SA_ERR_NOT_SUPPORTED,
              "%s: the statement and its reductions are too large to compute together (at "
              "most %d reductions, %d registers, %d instructions, %d operands)", func,
              SAI_EW_MAX_EXTRA, SAI_EW_MAX_REGS, SAI_EW_MAX_INSTR, SAI_EW_MAX_OPERANDS - 1);
  int res = move_code(d, s, roff, ooff, coff, sub);
  for (int k = 0; k < src->nconsts; k++) d->consts[coff + k] = s->consts[k];
  dst->nconsts += src->nconsts;
  move_operands(dst, src, sub);
  int square = square_form(s, op);
  const sai_ew_instr *last = square ? &d->code[d->ninstr - square] : NULL; /* copies */
  d->ninstr -= square;
  d->extra_result[d->nextra] = square ? last->a : res;
  d->extra_minus[d->nextra] = square == 2 ? last->b : 0;
  d->extra_square[d->nextra] = square;
  d->extra_kind_f[d->nextra] = s->result_kind_f;
  d->extra_op[d->nextra] = op;
  d->nextra++;
done:
  return st;
}
