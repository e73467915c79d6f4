/* SPDX-License-Identifier: MIT
 * The elementwise family: a compiled expression (register bytecode over two
 * computing kinds, double "F" and int64 "I", ewsem.h) evaluated over boxes of
 * tiles: the program, boxes and task arguments, and the kernels' entry points. */
#ifndef SAI_ELEMENTWISE_H
#define SAI_ELEMENTWISE_H

#include "ewsem.h"
#include "sai.h"

#define SAI_EW_MAX_INSTR 128
#define SAI_EW_MAX_REGS 32
#define SAI_EW_MAX_OPERANDS 24 /* output + inputs */
#define SAI_EW_MAX_CONSTS 32
/* Elements per chunk: the CPU kernel evaluates rows in chunks of this many, and
 * reductions reduce each chunk first (the CUDA reduction follows the same chunks). */
#define SAI_EW_CHUNK 256

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

#if defined(__CUDACC__) || defined(SAI_CUDA_EMU)
/* CUDA: device pointers of a box's operands, and the expression's value at element
 * idx of the box, computed by interpreting the program into registers r (shared by
 * the elementwise and reduce kernels; extra results are read from r). */
typedef struct sai_ew_ptrs {
  char *p[SAI_EW_MAX_OPERANDS];
} sai_ew_ptrs;

/* The index of element e (C order) of a box of shape[0..nd). */
static inline __device__ void sai_ew_unflatten(int64_t e, const int64_t *shape, int nd,
                                               int64_t *idx)
{
  for (int v = nd - 1; v >= 0; v--) idx[v] = e % shape[v], e /= shape[v];
}

/* Operand o's element offset at idx of box. */
static inline __device__ int64_t sai_ew_offset(const sai_ew_box *box, int o, int nd,
                                               const int64_t *idx)
{
  int64_t off = box->offset[o];
  for (int v = 0; v < nd; v++) off += idx[v] * box->stride[o][v];
  return off;
}

static __device__ sai_ew_value sai_ew_eval_at(const sai_ew_program *pr, const sai_ew_box *box,
                                              int nd, const sai_ew_ptrs *ptr,
                                              const int64_t *idx, sai_ew_value *r)
{
  for (int k = 0; k < pr->ninstr; k++) {
    const sai_ew_instr in = pr->code[k];
    if (sai_ew_is_load(in.op)) {
      int o = in.a;
      int64_t off = sai_ew_offset(box, o, nd, idx);
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

/* The elements of a task's whole iteration space (a reduction's element count). */
static inline int64_t sai_ew_element_count(const sai_ew_args *args)
{
  int64_t n = 1;
  for (int v = 0; v < args->ndim; v++) n *= args->extent[v];
  return n;
}

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
/* The dim a plain statement's box is walked along, row by row: its last dim longer
 * than 1 (a column is one loop, not a call per element); the last dim for
 * reductions, accumulations and extra results, which see values in order. */
int sai_ew_loop_dim(const sai_ew_args *args, const sai_ew_box *box);
/* The same, region by region in C order: sink sees chunks in increasing flat index. */
void sai_ew_run_flat(const sai_ew_args *args, void *buffers[], sai_ew_sink sink, void *ctx);
/* sa_eval_reduce's walk: as sai_ew_run_flat, but where a compiled kernel folds whole
 * chunks itself (every extra a float sum), fold(ctx, acc, nch) gets nch consecutive
 * chunks instead of their values, chunk c of extra k as the 8 accumulators at
 * acc[k] + 8 * c (the values before and after still go to sink, in order). */
typedef void (*sai_ew_fold)(void *ctx, const sai_ew_value *const *acc, int nch);
void sai_ew_run_flat_fold(const sai_ew_args *args, void *buffers[], sai_ew_sink sink,
                          sai_ew_fold fold, void *ctx);
void sai_elementwise_cuda(void *buffers[], void *cl_arg);
/* sai_ew_run_cl: a run of plain statements' tasks (lib/defer.c), each as
 * sai_elementwise_cl would run it. */
extern struct starpu_codelet sai_elementwise_cl, sai_accumulate_cl, sai_ew_run_cl;
#ifdef __cplusplus
}
#endif

#endif /* SAI_ELEMENTWISE_H */
