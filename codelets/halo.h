/* SPDX-License-Identifier: MIT
 * The halo family: under MPI, a task that reads only part of a tile owned by another
 * rank reads a packed copy of that part instead, made on the owner, so only the part
 * crosses the network. Element e (C order over shape) of the packed buffer is the
 * tile's element sai_halo_source(a, e). Shared by the CPU (halo.c) and CUDA
 * (halo.cu) kernels. */
#ifndef SAI_HALO_H
#define SAI_HALO_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

typedef struct sai_halo_args {
  int ndim;
  int elemsize;
  int64_t shape[SA_MAX_NDIM];
  int64_t offset;              /* in the tile, elements */
  int64_t stride[SA_MAX_NDIM]; /* in the tile, elements */
} sai_halo_args;

static inline SAI_HD int64_t sai_halo_source(const sai_halo_args *a, int64_t e)
{
  int64_t off = a->offset;
  for (int v = a->ndim - 1; v >= 0; v--) {
    off += (e % a->shape[v]) * a->stride[v];
    e /= a->shape[v];
  }
  return off;
}

static inline SAI_HD void sai_halo_copy(char *dst, const char *src, int64_t e, int64_t from,
                                        int size)
{
  for (int b = 0; b < size; b++)
    dst[e * size + b] = src[from * size + b];
}

#ifdef __cplusplus
extern "C" {
#endif
void sai_halo_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_halo_cl;
/* A new handle, owned by tile's owner, holding the packed part of tile that args
 * describes (count elements), filled by a task on that owner. */
sa_status sai_halo_submit(starpu_data_handle_t *packed, starpu_data_handle_t tile,
                          const sai_halo_args *args, int64_t count);
#ifdef __cplusplus
}
#endif

#endif /* SAI_HALO_H */
