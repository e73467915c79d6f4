/* SPDX-License-Identifier: MIT
 * The reshape family: elements [k0, k1) (C order) of an output tile filled, one by
 * one, from the input view's element of the same C-order flat index (NumPy's
 * reshape of a copy). The input tiles the task reads are buffers 1.. in the order of
 * their tile numbers (ids). Shared by the CPU (reshape.c) and CUDA (reshape.cu). */
#ifndef SAI_RESHAPE_H
#define SAI_RESHAPE_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

#define SAI_RESHAPE_MAX_IN 48 /* input tiles per task (StarPU handles many, not thousands) */

typedef struct sai_reshape_args {
  int esize, ondim, indim, inbase_ndim, nin;
  int64_t k0, k1;                            /* elements of the output tile, C order */
  int64_t oshape[SA_MAX_NDIM];               /* the output array's shape */
  int64_t oorigin[SA_MAX_NDIM], oext[SA_MAX_NDIM]; /* the output tile's box */
  int64_t ishape[SA_MAX_NDIM], istep[SA_MAX_NDIM]; /* the input view */
  int imap[SA_MAX_NDIM];
  int64_t ioffset[SA_MAX_NDIM];
  int64_t itile[SA_MAX_NDIM], igrid[SA_MAX_NDIM], ibshape[SA_MAX_NDIM]; /* its base */
  int64_t ids[SAI_RESHAPE_MAX_IN];           /* input tile numbers, increasing */
} sai_reshape_args;

/* The input tile number and element offset in it of the input's flat element f. */
static inline SAI_HD void sai_reshape_locate(const sai_reshape_args *a, int64_t f,
                                             int64_t *tile, int64_t *off)
{
  int64_t b[SA_MAX_NDIM];
  for (int d = 0; d < a->inbase_ndim; d++) b[d] = a->ioffset[d];
  for (int v = a->indim - 1; v >= 0; v--) {
    int64_t i = f % a->ishape[v];
    f /= a->ishape[v];
    b[a->imap[v]] += i * a->istep[v];
  }
  int64_t t = 0, o = 0;
  for (int d = 0; d < a->inbase_ndim; d++) {
    int64_t tc = b[d] / a->itile[d], lo = tc * a->itile[d];
    int64_t ext = lo + a->itile[d] < a->ibshape[d] ? a->itile[d] : a->ibshape[d] - lo;
    t = t * a->igrid[d] + tc;
    o = o * ext + (b[d] - lo);
  }
  *tile = t;
  *off = o;
}

/* The flat index in the output array of its tile's element k. */
static inline SAI_HD int64_t sai_reshape_flat(const sai_reshape_args *a, int64_t k)
{
  int64_t idx[SA_MAX_NDIM], f = 0;
  for (int d = a->ondim - 1; d >= 0; d--) idx[d] = a->oorigin[d] + k % a->oext[d], k /= a->oext[d];
  for (int d = 0; d < a->ondim; d++) f = f * a->oshape[d] + idx[d];
  return f;
}

/* Output tile element k0 + k copied. */
static inline SAI_HD void sai_reshape_element(const sai_reshape_args *a, char *out,
                                              char *const *in, int64_t k)
{
  k += a->k0;
  int64_t f = sai_reshape_flat(a, k);
  int64_t t, off, lo = 0, hi = a->nin - 1;
  sai_reshape_locate(a, f, &t, &off);
  while (lo < hi) { /* which buffer holds tile t */
    int64_t mid = (lo + hi) / 2;
    if (a->ids[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  const char *src = in[lo] + off * a->esize;
  char *dst = out + k * a->esize;
  for (int b = 0; b < a->esize; b++) dst[b] = src[b];
}

#ifdef __cplusplus
extern "C" {
#endif
void sai_reshape_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_reshape_cl;
/* One task: elements of output tile out (mode W for the first part of a tile, else RW)
 * from the input tiles in[0..nin). */
sa_status sai_reshape_submit(starpu_data_handle_t out, int first,
                             const starpu_data_handle_t *in, const sai_reshape_args *args);
#ifdef __cplusplus
}
#endif

#endif /* SAI_RESHAPE_H */
