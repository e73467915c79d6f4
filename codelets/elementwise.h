/* SPDX-License-Identifier: MIT
 * The elementwise family: a compiled expression (register bytecode over two
 * computing kinds, double "F" and int64 "I") evaluated over boxes of tiles. The
 * meaning of every operator is defined here once, for the CPU and CUDA kernels. */
#ifndef SAI_ELEMENTWISE_H
#define SAI_ELEMENTWISE_H

#include "convert.h"
#include "sai.h"
#include <math.h>

#define SAI_EW_MAX_INSTR 128
#define SAI_EW_MAX_REGS 32
#define SAI_EW_MAX_OPERANDS 24 /* output + inputs */
#define SAI_EW_MAX_CONSTS 32
/* Elements per chunk: the CPU kernel evaluates rows in chunks of this many, and
 * reductions reduce each chunk first (the CUDA reduction follows the same chunks). */
#define SAI_EW_CHUNK 256

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

/* Reductions a statement computes in the same pass (sa_eval_reduce), at most: */
#define SAI_EW_MAX_EXTRA 4

/* The compiled expression, the same for every box of one sa_eval. */
typedef struct sai_ew_program {
  int ninstr, noperands, result; /* result register */
  int result_kind_f;             /* 1: the result register holds doubles */
  int nextra;                    /* extra results, each reduced over the statement */
  int extra_result[SAI_EW_MAX_EXTRA], extra_kind_f[SAI_EW_MAX_EXTRA];
  int extra_op[SAI_EW_MAX_EXTRA]; /* SAI_RED_* (reduce.h) */
  /* 1: the extra is a float sum of the squares of its register's values, squared as
   * they are summed (a statement's sum(x**2) without a pass storing x**2); 2: of the
   * differences of register extra_result minus register extra_minus (sum((x - y)**2)) */
  int extra_square[SAI_EW_MAX_EXTRA], extra_minus[SAI_EW_MAX_EXTRA];
  int dtype[SAI_EW_MAX_OPERANDS]; /* operand 0 is the output */
  sai_ew_instr code[SAI_EW_MAX_INSTR];
  sai_ew_value consts[SAI_EW_MAX_CONSTS];
} sai_ew_program;

/* One box: the output-index region [0, shape) (relative), and for each operand
 * the task buffer it reads and its element offset and strides in that tile. */
typedef struct sai_ew_box {
  int64_t shape[SA_MAX_NDIM];
  int64_t start[SA_MAX_NDIM]; /* where the box begins in the iteration space */
  int buffer[SAI_EW_MAX_OPERANDS];
  int64_t offset[SAI_EW_MAX_OPERANDS];
  int64_t stride[SAI_EW_MAX_OPERANDS][SA_MAX_NDIM];
} sai_ew_box;

/* A task's boxes come in regions, rectangles of the iteration space whose boxes form
 * a grid of nseg[v] segments along each dim (in C order from box `first`). A
 * reduction's task walks its regions in order and each one in C order, so that it
 * sees its values in increasing flat index (codelets/reduce.h). */
#define SAI_EW_MAX_REGIONS (2 * SA_MAX_NDIM - 1)
typedef struct sai_ew_region {
  int first, nseg[SA_MAX_NDIM];
} sai_ew_region;

/* What one task gets (STARPU_CL_ARGS): the program, then nboxes boxes. */
typedef struct sai_ew_args {
  sai_ew_program prog;
  int ndim, nboxes, nregions;
  sai_ew_region region[SAI_EW_MAX_REGIONS];
  int64_t extent[SA_MAX_NDIM]; /* the whole iteration space (flat indices for argmin) */
  int64_t range[2];            /* reductions: the flat indices [range[0], range[1]) */
  int reduce;     /* 0, or the reduction (codelets/reduce.h): no output operand */
  int accumulate; /* 0, or a reduction along an axis: out = op(out, value) */
  int64_t statement; /* > 0: --sa-check-finite is on; the statement's number */
  char text[200];    /* the statement and the user's call site, for messages */
  sai_ew_box boxes[]; /* flexible */
} sai_ew_args;

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

#ifdef __CUDACC__
/* CUDA: device pointers of a box's operands, and the expression's value at element
 * idx of the box, computed by interpreting the program (shared by the elementwise
 * and reduce kernels). */
typedef struct sai_ew_ptrs {
  char *p[SAI_EW_MAX_OPERANDS];
} sai_ew_ptrs;

static __device__ sai_ew_value sai_ew_eval_at(const sai_ew_program *pr, const sai_ew_box *box,
                                              int nd, const sai_ew_ptrs *ptr,
                                              const int64_t *idx)
{
  sai_ew_value r[SAI_EW_MAX_REGS];
  for (int k = 0; k < pr->ninstr; k++) {
    const sai_ew_instr in = pr->code[k];
    if (sai_ew_is_load(in.op)) {
      int o = in.a;
      int64_t off = box->offset[o];
      for (int v = 0; v < nd; v++) off += idx[v] * box->stride[o][v];
      if (in.op == SAI_EW_LOAD_F) r[in.dst].f = sai_load_f(ptr->p[o], off, pr->dtype[o]);
      else r[in.dst].i = sai_load_i(ptr->p[o], off, pr->dtype[o]);
      continue;
    }
#define SAI_D r[in.dst]
#define SAI_A r[in.a]
#define SAI_B r[in.b]
#define SAI_C r[in.c]
#define SAI_K pr->consts[in.a]
#define SAI_CASE(name, stmt)                                                         \
  case SAI_EW_##name: stmt; break;
    switch (in.op) {
      SAI_EW_SEMANTICS(SAI_CASE)
    default: break;
    }
#undef SAI_CASE
#undef SAI_K
#undef SAI_C
#undef SAI_B
#undef SAI_A
#undef SAI_D
  }
  return r[pr->result];
}
#endif

/* CPU kernels built for AVX-512, AVX2 and the x86-64 baseline; the loader picks
 * what the CPU has (GCC function multi-versioning), so one binary runs everywhere. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__CUDACC__)
#define SAI_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), noinline))
#else
#define SAI_CLONES
#endif

#ifdef __cplusplus
extern "C" {
#endif
/* CPU: runs every box of args. A reduction (args->reduce) gives each chunk of results
 * to sink(ctx, values, m, first) as values[0] (first = the C-order flat index of its
 * first element in the iteration space); otherwise results are stored into operand
 * 0, and with extra results (prog.nextra) sink then gets values[k] for extra k. */
typedef void (*sai_ew_sink)(void *ctx, const sai_ew_value *const *values, int m,
                            int64_t first);
/* values[SAI_EW_MAX_EXTRA + k]: extra k's extra_minus register, when it has one */
void sai_ew_run_boxes(const sai_ew_args *args, void *buffers[], sai_ew_sink sink, void *ctx);
/* The same, region by region in C order: sink sees chunks in increasing flat index. */
void sai_ew_run_flat(const sai_ew_args *args, void *buffers[], sai_ew_sink sink, void *ctx);
void sai_elementwise_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_elementwise_cl, sai_accumulate_cl;
#ifdef __cplusplus
}
#endif

#endif /* SAI_ELEMENTWISE_H */
