/* SPDX-License-Identifier: MIT
 * Statements compiled to native code at run time: the kernel generator
 * (jitgen.c) and the compiler, cache and lookup (jit.c). A compiled kernel evaluates
 * one row of a box; the CPU codelet runs it where one is ready and interprets the
 * program otherwise, with the same bits. */
#ifndef SAI_JIT_H
#define SAI_JIT_H

#include "elementwise.h"

/* What a kernel is specialised for, per operand: its inner stride. */
enum { SAI_JIT_ANY, SAI_JIT_UNIT, SAI_JIT_ZERO };

/* What a kernel does with the values it computes. */
enum {
  SAI_JIT_STORE, /* into operand 0 (sa_eval) */
  SAI_JIT_VALUES, /* into res[j] (a reduction's chunk; no output operand) */
  SAI_JIT_EXTRAS  /* into operand 0, and each extra result's values into res (below) */
};

/* EXTRAS: a call covers up to SAI_JIT_SPAN elements of a row (several of the
 * reductions' chunks: the loads stream on without waiting for the sums in between),
 * and writes extra result k's values at SAI_JIT_EXTRA_AT(k) + j of res and, for an
 * extra of squared differences, its extra_minus register's at SAI_JIT_MINUS_AT(k) + j
 * (the order the extras' sink takes them in; each buffer 64 bytes longer than its
 * values, against 4K aliasing). */
#define SAI_JIT_SPAN 2048
#define SAI_JIT_EXTRA_AT(k) ((k) * (SAI_JIT_SPAN + 8))
#define SAI_JIT_MINUS_AT(k) ((SAI_EW_MAX_EXTRA + (k)) * (SAI_JIT_SPAN + 8))
#define SAI_JIT_EXTRAS_SIZE (2 * SAI_EW_MAX_EXTRA * (SAI_JIT_SPAN + 8))
/* EXTRAS with every extra a float sum (sig.fold): the caller puts at SAI_JIT_FOLD_AT
 * of res where the chunks it wants folded begin (j0, a row index at a chunk boundary
 * of the reductions' flat index) and how many (nch); the kernel writes the values of
 * [0, j0) and [j0 + nch * SAI_EW_CHUNK, n) as above, and of chunk c only extra k's
 * 8 accumulators, at SAI_JIT_ACC_AT(k, c) + q: value j of the chunk added to
 * accumulator j % 8, in order -- the reductions' chunk sum itself (codelets/reduce.c),
 * without a second pass over the values. */
#define SAI_JIT_FOLD_AT SAI_JIT_EXTRAS_SIZE
#define SAI_JIT_SPAN_CHUNKS (SAI_JIT_SPAN / SAI_EW_CHUNK)
#define SAI_JIT_ACC_AT(k, c) (SAI_JIT_FOLD_AT + 2 + ((k) * SAI_JIT_SPAN_CHUNKS + (c)) * 8)
#define SAI_JIT_RES_SIZE (SAI_JIT_FOLD_AT + 2 + SAI_EW_MAX_EXTRA * SAI_JIT_SPAN_CHUNKS * 8)

/* Everything a kernel's code depends on (constants are arguments). */
typedef struct sai_jit_sig {
  int mode, ninstr, result, kind_f, noperands;
  int nextra; /* EXTRAS: the registers whose values the extras take (-1: none) */
  int8_t extra_reg[SAI_EW_MAX_EXTRA], extra_minus[SAI_EW_MAX_EXTRA];
  int8_t extra_square[SAI_EW_MAX_EXTRA]; /* the program's extra_square */
  int fold; /* EXTRAS, every extra a float sum: the kernel folds whole chunks itself */
  int8_t dtype[SAI_EW_MAX_OPERANDS], stride[SAI_EW_MAX_OPERANDS];
  sai_ew_instr code[SAI_EW_MAX_INSTR];
} sai_jit_sig;

/* n elements of a row: operand o's first element at ptr[o], its elements stride[o]
 * apart; k: the program's constants. STORE stores into operand 0; VALUES writes the
 * values into res[0..n) as the interpreter's eval_chunk gives them (operand 0 unused);
 * EXTRAS stores into operand 0 and writes the extras' values (n <= SAI_JIT_SPAN) where
 * SAI_JIT_EXTRA_AT and SAI_JIT_MINUS_AT say. */
typedef void (*sai_jit_fn)(int64_t n, char *const *ptr, const int64_t *stride,
                           const sai_ew_value *k, sai_ew_value *res);

/* The signature of program pr (finished) run in mode over a box whose inner strides
 * are stride[o]; 0 if pr is not one kernels are made for: a program with extra
 * results only in EXTRAS mode, and only when it computes something (one that only
 * loads, a copy computing sums of what it reads, runs as fast interpreted: the
 * interpreter reads a float64 operand's values in place, a kernel would copy them). */
int sai_jit_signature(sai_jit_sig *sig, const sai_ew_program *pr, const int64_t *stride,
                      int mode);
/* EXTRAS: where a call leaves the values of register reg (an extra result's, or its
 * extra_minus): -1, in res; o >= 0, in operand o's row itself -- the output's, for
 * the result register of a float64 output with unit stride, or a float64 operand's
 * read with unit stride (reg's last value is that load), which the sink reads in
 * place unless the operand is in the output's own tile (sai_ew_signature's caller
 * then interprets the box: the kernel has overwritten it). */
int sai_jit_extra_operand(const sai_jit_sig *sig, const sai_ew_program *pr, int reg);
/* codelets/elementwise.c: the signature of the kernel a task (args) may run in mode,
 * from its first box's strides along its loop dim (sai_ew_loop_dim); 0 if it may run
 * none (no boxes, a finiteness check, an accumulation along an axis, or a program
 * kernels are not made for). The planner requests it, the CPU codelet looks it up. */
int sai_ew_signature(sai_jit_sig *sig, const sai_ew_args *args, int mode);

/* jitgen.c: the kernel's source, C (cuda 0) or CUDA C (NVRTC), malloc'ed. */
extern const char sai_jit_header[]; /* codelets/convert.h and ewsem.h (jitsrc.c) */
sa_status sai_jit_source(char **out, const sai_ew_program *pr, const sai_jit_sig *sig,
                         int cuda);
int sai_jit_registers(const sai_ew_program *pr);

/* jit.c. Asks for sig's kernel (compiled in the background, or now with
 * --sa-jit=sync); a failure only means the program stays interpreted. */
void sai_jit_request(const sai_jit_sig *sig, const sai_ew_program *pr);
/* The kernel of sig if it is ready, else NULL (never waits). */
sai_jit_fn sai_jit_find(const sai_jit_sig *sig);
/* sa_init / sa_finalize (verbose >= 2: the counts on stderr). */
void sai_jit_start(void);
void sai_jit_stop(int verbose);
/* For starray-info: whether compiling works here, and where the cache is. */
void sai_jit_describe(char *buf, size_t size);

#endif /* SAI_JIT_H */
