/* SPDX-License-Identifier: MIT
 * The rng family: Philox4x32-10 and the transforms to uniform, normal and integer
 * values, as functions of (seed, stream, flat index) alone, shared by the CPU
 * (rng.c) and CUDA (rng.cu) kernels. The recipe, bit by bit, is in doc/random.md.
 * Only + - * / and sqrt on doubles, which are exactly rounded on either kind of
 * worker (no fused multiply-add: -ffp-contract=off, nvcc -fmad=false), so both give
 * the same bits; the few-ulp log, sin and cos below are fdlibm's polynomials. */
#ifndef SAI_RNG_H
#define SAI_RNG_H

#include "convert.h"
#include <starpu.h>
#include "sai.h"

#include <math.h>

enum { SAI_RNG_UNIFORM, SAI_RNG_NORMAL, SAI_RNG_INTEGERS };

typedef struct sai_rng_args {
  uint32_t key[2];    /* the seed's low and high halves */
  uint32_t stream[2]; /* the stream's low and high halves */
  int kind, dtype, ndim;
  int64_t ext[SA_MAX_NDIM];    /* the tile's extent per dimension */
  int64_t first;               /* global flat index of the tile's first element */
  int64_t stride[SA_MAX_NDIM]; /* global C-order strides */
  double mean, std;            /* normal */
  int64_t low;                 /* integers: low + [0, range) */
  uint64_t range;
} sai_rng_args;

/* ------------------------------------------------------------ Philox4x32-10
 * Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3"
 * (SC'11), as Random123 and cuRAND's Philox4_32_10 compute it. */
static inline SAI_HD uint32_t sai_rng_mulhilo(uint32_t a, uint32_t b, uint32_t *lo)
{
  uint64_t p = (uint64_t)a * b;
  *lo = (uint32_t)p;
  return (uint32_t)(p >> 32);
}

static inline SAI_HD void sai_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                                            uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; r++) {
    if (r) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    uint32_t lo0, lo1;
    uint32_t hi0 = sai_rng_mulhilo(0xD2511F53u, c0, &lo0);
    uint32_t hi1 = sai_rng_mulhilo(0xCD9E8D57u, c2, &lo1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* The four words of block j: counter (j low, j high, stream low, stream high). */
static inline SAI_HD void sai_rng_block(const sai_rng_args *a, uint64_t j, uint32_t x[4])
{
  uint32_t ctr[4] = {(uint32_t)j, (uint32_t)(j >> 32), a->stream[0], a->stream[1]};
  sai_philox4x32_10(ctr, a->key, x);
}

/* Elements per block: 4 float32 uniforms (32 bits each), 2 float64 uniforms (64
 * bits), 2 normals (one Box-Muller pair), 1 integer (128 bits). */
static inline SAI_HD int sai_rng_per_block(int kind, int dtype)
{
  if (kind == SAI_RNG_INTEGERS) return 1;
  return kind == SAI_RNG_UNIFORM && dtype == SAI_F32 ? 4 : 2;
}

static inline SAI_HD uint64_t sai_rng_u64(uint32_t lo, uint32_t hi)
{
  return (uint64_t)hi << 32 | lo;
}

/* ------------------------------------------- log, sin, cos from + - * / only
 * Coefficients of fdlibm's e_log.c, k_sin.c, k_cos.c (Sun Microsystems, freely
 * usable), minimax polynomials on their intervals; the functions below are within
 * 2 ulp of the exact values (tests/test_rng.c checks them against libm). */

/* log(m * 2^-53) for 1 <= m <= 2^53. */
static inline SAI_HD double sai_rng_log(uint64_t m)
{
  /* m = 2^e * x with x in [sqrt(2)/2, sqrt(2)): every step exact */
  int e = 0;
  uint64_t v = m;
  if (v >> 32) v >>= 32, e += 32;
  if (v >> 16) v >>= 16, e += 16;
  if (v >> 8) v >>= 8, e += 8;
  if (v >> 4) v >>= 4, e += 4;
  if (v >> 2) v >>= 2, e += 2;
  if (v >> 1) e += 1;
  double x = (double)m / (double)((uint64_t)1 << e);
  if (x > 1.41421356237309504880) x *= 0.5, e += 1;
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
               Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
               Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
               Lg7 = 1.479819860511658591e-01;
  double f = x - 1.0, dk = (double)(e - 53);
  double s = f / (2.0 + f), z = s * s, w = z * z;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  double r = t2 + t1, hfsq = 0.5 * f * f;
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

/* sin(x) and cos(x) for |x| <= pi/4. */
static inline SAI_HD double sai_rng_ksin(double x)
{
  const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
               S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
               S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  double z = x * x, w = z * z;
  double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  return x + z * x * (S1 + z * r);
}

static inline SAI_HD double sai_rng_kcos(double x)
{
  const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
               C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
               C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  double z = x * x, w = z * z;
  double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  double hz = 0.5 * z, v = 1.0 - hz;
  return v + (((1.0 - v) - hz) + z * r);
}

/* cos and sin of 2 pi b 2^-53 for 0 <= b < 2^53: the quadrant and the remainder
 * are taken from the integer exactly, so only the last step rounds. */
static inline SAI_HD void sai_rng_sincos2pi(uint64_t b, double *c, double *s)
{
  uint64_t q = (b + ((uint64_t)1 << 50)) >> 51; /* nearest quarter turn, 0..4 */
  double f = (double)((int64_t)b - (int64_t)(q << 51)) *
             (1.0 / 2251799813685248.0); /* [-1/2, 1/2) */
  double t = f * 1.57079632679489661923; /* |t| <= pi/4 */
  double sn = sai_rng_ksin(t), cs = sai_rng_kcos(t);
  switch (q & 3) {
  case 0:
    *c = cs, *s = sn;
    break;
  case 1:
    *c = -sn, *s = cs;
    break;
  case 2:
    *c = -cs, *s = -sn;
    break;
  default:
    *c = sn, *s = -cs;
    break;
  }
}

/* --------------------------------------------------------------- transforms */

/* Lane h (0 or 1) of a Box-Muller pair from block x: a standard normal value. */
static inline SAI_HD double sai_rng_normal(const uint32_t x[4], int h)
{
  uint64_t m = (sai_rng_u64(x[0], x[1]) >> 11) + 1; /* u1 = m 2^-53 in (0, 1] */
  uint64_t b = sai_rng_u64(x[2], x[3]) >> 11;       /* u2 = b 2^-53 in [0, 1) */
  double r = sqrt(-2.0 * sai_rng_log(m)), c, s;
  sai_rng_sincos2pi(b, &c, &s);
  return r * (h ? s : c);
}

/* The high 64 bits of a * b, and the low ones in *lo. */
static inline SAI_HD uint64_t sai_rng_mulhi64(uint64_t a, uint64_t b, uint64_t *lo)
{
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* floor(u * range / 2^128) for the 128-bit u = (x3 x2 x1 x0) of block x: in
 * [0, range), each value from floor or ceil(2^128 / range) of the u. */
static inline SAI_HD uint64_t sai_rng_below(const uint32_t x[4], uint64_t range)
{
  uint64_t ulo = sai_rng_u64(x[0], x[1]), uhi = sai_rng_u64(x[2], x[3]), lo, ignored;
  uint64_t hi = sai_rng_mulhi64(uhi, range, &lo);
  uint64_t carry_in = sai_rng_mulhi64(ulo, range, &ignored);
  uint64_t sum = lo + carry_in;
  return hi + (sum < lo);
}

/* The global C-order flat index of element i (C order within the tile) of the tile
 * a describes. */
static inline SAI_HD int64_t sai_rng_global(const sai_rng_args *a, int64_t i)
{
  int64_t g = a->first;
  for (int d = a->ndim - 1; d >= 0; d--) {
    g += (i % a->ext[d]) * a->stride[d];
    i /= a->ext[d];
  }
  return g;
}

/* Element i of the tile, of global flat index g, into out; x and *have cache the
 * block last computed (*have: its number + 1; 0: none yet). */
static inline SAI_HD void sai_rng_store(const sai_rng_args *a, void *out, int64_t i,
                                        int64_t g, uint32_t x[4], uint64_t *have)
{
  int per = sai_rng_per_block(a->kind, a->dtype);
  uint64_t j = (uint64_t)g / (uint64_t)per;
  int h = (int)((uint64_t)g % (uint64_t)per);
  if (*have != j + 1) {
    sai_rng_block(a, j, x);
    *have = j + 1;
  }
  if (a->kind == SAI_RNG_INTEGERS) {
    uint64_t v = (uint64_t)a->low + sai_rng_below(x, a->range);
    if (a->dtype == SAI_I32)
      ((int32_t *)out)[i] = (int32_t)(uint32_t)v;
    else
      ((int64_t *)out)[i] = (int64_t)v;
  } else if (a->kind == SAI_RNG_UNIFORM && a->dtype == SAI_F32) {
    ((float *)out)[i] = (float)(x[h] >> 8) * (1.0f / 16777216.0f);
  } else {
    double v = a->kind == SAI_RNG_UNIFORM
                   ? (double)(sai_rng_u64(x[2 * h], x[2 * h + 1]) >> 11) *
                         (1.0 / 9007199254740992.0)
                   : a->mean + a->std * sai_rng_normal(x, h);
    if (a->dtype == SAI_F32)
      ((float *)out)[i] = (float)v;
    else
      ((double *)out)[i] = v;
  }
}

#ifdef __cplusplus
extern "C" {
#endif
/* The CUDA launcher (rng.cu); the CPU kernel and codelet live in rng.c. */
void sai_rng_cuda(void *buffers[], void *cl_arg);
extern struct starpu_codelet sai_rng_cl;
/* Writes tile x as *args says (owner computes under MPI). */
sa_status sai_rng_submit(starpu_data_handle_t x, const sai_rng_args *args);
#ifdef __cplusplus
}
#endif

#endif /* SAI_RNG_H */
