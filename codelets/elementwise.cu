/* SPDX-License-Identifier: MIT
 * The elementwise family on CUDA: one thread per element of a box interprets the
 * compiled expression with the semantics of elementwise.h, on StarPU's stream. */
#include "elementwise.h"
#include "sai_cuda.h"

static __global__ void eval_kernel(sai_ew_program pr, sai_ew_box box, int nd, sai_ew_ptrs ptr,
                                   int64_t n)
{
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < n;
       e += (int64_t)gridDim.x * blockDim.x) {
    int64_t idx[SA_MAX_NDIM], rest = e;
    for (int v = nd - 1; v >= 0; v--) idx[v] = rest % box.shape[v], rest /= box.shape[v];
    sai_ew_value r = sai_ew_eval_at(&pr, &box, nd, &ptr, idx);
    int64_t off = box.offset[0];
    for (int v = 0; v < nd; v++) off += idx[v] * box.stride[0][v];
    if (pr.result_kind_f) sai_store_f(ptr.p[0], off, pr.dtype[0], r.f);
    else sai_store_i(ptr.p[0], off, pr.dtype[0], r.i);
  }
}

extern "C" void sai_elementwise_cuda(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = (const sai_ew_args *)cl_arg;
  for (int bx = 0; bx < args->nboxes; bx++) {
    const sai_ew_box *box = &args->boxes[bx];
    int64_t n = 1;
    for (int v = 0; v < args->ndim; v++) n *= box->shape[v];
    if (n == 0) continue;
    sai_ew_ptrs ptr;
    for (int o = 0; o < args->prog.noperands; o++)
      ptr.p[o] = (char *)STARPU_VECTOR_GET_PTR(buffers[box->buffer[o]]);
    unsigned threads = 256;
    int64_t blocks = (n + threads - 1) / threads;
    if (blocks > 65535) blocks = 65535;
    eval_kernel<<<(unsigned)blocks, threads, 0, starpu_cuda_get_local_stream()>>>(
        args->prog, *box, args->ndim, ptr, n);
    sai_cuda_check_launch("eval", args->text);
  }
}
