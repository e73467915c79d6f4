/* SPDX-License-Identifier: MIT
 * Element conversions between the stored dtypes and the two computing kinds
 * (double, int64), shared by every family and by CPU and CUDA code. */
#ifndef SAI_CONVERT_H
#define SAI_CONVERT_H

#ifdef __CUDACC_RTC__ /* NVRTC compiles run-time kernels without the C library's headers */
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
#define INT64_MIN (-9223372036854775807LL - 1)
#else
#include <stdint.h>
#endif

#ifdef __CUDACC__
#define SAI_HD __host__ __device__
#else
#define SAI_HD
#endif

/* dtype codes as in sa_dtype */
enum { SAI_BOOL = 0, SAI_I32 = 1, SAI_I64 = 2, SAI_F32 = 3, SAI_F64 = 4 };

static inline SAI_HD int sai_dtype_is_float(int dtype) { return dtype >= SAI_F32; }

static inline SAI_HD int64_t sai_elem_size(int dtype)
{
  return dtype == SAI_BOOL ? 1 : dtype == SAI_I32 || dtype == SAI_F32 ? 4 : 8;
}

static inline SAI_HD double sai_load_f(const void *p, int64_t i, int dtype)
{
  switch (dtype) {
  case SAI_BOOL: return ((const uint8_t *)p)[i];
  case SAI_I32: return ((const int32_t *)p)[i];
  case SAI_I64: return (double)((const int64_t *)p)[i];
  case SAI_F32: return ((const float *)p)[i];
  default: return ((const double *)p)[i];
  }
}

/* double -> integer as NumPy's astype on x86: truncation; out-of-range and NaN
 * give INT64_MIN like the hardware conversion (never undefined behaviour). */
static inline SAI_HD int64_t sai_f2i(double v)
{
  if (!(v > -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
  return (int64_t)v;
}

static inline SAI_HD int64_t sai_load_i(const void *p, int64_t i, int dtype)
{
  switch (dtype) {
  case SAI_BOOL: return ((const uint8_t *)p)[i];
  case SAI_I32: return ((const int32_t *)p)[i];
  case SAI_I64: return ((const int64_t *)p)[i];
  case SAI_F32: return sai_f2i(((const float *)p)[i]);
  default: return sai_f2i(((const double *)p)[i]);
  }
}

static inline SAI_HD void sai_store_f(void *p, int64_t i, int dtype, double v)
{
  switch (dtype) {
  case SAI_BOOL: ((uint8_t *)p)[i] = v != 0; break;
  case SAI_I32: ((int32_t *)p)[i] = (int32_t)(uint32_t)(uint64_t)sai_f2i(v); break;
  case SAI_I64: ((int64_t *)p)[i] = sai_f2i(v); break;
  case SAI_F32: ((float *)p)[i] = (float)v; break;
  default: ((double *)p)[i] = v; break;
  }
}

static inline SAI_HD void sai_store_i(void *p, int64_t i, int dtype, int64_t v)
{
  switch (dtype) {
  case SAI_BOOL: ((uint8_t *)p)[i] = v != 0; break;
  case SAI_I32: ((int32_t *)p)[i] = (int32_t)(uint32_t)(uint64_t)v; break;
  case SAI_I64: ((int64_t *)p)[i] = v; break;
  case SAI_F32: ((float *)p)[i] = (float)v; break;
  default: ((double *)p)[i] = (double)v; break;
  }
}

#endif /* SAI_CONVERT_H */
