/* SPDX-License-Identifier: MIT AND SunPro
 * Portable double-precision math (--sa-math=portable): exp, expm1, log, log2, log10,
 * log1p, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, hypot and pow
 * from + - * /, sqrt, fabs, floor, comparisons and bit operations alone. Plain C
 * that is also CUDA C and NVRTC's: compiled without contraction (-ffp-contract=off,
 * nvcc -fmad=false) every operation is IEEE-rounded on every kind of worker, so a
 * result has the same bits wherever its task ran (doc/design.md).
 *
 * The algorithms and coefficients are fdlibm 5.3's (e_exp.c, s_expm1.c, e_log.c,
 * s_log1p.c, k_sin.c, k_cos.c, k_tan.c, e_rem_pio2.c, k_rem_pio2.c, e_asin.c,
 * e_acos.c, s_atan.c, e_atan2.c, e_sinh.c, e_cosh.c, s_tanh.c, e_hypot.c, e_pow.c)
 * and FreeBSD msun's log2 and log10 (e_log2.c, e_log10.c, k_log.h), rewritten for
 * this file; their errors are below 1 ulp (tests/test_pmath.c measures them).
 * ====================================================
 * Copyright (C) 1993, 2004 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */
#ifndef SAI_PMATH_H
#define SAI_PMATH_H

#include "convert.h"
#ifndef __CUDACC_RTC__ /* NVRTC knows sqrt, fabs and floor without it */
#include <math.h>
#endif

/* The large-argument reduction of sin, cos and tan is rare and large: on a GPU it
 * stays out of line and its loops rolled, which keeps the interpreter kernel at 48
 * registers instead of 56 (ptxas, sm_90; 40 without this file). */
#ifdef __CUDACC__
#define SAI_PM_COLD __noinline__
#define SAI_PM_ROLLED _Pragma("unroll 1")
#else
#define SAI_PM_COLD
#define SAI_PM_ROLLED
#endif

/* ------------------------------------------------------------------ bits */

static inline SAI_HD uint64_t sai_pm_u64(double x)
{
#ifdef __CUDA_ARCH__
  return (uint64_t)__double_as_longlong(x);
#else
  union {
    double d;
    uint64_t u;
  } b;
  b.d = x;
  return b.u;
#endif
}

static inline SAI_HD double sai_pm_f64(uint64_t u)
{
#ifdef __CUDA_ARCH__
  return __longlong_as_double((long long)u);
#else
  union {
    double d;
    uint64_t u;
  } b;
  b.u = u;
  return b.d;
#endif
}

static inline SAI_HD uint32_t sai_pm_hi(double x)
{
  return (uint32_t)(sai_pm_u64(x) >> 32);
}
static inline SAI_HD uint32_t sai_pm_lo(double x)
{
  return (uint32_t)sai_pm_u64(x);
}
static inline SAI_HD double sai_pm_words(uint32_t hi, uint32_t lo)
{
  return sai_pm_f64((uint64_t)hi << 32 | lo);
}
/* x with its high word replaced by hi */
static inline SAI_HD double sai_pm_set_hi(double x, uint32_t hi)
{
  return sai_pm_words(hi, sai_pm_lo(x));
}
/* x with its low word cleared: its first 21 bits, for products that are exact */
static inline SAI_HD double sai_pm_trunc32(double x)
{
  return sai_pm_f64(sai_pm_u64(x) & 0xffffffff00000000ull);
}
static inline SAI_HD double sai_pm_inf(void)
{
  return sai_pm_f64(0x7ff0000000000000ull);
}
/* the NaN of invalid operations, the same bits everywhere (NaN arguments pass
 * through arithmetic instead) */
static inline SAI_HD double sai_pm_nan(void)
{
  return sai_pm_f64(0x7ff8000000000000ull);
}

/* x 2^n rounded once (musl's way): exact unless the result is subnormal */
static inline SAI_HD double sai_pm_scalbn(double x, int n)
{
  const double two1023 = sai_pm_f64(0x7fe0000000000000ull);
  const double twom969 = sai_pm_f64(0x0360000000000000ull); /* 2^-1022 2^53 */
  if (n > 1023) {
    x *= two1023;
    n -= 1023;
    if (n > 1023) {
      x *= two1023;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) { /* stays normal, so that only the last product rounds */
    x *= twom969;
    n += 969;
    if (n < -1022) {
      x *= twom969;
      n += 969;
      if (n < -1022) n = -1022;
    }
  }
  return x * sai_pm_f64((uint64_t)(1023 + n) << 52);
}

/* Exactly rounded already (IEEE 754 requires it of sqrt; floor and ceil are exact):
 * the C library's functions under the names the instruction table expands, as
 * macros so that compilers see their builtins (one instruction, not a call). */
#define sai_pm_sqrt sqrt
#define sai_pm_floor floor
#define sai_pm_ceil ceil

/* ---------------------------------------------------------- double-double */

/* A value carried as hi + lo (|lo| about ulp(hi) / 2 at most): Knuth's and Dekker's
 * exact sums and products, exact because every operation rounds to nearest and
 * none is fused with another. For the functions whose last rounding must not come
 * on top of earlier ones (sinh, cosh, tanh, atan, atan2). */
typedef struct sai_pm_dd {
  double hi, lo;
} sai_pm_dd;

static inline SAI_HD sai_pm_dd sai_pm_dd_of(double hi, double lo)
{
  sai_pm_dd r;
  r.hi = hi;
  r.lo = lo;
  return r;
}

/* a + b exactly, for |a| >= |b| or a = 0 */
static inline SAI_HD sai_pm_dd sai_pm_fast_two_sum(double a, double b)
{
  double s = a + b;
  return sai_pm_dd_of(s, b - (s - a));
}

/* a + b exactly */
static inline SAI_HD sai_pm_dd sai_pm_two_sum(double a, double b)
{
  double s = a + b, bb = s - a;
  return sai_pm_dd_of(s, (a - (s - bb)) + (b - bb));
}

/* a b exactly, for |a|, |b| < 2^995 (Veltkamp's split into halves of 26 bits) */
static inline SAI_HD sai_pm_dd sai_pm_two_prod(double a, double b)
{
  double p = a * b, ca = 134217729.0 * a, cb = 134217729.0 * b;
  double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;
  return sai_pm_dd_of(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
}

static inline SAI_HD sai_pm_dd sai_pm_dd_add(sai_pm_dd a, sai_pm_dd b)
{
  sai_pm_dd s = sai_pm_two_sum(a.hi, b.hi);
  return sai_pm_fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

static inline SAI_HD sai_pm_dd sai_pm_dd_mul(sai_pm_dd a, sai_pm_dd b)
{
  sai_pm_dd p = sai_pm_two_prod(a.hi, b.hi);
  return sai_pm_fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static inline SAI_HD sai_pm_dd sai_pm_dd_div(sai_pm_dd a, sai_pm_dd b)
{
  double q = a.hi / b.hi;
  sai_pm_dd p = sai_pm_two_prod(q, b.hi); /* p.hi is near a.hi: a.hi - p.hi is exact */
  double r = (((a.hi - p.hi) - p.lo) + a.lo) - q * b.lo;
  return sai_pm_fast_two_sum(q, r / b.hi);
}

/* ------------------------------------------------------------ exp, expm1 */

/* e^x 2^scale for finite x that is not NaN and |x| < 746 (e_exp.c from its argument
 * reduction on: x = k ln2 + r, e^r by a rational function, 2^(k + scale) last). Its
 * special paths for |x| < ln2 / 2 and < 3 ln2 / 2 are left out: they compute what
 * the general one does, with branches that mispredict on mixed arguments. */
static inline SAI_HD double sai_pm_exp_scaled(double x, int scale)
{
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
               inv_ln2 = 1.44269504088896338700e+00;
  const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
               P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
               P5 = 4.13813679705723846039e-08;
  int k = (int)(inv_ln2 * x + (x < 0 ? -0.5 : 0.5));
  double dk = (double)k, hi = x - dk * ln2_hi, lo = dk * ln2_lo; /* hi exact */
  double r = hi - lo, t = r * r;
  double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return sai_pm_scalbn(1.0 - ((lo - (r * c) / (2.0 - c)) - hi), k + scale);
}

static inline SAI_HD double sai_pm_exp(double x)
{
  if ((sai_pm_hi(x) & 0x7fffffff) >= 0x40862e42) { /* |x| >= 709.78, inf, NaN */
    if (x != x) return x + x;
    if (x > 7.09782712893383973096e+02) return sai_pm_inf();
    if (x < -7.45133219101941108420e+02) return 0.0;
  }
  return sai_pm_exp_scaled(x, 0);
}

static inline SAI_HD double sai_pm_expm1(double x)
{
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
               inv_ln2 = 1.44269504088896338700e+00;
  const double Q1 = -3.33333333333331316428e-02, Q2 = 1.58730158725481460165e-03,
               Q3 = -7.93650757867487942473e-05, Q4 = 4.00821782732936239552e-06,
               Q5 = -2.01099218183624371326e-07;
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  int neg = (int)(hx >> 31), k = 0;
  double c = 0.0;
  if (ix >= 0x4043687a) { /* |x| >= 56 ln2 */
    if (x != x) return x + x;
    if (neg) return -1.0; /* e^x < 2^-56 */
    if (x > 7.09782712893383973096e+02) return sai_pm_inf();
  }
  if (ix > 0x3fd62e42) { /* |x| > ln2 / 2: x = k ln2 + r, r = x - c */
    if (ix < 0x3ff0a2b2)
      k = neg ? -1 : 1;
    else
      k = (int)(inv_ln2 * x + (neg ? -0.5 : 0.5));
    double dk = (double)k, hi = x - dk * ln2_hi, lo = dk * ln2_lo;
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (ix < 0x3c900000) { /* |x| < 2^-54 */
    return x;
  }
  double hfx = 0.5 * x, hxs = x * hfx;
  double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  double t = 3.0 - r1 * hfx;
  double e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1.0 + 2.0 * (x - e);
  if (k <= -2 || k > 56) return sai_pm_scalbn(1.0 - (e - x), k) - 1.0;
  double y;
  if (k < 20) {
    y = sai_pm_words(0x3ff00000 - (0x200000u >> k), 0) - (e - x); /* 1 - 2^-k - ... */
  } else {
    y = x - (e + sai_pm_words((uint32_t)(0x3ff - k) << 20, 0)); /* ... - 2^-k */
    y += 1.0;
  }
  return sai_pm_scalbn(y, k);
}

/* expm1(x) as hi + lo, relative error below 2^-55, for |x| <= 45: x = k ln2 + r
 * (r carried with its tail), e^r - 1 = r + r^2/2 + r^3 (1/3! + r/4! + ... + r^11/14!)
 * (Taylor's: its remainder is below 2^-60 for |r| <= ln2 / 2) with r^2/2 exact, then
 * 2^k (1 + that) - 1 exactly. */
static inline SAI_HD sai_pm_dd sai_pm_expm1_dd(double x)
{
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
               inv_ln2 = 1.44269504088896338700e+00;
  double rh = x, rl = 0.0;
  int k = 0;
  if (fabs(x) > 3.46573590279972643113e-01) {
    k = (int)(inv_ln2 * x + (x < 0 ? -0.5 : 0.5));
    double dk = (double)k;
    sai_pm_dd r = sai_pm_two_sum(x - dk * ln2_hi, -(dk * ln2_lo)); /* x - dk ln2_hi exact */
    rh = r.hi, rl = r.lo;
  }
  const double inv_fact[12] = {
      /* 1/3!, 1/4!, ..., 1/14! */
      1.66666666666666657415e-01, 4.16666666666666643537e-02, 8.33333333333333321769e-03,
      1.38888888888888894189e-03, 1.98412698412698412526e-04, 2.48015873015873015658e-05,
      2.75573192239858925110e-06, 2.75573192239858882758e-07, 2.50521083854417202239e-08,
      2.08767569878681001866e-09, 1.60590438368216133409e-10, 1.14707455977297245073e-11};
  double T = inv_fact[11];
  for (int n = 10; n >= 0; n--)
    T = inv_fact[n] + rh * T;
  T *= rh * rh * rh;
  sai_pm_dd sq = sai_pm_two_prod(rh, rh);
  sai_pm_dd p = sai_pm_fast_two_sum(rh, 0.5 * sq.hi); /* r + r^2/2 + T + rl (1 + r) */
  p = sai_pm_fast_two_sum(p.hi, p.lo + (0.5 * sq.lo + T + (rl + rh * rl)));
  if (k == 0) return p;
  double scale = sai_pm_f64((uint64_t)(1023 + k) << 52);
  sai_pm_dd e = sai_pm_fast_two_sum(1.0, p.hi); /* 1 + p in (0.7, 1.5) */
  e.lo += p.lo;
  sai_pm_dd m = sai_pm_two_sum(e.hi * scale, -1.0);
  return sai_pm_fast_two_sum(m.hi, m.lo + e.lo * scale);
}

/* ------------------------------------------------------------------- logs */

/* log's special cases: -inf for +-0, NaN below 0, x for +inf and NaN; 0 when x is
 * finite and positive (*r untouched). */
static inline SAI_HD int sai_pm_log_special(double x, double *r)
{
  uint64_t u = sai_pm_u64(x);
  if (x != x)
    *r = x + x;
  else if ((u << 1) == 0)
    *r = -sai_pm_inf();
  else if (u >> 63)
    *r = sai_pm_nan();
  else if (u == 0x7ff0000000000000ull)
    *r = x;
  else
    return 0;
  return 1;
}

/* For finite x > 0: x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2), exactly;
 * returns f, and in *frac the high word of x's fraction (what e_log.c tests). */
static inline SAI_HD double sai_pm_log_reduce(double x, int *k, uint32_t *frac)
{
  uint32_t hx = sai_pm_hi(x);
  int e = 0;
  if (hx < 0x00100000) {             /* subnormal */
    x *= 1.80143985094819840000e+16; /* 2^54 */
    e = -54;
    hx = sai_pm_hi(x);
  }
  e += (int)(hx >> 20) - 1023;
  hx &= 0x000fffff;
  uint32_t i = (hx + 0x95f64) & 0x100000;
  x = sai_pm_set_hi(x, hx | (i ^ 0x3ff00000)); /* x or x / 2 */
  *k = e + (int)(i >> 20);
  *frac = hx;
  return x - 1.0;
}

/* log(1 + f) - f + f^2 / 2 for sqrt(2)/2 <= 1 + f < sqrt(2) (k_log.h) */
static inline SAI_HD double sai_pm_klog1p(double f)
{
  const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
               Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
               Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
               Lg7 = 1.479819860511658591e-01;
  double s = f / (2.0 + f), z = s * s, w = z * z;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  double hfsq = 0.5 * f * f;
  return s * (hfsq + (t2 + t1));
}

static inline SAI_HD double sai_pm_log(double x)
{
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
               Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
               Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
               Lg7 = 1.479819860511658591e-01;
  double res;
  if (sai_pm_log_special(x, &res)) return res;
  int k;
  uint32_t hx;
  double f = sai_pm_log_reduce(x, &k, &hx), dk = (double)k;
  if ((0x000fffff & (2 + hx)) < 3) { /* -2^-20 <= f < 2^-20 */
    if (f == 0.0) return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
    double R = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - R : dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  double s = f / (2.0 + f), z = s * s, w = z * z;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  double R = t2 + t1;
  if (hx >= 0x6147a && hx <= 0x6b851) { /* x's fraction near sqrt(2): |f| near 0.3-0.4 */
    double hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + R))
                  : dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  return k == 0 ? f - s * (f - R) : dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

/* log2 and log10 (e_log2.c, e_log10.c): f - f^2/2 split into hi + lo, hi's last 32
 * bits zero, so that hi times the constants' high parts is nearly exact. */
static inline SAI_HD double sai_pm_log2(double x)
{
  const double ivln2hi = 1.44269504072144627571e+00, ivln2lo = 1.67517131648865118353e-10;
  double res;
  if (sai_pm_log_special(x, &res)) return res;
  int k;
  uint32_t frac;
  double f = sai_pm_log_reduce(x, &k, &frac), y = (double)k;
  double hfsq = 0.5 * f * f, r = sai_pm_klog1p(f);
  double hi = sai_pm_trunc32(f - hfsq), lo = (f - hi) - hfsq + r;
  double val_hi = hi * ivln2hi, val_lo = (lo + hi) * ivln2lo + lo * ivln2hi;
  double w = y + val_hi;
  val_lo += (y - w) + val_hi;
  return val_lo + w;
}

static inline SAI_HD double sai_pm_log10(double x)
{
  const double ivln10hi = 4.34294481878168880939e-01, ivln10lo = 2.50829467116452752298e-11,
               log10_2hi = 3.01029995663611771306e-01,
               log10_2lo = 3.69423907715893078616e-13;
  double res;
  if (sai_pm_log_special(x, &res)) return res;
  int k;
  uint32_t frac;
  double f = sai_pm_log_reduce(x, &k, &frac), y = (double)k;
  double hfsq = 0.5 * f * f, r = sai_pm_klog1p(f);
  double hi = sai_pm_trunc32(f - hfsq), lo = (f - hi) - hfsq + r;
  double val_hi = hi * ivln10hi, y2 = y * log10_2hi;
  double val_lo = y * log10_2lo + (lo + hi) * ivln10lo + lo * ivln10hi;
  double w = y2 + val_hi;
  val_lo += (y2 - w) + val_hi;
  return val_lo + w;
}

static inline SAI_HD double sai_pm_log1p(double x)
{
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01,
               Lp3 = 2.857142874366239149e-01, Lp4 = 2.222219843214978396e-01,
               Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01,
               Lp7 = 1.479819860511658591e-01;
  uint32_t hx = sai_pm_hi(x), ax = hx & 0x7fffffff, hu = 0;
  int k = 1;
  double f = 0.0, c = 0.0;
  if (x != x) return x + x;
  if ((hx >> 31) || hx < 0x3fda827a) {  /* 1 + x < sqrt(2) */
    if ((hx >> 31) && ax >= 0x3ff00000) /* x <= -1 */
      return x == -1.0 ? -sai_pm_inf() : sai_pm_nan();
    if (ax < 0x3e200000) /* |x| < 2^-29 */
      return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (!(hx >> 31) || ax <= 0x3fd2bec4) { /* sqrt(2)/2 <= 1 + x */
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx == 0x7ff00000) return x; /* +inf */
  if (k != 0) {
    double u;
    if ((hx >> 31) || hx < 0x43400000) { /* x < 2^53: 1 + x rounds; c corrects it */
      u = 1.0 + x;
      hu = sai_pm_hi(u);
      k = (int)(hu >> 20) - 1023;
      c = (k > 0 ? 1.0 - (u - x) : x - (u - 1.0)) / u;
    } else {
      u = x;
      hu = sai_pm_hi(u);
      k = (int)(hu >> 20) - 1023;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) { /* u < sqrt(2) 2^k */
      u = sai_pm_set_hi(u, hu | 0x3ff00000);
    } else {
      k += 1;
      u = sai_pm_set_hi(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  double hfsq = 0.5 * f * f, dk = (double)k;
  if (hu == 0) { /* |f| < 2^-20 */
    if (f == 0.0) return k == 0 ? 0.0 : dk * ln2_hi + (c + dk * ln2_lo);
    double R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k == 0 ? f - R : dk * ln2_hi - ((R - (dk * ln2_lo + c)) - f);
  }
  double s = f / (2.0 + f), z = s * s;
  double R =
      z * (Lp1 + z * (Lp2 + z * (Lp3 + z * (Lp4 + z * (Lp5 + z * (Lp6 + z * Lp7))))));
  if (k == 0) return f - (hfsq - s * (hfsq + R));
  return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + (dk * ln2_lo + c))) - f);
}

/* ------------------------------------------------------ sin, cos, tan */

/* sin(x + y) and cos(x + y) for |x + y| <= pi/4, y the tail of x (iy 0: y is 0) */
static inline SAI_HD double sai_pm_ksin(double x, double y, int iy)
{
  const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
               S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
               S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  double z = x * x, w = z * z;
  double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  double v = z * x;
  if (iy == 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

static inline SAI_HD double sai_pm_kcos(double x, double y)
{
  const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
               C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
               C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  double z = x * x, w = z * z;
  double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  double hz = 0.5 * z, v = 1.0 - hz;
  return v + (((1.0 - v) - hz) + (z * r - x * y));
}

/* tan(x + y) (iy 1) or -1 / tan(x + y) (iy -1) for |x + y| <= pi/4 */
static inline SAI_HD double sai_pm_ktan(double x, double y, int iy)
{
  const double T0 = 3.33333333333334091986e-01, T1 = 1.33333333333201242699e-01,
               T2 = 5.39682539762260521377e-02, T3 = 2.18694882948595424599e-02,
               T4 = 8.86323982359930005737e-03, T5 = 3.59207910759131235356e-03,
               T6 = 1.45620945432529025516e-03, T7 = 5.88041240820264096874e-04,
               T8 = 2.46463134818469906812e-04, T9 = 7.81794442939557092300e-05,
               T10 = 7.14072491382608190305e-05, T11 = -1.85586374855275456654e-05,
               T12 = 2.59073051863633712884e-05;
  const double pio4 = 7.85398163397448278999e-01, pio4lo = 3.06161699786838301793e-17;
  uint32_t hx = sai_pm_hi(x);
  int big = (hx & 0x7fffffff) >= 0x3fe59428; /* |x| >= 0.6744: tan(pi/4 - x) */
  if (big) {
    if (hx >> 31) x = -x, y = -y;
    x = (pio4 - x) + (pio4lo - y);
    y = 0.0;
  }
  double z = x * x, w = z * z;
  double r = T1 + w * (T3 + w * (T5 + w * (T7 + w * (T9 + w * T11))));
  double v = z * (T2 + w * (T4 + w * (T6 + w * (T8 + w * (T10 + w * T12)))));
  double s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T0 * s;
  w = x + r;
  if (big) {
    v = (double)iy;
    return ((hx >> 31) ? -1.0 : 1.0) * (v - 2.0 * (x - (w * w / (w + v) - r)));
  }
  if (iy == 1) return w;
  double wh = sai_pm_trunc32(w), d = r - (wh - x); /* wh + d = x + r */
  double a = -1.0 / w, t = sai_pm_trunc32(a);
  return t + a * ((1.0 + t * wh) + t * d);
}

/* clang-format off */
/* (clang-format would take SAI_PM_ROLLED for a statement) */
/* x - n pi/2 for |x| beyond 2^20 pi/2: x given as nx 24-bit pieces x[k] 2^(e0 - 24k),
 * 2/pi's bits multiplied in as integers (k_rem_pio2.c, 64 bits of precision: jk 4).
 * Returns n mod 8 and y[0] + y[1]. */
static inline SAI_PM_COLD SAI_HD int sai_pm_kernel_rem_pio2(const double *x, double *y,
                                                            int e0, int nx)
{
  /* 2/pi in 24-bit pieces (enough for every double) and pi/2 in pieces of 24 bits */
  const int32_t ipio2[66] = {
      0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C, 0x439041,
      0xFE5163, 0xABDEBB, 0xC561B7, 0x246E3A, 0x424DD2, 0xE00649, 0x2EEA09, 0xD1921C,
      0xFE1DEB, 0x1CB129, 0xA73EE8, 0x8235F5, 0x2EBB44, 0x84E99C, 0x7026B4, 0x5F7E41,
      0x3991D6, 0x398353, 0x39F49C, 0x845F8B, 0xBDF928, 0x3B1FF8, 0x97FFDE, 0x05980F,
      0xEF2F11, 0x8B5A0A, 0x6D1F6D, 0x367ECF, 0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D,
      0x7527BA, 0xC7EBE5, 0xF17B3D, 0x0739F7, 0x8A5292, 0xEA6BFB, 0x5FB11F, 0x8D5D08,
      0x560330, 0x46FC7B, 0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3, 0x91615E, 0xE61B08,
      0x659985, 0x5F14A0, 0x68408D, 0xFFD880, 0x4D7327, 0x310606, 0x1556CA, 0x73A8C9,
      0x60E27B, 0xC08C6B};
  const double PIo2[5] = {1.57079625129699707031e+00, 7.54978941586159635335e-08,
                          5.39030252995776476554e-15, 3.28200341580791294123e-22,
                          1.27065575308067607349e-29};
  const double two24 = 1.67772160000000000000e+07, twon24 = 5.96046447753906250000e-08;
  const int jk = 4, jp = 4;
  int32_t iq[20];
  double f[20], fq[20] = {0.0}, q[20], z, fw;
  int jz, jx, jv, carry, n, i, j, k, m, q0, ih;

  jx = nx - 1;
  jv = (e0 - 3) / 24;
  if (jv < 0) jv = 0;
  q0 = e0 - 24 * (jv + 1);
  /* f[0 .. jx + jk]: the pieces of 2/pi that meet x's */
  SAI_PM_ROLLED for (i = 0, j = jv - jx, m = jx + jk; i <= m; i++, j++)
    f[i] = j < 0 ? 0.0 : (double)ipio2[j];
  SAI_PM_ROLLED for (i = 0; i <= jk; i++) {
    SAI_PM_ROLLED for (j = 0, fw = 0.0; j <= jx; j++) fw += x[j] * f[jx + i - j];
    q[i] = fw;
  }
  jz = jk;
recompute:
  /* q[] into 24-bit integers iq[], from the last */
  SAI_PM_ROLLED for (i = 0, j = jz, z = q[jz]; j > 0; i++, j--) {
    fw = (double)(int32_t)(twon24 * z);
    iq[i] = (int32_t)(z - two24 * fw);
    z = q[j - 1] + fw;
  }
  z = sai_pm_scalbn(z, q0);
  z -= 8.0 * floor(z * 0.125); /* n mod 8 is all that matters */
  n = (int32_t)z;
  z -= (double)n;
  ih = 0;
  if (q0 > 0) { /* iq[jz - 1] holds the last bits of n */
    i = iq[jz - 1] >> (24 - q0);
    n += i;
    iq[jz - 1] -= i << (24 - q0);
    ih = iq[jz - 1] >> (23 - q0);
  } else if (q0 == 0) {
    ih = iq[jz - 1] >> 23;
  } else if (z >= 0.5) {
    ih = 2;
  }
  if (ih > 0) { /* the fraction is above 1/2: 1 - it, and n + 1 */
    n += 1;
    carry = 0;
    SAI_PM_ROLLED for (i = 0; i < jz; i++) {
      j = iq[i];
      if (carry == 0) {
        if (j != 0) {
          carry = 1;
          iq[i] = 0x1000000 - j;
        }
      } else {
        iq[i] = 0xffffff - j;
      }
    }
    if (q0 == 1)
      iq[jz - 1] &= 0x7fffff;
    else if (q0 == 2)
      iq[jz - 1] &= 0x3fffff;
    if (ih == 2) {
      z = 1.0 - z;
      if (carry != 0) z -= sai_pm_scalbn(1.0, q0);
    }
  }
  if (z == 0.0) { /* cancellation: more pieces of 2/pi */
    SAI_PM_ROLLED for (i = jz - 1, j = 0; i >= jk; i--) j |= iq[i];
    if (j == 0) {
      SAI_PM_ROLLED for (k = 1; k <= jk && iq[jk - k] == 0; k++) {}
      SAI_PM_ROLLED for (i = jz + 1; i <= jz + k; i++) {
        f[jx + i] = (double)ipio2[jv + i];
        SAI_PM_ROLLED for (j = 0, fw = 0.0; j <= jx; j++) fw += x[j] * f[jx + i - j];
        q[i] = fw;
      }
      jz += k;
      goto recompute;
    }
  }
  if (z == 0.0) { /* drop zero pieces */
    jz -= 1;
    q0 -= 24;
    while (iq[jz] == 0)
      jz--, q0 -= 24;
  } else { /* z into 24-bit pieces if need be */
    z = sai_pm_scalbn(z, -q0);
    if (z >= two24) {
      fw = (double)(int32_t)(twon24 * z);
      iq[jz] = (int32_t)(z - two24 * fw);
      jz += 1;
      q0 += 24;
      iq[jz] = (int32_t)fw;
    } else {
      iq[jz] = (int32_t)z;
    }
  }
  /* the fraction as doubles, times pi/2 */
  fw = sai_pm_scalbn(1.0, q0);
  SAI_PM_ROLLED for (i = jz; i >= 0; i--) {
    q[i] = fw * (double)iq[i];
    fw *= twon24;
  }
  SAI_PM_ROLLED for (i = jz; i >= 0; i--) {
    SAI_PM_ROLLED for (fw = 0.0, k = 0; k <= jp && k <= jz - i; k++) fw +=
        PIo2[k] * q[i + k];
    fq[jz - i] = fw;
  }
  SAI_PM_ROLLED for (i = jz, fw = 0.0; i >= 0; i--) fw += fq[i];
  y[0] = ih == 0 ? fw : -fw;
  fw = fq[0] - fw;
  SAI_PM_ROLLED for (i = 1; i <= jz; i++) fw += fq[i];
  y[1] = ih == 0 ? fw : -fw;
  return n & 7;
}
/* clang-format on */

/* x - n pi/2 = y[0] + y[1] with |y[0] + y[1]| <= pi/4 (about), for finite x with
 * |x| > pi/4 (e_rem_pio2.c); returns n (mod 8 beyond 2^20 pi/2). */
static inline SAI_HD int sai_pm_rem_pio2(double x, double *y)
{
  const double invpio2 = 6.36619772367581382433e-01;
  const double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11,
               pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21,
               pio2_3 = 2.02226624871116645580e-21, pio2_3t = 8.47842766036889956997e-32;
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  int neg = (int)(hx >> 31);
  if (ix < 0x4002d97c) { /* |x| < 3 pi/4: n = +-1 */
    double z = neg ? x + pio2_1 : x - pio2_1, t = pio2_1t;
    if (ix == 0x3ff921fb) { /* near pi/2: 33 + 33 + 53 bits of it */
      z = neg ? z + pio2_2 : z - pio2_2;
      t = pio2_2t;
    }
    if (neg) t = -t;
    y[0] = z - t;
    y[1] = (z - y[0]) - t;
    return neg ? -1 : 1;
  }
  if (ix <= 0x413921fb) { /* |x| <= 2^20 pi/2: n pi/2 in up to three pieces */
    double t = fabs(x);
    int n = (int)(t * invpio2 + 0.5);
    double fn = (double)n, r = t - fn * pio2_1, w = fn * pio2_1t;
    int e = (int)(ix >> 20);
    y[0] = r - w;
    if (e - (int)((sai_pm_hi(y[0]) >> 20) & 0x7ff) > 16) { /* cancellation */
      t = r;
      w = fn * pio2_2;
      r = t - w;
      w = fn * pio2_2t - ((t - r) - w);
      y[0] = r - w;
      if (e - (int)((sai_pm_hi(y[0]) >> 20) & 0x7ff) > 49) { /* more */
        t = r;
        w = fn * pio2_3;
        r = t - w;
        w = fn * pio2_3t - ((t - r) - w);
        y[0] = r - w;
      }
    }
    y[1] = (r - y[0]) - w;
    if (neg) {
      y[0] = -y[0];
      y[1] = -y[1];
      return -n;
    }
    return n;
  }
  /* |x| = z 2^e0 with 2^23 <= z < 2^24, in three 24-bit pieces */
  int e0 = (int)(ix >> 20) - 1046;
  double z = sai_pm_words(ix - (uint32_t)e0 * 0x100000u, sai_pm_lo(x)), tx[3], ty[2];
  tx[0] = (double)(int32_t)z;
  z = (z - tx[0]) * 1.67772160000000000000e+07;
  tx[1] = (double)(int32_t)z;
  tx[2] = (z - tx[1]) * 1.67772160000000000000e+07;
  int nx = 3;
  while (nx > 1 && tx[nx - 1] == 0.0)
    nx--;
  int n = sai_pm_kernel_rem_pio2(tx, ty, e0, nx);
  y[0] = neg ? -ty[0] : ty[0];
  y[1] = neg ? -ty[1] : ty[1];
  return neg ? -n : n;
}

static inline SAI_HD double sai_pm_sin(double x)
{
  uint32_t ix = sai_pm_hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb)                                  /* |x| <= pi/4 (about) */
    return ix < 0x3e500000 ? x : sai_pm_ksin(x, 0.0, 0); /* |x| < 2^-26: x */
  if (ix >= 0x7ff00000) return x != x ? x + x : sai_pm_nan();
  double y[2];
  switch ((unsigned)sai_pm_rem_pio2(x, y) & 3) {
  case 0:
    return sai_pm_ksin(y[0], y[1], 1);
  case 1:
    return sai_pm_kcos(y[0], y[1]);
  case 2:
    return -sai_pm_ksin(y[0], y[1], 1);
  default:
    return -sai_pm_kcos(y[0], y[1]);
  }
}

static inline SAI_HD double sai_pm_cos(double x)
{
  uint32_t ix = sai_pm_hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) /* |x| < 2^-27 sqrt(2): 1 */
    return ix < 0x3e46a09e ? 1.0 : sai_pm_kcos(x, 0.0);
  if (ix >= 0x7ff00000) return x != x ? x + x : sai_pm_nan();
  double y[2];
  switch ((unsigned)sai_pm_rem_pio2(x, y) & 3) {
  case 0:
    return sai_pm_kcos(y[0], y[1]);
  case 1:
    return -sai_pm_ksin(y[0], y[1], 1);
  case 2:
    return -sai_pm_kcos(y[0], y[1]);
  default:
    return sai_pm_ksin(y[0], y[1], 1);
  }
}

static inline SAI_HD double sai_pm_tan(double x)
{
  uint32_t ix = sai_pm_hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) /* |x| < 2^-27: x */
    return ix < 0x3e400000 ? x : sai_pm_ktan(x, 0.0, 1);
  if (ix >= 0x7ff00000) return x != x ? x + x : sai_pm_nan();
  double y[2];
  int n = sai_pm_rem_pio2(x, y);
  return sai_pm_ktan(y[0], y[1], ((unsigned)n & 1) ? -1 : 1);
}

/* ----------------------------------------------- asin, acos, atan, atan2 */

/* (asin(x) - x) / x^3 as a rational function of t = x^2 (e_asin.c) */
static inline SAI_HD double sai_pm_asin_r(double t)
{
  const double pS0 = 1.66666666666666657415e-01, pS1 = -3.25565818622400915405e-01,
               pS2 = 2.01212532134862925881e-01, pS3 = -4.00555345006794114027e-02,
               pS4 = 7.91534994289814532176e-04, pS5 = 3.47933107596021167570e-05,
               qS1 = -2.40339491173441421878e+00, qS2 = 2.02094576023350569471e+00,
               qS3 = -6.88283971605453293030e-01, qS4 = 7.70381505559019352791e-02;
  double p = t * (pS0 + t * (pS1 + t * (pS2 + t * (pS3 + t * (pS4 + t * pS5)))));
  double q = 1.0 + t * (qS1 + t * (qS2 + t * (qS3 + t * qS4)));
  return p / q;
}

static inline SAI_HD double sai_pm_asin(double x)
{
  const double pio2_hi = 1.57079632679489655800e+00, pio2_lo = 6.12323399573676603587e-17,
               pio4_hi = 7.85398163397448278999e-01;
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) { /* |x| >= 1 */
    if (((ix - 0x3ff00000) | sai_pm_lo(x)) == 0) return x * pio2_hi + x * pio2_lo;
    return x != x ? x + x : sai_pm_nan();
  }
  if (ix < 0x3fe00000) /* |x| < 0.5 (below 2^-27: x) */
    return ix < 0x3e400000 ? x : x + x * sai_pm_asin_r(x * x);
  /* asin(x) = pi/2 - 2 asin(sqrt((1 - |x|) / 2)) */
  double t = (1.0 - fabs(x)) * 0.5, w = sai_pm_asin_r(t), s = sqrt(t);
  if (ix >= 0x3fef3333) { /* |x| > 0.975 */
    t = pio2_hi - (2.0 * (s + s * w) - pio2_lo);
  } else {
    double f = sai_pm_trunc32(s), c = (t - f * f) / (s + f); /* f + c = sqrt(t) */
    t = pio4_hi - ((2.0 * s * w - (pio2_lo - 2.0 * c)) - (pio4_hi - 2.0 * f));
  }
  return (hx >> 31) ? -t : t;
}

static inline SAI_HD double sai_pm_acos(double x)
{
  const double pi = 3.14159265358979311600e+00, pio2_hi = 1.57079632679489655800e+00,
               pio2_lo = 6.12323399573676603587e-17;
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) { /* |x| >= 1 */
    if (((ix - 0x3ff00000) | sai_pm_lo(x)) == 0)
      return (hx >> 31) ? pi + 2.0 * pio2_lo : 0.0;
    return x != x ? x + x : sai_pm_nan();
  }
  if (ix < 0x3fe00000) {                            /* |x| < 0.5 */
    if (ix <= 0x3c600000) return pio2_hi + pio2_lo; /* |x| <= 2^-57 */
    return pio2_hi - (x - (pio2_lo - x * sai_pm_asin_r(x * x)));
  }
  if (hx >> 31) { /* x < -0.5 */
    double z = (1.0 + x) * 0.5, s = sqrt(z), w = sai_pm_asin_r(z) * s - pio2_lo;
    return pi - 2.0 * (s + w);
  }
  double z = (1.0 - x) * 0.5, s = sqrt(z), df = sai_pm_trunc32(s);
  double c = (z - df * df) / (s + df), w = sai_pm_asin_r(z) * s + c;
  return 2.0 * (df + w);
}

/* atan(x + xl) for x >= 0 (xl: a tail below x's last bit) as hi + lo (s_atan.c: the
 * argument moved to near 0, 1/2, 1, 3/2 or infinity, then a polynomial), the moved
 * argument carried in double-double. */
static inline SAI_HD sai_pm_dd sai_pm_atan_dd(double x, double xl)
{
  const double aT0 = 3.33333333333329318027e-01, aT1 = -1.99999999998764832476e-01,
               aT2 = 1.42857142725034663711e-01, aT3 = -1.11111104054623557880e-01,
               aT4 = 9.09088713343650656196e-02, aT5 = -7.69187620504482999495e-02,
               aT6 = 6.66107313738753120669e-02, aT7 = -5.83357013379057348645e-02,
               aT8 = 4.97687799461593236017e-02, aT9 = -3.65315727442169155270e-02,
               aT10 = 1.62858201153657823623e-02;
  const double pio2_hi = 1.57079632679489655800e+00, pio2_lo = 6.12323399573676603587e-17;
  uint32_t ix = sai_pm_hi(x);
  double hi = 0.0, lo = 0.0; /* atan of the point the argument moved from */
  sai_pm_dd t;
  if (ix >= 0x44100000) return sai_pm_dd_of(pio2_hi, pio2_lo); /* x >= 2^66 */
  if (ix < 0x3fdc0000) {                                       /* x < 7/16 */
    t = sai_pm_dd_of(x, xl);
  } else if (ix < 0x3fe60000) { /* < 11/16: (2x - 1) / (2 + x), 2x - 1 exact */
    hi = 4.63647609000806093515e-01, lo = 2.26987774529616870924e-17;
    sai_pm_dd d = sai_pm_two_sum(2.0, x);
    t = sai_pm_dd_div(sai_pm_two_sum(2.0 * x - 1.0, 2.0 * xl),
                      sai_pm_fast_two_sum(d.hi, d.lo + xl));
  } else if (ix < 0x3ff30000) { /* < 19/16: (x - 1) / (x + 1), x - 1 exact */
    hi = 7.85398163397448278999e-01, lo = 3.06161699786838301793e-17;
    sai_pm_dd d = sai_pm_two_sum(x, 1.0);
    t = sai_pm_dd_div(sai_pm_two_sum(x - 1.0, xl), sai_pm_fast_two_sum(d.hi, d.lo + xl));
  } else if (ix < 0x40038000) { /* < 39/16: (x - 3/2) / (1 + 3x/2), x - 3/2 exact */
    hi = 9.82793723247329054082e-01, lo = 1.39033110312309984516e-17;
    sai_pm_dd p = sai_pm_two_prod(1.5, x), d = sai_pm_two_sum(1.0, p.hi);
    t = sai_pm_dd_div(sai_pm_two_sum(x - 1.5, xl),
                      sai_pm_fast_two_sum(d.hi, d.lo + (p.lo + 1.5 * xl)));
  } else { /* -1 / x */
    hi = pio2_hi, lo = pio2_lo;
    t = sai_pm_dd_div(sai_pm_dd_of(-1.0, 0.0), sai_pm_dd_of(x, xl));
  }
  /* atan(th + tl) = th - th (s1 + s2) + tl / (1 + th^2) */
  double th = t.hi, z = th * th, w = z * z;
  double s1 = z * (aT0 + w * (aT2 + w * (aT4 + w * (aT6 + w * (aT8 + w * aT10)))));
  double s2 = w * (aT1 + w * (aT3 + w * (aT5 + w * (aT7 + w * aT9))));
  sai_pm_dd s = sai_pm_two_sum(hi, th);
  return sai_pm_fast_two_sum(s.hi, s.lo + ((lo - th * (s1 + s2)) + (t.lo - t.lo * z)));
}

static inline SAI_HD double sai_pm_atan(double x)
{
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  if (x != x) return x + x;
  if (ix < 0x3e400000) return x; /* |x| < 2^-27 */
  sai_pm_dd a = sai_pm_atan_dd(fabs(x), 0.0);
  double z = a.hi + a.lo;
  return (hx >> 31) ? -z : z;
}

static inline SAI_HD double sai_pm_atan2(double y, double x)
{
  const double pi = 3.1415926535897931160e+00, pi_lo = 1.2246467991473531772e-16,
               pi_o_2 = 1.5707963267948965580e+00, pi_o_4 = 7.8539816339744827900e-01;
  if (x != x || y != y) return x + y;
  uint32_t hx = sai_pm_hi(x), lx = sai_pm_lo(x), hy = sai_pm_hi(y), ly = sai_pm_lo(y);
  uint32_t ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
  int m = (int)((hy >> 31) | ((hx >> 30) & 2));             /* 2 sign(x) + sign(y) */
  if ((iy | ly) == 0) return m < 2 ? y : m == 2 ? pi : -pi; /* y = +-0 */
  if ((ix | lx) == 0) return (hy >> 31) ? -pi_o_2 : pi_o_2; /* x = +-0 */
  if (ix == 0x7ff00000) {                                   /* x = +-inf */
    double a = iy == 0x7ff00000 ? (m < 2 ? pi_o_4 : 3.0 * pi_o_4) : (m < 2 ? 0.0 : pi);
    return (m & 1) ? -a : a;
  }
  if (iy == 0x7ff00000) return (hy >> 31) ? -pi_o_2 : pi_o_2; /* y = +-inf */
  double ax = fabs(x), ay = fabs(y);
  int k = (int)(iy >> 20) - (int)(ix >> 20);
  sai_pm_dd z;
  if (k > 60) { /* |y / x| > 2^59: +-pi/2 */
    z = sai_pm_dd_of(pi_o_2, 0.5 * pi_lo);
    m &= 1;
  } else if (k < -60) { /* |y / x| < 2^-59: atan is the quotient */
    z = sai_pm_dd_of(x < 0 ? 0.0 : ay / ax, 0.0);
  } else { /* |y / x| = u + ul, after scaling both to x in [1, 2) (exactly) */
    if (ix < 0x00100000) ax *= 1.80143985094819840000e+16, ay *= 1.80143985094819840000e+16;
    int e = (int)(sai_pm_hi(ax) >> 20) - 1023;
    ax = sai_pm_scalbn(ax, -e), ay = sai_pm_scalbn(ay, -e);
    double u = ay / ax;
    sai_pm_dd p = sai_pm_two_prod(u, ax);
    z = sai_pm_atan_dd(u, ((ay - p.hi) - p.lo) / ax);
  }
  if (m >= 2) { /* pi - z */
    sai_pm_dd d = sai_pm_two_sum(pi, -z.hi);
    z = sai_pm_dd_of(d.hi, d.lo + (pi_lo - z.lo));
  }
  double r = z.hi + z.lo;
  return (m & 1) ? -r : r;
}

/* -------------------------------------------------- sinh, cosh, tanh */

/* Below 22 from t = expm1(|x|) in double-double, rounded once (e_sinh.c's and
 * e_cosh.c's formulas, whose terms never cancel): sinh = (t + t / (1 + t)) / 2,
 * cosh = 1 + t^2 / (2 (1 + t)); beyond, e^|x| / 2 (e^-|x| is below its last bit). */
static inline SAI_HD double sai_pm_sinh(double x)
{
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return x + x; /* inf or NaN */
  double ax = fabs(x), r;
  if (ix < 0x3e300000) return x; /* |x| < 2^-28 */
  if (ix < 0x40360000) {         /* |x| < 22 */
    sai_pm_dd t = sai_pm_expm1_dd(ax);
    sai_pm_dd s =
        sai_pm_dd_add(t, sai_pm_dd_div(t, sai_pm_dd_add(sai_pm_dd_of(1.0, 0.0), t)));
    r = 0.5 * (s.hi + s.lo);
  } else if (ax > 7.10475860073943863426e+02) { /* overflows */
    r = sai_pm_inf();
  } else { /* without overflowing before the result does */
    r = sai_pm_exp_scaled(ax, -1);
  }
  return (hx >> 31) ? -r : r;
}

static inline SAI_HD double sai_pm_cosh(double x)
{
  uint32_t ix = sai_pm_hi(x) & 0x7fffffff;
  if (ix >= 0x7ff00000) return x * x; /* inf or NaN */
  double ax = fabs(x);
  if (ix < 0x3e300000) return 1.0; /* |x| < 2^-28 */
  if (ix < 0x40360000) {           /* |x| < 22 */
    sai_pm_dd t = sai_pm_expm1_dd(ax);
    sai_pm_dd q =
        sai_pm_dd_div(sai_pm_dd_mul(t, t), sai_pm_dd_add(sai_pm_dd_of(1.0, 0.0), t));
    sai_pm_dd c =
        sai_pm_dd_add(sai_pm_dd_of(1.0, 0.0), sai_pm_dd_of(0.5 * q.hi, 0.5 * q.lo));
    return c.hi + c.lo;
  }
  if (ax > 7.10475860073943863426e+02) return sai_pm_inf();
  return sai_pm_exp_scaled(ax, -1);
}

/* tanh |x| = -t / (2 + t) with t = expm1(-2|x|) in (-1, 0], in double-double */
static inline SAI_HD double sai_pm_tanh(double x)
{
  uint32_t hx = sai_pm_hi(x), ix = hx & 0x7fffffff;
  double z;
  if (ix >= 0x7ff00000) { /* inf or NaN */
    if (x != x) return x + x;
    z = 1.0;
  } else if (ix < 0x40360000) { /* |x| < 22 (below 2^-28: x) */
    if (ix < 0x3e300000) return x;
    sai_pm_dd t = sai_pm_expm1_dd(-2.0 * fabs(x));
    sai_pm_dd q =
        sai_pm_dd_div(sai_pm_dd_of(-t.hi, -t.lo), sai_pm_dd_add(sai_pm_dd_of(2.0, 0.0), t));
    z = q.hi + q.lo;
  } else { /* 1 - 2 e^-44 and beyond round to 1 */
    z = 1.0;
  }
  return (hx >> 31) ? -z : z;
}

/* ---------------------------------------------------------------- hypot */

static inline SAI_HD double sai_pm_hypot(double x, double y)
{
  uint32_t ha = sai_pm_hi(x) & 0x7fffffff, hb = sai_pm_hi(y) & 0x7fffffff, h;
  double a = fabs(x), b = fabs(y), t;
  if (hb > ha) t = a, a = b, b = t, h = ha, ha = hb, hb = h;
  if (ha - hb > 0x3c00000) return a + b; /* a / b > 2^60 */
  int k = 0;
  if (ha > 0x5f300000) {    /* a > 2^500 */
    if (ha >= 0x7ff00000) { /* inf or NaN: an infinity wins over NaN */
      double w = a - b;
      if (((ha & 0xfffff) | sai_pm_lo(a)) == 0) w = a;
      if (((hb ^ 0x7ff00000) | sai_pm_lo(b)) == 0) w = b;
      return w;
    }
    ha -= 0x25800000, hb -= 0x25800000, k += 600; /* both times 2^-600 */
    a = sai_pm_set_hi(a, ha), b = sai_pm_set_hi(b, hb);
  }
  if (hb < 0x20b00000) {    /* b < 2^-500 */
    if (hb <= 0x000fffff) { /* subnormal or 0 */
      if ((hb | sai_pm_lo(b)) == 0) return a;
      t = sai_pm_words(0x7fd00000, 0); /* 2^1022 */
      b *= t, a *= t, k -= 1022;
      ha = sai_pm_hi(a), hb = sai_pm_hi(b);
      if (hb > ha) t = a, a = b, b = t, h = ha, ha = hb, hb = h;
    } else {
      ha += 0x25800000, hb += 0x25800000, k -= 600; /* both times 2^600 */
      a = sai_pm_set_hi(a, ha), b = sai_pm_set_hi(b, hb);
    }
  }
  /* sqrt(a^2 + b^2) with the squares in two pieces each */
  double w = a - b;
  if (w > b) {
    double t1 = sai_pm_words(ha, 0), t2 = a - t1;
    w = sqrt(t1 * t1 - (b * (-b) - t2 * (a + t1)));
  } else {
    a = a + a;
    double yh = sai_pm_words(hb, 0), yl = b - yh;
    double t1 = sai_pm_words(ha + 0x00100000, 0), t2 = a - t1;
    w = sqrt(t1 * yh - (w * (-w) - (t1 * yl + t2 * b)));
  }
  return k != 0 ? w * sai_pm_words((uint32_t)(1023 + k) << 20, 0) : w;
}

/* ------------------------------------------------------------------ pow */

/* log2|x| = t1 + t2 (t1's last 32 bits zero) for finite x != 0 that is not near 1
 * (e_pow.c): |x| = 2^n (1 + f), log((1 + s) / (1 - s)) by a series in s. */
static inline SAI_HD void sai_pm_pow_log2(double ax, uint32_t ix, double *t1, double *t2)
{
  const double L1 = 5.99999999999994648725e-01, L2 = 4.28571428578550184252e-01,
               L3 = 3.33333329818377432918e-01, L4 = 2.72728123808534006489e-01,
               L5 = 2.30660745775561754067e-01, L6 = 2.06975017800338417784e-01;
  const double cp = 9.61796693925975554329e-01, cp_h = 9.61796700954437255859e-01,
               cp_l = -7.02846165095275826516e-09;
  int n = 0, k;
  if (ix < 0x00100000) {      /* subnormal */
    ax *= 9007199254740992.0; /* 2^53 */
    n -= 53;
    ix = sai_pm_hi(ax);
  }
  n += (int)(ix >> 20) - 0x3ff;
  uint32_t j = ix & 0x000fffff;
  /* the fraction below sqrt(3/2): k = 0; below sqrt(3): k = 1; else half of it, k = 0
   * (without branches: the choice is as good as random) */
  int up = j >= 0xbb67a;
  k = (j > 0x3988e) & !up;
  n += up;
  ix = (j | 0x3ff00000) - ((uint32_t)up << 20);
  ax = sai_pm_set_hi(ax, ix);
  double dkk = (double)k, bp = 1.0 + 0.5 * dkk, dp_h = dkk * 5.84962487220764160156e-01,
         dp_l = dkk * 1.35003920212974897128e-08;
  /* s = s_h + s_l = (x - bp) / (x + bp) */
  double u = ax - bp, v = 1.0 / (ax + bp), s = u * v, s_h = sai_pm_trunc32(s);
  double t_h = sai_pm_words(((ix >> 1) | 0x20000000) + 0x00080000 + ((uint32_t)k << 18), 0);
  double t_l = ax - (t_h - bp);
  double s_l = v * ((u - s_h * t_h) - s_h * t_l);
  double s2 = s * s;
  double r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
  r += s_l * (s_h + s);
  s2 = s_h * s_h;
  t_h = sai_pm_trunc32(3.0 + s2 + r);
  t_l = r - ((t_h - 3.0) - s2);
  u = s_h * t_h;
  v = s_l * t_h + t_l * s;
  double p_h = sai_pm_trunc32(u + v), p_l = v - (p_h - u);
  double z_h = cp_h * p_h, z_l = cp_l * p_h + p_l * cp + dp_l, t = (double)n;
  *t1 = sai_pm_trunc32(((z_h + z_l) + dp_h) + t);
  *t2 = z_l - (((*t1 - t) - dp_h) - z_h);
}

/* x**y: C99 Annex F's special cases, then 2^(y log2|x|) with log2|x| and the
 * product carried in two pieces (e_pow.c). */
static inline SAI_HD double sai_pm_pow(double x, double y)
{
  const double ivln2 = 1.44269504088896338700e+00, ivln2_h = 1.44269502162933349609e+00,
               ivln2_l = 1.92596299112661746887e-08;
  const double lg2 = 6.93147180559945286227e-01, lg2_h = 6.93147182464599609375e-01,
               lg2_l = -1.90465429995776804525e-09, ovt = 8.0085662595372944372e-17;
  const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
               P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
               P5 = 4.13813679705723846039e-08;
  uint32_t hx = sai_pm_hi(x), lx = sai_pm_lo(x), hy = sai_pm_hi(y), ly = sai_pm_lo(y);
  uint32_t ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
  int xneg = (int)(hx >> 31), yneg = (int)(hy >> 31);
  if ((iy | ly) == 0) return 1.0;              /* x**+-0 = 1, even for NaN */
  if (hx == 0x3ff00000 && lx == 0) return 1.0; /* 1**y = 1, even for NaN */
  if (x != x || y != y) return x + y;
  /* y's kind, when x < 0: 0 not an integer, 1 an odd one, 2 an even one */
  int yisint = 0;
  if (xneg) {
    if (iy >= 0x43400000) { /* |y| >= 2^53 */
      yisint = 2;
    } else if (iy >= 0x3ff00000) {
      int e = (int)(iy >> 20) - 0x3ff;
      if (e > 20) {
        uint32_t j = ly >> (52 - e);
        if ((j << (52 - e)) == ly) yisint = 2 - (int)(j & 1);
      } else if (ly == 0) {
        uint32_t j = iy >> (20 - e);
        if ((j << (20 - e)) == iy) yisint = 2 - (int)(j & 1);
      }
    }
  }
  if (ly == 0) {
    if (iy == 0x7ff00000) {                          /* y = +-inf */
      if (((ix - 0x3ff00000) | lx) == 0) return 1.0; /* (-1)**+-inf */
      if (ix >= 0x3ff00000) return yneg ? 0.0 : y;   /* |x| > 1 */
      return yneg ? -y : 0.0;                        /* |x| < 1 */
    }
    if (iy == 0x3ff00000) return yneg ? 1.0 / x : x; /* y = +-1 */
    if (hy == 0x40000000) return x * x;              /* y = 2 */
    if (hy == 0x3fe00000 && !xneg) return sqrt(x);   /* y = 0.5, x >= +0 */
  }
  double ax = fabs(x);
  if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) { /* +-0, +-inf, -1 */
    double z = yneg ? 1.0 / ax : ax;
    if (xneg) {
      if (ix == 0x3ff00000 && yisint == 0) return sai_pm_nan(); /* (-1)**non-integer */
      if (yisint == 1) z = -z;
    }
    return z;
  }
  if (xneg && yisint == 0) return sai_pm_nan(); /* (x < 0)**non-integer */
  double s = xneg && yisint == 1 ? -1.0 : 1.0;  /* (x < 0)**odd: the sign */
  double t1, t2;
  if (iy > 0x41e00000) {   /* |y| > 2^31 */
    if (iy > 0x43f00000) { /* |y| > 2^64 (even): overflow or underflow */
      if (ix <= 0x3fefffff) return yneg ? sai_pm_inf() : 0.0;
      if (ix >= 0x3ff00000) return yneg ? 0.0 : sai_pm_inf();
    }
    if (ix < 0x3fefffff) return yneg ? s * sai_pm_inf() : s * 0.0; /* not near 1 */
    if (ix > 0x3ff00000) return yneg ? s * 0.0 : s * sai_pm_inf();
    /* |1 - x| <= 2^-20: log2(x) from x - x^2/2 + x^3/3 - x^4/4 */
    double t = ax - 1.0; /* exact */
    double w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    /* e_pow.c's u = ivln2_h t rounds (t has up to 32 bits): t's 21 high bits alone
     * make it exact, and the rest joins v */
    double th = sai_pm_trunc32(t);
    double u = ivln2_h * th, v = (t - th) * ivln2_h + t * ivln2_l - w * ivln2;
    t1 = sai_pm_trunc32(u + v);
    t2 = v - (t1 - u);
  } else {
    sai_pm_pow_log2(ax, ix, &t1, &t2);
  }
  /* y log2|x| = p_h + p_l, with y split into yh + (y - yh) */
  double yh = sai_pm_trunc32(y);
  double p_l = (y - yh) * t1 + y * t2, p_h = yh * t1, z = p_l + p_h;
  uint32_t j = sai_pm_hi(z), i = sai_pm_lo(z);
  if (!(j >> 31) && j >= 0x40900000) { /* z >= 1024 */
    if (((j - 0x40900000) | i) != 0 || p_l + ovt > z - p_h) return s * sai_pm_inf();
  } else if ((j & 0x7fffffff) >= 0x4090cc00) { /* z <= -1075 */
    if (((j - 0xc090cc00) | i) != 0 || p_l <= z - p_h) return s * 0.0;
  }
  /* 2^z = 2^n 2^(z - n), n the nearest integer (halves away from 0); p_h - n is
   * exact, p_h having 42 bits at most */
  int n = (int)(z + (z < 0 ? -0.5 : 0.5));
  p_h -= (double)n;
  double t = sai_pm_trunc32(p_l + p_h);
  double u = t * lg2_h, v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
  z = u + v;
  double w = v - (z - u);
  t = z * z;
  double c = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  double r = (z * c) / (c - 2.0) - (w + z * w);
  z = 1.0 - (r - z);
  uint32_t hz = sai_pm_hi(z);
  if ((int)(hz >> 20) + n <= 0)
    z = sai_pm_scalbn(z, n); /* subnormal */
  else
    z = sai_pm_set_hi(z, hz + ((uint32_t)n << 20));
  return s * z;
}

#endif /* SAI_PMATH_H */
