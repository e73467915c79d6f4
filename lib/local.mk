# SPDX-License-Identifier: MIT
lib_LTLIBRARIES += %D%/libstarray.la
include_HEADERS += %D%/starray.h
# In the order of the layers, bottom up (doc/design.md): calls go down only.
%C%_libstarray_la_SOURCES = %D%/sai.h %D%/runtime.c %D%/error.c %D%/options.c %D%/dist.c %D%/defer.c \
  %D%/handle.c %D%/array.c %D%/view.c %D%/hostio.c %D%/print.c %D%/future.c \
  %D%/expr.h %D%/exprtree.h %D%/expr.c %D%/exprgen.c %D%/exprprog.c %D%/exprmemo.c %D%/plan.h %D%/shape.c %D%/plan.c %D%/statement.c \
  %D%/jit.h %D%/jitgen.c %D%/jit.c %D%/api_elementwise.c %D%/api_reduce.c %D%/api_linalg.c %D%/npy.c %D%/selftest.c \
  %D%/init.c
%C%_libstarray_la_SOURCES += %D%/api_rng.c %D%/api_scan.c %D%/api_sort.c %D%/api_reshape.c
# StarPU(-MPI) through SA_LIB_STARPU_LIBS: without the StarPU build's directory (m4/sa_check_starpu.m4)
%C%_libstarray_la_LIBADD = $(CBLAS_LIBS) $(SA_LIB_STARPU_LIBS) $(MPI_LIBS) $(HWLOC_LIBS) $(CUDA_LIBS) -lm
%C%_libstarray_la_LDFLAGS = -version-info $(SA_LT_VERSION) -no-undefined

# The semantics header, embedded in the library for the kernels it compiles at run
# time (lib/jitgen.c): codelets/convert.h, pmath.h and ewsem.h as one C string.
nodist_%C%_libstarray_la_SOURCES = %D%/jitsrc.c
BUILT_SOURCES += %D%/jitsrc.c
CLEANFILES += %D%/jitsrc.c
%D%/jitsrc.c: $(srcdir)/codelets/convert.h $(srcdir)/codelets/pmath.h $(srcdir)/codelets/ewsem.h
	$(MKDIR_P) %D%
	{ echo '/* Generated from codelets/convert.h, pmath.h and ewsem.h: do not edit. */'; \
	  echo '#include "jit.h"'; echo 'const char sai_jit_header[] ='; \
	  printf '  "#define SAI_EW_KERNEL_SOURCE 1\\n"\n'; \
	  cat $(srcdir)/codelets/convert.h $(srcdir)/codelets/pmath.h $(srcdir)/codelets/ewsem.h | \
	    grep -v -e '^#include "convert.h"' -e '^#include "pmath.h"' | \
	    $(SED) -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$$/\\n"/'; \
	  echo '  ;'; } > $@.tmp && mv $@.tmp $@
