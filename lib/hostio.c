/* SPDX-License-Identifier: MIT
 * Host copies: a C-order buffer into a new array and any view out to a buffer,
 * one tile at a time through starpu_data_acquire. */
#include "convert.h"
#include "sai.h"

#include <stdio.h>

#include <string.h>

/* Copies the part of view a that lies in tile t between the tile's memory and a
 * C-order host buffer of a's shape (to_host: tile -> host). */
static void copy_tile(const sai_array *a, int64_t t, void *tile_mem, void *host, int to_host)
{
  const sai_base *b = a->base;
  int64_t tc[SA_MAX_NDIM], tstride[SA_MAX_NDIM], rest = t;
  for (int d = b->ndim - 1; d >= 0; d--) tc[d] = rest % b->grid[d], rest /= b->grid[d];
  for (int64_t d = b->ndim - 1, s = 1; d >= 0; d--)
    tstride[d] = s, s *= sai_tile_extent(b, (int)d, tc[d]);
  int64_t lo[SA_MAX_NDIM], hi[SA_MAX_NDIM], vstride[SA_MAX_NDIM], i[SA_MAX_NDIM];
  int64_t tile_base = 0, host_base = 0, step[SA_MAX_NDIM];
  for (int d = 0; d < b->ndim; d++) tile_base += (a->offset[d] - tc[d] * b->tile[d]) * tstride[d];
  int64_t s = 1;
  for (int v = a->ndim - 1; v >= 0; v--) {
    sai_view_tile_range(a, v, tc[a->map[v]], &lo[v], &hi[v]);
    if (hi[v] <= lo[v]) return;
    vstride[v] = s;
    s *= a->shape[v];
    step[v] = a->step[v] * tstride[a->map[v]];
    i[v] = lo[v];
  }
  size_t es = sa_dtype_size(b->dtype);
  if (a->ndim == 0) { /* every dimension indexed: one element */
    char *tp = (char *)tile_mem + (size_t)tile_base * es;
    if (to_host) memcpy(host, tp, es);
    else memcpy(tp, host, es);
    return;
  }
  for (;;) {
    int64_t ti = tile_base, hi_ = host_base;
    for (int v = 0; v < a->ndim; v++) ti += i[v] * step[v], hi_ += i[v] * vstride[v];
    int last = a->ndim - 1;
    if (step[last] == 1) { /* a contiguous run in the tile as in the host buffer */
      char *tp = (char *)tile_mem + (size_t)ti * es, *hp = (char *)host + (size_t)hi_ * es;
      size_t run = (size_t)(hi[last] - lo[last]) * es;
      if (to_host) memcpy(hp, tp, run);
      else memcpy(tp, hp, run);
    } else {
      for (int64_t k = lo[last]; k < hi[last]; k++) {
        char *tp = (char *)tile_mem + (size_t)(ti + (k - i[last]) * step[last]) * es;
        char *hp = (char *)host + (size_t)(hi_ + (k - i[last]) * vstride[last]) * es;
        if (to_host) memcpy(hp, tp, es);
        else memcpy(tp, hp, es);
      }
    }
    int v = last - 1;
    while (v >= 0 && ++i[v] == hi[v]) i[v] = lo[v], v--;
    if (v < 0) return;
  }
}

/* Calls copy_tile on every tile of a's base that holds part of view a. */
sa_status sai_host_read(const sai_array *a, void *host, int root, const char *func)
{
  sa_status st = SA_OK;
  const sai_base *b = a->base;
  sai_defer_flush();
  if (sai_array_size(a) == 0) goto done;
  for (int64_t t = 0; t < b->ntiles; t++) {
    int64_t rest = t, tc[SA_MAX_NDIM], used = 1;
    for (int d = b->ndim - 1; d >= 0; d--) tc[d] = rest % b->grid[d], rest /= b->grid[d];
    int mapped[SA_MAX_NDIM] = {0};
    for (int v = 0; v < a->ndim; v++) {
      int64_t lo, hi;
      sai_view_tile_range(a, v, tc[a->map[v]], &lo, &hi);
      used &= hi > lo;
      if (a->step[v]) mapped[a->map[v]] = 1; /* a step-0 dim has no place of its own */
    }
    for (int d = 0; d < b->ndim; d++)
      if (!mapped[d]) used &= sai_tile_holds_offset(a, d, tc[d]);
    if (!used) continue;
    /* under MPI: the owner sends the tile to every rank (or rank 0) */
    if (root && sai_rt.rank != 0 && sai_tile_owner(b, t) != sai_rt.rank) continue;
    starpu_data_handle_t h = sai_tile(b, t);
    sai_dist_fetch(h, root ? 0 : -1);
    if (root && sai_rt.rank != 0) continue;
    int ret = starpu_data_acquire(h, STARPU_R);
    SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: cannot access tile %lld (%d)", func,
                (long long)t, ret);
    copy_tile(a, t, (void *)starpu_data_get_local_ptr(h), host, 1);
    starpu_data_release(h);
  }
  SAI_CALL(sai_async_take(func));
done:
  return st;
}

sa_status sai_host_fill(sai_array *a, const void *data, const char *func)
{
  sa_status st = SA_OK;
  /* A fresh tile has no valid copy yet: acquiring it for writing allocates it. */
  sai_defer_flush();
  for (int64_t t = 0; t < a->base->ntiles; t++) {
    if (sai_tile_owner(a->base, t) != sai_rt.rank) continue; /* its owner copies it in */
    starpu_data_handle_t h = sai_tile(a->base, t);
    int ret = starpu_data_acquire(h, STARPU_W);
    SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: cannot access tile %lld (%d)", func,
                (long long)t, ret);
    copy_tile(a, t, (void *)starpu_data_get_local_ptr(h), (void *)data, 0);
    starpu_data_release(h);
  }
done:
  return st;
}

SA_API sa_status sa_from_buffer(sa_array **out, sa_dtype dtype, int ndim,
                                const int64_t *shape, const void *data,
                                const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_from_buffer: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_new(&a, dtype, ndim, shape, opts, "sa_from_buffer"));
  SAI_REQUIRE(data || sai_array_size(a) == 0, SA_ERR_ARG,
              "sa_from_buffer: data is NULL (argument 5) for %lld elements",
              (long long)sai_array_size(a));
  SAI_CALL(sai_host_fill(a, data, "sa_from_buffer"));
  *out = sai_array_handle(a);
  a = NULL;
done:
  sai_release(&a);
  return st;
}

SA_API sa_status sa_to_buffer(void *data, size_t size, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_to_buffer", 3));
  size_t need = (size_t)sai_array_size(a) * sa_dtype_size(a->base->dtype);
  SAI_REQUIRE(data || need == 0, SA_ERR_ARG, "sa_to_buffer: data is NULL (argument 1)");
  SAI_REQUIRE(size >= need, SA_ERR_ARG,
              "sa_to_buffer: buffer of %zu bytes (argument 2) is too small for %zu", size,
              need);
  SAI_CALL(sai_host_read(a, data, 0, "sa_to_buffer"));
done:
  return st;
}

/* Element index of a (a->ndim indices, negative ones from the end) into *elem, its
 * bytes (a waits for the tasks writing it). */
static sa_status read_item(void *elem, const sai_array *a, const int64_t *index,
                           const char *func)
{
  sa_status st = SA_OK;
  char text[SA_MAX_NDIM * 24 + 1] = "";
  size_t n = 0;
  SAI_REQUIRE(index || a->ndim == 0, SA_ERR_ARG, "%s: index is NULL (argument 3)", func);
  for (int d = 0; d < a->ndim; d++) {
    int64_t i = index[d] < 0 ? index[d] + a->shape[d] : index[d];
    SAI_REQUIRE(i >= 0 && i < a->shape[d], SA_ERR_INDEX,
                "%s: index %lld is out of bounds for axis %d with size %lld", func,
                (long long)index[d], d, (long long)a->shape[d]);
    n += (size_t)snprintf(text + n, sizeof text - n, "%s%lld", d ? "," : "", (long long)i);
  }
  sai_array *v = NULL;
  SAI_CALL(sai_view(&v, a, text, func));
  st = sai_host_read(v, elem, 0, func);
  sai_release(&v);
  if (st != SA_OK) sai_error_push(st, __FILE__, __LINE__, __func__);
done:
  return st;
}

/* One element of a user's array into *f (a double) or *i (exact integers). */
static sa_status item(double *f, int64_t *i, const sa_array *h, const int64_t *index,
                      const char *func)
{
  sa_status st = SA_OK;
  sai_array *a;
  char elem[8];
  SAI_REQUIRE(f || i, SA_ERR_ARG, "%s: value is NULL (argument 1)", func);
  SAI_CALL(sai_array_get(&a, h, func, 2));
  SAI_REQUIRE(f || (a->base->dtype != SA_F32 && a->base->dtype != SA_F64), SA_ERR_DTYPE,
              "%s: the array is %s; sa_item reads floats", func,
              sa_dtype_name(a->base->dtype));
  SAI_CALL(read_item(elem, a, index, func));
  if (f) *f = sai_load_f(elem, 0, a->base->dtype);
  else *i = sai_load_i(elem, 0, a->base->dtype);
done:
  return st;
}

SA_API sa_status sa_item(double *value, const sa_array *a, const int64_t *index)
SAI_API_CALL(item(value, NULL, a, index, "sa_item"))

SA_API sa_status sa_item_int(int64_t *value, const sa_array *a, const int64_t *index)
SAI_API_CALL(item(NULL, value, a, index, "sa_item_int"))
