/* SPDX-License-Identifier: MIT
 * Arrays: constructors against closed forms, host round trips through odd
 * tilings, queries, reference counting and stale handles, argument checks. */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define SHAPE(...) ((const int64_t[]){__VA_ARGS__})

static int all_equal(const double *x, int64_t n, double (*f)(int64_t))
{
  for (int64_t i = 0; i < n; i++)
    if (x[i] != f(i)) return 0;
  return 1;
}
/* This process's resident size (Linux), -1 where unknown. */
static long resident_kib(void)
{
  long pages = -1, res = -1;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = -1;
  fclose(f);
  return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

static double arange_ref(int64_t i) { return 2.0 + 0.5 * (double)i; }
static double lin_ref(int64_t i) { return i == 10 ? 1.0 : 0.0 + (double)i * (1.0 / 10.0); }

int main(void)
{
  sat_plan(45);
  sa_array *a = NULL, *b = NULL, *v = NULL;
  double buf[64];
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=2 --sa-ncuda=0") != SA_OK) {
    sat_diag(sa_error_message());
    return 1;
  }
  sat_ok(sa_arange(&a, SA_F64, 2.0, 7.0, 0.5) == SA_OK, "arange(2, 7, 0.5)");
  int64_t n = 0;
  sat_ok(sa_array_size(a, &n) == SA_OK && n == 10, "has ceil((7-2)/0.5) = 10 elements");
  sat_ok(sa_to_buffer(buf, sizeof buf, a) == SA_OK && all_equal(buf, 10, arange_ref),
         "arange values are 2 + 0.5 i");
  sat_ok(sa_array_release(&a) == SA_OK && a == NULL, "release sets the pointer to NULL");
  sat_ok(sa_linspace(&a, SA_F64, 0.0, 1.0, 11) == SA_OK &&
             sa_to_buffer(buf, sizeof buf, a) == SA_OK && all_equal(buf, 11, lin_ref),
         "linspace(0, 1, 11): i/10 and exactly 1 at the end");
  sat_ok(sa_array_release(&a) == SA_OK, "release linspace");
  /* -0.0 as NumPy: full keeps it, arange starts with it, linspace(-0.0, ..)[0] is
   * 0 * step + start = +0.0 */
  double z[3] = {1, 1, 1}, za[3] = {1, 1, 1}, zl[3] = {-1, -1, -1};
  sa_array *zf = NULL, *zr = NULL, *zs = NULL;
  int zok = sa_full(&zf, SA_F64, 1, SHAPE(3), -0.0, NULL) == SA_OK &&
            sa_arange(&zr, SA_F64, -0.0, 3.0, 1.0) == SA_OK &&
            sa_linspace(&zs, SA_F64, -0.0, 1.0, 3) == SA_OK &&
            sa_to_buffer(z, sizeof z, zf) == SA_OK && sa_to_buffer(za, sizeof za, zr) == SA_OK &&
            sa_to_buffer(zl, sizeof zl, zs) == SA_OK;
  sat_ok(zok && signbit(z[0]) && signbit(z[2]) && z[2] == 0 && signbit(za[0]) && za[1] == 1 &&
             !signbit(zl[0]) && zl[1] == 0.5,
         "full(-0.0) is -0.0, arange(-0.0, 3) starts at -0.0, linspace(-0.0, 1, 3)[0] is +0.0");
  /* slicing text as Python takes it: a trailing comma, steps beyond the length */
  double tv[4] = {0, 0, 0, 0};
  sa_array *tr = NULL, *st1 = NULL, *st2 = NULL, *ten = NULL;
  int nd1 = 0, nd2 = 0, nd3 = 0;
  int64_t s1[4], s2[4], s3[4];
  int vok = sa_arange(&ten, SA_F64, 0, 10, 1) == SA_OK &&
            sa_view(&tr, ten, "1:3,") == SA_OK && sa_array_shape(tr, &nd1, s1) == SA_OK &&
            sa_view(&st1, ten, "::-9223372036854775808") == SA_OK &&
            sa_array_shape(st1, &nd2, s2) == SA_OK &&
            sa_view(&st2, ten, "2::9223372036854775807") == SA_OK &&
            sa_array_shape(st2, &nd3, s3) == SA_OK && sa_to_buffer(tv, 8, st1) == SA_OK &&
            sa_to_buffer(tv + 1, 8, st2) == SA_OK && sa_to_buffer(tv + 2, 16, tr) == SA_OK;
  sat_ok(vok && nd1 == 1 && s1[0] == 2 && tv[2] == 1 && tv[3] == 2 && s2[0] == 1 && tv[0] == 9 &&
             s3[0] == 1 && tv[1] == 2,
         "a[1:3,] is a[1:3]; a[::-2**63] is [a[-1]]; a[2::2**63-1] is [a[2]]");
  sat_ok(sa_array_release(&tr) == SA_OK && sa_array_release(&st1) == SA_OK &&
             sa_array_release(&st2) == SA_OK && sa_array_release(&ten) == SA_OK,
         "release the views");
  sat_ok(sa_array_release(&zf) == SA_OK && sa_array_release(&zr) == SA_OK &&
             sa_array_release(&zs) == SA_OK,
         "release them");

  /* full into int32 with 3x4 tiles over a 7x10 array: uneven edge tiles */
  sa_array_opts opts = {.tile = {3, 4}};
  int32_t ibuf[70];
  sat_ok(sa_full(&a, SA_I32, 2, SHAPE(7, 10), -3.7, &opts) == SA_OK, "full int32 7x10");
  sat_ok(sa_to_buffer(ibuf, sizeof ibuf, a) == SA_OK && ibuf[0] == -3 && ibuf[69] == -3,
         "-3.7 converts to -3 as astype does");
  int nd = 0;
  int64_t tile[4], grid[4], shape[4];
  sat_ok(sa_array_tiles(a, &nd, tile, grid) == SA_OK && nd == 2 && tile[0] == 3 &&
             tile[1] == 4 && grid[0] == 3 && grid[1] == 3,
         "tiles 3x4 in a 3x3 grid");
  sa_dtype dt;
  sat_ok(sa_array_dtype(a, &dt) == SA_OK && dt == SA_I32 &&
             !strcmp(sa_dtype_name(dt), "int32") && sa_dtype_size(dt) == 4,
         "dtype int32, 4 bytes");
  sat_ok(sa_array_release(&a) == SA_OK, "release");

  /* from_buffer -> view -> to_buffer, through 2x3 tiles */
  double src[24];
  for (int i = 0; i < 24; i++) src[i] = i;
  opts = (sa_array_opts){.tile = {2, 3, 0}};
  sat_ok(sa_from_buffer(&a, SA_F64, 2, SHAPE(4, 6), src, &opts) == SA_OK, "from_buffer 4x6");
  sat_ok(sa_view(&v, a, "1:, ::-2") == SA_OK, "view [1:, ::-2]");
  sat_ok(sa_array_shape(v, &nd, shape) == SA_OK && nd == 2 && shape[0] == 3 && shape[1] == 3,
         "view shape (3,3)");
  int good = sa_to_buffer(buf, sizeof buf, v) == SA_OK;
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++) good &= buf[r * 3 + c] == src[(r + 1) * 6 + 5 - 2 * c];
  sat_ok(good, "view values are a[1+r, 5-2c]");
  /* the same selection with numbers, and a row by a negative index */
  sa_array *w = NULL;
  good = sa_view_ex(&w, a, 2, (sa_slice[]){SA_SLICE(1, SA_NONE, SA_NONE),
                                          SA_SLICE(SA_NONE, SA_NONE, -2)}) == SA_OK &&
         sa_to_buffer(buf, sizeof buf, w) == SA_OK;
  for (int r = 0; good && r < 3; r++)
    for (int c = 0; c < 3; c++) good &= buf[r * 3 + c] == src[(r + 1) * 6 + 5 - 2 * c];
  sat_ok(good && sa_array_release(&w) == SA_OK, "sa_view_ex(1:, ::-2) gives a[1+r, 5-2c]");
  good = sa_view_ex(&w, a, 1, (sa_slice[]){SA_INDEX(-1)}) == SA_OK &&
         sa_array_shape(w, &nd, shape) == SA_OK && nd == 1 && shape[0] == 6 &&
         sa_to_buffer(buf, sizeof buf, w) == SA_OK && buf[0] == 18 && buf[5] == 23;
  sat_ok(good && sa_array_release(&w) == SA_OK, "sa_view_ex(SA_INDEX(-1)) is the last row");
  sat_status_is(sa_view_ex(&w, a, 1, (sa_slice[]){SA_INDEX(4)}), SA_ERR_INDEX,
                "sa_view_ex index out of range", SAT_KEYS("index 4 is out of bounds", "slice 1"));
  sat_status_is(sa_view_ex(&w, a, 2, (sa_slice[]){SA_ALL, SA_SLICE(0, 3, 0)}), SA_ERR_INDEX,
                "sa_view_ex step 0", SAT_KEYS("step cannot be zero", "slice 2"));
  sat_status_is(sa_view_ex(&w, a, 3, (sa_slice[]){SA_ALL, SA_ALL, SA_ALL}), SA_ERR_INDEX,
                "sa_view_ex too many slices", SAT_KEYS("3 slices"));
  sat_status_is(sa_view_ex(&w, a, 1, NULL), SA_ERR_ARG, "sa_view_ex without slices",
                SAT_KEYS("arguments 3 and 4"));
  sat_ok(sa_array_release(&a) == SA_OK && sa_to_buffer(buf, sizeof buf, v) == SA_OK &&
             buf[0] == 11,
         "a view keeps its base alive after the base is released");
  sat_status_is(sa_to_buffer(buf, 8, v), SA_ERR_ARG, "too small a buffer",
                SAT_KEYS("too small"));

  /* stale handles */
  sa_array *stale = v;
  sat_ok(sa_array_release(&v) == SA_OK, "release the view");
  sat_status_is(sa_array_release(&stale), SA_ERR_INVALID_HANDLE, "double release",
                SAT_KEYS("already released"));
  sat_status_is(sa_array_size(NULL, &n), SA_ERR_INVALID_HANDLE, "NULL array",
                SAT_KEYS("argument 1"));
  sat_ok(sa_array_release(NULL) == SA_OK && sa_array_release(&v) == SA_OK,
         "releasing NULL is a no-op");

  /* argument checks */
  sat_status_is(sa_zeros(&a, SA_F64, 0, SHAPE(1)), SA_ERR_ARG, "ndim 0",
                SAT_KEYS("ndim is 0"));
  sat_status_is(sa_zeros(&a, SA_F64, 2, SHAPE(3, -1)), SA_ERR_ARG, "negative size",
                SAT_KEYS("shape[1] is -1"));
  sat_status_is(sa_zeros(&a, (sa_dtype)9, 1, SHAPE(3)), SA_ERR_DTYPE, "bad dtype",
                SAT_KEYS("invalid dtype 9"));
  sat_status_is(sa_arange(&a, SA_F64, 0, 1, 0), SA_ERR_ARG, "arange step 0",
                SAT_KEYS("step"));
  sat_status_is(sa_view(&v, NULL, ":"), SA_ERR_INVALID_HANDLE, "view of NULL",
                SAT_KEYS("argument 2"));
  /* distribution options are checked with or without MPI (one rank here) */
  opts = (sa_array_opts){.dist = (sa_dist)7};
  sat_status_is(sa_full(&a, SA_F64, 1, SHAPE(4), 0, &opts), SA_ERR_ARG, "bad opts->dist",
                SAT_KEYS("opts->dist is 7", "SA_DIST_CYCLIC"));
  opts = (sa_array_opts){.dist = SA_DIST_BLOCK, .grid = {2, 2}};
  sat_status_is(sa_full(&a, SA_F64, 1, SHAPE(4), 0, &opts), SA_ERR_ARG,
                "opts->grid that is not the rank count",
                SAT_KEYS("opts->grid is 2x2", "there is 1 rank"));
  opts = (sa_array_opts){.dist = SA_DIST_CYCLIC, .grid = {1, 1}};
  sat_ok(sa_full(&a, SA_F64, 1, SHAPE(4), 2, &opts) == SA_OK &&
             sa_to_buffer(buf, sizeof buf, a) == SA_OK && buf[3] == 2 &&
             sa_array_release(&a) == SA_OK,
         "a valid distribution on one rank");
  int64_t sent = -1;
  sat_ok(sa_mpi_bytes_sent(&sent) == SA_OK && sent == 0, "no MPI: 0 bytes sent");
  sat_status_is(sa_mpi_bytes_sent(NULL), SA_ERR_ARG, "sa_mpi_bytes_sent(NULL)",
                SAT_KEYS("argument 1"));

  /* Tile memory comes back: arange over tiles in each kind of allocation (2 MiB tiles
   * in huge pages, a 600 KB tail and a 720 KB tile mapped in small pages, a small tile
   * from malloc), values checked, released, 40 times; the resident size must not grow
   * by what 40 rounds would leak (190 MB) */
  long rss0 = resident_kib();
  int mem_ok = 1;
  for (int round = 0; round < 40 && mem_ok; round++) {
    const int64_t sizes[3] = {600000, 90000, 100};
    for (int k = 0; k < 3 && mem_ok; k++) {
      sa_future *f = NULL;
      double sum = -1, last = -1, want = (double)sizes[k] * (double)(sizes[k] - 1) / 2;
      mem_ok = sa_arange(&a, SA_F64, 0, (double)sizes[k], 1) == SA_OK &&
               sa_sum(&f, a) == SA_OK && sa_future_get(f, &sum) == SA_OK &&
               sa_item(&last, a, SHAPE(-1)) == SA_OK && sum == want &&
               last == (double)(sizes[k] - 1) && sa_future_release(&f) == SA_OK &&
               sa_array_release(&a) == SA_OK;
    }
  }
  sat_ok(mem_ok, "40 rounds of arange(600000), arange(90000), arange(100): sums and last elements");
  long grown = resident_kib() - rss0;
  sat_ok(rss0 > 0 && grown < 64 * 1024, "tile memory is returned (resident size grew %ld KiB)",
         grown);

  /* arrays left alive are cleaned up by sa_finalize; their handles go stale */
  sat_ok(sa_zeros(&b, SA_F32, 1, SHAPE(5)) == SA_OK && sa_finalize() == SA_OK,
         "finalize with a live array");
  sat_status_is(sa_mpi_bytes_sent(&sent), SA_ERR_NOT_INITIALIZED,
                "sa_mpi_bytes_sent before sa_init", SAT_KEYS("sa_mpi_bytes_sent"));
  return sat_done();
}
