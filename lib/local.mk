# SPDX-License-Identifier: MIT
lib_LTLIBRARIES += %D%/libstarray.la
include_HEADERS += %D%/starray.h
%C%_libstarray_la_SOURCES = %D%/sai.h %D%/error.c %D%/options.c %D%/init.c \
  %D%/selftest.c %D%/dist.c %D%/array.c %D%/view.c %D%/hostio.c %D%/npy.c %D%/expr.h %D%/expr.c \
  %D%/exprgen.c %D%/plan.c %D%/api_elementwise.c %D%/api_reduce.c \
  %D%/api_linalg.c
%C%_libstarray_la_LIBADD = $(CBLAS_LIBS) $(STARPUMPI_LIBS) $(MPI_LIBS) $(STARPU_LIBS) $(HWLOC_LIBS) $(CUDA_LIBS) -lm
%C%_libstarray_la_LDFLAGS = -version-info $(SA_LT_VERSION) -no-undefined
