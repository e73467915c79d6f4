/* SPDX-License-Identifier: MIT
 * What every instruction of a compiled expression means, written once: the
 * instruction set, the two computing kinds (double "F", int64 "I"), NumPy's
 * semantics for each operator. Plain C that is also CUDA C and depends on nothing but
 * convert.h, pmath.h, <stdint.h> and <math.h>: the interpreter (elementwise.c, .cu),
 * the constant folder and the kernels generated at run time (lib/jitgen.c, which
 * embeds this file) all expand it. */
#ifndef SAI_EWSEM_H
#define SAI_EWSEM_H

#include "convert.h"
#include "pmath.h"
#ifndef __CUDACC_RTC__ /* NVRTC knows the math functions without it */
#include <math.h>
#endif

/* dst = op(a, b, c); for LOAD_*, a is the operand; for CONST_*, a is the constant. */
typedef struct sai_ew_instr {
  uint8_t op, dst, a, b, c;
} sai_ew_instr;

typedef union sai_ew_value {
  double f;
  int64_t i;
} sai_ew_value;

/* ---- operator semantics: NumPy's, for double and int64 ---------------------- */

static inline SAI_HD double sai_ew_floordiv_f(double a, double b)
{
  /* numpy's npy_divmod: floor(a / b) computed through fmod, exact on ties */
  if (b == 0) return a / b;
  double mod = fmod(a, b), div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
  if (div != 0) {
    double fl = floor(div);
    return div - fl > 0.5 ? fl + 1.0 : fl;
  }
  return copysign(0.0, a / b);
}

static inline SAI_HD double sai_ew_mod_f(double a, double b)
{
  if (b == 0) return fmod(a, b);
  double mod = fmod(a, b);
  if (mod != 0) return (b < 0) != (mod < 0) ? mod + b : mod;
  return copysign(0.0, b);
}

static inline SAI_HD int64_t sai_ew_floordiv_i(int64_t a, int64_t b)
{
  if (b == 0) return 0; /* numpy: 0 (with a warning) */
  if (b == -1) return (int64_t)(0 - (uint64_t)a);
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static inline SAI_HD int64_t sai_ew_mod_i(int64_t a, int64_t b)
{
  if (b == 0 || b == -1) return 0;
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

/* Integer power by squaring, wrapping like numpy; negative exponents give 0
 * (numpy refuses them; the compiler rejects negative constant exponents). */
static inline SAI_HD int64_t sai_ew_pow_i(int64_t a, int64_t b)
{
  if (b < 0) return 0;
  uint64_t r = 1, x = (uint64_t)a;
  while (b) {
    if (b & 1) r *= x;
    x *= x;
    b >>= 1;
  }
  return (int64_t)r;
}

static inline SAI_HD double sai_ew_max_f(double a, double b)
{
  return (a >= b || a != a) ? a : b; /* NaN propagates, as numpy.maximum */
}

static inline SAI_HD double sai_ew_min_f(double a, double b)
{
  return (a <= b || a != a) ? a : b;
}


/* The functions of SA_FUNCTIONS that are libstarray's own code, NumPy's definitions:
 * sai_ew_<name>_f of doubles, sai_ew_<name>_i of int64 (TEST functions: _f only).
 * maximum/minimum let NaN through (numpy.maximum); clip is NumPy's loop for array
 * bounds (a NaN anywhere gives NaN; clip(-0.0, 0.0, 1) is 0.0); sign(-0.0) is 0.0
 * and sign(NaN) NaN; round is rint (half to even); fmod has the dividend's sign
 * (integer fmod by 0 is 0, as NumPy's). */
static inline SAI_HD double sai_ew_maximum_f(double a, double b) { return sai_ew_max_f(a, b); }
static inline SAI_HD double sai_ew_minimum_f(double a, double b) { return sai_ew_min_f(a, b); }
static inline SAI_HD int64_t sai_ew_maximum_i(int64_t a, int64_t b) { return a >= b ? a : b; }
static inline SAI_HD int64_t sai_ew_minimum_i(int64_t a, int64_t b) { return a <= b ? a : b; }
static inline SAI_HD double sai_ew_clip_f(double x, double lo, double hi)
{
  double t = (x != x || x > lo) ? x : lo;
  return (t != t || t < hi) ? t : hi;
}
static inline SAI_HD int64_t sai_ew_clip_i(int64_t x, int64_t lo, int64_t hi)
{
  int64_t t = x > lo ? x : lo;
  return t < hi ? t : hi;
}
static inline SAI_HD double sai_ew_abs_f(double a) { return fabs(a); }
static inline SAI_HD int64_t sai_ew_abs_i(int64_t a)
{
  return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}
static inline SAI_HD double sai_ew_sign_f(double a)
{
  return a > 0 ? 1.0 : a < 0 ? -1.0 : a == 0 ? 0.0 : a;
}
static inline SAI_HD int64_t sai_ew_sign_i(int64_t a) { return (a > 0) - (a < 0); }
static inline SAI_HD double sai_ew_round_f(double a) { return rint(a); }
static inline SAI_HD int64_t sai_ew_round_i(int64_t a) { return a; }
static inline SAI_HD double sai_ew_fmod_f(double a, double b) { return fmod(a, b); }
static inline SAI_HD int64_t sai_ew_fmod_i(int64_t a, int64_t b)
{
  return (b == 0 || b == -1) ? 0 : a % b;
}
/* without <math.h>'s macros, which differ between C, C++ and CUDA */
static inline SAI_HD int64_t sai_ew_isnan_f(double a) { return a != a; }
static inline SAI_HD int64_t sai_ew_isinf_f(double a)
{
  return a == a && a - a != 0;
}
static inline SAI_HD int64_t sai_ew_isfinite_f(double a) { return a - a == 0; }

/* The fused forms' statements (SAI_EW_FUSED below), which generated kernels use. */
#define SAI_EW_FUSED_L(s1, s2) SAI_D.f = (SAI_A.f s1 SAI_B.f) s2 SAI_C.f
#define SAI_EW_FUSED_R(s1, s2) SAI_D.f = SAI_C.f s2 (SAI_A.f s1 SAI_B.f)

#ifndef SAI_EW_KERNEL_SOURCE /* what kernels generated at run time do not need */
#include "starray.h" /* SA_FUNCTIONS */

/* X(name, kind of result: F or I, number of register arguments) -- the instruction
 * set: these, the fused forms below and each function's instructions (SA_FUNCTIONS
 * in starray.h: FN_<name>_F computes in double, FN_<name>_I in int64, and for a
 * float function FN_<name>_P in double with pmath.h's code: --sa-math=portable, the
 * same bits on every kind of worker; POW_P likewise). */
#define SAI_EW_OPS(X)                                                                \
  X(LOAD_F, F, 0) X(LOAD_I, I, 0) X(CONST_F, F, 0) X(CONST_I, I, 0)                  \
  X(ADD_F, F, 2) X(SUB_F, F, 2) X(MUL_F, F, 2) X(DIV_F, F, 2) X(FLOORDIV_F, F, 2)    \
  X(MOD_F, F, 2) X(POW_F, F, 2) X(POW_P, F, 2) X(NEG_F, F, 1)                        \
  X(ADD_I, I, 2) X(SUB_I, I, 2) X(MUL_I, I, 2) X(FLOORDIV_I, I, 2) X(MOD_I, I, 2)    \
  X(POW_I, I, 2) X(NEG_I, I, 1) X(AND_I, I, 2) X(OR_I, I, 2) X(XOR_I, I, 2)          \
  X(INVERT_I, I, 1) X(NOT_B, I, 1)                                                   \
  X(LT_F, I, 2) X(LE_F, I, 2) X(GT_F, I, 2) X(GE_F, I, 2) X(EQ_F, I, 2) X(NE_F, I, 2) \
  X(LT_I, I, 2) X(LE_I, I, 2) X(GT_I, I, 2) X(GE_I, I, 2) X(EQ_I, I, 2) X(NE_I, I, 2) \
  X(I2F, F, 1) X(F2I, I, 1) X(ROUND_F32, F, 1) X(WRAP_I32, I, 1) X(I2B, I, 1)        \
  X(F2B, I, 1) SAI_EW_FUSED(SAI_EW_FUSED_OP, X) SA_FUNCTIONS(SAI_EW_FN_OPS, X)

/* Each function's instructions, by its result rule. */
#define SAI_EW_FN_OPS(X, name, n, result, how) SAI_EW_FN_OPS_##result(X, name, n)
#define SAI_EW_FN_OPS_SA_FN_FLOAT(X, name, n) X(FN_##name##_F, F, n) X(FN_##name##_P, F, n)
#define SAI_EW_FN_OPS_SA_FN_TEST(X, name, n) X(FN_##name##_F, I, n)
#define SAI_EW_FN_OPS_SA_FN_SAME(X, name, n) X(FN_##name##_F, F, n) X(FN_##name##_I, I, n)
#define SAI_EW_FN_OPS_SA_FN_NUMBER SAI_EW_FN_OPS_SA_FN_SAME
#define SAI_EW_FN_OPS_SA_FN_WHERE SAI_EW_FN_OPS_SA_FN_SAME

/* Two float operations in one pass, made by the code generator's peephole
 * (sai_gen_fuse): OP1_LOP2_F is (A op1 B) op2 C and OP1_ROP2_F is C op2 (A op1 B),
 * each operation rounded as on its own (nothing may contract a*b + c into a fused
 * multiply-add: the build passes -ffp-contract=off, nvcc -fmad=false) and with the
 * operands in the statement's order (which NaN comes through depends on it).
 * Y(op1, sign1, op2, sign2, side, X). */
#define SAI_EW_FUSED(Y, X)                                                           \
  SAI_EW_FUSED1(Y, ADD, +, L, X) SAI_EW_FUSED1(Y, SUB, -, L, X)                       \
  SAI_EW_FUSED1(Y, MUL, *, L, X) SAI_EW_FUSED1(Y, DIV, /, L, X)                       \
  SAI_EW_FUSED1(Y, ADD, +, R, X) SAI_EW_FUSED1(Y, SUB, -, R, X)                       \
  SAI_EW_FUSED1(Y, MUL, *, R, X) SAI_EW_FUSED1(Y, DIV, /, R, X)
#define SAI_EW_FUSED1(Y, o2, s2, side, X)                                            \
  Y(ADD, +, o2, s2, side, X) Y(SUB, -, o2, s2, side, X) Y(MUL, *, o2, s2, side, X)    \
  Y(DIV, /, o2, s2, side, X)
#define SAI_EW_FUSED_OP(o1, s1, o2, s2, side, X) X(o1##_##side##o2##_F, F, 3)
#define SAI_EW_FUSED_SEM(o1, s1, o2, s2, side, X)                                    \
  X(o1##_##side##o2##_F, SAI_EW_FUSED_##side(s1, s2))

#define SAI_EW_ENUM(name, kind, nargs) SAI_EW_##name,
enum sai_ew_op { SAI_EW_OPS(SAI_EW_ENUM) SAI_EW_NOPS };
#undef SAI_EW_ENUM

/* Instructions that read an operand or a constant rather than registers. */
static inline SAI_HD int sai_ew_is_load(int op)
{
  return op == SAI_EW_LOAD_F || op == SAI_EW_LOAD_I;
}

static inline SAI_HD int sai_ew_is_const(int op)
{
  return op == SAI_EW_CONST_F || op == SAI_EW_CONST_I;
}


/* Each function's semantics, by its result rule: a C library function of doubles
 * and pmath.h's sai_pm_<that function> (SA_FN_FLOAT), or sai_ew_<name>_f / _i above. */
#define SAI_EW_FN_SEM(X, name, n, result, how) SAI_EW_FN_SEM_##result(X, name, n, how)
#define SAI_EW_FN_SEM_SA_FN_FLOAT(X, name, n, how)                                   \
  SAI_EW_CALL##n(X, FN_##name##_F, f, how, f)                                        \
  SAI_EW_CALL##n(X, FN_##name##_P, f, sai_pm_##how, f)
#define SAI_EW_FN_SEM_SA_FN_TEST(X, name, n, how)                                    \
  SAI_EW_CALL##n(X, FN_##name##_F, i, sai_ew_##name##_f, f)
#define SAI_EW_FN_SEM_SA_FN_SAME(X, name, n, how)                                    \
  SAI_EW_CALL##n(X, FN_##name##_F, f, sai_ew_##name##_f, f)                          \
  SAI_EW_CALL##n(X, FN_##name##_I, i, sai_ew_##name##_i, i)
#define SAI_EW_FN_SEM_SA_FN_NUMBER SAI_EW_FN_SEM_SA_FN_SAME
#define SAI_EW_FN_SEM_SA_FN_WHERE(X, name, n, how)                                   \
  X(FN_##name##_F, SAI_D.f = SAI_A.i ? SAI_B.f : SAI_C.f)                            \
  X(FN_##name##_I, SAI_D.i = SAI_A.i ? SAI_B.i : SAI_C.i)
/* op: SAI_D.k = fn(arguments' .a) */
#define SAI_EW_CALL1(X, op, k, fn, a) X(op, SAI_D.k = fn(SAI_A.a))
#define SAI_EW_CALL2(X, op, k, fn, a) X(op, SAI_D.k = fn(SAI_A.a, SAI_B.a))
#define SAI_EW_CALL3(X, op, k, fn, a) X(op, SAI_D.k = fn(SAI_A.a, SAI_B.a, SAI_C.a))

/* What each instruction does to one element, written once: SAI_D is the result,
 * SAI_A/B/C the argument registers, SAI_K the instruction's constant. The CPU
 * kernel expands this inside loops over a chunk of elements, the CUDA kernel per
 * thread. LOAD_* are not here: they read operands, which each kernel does itself. */
#define SAI_EW_SEMANTICS(X)                                                          \
  X(CONST_F, SAI_D.f = SAI_K.f)                                                      \
  X(CONST_I, SAI_D.i = SAI_K.i)                                                      \
  X(ADD_F, SAI_D.f = SAI_A.f + SAI_B.f)                                              \
  X(SUB_F, SAI_D.f = SAI_A.f - SAI_B.f)                                              \
  X(MUL_F, SAI_D.f = SAI_A.f * SAI_B.f)                                              \
  X(DIV_F, SAI_D.f = SAI_A.f / SAI_B.f)                                              \
  X(FLOORDIV_F, SAI_D.f = sai_ew_floordiv_f(SAI_A.f, SAI_B.f))                       \
  X(MOD_F, SAI_D.f = sai_ew_mod_f(SAI_A.f, SAI_B.f))                                 \
  X(POW_F, SAI_D.f = pow(SAI_A.f, SAI_B.f))                                          \
  X(POW_P, SAI_D.f = sai_pm_pow(SAI_A.f, SAI_B.f))                                   \
  X(NEG_F, SAI_D.f = -SAI_A.f)                                                       \
  X(ADD_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i + (uint64_t)SAI_B.i))               \
  X(SUB_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i - (uint64_t)SAI_B.i))               \
  X(MUL_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i * (uint64_t)SAI_B.i))               \
  X(FLOORDIV_I, SAI_D.i = sai_ew_floordiv_i(SAI_A.i, SAI_B.i))                       \
  X(MOD_I, SAI_D.i = sai_ew_mod_i(SAI_A.i, SAI_B.i))                                 \
  X(POW_I, SAI_D.i = sai_ew_pow_i(SAI_A.i, SAI_B.i))                                 \
  X(NEG_I, SAI_D.i = (int64_t)(0 - (uint64_t)SAI_A.i))                               \
  X(AND_I, SAI_D.i = SAI_A.i & SAI_B.i)                                              \
  X(OR_I, SAI_D.i = SAI_A.i | SAI_B.i)                                               \
  X(XOR_I, SAI_D.i = SAI_A.i ^ SAI_B.i)                                              \
  X(INVERT_I, SAI_D.i = ~SAI_A.i)                                                    \
  X(NOT_B, SAI_D.i = !SAI_A.i)                                                       \
  X(LT_F, SAI_D.i = SAI_A.f < SAI_B.f)                                               \
  X(LE_F, SAI_D.i = SAI_A.f <= SAI_B.f)                                              \
  X(GT_F, SAI_D.i = SAI_A.f > SAI_B.f)                                               \
  X(GE_F, SAI_D.i = SAI_A.f >= SAI_B.f)                                              \
  X(EQ_F, SAI_D.i = SAI_A.f == SAI_B.f)                                              \
  X(NE_F, SAI_D.i = SAI_A.f != SAI_B.f)                                              \
  X(LT_I, SAI_D.i = SAI_A.i < SAI_B.i)                                               \
  X(LE_I, SAI_D.i = SAI_A.i <= SAI_B.i)                                              \
  X(GT_I, SAI_D.i = SAI_A.i > SAI_B.i)                                               \
  X(GE_I, SAI_D.i = SAI_A.i >= SAI_B.i)                                              \
  X(EQ_I, SAI_D.i = SAI_A.i == SAI_B.i)                                              \
  X(NE_I, SAI_D.i = SAI_A.i != SAI_B.i)                                              \
  X(I2F, SAI_D.f = (double)SAI_A.i)                                                  \
  X(F2I, SAI_D.i = sai_f2i(SAI_A.f))                                                 \
  X(ROUND_F32, SAI_D.f = (double)(float)SAI_A.f)                                     \
  X(WRAP_I32, SAI_D.i = (int32_t)(uint32_t)(uint64_t)SAI_A.i)                        \
  X(I2B, SAI_D.i = SAI_A.i != 0)                                                     \
  X(F2B, SAI_D.i = SAI_A.f != 0)                                                     \
  SAI_EW_FUSED(SAI_EW_FUSED_SEM, X) SA_FUNCTIONS(SAI_EW_FN_SEM, X)

#endif /* SAI_EW_KERNEL_SOURCE */

#endif /* SAI_EWSEM_H */
