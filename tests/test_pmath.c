/* SPDX-License-Identifier: MIT
 * codelets/pmath.h against the C library in long double (64-bit significands, so
 * the reference's own error is ~2^-11 ulp of a double): the largest error of each
 * function over random arguments spread over its whole domain, which must stay
 * below 1 ulp; C99 Annex F's special values, bit for bit as glibc gives them;
 * exact results (powers of two and ten, x**0.5 = sqrt, integer powers of negative
 * numbers); sin, cos and tan of huge arguments and near multiples of pi/2. */
#include "tap.h"
#include "pmath.h"

#include <float.h>
#include <math.h>

#define NSAMPLES 120000 /* per function */

/* A reproducible spread of 64-bit values (splitmix64), not the code under test. */
static uint64_t mix(uint64_t *s)
{
  uint64_t z = (*s += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
  return (double)(mix(s) >> 11) * 0x1p-53;
}

/* The error of got in units of the last place of the exact value want (doubles'
 * places: subnormal ones below 2^-1022); 0 for equal NaNs or infinities. */
static double ulp_err(double got, long double want)
{
  double w = (double)want;
  if (isnan(w) || isnan(got)) return isnan(w) && isnan(got) ? 0 : INFINITY;
  if (isinf(w) || isinf(got)) return got == w ? 0 : INFINITY;
  if (want == 0) return got == 0 ? 0 : INFINITY;
  int e;
  frexpl(want, &e);
  long double ulp = ldexpl(1.0L, (e - 53 < -1074 ? -1074 : e - 53));
  return (double)(fabsl((long double)got - want) / ulp);
}

static int same_bits(double a, double b)
{
  return isnan(a) ? isnan(b) : sai_pm_u64(a) == sai_pm_u64(b);
}

/* Where a function's random arguments come from: LIN uniform in [lo, hi]; MAG
 * +-m 2^e, e uniform in [lo, hi] (whole binades, subnormals below -1022); POS the
 * same, positive only. */
enum { LIN, MAG, POS };
typedef struct range {
  int kind;
  double lo, hi;
} range;

static double sample(const range *r, uint64_t *s)
{
  if (r->kind == LIN) return r->lo + (r->hi - r->lo) * uniform(s);
  int e = (int)r->lo + (int)(mix(s) % (uint64_t)(r->hi - r->lo + 1));
  double x = ldexp(1.0 + uniform(s), e);
  return r->kind == MAG && (mix(s) & 1) ? -x : x;
}

typedef struct fn1 {
  const char *name;
  double (*pm)(double);
  double (*libm)(double);
  long double (*ref)(long double);
  range r[4];
} fn1;

#define LOGS                                                                               \
  {                                                                                        \
    {POS, -1074, 1023}, {LIN, 0.5, 2}, {LIN, 0.99, 1.01},                                  \
    {                                                                                      \
      LIN, 1e-300, 3                                                                       \
    }                                                                                      \
  }
#define TRIG                                                                               \
  {                                                                                        \
    {LIN, -10, 10}, {MAG, -30, 1023}, {LIN, -1e6, 1e6},                                    \
    {                                                                                      \
      LIN, -4, 4                                                                           \
    }                                                                                      \
  }
static const fn1 fns1[] = {
    {"exp",
     sai_pm_exp,
     exp,
     expl,
     {{LIN, -745.2, 709.79}, {LIN, -1, 1}, {MAG, -60, 0}, {LIN, -30, 30}}},
    {"expm1",
     sai_pm_expm1,
     expm1,
     expm1l,
     {{LIN, -40, 709.78}, {LIN, -1, 1}, {MAG, -60, 0}, {LIN, -0.35, 0.35}}},
    {"log", sai_pm_log, log, logl, LOGS},
    {"log2", sai_pm_log2, log2, log2l, LOGS},
    {"log10", sai_pm_log10, log10, log10l, LOGS},
    {"log1p",
     sai_pm_log1p,
     log1p,
     log1pl,
     {{LIN, -1, 1}, {POS, -60, 1023}, {MAG, -60, -1}, {LIN, -1, -0.9}}},
    {"sin", sai_pm_sin, sin, sinl, TRIG},
    {"cos", sai_pm_cos, cos, cosl, TRIG},
    {"tan", sai_pm_tan, tan, tanl, TRIG},
    {"asin",
     sai_pm_asin,
     asin,
     asinl,
     {{LIN, -1, 1}, {MAG, -60, -1}, {LIN, 0.97, 1}, {LIN, -1, -0.97}}},
    {"acos",
     sai_pm_acos,
     acos,
     acosl,
     {{LIN, -1, 1}, {MAG, -60, -1}, {LIN, 0.97, 1}, {LIN, -1, -0.97}}},
    {"atan",
     sai_pm_atan,
     atan,
     atanl,
     {{MAG, -60, 70}, {LIN, -3, 3}, {MAG, -1074, 1023}, {LIN, -0.5, 0.5}}},
    {"sinh",
     sai_pm_sinh,
     sinh,
     sinhl,
     {{LIN, -710.47, 710.47}, {LIN, -2, 2}, {MAG, -60, 0}, {LIN, -22.5, 22.5}}},
    {"cosh",
     sai_pm_cosh,
     cosh,
     coshl,
     {{LIN, -710.47, 710.47}, {LIN, -2, 2}, {MAG, -60, 0}, {LIN, -22.5, 22.5}}},
    {"tanh",
     sai_pm_tanh,
     tanh,
     tanhl,
     {{LIN, -25, 25}, {LIN, -2, 2}, {MAG, -60, 0}, {LIN, -1.2, 1.2}}},
};
#define NFN1 (int)(sizeof fns1 / sizeof *fns1)

/* The worst error over a function's samples, and how often glibc's bits differ. */
static void accuracy1(const fn1 *f)
{
  uint64_t s = 42;
  double worst = 0, at = 0;
  long differ = 0;
  for (int k = 0; k < NSAMPLES; k++) {
    double x = sample(&f->r[k % 4], &s);
    double got = f->pm(x), e = ulp_err(got, f->ref((long double)x));
    differ += !same_bits(got, f->libm(x));
    if (e > worst) worst = e, at = x;
  }
  sat_ok(worst < 1.0,
         "%s: largest error %.3f ulp over %d arguments (at %.17g; %.2f%% "
         "differ from glibc's bits)",
         f->name, worst, NSAMPLES, at, 100.0 * differ / NSAMPLES);
}

typedef struct fn2 {
  const char *name;
  double (*pm)(double, double);
  double (*libm)(double, double);
  long double (*ref)(long double, long double);
} fn2;
static const fn2 fns2[] = {{"atan2", sai_pm_atan2, atan2, atan2l},
                           {"hypot", sai_pm_hypot, hypot, hypotl},
                           {"pow", sai_pm_pow, pow, powl}};

/* Arguments of pairs: both anywhere, both near 1, one close to the other; for pow,
 * x anywhere and y such that x**y is within range, x near 1 with large y, and
 * negative x with integer y. */
static void pair(int fn, int k, uint64_t *s, double *x, double *y)
{
  const range any = {MAG, -1074, 1023}, small = {LIN, -3, 3};
  if (fn < 2) {
    *x = sample(k % 3 ? &small : &any, s);
    *y = k % 3 == 2 ? *x * (1 + 1e-3 * (uniform(s) - 0.5))
                    : sample(k % 3 ? &small : &any, s);
    return;
  }
  const range pos = {POS, -1074, 1023};
  switch (k % 4) {
  case 0: /* x**y of any size from 2^-1074 to 2^1024 */
    *x = sample(&pos, s);
    *y = (-1074 + 2098 * uniform(s)) / log2(*x);
    break;
  case 1:
    *x = 0.25 + 3.75 * uniform(s);
    *y = -80 + 160 * uniform(s);
    break;
  case 2: /* near 1, large powers */
    *x = 1 + ldexp(uniform(s) - 0.5, -20 - (int)(mix(s) % 33));
    *y = ldexp(uniform(s) - 0.5, 20 + (int)(mix(s) % 30));
    break;
  default: /* negative numbers, integer powers */
    *x = -(0.5 + 2.5 * uniform(s));
    *y = (double)((int)(mix(s) % 601) - 300);
    break;
  }
}

static void accuracy2(int fn)
{
  const fn2 *f = &fns2[fn];
  uint64_t s = 7;
  double worst = 0, ax = 0, ay = 0;
  long differ = 0;
  for (int k = 0; k < NSAMPLES; k++) {
    double x, y;
    pair(fn, k, &s, &x, &y);
    double got = f->pm(x, y), e = ulp_err(got, f->ref((long double)x, (long double)y));
    differ += !same_bits(got, f->libm(x, y));
    if (e > worst) worst = e, ax = x, ay = y;
  }
  sat_ok(worst < 1.0,
         "%s: largest error %.3f ulp over %d argument pairs (at %.17g, %.17g; "
         "%.2f%% differ from glibc's bits)",
         f->name, worst, NSAMPLES, ax, ay, 100.0 * differ / NSAMPLES);
}

/* C99 Annex F: every function of the special values (+-0, +-inf, NaN), the values
 * Annex F names for single functions (log(1), log1p(-1), acos(1), acos(-1), asin(1)),
 * and pow's whole table (x or y special, x = +-1, y = +-1, 0.5 or 2), bit for bit as
 * glibc gives them (NaN: a NaN). */
static void special(void)
{
  const double v[] = {0.0,  -0.0,      INFINITY,   -INFINITY, NAN,     1.0,  -1.0,
                      0.5,  -0.5,      2.0,        -2.0,      3.0,     -3.0, 2.5,
                      -2.5, 0x1p-1074, -0x1p-1074, DBL_MAX,   -DBL_MAX};
  const int nv = (int)(sizeof v / sizeof *v);
  const char *const named[] = {"log", "log2", "log10", "acos", "asin", "log1p", "acos"};
  const double named_at[] = {1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0};
  int bad = 0, n = 0;
  char where[256] = "";
#define SAME(got, want, ...)                                                               \
  do {                                                                                     \
    double g_ = (got), w_ = (want);                                                        \
    n++;                                                                                   \
    if (!same_bits(g_, w_) && !bad++) snprintf(where, sizeof where, __VA_ARGS__);          \
  } while (0)
  for (int f = 0; f < NFN1; f++) {
    for (int k = 0; k < 5; k++)
      SAME(fns1[f].pm(v[k]), fns1[f].libm(v[k]), "%s(%g): %a, glibc %a", fns1[f].name, v[k],
           fns1[f].pm(v[k]), fns1[f].libm(v[k]));
    for (int k = 0; k < 7; k++)
      if (!strcmp(named[k], fns1[f].name))
        SAME(fns1[f].pm(named_at[k]), fns1[f].libm(named_at[k]), "%s(%g)", named[k],
             named_at[k]);
  }
  for (int f = 0; f < 3; f++)
    for (int i = 0; i < nv; i++)
      for (int j = 0; j < nv; j++) {
        int annex = i < 5 || j < 5 || (f == 2 && (i < 7 || j < 8 || j == 9));
        if (annex)
          SAME(fns2[f].pm(v[i], v[j]), fns2[f].libm(v[i], v[j]), "%s(%g, %g): %a, glibc %a",
               fns2[f].name, v[i], v[j], fns2[f].pm(v[i], v[j]), fns2[f].libm(v[i], v[j]));
      }
#undef SAME
  sat_ok(!bad, "C99 Annex F special values: %d of %d differ from glibc%s%s", bad, n,
         bad ? ", first " : "", where);
}

/* Results that are exact numbers must be those numbers. */
static void exact(void)
{
  int bad = 0, n = 0;
  char where[160] = "";
#define EXACT(got, want)                                                                   \
  do {                                                                                     \
    double g_ = (got), w_ = (want);                                                        \
    n++;                                                                                   \
    if (!same_bits(g_, w_) && !bad++)                                                      \
      snprintf(where, sizeof where, "%s = %a, not %a", #got, g_, w_);                      \
  } while (0)
  for (int k = -1074; k <= 1023; k++) {
    EXACT(sai_pm_pow(2.0, k), ldexp(1.0, k));
    EXACT(sai_pm_log2(ldexp(1.0, k)), k);
  }
  double ten = 1;
  for (int k = 0; k <= 22; k++, ten *= 10) {
    EXACT(sai_pm_pow(10.0, k), ten);
    EXACT(sai_pm_log10(ten), k);
  }
  double three = 1;
  for (int k = 0; k <= 33; k++, three *= 3) {
    EXACT(sai_pm_pow(3.0, k), three);
    EXACT(sai_pm_pow(-3.0, k), k % 2 ? -three : three);
  }
  EXACT(sai_pm_pow(-2.0, 3), -8.0);
  EXACT(sai_pm_pow(-0.5, -3), -8.0);
  EXACT(sai_pm_pow(-1.5, 3), -3.375);
  EXACT(sai_pm_pow(-2.0, 1024), INFINITY);
  EXACT(sai_pm_pow(-2.0, 1023), -0x1p1023);
  EXACT(sai_pm_pow(4.0, 0.5), 2.0);
  EXACT(sai_pm_pow(0.25, -1.5), 8.0);
  EXACT(sai_pm_exp(0.0), 1.0);
  EXACT(sai_pm_log(1.0), 0.0);
  EXACT(sai_pm_cosh(0.0), 1.0);
  uint64_t s = 3;
  for (int k = 0; k < 20000; k++) { /* x**0.5 is sqrt, x**2 is x*x, x**-1 is 1/x */
    double x = ldexp(1.0 + uniform(&s), (int)(mix(&s) % 2000) - 1000);
    EXACT(sai_pm_pow(x, 0.5), sqrt(x));
    EXACT(sai_pm_pow(x, 2.0), x * x);
    EXACT(sai_pm_pow(-x, -1.0), 1.0 / -x);
    EXACT(sai_pm_hypot(x, 0.0), x);
  }
#undef EXACT
  sat_ok(!bad, "exact results exactly: %d of %d differ%s%s", bad, n, bad ? ", first " : "",
         where);
}

/* sin and cos where the reduction by pi/2 is hardest: huge arguments (k_rem_pio2.c),
 * the double nearest a multiple of pi/2 (6381956970095103 2^797), and near the
 * multiples k pi/2 up to 2^20 pi/2 (the medium path's three pieces of pi/2). */
static void reduction(void)
{
  double worst = 0, at = 0;
  uint64_t s = 11;
  for (int k = 0; k < 40000; k++) {
    double x;
    if (k == 0)
      x = ldexp(6381956970095103.0, 797);
    else if (k == 1)
      x = DBL_MAX;
    else if (k % 2)
      x = ldexp(1.0 + uniform(&s), 20 + (int)(mix(&s) % 1004));
    else
      x = nextafter((double)(mix(&s) % (1 << 20)) * 1.5707963267948966,
                    (mix(&s) & 1) ? 0.0 : INFINITY);
    for (int c = 0; c < 3; c++) {
      double got = c == 0 ? sai_pm_sin(x) : c == 1 ? sai_pm_cos(x) : sai_pm_tan(x);
      long double want = c == 0 ? sinl(x) : c == 1 ? cosl(x) : tanl(x);
      double e = ulp_err(got, want);
      if (e > worst) worst = e, at = x;
    }
  }
  sat_ok(worst < 1.0,
         "sin, cos and tan of huge arguments and near multiples of pi/2: "
         "largest error %.3f ulp (at %.17g)",
         worst, at);
}

int main(void)
{
  sat_plan(NFN1 + 3 + 3);
  for (int f = 0; f < NFN1; f++)
    accuracy1(&fns1[f]);
  for (int f = 0; f < 3; f++)
    accuracy2(f);
  special();
  exact();
  reduction();
  return sat_done();
}
