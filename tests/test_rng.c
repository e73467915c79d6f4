/* SPDX-License-Identifier: MIT
 * The rng family: Philox4x32-10 against Random123's known answers, the portable
 * log, sin and cos against the C library in long double, first values through the
 * public API against the known answer, and every argument error. Values against
 * NumPy, tilings, workers and statistics: tests/test_rng_numpy.py. */
#include "tap.h"
#include "rng.h"

#include <float.h>
#include <math.h>

/* Distance in units of the last place between two finite doubles of one sign. */
static double ulps(double got, long double want)
{
  double w = (double)want;
  double ulp = nextafter(fabs(w), INFINITY) - fabs(w);
  return (double)(fabsl((long double)got - want) / ulp);
}

static void test_kat(void)
{
  /* Random123's kat_vectors, "philox4x32 10": counter, key, result */
  static const uint32_t kat[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
       0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
       0x94fdcceb, 0x5001e420, 0x24126ea1}};
  for (int k = 0; k < 3; k++) {
    uint32_t out[4];
    sai_philox4x32_10(kat[k], kat[k] + 4, out);
    sat_ok(!memcmp(out, kat[k] + 6, sizeof out),
           "philox4x32-10 known answer %d: %08x %08x %08x %08x", k + 1, out[0], out[1],
           out[2], out[3]);
  }
}

/* A reproducible spread of 53-bit values (splitmix64), not the code under test. */
static uint64_t mix(uint64_t *s)
{
  uint64_t z = (*s += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static void test_math(void)
{
  double worst = 0;
  uint64_t s = 1, at = 0;
  for (int k = 0; k < 200000; k++) {
    /* every binade: m of 1 to 53 bits, and the ends 1, 2^53 */
    int bits = 1 + k % 53;
    uint64_t m = k == 0 ? 1 : k == 1 ? (uint64_t)1 << 53 : (mix(&s) >> (64 - bits)) | 1;
    if (k % 7 == 0) m = ((uint64_t)1 << 53) - (uint64_t)(k / 7); /* near u = 1 */
    long double want = logl((long double)m / 9007199254740992.0L); /* exact quotient */
    double e = want == 0 ? fabs(sai_rng_log(m)) : ulps(sai_rng_log(m), want);
    if (e > worst) worst = e, at = m;
  }
  sat_ok(worst <= 2,
         "log(m 2^-53) within 2 ulp of logl for 200000 m (worst %.3f at m=%llu)", worst,
         (unsigned long long)at);
  /* the reference: theta = (q + f) pi/2 with q an integer and |f| <= 1/2 exactly in
   * long double, cos theta = cos(q pi/2) cos(f pi/2) - sin(q pi/2) sin(f pi/2), so
   * its error stays relative near the zeros */
  static const int cq[4] = {1, 0, -1, 0}, sq[4] = {0, 1, 0, -1};
  const long double half_pi = 1.570796326794896619231321691639751442L;
  double wc = 0, ws = 0;
  for (int k = 0; k < 200000; k++) {
    uint64_t b = mix(&s) >> 11;
    if (k < 64) /* at the quarter turns */
      b = ((uint64_t)(k / 16) << 51) + (uint64_t)(k % 16) - 8 * (k >= 16);
    double c, sn;
    sai_rng_sincos2pi(b, &c, &sn);
    long double x = (long double)b / 2251799813685248.0L, q = nearbyintl(x), f = x - q;
    int iq = (int)q & 3;
    long double cf = cosl(f * half_pi), sf = sinl(f * half_pi);
    long double wcos = cq[iq] * cf - sq[iq] * sf, wsin = sq[iq] * cf + cq[iq] * sf;
    double ec = wcos == 0 ? (c == 0 ? 0 : 1e9) : ulps(c, wcos);
    double es = wsin == 0 ? (sn == 0 ? 0 : 1e9) : ulps(sn, wsin);
    if (ec > wc) wc = ec;
    if (es > ws) ws = es;
  }
  sat_ok(wc <= 2 && ws <= 2,
         "cos and sin of 2 pi b 2^-53 within 2 ulp of cosl, sinl for 200000 b, quarter "
         "turns included (worst %.3f, %.3f)", wc, ws);
}

/* The first elements through the public API are the known answer of counter 0,
 * key 0: float32 (word >> 8) 2^-24, float64 (word1:word0 >> 11) 2^-53. */
static void test_first_values(void)
{
  sa_array *u = NULL, *d = NULL;
  float f[8];
  double g[4];
  int64_t n8 = 8, n4 = 4;
  sa_status st = sa_random_uniform(&u, SA_F32, 1, &n8, 0, 0, NULL);
  if (st == SA_OK) st = sa_to_buffer(f, sizeof f, u);
  if (st == SA_OK) st = sa_random_uniform(&d, SA_F64, 1, &n4, 0, 0, NULL);
  if (st == SA_OK) st = sa_to_buffer(g, sizeof g, d);
  const uint32_t w[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  int good = st == SA_OK;
  for (int k = 0; good && k < 4; k++) good = f[k] == (float)(w[k] >> 8) / 16777216.0f;
  sat_ok(good, "uniform float32, seed 0 stream 0: elements 0-3 from the known answer");
  good = st == SA_OK && g[0] == (double)((((uint64_t)w[1] << 32) | w[0]) >> 11) / 0x1p53 &&
         g[1] == (double)((((uint64_t)w[3] << 32) | w[2]) >> 11) / 0x1p53;
  sat_ok(good, "uniform float64, seed 0 stream 0: elements 0-1 from the known answer");
  if (sa_array_release(&u) != SA_OK || sa_array_release(&d) != SA_OK) sat_diag("release");
}

static void test_errors(void)
{
  sa_array *a = (sa_array *)&a; /* not NULL: must come back NULL */
  int64_t shape[2] = {3, 4}, neg[2] = {3, -1};
  int uses_out = 0; /* the first three pass out = NULL */
  /* the call must fail with code, its message hold the keywords, and *out be NULL */
#define CHECK(call, code, what, ...)                                                   \
  do {                                                                                 \
    a = (sa_array *)&a;                                                                \
    sa_status st_ = (call);                                                            \
    int good_ = st_ == code;                                                           \
    const char *msg_ = sa_error_message(), *const *keys_ = SAT_KEYS(__VA_ARGS__);       \
    for (int k_ = 0; good_ && keys_[k_]; k_++) good_ = strstr(msg_, keys_[k_]) != NULL; \
    if (!sat_ok(good_ && (!uses_out || !a), "%s: %s%s", what, sa_status_name(code),    \
                uses_out ? ", *out NULL" : "")) {                                      \
      printf("# got %s (%d)%s\n", sa_status_name(st_), (int)st_, a ? ", *out set" : ""); \
      sat_diag(msg_);                                                                  \
    }                                                                                  \
    uses_out = 1;                                                                      \
  } while (0)
  CHECK(sa_random_uniform(NULL, SA_F64, 2, shape, 1, 0, NULL), SA_ERR_ARG,
        "uniform: out NULL", "sa_random_uniform", "out is NULL");
  uses_out = 0;
  CHECK(sa_random_normal(NULL, SA_F64, 2, shape, 0, 1, 1, 0, NULL), SA_ERR_ARG,
        "normal: out NULL", "sa_random_normal", "out is NULL");
  uses_out = 0;
  CHECK(sa_random_integers(NULL, SA_I64, 2, shape, 0, 9, 1, 0, NULL), SA_ERR_ARG,
        "integers: out NULL", "sa_random_integers", "out is NULL");
  CHECK(sa_random_uniform(&a, SA_I32, 2, shape, 1, 0, NULL), SA_ERR_DTYPE,
        "uniform: int32 refused", "dtype is int32 (argument 2)");
  CHECK(sa_random_uniform(&a, SA_BOOL, 2, shape, 1, 0, NULL), SA_ERR_DTYPE,
        "uniform: bool refused", "dtype is bool");
  CHECK(sa_random_uniform(&a, (sa_dtype)99, 2, shape, 1, 0, NULL), SA_ERR_DTYPE,
        "uniform: an invalid dtype refused", "dtype is invalid");
  CHECK(sa_random_normal(&a, SA_I64, 2, shape, 0, 1, 1, 0, NULL), SA_ERR_DTYPE,
        "normal: int64 refused", "sa_random_normal", "dtype is int64");
  CHECK(sa_random_integers(&a, SA_F64, 2, shape, 0, 9, 1, 0, NULL), SA_ERR_DTYPE,
        "integers: float64 refused", "sa_random_integers", "dtype is float64");
  CHECK(sa_random_integers(&a, SA_BOOL, 2, shape, 0, 2, 1, 0, NULL), SA_ERR_DTYPE,
        "integers: bool refused", "dtype is bool");
  CHECK(sa_random_uniform(&a, SA_F64, 0, shape, 1, 0, NULL), SA_ERR_ARG, "uniform: ndim 0",
        "sa_random_uniform", "ndim is 0");
  CHECK(sa_random_uniform(&a, SA_F64, SA_MAX_NDIM + 1, shape, 1, 0, NULL), SA_ERR_ARG,
        "uniform: ndim 5", "ndim is 5");
  CHECK(sa_random_normal(&a, SA_F64, 2, NULL, 0, 1, 1, 0, NULL), SA_ERR_ARG,
        "normal: shape NULL", "sa_random_normal", "shape is NULL");
  CHECK(sa_random_integers(&a, SA_I32, 2, neg, 0, 9, 1, 0, NULL), SA_ERR_ARG,
        "integers: negative size", "sa_random_integers", "shape[1] is -1");
  CHECK(sa_random_uniform(&a, SA_F64, 2, (int64_t[]){1 << 26, 1 << 26}, 1, 0, NULL),
        SA_ERR_NOMEM, "uniform: 2^52 elements cannot be allocated", "cannot be allocated");
  CHECK(sa_random_normal(&a, SA_F64, 2, shape, 0, -1, 1, 0, NULL), SA_ERR_ARG,
        "normal: std < 0", "std is -1 (argument 6)", ">= 0");
  CHECK(sa_random_normal(&a, SA_F64, 2, shape, 0, NAN, 1, 0, NULL), SA_ERR_ARG,
        "normal: std NaN", "std is nan");
  CHECK(sa_random_normal(&a, SA_F32, 2, shape, 0, INFINITY, 1, 0, NULL), SA_ERR_ARG,
        "normal: std inf", "std is inf");
  CHECK(sa_random_normal(&a, SA_F64, 2, shape, NAN, 1, 1, 0, NULL), SA_ERR_ARG,
        "normal: mean NaN", "mean is nan (argument 5)", "finite");
  CHECK(sa_random_normal(&a, SA_F64, 2, shape, -INFINITY, 1, 1, 0, NULL), SA_ERR_ARG,
        "normal: mean -inf", "mean is -inf");
  CHECK(sa_random_normal(&a, SA_F32, 2, shape, 0, 1e38, 1, 0, NULL), SA_ERR_ARG,
        "normal: float32 values beyond its range", "beyond the range of float32");
  CHECK(sa_random_normal(&a, SA_F64, 2, shape, DBL_MAX, 1e300, 1, 0, NULL), SA_ERR_ARG,
        "normal: float64 values beyond its range", "beyond the range of float64");
  CHECK(sa_random_integers(&a, SA_I64, 2, shape, 5, 5, 1, 0, NULL), SA_ERR_ARG,
        "integers: low == high", "low 5 and high 5 (arguments 5 and 6)", "empty");
  CHECK(sa_random_integers(&a, SA_I64, 2, shape, 7, -7, 1, 0, NULL), SA_ERR_ARG,
        "integers: low > high", "low 7 and high -7");
  CHECK(sa_random_integers(&a, SA_I32, 2, shape, 0, (int64_t)INT32_MAX + 2, 1, 0, NULL),
        SA_ERR_ARG, "integers: int32 range above 2^31", "does not fit int32");
  CHECK(sa_random_integers(&a, SA_I32, 2, shape, (int64_t)INT32_MIN - 1, 0, 1, 0, NULL),
        SA_ERR_ARG, "integers: int32 range below -2^31", "[-2147483649, 0)");
  CHECK(sa_random_uniform(&a, SA_F64, 2, shape, 1, 0, &(sa_array_opts){.tile = {-1, 0}}),
        SA_ERR_ARG, "uniform: a negative tile size", "tile sizes must be >= 0");
#undef CHECK
}

/* The widest legal ranges and parameters are accepted. */
static void test_edges(void)
{
  sa_array *a = NULL, *b = NULL, *c = NULL, *z = NULL;
  int64_t n = 5, empty[2] = {0, 3};
  sa_status st =
      sa_random_integers(&a, SA_I32, 1, &n, INT32_MIN, (int64_t)INT32_MAX + 1, 1, 0, NULL);
  if (st == SA_OK)
    st = sa_random_integers(&b, SA_I64, 1, &n, INT64_MIN, INT64_MAX, UINT64_MAX, UINT64_MAX,
                            NULL);
  if (st == SA_OK) st = sa_random_normal(&c, SA_F64, 1, &n, -3, 0, 1, 0, NULL);
  if (st == SA_OK) st = sa_random_uniform(&z, SA_F32, 2, empty, 1, 0, NULL);
  double v[5] = {0};
  if (st == SA_OK) st = sa_to_buffer(v, sizeof v, c);
  sat_ok(st == SA_OK && v[0] == -3 && v[4] == -3,
         "full int32 and int64 ranges, std 0 (every value is the mean), an empty array");
  if (st != SA_OK) sat_diag(sa_error_message());
  if (sa_array_release(&a) || sa_array_release(&b) || sa_array_release(&c) ||
      sa_array_release(&z))
    sat_diag("release failed");
}

int main(void)
{
  sat_plan(3 + 2 + 1 + 26 + 2 + 1 + 1);
  test_kat();
  test_math();
  int64_t n = 4;
  sa_array *a = (sa_array *)&n;
  sat_status_is(sa_random_uniform(&a, SA_F64, 1, &n, 1, 0, NULL), SA_ERR_NOT_INITIALIZED,
                "uniform before sa_init", SAT_KEYS("sa_random_uniform"));
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-debug") != SA_OK) {
    sat_diag(sa_error_message());
    return 1;
  }
  if (sa_error_set_policy(SA_ERRORS_SILENT, NULL, NULL) != SA_OK) return 1;
  test_errors();
  test_first_values();
  test_edges();
  sa_status st;
  const char *text = sat_finalize_stderr(&st);
  sat_ok(st == SA_OK && !strstr(text, "never released"),
         "after the errors: nothing left behind (--sa-debug), sa_finalize succeeds") ||
      (sat_diag(text), 0);
  return sat_done();
}
