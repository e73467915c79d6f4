/* SPDX-License-Identifier: MIT
 * The reduce family on CUDA, giving the CPU's states bit for bit (reduce.h): the
 * task's values are computed one thread per element into scratch at their place in
 * the task's flat range, each complete chunk is reduced by one thread in the order
 * of sai_red_chunk_*, and one thread folds the chunks into the state's aligned
 * blocks (a binary counter, iterative) and packs it with the fragments of chunks the
 * task holds only part of. Combine tasks join states on one thread. */
#include "reduce.h"
#include "sai_cuda.h"

typedef struct extent_t {
  int64_t v[SA_MAX_NDIM];
} extent_t;

/* Box's values at vals[flat - begin] (with extras, the statement's result stored and
 * extra k's value, squared as the CPU squares it, at vals[k * len + flat - begin]). */
static __global__ void values_kernel(sai_ew_program pr, sai_ew_box box, int nd, sai_ew_ptrs ptr,
                                     int64_t n, extent_t extent, int64_t begin, int64_t len,
                                     sai_ew_value *vals)
{
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < n;
       e += (int64_t)gridDim.x * blockDim.x) {
    int64_t idx[SA_MAX_NDIM], flat = 0;
    sai_ew_value r[SAI_EW_MAX_REGS];
    sai_ew_unflatten(e, box.shape, nd, idx);
    for (int v = 0; v < nd; v++) flat = flat * extent.v[v] + box.start[v] + idx[v];
    sai_ew_value x = sai_ew_eval_at(&pr, &box, nd, &ptr, idx, r);
    if (!pr.nextra) {
      vals[flat - begin] = x;
      continue;
    }
    for (int k = 0; k < pr.nextra; k++) {
      sai_ew_value y = r[pr.extra_result[k]];
      if (pr.extra_square[k]) {
        double d = pr.extra_square[k] == 2 ? y.f - r[pr.extra_minus[k]].f : y.f;
        y.f = d * d;
      }
      vals[k * len + flat - begin] = y;
    }
    int64_t off = sai_ew_offset(&box, 0, nd, idx);
    if (pr.result_kind_f) sai_store_f(ptr.p[0], off, pr.dtype[0], x.f);
    else sai_store_i(ptr.p[0], off, pr.dtype[0], x.i);
  }
}

/* Complete chunk c0 + j's partial into part[j] (n: the reduction's element count). */
static __global__ void chunk_kernel(int op, int f, const sai_ew_value *vals, int64_t begin,
                                    int64_t n, int64_t c0, int64_t nchunks, sai_partial *part)
{
  for (int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; j < nchunks;
       j += (int64_t)gridDim.x * blockDim.x) {
    int64_t first = (c0 + j) * SAI_EW_CHUNK, stop = first + SAI_EW_CHUNK < n ? first + SAI_EW_CHUNK : n;
    sai_red_chunk_values(op, f, vals + (first - begin), (int)(stop - first), first, &part[j]);
  }
}

/* One thread: the state of [begin, end) of n, as the CPU's builder makes it, packed
 * at out. */
static __global__ void state_kernel(int op, int f, const sai_ew_value *vals,
                                    const sai_partial *part, int64_t begin, int64_t end,
                                    int64_t n, void *out)
{
  if (blockIdx.x || threadIdx.x) return;
  sai_red_state s;
  sai_red_state_init(&s, begin);
  s.end = end;
  int64_t c0, c1;
  sai_red_complete_chunks(begin, end, n, &c0, &c1);
  for (int64_t pos = begin; pos < end;) {
    int64_t c = sai_red_chunk_of(pos), stop = (c + 1) * SAI_EW_CHUNK < end ? (c + 1) * SAI_EW_CHUNK : end;
    if (pos % SAI_EW_CHUNK == 0 && c < c1) { /* the complete chunks, as aligned blocks */
      for (int64_t b = c0, l; (l = sai_red_level_at(b, c1)) >= 0; b += (int64_t)1 << l) {
        sai_red_cascade cur;
        cur.op = op;
        cur.f = f;
        cur.top = 0;
        for (int k = 0; k < 64; k++) cur.used[k] = 0;
        for (int64_t q = b; q < b + ((int64_t)1 << l); q++) sai_red_cascade_add(&cur, part[q - c0]);
        sai_red_block blk;
        blk.chunk = b;
        blk.level = (int)l;
        blk.p = cur.level[l];
        s.block[s.nblocks++] = blk;
      }
      pos = c1 * SAI_EW_CHUNK < end ? c1 * SAI_EW_CHUNK : end;
      continue;
    }
    sai_red_frag *d = !s.nblocks && !s.head.n ? &s.head : &s.tail;
    d->first = pos;
    d->n = (int)(stop - pos);
    for (int k = 0; k < d->n; k++) d->v[k] = vals[pos - begin + k];
    pos = stop;
  }
  sai_red_state_pack(&s, out, n);
}

/* The state of values vals (the task's range) of a reduction op of kind f into out. */
static int reduce_values(int op, int f, const sai_ew_value *vals, int64_t begin, int64_t end,
                         int64_t n, void *out, const char *what)
{
  int64_t c0, c1;
  sai_red_complete_chunks(begin, end, n, &c0, &c1);
  int64_t nchunks = c1 > c0 ? c1 - c0 : 0;
  sai_partial *part = (sai_partial *)sai_cuda_scratch((size_t)nchunks * sizeof *part, "reduce", what);
  if (!part) return 0;
  int ok = 1;
  if (nchunks) {
    SAI_LAUNCH(chunk_kernel, sai_cuda_blocks(nchunks), SAI_CUDA_THREADS, op, f, vals, begin, n,
               c0, nchunks, part);
    ok = sai_cuda_check_launch("reduce", what);
  }
  if (ok) {
    SAI_LAUNCH(state_kernel, 1, 1, op, f, vals, part, begin, end, n, out);
    ok = sai_cuda_check_launch("reduce", what);
  }
  sai_cuda_scratch_free(part, "reduce", what);
  return ok;
}

/* Every box's values (and with extras the statement's results) into vals. */
static int task_values(const sai_ew_args *args, void *buffers[], sai_ew_value *vals)
{
  extent_t ext;
  int nd = args->ndim, first = args->reduce ? 1 : 0; /* a reduction has no output */
  for (int v = 0; v < nd; v++) ext.v[v] = args->extent[v];
  int64_t len = args->range[1] - args->range[0];
  for (int bx = 0; bx < args->nboxes; bx++) {
    const sai_ew_box *box = &args->boxes[bx];
    int64_t n = 1;
    for (int v = 0; v < nd; v++) n *= box->shape[v];
    if (n == 0) continue;
    sai_ew_ptrs ptr = {{NULL}};
    for (int o = first; o < args->prog.noperands; o++)
      ptr.p[o] = (char *)STARPU_VECTOR_GET_PTR(buffers[box->buffer[o]]);
    SAI_LAUNCH(values_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, args->prog, *box, nd, ptr, n,
               ext, args->range[0], len, vals);
    if (!sai_cuda_check_launch("reduce", args->text)) return 0;
  }
  return 1;
}

extern "C" void sai_reduce_tile_cuda(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = (const sai_ew_args *)cl_arg;
  int64_t len = args->range[1] - args->range[0];
  sai_ew_value *vals =
      (sai_ew_value *)sai_cuda_scratch((size_t)len * sizeof *vals, "reduce", args->text);
  if (!vals) return;
  if (task_values(args, buffers, vals))
    reduce_values(args->reduce, args->prog.result_kind_f, vals, args->range[0], args->range[1],
                  sai_ew_element_count(args), (void *)STARPU_VARIABLE_GET_PTR(buffers[0]), args->text);
  sai_cuda_scratch_free(vals, "reduce", args->text);
}

/* The statement's output is buffer 0, the states of its extra results buffers 1.. */
extern "C" void sai_eval_reduce_cuda(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = (const sai_ew_args *)cl_arg;
  const sai_ew_program *pr = &args->prog;
  int64_t len = args->range[1] - args->range[0];
  sai_ew_value *vals = (sai_ew_value *)sai_cuda_scratch((size_t)(len * pr->nextra) * sizeof *vals,
                                                        "eval_reduce", args->text);
  if (!vals) return;
  if (task_values(args, buffers, vals))
    for (int k = 0; k < pr->nextra; k++)
      if (!reduce_values(pr->extra_op[k], pr->extra_kind_f[k], vals + k * len, args->range[0],
                         args->range[1], sai_ew_element_count(args),
                         (void *)STARPU_VARIABLE_GET_PTR(buffers[1 + k]), args->text))
        break;
  sai_cuda_scratch_free(vals, "eval_reduce", args->text);
}

typedef struct inputs_t {
  const void *p[SAI_RED_COMBINE_FANIN];
} inputs_t;

static __global__ void combine_kernel(sai_combine_args a, inputs_t in, int n, void *out, int *ok)
{
  if (blockIdx.x || threadIdx.x) return;
  sai_red_state acc;
  *ok = sai_red_combine(&a, &acc, in.p, n, out);
}

extern "C" void sai_reduce_combine_cuda(void *buffers[], void *cl_arg)
{
  const sai_combine_args *a = (const sai_combine_args *)cl_arg;
  int n = (int)starpu_task_get_current()->nbuffers - 1;
  if (n > SAI_RED_COMBINE_FANIN) {
    sai_async_fail(SA_ERR_INTERNAL, "reduce", "a combine task of %d states (at most %d)", n,
                   SAI_RED_COMBINE_FANIN);
    return;
  }
  inputs_t in;
  for (int k = 0; k < n; k++) in.p[k] = (const void *)STARPU_VARIABLE_GET_PTR(buffers[1 + k]);
  void *out = a->final ? (void *)STARPU_VECTOR_GET_PTR(buffers[0])
                       : (void *)STARPU_VARIABLE_GET_PTR(buffers[0]);
  int *ok = (int *)sai_cuda_scratch(sizeof *ok, "reduce", "");
  if (!ok) return;
  SAI_LAUNCH(combine_kernel, 1, 1, *a, in, n, out, ok);
  int host = 1;
  if (sai_cuda_check_launch("reduce", "") && sai_cuda_read(&host, ok, sizeof host, "reduce", "") &&
      !host)
    sai_red_report_uncovered(a);
  sai_cuda_scratch_free(ok, "reduce", "");
}
