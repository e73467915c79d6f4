/* SPDX-License-Identifier: MIT
 * What every instruction of a compiled expression means, written once: the
 * instruction set, the two computing kinds (double "F", int64 "I"), NumPy's
 * semantics for each operator. Plain C that is also CUDA C and depends on nothing but
 * convert.h, <stdint.h> and <math.h>: the interpreter (elementwise.c, .cu), the
 * constant folder and the kernels generated at run time (lib/jitgen.c, which embeds
 * this file) all expand it. */
#ifndef SAI_EWSEM_H
#define SAI_EWSEM_H

#include "convert.h"
#ifndef __CUDACC_RTC__ /* NVRTC knows the math functions without it */
#include <math.h>
#endif

/* X(name, kind of result: F or I) -- the instruction set. */
#define SAI_EW_OPS(X)                                                                \
  X(LOAD_F, F) X(LOAD_I, I) X(CONST_F, F) X(CONST_I, I)                              \
  X(ADD_F, F) X(SUB_F, F) X(MUL_F, F) X(DIV_F, F) X(FLOORDIV_F, F) X(MOD_F, F)       \
  X(POW_F, F) X(NEG_F, F) X(MAX_F, F) X(MIN_F, F) X(ABS_F, F) X(SQRT_F, F)           \
  X(EXP_F, F) X(LOG_F, F) X(SIN_F, F) X(COS_F, F) X(TANH_F, F) X(FLOOR_F, F)         \
  X(CEIL_F, F) X(WHERE_F, F)                                                         \
  X(ADD_I, I) X(SUB_I, I) X(MUL_I, I) X(FLOORDIV_I, I) X(MOD_I, I) X(POW_I, I)       \
  X(NEG_I, I) X(MAX_I, I) X(MIN_I, I) X(ABS_I, I) X(WHERE_I, I) X(AND_I, I)          \
  X(OR_I, I) X(XOR_I, I) X(INVERT_I, I) X(NOT_B, I)                                  \
  X(LT_F, I) X(LE_F, I) X(GT_F, I) X(GE_F, I) X(EQ_F, I) X(NE_F, I)                  \
  X(LT_I, I) X(LE_I, I) X(GT_I, I) X(GE_I, I) X(EQ_I, I) X(NE_I, I)                  \
  X(I2F, F) X(F2I, I) X(ROUND_F32, F) X(WRAP_I32, I) X(I2B, I) X(F2B, I)              \
  SAI_EW_FUSED(SAI_EW_FUSED_OP, X)

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
#define SAI_EW_FUSED_OP(o1, s1, o2, s2, side, X) X(o1##_##side##o2##_F, F)
#define SAI_EW_FUSED_SEM(o1, s1, o2, s2, side, X)                                    \
  X(o1##_##side##o2##_F, SAI_EW_FUSED_##side(s1, s2))
#define SAI_EW_FUSED_L(s1, s2) SAI_D.f = (SAI_A.f s1 SAI_B.f) s2 SAI_C.f
#define SAI_EW_FUSED_R(s1, s2) SAI_D.f = SAI_C.f s2 (SAI_A.f s1 SAI_B.f)

#define SAI_EW_ENUM(name, kind) SAI_EW_##name,
enum sai_ew_op { SAI_EW_OPS(SAI_EW_ENUM) SAI_EW_NOPS };
#undef SAI_EW_ENUM

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

/* Instructions that read an operand or a constant rather than registers. */
static inline SAI_HD int sai_ew_is_load(int op)
{
  return op == SAI_EW_LOAD_F || op == SAI_EW_LOAD_I;
}

static inline SAI_HD int sai_ew_is_const(int op)
{
  return op == SAI_EW_CONST_F || op == SAI_EW_CONST_I;
}

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
  X(NEG_F, SAI_D.f = -SAI_A.f)                                                       \
  X(MAX_F, SAI_D.f = sai_ew_max_f(SAI_A.f, SAI_B.f))                                 \
  X(MIN_F, SAI_D.f = sai_ew_min_f(SAI_A.f, SAI_B.f))                                 \
  X(ABS_F, SAI_D.f = fabs(SAI_A.f))                                                  \
  X(SQRT_F, SAI_D.f = sqrt(SAI_A.f))                                                 \
  X(EXP_F, SAI_D.f = exp(SAI_A.f))                                                   \
  X(LOG_F, SAI_D.f = log(SAI_A.f))                                                   \
  X(SIN_F, SAI_D.f = sin(SAI_A.f))                                                   \
  X(COS_F, SAI_D.f = cos(SAI_A.f))                                                   \
  X(TANH_F, SAI_D.f = tanh(SAI_A.f))                                                 \
  X(FLOOR_F, SAI_D.f = floor(SAI_A.f))                                               \
  X(CEIL_F, SAI_D.f = ceil(SAI_A.f))                                                 \
  X(WHERE_F, SAI_D.f = SAI_A.i ? SAI_B.f : SAI_C.f)                                  \
  X(ADD_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i + (uint64_t)SAI_B.i))               \
  X(SUB_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i - (uint64_t)SAI_B.i))               \
  X(MUL_I, SAI_D.i = (int64_t)((uint64_t)SAI_A.i * (uint64_t)SAI_B.i))               \
  X(FLOORDIV_I, SAI_D.i = sai_ew_floordiv_i(SAI_A.i, SAI_B.i))                       \
  X(MOD_I, SAI_D.i = sai_ew_mod_i(SAI_A.i, SAI_B.i))                                 \
  X(POW_I, SAI_D.i = sai_ew_pow_i(SAI_A.i, SAI_B.i))                                 \
  X(NEG_I, SAI_D.i = (int64_t)(0 - (uint64_t)SAI_A.i))                               \
  X(MAX_I, SAI_D.i = SAI_A.i >= SAI_B.i ? SAI_A.i : SAI_B.i)                         \
  X(MIN_I, SAI_D.i = SAI_A.i <= SAI_B.i ? SAI_A.i : SAI_B.i)                         \
  X(ABS_I, SAI_D.i = SAI_A.i < 0 ? (int64_t)(0 - (uint64_t)SAI_A.i) : SAI_A.i)       \
  X(WHERE_I, SAI_D.i = SAI_A.i ? SAI_B.i : SAI_C.i)                                  \
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
  SAI_EW_FUSED(SAI_EW_FUSED_SEM, X)

#endif /* SAI_EWSEM_H */
