/* SPDX-License-Identifier: MIT
 * NumPy .npy files: format 1.0/2.0 (3.0 read too), little-endian, C order, the
 * five dtypes; anything else is refused with the reason, never read wrong. */
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What sa_save_npy writes; reading, '=' (native: this little-endian machine) and a
 * one-byte bool in any byte order are accepted too. */
static const char *const descrs[SA_NDTYPES] = {"|b1", "<i4", "<i8", "<f4", "<f8"};

/* The value text after 'key': in the header dict (NUL-terminated), or NULL. */
static const char *dict_value(const char *h, const char *key)
{
  char quoted[32];
  snprintf(quoted, sizeof quoted, "'%s'", key);
  const char *p = strstr(h, quoted);
  if (!p) return NULL;
  p += strlen(quoted);
  while (*p == ' ' || *p == ':') p++;
  return p;
}

/* The dtype named by the quoted descr string at d ("'<f8'"). */
static sa_status parse_descr(const char *d, const char *path, sa_dtype *dtype)
{
  sa_status st = SA_OK;
  char q = *d, text[16] = "";
  size_t n = 0;
  if (q == '\'' || q == '"')
    while (d[1 + n] && d[1 + n] != q && n < sizeof text - 1) text[n] = d[1 + n], n++;
  text[n] = '\0';
  SAI_REQUIRE((q == '\'' || q == '"') && d[1 + n] == q, SA_ERR_IO,
              "sa_load_npy: %s: the header's descr is not a quoted dtype string", path);
  int k = 0;
  while (k < SA_NDTYPES && strcmp(text + 1, descrs[k] + 1)) k++;
  int order_ok = k < SA_NDTYPES && n == 3 &&
                 (text[0] == '<' || text[0] == '=' || (k == SA_BOOL && text[0] == '|'));
  SAI_REQUIRE(order_ok, SA_ERR_IO,
              "sa_load_npy: %s: dtype '%s' is not supported (bool, int32, int64, float32 and "
              "float64, little-endian, are)", path, text);
  *dtype = (sa_dtype)k;
done:
  return st;
}

/* The shape tuple at s ("(3, 4)"): at most SA_MAX_NDIM sizes, at most 2^50 elements. */
static sa_status parse_shape(const char *s, const char *path, int *ndim, int64_t *shape)
{
  sa_status st = SA_OK;
  int64_t count = 1;
  SAI_REQUIRE(*s == '(', SA_ERR_IO, "sa_load_npy: %s: malformed shape", path);
  *ndim = 0;
  for (s++;;) {
    while (*s == ' ' || *s == ',') s++;
    if (*s == ')') break;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    SAI_REQUIRE(end != s && v >= 0 && !errno, SA_ERR_IO, "sa_load_npy: %s: malformed shape",
                path);
    SAI_REQUIRE(*ndim < SA_MAX_NDIM, SA_ERR_IO,
                "sa_load_npy: %s: more than %d dimensions", path, SA_MAX_NDIM);
    SAI_REQUIRE(v <= SAI_MAX_ELEMS && (!count || v <= SAI_MAX_ELEMS / count), SA_ERR_IO,
                "sa_load_npy: %s: the shape has more than 2^50 elements", path);
    count *= v;
    shape[(*ndim)++] = v;
    s = end;
  }
  if (*ndim == 0) shape[(*ndim)++] = 1; /* a 0-d array becomes shape (1,) */
done:
  return st;
}

static sa_status parse_header(const char *h, const char *path, sa_dtype *dtype, int *ndim,
                              int64_t *shape)
{
  sa_status st = SA_OK;
  const char *d = dict_value(h, "descr"), *f = dict_value(h, "fortran_order"),
             *s = dict_value(h, "shape");
  SAI_REQUIRE(d && f && s, SA_ERR_IO, "sa_load_npy: %s: header lacks descr, fortran_order "
              "or shape: %.200s", path, h);
  SAI_REQUIRE(strncmp(f, "True", 4), SA_ERR_IO,
              "sa_load_npy: %s: Fortran-order arrays are not supported", path);
  SAI_REQUIRE(!strncmp(f, "False", 5), SA_ERR_IO,
              "sa_load_npy: %s: fortran_order is neither True nor False", path);
  SAI_CALL(parse_descr(d, path, dtype));
  SAI_CALL(parse_shape(s, path, ndim, shape));
done:
  return st;
}

/* The header's claim, bytes of data, against what the file holds from here: before
 * anything is allocated. */
static sa_status check_data_size(FILE *f, size_t bytes, const char *path)
{
  sa_status st = SA_OK;
  long here = ftell(f);
  struct stat sb;
  SAI_REQUIRE(here >= 0 && !fstat(fileno(f), &sb), SA_ERR_IO, "sa_load_npy: %s: %s", path,
              strerror(errno));
  uint64_t left = sb.st_size > here ? (uint64_t)(sb.st_size - here) : 0;
  SAI_REQUIRE(!S_ISREG(sb.st_mode) || left >= bytes, SA_ERR_IO,
              "sa_load_npy: %s: truncated data (the header says %zu bytes, the file holds "
              "%llu)", path, bytes, (unsigned long long)left);
  SAI_REQUIRE(!S_ISREG(sb.st_mode) || left == bytes, SA_ERR_IO,
              "sa_load_npy: %s: extra bytes after the data (corrupt header?)", path);
done:
  return st;
}

/* NumPy writes bools as bytes 0 and 1: anything else is a corrupt file. */
static sa_status check_bools(const unsigned char *data, int64_t n, const char *path)
{
  sa_status st = SA_OK;
  for (int64_t i = 0; i < n; i++)
    SAI_REQUIRE(data[i] <= 1, SA_ERR_IO, "sa_load_npy: %s: bool element %lld is %d", path,
                (long long)i, data[i]);
done:
  return st;
}

/* Reads the whole file: its dtype, shape and data (malloc'ed, *data). */
static sa_status read_npy(const char *path, sa_dtype *dtype_out, int *ndim_out, int64_t *shape,
                          void **data_out)
{
  sa_status st = SA_OK;
  FILE *f = NULL;
  char *header = NULL;
  void *data = NULL;
  f = fopen(path, "rb");
  SAI_REQUIRE(f, SA_ERR_IO, "sa_load_npy: cannot open %s: %s", path, strerror(errno));
  unsigned char pre[12];
  size_t got = fread(pre, 1, 10, f);
  SAI_REQUIRE(got == 10 && !memcmp(pre, "\x93NUMPY", 6), SA_ERR_IO,
              "sa_load_npy: %s is not a .npy file (bad magic)", path);
  SAI_REQUIRE(pre[6] >= 1 && pre[6] <= 3, SA_ERR_IO,
              "sa_load_npy: %s: .npy format version %d.%d is not supported", path, pre[6],
              pre[7]);
  size_t hlen = pre[8] | (size_t)pre[9] << 8;
  if (pre[6] >= 2) {
    SAI_REQUIRE(fread(pre + 10, 1, 2, f) == 2, SA_ERR_IO, "sa_load_npy: %s: truncated header",
                path);
    hlen |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
  }
  SAI_REQUIRE(hlen < (1u << 24), SA_ERR_IO, "sa_load_npy: %s: header too long", path);
  header = malloc(hlen + 1);
  SAI_REQUIRE(header, SA_ERR_NOMEM, "sa_load_npy: out of memory");
  SAI_REQUIRE(fread(header, 1, hlen, f) == hlen, SA_ERR_IO,
              "sa_load_npy: %s: truncated header", path);
  header[hlen] = '\0';
  sa_dtype dtype = SA_F64;
  int ndim = 0;
  int64_t n = 1;
  SAI_CALL(parse_header(header, path, &dtype, &ndim, shape));
  for (int d = 0; d < ndim; d++) n *= shape[d];
  size_t bytes = (size_t)n * sa_dtype_size(dtype);
  SAI_CALL(check_data_size(f, bytes, path));
  data = malloc(bytes ? bytes : 1);
  SAI_REQUIRE(data, SA_ERR_NOMEM, "sa_load_npy: %s: out of memory for %zu bytes", path, bytes);
  SAI_REQUIRE(fread(data, 1, bytes, f) == bytes, SA_ERR_IO,
              "sa_load_npy: %s: truncated data (expected %zu bytes)", path, bytes);
  SAI_REQUIRE(fgetc(f) == EOF, SA_ERR_IO,
              "sa_load_npy: %s: extra bytes after the data (corrupt header?)", path);
  if (dtype == SA_BOOL) SAI_CALL(check_bools(data, n, path));
  *dtype_out = dtype;
  *ndim_out = ndim;
  *data_out = data;
  data = NULL;
done:
  if (f) fclose(f);
  free(header);
  free(data);
  return st;
}

/* Rank 0's outcome, code (already agreed on), on every rank: rank 0 keeps its own
 * error and message; the others say that rank 0 could not `what` the file. */
static sa_status rank0_outcome(int64_t code, const char *func, const char *what,
                               const char *path)
{
  sa_status st = SA_OK;
  if (code != SA_OK && sai_rt.rank == 0) SAI_CALL((sa_status)code);
  SAI_REQUIRE(code == SA_OK, (sa_status)code,
              "%s: rank 0 could not %s %s (its message says why)", func, what, path);
done:
  return st;
}

SA_API sa_status sa_load_npy(sa_array **out, const char *path, const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  void *data = NULL;
  sai_array *staged = NULL, *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_load_npy: out is NULL (argument 1)");
  *out = NULL;
  SAI_REQUIRE(path, SA_ERR_ARG, "sa_load_npy: path is NULL (argument 2)");
  SAI_CALL(sai_require_init("sa_load_npy"));
  /* Under MPI rank 0 reads the file and tells the others its dtype and shape (or
   * its error); the data reaches the tiles' owners as StarPU-MPI transfers. */
  int64_t head[3 + SA_MAX_NDIM] = {SA_OK};
  sa_dtype dtype = SA_F64;
  int ndim = 0;
  if (sai_rt.rank == 0) {
    head[0] = read_npy(path, &dtype, &ndim, head + 3, &data);
    head[1] = dtype;
    head[2] = ndim;
  }
  SAI_CALL(sai_dist_agree(head, 3 + SA_MAX_NDIM, "sa_load_npy"));
  SAI_CALL(rank0_outcome(head[0], "sa_load_npy", "read", path));
  dtype = (sa_dtype)head[1];
  ndim = (int)head[2];
  if (!sai_rt.mpi) {
    SAI_CALL(sa_from_buffer(out, dtype, ndim, head + 3, data, opts));
    goto done;
  }
  SAI_CALL(sai_array_new_dist(&staged, dtype, ndim, head + 3, opts, NULL, 1,
                              "sa_load_npy"));
  SAI_CALL(sai_host_fill(staged, data, "sa_load_npy"));
  SAI_CALL(sai_array_new(&a, dtype, ndim, head + 3, opts, "sa_load_npy"));
  sai_eval_req r = {.func = "sa_load_npy", .out = a, .text = "a",
                    .args = SA_ARGS(SAI_ARR("a", staged))};
  SAI_CALL(sai_eval(&r));
  *out = sai_array_handle(a);
  a = NULL;
done:
  sai_release(&a);
  sai_release(&staged);
  free(data);
  return st;
}

/* Writes the file from host data. */
static sa_status write_npy(const char *path, const sai_array *a, const void *data, size_t bytes)
{
  sa_status st = SA_OK;
  FILE *f = NULL;
  char dict[256];
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                   descrs[a->base->dtype]);
  for (int d = 0; d < a->ndim; d++)
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%lld,%s", (long long)a->shape[d],
                  d + 1 < a->ndim ? " " : "");
  if (a->ndim > 1) n--; /* (2, 3) not (2, 3,) */
  n += snprintf(dict + n, sizeof dict - (size_t)n, "), }");
  int total = 10 + n + 1, pad = (64 - total % 64) % 64;
  f = fopen(path, "wb");
  SAI_REQUIRE(f, SA_ERR_IO, "sa_save_npy: cannot create %s: %s", path, strerror(errno));
  unsigned hl = (unsigned)(n + pad + 1);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff),
                           (unsigned char)(hl >> 8)};
  int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(dict, 1, (size_t)n, f) == (size_t)n;
  for (int k = 0; ok && k < pad; k++) ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF && fwrite(data, 1, bytes, f) == bytes;
  SAI_REQUIRE(ok, SA_ERR_IO, "sa_save_npy: writing %s failed: %s", path, strerror(errno));
  int closed = fclose(f);
  f = NULL;
  SAI_REQUIRE(closed == 0, SA_ERR_IO, "sa_save_npy: closing %s failed: %s", path,
              strerror(errno));
done:
  if (f) fclose(f);
  return st;
}

SA_API sa_status sa_save_npy(const char *path, const sa_array *h)
{
  sa_status st = SA_OK;
  void *data = NULL;
  sai_array *a;
  SAI_REQUIRE(path, SA_ERR_ARG, "sa_save_npy: path is NULL (argument 1)");
  SAI_CALL(sai_array_get(&a, h, "sa_save_npy", 2));
  size_t bytes = (size_t)sai_array_size(a) * sa_dtype_size(a->base->dtype);
  data = malloc(bytes ? bytes : 1);
  SAI_REQUIRE(data, SA_ERR_NOMEM, "sa_save_npy: out of memory for %zu bytes", bytes);
  /* Under MPI the tiles travel to rank 0, which writes the file and tells the
   * others whether that worked. */
  SAI_CALL(sai_host_read(a, data, 1, "sa_save_npy"));
  int64_t result = SA_OK;
  if (sai_rt.rank == 0) result = write_npy(path, a, data, bytes);
  SAI_CALL(sai_dist_agree(&result, 1, "sa_save_npy"));
  SAI_CALL(rank0_outcome(result, "sa_save_npy", "write", path));
done:
  free(data);
  return st;
}
