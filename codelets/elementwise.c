/* SPDX-License-Identifier: MIT
 * The elementwise family on the CPU: the compiled expression runs chunk by chunk
 * (each instruction a tight loop over up to SAI_EW_CHUNK elements, which the
 * compiler vectorises), box by box; plus the codelet. */
#include "elementwise.h"
#include "jit.h"
#include "reduce.h"

#include <starpu.h>

/* The chunk loops below are this file's whole point: let GCC vectorise them even at
 * -O2, and let sqrt be one instruction (errno is never read; results are the same). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize", "no-math-errno")
#endif


/* A register's chunk buffer, 64 bytes longer than its values: buffers 4 KiB apart
 * made loads wait on stores to another buffer (4K aliasing; doc/performance.md has
 * the in-cache jacobi measurement). */
typedef sai_ew_value chunk[SAI_EW_CHUNK + 8];


static void load(sai_ew_value *d, const char *p, int64_t stride, int dtype, int as_f, int n)
{
  if (as_f) {
    if (dtype == SAI_F64 && stride == 1)
      for (int j = 0; j < n; j++) d[j].f = ((const double *)p)[j];
    else
      for (int j = 0; j < n; j++) d[j].f = sai_load_f(p, j * stride, dtype);
  } else {
    for (int j = 0; j < n; j++) d[j].i = sai_load_i(p, j * stride, dtype);
  }
}

static void store(char *p, int64_t stride, int dtype, int from_f, const sai_ew_value *s, int n)
{
  if (from_f) {
    if (dtype == SAI_F64 && stride == 1)
      for (int j = 0; j < n; j++) ((double *)p)[j] = s[j].f;
    else
      for (int j = 0; j < n; j++) sai_store_f(p, j * stride, dtype, s[j].f);
  } else {
    for (int j = 0; j < n; j++) sai_store_i(p, j * stride, dtype, s[j].i);
  }
}

/* Evaluates elements [c0, c0 + m) of a row (m <= SAI_EW_CHUNK): ptr[o] points at
 * operand o's first element of the row, stride[o] is its step in elements. Returns
 * where the results are. */
/* Built for AVX-512, AVX2 and the x86-64 baseline (SAI_CLONES, elementwise.h). Kept
 * in one piece past 60 lines: it is the interpreter's inner loop, and a call per
 * instruction measured slower. */
SAI_CLONES
static const sai_ew_value *eval_chunk(const sai_ew_program *pr, char *const *ptr,
                                      const int64_t *stride, int64_t c0, int m, chunk *R,
                                      chunk *K, sai_ew_value *out,
                                      const sai_ew_value **extra)
{
  /* reg[r] is where register r's values are: its chunk buffer, or, for a float64
   * operand read with stride 1, the operand's memory itself (no copy), or for a
   * constant K's buffer of it, filled once per task (no pass per chunk). With out,
   * the last instruction, if it computes the result, writes it there (the output's
   * float64 row, in memory no operand shares) and spares the kernel a copy. */
  sai_ew_value *reg[SAI_EW_MAX_REGS];
  for (int k = 0; k < pr->ninstr; k++) {
    const sai_ew_instr *in = &pr->code[k];
    if (sai_ew_is_const(in->op)) {
      reg[in->dst] = K[in->a];
      continue;
    }
    reg[in->dst] =
        out && k == pr->ninstr - 1 && in->dst == pr->result && !sai_ew_is_load(in->op)
            ? out
            : R[in->dst];
    /* the code generator never writes a register an instruction reads */
    sai_ew_value *restrict d = reg[in->dst];
    const sai_ew_value *restrict a = reg[in->a], *restrict b = reg[in->b],
                                 *restrict c = reg[in->c];
    const sai_ew_value *kv = &pr->consts[in->a];
    (void)a, (void)b, (void)c, (void)kv;
    switch (in->op) {
    case SAI_EW_LOAD_F:
    case SAI_EW_LOAD_I: {
      int o = in->a;
      char *src = ptr[o] + c0 * stride[o] * sai_elem_size(pr->dtype[o]);
      if (in->op == SAI_EW_LOAD_F && pr->dtype[o] == SAI_F64 && stride[o] == 1)
        reg[in->dst] = (sai_ew_value *)src;
      else
        load(d, src, stride[o], pr->dtype[o], in->op == SAI_EW_LOAD_F, m);
      break;
    }
#define SAI_D d[j]
#define SAI_A a[j]
#define SAI_B b[j]
#define SAI_C c[j]
#define SAI_K (*kv)
#define SAI_CASE(name, stmt)                                                         \
  case SAI_EW_##name:                                                                \
    for (int j = 0; j < m; j++) stmt;                                                \
    break;
      SAI_EW_SEMANTICS(SAI_CASE)
#undef SAI_CASE
#undef SAI_D
#undef SAI_A
#undef SAI_B
#undef SAI_C
#undef SAI_K
    default: break;
    }
  }
  for (int k = 0; k < pr->nextra; k++) {
    extra[k] = reg[pr->extra_result[k]];
    if (pr->extra_square[k] == 2) extra[SAI_EW_MAX_EXTRA + k] = reg[pr->extra_minus[k]];
  }
  return reg[pr->result];
}

/* Reductions along an axis: the output element is combined with each value, in
 * order (the output's stride is 0 along the reduced axis). */
static void accumulate(char *p, int64_t stride, int dtype, int f, int op,
                       const sai_ew_value *s, int m)
{
  for (int j = 0; j < m; j++) sai_red_accumulate(p, j * stride, dtype, f, op, s[j], j);
}

/* --sa-check-finite: the first non-finite result of a statement is reported. */
static void check_finite(const sai_ew_args *args, const sai_ew_value *res, int m)
{
  for (int j = 0; j < m; j++)
    if (!isfinite(res[j].f)) {
      sai_nonfinite(args->statement, args->text, res[j].f);
      return;
    }
}

/* What a task's walk over its boxes shares: the program's constants, once. */
typedef struct walk {
  const sai_ew_args *args;
  void **buffers;
  sai_ew_sink sink;
  void *ctx;
  sai_jit_fn kernel;      /* the compiled kernel for the box at hand, or NULL */
  sai_jit_fn task_kernel; /* the task's kernel, for the boxes whose strides fit */
  sai_jit_sig sig;        /* what it was compiled for */
  int consts_ready;       /* walk_begin was called (the interpreter needs it) */
  /* EXTRAS: extra k's values (src[k]) and extra_minus values (src[SAI_EW_MAX_EXTRA + k])
   * come from that operand's row, or (-1) from the kernel's res */
  int src[2 * SAI_EW_MAX_EXTRA];
  sai_ew_fold fold;       /* with a kernel that folds (sig.fold): whole chunks go here */
  int64_t fold_lo, fold_hi; /* the flat indices of the reductions' complete chunks */
} walk;

static _Thread_local chunk walk_R[SAI_EW_MAX_REGS], walk_K[SAI_EW_MAX_CONSTS];

static void walk_begin(const sai_ew_args *args)
{
  const sai_ew_program *pr = &args->prog;
  for (int k = 0; k < pr->ninstr; k++) /* each constant's chunk, once */
    if (sai_ew_is_const(pr->code[k].op))
      for (int j = 0; j < SAI_EW_CHUNK; j++) walk_K[pr->code[k].a][j] = pr->consts[pr->code[k].a];
}

/* A reduction's values over elements [c0, c0 + m) of a row (ptr: the row's start),
 * by its compiled kernel, as eval_chunk would give them. */
static const sai_ew_value *run_kernel(const walk *w, char *const *ptr, const int64_t *stride,
                                      int64_t c0, int64_t m)
{
  static _Thread_local chunk res;
  const sai_ew_program *pr = &w->args->prog;
  char *at[SAI_EW_MAX_OPERANDS] = {NULL};
  for (int o = 1; o < pr->noperands; o++)
    at[o] = ptr[o] + c0 * stride[o] * sai_elem_size(pr->dtype[o]);
  w->kernel(m, at, stride, pr->consts, res);
  return res;
}

/* The same for a statement with extra results (EXTRAS), elements [c0, c0 + m) of a
 * row whose first element has flat index flat: the kernel stores the results and
 * gives the extras' values to the sink (extra[] points at them) and, if it folds,
 * the whole chunks in the reductions' complete range to w->fold. */
static void run_extras_kernel(const walk *w, char *const *ptr, const int64_t *stride,
                              int64_t c0, int64_t m, int64_t flat,
                              const sai_ew_value **extra)
{
  static _Thread_local sai_ew_value res[SAI_JIT_RES_SIZE];
  const sai_ew_program *pr = &w->args->prog;
  char *at[SAI_EW_MAX_OPERANDS] = {NULL};
  for (int o = 0; o < pr->noperands; o++)
    at[o] = ptr[o] + c0 * stride[o] * sai_elem_size(pr->dtype[o]);
  int64_t f = flat + c0, j0 = m, nch = 0;
  if (w->sig.fold) { /* the chunks [first, last) inside both the span and the range */
    int64_t lo = f > w->fold_lo ? f : w->fold_lo;
    int64_t hi = f + m < w->fold_hi ? f + m : w->fold_hi;
    int64_t first = (lo + SAI_EW_CHUNK - 1) / SAI_EW_CHUNK, last = hi / SAI_EW_CHUNK;
    if (last > first) j0 = first * SAI_EW_CHUNK - f, nch = last - first;
    res[SAI_JIT_FOLD_AT].i = j0;
    res[SAI_JIT_FOLD_AT + 1].i = nch;
  }
  w->kernel(m, at, stride, pr->consts, res);
  const sai_ew_value *acc[SAI_EW_MAX_EXTRA];
  for (int k = 0; k < pr->nextra; k++) {
    int o = w->src[k], om = w->src[SAI_EW_MAX_EXTRA + k];
    extra[k] = o >= 0 ? (const sai_ew_value *)at[o] : res + SAI_JIT_EXTRA_AT(k);
    extra[SAI_EW_MAX_EXTRA + k] =
        om >= 0 ? (const sai_ew_value *)at[om] : res + SAI_JIT_MINUS_AT(k);
    acc[k] = res + SAI_JIT_ACC_AT(k, 0);
  }
  if (j0) w->sink(w->ctx, extra, (int)j0, f);
  if (!nch) return;
  w->fold(w->ctx, acc, (int)nch);
  int64_t j1 = j0 + nch * SAI_EW_CHUNK;
  if (j1 == m) return;
  for (int k = 0; k < pr->nextra; k++) extra[k] += j1, extra[SAI_EW_MAX_EXTRA + k] += j1;
  w->sink(w->ctx, extra, (int)(m - j1), f + j1);
}

/* One row of box along dim `last` (the last dim, or for a plain statement the one its
 * loop runs along, sai_ew_loop_dim), at the other indices idx (relative to the box),
 * chunk by chunk: evaluated, then given to the sink (reductions, extra results) and
 * stored. */
static void walk_row(walk *w, const sai_ew_box *box, const int64_t *idx, int last)
{
  const sai_ew_args *args = w->args;
  const sai_ew_program *pr = &args->prog;
  int nd = args->ndim, first = args->reduce ? 1 : 0; /* no output */
  int64_t rowstride[SAI_EW_MAX_OPERANDS] = {0};
  char *ptr[SAI_EW_MAX_OPERANDS] = {NULL};
  /* the result straight into a float64 output row read by no operand (another
   * tile is other memory), when no extra result needs the operands afterwards */
  int direct = !first && !args->accumulate && !pr->nextra && pr->dtype[0] == SAI_F64 &&
               pr->result_kind_f && box->stride[0][last] == 1;
  for (int o = first; o < pr->noperands; o++) {
    int64_t off = box->offset[o];
    for (int v = 0; v < nd; v++)
      if (v != last) off += idx[v] * box->stride[o][v];
    ptr[o] = (char *)STARPU_VECTOR_GET_PTR(w->buffers[box->buffer[o]]) +
             off * sai_elem_size(pr->dtype[o]);
    rowstride[o] = box->stride[o][last];
    direct &= o == 0 || box->buffer[o] != box->buffer[0];
  }
  int64_t n = box->shape[last], flat = 0;
  const sai_ew_value *extra[2 * SAI_EW_MAX_EXTRA];
  if (!w->consts_ready) walk_begin(args), w->consts_ready = 1;
  for (int v = 0; v < last; v++) flat = flat * args->extent[v] + box->start[v] + idx[v];
  flat = flat * args->extent[last] + box->start[last];
  /* a reduction's chunks are 256 consecutive flat indices (reduce.h): the row is cut
   * where they are, so that most reach the reduction whole, where they lie */
  int64_t lead = w->sink ? (SAI_EW_CHUNK - flat % SAI_EW_CHUNK) % SAI_EW_CHUNK : 0;
  if (w->kernel && w->sig.mode == SAI_JIT_EXTRAS) { /* stored, and the extras given */
    for (int64_t c0 = 0, m; c0 < n; c0 += m) { /* the sink cuts them into chunks */
      m = n - c0 < SAI_JIT_SPAN ? n - c0 : SAI_JIT_SPAN;
      run_extras_kernel(w, ptr, rowstride, c0, m, flat, extra);
    }
    return;
  }
  for (int64_t c0 = 0, m; c0 < n; c0 += m) {
    m = c0 == 0 && lead ? lead : SAI_EW_CHUNK;
    if (m > n - c0) m = n - c0;
    sai_ew_value *row = direct ? (sai_ew_value *)ptr[0] + c0 : NULL;
    const sai_ew_value *res =
        w->kernel ? run_kernel(w, ptr, rowstride, c0, m)
                  : eval_chunk(pr, ptr, rowstride, c0, (int)m, walk_R, walk_K, row, extra);
    if (args->reduce) {
      w->sink(w->ctx, &res, (int)m, flat + c0);
    } else if (args->accumulate) {
      accumulate(ptr[0] + c0 * rowstride[0] * sai_elem_size(pr->dtype[0]), rowstride[0],
                 pr->dtype[0], pr->result_kind_f, args->accumulate, res, (int)m);
    } else {
      /* extra results first: one that is an operand read in place (a float64 row) may
       * be the memory the store below overwrites */
      if (w->sink && pr->nextra) w->sink(w->ctx, extra, (int)m, flat + c0);
      if (res != row)
        store(ptr[0] + c0 * rowstride[0] * sai_elem_size(pr->dtype[0]), rowstride[0],
              pr->dtype[0], pr->result_kind_f, res, (int)m);
      if (args->statement && pr->result_kind_f) check_finite(args, res, (int)m);
    }
  }
}

int sai_ew_signature(sai_jit_sig *sig, const sai_ew_args *args, int mode)
{
  if (args->accumulate || args->statement || !args->nboxes) return 0;
  int64_t s[SAI_EW_MAX_OPERANDS];
  int l = mode == SAI_JIT_STORE ? sai_ew_loop_dim(args, &args->boxes[0]) : args->ndim - 1;
  for (int o = 0; o < args->prog.noperands; o++) s[o] = args->boxes[0].stride[o][l];
  return sai_jit_signature(sig, &args->prog, s, mode);
}

/* The compiled kernel of w's task in mode, if it is ready and the task may use one. */
static sai_jit_fn find_kernel(walk *w, int mode)
{
  return sai_ew_signature(&w->sig, w->args, mode) ? sai_jit_find(&w->sig) : NULL;
}

/* Whether box's inner strides are those the kernel of w was compiled for, and with
 * extra results read in place, none is in the output's tile, which it overwrites. */
static int fits_kernel(const walk *w, const sai_ew_box *box, int last)
{
  for (int o = w->sig.mode == SAI_JIT_VALUES; o < w->sig.noperands; o++) {
    int64_t s = box->stride[o][last];
    int kind = s == 1 ? SAI_JIT_UNIT : s == 0 ? SAI_JIT_ZERO : SAI_JIT_ANY;
    if (kind != w->sig.stride[o]) return 0;
  }
  for (int k = 0; w->sig.mode == SAI_JIT_EXTRAS && k < w->sig.nextra; k++)
    for (int r = 0; r < 2; r++) {
      int o = w->src[r * SAI_EW_MAX_EXTRA + k];
      if (o > 0 && box->buffer[o] == box->buffer[0]) return 0;
    }
  return 1;
}

/* Advances idx to the next index in C order over every dim of shape but `row`;
 * 0 when done. */
static int next_index(int64_t *idx, const int64_t *shape, int nd, int row)
{
  int v = nd - 1;
  while (v >= 0 && (v == row || ++idx[v] == shape[v])) {
    if (v != row) idx[v] = 0;
    v--;
  }
  return v >= 0;
}

/* A whole box by the compiled kernel of w, one call per row along dim `row`: each
 * operand's start found once, rows by their strides (few rows cost little). */
static void kernel_box(const walk *w, const sai_ew_box *box, int row)
{
  const sai_ew_program *pr = &w->args->prog;
  int nd = w->args->ndim, no = pr->noperands;
  char *base[SAI_EW_MAX_OPERANDS], *ptr[SAI_EW_MAX_OPERANDS];
  int64_t rowstride[SAI_EW_MAX_OPERANDS], step[SAI_EW_MAX_OPERANDS][SA_MAX_NDIM];
  for (int o = 0; o < no; o++) {
    int64_t size = sai_elem_size(pr->dtype[o]);
    base[o] = (char *)STARPU_VECTOR_GET_PTR(w->buffers[box->buffer[o]]) + box->offset[o] * size;
    rowstride[o] = box->stride[o][row];
    for (int v = 0; v < nd; v++) step[o][v] = v == row ? 0 : box->stride[o][v] * size;
  }
  int64_t idx[SA_MAX_NDIM] = {0};
  do {
    for (int o = 0; o < no; o++) {
      char *p = base[o];
      for (int v = 0; v < nd; v++) p += idx[v] * step[o][v];
      ptr[o] = p;
    }
    w->kernel(box->shape[row], ptr, rowstride, pr->consts, NULL);
  } while (next_index(idx, box->shape, nd, row));
}

int sai_ew_loop_dim(const sai_ew_args *args, const sai_ew_box *box)
{
  int last = args->ndim - 1;
  if (args->accumulate || args->reduce || args->prog.nextra) return last; /* in order */
  for (int v = last; v >= 0; v--)
    if (box->shape[v] > 1) return v;
  return last;
}

void sai_ew_run_boxes(const sai_ew_args *args, void *buffers[], sai_ew_sink sink, void *ctx)
{
  walk w = {args, buffers, sink, ctx, NULL, NULL, {0}, 0, {0}, NULL, 0, 0};
  int nd = args->ndim;
  sai_jit_fn kernel = !sink && !args->reduce ? find_kernel(&w, SAI_JIT_STORE) : NULL;
  for (int bx = 0; bx < args->nboxes; bx++) {
    const sai_ew_box *box = &args->boxes[bx];
    int64_t idx[SA_MAX_NDIM] = {0};
    int empty = 0, row = sink ? nd - 1 : sai_ew_loop_dim(args, box);
    for (int v = 0; v < nd; v++) empty |= box->shape[v] == 0;
    if (empty) continue;
    w.kernel = kernel && fits_kernel(&w, box, row) ? kernel : NULL;
    if (w.kernel) {
      kernel_box(&w, box, row);
      continue;
    }
    do /* every index but the row's, in C order */
      walk_row(&w, box, idx, row);
    while (next_index(idx, box->shape, nd, row));
  }
}

/* Region rg from dim v on, in C order: for each segment along v, each index in it,
 * the rest; along the last dim each segment's box gives its part of the row. */
static void walk_dims(walk *w, const sai_ew_region *rg, int v, int *seg, int64_t *idx)
{
  int nd = w->args->ndim, last = nd - 1;
  for (seg[v] = 0; seg[v] < rg->nseg[v]; seg[v]++) {
    int b = 0;
    for (int u = 0; u < nd; u++) b = b * rg->nseg[u] + (u <= v ? seg[u] : 0);
    const sai_ew_box *box = &w->args->boxes[rg->first + b];
    if (v == last) {
      int64_t rel[SA_MAX_NDIM];
      for (int u = 0; u < last; u++) rel[u] = idx[u] - box->start[u];
      w->kernel = w->task_kernel && fits_kernel(w, box, last) ? w->task_kernel : NULL;
      if (box->shape[last]) walk_row(w, box, rel, last);
      continue;
    }
    for (idx[v] = box->start[v]; idx[v] < box->start[v] + box->shape[v]; idx[v]++)
      walk_dims(w, rg, v + 1, seg, idx);
  }
}

void sai_ew_run_flat(const sai_ew_args *args, void *buffers[], sai_ew_sink sink, void *ctx)
{
  sai_ew_run_flat_fold(args, buffers, sink, NULL, ctx);
}

void sai_ew_run_flat_fold(const sai_ew_args *args, void *buffers[], sai_ew_sink sink,
                          sai_ew_fold fold, void *ctx)
{
  walk w = {args, buffers, sink, ctx, NULL, NULL, {0}, 0, {0}, fold, 0, 0};
  w.task_kernel = args->reduce        ? find_kernel(&w, SAI_JIT_VALUES)
                  : args->prog.nextra ? find_kernel(&w, SAI_JIT_EXTRAS)
                                      : NULL;
  if (w.task_kernel && w.sig.fold && !fold) w.task_kernel = NULL; /* nowhere to fold to */
  int64_t c0, c1;
  sai_red_complete_chunks(args->range[0], args->range[1], sai_ew_element_count(args), &c0,
                          &c1);
  w.fold_lo = c0 * SAI_EW_CHUNK;
  w.fold_hi = c1 * SAI_EW_CHUNK;
  for (int k = 0; w.task_kernel && k < w.sig.nextra; k++) {
    int reg = w.sig.extra_reg[k], minus = w.sig.extra_minus[k];
    w.src[k] = sai_jit_extra_operand(&w.sig, &args->prog, reg);
    w.src[SAI_EW_MAX_EXTRA + k] =
        minus < 0 ? -1 : sai_jit_extra_operand(&w.sig, &args->prog, minus);
  }
  for (int r = 0; r < args->nregions; r++) {
    int seg[SA_MAX_NDIM];
    int64_t idx[SA_MAX_NDIM] = {0};
    walk_dims(&w, &args->region[r], 0, seg, idx);
  }
}

/* Performance models by work, not by data: the tasks of one tile (its interior, a
 * boundary row) move very different amounts, and StarPU's default footprint (the
 * buffers' sizes) would average them into one history entry (the schedulers' and a
 * simulation's predictions then miss by the ratio). Work: elements computed times
 * (instructions + 1). */
static uint64_t ew_work(const sai_ew_args *a)
{
  uint64_t elems = 0;
  for (int b = 0; b < a->nboxes; b++) {
    uint64_t n = 1;
    for (int v = 0; v < a->ndim; v++) n *= (uint64_t)a->boxes[b].shape[v];
    elems += n;
  }
  return elems * (uint64_t)(a->prog.ninstr + 1);
}

static uint64_t task_work(struct starpu_task *t)
{
  if (t->flops > 0) return (uint64_t)t->flops; /* a run's, kept while it ran */
  if (t->cl != &sai_ew_run_cl) return ew_work(t->cl_arg);
  uint64_t w = 0;
  for (int k = 0, n = sai_run_count(t->cl_arg); k < n; k++)
    w += ew_work(sai_run_part_args(t->cl_arg, k));
  return w;
}

/* A run's work, kept in its task (as its flops) before its arguments go back to the
 * pool: StarPU asks for the footprint and size again when the task has ended. */
static void keep_work(void *cl_arg)
{
  struct starpu_task *t = starpu_task_get_current();
  if (t && t->cl_arg == cl_arg) t->flops = (double)task_work(t);
}

static void sai_elementwise_cpu(void *buffers[], void *cl_arg)
{
  sai_ew_run_boxes(cl_arg, buffers, NULL, NULL);
}

/* A run (lib/defer.c): consecutive statements' tasks on one tile, in order. */
static void sai_ew_run_cpu(void *buffers[], void *cl_arg)
{
  void *local[SAI_RUN_MAX_BUFFERS];
  keep_work(cl_arg);
  for (int k = 0, n = sai_run_count(cl_arg); k < n; k++)
    sai_ew_run_boxes(sai_run_part(cl_arg, k, buffers, local), local, NULL, NULL);
  sai_run_release(cl_arg);
}

#if SAI_CUDA_CODELETS
static void sai_ew_run_cuda(void *buffers[], void *cl_arg)
{
  void *local[SAI_RUN_MAX_BUFFERS];
  keep_work(cl_arg);
  for (int k = 0, n = sai_run_count(cl_arg); k < n; k++)
    sai_elementwise_cuda(local, sai_run_part(cl_arg, k, buffers, local));
  sai_run_release(cl_arg); /* launches copy their arguments: nothing reads it later */
}
#endif

static uint32_t work_footprint(struct starpu_task *t)
{
  uint64_t w = task_work(t);
  return starpu_hash_crc32c_be_n(&w, sizeof w, 0);
}

static size_t work_size(struct starpu_task *t, unsigned nimpl)
{
  (void)nimpl;
  return (size_t)task_work(t);
}

static struct starpu_perfmodel sai_ew_run_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_run",
    .size_base = work_size,
    .footprint = work_footprint,
};

struct starpu_codelet sai_ew_run_cl = {
    .cpu_funcs = {sai_ew_run_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_ew_run_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_ew_run_model,
    .name = "run",
};

static struct starpu_perfmodel sai_elementwise_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_elementwise",
    .size_base = work_size,
    .footprint = work_footprint,
};

/* Reductions along an axis combine values into one output element in order (on
 * CUDA one thread per output element). */
static struct starpu_perfmodel sai_accumulate_model = {
    .type = STARPU_HISTORY_BASED,
    .symbol = "starray_reduce_axis",
    .size_base = work_size,
    .footprint = work_footprint,
};

struct starpu_codelet sai_accumulate_cl = {
    .cpu_funcs = {sai_elementwise_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_elementwise_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_accumulate_model,
    .name = "reduce_axis",
};

struct starpu_codelet sai_elementwise_cl = {
    .cpu_funcs = {sai_elementwise_cpu},
#if SAI_CUDA_CODELETS
    .cuda_funcs = {sai_elementwise_cuda},
    .cuda_flags = {STARPU_CUDA_ASYNC},
#endif
    .nbuffers = STARPU_VARIABLE_NBUFFERS,
    .model = &sai_elementwise_model,
    .name = "eval",
};
