/* SPDX-License-Identifier: MIT
 * Arrays: tiled bases of StarPU handles, reference counting with stale-handle
 * detection, constructors, host copies in and out, queries. */
#include "sai.h"
#include "fill.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every view, the user's and the library's own, comes from this pool (handle.c):
 * a released handle, or one of a session sa_finalize ended, is an error, never a
 * crash or another array. */
static sai_pool arrays = SAI_POOL_INIT(sai_array, 0xA5);

/* Bases not yet released, so that sa_finalize can unregister their tiles. */
static struct {
  pthread_mutex_t lock;
  sai_base *live;
} bases = {PTHREAD_MUTEX_INITIALIZER, NULL};

static const char *const dtype_names[SA_NDTYPES] = {"bool", "int32", "int64", "float32",
                                                    "float64"};
static const size_t dtype_sizes[SA_NDTYPES] = {1, 4, 8, 4, 8};

SA_API size_t sa_dtype_size(sa_dtype dtype)
{
  return (unsigned)dtype < SA_NDTYPES ? dtype_sizes[dtype] : 0;
}

SA_API const char *sa_dtype_name(sa_dtype dtype)
{
  return (unsigned)dtype < SA_NDTYPES ? dtype_names[dtype] : "invalid";
}

sa_status sai_array_get_as(sai_array **out, const sa_array *h, const char *func,
                          const char *which)
{
  sa_status st = SA_OK;
  void *obj;
  SAI_CALL(sai_handle_get(&arrays, h, "array", which, func, &obj));
  *out = obj;
done:
  return st;
}

int sai_array_lookup(sai_array **out, const sa_array *h)
{
  void *obj;
  if (sai_pool_find(&arrays, h, &obj) != SAI_HANDLE_OK) return 0;
  *out = obj;
  return 1;
}

sa_status sai_array_get(sai_array **out, const sa_array *h, const char *func, int argn)
{
  sa_status st = SA_OK;
  if (sai_array_lookup(out, h)) goto done; /* the message below only when it is needed */
  char which[32];
  snprintf(which, sizeof which, "argument %d", argn);
  SAI_CALL(sai_array_get_as(out, h, func, which));
done:
  return st;
}

sa_status sai_array_check(const sa_array *h, const char *func, int argn)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, func, argn));
done:
  return st;
}

sa_array *sai_array_handle(const sai_array *a) { return sai_pool_handle(&arrays, a); }

int64_t sai_array_size(const sai_array *a)
{
  int64_t n = 1;
  for (int d = 0; d < a->ndim; d++) n *= a->shape[d];
  return n;
}

int64_t sai_tile_extent(const sai_base *b, int d, int64_t t)
{
  int64_t lo = t * b->tile[d], hi = lo + b->tile[d];
  return (hi < b->shape[d] ? hi : b->shape[d]) - lo;
}

int64_t sai_tile_elems(const sai_base *b, int64_t t)
{
  int64_t n = 1, rest = t;
  for (int d = b->ndim - 1; d >= 0; d--) {
    n *= sai_tile_extent(b, d, rest % b->grid[d]);
    rest /= b->grid[d];
  }
  return n;
}

/* A tile's handle, its memory allocated when a task first writes it. */
static starpu_data_handle_t tile_handle(const sai_base *b, int64_t t)
{
  starpu_data_handle_t h;
  starpu_vector_data_register(&h, -1, 0, (uint32_t)sai_tile_elems(b, t),
                              sa_dtype_size(b->dtype));
  return h;
}

starpu_data_handle_t sai_tile_register(const sai_base *b, int64_t t)
{
  starpu_data_handle_t h = tile_handle(b, t);
  sai_dist_register_tag(h, b->tag0 + t, b->owner ? b->owner[t] : 0);
  b->handles[t] = h;
  return h;
}

/* Tile shape: whole trailing dimensions while they fit in `target` elements, a
 * part of the next one, 1 in the leading ones. Arrays large enough to share get
 * at least one tile per worker. */
static void choose_tiles(int64_t *tile, int ndim, const int64_t *shape, int64_t target)
{
  int64_t total = 1;
  for (int d = 0; d < ndim; d++) total *= shape[d];
  /* under MPI: every rank's workers (ranks are assumed alike) */
  int64_t nworkers =
      sai_rt.initialized ? (int64_t)starpu_worker_get_count() * sai_rt.nranks : 1;
  /* below this a tile's task costs more than a second worker saves: CFD-12 at 256^2
   * ran 12 % faster as one tile than as two, at 512^2 31 % slower (doc/performance.md) */
  const int64_t min_tile = 65536;
  if (total >= 2 * min_tile && nworkers > 1 && total / nworkers < target)
    target = total / nworkers > min_tile ? total / nworkers : min_tile;
  int64_t inner = 1;
  for (int d = ndim - 1; d >= 0; d--) {
    int64_t n = shape[d] > 0 ? shape[d] : 1;
    if (n <= target / inner) {
      tile[d] = n;
      inner *= n;
    } else {
      tile[d] = target / inner > 0 ? target / inner : 1;
      for (int e = d - 1; e >= 0; e--) tile[e] = 1;
      break;
    }
  }
}

/* Tiles are allocated lazily, so an impossible size would only fail inside a task:
 * refuse arrays larger than four times the machine's memory up front. */
static sa_status check_size(sa_dtype dtype, int ndim, const int64_t *shape, const char *func)
{
  sa_status st = SA_OK;
  double bytes = (double)sa_dtype_size(dtype);
  for (int d = 0; d < ndim; d++) bytes *= (double)shape[d];
  double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
  SAI_REQUIRE(ram <= 0 || bytes <= 4 * ram, SA_ERR_NOMEM,
              "%s: an array of %.3g GiB cannot be allocated (this machine has %.3g GiB)",
              func, bytes / (1 << 30), ram / (1 << 30));
done:
  return st;
}

int sai_push(void ***items, size_t *n, size_t *cap, void *item)
{
  if (*n == *cap) {
    size_t grown_cap = *cap ? 2 * *cap : 64;
    void **grown = realloc(*items, grown_cap * sizeof *grown);
    if (!grown) return 0;
    *items = grown;
    *cap = grown_cap;
  }
  (*items)[(*n)++] = item;
  return 1;
}

static sa_status new_struct(sai_array **out)
{
  sa_status st = SA_OK;
  sai_array *a = sai_pool_get(&arrays);
  SAI_REQUIRE(a, SA_ERR_NOMEM, "out of memory for an array");
  a->refcount = 1;
  *out = a;
done:
  return st;
}

sa_status sai_array_new(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                        const sa_array_opts *opts, const char *func)
{
  return sai_array_new_dist(out, dtype, ndim, shape, opts, NULL, 0, func);
}

/* Checks what a new array is asked to be. */
static sa_status check_new(sa_dtype dtype, int ndim, const int64_t *shape,
                           const sa_array_opts *opts, const char *func)
{
  sa_status st = SA_OK;
  SAI_CALL(sai_require_init(func));
  SAI_REQUIRE((unsigned)dtype < SA_NDTYPES, SA_ERR_DTYPE, "%s: invalid dtype %d", func,
              (int)dtype);
  SAI_REQUIRE(ndim >= 1 && ndim <= SA_MAX_NDIM, SA_ERR_ARG,
              "%s: ndim is %d; libstarray arrays have 1 to %d dimensions", func, ndim,
              SA_MAX_NDIM);
  SAI_REQUIRE(shape, SA_ERR_ARG, "%s: shape is NULL", func);
  for (int d = 0; d < ndim; d++)
    SAI_REQUIRE(shape[d] >= 0, SA_ERR_ARG, "%s: shape[%d] is %lld; sizes must be >= 0",
                func, d, (long long)shape[d]);
  SAI_CALL(check_size(dtype, ndim, shape, func));
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) {
    SAI_REQUIRE(shape[d] <= SAI_MAX_ELEMS && (!n || shape[d] <= SAI_MAX_ELEMS / n),
                SA_ERR_ARG, "%s: shape[%d] is %lld: the array would have more than 2^50 "
                "elements", func, d, (long long)shape[d]);
    n *= shape[d];
    SAI_REQUIRE(!opts || opts->tile[d] >= 0, SA_ERR_ARG,
                "%s: opts->tile[%d] is %lld; tile sizes must be >= 0", func, d,
                (long long)opts->tile[d]);
  }
  SAI_CALL(sai_dist_check_opts(opts, func));
done:
  return st;
}

/* "a 1000x1000 array in 1x1 tiles", for messages. */
static void tiling_text(char *buf, size_t size, const sai_base *b)
{
  size_t n = (size_t)snprintf(buf, size, "a ");
  for (int d = 0; d < b->ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? "x" : "", (long long)b->shape[d]);
  if (n < size) n += (size_t)snprintf(buf + n, size - n, " array in ");
  for (int d = 0; d < b->ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? "x" : "", (long long)b->tile[d]);
  if (n < size) snprintf(buf + n, size - n, " tiles");
}

/* b's tile grid (opts, or chosen) and one StarPU handle per tile, not yet written
 * (under MPI registered when first touched: sai_tile). */
static sa_status register_tiles(sai_base *b, const int64_t *shape, const sa_array_opts *opts,
                                const char *func)
{
  sa_status st = SA_OK;
  int ndim = b->ndim;
  choose_tiles(b->tile, ndim, shape, sai_rt.settings.tile_size);
  b->ntiles = 1;
  int64_t elems = 1;
  for (int d = 0; d < ndim; d++) {
    b->shape[d] = shape[d];
    if (opts && opts->tile[d] > 0) b->tile[d] = opts->tile[d];
    if (b->tile[d] > shape[d] && shape[d] > 0) b->tile[d] = shape[d];
    b->grid[d] = shape[d] ? (shape[d] - 1) / b->tile[d] + 1 : 0;
    b->ntiles *= b->grid[d];
    elems = b->tile[d] > SAI_MAX_TILE_ELEMS / elems ? SAI_MAX_TILE_ELEMS + 1 : elems * b->tile[d];
  }
  char tiles[96];
  tiling_text(tiles, sizeof tiles, b);
  SAI_REQUIRE(elems <= SAI_MAX_TILE_ELEMS, SA_ERR_ARG,
              "%s: %s: a tile would hold more than 2^31 - 1 elements, StarPU's limit; use "
              "smaller tiles (opts->tile, --sa-tile-size)", func, tiles);
  SAI_REQUIRE(b->ntiles <= sai_rt.settings.max_tiles, SA_ERR_ARG,
              "%s: %s makes %lld tiles, more than --sa-max-tiles=%d (each tile costs about "
              "8 KiB of runtime bookkeeping); use larger tiles (opts->tile, --sa-tile-size) "
              "or raise --sa-max-tiles", func, tiles, (long long)b->ntiles,
              sai_rt.settings.max_tiles);
  b->handles = calloc(b->ntiles ? (size_t)b->ntiles : 1, sizeof *b->handles);
  SAI_REQUIRE(b->handles, SA_ERR_NOMEM, "%s: out of memory for %lld tiles", func,
              (long long)b->ntiles);
  for (int64_t t = 0; t < b->ntiles && !sai_rt.mpi; t++) b->handles[t] = tile_handle(b, t);
done:
  return st;
}

/* Puts b on the list of live bases (sa_finalize unregisters what is left). */
static void live_add(sai_base *b)
{
  pthread_mutex_lock(&bases.lock);
  b->next = bases.live;
  if (bases.live) bases.live->prev = b;
  bases.live = b;
  pthread_mutex_unlock(&bases.lock);
}

sa_status sai_array_new_dist(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                             const sa_array_opts *opts, const sai_array *like, int on_root,
                             const char *func)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  sai_base *b = NULL;
  SAI_CALL(check_new(dtype, ndim, shape, opts, func));
  b = calloc(1, sizeof *b);
  SAI_REQUIRE(b, SA_ERR_NOMEM, "%s: out of memory", func);
  b->refcount = 1;
  b->dtype = dtype;
  b->ndim = ndim;
  SAI_CALL(register_tiles(b, shape, opts, func));
  SAI_REQUIRE(sai_dist_register_base(b, opts, like, on_root), SA_ERR_NOMEM,
              "%s: out of memory for %lld tiles", func, (long long)b->ntiles);
  SAI_CALL(new_struct(&a));
  live_add(b);
  a->base = b;
  a->ndim = ndim;
  for (int d = 0; d < ndim; d++) {
    a->shape[d] = shape[d];
    a->map[d] = d;
    a->step[d] = 1;
  }
  b = NULL;
  *out = a;
done:
  if (b) {
    for (int64_t t = 0; b->handles && t < b->ntiles; t++)
      if (b->handles[t]) starpu_data_unregister_no_coherency(b->handles[t]);
    free(b->handles);
    free(b->owner);
    free(b->mine);
    free(b);
  }
  return st;
}

sa_status sai_array_borrow(sai_array **out, starpu_data_handle_t h, sa_dtype dtype, int64_t n,
                           int64_t index, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  sai_base *b = calloc(1, sizeof *b);
  SAI_REQUIRE(b, SA_ERR_NOMEM, "%s: out of memory", func);
  b->handles = malloc(sizeof *b->handles);
  SAI_REQUIRE(b->handles, SA_ERR_NOMEM, "%s: out of memory", func);
  b->handles[0] = h;
  b->refcount = 1;
  b->borrowed = 1;
  b->dtype = dtype;
  b->ndim = 1;
  b->shape[0] = b->tile[0] = n;
  b->grid[0] = b->ntiles = 1;
  SAI_CALL(new_struct(&a));
  live_add(b);
  a->base = b;
  a->ndim = 0;
  a->offset[0] = index;
  b = NULL;
  *out = a;
done:
  if (b) {
    free(b->handles);
    free(b);
  }
  return st;
}

sa_status sai_array_alias(sai_array **out, const sai_array *a)
{
  sa_status st = SA_OK;
  sai_array *v = NULL;
  SAI_CALL(new_struct(&v));
  sai_obj own = v->obj; /* the new view's own handle */
  *v = *a;
  v->obj = own;
  v->refcount = 1;
  __atomic_add_fetch(&a->base->refcount, 1, __ATOMIC_ACQ_REL);
  *out = v;
done:
  return st;
}

static void base_free(sai_base *b, int submit)
{
  if (submit) sai_defer_flush();
  pthread_mutex_lock(&bases.lock);
  if (b->prev) b->prev->next = b->next;
  else bases.live = b->next;
  if (b->next) b->next->prev = b->prev;
  pthread_mutex_unlock(&bases.lock);
  for (int64_t t = 0; t < b->ntiles && !b->borrowed; t++) {
    if (!b->handles[t]) continue; /* never touched on this rank */
    if (submit) starpu_data_unregister_submit(b->handles[t]);
    else starpu_data_unregister_no_coherency(b->handles[t]);
  }
  free(b->handles);
  free(b->owner);
  free(b->mine);
  free(b);
}

static void base_release(sai_base *b)
{
  if (!__atomic_sub_fetch(&b->refcount, 1, __ATOMIC_ACQ_REL)) base_free(b, 1);
}

void sai_release(sai_array **ap)
{
  sai_array *a = *ap;
  if (!a) return;
  *ap = NULL;
  if (__atomic_sub_fetch(&a->refcount, 1, __ATOMIC_ACQ_REL)) return;
  base_release(a->base);
  sai_pool_put(&arrays, a);
}

SA_API sa_status sa_array_retain(sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_array_retain", 1));
  __atomic_add_fetch(&a->refcount, 1, __ATOMIC_ACQ_REL);
done:
  return st;
}

SA_API sa_status sa_array_release(sa_array **hp)
{
  sa_status st = SA_OK;
  if (!hp || !*hp) return SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, *hp, "sa_array_release", 1));
  *hp = NULL;
  sai_release(&a);
done:
  return st;
}

/* When the library stops: tiles the user never released are unregistered; their
 * arrays then fail the epoch check. */
int64_t sai_array_cleanup(void)
{
  int64_t leaked = 0;
  while (bases.live) {
    base_free(bases.live, 0);
    leaked++;
  }
  return leaked;
}

/* One fill task per tile; element values from *fill with the tile's first index. */
static sa_status fill_tiles(sai_array *a, sai_fill_args fill)
{
  sa_status st = SA_OK;
  const sai_base *b = a->base;
  int64_t what[2] = {b->tag0, b->ntiles};
  sai_dist_local_begin("fill", what, 2);
  for (int64_t t = 0; t < b->ntiles; t++) {
    fill.first = t * b->tile[0]; /* meaningful for 1-d arange/linspace */
    if (sai_dist_writes_here(b, t)) SAI_CALL(sai_fill_submit(sai_tile(b, t), &fill, -1));
  }
done:
  sai_dist_local_end();
  return st;
}

sa_status sai_full(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                   double value, const sa_array_opts *opts, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_CALL(sai_array_new(&a, dtype, ndim, shape, opts, func));
  SAI_CALL(fill_tiles(a, (sai_fill_args){.base = value, .last_index = -1, .dtype = dtype,
                                         .kind = SAI_FILL_FULL}));
  *out = a;
  a = NULL;
done:
  sai_release(&a);
  return st;
}

SA_API sa_status sa_full(sa_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                         double value, const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_full: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_full(&a, dtype, ndim, shape, value, opts, "sa_full"));
  *out = sai_array_handle(a);
done:
  return st;
}

SA_API sa_status sa_zeros(sa_array **out, sa_dtype dtype, int ndim, const int64_t *shape)
SAI_API_CALL(sa_full(out, dtype, ndim, shape, 0.0, NULL))

SA_API sa_status sa_ones(sa_array **out, sa_dtype dtype, int ndim, const int64_t *shape)
SAI_API_CALL(sa_full(out, dtype, ndim, shape, 1.0, NULL))

SA_API sa_status sa_empty(sa_array **out, sa_dtype dtype, int ndim, const int64_t *shape)
SAI_API_CALL(sa_full(out, dtype, ndim, shape, 0.0, NULL))

SA_API sa_status sa_arange(sa_array **out, sa_dtype dtype, double start, double stop,
                           double step)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_arange: out is NULL (argument 1)");
  *out = NULL;
  SAI_REQUIRE(step != 0 && step == step, SA_ERR_ARG, "sa_arange: step is %g (argument 5)",
              step);
  double count = (stop - start) / step;
  SAI_REQUIRE(count < 1e12, SA_ERR_ARG, "sa_arange: %g elements are too many", count);
  int64_t n = count > 0 ? (int64_t)count + ((double)(int64_t)count < count) : 0;
  SAI_CALL(sai_array_new(&a, dtype, 1, &n, NULL, "sa_arange"));
  SAI_CALL(fill_tiles(a, (sai_fill_args){.base = start, .step = step, .last_index = -1,
                                         .dtype = dtype, .kind = SAI_FILL_ARANGE}));
  *out = sai_array_handle(a);
  a = NULL;
done:
  sai_release(&a);
  return st;
}

SA_API sa_status sa_linspace(sa_array **out, sa_dtype dtype, double start, double stop,
                             int64_t num)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_linspace: out is NULL (argument 1)");
  *out = NULL;
  SAI_REQUIRE(num >= 0, SA_ERR_ARG, "sa_linspace: num is %lld (argument 5); must be >= 0",
              (long long)num);
  SAI_CALL(sai_array_new(&a, dtype, 1, &num, NULL, "sa_linspace"));
  double step = num > 1 ? (stop - start) / (double)(num - 1) : 0;
  SAI_CALL(fill_tiles(a, (sai_fill_args){.base = start, .step = step,
                                         .last_index = num > 1 ? num - 1 : -1,
                                         .last_value = stop, .dtype = dtype}));
  *out = sai_array_handle(a);
  a = NULL;
done:
  sai_release(&a);
  return st;
}

SA_API sa_status sa_array_shape(const sa_array *h, int *ndim, int64_t *shape)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_array_shape", 1));
  SAI_REQUIRE(ndim, SA_ERR_ARG, "sa_array_shape: ndim is NULL (argument 2)");
  *ndim = a->ndim;
  if (shape) memcpy(shape, a->shape, (size_t)a->ndim * sizeof *shape);
done:
  return st;
}

SA_API sa_status sa_array_dtype(const sa_array *h, sa_dtype *dtype)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_array_dtype", 1));
  SAI_REQUIRE(dtype, SA_ERR_ARG, "sa_array_dtype: dtype is NULL (argument 2)");
  *dtype = a->base->dtype;
done:
  return st;
}

SA_API sa_status sa_array_size(const sa_array *h, int64_t *size)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_array_size", 1));
  SAI_REQUIRE(size, SA_ERR_ARG, "sa_array_size: size is NULL (argument 2)");
  *size = sai_array_size(a);
done:
  return st;
}

SA_API sa_status sa_array_tiles(const sa_array *h, int *ndim, int64_t *tile, int64_t *grid)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_CALL(sai_array_get(&a, h, "sa_array_tiles", 1));
  SAI_REQUIRE(ndim, SA_ERR_ARG, "sa_array_tiles: ndim is NULL (argument 2)");
  *ndim = a->base->ndim;
  if (tile) memcpy(tile, a->base->tile, (size_t)*ndim * sizeof *tile);
  if (grid) memcpy(grid, a->base->grid, (size_t)*ndim * sizeof *grid);
done:
  return st;
}

/* A new array of a's shape and dtype, tiled and distributed as a, holding value. */
static sa_status full_like(sa_array **out, const sa_array *h, double value, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a, *n = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, func, 2));
  int64_t shape[SA_MAX_NDIM] = {1};
  int nd = a->ndim ? a->ndim : 1;
  if (a->ndim) memcpy(shape, a->shape, sizeof shape);
  sa_array_opts opts; /* a whole base's tiles; a view's: chosen anew */
  memset(&opts, 0, sizeof opts);
  int whole = a->ndim == a->base->ndim;
  for (int d = 0; d < a->ndim && whole; d++)
    whole = a->map[d] == d && a->step[d] == 1 && a->offset[d] == 0 &&
            a->shape[d] == a->base->shape[d];
  if (whole) memcpy(opts.tile, a->base->tile, sizeof opts.tile);
  SAI_CALL(sai_array_new_dist(&n, a->base->dtype, nd, shape, &opts, a, 0, func));
  SAI_CALL(fill_tiles(n, (sai_fill_args){.base = value, .last_index = -1,
                                         .dtype = a->base->dtype, .kind = SAI_FILL_FULL}));
  *out = sai_array_handle(n);
  n = NULL;
done:
  sai_release(&n);
  return st;
}

SA_API sa_status sa_full_like(sa_array **out, const sa_array *a, double value)
SAI_API_CALL(full_like(out, a, value, "sa_full_like"))

SA_API sa_status sa_zeros_like(sa_array **out, const sa_array *a)
SAI_API_CALL(full_like(out, a, 0.0, "sa_zeros_like"))

SA_API sa_status sa_ones_like(sa_array **out, const sa_array *a)
SAI_API_CALL(full_like(out, a, 1.0, "sa_ones_like"))
