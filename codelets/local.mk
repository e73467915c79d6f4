# SPDX-License-Identifier: MIT
# One family per stem: <family>.h (shared semantics), .c (CPU), .cu (CUDA).
lib_libstarray_la_SOURCES += %D%/sai_cuda.h %D%/convert.h %D%/fill.h %D%/fill.c \
  %D%/pmath.h %D%/ewsem.h %D%/elementwise.h %D%/elementwise.c %D%/reduce.h %D%/reduce.c \
  %D%/gemm.h %D%/gemm.c %D%/halo.h %D%/halo.c
lib_libstarray_la_SOURCES += %D%/rng.h %D%/rng.c %D%/scan.h %D%/scan.c %D%/sort.h %D%/sort.c %D%/reshape.h %D%/reshape.c
sa_cuda_sources = %D%/fill.cu %D%/elementwise.cu %D%/reduce.cu %D%/gemm.cu %D%/halo.cu
sa_cuda_sources += %D%/rng.cu %D%/scan.cu %D%/sort.cu %D%/reshape.cu
EXTRA_DIST += $(sa_cuda_sources)
# nvcc's objects have no dependency tracking: each is made again when a header changes
# (the instruction set of ewsem.h must be the same in the C and CUDA objects)
$(sa_cuda_sources:.cu=.cu.lo): %D%/sai_cuda.h %D%/convert.h %D%/pmath.h %D%/ewsem.h \
  %D%/elementwise.h %D%/reduce.h %D%/fill.h %D%/gemm.h %D%/halo.h %D%/rng.h %D%/scan.h \
  %D%/sort.h %D%/reshape.h lib/sai.h lib/starray.h
if SA_HAVE_CUDA
lib_libstarray_la_LIBADD += $(sa_cuda_sources:.cu=.cu.lo)
endif
CLEANFILES += %D%/*.cu.lo %D%/.libs/*.cu.o
