/* SPDX-License-Identifier: MIT
 * Random arrays: validate, create, one rng task per tile (codelets/rng.h has the
 * recipe; doc/random.md describes it). */
#include "sai.h"
#include "rng.h"

#include <float.h>
#include <math.h>

/* Above the largest |z| a standard normal of the recipe can have, sqrt(-2 log
 * 2^-53) = 8.5717. */
#define SAI_RNG_NORMAL_MAX 8.58

/* One task per tile of a new array; a's kind, dtype and parameters are set. */
static sa_status rng_array(sai_array **out, sai_rng_args args, int ndim,
                           const int64_t *shape, uint64_t seed, uint64_t stream,
                           const sa_array_opts *opts, const char *func)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_CALL(sai_array_new(&a, (sa_dtype)args.dtype, ndim, shape, opts, func));
  const sai_base *b = a->base;
  args.key[0] = (uint32_t)seed;
  args.key[1] = (uint32_t)(seed >> 32);
  args.stream[0] = (uint32_t)stream;
  args.stream[1] = (uint32_t)(stream >> 32);
  args.ndim = ndim;
  int64_t stride = 1;
  for (int d = ndim - 1; d >= 0; d--) {
    args.stride[d] = stride;
    stride *= shape[d];
  }
  for (int64_t t = 0; t < b->ntiles; t++) {
    int64_t rest = t;
    args.first = 0;
    for (int d = ndim - 1; d >= 0; d--) {
      int64_t c = rest % b->grid[d];
      rest /= b->grid[d];
      args.ext[d] = sai_tile_extent(b, d, c);
      args.first += c * b->tile[d] * args.stride[d];
    }
    if (sai_dist_writes_here(b, t)) SAI_CALL(sai_rng_submit(sai_tile(b, t), &args));
  }
  *out = a;
  a = NULL;
done:
  sai_release(&a);
  return st;
}

SA_API sa_status sa_random_uniform(sa_array **out, sa_dtype dtype, int ndim,
                                   const int64_t *shape, uint64_t seed, uint64_t stream,
                                   const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_random_uniform: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_require_init("sa_random_uniform"));
  SAI_REQUIRE(dtype == SA_F32 || dtype == SA_F64, SA_ERR_DTYPE,
              "sa_random_uniform: dtype is %s (argument 2); uniform values are float32 or "
              "float64", sa_dtype_name(dtype));
  sai_rng_args args = {.kind = SAI_RNG_UNIFORM, .dtype = dtype};
  SAI_CALL(rng_array(&a, args, ndim, shape, seed, stream, opts, "sa_random_uniform"));
  *out = sai_array_handle(a);
done:
  return st;
}

SA_API sa_status sa_random_normal(sa_array **out, sa_dtype dtype, int ndim,
                                  const int64_t *shape, double mean, double std,
                                  uint64_t seed, uint64_t stream, const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_random_normal: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_require_init("sa_random_normal"));
  SAI_REQUIRE(dtype == SA_F32 || dtype == SA_F64, SA_ERR_DTYPE,
              "sa_random_normal: dtype is %s (argument 2); normal values are float32 or "
              "float64", sa_dtype_name(dtype));
  SAI_REQUIRE(isfinite(mean), SA_ERR_ARG, "sa_random_normal: mean is %g (argument 5); it "
              "must be finite", mean);
  SAI_REQUIRE(isfinite(std) && std >= 0, SA_ERR_ARG, "sa_random_normal: std is %g "
              "(argument 6); it must be finite and >= 0", std);
  double top = dtype == SA_F32 ? FLT_MAX : DBL_MAX;
  SAI_REQUIRE(fabs(mean) + SAI_RNG_NORMAL_MAX * std <= top, SA_ERR_ARG,
              "sa_random_normal: mean %g and std %g (arguments 5 and 6) can give values "
              "beyond the range of %s (|mean| + %g std must be at most %g)", mean, std,
              sa_dtype_name(dtype), SAI_RNG_NORMAL_MAX, top);
  sai_rng_args args = {.kind = SAI_RNG_NORMAL, .dtype = dtype, .mean = mean, .std = std};
  SAI_CALL(rng_array(&a, args, ndim, shape, seed, stream, opts, "sa_random_normal"));
  *out = sai_array_handle(a);
done:
  return st;
}

SA_API sa_status sa_random_integers(sa_array **out, sa_dtype dtype, int ndim,
                                    const int64_t *shape, int64_t low, int64_t high,
                                    uint64_t seed, uint64_t stream,
                                    const sa_array_opts *opts)
{
  sa_status st = SA_OK;
  sai_array *a = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_random_integers: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_require_init("sa_random_integers"));
  SAI_REQUIRE(dtype == SA_I32 || dtype == SA_I64, SA_ERR_DTYPE,
              "sa_random_integers: dtype is %s (argument 2); random integers are int32 or "
              "int64", sa_dtype_name(dtype));
  SAI_REQUIRE(low < high, SA_ERR_ARG, "sa_random_integers: low %lld and high %lld "
              "(arguments 5 and 6): the range [low, high) is empty", (long long)low,
              (long long)high);
  SAI_REQUIRE(dtype == SA_I64 || (low >= INT32_MIN && high <= (int64_t)INT32_MAX + 1),
              SA_ERR_ARG, "sa_random_integers: the range [%lld, %lld) (arguments 5 and 6) "
              "does not fit int32 ([-2147483648, 2147483648))", (long long)low,
              (long long)high);
  sai_rng_args args = {.kind = SAI_RNG_INTEGERS, .dtype = dtype, .low = low,
                       .range = (uint64_t)high - (uint64_t)low};
  SAI_CALL(rng_array(&a, args, ndim, shape, seed, stream, opts, "sa_random_integers"));
  *out = sai_array_handle(a);
done:
  return st;
}
