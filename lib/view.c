/* SPDX-License-Identifier: MIT
 * Views: NumPy slicing text ("1:-1, ::2, 3") parsed into a view of an array,
 * and the mapping of a view's index ranges onto its base's tiles. */
#include "sai.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { ITEM_SLICE, ITEM_NEWAXIS, ITEM_ELLIPSIS };
typedef struct item {
  int kind;               /* a slice or an integer; None; ... */
  int is_index;           /* a plain integer: drops the dimension */
  int has[3];             /* start, stop, step given */
  int64_t v[3];
  size_t column;          /* 1-based, for messages */
} item;

static const char *skip_blanks(const char *p, const char *end)
{
  while (p < end && isspace((unsigned char)*p)) p++;
  return p;
}

/* An optional signed integer at *p; *got says whether there was one. */
static sa_status parse_int(const char **p, const char *end, int64_t *v, int *got,
                           const char *func, const char *text, size_t pos_base)
{
  sa_status st = SA_OK;
  const char *q = skip_blanks(*p, end);
  *got = 0;
  if (q < end && (isdigit((unsigned char)*q) || *q == '-' || *q == '+')) {
    char buf[32];
    size_t n = 0;
    while (q + n < end && n < sizeof buf - 1 &&
           (isdigit((unsigned char)q[n]) || (n == 0 && (q[n] == '-' || q[n] == '+'))))
      n++;
    memcpy(buf, q, n);
    buf[n] = '\0';
    char *stop;
    errno = 0;
    long long x = strtoll(buf, &stop, 10);
    SAI_REQUIRE(*stop == '\0' && n > 0 && !errno, SA_ERR_SYNTAX,
                "%s: '%s' is not an integer (column %zu of \"%.*s\")", func, buf,
                (size_t)(q - text) + 1 + pos_base, (int)(end - text), text);
    *v = x;
    *got = 1;
    q += n;
  }
  *p = skip_blanks(q, end);
done:
  return st;
}

static sa_status parse_item(item *it, const char **p, const char *end, const char *func,
                            const char *text, size_t pos_base)
{
  sa_status st = SA_OK;
  memset(it, 0, sizeof *it);
  it->column = (size_t)(skip_blanks(*p, end) - text) + 1 + pos_base;
  const char *q = skip_blanks(*p, end);
  static const struct { const char *word; int kind; } words[] = {{"None", ITEM_NEWAXIS},
                                                                 {"...", ITEM_ELLIPSIS}};
  for (int w = 0; w < 2; w++) {
    size_t n = strlen(words[w].word);
    if ((size_t)(end - q) >= n && !strncmp(q, words[w].word, n) &&
        (q + n == end || !(isalnum((unsigned char)q[n]) || q[n] == '_'))) {
      it->kind = words[w].kind;
      *p = skip_blanks(q + n, end);
      SAI_REQUIRE(*p == end || **p == ',', SA_ERR_SYNTAX,
                  "%s: unexpected '%c' at column %zu of \"%.*s\"", func, **p,
                  (size_t)(*p - text) + 1 + pos_base, (int)(end - text), text);
      goto done;
    }
  }
  int got, part = 0;
  SAI_CALL(parse_int(p, end, &it->v[0], &got, func, text, pos_base));
  it->has[0] = got;
  while (*p < end && **p == ':' && part < 2) {
    (*p)++;
    part++;
    SAI_CALL(parse_int(p, end, &it->v[part], &got, func, text, pos_base));
    it->has[part] = got;
  }
  it->is_index = part == 0;
  SAI_REQUIRE(*p == end || **p == ',', SA_ERR_SYNTAX,
              "%s: unexpected '%c' at column %zu of \"%.*s\"", func, *p < end ? **p : ' ',
              (size_t)(*p - text) + 1 + pos_base, (int)(end - text), text);
  SAI_REQUIRE(part > 0 || it->has[0], SA_ERR_SYNTAX,
              "%s: empty index at column %zu of \"%.*s\"", func, it->column,
              (int)(end - text), text);
done:
  return st;
}

/* Python's slice.indices(): clamps start/stop for length n; returns the count. */
static int64_t adjust(const item *it, int64_t n, int64_t *start)
{
  int64_t step = it->has[2] ? it->v[2] : 1, lo, hi;
  if (step > 0) {
    lo = it->has[0] ? it->v[0] : 0;
    hi = it->has[1] ? it->v[1] : n;
    if (lo < 0) lo = lo + n < 0 ? 0 : lo + n;
    if (lo > n) lo = n;
    if (hi < 0) hi = hi + n < 0 ? 0 : hi + n;
    if (hi > n) hi = n;
    *start = lo;
    return hi > lo ? (hi - lo - 1) / step + 1 : 0;
  }
  lo = it->has[0] ? it->v[0] : n - 1;
  hi = it->has[1] ? it->v[1] : -1 - n; /* "before the first element" */
  if (lo < 0) lo = lo + n < 0 ? -1 : lo + n;
  if (lo >= n) lo = n - 1;
  if (hi < 0) hi = hi + n < 0 ? -1 : hi + n;
  if (hi >= n) hi = n - 1;
  *start = lo;
  return hi < lo ? (lo - hi - 1) / -step + 1 : 0;
}

/* Where item it (of dimension u) is, for messages: "column 3 of \"7, :\"" or "slice 2";
 * formatted only when a message needs it. */
static const char *where_of(char *buf, size_t size, const item *it, int u, const char *text,
                            size_t len)
{
  if (text) snprintf(buf, size, "column %zu of \"%.*s\"", it->column, (int)len, text);
  else snprintf(buf, size, "slice %d", u + 1);
  return buf;
}

/* The view of a that items[0..nitems) select. */
static sa_status build_view(sai_array **out, const sai_array *a, const item *items, int nitems,
                            const char *func, const char *text, size_t len)
{
  sa_status st = SA_OK;
  sai_array *v = NULL;
  int consumed = 0, ellipses = 0, out_dims = 0;
  for (int k = 0; k < nitems; k++) {
    consumed += items[k].kind == ITEM_SLICE;
    ellipses += items[k].kind == ITEM_ELLIPSIS;
    out_dims += items[k].kind == ITEM_NEWAXIS || (items[k].kind == ITEM_SLICE &&
                                                  !items[k].is_index);
  }
  SAI_REQUIRE(consumed <= a->ndim, SA_ERR_INDEX,
              "%s: too many indices for an array of %d dimension%s (%d given)", func,
              a->ndim, a->ndim == 1 ? "" : "s", consumed);
  SAI_REQUIRE(ellipses <= 1, SA_ERR_INDEX, "%s: an index can only have a single ellipsis "
              "('...')", func);
  SAI_REQUIRE(out_dims + a->ndim - consumed <= SA_MAX_NDIM, SA_ERR_INDEX,
              "%s: the view would have %d dimensions; at most %d", func,
              out_dims + a->ndim - consumed, SA_MAX_NDIM);
  SAI_CALL(sai_array_alias(&v, a));
  v->ndim = 0;
  for (int u = 0, k = 0; u < a->ndim || k < nitems; k++) {
    item whole = {0};
    if (k < nitems && items[k].kind == ITEM_NEWAXIS) { /* length 1, step 0: no place */
      v->map[v->ndim] = 0;
      v->step[v->ndim] = 0;
      v->shape[v->ndim++] = 1;
      continue;
    }
    if (k < nitems && items[k].kind == ITEM_ELLIPSIS) { /* the dims no item names */
      for (int e = 0; e < a->ndim - consumed; e++, u++) {
        v->map[v->ndim] = a->map[u];
        v->step[v->ndim] = a->step[u];
        v->shape[v->ndim++] = a->shape[u];
      }
      continue;
    }
    if (u == a->ndim) continue;
    int u0 = u++; /* the input dimension this item selects from */
    const item *it = k < nitems ? &items[k] : &whole;
    int64_t n = a->shape[u0], start;
    int d = a->map[u0];
    char where[128];
#define WHERE where_of(where, sizeof where, it, u0, text, len)
    if (it->is_index) {
      int64_t i = it->v[0] < 0 ? it->v[0] + n : it->v[0];
      SAI_REQUIRE(i >= 0 && i < n, SA_ERR_INDEX,
                  "%s: index %lld is out of bounds for axis %d with size %lld (%s)", func,
                  (long long)it->v[0], u0, (long long)n, WHERE);
      v->offset[d] += i * a->step[u0];
      continue;
    }
    SAI_REQUIRE(!it->has[2] || it->v[2] != 0, SA_ERR_INDEX,
                "%s: slice step cannot be zero (%s)", func, WHERE);
#undef WHERE
    /* a step longer than the dimension takes at most one element: as n + 1 it gives
     * the same slice and nothing overflows (INT64_MIN cannot even be negated) */
    item clamped = *it;
    if (it->has[2] && (it->v[2] > n || it->v[2] < -n)) clamped.v[2] = it->v[2] > 0 ? n + 1 : -n - 1;
    int64_t count = adjust(&clamped, n, &start), step = it->has[2] ? clamped.v[2] : 1;
    v->offset[d] += (count ? start : 0) * a->step[u0];
    v->map[v->ndim] = d;
    /* one element: any step, but a new or broadcast axis (step 0) stays one */
    v->step[v->ndim] = count > 1 || !a->step[u0] ? step * a->step[u0] : 1;
    v->shape[v->ndim++] = count;
  }
  *out = v;
  v = NULL;
done:
  sai_release(&v);
  return st;
}

sa_status sai_view_parse(sai_array **out, const sai_array *a, const char *text, size_t len,
                         const char *func, size_t pos_base)
{
  sa_status st = SA_OK;
  item items[2 * SA_MAX_NDIM + 1];
  int nitems = 0;
  const char *p = text, *end = text + len;
  if (skip_blanks(p, end) < end) {
    for (;;) {
      SAI_REQUIRE(nitems < 2 * SA_MAX_NDIM, SA_ERR_INDEX,
                  "%s: too many indices for an array of %d dimension%s (\"%.*s\")", func,
                  a->ndim, a->ndim == 1 ? "" : "s", (int)len, text);
      SAI_CALL(parse_item(&items[nitems++], &p, end, func, text, pos_base));
      if (p == end) break;
      p++; /* ',' */
      if (skip_blanks(p, end) == end) break; /* one trailing comma, as Python allows */
    }
  }
  int consumed = 0;
  for (int k = 0; k < nitems; k++) consumed += items[k].kind == ITEM_SLICE;
  SAI_REQUIRE(consumed <= a->ndim, SA_ERR_INDEX,
              "%s: too many indices for an array of %d dimension%s (\"%.*s\")", func,
              a->ndim, a->ndim == 1 ? "" : "s", (int)len, text);
  SAI_CALL(build_view(out, a, items, nitems, func, text, len));
done:
  return st;
}

sa_status sai_view(sai_array **out, const sai_array *a, const char *index, const char *func)
{
  return sai_view_parse(out, a, index, strlen(index), func, 0);
}

SA_API sa_status sa_view(sa_array **out, const sa_array *h, const char *index)
{
  sa_status st = SA_OK;
  sai_array *a, *v;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_view: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_view", 2));
  SAI_REQUIRE(index, SA_ERR_ARG, "sa_view: index is NULL (argument 3)");
  SAI_CALL(sai_view(&v, a, index, "sa_view"));
  *out = sai_array_handle(v);
done:
  return st;
}

int sai_same_view(const sai_array *a, const sai_array *b)
{
  if (a->base != b->base || a->ndim != b->ndim) return 0;
  for (int d = 0; d < a->base->ndim; d++)
    if (a->offset[d] != b->offset[d]) return 0;
  for (int v = 0; v < a->ndim; v++)
    if (a->shape[v] != b->shape[v] ||
        (a->shape[v] > 1 && (a->map[v] != b->map[v] || a->step[v] != b->step[v])))
      return 0;
  return 1;
}

/* The base indices view a reaches along base dim d: [*lo, *hi]. */
static void base_range(const sai_array *a, int d, int64_t *lo, int64_t *hi)
{
  *lo = *hi = a->offset[d];
  for (int v = 0; v < a->ndim; v++)
    if (a->map[v] == d && a->shape[v] > 1) {
      int64_t end = a->offset[d] + (a->shape[v] - 1) * a->step[v];
      if (end < *lo) *lo = end;
      if (end > *hi) *hi = end;
    }
}

int sai_views_disjoint(const sai_array *a, const sai_array *b)
{
  if (a->base != b->base || !sai_array_size(a) || !sai_array_size(b)) return 1;
  for (int d = 0; d < a->base->ndim; d++) {
    int64_t alo, ahi, blo, bhi;
    base_range(a, d, &alo, &ahi);
    base_range(b, d, &blo, &bhi);
    if (ahi < blo || bhi < alo) return 1;
  }
  return 0;
}

SA_API sa_status sa_view_ex(sa_array **out, const sa_array *h, int n, const sa_slice *slices)
{
  sa_status st = SA_OK;
  item items[2 * SA_MAX_NDIM];
  sai_array *a, *v;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_view_ex: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_view_ex", 2));
  SAI_REQUIRE(n >= 0 && (n == 0 || slices), SA_ERR_ARG,
              "sa_view_ex: %d slices at %p (arguments 3 and 4)", n, (const void *)slices);
  int consumed = 0;
  for (int k = 0; k < n && k < 2 * SA_MAX_NDIM; k++) consumed += slices[k].index != 2;
  SAI_REQUIRE(n <= 2 * SA_MAX_NDIM && consumed <= a->ndim, SA_ERR_INDEX,
              "sa_view_ex: %d slices for an array of %d dimension%s", n, a->ndim,
              a->ndim == 1 ? "" : "s");
  for (int k = 0; k < n; k++) {
    const sa_slice *sl = &slices[k];
    items[k] = (item){.kind = sl->index == 2 ? ITEM_NEWAXIS : ITEM_SLICE,
                      .is_index = sl->index == 1,
                      .has = {sl->start != SA_NONE, sl->stop != SA_NONE, sl->step != SA_NONE},
                      .v = {sl->start, sl->stop, sl->step}};
    if (sl->index == 1) items[k].has[0] = 1;
  }
  SAI_CALL(build_view(&v, a, items, n, "sa_view_ex", NULL, 0));
  *out = sai_array_handle(v);
done:
  return st;
}

/* ------------------------------------------------- views over tiles */

static int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void sai_view_tile_range(const sai_array *a, int v, int64_t t, int64_t *lo, int64_t *hi)
{
  const sai_base *b = a->base;
  int d = a->map[v];
  int64_t o = a->offset[d], s = a->step[v], n = a->shape[v];
  int64_t t0 = t * b->tile[d], t1 = t0 + sai_tile_extent(b, d, t);
  if (s == 0) { /* a new axis or a broadcast one (or the target of a reduction along
                 * this axis): one element repeated, where the other dims say */
    *lo = 0;
    *hi = n;
    return;
  }
  if (n == 1) s = 1; /* a length-1 dim's step never matters */
  if (s > 0) {
    *lo = floor_div(t0 - o + s - 1, s);
    *hi = floor_div(t1 - o + s - 1, s);
  } else {
    *lo = floor_div(o - t1, -s) + 1;
    *hi = floor_div(o - t0, -s) + 1;
  }
  if (*lo < 0) *lo = 0;
  if (*hi > n) *hi = n;
  if (*hi < *lo) *hi = *lo;
}

int sai_tile_holds_offset(const sai_array *a, int d, int64_t t)
{
  int64_t t0 = t * a->base->tile[d];
  return a->offset[d] >= t0 && a->offset[d] < t0 + sai_tile_extent(a->base, d, t);
}

/* ------------------------------------------ views that move and drop axes */

/* axis (negative from the end) of an array of ndim dimensions into *out. */
static sa_status axis_of(int *out, int axis, int ndim, const char *func, int argn)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(axis >= -ndim && axis < ndim, SA_ERR_INDEX,
              "%s: axis %d is out of bounds for an array of %d dimension%s (argument %d)",
              func, axis, ndim, ndim == 1 ? "" : "s", argn);
  *out = axis < 0 ? axis + ndim : axis;
done:
  return st;
}

/* The view of a whose dimension k is a's dimension perm[k] (a permutation). */
static sa_status permuted(sa_array **out, const sai_array *a, const int *perm)
{
  sa_status st = SA_OK;
  sai_array *v = NULL;
  SAI_CALL(sai_array_alias(&v, a));
  for (int k = 0; k < a->ndim; k++) {
    v->shape[k] = a->shape[perm[k]];
    v->map[k] = a->map[perm[k]];
    v->step[k] = a->step[perm[k]];
  }
  *out = sai_array_handle(v);
done:
  return st;
}

SA_API sa_status sa_transpose(sa_array **out, const sa_array *h, const int *axes)
{
  sa_status st = SA_OK;
  sai_array *a;
  int perm[SA_MAX_NDIM], seen[SA_MAX_NDIM] = {0};
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_transpose: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_transpose", 2));
  for (int k = 0; k < a->ndim; k++) {
    if (!axes) {
      perm[k] = a->ndim - 1 - k;
      continue;
    }
    SAI_CALL(axis_of(&perm[k], axes[k], a->ndim, "sa_transpose", 3));
    SAI_REQUIRE(!seen[perm[k]]++, SA_ERR_ARG,
                "sa_transpose: axes[%d] = %d repeats an axis (argument 3)", k, axes[k]);
  }
  SAI_CALL(permuted(out, a, perm));
done:
  return st;
}

SA_API sa_status sa_swapaxes(sa_array **out, const sa_array *h, int axis1, int axis2)
{
  sa_status st = SA_OK;
  sai_array *a;
  int perm[SA_MAX_NDIM], i, j;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_swapaxes: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_swapaxes", 2));
  SAI_CALL(axis_of(&i, axis1, a->ndim, "sa_swapaxes", 3));
  SAI_CALL(axis_of(&j, axis2, a->ndim, "sa_swapaxes", 4));
  for (int k = 0; k < a->ndim; k++) perm[k] = k == i ? j : k == j ? i : k;
  SAI_CALL(permuted(out, a, perm));
done:
  return st;
}

SA_API sa_status sa_moveaxis(sa_array **out, const sa_array *h, int source, int destination)
{
  sa_status st = SA_OK;
  sai_array *a;
  int perm[SA_MAX_NDIM], s, d;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_moveaxis: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_moveaxis", 2));
  SAI_CALL(axis_of(&s, source, a->ndim, "sa_moveaxis", 3));
  SAI_CALL(axis_of(&d, destination, a->ndim, "sa_moveaxis", 4));
  for (int k = 0, from = 0; k < a->ndim; k++) { /* the others keep their order */
    if (k == d) {
      perm[k] = s;
      continue;
    }
    if (from == s) from++;
    perm[k] = from++;
  }
  SAI_CALL(permuted(out, a, perm));
done:
  return st;
}

SA_API sa_status sa_flip(sa_array **out, const sa_array *h, int axis)
{
  sa_status st = SA_OK;
  sai_array *a, *v = NULL;
  int ax;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_flip: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_flip", 2));
  SAI_CALL(axis_of(&ax, axis, a->ndim, "sa_flip", 3));
  SAI_CALL(sai_array_alias(&v, a));
  if (a->shape[ax] > 1) {
    v->offset[a->map[ax]] += (a->shape[ax] - 1) * a->step[ax];
    v->step[ax] = -a->step[ax];
  }
  *out = sai_array_handle(v);
done:
  return st;
}

SA_API sa_status sa_squeeze(sa_array **out, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a, *v = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_squeeze: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_squeeze", 2));
  SAI_CALL(sai_array_alias(&v, a));
  v->ndim = 0; /* a length-1 dimension's element is already in the offsets */
  for (int k = 0; k < a->ndim; k++) {
    if (a->shape[k] == 1) continue;
    v->shape[v->ndim] = a->shape[k];
    v->map[v->ndim] = a->map[k];
    v->step[v->ndim++] = a->step[k];
  }
  *out = sai_array_handle(v);
done:
  return st;
}

SA_API sa_status sa_expand_dims(sa_array **out, const sa_array *h, int axis)
{
  sa_status st = SA_OK;
  sai_array *a, *v;
  item items[SA_MAX_NDIM + 1] = {{0}};
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_expand_dims: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_expand_dims", 2));
  int ax;
  SAI_CALL(axis_of(&ax, axis, a->ndim + 1, "sa_expand_dims", 3));
  items[ax].kind = ITEM_NEWAXIS; /* the others: whole slices */
  SAI_CALL(build_view(&v, a, items, a->ndim + 1, "sa_expand_dims", NULL, 0));
  *out = sai_array_handle(v);
done:
  return st;
}

SA_API sa_status sa_broadcast_to(sa_array **out, const sa_array *h, int ndim,
                                 const int64_t *shape)
{
  sa_status st = SA_OK;
  sai_array *a, *v = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_broadcast_to: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_broadcast_to", 2));
  SAI_REQUIRE(ndim >= a->ndim && ndim <= SA_MAX_NDIM && (shape || ndim == 0), SA_ERR_ARG,
              "sa_broadcast_to: %d dimensions at %p for an array of %d (arguments 3 and 4; "
              "at most %d)", ndim, (const void *)shape, a->ndim, SA_MAX_NDIM);
  SAI_CALL(sai_array_alias(&v, a));
  int lead = ndim - a->ndim;
  for (int k = 0; k < ndim; k++) {
    int u = k - lead;
    SAI_REQUIRE(shape[k] >= 0, SA_ERR_ARG, "sa_broadcast_to: shape[%d] is %lld", k,
                (long long)shape[k]);
    SAI_REQUIRE(u < 0 || a->shape[u] == shape[k] || a->shape[u] == 1, SA_ERR_SHAPE,
                "sa_broadcast_to: axis %d of length %lld cannot become %lld (only length 1 "
                "is broadcast)", u, (long long)a->shape[u], (long long)shape[k]);
    int keep = u >= 0 && a->shape[u] == shape[k];
    v->map[k] = u >= 0 ? a->map[u] : 0;
    v->step[k] = keep ? a->step[u] : 0; /* repeated: one element, no place of its own */
    v->shape[k] = shape[k];
  }
  v->ndim = ndim;
  *out = sai_array_handle(v);
  v = NULL;
done:
  sai_release(&v);
  return st;
}
