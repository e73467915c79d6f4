/* SPDX-License-Identifier: MIT
 * The planner: broadcast shapes, and for each output tile the boxes in which every
 * operand reads exactly one tile; then one StarPU task per output tile (and the
 * partial results of reductions, one per task). */
#include "plan.h"
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
    const sai_array *a = ex->operands[k];
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
sa_status sai_check_assign(const sai_array *out, int nd, const int64_t *shape,
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
static void locate(const sai_array *a, int nd, const int64_t *start, int64_t *tile,
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
  for (int64_t d = b->ndim - 1, s = 1; d >= 0; d--)
    tstride[d] = s, s *= sai_tile_extent(b, (int)d, tc[d]);
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
                            starpu_data_handle_t *h, const char *func)
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
    SAI_FAIL(SA_ERR_NOMEM, "%s: out of memory", func);
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
static int add_cuts(const sai_array *a, int nd, int v, int64_t lo, int64_t hi, int64_t *cuts,
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

enum { LOCAL_CUTS = 64 }; /* most tiles need a few cuts: no allocation then */

/* The points in [lo, hi) along iteration dim v where some operand moves to another
 * tile, sorted and unique, with lo first and hi last: *ncut segments, in local or
 * (more than it holds) in a new allocation. */
static sa_status dim_cuts(sai_array *const *ops, int nops, int nd, int v, int64_t lo,
                          int64_t hi, int64_t *local, int64_t **cuts, int *ncut,
                          const char *func)
{
  sa_status st = SA_OK;
  int64_t need = 2;
  for (int k = 0; k < nops; k++) {
    int u = v - (nd - ops[k]->ndim);
    if (u >= 0) need += ops[k]->base->grid[ops[k]->map[u]];
  }
  *cuts = need <= LOCAL_CUTS ? local : malloc((size_t)need * sizeof **cuts);
  SAI_REQUIRE(*cuts, SA_ERR_NOMEM, "%s: out of memory", func);
  int64_t *c = *cuts;
  int n = 1;
  c[0] = lo;
  for (int k = 0; k < nops; k++) n = add_cuts(ops[k], nd, v, lo, hi, c, n, (int)need - 1);
  qsort(c, (size_t)n, sizeof *c, cmp_i64);
  int m = 1;
  for (int k = 1; k < n; k++)
    if (c[k] != c[m - 1]) c[m++] = c[k];
  c[m] = hi;
  *ncut = m;
done:
  return st;
}

/* Appends the box of iteration region [start, start + shape) to tp: each operand's
 * tile (a packed halo under MPI, maybe_pack), offset and strides. */
static sa_status add_box(task_plan *tp, const sai_array *out, sai_array *const *ops, int nops,
                         int nd, const int64_t *start, const int64_t *shape, int reduce,
                         const char *func)
{
  sa_status st = SA_OK;
  if ((size_t)tp->args->nboxes == tp->nbox_cap) {
    size_t cap = 2 * tp->nbox_cap;
    sai_ew_args *grown = realloc(tp->args, sizeof *grown + cap * sizeof(sai_ew_box));
    SAI_REQUIRE(grown, SA_ERR_NOMEM, "%s: out of memory", func);
    tp->args = grown;
    tp->nbox_cap = cap;
  }
  sai_ew_box *box = &tp->args->boxes[tp->args->nboxes++];
  memset(box, 0, sizeof *box);
  memcpy(box->start, start, (size_t)nd * sizeof *start);
  memcpy(box->shape, shape, (size_t)nd * sizeof *shape);
  for (int k = reduce ? 1 : 0; k <= nops; k++) { /* a reduction writes no array */
    const sai_array *a = k ? ops[k - 1] : out;
    int64_t t;
    locate(a, nd, start, &t, &box->offset[k], box->stride[k]);
    starpu_data_handle_t h = a->base->handles[t];
    if (k && sai_rt.mpi) SAI_CALL(maybe_pack(tp, a->base, box, k, nd, &h, func));
    box->buffer[k] = buffer_of(tp, h);
    SAI_REQUIRE(box->buffer[k] >= 0, SA_ERR_NOMEM, "%s: out of memory", func);
    if (k && box->buffer[k] == 0) tp->descr[0].mode = STARPU_RW; /* reads the output */
  }
done:
  return st;
}

/* Fills tp with the boxes of output tile region [lo, hi) (iteration indices). */
static sa_status plan_tile(task_plan *tp, const sai_array *out, sai_array *const *ops, int nops,
                           int nd, const int64_t *lo, const int64_t *hi, int reduce,
                           const char *func)
{
  sa_status st = SA_OK;
  int64_t local[SA_MAX_NDIM][LOCAL_CUTS], *cuts[SA_MAX_NDIM] = {NULL};
  int ncut[SA_MAX_NDIM];
  for (int v = 0; v < nd; v++)
    SAI_CALL(dim_cuts(ops, nops, nd, v, lo[v], hi[v], local[v], &cuts[v], &ncut[v], func));
  int seg[SA_MAX_NDIM] = {0};
  for (;;) {
    int64_t start[SA_MAX_NDIM], shape[SA_MAX_NDIM];
    for (int v = 0; v < nd; v++) {
      start[v] = cuts[v][seg[v]];
      shape[v] = cuts[v][seg[v] + 1] - start[v];
    }
    SAI_CALL(add_box(tp, out, ops, nops, nd, start, shape, reduce, func));
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
static int tile_region(const sai_array *out, int64_t t, int64_t *lo, int64_t *hi,
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

sa_status sai_reduce_partial(sai_reduce_plan *red, starpu_data_handle_t *h, int owner,
                             const char *func)
{
  sa_status st = SA_OK;
  if (red->npartials == red->cap) {
    int cap = red->cap ? 2 * red->cap : 16;
    starpu_data_handle_t *grown = realloc(red->partials, (size_t)cap * sizeof *grown);
    SAI_REQUIRE(grown, SA_ERR_NOMEM, "%s: out of memory", func);
    red->partials = grown;
    red->cap = cap;
  }
  starpu_variable_data_register(h, -1, 0, sizeof(sai_partial));
  sai_dist_register(*h, owner);
  red->partials[red->npartials++] = *h;
done:
  return st;
}

void sai_reduce_plan_drop(sai_reduce_plan *red)
{
  for (int k = 0; k < red->npartials; k++) starpu_data_unregister_submit(red->partials[k]);
  free(red->partials);
  red->partials = NULL;
  red->npartials = 0;
}

const sai_array *sai_full_operand(const sai_expr *ex, int nd, const int64_t *shape)
{
  for (int k = 0; k < ex->noperands; k++) {
    const sai_array *a = ex->operands[k];
    int same = a->ndim == nd;
    for (int d = 0; same && d < nd; d++) same = a->shape[d] == shape[d];
    if (same) return a;
  }
  return NULL;
}

/* "text at file:line in func()" of a user's statement, for messages from its tasks. */
static void describe(char *what, size_t size, const char *text)
{
  what[0] = '\0';
  if (!text) return;
  char where[120];
  sai_call_site_text(where, sizeof where);
  snprintf(what, size, "%s%s", text, where);
}

/* A task's arguments: the program and room for a few boxes (plan_tile grows it). */
static sai_ew_args *task_args(const sai_submit *s, const sai_array *out, int64_t statement,
                              const char *what, size_t nbox_cap)
{
  sai_ew_args *args = malloc(sizeof *args + nbox_cap * sizeof(sai_ew_box));
  if (!args) return NULL;
  args->prog = s->ex->prog;
  args->ndim = out->ndim;
  memcpy(args->extent, out->shape, sizeof out->shape);
  args->nboxes = 0;
  args->reduce = s->mode == SAI_SUBMIT_REDUCE ? s->op : 0;
  args->accumulate = s->mode == SAI_SUBMIT_ACCUMULATE ? s->op : 0;
  args->statement = statement;
  memcpy(args->text, what, sizeof args->text);
  return args;
}

static struct starpu_codelet *codelet_of(const sai_submit *s)
{
  switch (s->mode) {
  case SAI_SUBMIT_REDUCE: return s->red->cl;
  case SAI_SUBMIT_ACCUMULATE: return &sai_accumulate_cl;
  default: return s->ex->prog.nextra ? &sai_eval_reduce_cl : &sai_elementwise_cl;
  }
}

/* One task per tile of out's base that the view covers. A reduction's out only
 * drives the iteration: each task writes its own partial result into a new handle,
 * collected in s->red's partials in tile order. */
sa_status sai_submit_tiles(const sai_submit *s)
{
  sa_status st = SA_OK;
  sai_expr_finish(s->ex, s->dtype);
  const sai_ew_program *prog = &s->ex->prog;
  int reduce = s->mode == SAI_SUBMIT_REDUCE, accumulate = s->mode == SAI_SUBMIT_ACCUMULATE;
  int64_t statement = s->text && sai_rt.settings.check_finite ? ++sai_rt.statements : 0;
  char what[sizeof ((sai_ew_args *)0)->text];
  describe(what, sizeof what, s->text);
  sai_array out = *s->out;
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
    tp.args = task_args(s, &out, statement, what, tp.nbox_cap);
    SAI_REQUIRE(tp.args, SA_ERR_NOMEM, "%s: out of memory", s->func);
    starpu_data_handle_t first = out.base->handles[t];
    if (reduce) SAI_CALL(sai_reduce_partial(s->red, &first, sai_dist_owner(first), s->func));
    buffer_of(&tp, first);
    SAI_REQUIRE(tp.nbuf == 1, SA_ERR_NOMEM, "%s: out of memory", s->func);
    tp.exec_rank = sai_dist_owner(first);
    tp.descr[0].mode = reduce || (count == size && !accumulate) ? STARPU_W : STARPU_RW;
    for (int k = 0; k < prog->nextra; k++) { /* sa_eval_reduce: buffers 1..n */
      starpu_data_handle_t part = first;
      SAI_CALL(sai_reduce_partial(&s->extra[k], &part, tp.exec_rank, s->func));
      SAI_REQUIRE(buffer_of(&tp, part) == 1 + k, SA_ERR_NOMEM, "%s: out of memory", s->func);
      tp.descr[1 + k].mode = STARPU_W;
    }
    SAI_CALL(plan_tile(&tp, &out, s->ex->operands, s->ex->noperands, out.ndim, lo, hi,
                       reduce, s->func));
    size_t bytes = sizeof *tp.args + (size_t)tp.args->nboxes * sizeof(sai_ew_box);
    int ret = sai_task_insert(codelet_of(s), tp.descr, tp.nbuf, tp.args, bytes, s->name);
    tp.args = NULL; /* StarPU owns it now */
    drop_packed(&tp);
    SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", s->func, ret);
  }
done:
  drop_packed(&tp);
  free(tp.packed);
  free(tp.args);
  free(tp.descr);
  return st;
}
