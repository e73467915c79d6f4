/* SPDX-License-Identifier: MIT
 * Matrix products: operands are copied (and converted) into square-tiled
 * temporaries, then one gemm task per output tile and k-step, in k order. */
#include "plan.h"
#include "gemm.h"

#include <math.h>
#include <string.h>

/* A new m x n array of dtype t tiled ts x ts holding a (converted), written at index
 * (a row "0" or column ":, 0" for a vector; NULL: all of it). */
static sa_status staged(sai_array **out, sa_dtype t, int64_t m, int64_t n, int64_t ts,
                        const sai_array *a, const char *index)
{
  sa_status st = SA_OK;
  sa_array_opts opts = {.tile = {ts, ts}};
  SAI_CALL(sai_array_new(out, t, 2, (const int64_t[]){m, n}, &opts, "sa_matmul"));
  sai_eval_req r = {.func = "sa_matmul", .out = *out, .index = index, .text = "a",
                    .args = SA_ARGS(SAI_ARR("a", a))};
  if (m * n > 0) SAI_CALL(sai_eval(&r));
done:
  return st;
}

static sa_status check_operand(sai_array **out, const sa_array *h, int argn)
{
  sa_status st = SA_OK;
  SAI_CALL(sai_array_get(out, h, "sa_matmul", argn));
  const sai_array *a = *out;
  SAI_REQUIRE(a->ndim == 1 || a->ndim == 2, SA_ERR_NOT_SUPPORTED,
              "sa_matmul: argument %d has %d dimensions; 1 or 2 are supported", argn,
              a->ndim);
  SAI_REQUIRE(a->base->dtype == SA_F32 || a->base->dtype == SA_F64, SA_ERR_DTYPE,
              "sa_matmul: argument %d is %s; matmul takes float32 or float64 (sa_astype)",
              argn, sa_dtype_name(a->base->dtype));
done:
  return st;
}

SA_API sa_status sa_matmul(sa_array **out, const sa_array *ha, const sa_array *hb)
{
  sa_status st = SA_OK;
  sai_array *A = NULL, *B = NULL, *C = NULL, *a, *b, *v;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_matmul: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_require_init("sa_matmul"));
  SAI_CALL(check_operand(&a, ha, 2));
  SAI_CALL(check_operand(&b, hb, 3));
  SAI_REQUIRE(a->ndim == 2 || b->ndim == 2, SA_ERR_NOT_SUPPORTED,
              "sa_matmul: two vectors; use sa_reduce(&f, \"sum\", \"a * b\", ...) for a dot "
              "product");
  int64_t m = a->ndim == 2 ? a->shape[0] : 1, k = a->shape[a->ndim - 1];
  int64_t k2 = b->shape[0], n = b->ndim == 2 ? b->shape[1] : 1;
  SAI_REQUIRE(k == k2, SA_ERR_SHAPE,
              "sa_matmul: shapes do not align: argument 2 has %lld columns, argument 3 has "
              "%lld rows", (long long)k, (long long)k2);
  sa_dtype t = sa_result_type(a->base->dtype, b->base->dtype);
  int64_t ts = (int64_t)sqrt((double)sai_rt.settings.tile_size);
  ts = ts < 1 ? 1 : ts > 1024 ? 1024 : ts;
  SAI_CALL(staged(&A, t, m, k, ts, a, a->ndim == 1 ? "0" : NULL));
  SAI_CALL(staged(&B, t, k, n, ts, b, b->ndim == 1 ? ":, 0" : NULL));
  sa_array_opts opts = {.tile = {ts, ts}};
  if (k == 0) {
    SAI_CALL(sai_full(&C, t, 2, (const int64_t[]){m, n}, 0.0, &opts, "sa_matmul"));
  } else {
    SAI_CALL(sai_array_new(&C, t, 2, (const int64_t[]){m, n}, &opts, "sa_matmul"));
  }
  const sai_base *ab = A->base, *bb = B->base, *cb = C->base;
  char where[120];
  sai_call_site_text(where, sizeof where);
  for (int64_t i = 0; k && i < cb->grid[0]; i++)
    for (int64_t j = 0; j < cb->grid[1]; j++)
      for (int64_t q = 0; q < ab->grid[1]; q++) {
        sai_gemm_args g = {.m = sai_tile_extent(cb, 0, i), .n = sai_tile_extent(cb, 1, j),
                           .k = sai_tile_extent(ab, 1, q), .beta = q ? 1.0 : 0.0,
                           .dtype = (int)t};
        memcpy(g.where, where, sizeof where);
        SAI_CALL(sai_gemm_submit(sai_tile(ab, i * ab->grid[1] + q),
                                 sai_tile(bb, q * bb->grid[1] + j),
                                 sai_tile(cb, i * cb->grid[1] + j), &g));
      }
  if (a->ndim == 1 || b->ndim == 1) { /* a vector in, a vector out */
    SAI_CALL(sai_view(&v, C, a->ndim == 1 ? "0" : ":, 0", "sa_matmul"));
    *out = sai_array_handle(v);
  } else {
    *out = sai_array_handle(C);
    C = NULL;
  }
done:
  sai_release(&A);
  sai_release(&B);
  sai_release(&C);
  return st;
}
