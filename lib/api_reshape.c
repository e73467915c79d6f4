/* SPDX-License-Identifier: MIT
 * sa_reshape: a view when the new shape only adds or drops axes of length 1; else a
 * copy into a new array, each output tile filled from the input tiles that hold its
 * elements (the reshape family), at most SAI_RESHAPE_MAX_IN input tiles a task. */
#include "reshape.h"

#include <stdio.h>
#include <string.h>

/* The view of a with shape (ndim, shape), if a's axes longer than 1 are the new
 * shape's, in order; NULL in *out if not. */
static sa_status reshape_view(sai_array **out, const sai_array *a, int ndim,
                              const int64_t *shape)
{
  sa_status st = SA_OK;
  int k = 0, u = 0;
  *out = NULL;
  for (; k < ndim; k++) {
    if (shape[k] == 1) continue;
    while (u < a->ndim && a->shape[u] == 1) u++;
    if (u == a->ndim || a->shape[u] != shape[k]) goto done;
    u++;
  }
  while (u < a->ndim && a->shape[u] == 1) u++;
  if (u != a->ndim) goto done;
  sai_array *v = NULL;
  SAI_CALL(sai_array_alias(&v, a));
  for (k = 0, u = 0; k < ndim; k++) {
    if (shape[k] == 1) { /* a new axis: no place of its own */
      v->map[k] = 0, v->step[k] = 0, v->shape[k] = 1;
      continue;
    }
    while (a->shape[u] == 1) u++;
    v->map[k] = a->map[u], v->step[k] = a->step[u], v->shape[k] = a->shape[u];
    u++;
  }
  v->ndim = ndim;
  *out = v;
done:
  return st;
}

/* The input's flat element p: its base index along base dim d. */
static int64_t base_at(const sai_reshape_args *a, int64_t p, int d)
{
  int64_t b = a->ioffset[d];
  for (int v = a->indim - 1; v >= 0; v--) {
    if (a->imap[v] == d) b += (p % a->ishape[v]) * a->istep[v];
    p /= a->ishape[v];
  }
  return b;
}

typedef struct batch {
  sai_reshape_args a;
  starpu_data_handle_t in[SAI_RESHAPE_MAX_IN];
  starpu_data_handle_t out;
  int first; /* no task has written the output tile yet */
} batch;

/* Submits elements [k0, k) of the batch's tile, then starts the next at k. */
static sa_status flush(batch *bt, int64_t k)
{
  sa_status st = SA_OK;
  if (k > bt->a.k0) {
    bt->a.k1 = k;
    SAI_CALL(sai_reshape_submit(bt->out, bt->first, bt->in, &bt->a));
    bt->first = 0;
  }
  bt->a.k0 = k;
  bt->a.nin = 0;
done:
  return st;
}

/* Input tile t among the batch's (sorted); 0 if the batch is full. */
static int add_tile(batch *bt, const sai_base *B, int64_t t)
{
  int n = bt->a.nin, k = 0;
  while (k < n && bt->a.ids[k] < t) k++;
  if (k < n && bt->a.ids[k] == t) return 1;
  if (n == SAI_RESHAPE_MAX_IN) return 0;
  memmove(&bt->a.ids[k + 1], &bt->a.ids[k], (size_t)(n - k) * sizeof *bt->a.ids);
  memmove(&bt->in[k + 1], &bt->in[k], (size_t)(n - k) * sizeof *bt->in);
  bt->a.ids[k] = t;
  bt->in[k] = sai_tile(B, t);
  bt->a.nin = n + 1;
  return 1;
}

/* Elements [k, k + n) of the output tile, input flat elements [p, p + n): split where
 * they change input tile, each piece added to the batch (flushed when full). */
static sa_status add_run(batch *bt, const sai_base *B, int64_t k, int64_t p, int64_t n)
{
  sa_status st = SA_OK;
  const sai_reshape_args *a = &bt->a;
  int last = a->indim - 1, d = a->imap[last];
  int64_t L = a->ishape[last], s = a->istep[last];
  while (n > 0) {
    int64_t run = L - p % L < n ? L - p % L : n, count = run; /* within one input row */
    int64_t t, off;
    sai_reshape_locate(a, p, &t, &off);
    if (s != 0) { /* along the row, until it leaves this tile along base dim d */
      int64_t b = base_at(a, p, d), tc = b / a->itile[d];
      count = s > 0 ? ((tc + 1) * a->itile[d] - b + s - 1) / s : (b - tc * a->itile[d]) / -s + 1;
      if (count > run) count = run;
    }
    if (!add_tile(bt, B, t)) {
      SAI_CALL(flush(bt, k));
      add_tile(bt, B, t);
    }
    k += count, p += count, n -= count;
  }
done:
  return st;
}

static sa_status reshape_copy(sai_array **out, const sai_array *a, int ndim,
                              const int64_t *shape, const char *func)
{
  sa_status st = SA_OK;
  sai_array *c = NULL;
  SAI_CALL(sai_array_new(&c, a->base->dtype, ndim, shape, NULL, func));
  const sai_base *O = c->base, *I = a->base;
  batch bt;
  memset(&bt, 0, sizeof bt);
  sai_reshape_args *ra = &bt.a;
  ra->esize = (int)sa_dtype_size(I->dtype);
  ra->ondim = ndim;
  ra->indim = a->ndim;
  ra->inbase_ndim = I->ndim;
  memcpy(ra->oshape, shape, (size_t)ndim * sizeof *shape);
  for (int v = 0; v < a->ndim; v++)
    ra->ishape[v] = a->shape[v], ra->istep[v] = a->step[v], ra->imap[v] = a->map[v];
  for (int d = 0; d < I->ndim; d++) {
    ra->ioffset[d] = a->offset[d];
    ra->itile[d] = I->tile[d];
    ra->igrid[d] = I->grid[d];
    ra->ibshape[d] = I->shape[d];
  }
  for (int64_t t = 0; t < O->ntiles; t++) {
    int64_t rest = t, n = 1;
    for (int d = ndim - 1; d >= 0; d--) {
      int64_t tc = rest % O->grid[d];
      rest /= O->grid[d];
      ra->oorigin[d] = tc * O->tile[d];
      ra->oext[d] = sai_tile_extent(O, d, tc);
      n *= ra->oext[d];
    }
    bt.out = sai_tile(O, t);
    bt.first = 1;
    ra->k0 = 0;
    ra->nin = 0;
    int64_t row = ra->oext[ndim - 1];
    for (int64_t k = 0; k < n; k += row) /* a tile row: consecutive flat indices */
      SAI_CALL(add_run(&bt, I, k, sai_reshape_flat(ra, k), row));
    SAI_CALL(flush(&bt, n));
  }
  *out = c;
  c = NULL;
done:
  sai_release(&c);
  return st;
}

SA_API sa_status sa_reshape(sa_array **out, const sa_array *h, int ndim, const int64_t *shape)
{
  sa_status st = SA_OK;
  const char *func = "sa_reshape";
  sai_array *a, *r = NULL;
  int64_t want[SA_MAX_NDIM], known = 1;
  int infer = -1;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, func, 2));
  SAI_REQUIRE(ndim >= 1 && ndim <= SA_MAX_NDIM && shape, SA_ERR_ARG,
              "%s: %d dimensions at %p (arguments 3 and 4; 1 to %d)", func, ndim,
              (const void *)shape, SA_MAX_NDIM);
  for (int k = 0; k < ndim; k++) {
    SAI_REQUIRE(shape[k] >= -1, SA_ERR_ARG, "%s: shape[%d] is %lld", func, k,
                (long long)shape[k]);
    SAI_REQUIRE(shape[k] != -1 || infer < 0, SA_ERR_ARG,
                "%s: can only specify one unknown dimension (-1)", func);
    if (shape[k] == -1) infer = k;
    else known *= shape[k];
    want[k] = shape[k];
  }
  int64_t size = sai_array_size(a);
  if (infer >= 0) {
    SAI_REQUIRE(known > 0 && size % known == 0, SA_ERR_SHAPE,
                "%s: cannot reshape an array of size %lld with an unknown dimension into "
                "the other dimensions' %lld elements", func, (long long)size, (long long)known);
    want[infer] = size / known;
    known = size;
  }
  SAI_REQUIRE(known == size, SA_ERR_SHAPE,
              "%s: cannot reshape an array of size %lld into a shape of %lld elements", func,
              (long long)size, (long long)known);
  SAI_CALL(reshape_view(&r, a, ndim, want));
  if (!r) SAI_CALL(reshape_copy(&r, a, ndim, want, func));
  *out = sai_array_handle(r);
done:
  return st;
}
