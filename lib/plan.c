/* SPDX-License-Identifier: MIT
 * The planner: for each task's part of the iteration space (an output tile, or a
 * reduction's range of flat indices) the boxes in which every operand reads exactly
 * one tile; then the task (and its reductions' partial results). */
#include "plan.h"
#include "halo.h"
#include "jit.h"
#include "reduce.h"

#include <stdlib.h>
#include <string.h>

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

/* The task buffer of handle h, added if new (NULL: a new place, filled later). */
static int buffer_of(task_plan *tp, starpu_data_handle_t h)
{
  for (int k = 0; h && k < tp->nbuf; k++)
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
  if (2 * count > (int64_t)starpu_vector_get_nx(*h)) { /* send the tile */
    if (tp->exec_rank == sai_rt.rank) sai_dist_reads(*h);
    goto done;
  }
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

/* The tiles [*t0, *t1] of a's base along the dim view dim u maps to that view
 * indices [lo, hi) (hi > lo) reach; 0 if a does not move along u. */
static int tiles_reached(const sai_array *a, int u, int64_t lo, int64_t hi, int64_t *t0,
                         int64_t *t1)
{
  if (a->shape[u] == 1) return 0;
  int d = a->map[u];
  int64_t b0 = a->offset[d] + lo * a->step[u], b1 = a->offset[d] + (hi - 1) * a->step[u];
  if (b0 > b1) {
    int64_t x = b0;
    b0 = b1;
    b1 = x;
  }
  *t0 = b0 / a->base->tile[d];
  *t1 = b1 / a->base->tile[d];
  return 1;
}

/* Adds cut points of operand a along iteration dim v inside (lo, hi): only the
 * tiles [lo, hi) reaches are looked at (an operand of thousands of tiles cost every
 * task a walk over all of them). */
static int add_cuts(const sai_array *a, int nd, int v, int64_t lo, int64_t hi, int64_t *cuts,
                    int ncuts, int cap)
{
  int u = v - (nd - a->ndim);
  int64_t t0, t1;
  if (u < 0 || hi <= lo || !tiles_reached(a, u, lo, hi, &t0, &t1)) return ncuts;
  for (int64_t t = t0; t <= t1 && ncuts < cap; t++) {
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
  int64_t need = 2, t0, t1;
  for (int k = 0; k < nops; k++) {
    int u = v - (nd - ops[k]->ndim);
    if (u >= 0 && hi > lo && tiles_reached(ops[k], u, lo, hi, &t0, &t1)) need += t1 - t0 + 1;
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
    starpu_data_handle_t h = sai_tile(a->base, t);
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
  SAI_ASSERT(tp->args->nregions < SAI_EW_MAX_REGIONS);
  sai_ew_region *rg = &tp->args->region[tp->args->nregions++];
  rg->first = tp->args->nboxes;
  for (int v = 0; v < nd; v++) rg->nseg[v] = ncut[v];
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
    if (out->step[v]) mapped[out->map[v]] = 1; /* a step-0 dim has no place of its own */
  }
  for (int d = 0; d < b->ndim; d++)
    if (!mapped[d] && !sai_tile_holds_offset(out, d, tc[d])) return 0;
  return *count > 0;
}

sa_status sai_reduce_partial(sai_reduce_plan *red, starpu_data_handle_t *h, int64_t begin,
                             int64_t end, int64_t n, int owner, int64_t tag, const char *func)
{
  sa_status st = SA_OK;
  if (red->nparts == red->cap) {
    int cap = red->cap ? 2 * red->cap : 16;
    sai_part *grown = realloc(red->parts, (size_t)cap * sizeof *grown);
    SAI_REQUIRE(grown, SA_ERR_NOMEM, "%s: out of memory", func);
    red->parts = grown;
    red->cap = cap;
  }
  sai_part *p = &red->parts[red->nparts++];
  *p = (sai_part){.tag = tag < 0 ? sai_dist_next_tag() : tag, .begin = begin, .end = end,
                  .owner = owner};
  if (h) *h = sai_part_handle(p, n);
done:
  return st;
}

starpu_data_handle_t sai_part_handle(sai_part *p, int64_t n)
{
  if (!p->h) {
    starpu_variable_data_register(&p->h, -1, 0, sai_red_packed_size(p->begin, p->end, n));
    sai_dist_register_tag(p->h, p->tag, p->owner);
  }
  return p->h;
}

void sai_reduce_plan_drop(sai_reduce_plan *red)
{
  for (int k = 0; k < red->nparts; k++)
    if (red->parts[k].h) starpu_data_unregister_submit(red->parts[k].h);
  free(red->parts);
  red->parts = NULL;
  red->nparts = red->cap = 0;
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
  args->nboxes = args->nregions = 0;
  args->range[0] = args->range[1] = 0;
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

/* One task's part of the iteration space: rectangles [lo[r], hi[r]) in C order. */
typedef struct piece {
  int64_t tile;   /* the output tile (-1: a reduction's flat range) */
  int64_t begin;  /* flat index of its first element */
  int nrect;
  int64_t lo[SAI_EW_MAX_REGIONS][SA_MAX_NDIM], hi[SAI_EW_MAX_REGIONS][SA_MAX_NDIM];
  int64_t count, size; /* elements it covers; elements of its tile */
} piece;

static int64_t flat_index(const sai_array *out, const int64_t *idx)
{
  int64_t f = 0;
  for (int v = 0; v < out->ndim; v++) f = f * out->shape[v] + idx[v];
  return f;
}

/* Whether [lo, hi) is one run of flat indices: single indices, then whole dims. */
static int is_flat_run(const sai_array *out, const int64_t *lo, const int64_t *hi)
{
  int v = 0;
  while (v < out->ndim - 1 && hi[v] - lo[v] == 1) v++;
  for (int u = v + 1; u < out->ndim; u++)
    if (lo[u] != 0 || hi[u] != out->shape[u]) return 0;
  return 1;
}

/* [a, b) of out's flat indices as rectangles in C order (at most 2 ndim - 1). */
static void flat_rects(piece *p, const sai_array *out, int64_t a, int64_t b)
{
  int nd = out->ndim;
  int64_t S[SA_MAX_NDIM];
  S[nd - 1] = 1;
  for (int d = nd - 2; d >= 0; d--) S[d] = S[d + 1] * out->shape[d + 1];
  p->nrect = 0;
  p->begin = a;
  p->count = b - a;
  int d = nd - 1;
#define SAI_EMIT(units)                                                                \
  do {                                                                                 \
    int64_t *l = p->lo[p->nrect], *h = p->hi[p->nrect++];                              \
    for (int v = 0; v < nd; v++) {                                                     \
      int64_t i = a / S[v] % out->shape[v];                                            \
      l[v] = v <= d ? i : 0;                                                           \
      h[v] = v < d ? i + 1 : v == d ? i + (units) : out->shape[v];                     \
    }                                                                                  \
    a += (units) * S[d];                                                               \
  } while (0)
  while (a < b && d > 0) { /* up: finish the partial row, plane, ... a starts in */
    int64_t unit = S[d - 1], next = (a / unit + 1) * unit;
    if (a % unit == 0) {
      d--;
      continue;
    }
    int64_t u = ((next < b ? next : b) - a) / S[d];
    if (u) SAI_EMIT(u);
    if (a != next) break;
    d--;
  }
  for (; a < b && d < nd; d++) { /* down: whole units, then smaller ones, up to b */
    int64_t u = (b - a) / S[d];
    if (u) SAI_EMIT(u);
  }
#undef SAI_EMIT
}

/* Whether s's tasks make partial results (a reduction's, or extra results'): those
 * come in flat order, and under MPI every rank notes every task's. */
static int has_partials(const sai_submit *s)
{
  return s->mode == SAI_SUBMIT_REDUCE || s->ex->prog.nextra;
}

static int cmp_piece(const void *x, const void *y)
{
  return cmp_i64(&((const piece *)x)->begin, &((const piece *)y)->begin);
}

/* Elements of one flat-range task of a reduction of n elements: C * 2^k, at least
 * 2^14, for at most 64 tasks. A function of n alone. */
static int64_t range_size(int64_t n)
{
  int64_t e = (int64_t)1 << 14;
  while (e < n / 64 + 1) e *= 2;
  return e;
}

/* What the tasks of s cover, in order: one piece per tile of out's base that the
 * view reaches (of those mark marks, when it is not NULL: a statement without
 * partial results, under MPI); for a reduction whose tiles are not runs of flat indices, fixed
 * flat ranges instead (so that every task's values come in flat order). Reductions
 * and statements with extra results get their pieces in flat order. */
static sa_status plan_pieces(const sai_submit *s, const sai_array *out,
                             const unsigned char *mark, piece **pieces, int64_t *npieces)
{
  sa_status st = SA_OK;
  const sai_base *b = out->base;
  int ordered = has_partials(s), runs = 1;
  int64_t cap = 0;
  for (int64_t t = 0; t < b->ntiles; t++) cap += !mark || mark[t];
  piece *p = malloc((size_t)(cap ? cap : 1) * sizeof *p);
  SAI_REQUIRE(p, SA_ERR_NOMEM, "%s: out of memory", s->func);
  int64_t n = 0;
  for (int64_t t = 0; t < b->ntiles; t++) {
    if (mark && !mark[t]) continue;
    piece *q = &p[n];
    if (!tile_region(out, t, q->lo[0], q->hi[0], &q->count, &q->size)) continue;
    q->tile = t;
    q->nrect = 1;
    q->begin = flat_index(out, q->lo[0]);
    runs &= is_flat_run(out, q->lo[0], q->hi[0]);
    n++;
  }
  SAI_REQUIRE(runs || s->mode == SAI_SUBMIT_REDUCE || !s->ex->prog.nextra, SA_ERR_INTERNAL,
              "%s: the statement's tiles are not runs of flat indices", s->func);
  if (ordered && !runs) { /* a reduction: fixed ranges of the flat index */
    int64_t total = sai_array_size(out), e = range_size(total);
    free(p);
    n = (total + e - 1) / e;
    p = malloc((size_t)n * sizeof *p);
    SAI_REQUIRE(p, SA_ERR_NOMEM, "%s: out of memory", s->func);
    for (int64_t k = 0; k < n; k++) {
      flat_rects(&p[k], out, k * e, (k + 1) * e < total ? (k + 1) * e : total);
      p[k].tile = -1;
    }
  } else if (ordered) {
    qsort(p, (size_t)n, sizeof *p, cmp_piece);
  }
  *pieces = p;
  *npieces = n;
  p = NULL;
done:
  free(p);
  return st;
}

/* The tile of out's base holding view element idx. */
static int64_t tile_at(const sai_array *out, const int64_t *idx)
{
  int64_t tile, offset, stride[SA_MAX_NDIM];
  locate(out, out->ndim, idx, &tile, &offset, stride);
  return tile;
}

/* A task reads at most this many handles and holds at most this many boxes: an
 * output tile over thousands of an operand's small tiles (a StarPU task of 14 401
 * buffers crashed) is split into tasks over parts of it. */
#define SAI_TASK_MAX_BUFFERS 256
#define SAI_TASK_MAX_BOXES 1024

/* q's two halves, in flat order: a rectangle split along its first dimension longer
 * than 1 (a run of flat indices stays two runs), a flat range at its middle. */
static int split_piece(const piece *q, const sai_array *out, piece *half)
{
  if (q->tile < 0) {
    if (q->count < 2) return 0;
    int64_t mid = q->begin + q->count / 2;
    flat_rects(&half[0], out, q->begin, mid);
    flat_rects(&half[1], out, mid, q->begin + q->count);
    half[0].tile = half[1].tile = -1;
    return 1;
  }
  int v = 0;
  while (v < out->ndim && q->hi[0][v] - q->lo[0][v] < 2) v++;
  if (v == out->ndim) return 0;
  half[0] = half[1] = *q;
  int64_t mid = q->lo[0][v] + (q->hi[0][v] - q->lo[0][v]) / 2;
  half[0].hi[0][v] = half[1].lo[0][v] = mid;
  for (int k = 0; k < 2; k++) {
    half[k].count = 1;
    for (int u = 0; u < out->ndim; u++) half[k].count *= half[k].hi[0][u] - half[k].lo[0][u];
  }
  half[1].begin = flat_index(out, half[1].lo[0]);
  return 1;
}

static void release_now(void *h) { starpu_data_release(h); }

/* The tiles [t0[d], t1[d]] (per base dim) of view a's base that iteration box
 * [lo, hi) of nd dims reaches: 1, or 0 if it cannot tell (two view dims along one
 * base dim). */
static int tile_span(const sai_array *a, int nd, const int64_t *lo, const int64_t *hi,
                     int64_t *t0, int64_t *t1)
{
  const sai_base *b = a->base;
  int moved[SA_MAX_NDIM] = {0}, shift = nd - a->ndim;
  for (int d = 0; d < b->ndim; d++) t0[d] = t1[d] = a->offset[d] / b->tile[d];
  for (int u = 0; u < a->ndim; u++) {
    int64_t a0, a1;
    if (!tiles_reached(a, u, lo[u + shift], hi[u + shift], &a0, &a1)) continue;
    if (moved[a->map[u]]++) return 0;
    t0[a->map[u]] = a0, t1[a->map[u]] = a1;
  }
  return 1;
}

/* fn(b, t, arg) for every tile t of b in the span [t0, t1] until one returns
 * nonzero: that value, or 0. */
static int each_tile(const sai_base *b, const int64_t *t0, const int64_t *t1,
                     int (*fn)(const sai_base *, int64_t, void *), void *arg)
{
  int64_t idx[SA_MAX_NDIM];
  memcpy(idx, t0, (size_t)b->ndim * sizeof *idx);
  for (;;) {
    int64_t t = 0;
    for (int d = 0; d < b->ndim; d++) t = t * b->grid[d] + idx[d];
    int r = fn(b, t, arg);
    if (r) return r;
    int d = b->ndim - 1;
    while (d >= 0 && ++idx[d] > t1[d]) idx[d] = t0[d], d--;
    if (d < 0) return 0;
  }
}

static int is_mine(const sai_base *b, int64_t t, void *arg)
{
  (void)arg;
  return sai_tile_owner(b, t) == sai_rt.rank;
}

static int set_mark(const sai_base *b, int64_t t, void *mark)
{
  (void)b;
  ((unsigned char *)mark)[t] = 1;
  return 0;
}

/* Under MPI: whether some tile of operand a that iteration box [lo, hi) reaches is
 * this rank's; conservatively yes when that cannot be told; a future's value is no
 * rank's (every rank received it). */
static int reaches_here(const sai_array *a, int nd, const int64_t *lo, const int64_t *hi)
{
  int64_t t0[SA_MAX_NDIM], t1[SA_MAX_NDIM];
  if (a->base->borrowed) return 0;
  return !tile_span(a, nd, lo, hi, t0, t1) || each_tile(a->base, t0, t1, is_mine, NULL);
}

/* Whether piece q's task could be split (submit_piece): such a piece of a statement
 * with partial results is planned on every rank, since one that skips it could not
 * tell how many its halves make. A bound, without planning: every boundary between
 * two tiles an operand reaches a cut, every box reading a new halo copy of every
 * operand. */
static int may_split(const sai_submit *s, const sai_array *out, const piece *q)
{
  int nd = out->ndim;
  int64_t boxes = 0;
  for (int r = 0; r < q->nrect; r++) {
    int64_t prod = 1;
    for (int v = 0; v < nd; v++) {
      int64_t ncut = 1, t0, t1;
      for (int k = 0; k < s->ex->noperands; k++) {
        const sai_array *a = s->ex->operands[k];
        int u = v - (nd - a->ndim);
        if (u >= 0 && tiles_reached(a, u, q->lo[r][v], q->hi[r][v], &t0, &t1)) ncut += t1 - t0;
      }
      prod *= ncut;
      if (prod > SAI_TASK_MAX_BOXES) return 1;
    }
    boxes += prod;
  }
  return boxes > SAI_TASK_MAX_BOXES ||
         1 + s->ex->prog.nextra + boxes * s->ex->noperands > SAI_TASK_MAX_BUFFERS;
}

/* Under MPI: the iteration box [lo, hi) (extents ext) in which operand a reads tile t
 * of its base: 1, or 0 if it reads nothing there, or -1 if it cannot tell (two view
 * dims along one base dim). */
static int tile_box(const sai_array *a, int nd, const int64_t *ext, int64_t t, int64_t *lo,
                    int64_t *hi)
{
  const sai_base *b = a->base;
  int64_t tc[SA_MAX_NDIM], rest = t;
  int mapped[SA_MAX_NDIM] = {0}, shift = nd - a->ndim;
  for (int d = b->ndim - 1; d >= 0; d--) tc[d] = rest % b->grid[d], rest /= b->grid[d];
  for (int v = 0; v < nd; v++) lo[v] = 0, hi[v] = ext[v];
  for (int u = 0; u < a->ndim; u++) {
    if (a->shape[u] == 1 || a->step[u] == 0) continue; /* broadcast: every index */
    if (mapped[a->map[u]]++) return -1;
    sai_view_tile_range(a, u, tc[a->map[u]], &lo[u + shift], &hi[u + shift]);
    if (hi[u + shift] <= lo[u + shift]) return 0;
  }
  for (int d = 0; d < b->ndim; d++)
    if (!mapped[d] && !sai_tile_holds_offset(a, d, tc[d])) return 0;
  return 1;
}

/* Marks the tiles of out's base that iteration box [lo, hi) writes; 0 if it cannot
 * tell. */
static int mark_box(const sai_array *out, const int64_t *lo, const int64_t *hi,
                    unsigned char *mark)
{
  int64_t t0[SA_MAX_NDIM], t1[SA_MAX_NDIM];
  if (!tile_span(out, out->ndim, lo, hi, t0, t1)) return 0;
  each_tile(out->base, t0, t1, set_mark, mark);
  return 1;
}

/* Under MPI: marks the tiles of out's base (the iteration view) whose tasks this rank
 * may take part in: those it owns or may hold a copy of, and those whose part of the
 * iteration space reads a tile of an operand it owns (a future's value, which every
 * rank has, aside). 0: every tile may be (it cannot tell). Found from the rank's own
 * tiles, not by looking at every task. */
static int mark_candidates(const sai_submit *s, const sai_array *out, unsigned char *mark)
{
  const sai_base *ob = out->base;
  if (!ob->owner) return 0; /* a future's value: its owner is its handle's */
  for (int64_t k = 0; k < ob->nmine; k++) mark[ob->mine[k]] = 1;
  for (int64_t t = 0; t < ob->ntiles; t++)
    if (ob->handles[t] && sai_dist_may_hold(ob->handles[t])) mark[t] = 1;
  for (int k = 0; k < s->ex->noperands; k++) {
    const sai_array *a = s->ex->operands[k];
    if (a->base->borrowed) continue;
    for (int64_t j = 0; j < a->base->nmine; j++) {
      int64_t lo[SA_MAX_NDIM], hi[SA_MAX_NDIM];
      int in = tile_box(a, out->ndim, out->shape, a->base->mine[j], lo, hi);
      if (in < 0 || (in && !mark_box(out, lo, hi, mark))) return 0;
    }
  }
  return 1;
}

/* Under MPI: whether this rank takes no part in piece q's task (it does not run it,
 * owns no tile the task may read, holds no copy of the tile it writes that the
 * write must make stale: mark_candidates did not mark its tile, or a closer look
 * says so) and, with partial results, the task will not be split; then only the
 * task's partial results are noted, under the tags from reserved on. */
static sa_status skip_piece(const sai_submit *s, const sai_array *out, const piece *q,
                            const unsigned char *mark, int64_t reserved, int *skip)
{
  sa_status st = SA_OK;
  int reduce = s->mode == SAI_SUBMIT_REDUCE;
  *skip = 0;
  int64_t t = q->tile >= 0 ? q->tile : tile_at(out, q->lo[0]);
  int exec = sai_tile_owner(out->base, t);
  if (!mark || q->tile < 0 || mark[q->tile]) { /* unmarked: none of the below */
    if (exec == sai_rt.rank || (!reduce && sai_dist_may_hold(out->base->handles[t])))
      goto done;
    for (int r = 0; r < q->nrect; r++)
      for (int k = 0; k < s->ex->noperands; k++)
        if (reaches_here(s->ex->operands[k], out->ndim, q->lo[r], q->hi[r])) goto done;
  }
  if (has_partials(s) && may_split(s, out, q)) goto done;
  int64_t end = q->begin + q->count, n = sai_array_size(out);
  if (reduce)
    SAI_CALL(sai_reduce_partial(s->red, NULL, q->begin, end, n, exec, reserved, s->func));
  for (int k = 0; k < s->ex->prog.nextra; k++)
    SAI_CALL(sai_reduce_partial(&s->extra[k], NULL, q->begin, end, n, exec, reserved + 1 + k,
                                s->func));
  *skip = 1;
done:
  return st;
}

/* A plain statement, a reduction or a statement with extra results (no finiteness
 * check, no accumulation along an axis) can run a compiled kernel: asked for now,
 * and used by its tasks once it is ready. */
static void request_kernel(const sai_ew_args *args, int mode)
{
  sai_jit_sig sig;
  if (sai_ew_signature(&sig, args, mode)) sai_jit_request(&sig, &args->prog);
}
/* Plans and submits the task of piece q (or of its halves, when it is too big); its
 * partial results take the tags from reserved on (-1: the scope's next ones). */
static sa_status submit_piece(const sai_submit *s, task_plan *tp, const sai_array *out,
                              const piece *q, int64_t statement, const char *what,
                              int64_t reserved)
{
  sa_status st = SA_OK;
  const sai_ew_program *prog = &s->ex->prog;
  int reduce = s->mode == SAI_SUBMIT_REDUCE, accumulate = s->mode == SAI_SUBMIT_ACCUMULATE;
  tp->nbox_cap = 4;
  tp->args = task_args(s, out, statement, what, tp->nbox_cap);
  SAI_REQUIRE(tp->args, SA_ERR_NOMEM, "%s: out of memory", s->func);
  tp->args->range[0] = q->begin;
  tp->args->range[1] = q->begin + q->count;
  /* buffer 0: the output tile, or a reduction's new partial; 1..n: the partials of
   * extra results (made below, once the task is known to fit) */
  starpu_data_handle_t tile = sai_tile(out->base, q->tile >= 0 ? q->tile : tile_at(out, q->lo[0]));
  tp->nbuf = 0;
  SAI_REQUIRE(buffer_of(tp, reduce ? NULL : tile) == 0, SA_ERR_NOMEM, "%s: out of memory",
              s->func);
  tp->exec_rank = sai_dist_owner(tile);
  tp->descr[0].mode = reduce || (q->count == q->size && !accumulate) ? STARPU_W : STARPU_RW;
  for (int k = 0; k < prog->nextra; k++) {
    SAI_REQUIRE(buffer_of(tp, NULL) >= 0, SA_ERR_NOMEM, "%s: out of memory", s->func);
    tp->descr[tp->nbuf - 1] = (struct starpu_data_descr){NULL, STARPU_W};
  }
  for (int r = 0; r < q->nrect; r++)
    SAI_CALL(plan_tile(tp, out, s->ex->operands, s->ex->noperands, out->ndim, q->lo[r],
                       q->hi[r], reduce, s->func));
  piece half[2];
  if ((tp->nbuf > SAI_TASK_MAX_BUFFERS || tp->args->nboxes > SAI_TASK_MAX_BOXES) &&
      split_piece(q, out, half)) {
    free(tp->args);
    tp->args = NULL;
    drop_packed(tp);
    /* the halves read and write the tile: one never written yet is made valid first
     * (an acquire for writing, in order with its tasks, released at once) */
    sai_defer_flush();
    if (!reduce && tp->descr[0].mode == STARPU_W && sai_dist_mine(tile))
      SAI_REQUIRE(!starpu_data_acquire_cb(tile, STARPU_W, release_now, tile), SA_ERR_STARPU,
                  "%s: cannot prepare a tile", s->func);
    for (int k = 0; k < 2; k++)
      SAI_CALL(submit_piece(s, tp, out, &half[k], statement, what, -1));
    goto done;
  }
  request_kernel(tp->args, reduce          ? SAI_JIT_VALUES
                           : prog->nextra ? SAI_JIT_EXTRAS
                                          : SAI_JIT_STORE);
  int64_t end = q->begin + q->count, n = sai_array_size(out);
  if (reduce)
    SAI_CALL(sai_reduce_partial(s->red, &tp->descr[0].handle, q->begin, end, n, tp->exec_rank,
                                reserved, s->func));
  for (int k = 0; k < prog->nextra; k++)
    SAI_CALL(sai_reduce_partial(&s->extra[k], &tp->descr[1 + k].handle, q->begin, end, n,
                                tp->exec_rank, reserved < 0 ? -1 : reserved + 1 + k, s->func));
  size_t bytes = sizeof *tp->args + (size_t)tp->args->nboxes * sizeof(sai_ew_box);
  /* a plain statement's task writes one tile and reads no halo copy that goes when it
   * is submitted: it may join a run (lib/defer.c) */
  struct starpu_codelet *cl = codelet_of(s);
  int ret = cl == &sai_elementwise_cl && !tp->npacked
                ? sai_task_defer(cl, &sai_ew_run_cl, tp->descr, tp->nbuf, tp->args, bytes,
                                 s->name)
                : sai_task_insert(cl, tp->descr, tp->nbuf, tp->args, bytes, s->name);
  tp->args = NULL; /* StarPU owns it now */
  drop_packed(tp);
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", s->func, ret);
done:
  return st;
}

/* A view of one element iterates over a length-1 dimension. */
static sai_array iteration_view(const sai_array *v)
{
  sai_array out = *v;
  if (out.ndim == 0) {
    out.ndim = 1;
    out.shape[0] = 1;
    out.map[0] = 0;
    out.step[0] = 1;
  }
  return out;
}

int sai_tiles_are_runs(const sai_array *view)
{
  sai_array out = iteration_view(view);
  for (int64_t t = 0; t < out.base->ntiles; t++) {
    int64_t lo[SA_MAX_NDIM], hi[SA_MAX_NDIM], count, size;
    if (tile_region(&out, t, lo, hi, &count, &size) && !is_flat_run(&out, lo, hi)) return 0;
  }
  return 1;
}

sa_status sai_submit_tiles(const sai_submit *s)
{
  sa_status st = SA_OK;
  sai_expr_finish(s->ex, s->dtype);
  int64_t statement = s->text && sai_rt.settings.check_finite && s->mode == SAI_SUBMIT_EVAL
                          ? ++sai_rt.statements
                          : 0; /* --sa-check-finite checks statements' outputs */
  int64_t serial = ++sai_rt.planned; /* the same on every rank: tags (lib/dist.c) */
  if (s->red) s->red->serial = serial, s->red->index = 0;
  for (int k = 0; k < s->ex->prog.nextra; k++)
    s->extra[k].serial = serial, s->extra[k].index = 1 + k;
  /* --sa-debug: what every rank plans, where the tasks differ from rank to rank */
  int64_t items[4 + SA_MAX_NDIM + 32] = {s->mode, s->op, s->out->base->tag0, s->out->ndim};
  int n = 4;
  for (int v = 0; v < s->out->ndim; v++) items[n++] = s->out->shape[v];
  for (int k = 0; k < s->ex->noperands && k < 32; k++)
    items[n++] = s->ex->operands[k]->base->tag0;
  sai_dist_local_begin(s->func, items, n);
  char what[sizeof ((sai_ew_args *)0)->text];
  describe(what, sizeof what, s->text);
  sai_array out = iteration_view(s->out);
  task_plan tp = {0};
  piece *pieces = NULL;
  unsigned char *mark = NULL;
  int64_t npieces = 0;
  if (sai_array_size(&out) == 0) goto done;
  if (sai_rt.mpi) { /* each rank plans the tasks it takes part in */
    SAI_REQUIRE(out.base->ntiles <= (int64_t)1 << 24, SA_ERR_ARG,
                "%s: the output has %lld tiles, more than 2^24 under MPI", s->func,
                (long long)out.base->ntiles);
    mark = calloc((size_t)out.base->ntiles, 1);
    SAI_REQUIRE(mark, SA_ERR_NOMEM, "%s: out of memory", s->func);
    if (!mark_candidates(s, &out, mark)) free(mark), mark = NULL;
  }
  /* a statement with partial results notes every task's; the others only look at
   * the tasks mark_candidates found */
  SAI_CALL(plan_pieces(s, &out, has_partials(s) ? NULL : mark, &pieces, &npieces));
  for (int64_t k = 0; k < npieces; k++) {
    int64_t reserved = -1, id = pieces[k].tile >= 0 ? pieces[k].tile : k; /* tags' piece */
    if (sai_rt.mpi) {
      int skip;
      reserved = sai_dist_piece_tag(serial, id, 0);
      SAI_CALL(skip_piece(s, &out, &pieces[k], mark, reserved, &skip));
      if (skip) continue;
      sai_dist_scope(serial, id);
    }
    SAI_CALL(submit_piece(s, &tp, &out, &pieces[k], statement, what, reserved));
    SAI_REQUIRE(!sai_rt.mpi || sai_dist_scope_end(), SA_ERR_ARG,
                "%s: one output tile reads too many parts of other tiles (more than 2^18 "
                "halo copies); use larger tiles", s->func);
  }
done:
  if (sai_rt.mpi) sai_dist_scope_end();
  sai_dist_local_end();
  free(mark);
  drop_packed(&tp);
  free(pieces);
  free(tp.packed);
  free(tp.args);
  free(tp.descr);
  return st;
}
