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
  SAI_JIT_VALUES /* into res[j] (a reduction's chunk; no output operand) */
};

/* Everything a kernel's code depends on (constants are arguments). */
typedef struct sai_jit_sig {
  int mode, ninstr, result, kind_f, noperands;
  int8_t dtype[SAI_EW_MAX_OPERANDS], stride[SAI_EW_MAX_OPERANDS];
  sai_ew_instr code[SAI_EW_MAX_INSTR];
} sai_jit_sig;

/* n elements of a row: operand o's first element at ptr[o], its elements stride[o]
 * apart; k: the program's constants. STORE stores into operand 0; VALUES writes the
 * values into res[0..n) as the interpreter's eval_chunk gives them (operand 0 unused). */
typedef void (*sai_jit_fn)(int64_t n, char *const *ptr, const int64_t *stride,
                           const sai_ew_value *k, sai_ew_value *res);

/* The signature of program pr (finished) run in mode over a box whose inner strides
 * are stride[o]; 0 if pr is not one kernels are made for (extra results: measured
 * slower than the interpreter, which reads a float64 operand's values in place). */
int sai_jit_signature(sai_jit_sig *sig, const sai_ew_program *pr, const int64_t *stride,
                      int mode);
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
