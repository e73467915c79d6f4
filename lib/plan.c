/* SPDX-License-Identifier: MIT
 * The planner: broadcast shapes, and for each output tile the boxes in which every
 * operand reads exactly one tile; then one StarPU task per output tile. */
#include "expr.h"
#include "halo.h"
#include "reduce.h"

#include <stdlib.h>
#include <string.h>

static void shape_text(char *buf, size_t size, int ndim, const int64_t *shape)
{
  size_t n = (size_t)snprintf(buf, size, "(");
  for (int d = 0; d < ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? "," : "", (long long)shape[d]);
  if (n < size) snprintf(buf + n, size - n, "%s)", ndim == 1 ? "," : "");
}

sa_status sai_broadcast(const sai_expr *ex, int *ndim, int64_t *shape, const char *func,
                        const char *text)
{
  sa_status st = SA_OK;
  int nd = 0;
  for (int k = 0; k < ex->noperands; k++)
    if (ex->operands[k]->ndim > nd) nd = ex->operands[k]->ndim;
  for (int d = 0; d < nd; d++) shape[d] = 1;
  for (int k = 0; k < ex->noperands; k++) {
    const sa_array *a = ex->operands[k];
    for (int u = 0; u < a->ndim; u++) {
      int64_t *s = &shape[u + nd - a->ndim];
      if (*s == 1) {
        *s = a->shape[u];
      } else if (a->shape[u] != 1 && a->shape[u] != *s) {
        char mine[64], all[64];
        shape_text(mine, sizeof mine, a->ndim, a->shape);
        shape_text(all, sizeof all, nd, shape);
        SAI_FAIL(SA_ERR_SHAPE,
                 "%s: '%s' (column %zu) has shape %s, which cannot be broadcast with the "
                 "shape %s of the operands before it in \"%s\"", func, ex->texts[k],
                 ex->cols[k], mine, all, text);
      }
    }
  }
  *ndim = nd;
done:
  return st;
}

/* Checks that a result of shape (nd, shape) can be assigned to view out. */
sa_status sai_check_assign(const sa_array *out, int nd, const int64_t *shape,
                           const char *func)
{
  sa_status st = SA_OK;
  int ok = nd <= out->ndim;
  for (int u = 0; ok && u < nd; u++) {
    int64_t want = out->shape[u + out->ndim - nd];
    ok = shape[u] == want || shape[u] == 1;
  }
  if (!ok) {
    char a[64], b[64];
    shape_text(a, sizeof a, nd, shape);
    shape_text(b, sizeof b, out->ndim, out->shape);
    SAI_FAIL(SA_ERR_SHAPE, "%s: could not broadcast the expression's shape %s into the "
             "output's shape %s", func, a, b);
  }
done:
  return st;
}

/* Where view a's element at iteration index start lives: tile, element offset
 * in that tile, and element strides per iteration dimension (0: broadcast). */
static void locate(const sa_array *a, int nd, const int64_t *start, int64_t *tile,
                   int64_t *offset, int64_t *stride)
{
  const sai_base *b = a->base;
  int64_t bidx[SA_MAX_NDIM], tc[SA_MAX_NDIM], tstride[SA_MAX_NDIM];
  int shift = nd - a->ndim;
  memcpy(bidx, a->offset, sizeof bidx);
  for (int u = 0; u < a->ndim; u++)
    if (a->shape[u] != 1) bidx[a->map[u]] += start[u + shift] * a->step[u];
  *tile = 0;
  for (int d = 0; d < b->ndim; d++) {
    tc[d] = bidx[d] / b->tile[d];
    *tile = *tile * b->grid[d] + tc[d];
  }
  for (int d = b->ndim - 1, s = 1; d >= 0; d--)
    tstride[d] = s, s *= (int)sai_tile_extent(b, d, tc[d]);
  *offset = 0;
  for (int d = 0; d < b->ndim; d++) *offset += (bidx[d] - tc[d] * b->tile[d]) * tstride[d];
  for (int v = 0; v < nd; v++) stride[v] = 0;
  for (int u = 0; u < a->ndim; u++)
    if (a->shape[u] != 1) stride[u + shift] = a->step[u] * tstride[a->map[u]];
}

typedef struct task_plan {
  struct starpu_data_descr *descr;
  int nbuf, capbuf;
  sai_ew_args *args;
  size_t nbox_cap;
  int exec_rank;                 /* under MPI: the rank that runs the task */
  void **packed;                 /* halo handles this task reads (see maybe_pack) */
  size_t npacked, cappacked;
} task_plan;

static int buffer_of(task_plan *tp, starpu_data_handle_t h)
{
  for (int k = 0; k < tp->nbuf; k++)
    if (tp->descr[k].handle == h) return k;
  if (tp->nbuf == tp->capbuf) {
    int cap = tp->capbuf ? 2 * tp->capbuf : 16;
    struct starpu_data_descr *d = realloc(tp->descr, (size_t)cap * sizeof *d);
    if (!d) return -1;
    tp->descr = d;
    tp->capbuf = cap;
  }
  tp->descr[tp->nbuf] = (struct starpu_data_descr){.handle = h, .mode = STARPU_R};
  return tp->nbuf++;
}

/* Under MPI: operand k of box reads tile h, which another rank owns. When the part
 * it reads is at most half the tile, it reads a packed copy of that part made on
 * the owner instead, so only the part crosses the network (a stencil's halo). */
static sa_status maybe_pack(task_plan *tp, const sai_base *b, sai_ew_box *box, int k, int nd,
                            starpu_data_handle_t *h)
{
  sa_status st = SA_OK;
  if (sai_dist_owner(*h) == tp->exec_rank) goto done;
  sai_halo_args ha = {.ndim = nd, .elemsize = (int)sa_dtype_size(b->dtype),
                      .offset = box->offset[k]};
  int64_t count = 1;
  for (int v = 0; v < nd; v++) {
    ha.shape[v] = box->stride[k][v] ? box->shape[v] : 1;
    ha.stride[v] = box->stride[k][v];
    count *= ha.shape[v];
  }
  if (2 * count > (int64_t)starpu_vector_get_nx(*h)) goto done; /* send the tile */
  starpu_data_handle_t packed;
  SAI_CALL(sai_halo_submit(&packed, *h, &ha, count));
  if (!sai_push(&tp->packed, &tp->npacked, &tp->cappacked, packed)) {
    starpu_data_unregister_submit(packed);
    SAI_FAIL(SA_ERR_NOMEM, "sa_eval: out of memory");
  }
  box->offset[k] = 0;
  int64_t step = 1;
  for (int v = nd - 1; v >= 0; v--) {
    box->stride[k][v] = ha.stride[v] ? step : 0;
    step *= ha.shape[v];
  }
  *h = packed;
done:
  return st;
}

/* The halo handles of the task just submitted (or abandoned) go when it is done. */
static void drop_packed(task_plan *tp)
{
  for (size_t k = 0; k < tp->npacked; k++) starpu_data_unregister_submit(tp->packed[k]);
  tp->npacked = 0;
}

/* Adds cut points of operand a along iteration dim v inside (lo, hi). */
static int add_cuts(const sa_array *a, int nd, int v, int64_t lo, int64_t hi, int64_t *cuts,
                    int ncuts, int cap)
{
  int u = v - (nd - a->ndim);
  if (u < 0 || a->shape[u] == 1) return ncuts;
  for (int64_t t = 0; t < a->base->grid[a->map[u]] && ncuts < cap; t++) {
    int64_t c0, c1;
    sai_view_tile_range(a, u, t, &c0, &c1);
    if (c1 > c0 && c0 > lo && c0 < hi) cuts[ncuts++] = c0;
  }
  return ncuts;
}

static int cmp_i64(const void *x, const void *y)
{
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return (a > b) - (a < b);
}

/* Fills tp with the boxes of output tile region [lo, hi) (iteration indices). */
static sa_status plan_tile(task_plan *tp, const sa_array *out, sa_array *const *ops, int nops,
                           int nd, const int64_t *lo, const int64_t *hi, int reduce)
{
  sa_status st = SA_OK;
  enum { LOCAL = 64 }; /* most tiles need a few cuts: no allocation then */
  int64_t local[SA_MAX_NDIM][LOCAL], *cuts[SA_MAX_NDIM] = {NULL};
  int ncut[SA_MAX_NDIM], room[SA_MAX_NDIM];
  for (int v = 0; v < nd; v++) {
    int64_t need = 2;
    for (int k = 0; k < nops; k++) {
      int u = v - (nd - ops[k]->ndim);
      if (u >= 0) need += ops[k]->base->grid[ops[k]->map[u]];
    }
    room[v] = (int)need;
    cuts[v] = need <= LOCAL ? local[v] : malloc((size_t)need * sizeof **cuts);
    SAI_REQUIRE(cuts[v], SA_ERR_NOMEM, "sa_eval: out of memory");
    cuts[v][0] = lo[v];
    ncut[v] = 1;
    for (int k = 0; k < nops; k++)
      ncut[v] = add_cuts(ops[k], nd, v, lo[v], hi[v], cuts[v], ncut[v], room[v] - 1);
    qsort(cuts[v], (size_t)ncut[v], sizeof **cuts, cmp_i64);
    int m = 1;
    for (int k = 1; k < ncut[v]; k++)
      if (cuts[v][k] != cuts[v][m - 1]) cuts[v][m++] = cuts[v][k];
    cuts[v][m] = hi[v];
    ncut[v] = m; /* segments */
  }
  int seg[SA_MAX_NDIM] = {0};
  for (;;) {
    if ((size_t)tp->args->nboxes == tp->nbox_cap) {
      size_t cap = 2 * tp->nbox_cap;
      sai_ew_args *grown = realloc(tp->args, sizeof *grown + cap * sizeof(sai_ew_box));
      SAI_REQUIRE(grown, SA_ERR_NOMEM, "sa_eval: out of memory");
      tp->args = grown;
      tp->nbox_cap = cap;
    }
    sai_ew_box *box = &tp->args->boxes[tp->args->nboxes++];
    memset(box, 0, sizeof *box);
    int64_t start[SA_MAX_NDIM];
    for (int v = 0; v < nd; v++) {
      start[v] = cuts[v][seg[v]];
      box->start[v] = start[v];
      box->shape[v] = cuts[v][seg[v] + 1] - start[v];
    }
    for (int k = reduce ? 1 : 0; k <= nops; k++) { /* a reduction writes no array */
      const sa_array *a = k ? ops[k - 1] : out;
      int64_t t;
      locate(a, nd, start, &t, &box->offset[k], box->stride[k]);
      starpu_data_handle_t h = a->base->handles[t];
      if (k && sai_rt.mpi) SAI_CALL(maybe_pack(tp, a->base, box, k, nd, &h));
      box->buffer[k] = buffer_of(tp, h);
      SAI_REQUIRE(box->buffer[k] >= 0, SA_ERR_NOMEM, "sa_eval: out of memory");
      if (k && box->buffer[k] == 0) tp->descr[0].mode = STARPU_RW; /* reads the output */
    }
    int v = nd - 1;
    while (v >= 0 && ++seg[v] == ncut[v]) seg[v] = 0, v--;
    if (v < 0) break;
  }
done:
  for (int v = 0; v < nd; v++)
    if (cuts[v] != local[v]) free(cuts[v]);
  return st;
}

/* The view's iteration range inside output tile t, or 0 if it has none there. */
static int tile_region(const sa_array *out, int64_t t, int64_t *lo, int64_t *hi,
                       int64_t *count, int64_t *tile_size)
{
  const sai_base *b = out->base;
  int64_t tc[SA_MAX_NDIM], rest = t;
  int mapped[SA_MAX_NDIM] = {0};
  for (int d = b->ndim - 1; d >= 0; d--) tc[d] = rest % b->grid[d], rest /= b->grid[d];
  *count = *tile_size = 1;
  for (int d = 0; d < b->ndim; d++) *tile_size *= sai_tile_extent(b, d, tc[d]);
  for (int v = 0; v < out->ndim; v++) {
    sai_view_tile_range(out, v, tc[out->map[v]], &lo[v], &hi[v]);
    *count *= hi[v] - lo[v];
    mapped[out->map[v]] = 1;
  }
  for (int d = 0; d < b->ndim; d++)
    if (!mapped[d] && !sai_tile_holds_offset(out, d, tc[d])) return 0;
  return *count > 0;
}

/* One task per tile of out's base that the view covers. With a reduction (red not
 * NULL) out only drives the iteration: each task writes its own partial result
 * into a new handle, collected in red->partials in tile order. */
static sa_status submit_tiles(const sa_array *out_view, sa_array *const *ops, int nops,
                              const sai_ew_program *prog, const char *name,
                              sai_reduce_plan *red, const char *text, int accumulate,
                              sai_reduce_plan *extra)
{
  sa_status st = SA_OK;
  int64_t statement = text && sai_rt.settings.check_finite ? ++sai_rt.statements : 0;
  char what[200] = "";
  if (text) {
    char where[120];
    sai_call_site_text(where, sizeof where);
    snprintf(what, sizeof what, "%s%s", text, where);
  }
  sa_array out = *out_view;
  if (out.ndim == 0) { /* one element: iterate over a length-1 dimension */
    out.ndim = 1;
    out.shape[0] = 1;
    out.map[0] = 0;
    out.step[0] = 1;
  }
  task_plan tp = {0};
  if (sai_array_size(&out) == 0) goto done;
  for (int64_t t = 0; t < out.base->ntiles; t++) {
    int64_t lo[SA_MAX_NDIM], hi[SA_MAX_NDIM], count, size;
    if (!tile_region(&out, t, lo, hi, &count, &size)) continue;
    tp.nbuf = 0;
    tp.nbox_cap = 4;
    tp.args = malloc(sizeof *tp.args + tp.nbox_cap * sizeof(sai_ew_box));
    SAI_REQUIRE(tp.args, SA_ERR_NOMEM, "%s: out of memory", name);
    tp.args->prog = *prog;
    tp.args->ndim = out.ndim;
    memcpy(tp.args->extent, out.shape, sizeof out.shape);
    tp.args->nboxes = 0;
    tp.args->reduce = red ? red->op : 0;
    tp.args->accumulate = accumulate;
    tp.args->statement = statement;
    memcpy(tp.args->text, what, sizeof what);
    starpu_data_handle_t first = out.base->handles[t];
    if (red) {
      SAI_CALL(sai_reduce_partial(red, &first, sai_dist_owner(first), name));
    }
    buffer_of(&tp, first);
    SAI_REQUIRE(tp.nbuf == 1, SA_ERR_NOMEM, "%s: out of memory", name);
    tp.exec_rank = sai_dist_owner(first);
    tp.descr[0].mode = red || (count == size && !accumulate) ? STARPU_W : STARPU_RW;
    for (int k = 0; k < prog->nextra; k++) { /* sa_eval_reduce: buffers 1..n */
      starpu_data_handle_t part = first;
      SAI_CALL(sai_reduce_partial(&extra[k], &part, tp.exec_rank, name));
      SAI_REQUIRE(buffer_of(&tp, part) == 1 + k, SA_ERR_NOMEM, "%s: out of memory", name);
      tp.descr[1 + k].mode = STARPU_W;
    }
    SAI_CALL(plan_tile(&tp, &out, ops, nops, out.ndim, lo, hi, red != NULL));
    size_t bytes = sizeof *tp.args + (size_t)tp.args->nboxes * sizeof(sai_ew_box);
    struct starpu_codelet *cl = red               ? red->cl
                                : accumulate      ? &sai_accumulate_cl
                                : prog->nextra    ? &sai_eval_reduce_cl
                                                  : &sai_elementwise_cl;
    int ret = sai_task_insert(cl, tp.descr, tp.nbuf, tp.args, bytes, name);
    tp.args = NULL; /* StarPU owns it now */
    drop_packed(&tp);
    SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", name, ret);
  }
done:
  drop_packed(&tp);
  free(tp.packed);
  free(tp.args);
  free(tp.descr);
  return st;
}

sa_status sai_ew_submit(sa_array *out, sa_array *const *ops, int nops,
                        const sai_ew_program *prog, const char *name)
{
  return submit_tiles(out, ops, nops, prog, name, NULL, NULL, 0, NULL);
}

sa_status sai_ew_submit_checked(sa_array *out, sa_array *const *ops, int nops,
                                const sai_ew_program *prog, const char *name,
                                const char *text, sai_reduce_plan *extra)
{
  return submit_tiles(out, ops, nops, prog, name, NULL, text, 0, extra);
}

sa_status sai_ew_submit_accumulate(sa_array *out, sa_array *const *ops, int nops,
                                   const sai_ew_program *prog, int op)
{
  return submit_tiles(out, ops, nops, prog, "reduce_axis", NULL, NULL, op, NULL);
}

sa_status sai_reduce_tiles(const sa_array *driver, sa_array *const *ops, int nops,
                           const sai_ew_program *prog, const char *name, sai_reduce_plan *red)
{
  return submit_tiles(driver, ops, nops, prog, name, red, NULL, 0, NULL);
}
