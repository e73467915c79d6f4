/* SPDX-License-Identifier: MIT
 * The reduce family on CUDA, giving the CPU's bits: the CPU kernel reduces each
 * chunk of SAI_EW_CHUNK values of a box row, then merges the chunks with a binary
 * counter (reduce.h). Here one thread per chunk evaluates and reduces it with the
 * same operations in the same order, and one thread runs the counter over the chunk
 * partials in the CPU's order (boxes, rows, chunks). The combine merges partials in
 * the same tree as the CPU, in one thread. */
#include "reduce.h"
#include "sai_cuda.h"

typedef struct extent {
  int64_t e[SA_MAX_NDIM];
} extent;

static __global__ void chunk_kernel(sai_ew_program pr, sai_ew_box box, int nd,
                                    sai_ew_ptrs ptr, extent ext, int op, int64_t nchunks,
                                    int64_t per_row, sai_partial *out)
{
  int64_t c = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= nchunks) return;
  int last = nd - 1, f = pr.result_kind_f;
  int64_t row = c / per_row, c0 = (c % per_row) * SAI_EW_CHUNK, n = box.shape[last];
  int m = (int)(n - c0 < SAI_EW_CHUNK ? n - c0 : SAI_EW_CHUNK);
  int64_t idx[SA_MAX_NDIM], rest = row, first = 0;
  for (int v = last - 1; v >= 0; v--)
    idx[v] = rest % box.shape[v], rest /= box.shape[v];
  for (int v = 0; v < nd; v++)
    first = first * ext.e[v] + box.start[v] + (v == last ? c0 : idx[v]);
  sai_red_chunk acc;
  sai_red_chunk_begin(op, &acc, m);
  for (int j = 0; j < m; j++) {
    idx[last] = c0 + j;
    sai_red_chunk_add(op, f, &acc, sai_ew_eval_at(&pr, &box, nd, &ptr, idx), j, m, first);
  }
  sai_red_chunk_end(op, f, &acc);
  out[c] = acc.p;
}

static __global__ void cascade_kernel(const sai_partial *part, int64_t n, int op, int f,
                                      sai_partial *out)
{
  sai_red_cascade c;
  c.op = op;
  c.f = f;
  c.top = 0;
  for (int k = 0; k < 64; k++)
    c.used[k] = 0;
  for (int64_t k = 0; k < n; k++)
    sai_red_cascade_add(&c, part[k]);
  sai_red_cascade_end(&c, out);
}

extern "C" void sai_reduce_tile_cuda(void *buffers[], void *cl_arg)
{
  const sai_ew_args *args = (const sai_ew_args *)cl_arg;
  cudaStream_t stream = starpu_cuda_get_local_stream();
  int nd = args->ndim, last = nd - 1;
  int64_t total = 0;
  for (int bx = 0; bx < args->nboxes; bx++) {
    int64_t rows = 1;
    for (int v = 0; v < last; v++)
      rows *= args->boxes[bx].shape[v];
    total += rows * ((args->boxes[bx].shape[last] + SAI_EW_CHUNK - 1) / SAI_EW_CHUNK);
  }
  sai_partial *part = NULL;
  if (total && cudaMallocAsync((void **)&part, (size_t)total * sizeof *part, stream) !=
                   cudaSuccess) {
    sai_async_fail(SA_ERR_CUDA, "reduce", "no GPU memory for %lld partials; %s",
                   (long long)total, args->text);
    return;
  }
  extent ext;
  for (int v = 0; v < SA_MAX_NDIM; v++)
    ext.e[v] = args->extent[v];
  int64_t at = 0;
  for (int bx = 0; bx < args->nboxes; bx++) {
    const sai_ew_box *box = &args->boxes[bx];
    int64_t rows = 1;
    for (int v = 0; v < last; v++)
      rows *= box->shape[v];
    int64_t per_row = (box->shape[last] + SAI_EW_CHUNK - 1) / SAI_EW_CHUNK,
            n = rows * per_row;
    if (n == 0) continue; /* an empty box, skipped by the CPU too */
    sai_ew_ptrs ptr;
    for (int o = 1; o < args->prog.noperands; o++) /* operand 0: no output */
      ptr.p[o] = (char *)STARPU_VECTOR_GET_PTR(buffers[box->buffer[o]]);
    unsigned threads = 128, blocks = (unsigned)((n + threads - 1) / threads);
    chunk_kernel<<<blocks, threads, 0, stream>>>(args->prog, *box, nd, ptr, ext,
                                                 args->reduce, n, per_row, part + at);
    at += n;
  }
  cascade_kernel<<<1, 1, 0, stream>>>(part, total, args->reduce, args->prog.result_kind_f,
                                      (sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[0]));
  if (part) cudaFreeAsync(part, stream);
  sai_cuda_check_launch("reduce", args->text);
}

static __global__ void tree_kernel(const sai_partial *const *part, int n, sai_combine_args a,
                                   sai_partial *out)
{
  if (n > 1)
    sai_red_tree(a.op, a.f, part, 1, n, out);
  else
    sai_red_identity(a.op, out);
  sai_red_finish(&a, out);
}

extern "C" void sai_reduce_combine_cuda(void *buffers[], void *cl_arg)
{
  const sai_combine_args *a = (const sai_combine_args *)cl_arg;
  cudaStream_t stream = starpu_cuda_get_local_stream();
  int n = (int)starpu_task_get_current()->nbuffers;
  const sai_partial **host = (const sai_partial **)malloc((size_t)n * sizeof *host);
  const sai_partial **dev = NULL;
  if (!host ||
      cudaMallocAsync((void **)&dev, (size_t)n * sizeof *dev, stream) != cudaSuccess) {
    free(host);
    sai_async_fail(SA_ERR_CUDA, "reduce", "no memory to combine %d partials", n - 1);
    return;
  }
  host[0] = NULL;
  for (int k = 1; k < n; k++)
    host[k] = (const sai_partial *)STARPU_VARIABLE_GET_PTR(buffers[k]);
  /* from pageable memory: the call returns once host is no longer needed */
  cudaMemcpyAsync(dev, host, (size_t)n * sizeof *dev, cudaMemcpyHostToDevice, stream);
  free(host);
  tree_kernel<<<1, 1, 0, stream>>>(dev, n, *a,
                                   (sai_partial *)STARPU_VECTOR_GET_PTR(buffers[0]));
  cudaFreeAsync(dev, stream);
  sai_cuda_check_launch("reduce_combine", "");
}
