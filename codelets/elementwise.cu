/* SPDX-License-Identifier: MIT
 * The elementwise family on CUDA: one thread per element of a box interprets the
 * compiled expression with the semantics of elementwise.h, on StarPU's stream;
 * reductions along an axis (accumulate) take one thread per output element, which
 * combines its values in the order the CPU does. */
#include "elementwise.h"
#include "reduce.h"
#include "sai_cuda.h"

/* --sa-check-finite on a device: the first (C order) non-finite result's element. */
typedef struct finite_flag {
  unsigned long long first;
  double value;
} finite_flag;

/* Every element of the box, or with report >= 0 only element report, whose value
 * goes to flag->value (nothing is stored then). */
static __global__ void eval_kernel(sai_ew_program pr, sai_ew_box box, int nd, sai_ew_ptrs ptr,
                                   int64_t n, finite_flag *flag, int64_t report)
{
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < n;
       e += (int64_t)gridDim.x * blockDim.x) {
    if (report >= 0 && e != report) continue;
    int64_t idx[SA_MAX_NDIM];
    sai_ew_value r[SAI_EW_MAX_REGS];
    sai_ew_unflatten(e, box.shape, nd, idx);
    sai_ew_value v = sai_ew_eval_at(&pr, &box, nd, &ptr, idx, r);
    if (report >= 0) {
      flag->value = v.f;
      continue;
    }
    if (flag && !isfinite(v.f)) atomicMin(&flag->first, (unsigned long long)e);
    int64_t off = sai_ew_offset(&box, 0, nd, idx);
    if (pr.result_kind_f) sai_store_f(ptr.p[0], off, pr.dtype[0], v.f);
    else sai_store_i(ptr.p[0], off, pr.dtype[0], v.i);
  }
}

/* One thread per output element (the dims where the output's stride is not 0),
 * combining the values along the others (the reduced dims) in C order. */
static __global__ void accumulate_kernel(sai_ew_program pr, sai_ew_box box, int nd,
                                         sai_ew_ptrs ptr, int op, int64_t nout, int64_t nred)
{
  int64_t kept[SA_MAX_NDIM], red[SA_MAX_NDIM];
  for (int v = 0; v < nd; v++) {
    int reduced = box.stride[0][v] == 0;
    kept[v] = reduced ? 1 : box.shape[v];
    red[v] = reduced ? box.shape[v] : 1;
  }
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < nout;
       e += (int64_t)gridDim.x * blockDim.x) {
    int64_t at[SA_MAX_NDIM], idx[SA_MAX_NDIM];
    sai_ew_value r[SAI_EW_MAX_REGS];
    sai_ew_unflatten(e, kept, nd, at);
    int64_t off = sai_ew_offset(&box, 0, nd, at);
    for (int64_t j = 0; j < nred; j++) {
      sai_ew_unflatten(j, red, nd, idx);
      for (int v = 0; v < nd; v++) idx[v] += at[v];
      sai_ew_value x = sai_ew_eval_at(&pr, &box, nd, &ptr, idx, r);
      sai_red_accumulate(ptr.p[0], off, pr.dtype[0], pr.result_kind_f, op, x, j);
    }
  }
}

/* The non-finite result of box, if its kernel found one: reported as the CPU does. */
static void report_nonfinite(const sai_ew_args *args, const sai_ew_box *box, sai_ew_ptrs ptr,
                             int64_t n, finite_flag *flag)
{
  finite_flag h;
  if (!sai_cuda_read(&h, flag, sizeof h, "eval", args->text) || h.first == ~0ull) return;
  SAI_LAUNCH(eval_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, args->prog, *box, args->ndim,
             ptr, n, flag, (int64_t)h.first);
  if (sai_cuda_check_launch("eval", args->text) &&
      sai_cuda_read(&h, flag, sizeof h, "eval", args->text))
    sai_nonfinite(args->statement, args->text, h.value);
}

extern "C" void sai_elementwise_cuda(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = (const sai_ew_args *)cl_arg;
  const char *what = args->text;
  int nd = args->ndim, check = args->statement > 0 && args->prog.result_kind_f &&
                               !args->accumulate;
  finite_flag *flag = check ? (finite_flag *)sai_cuda_scratch(sizeof *flag, "eval", what) : NULL;
  if (check && !flag) return;
  for (int bx = 0; bx < args->nboxes; bx++) {
    const sai_ew_box *box = &args->boxes[bx];
    int64_t n = 1, nout = 1;
    for (int v = 0; v < nd; v++) {
      n *= box->shape[v];
      if (box->stride[0][v] != 0) nout *= box->shape[v];
    }
    if (n == 0) continue;
    sai_ew_ptrs ptr;
    for (int o = 0; o < args->prog.noperands; o++)
      ptr.p[o] = (char *)STARPU_VECTOR_GET_PTR(buffers[box->buffer[o]]);
    if (args->accumulate) {
      SAI_LAUNCH(accumulate_kernel, sai_cuda_blocks(nout), SAI_CUDA_THREADS, args->prog, *box,
                 nd, ptr, args->accumulate, nout, n / nout);
      if (!sai_cuda_check_launch("reduce_axis", what)) return;
      continue;
    }
    if (flag && !sai_cuda_ok_at(cudaMemsetAsync(flag, 0xff, sizeof flag->first,
                                                starpu_cuda_get_local_stream()),
                                "eval", "cudaMemsetAsync", what))
      break;
    SAI_LAUNCH(eval_kernel, sai_cuda_blocks(n), SAI_CUDA_THREADS, args->prog, *box, nd, ptr, n,
               flag, (int64_t)-1);
    if (!sai_cuda_check_launch("eval", what)) break;
    if (flag) report_nonfinite(args, box, ptr, n, flag);
  }
  sai_cuda_scratch_free(flag, "eval", what);
}
