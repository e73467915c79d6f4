/* SPDX-License-Identifier: MIT
 * The halo family on the CPU: kernel, codelet and submission. */
#include "halo.h"

#include <stdlib.h>
#include <string.h>

static void sai_halo_cpu(void *buffers[], void *cl_arg)
{
  const sai_halo_args *a = cl_arg;
  char *dst = (char *)STARPU_VECTOR_GET_PTR(buffers[0]);
  const char *src = (const char *)STARPU_VECTOR_GET_PTR(buffers[1]);
  int64_t n = (int64_t)STARPU_VECTOR_GET_NX(buffers[0]);
  int64_t row = a->shape[a->ndim - 1], inner = a->stride[a->ndim - 1];
  for (int64_t e = 0; e < n; e += row) { /* one packed row at a time */
    int64_t from = sai_halo_source(a, e);
    if (inner == 1)
      memcpy(dst + e * a->elemsize, src + from * a->elemsize, (size_t)(row * a->elemsize));
    else
      for (int64_t k = 0; k < row; k++)
        sai_halo_copy(dst, src, e + k, from + k * inner, a->elemsize);
  }
}

/* By the elements packed, not the tile's size: a tile's rows and columns, and the
 * same halo of other tilings, are the same work. */
static uint64_t packed_elems(struct starpu_task *t)
{
  const sai_halo_args *a = t->cl_arg;
  uint64_t n = 1;
  for (int v = 0; v < a->ndim; v++) n *= (uint64_t)a->shape[v];
  return n;
}

static uint32_t halo_footprint(struct starpu_task *t)
{
  uint64_t n = packed_elems(t);
  return starpu_hash_crc32c_be_n(&n, sizeof n, 0);
}

static size_t halo_size(struct starpu_task *t, unsigned nimpl)
{
  (void)nimpl;
  return (size_t)packed_elems(t) * (size_t)((const sai_halo_args *)t->cl_arg)->elemsize;
}

SAI_CODELET_BY(halo, halo_footprint, halo_size, .nbuffers = 2, .modes = {STARPU_W, STARPU_R});

sa_status sai_halo_submit(starpu_data_handle_t *packed, starpu_data_handle_t tile,
                          const sai_halo_args *halo, int64_t count)
{
  sa_status st = SA_OK;
  sai_halo_args *args = malloc(sizeof *args);
  SAI_REQUIRE(args, SA_ERR_NOMEM, "halo: out of memory");
  *args = *halo;
  starpu_vector_data_register(packed, -1, 0, (uint32_t)count, (size_t)halo->elemsize);
  sai_dist_register(*packed, sai_dist_owner(tile));
  struct starpu_data_descr d[2] = {{*packed, STARPU_W}, {tile, STARPU_R}};
  int ret = sai_task_insert(&sai_halo_cl, d, 2, args, sizeof *args, "halo");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "halo: task submission failed (%d)", ret);
done:
  return st;
}
