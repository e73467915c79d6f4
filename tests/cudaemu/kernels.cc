/* SPDX-License-Identifier: MIT
 * Every family's CUDA implementation (codelets/FAMILY.cu) compiled as host C++ against
 * the emulation (cudaemu.h), for the library make check builds with SAI_CUDA_EMU. */
#include "cudaemu.h"

#include "elementwise.cu"
#include "fill.cu"
#include "gemm.cu"
#include "halo.cu"
#include "reduce.cu"
#include "reshape.cu"
#include "rng.cu"
#include "scan.cu"
#include "sort.cu"
