# SPDX-License-Identifier: MIT
lib_LTLIBRARIES += %D%/libstarray.la
include_HEADERS += %D%/starray.h
# In the order of the layers, bottom up (doc/design.md): calls go down only.
%C%_libstarray_la_SOURCES = %D%/sai.h %D%/runtime.c %D%/error.c %D%/options.c %D%/dist.c \
  %D%/handle.c %D%/array.c %D%/view.c %D%/hostio.c %D%/future.c \
  %D%/expr.h %D%/exprtree.h %D%/expr.c %D%/exprgen.c %D%/exprprog.c %D%/plan.h %D%/shape.c %D%/plan.c %D%/statement.c \
  %D%/api_elementwise.c %D%/api_reduce.c %D%/api_linalg.c %D%/npy.c %D%/selftest.c \
  %D%/init.c
%C%_libstarray_la_LIBADD = $(CBLAS_LIBS) $(STARPUMPI_LIBS) $(MPI_LIBS) $(STARPU_LIBS) $(HWLOC_LIBS) $(CUDA_LIBS) -lm
%C%_libstarray_la_LDFLAGS = -version-info $(SA_LT_VERSION) -no-undefined
