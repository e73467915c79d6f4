# SPDX-License-Identifier: MIT
# Installed programs find libstarray relative to themselves (build-aux/install.mk).
bin_PROGRAMS += %D%/info/starray-info
%C%_info_starray_info_LDFLAGS = $(AM_LDFLAGS) $(sa_bin_rpath)
EXTRA_%C%_info_starray_info_DEPENDENCIES = %D%/bin-rpath.stamp
%C%_info_starray_info_SOURCES = %D%/info/starray_info.c
%C%_info_starray_info_LDADD = lib/libstarray.la
bin_PROGRAMS += %D%/cfd12/cfd12
%C%_cfd12_cfd12_LDFLAGS = $(AM_LDFLAGS) $(sa_bin_rpath)
EXTRA_%C%_cfd12_cfd12_DEPENDENCIES = %D%/bin-rpath.stamp
%C%_cfd12_cfd12_SOURCES = %D%/cfd12/cfd12.c
%C%_cfd12_cfd12_LDADD = lib/libstarray.la -lm
EXTRA_DIST += %D%/bench/bench_cfd12.sh %D%/bench/cfd12_numpy_bench.py %D%/bench/bench_jacobi.sh \
  %D%/bench/bench_mpi.sh %D%/bench/bench_math.sh
bin_PROGRAMS += %D%/jacobi/jacobi
%C%_jacobi_jacobi_LDFLAGS = $(AM_LDFLAGS) $(sa_bin_rpath)
EXTRA_%C%_jacobi_jacobi_DEPENDENCIES = %D%/bin-rpath.stamp
%C%_jacobi_jacobi_SOURCES = %D%/jacobi/jacobi.c
%C%_jacobi_jacobi_LDADD = lib/libstarray.la -lm
bin_PROGRAMS += %D%/swe/swe
%C%_swe_swe_LDFLAGS = $(AM_LDFLAGS) $(sa_bin_rpath)
EXTRA_%C%_swe_swe_DEPENDENCIES = %D%/bin-rpath.stamp
%C%_swe_swe_SOURCES = %D%/swe/swe.c %D%/swe/swe_scheme.c %D%/swe/swe.h
%C%_swe_swe_LDADD = lib/libstarray.la -lm
noinst_PROGRAMS = %D%/bench/bench_eval %D%/bench/bench_matmul %D%/bench/cfd12_fused \
  %D%/bench/bench_math
%C%_bench_cfd12_fused_SOURCES = %D%/bench/cfd12_fused.c
%C%_bench_cfd12_fused_CFLAGS = $(AM_CFLAGS) $(OPENMP_CFLAGS) -O3
%C%_bench_cfd12_fused_LDFLAGS = $(OPENMP_CFLAGS)
%C%_bench_bench_matmul_SOURCES = %D%/bench/bench_matmul.c
%C%_bench_bench_matmul_LDADD = lib/libstarray.la $(CBLAS_LIBS)
%C%_bench_bench_eval_SOURCES = %D%/bench/bench_eval.c
%C%_bench_bench_eval_LDADD = lib/libstarray.la
%C%_bench_bench_math_SOURCES = %D%/bench/bench_math.c
%C%_bench_bench_math_LDADD = lib/libstarray.la -lm
EXTRA_DIST += %D%/bench/eval_numpy_bench.py %D%/bench/bench_swe.sh %D%/bench/swe_numpy_bench.py \
  %D%/bench/bench_memory_limit.sh %D%/bench/simulate_weak_scaling.sh %D%/bench/merge_perfmodels.py

# make bench: the benchmarks of doc/performance.md (minutes; not part of make check).
bench: all %D%/bench/bench_eval$(EXEEXT) %D%/bench/bench_matmul$(EXEEXT) \
    %D%/bench/cfd12_fused$(EXEEXT) %D%/bench/bench_math$(EXEEXT)
	STARRAY_TOP_BUILDDIR=$(abs_top_builddir) PYTHON_NUMPY="$(PYTHON_NUMPY)" \
	  $(SHELL) $(srcdir)/%D%/bench/bench_cfd12.sh
	STARRAY_TOP_BUILDDIR=$(abs_top_builddir) $(SHELL) $(srcdir)/%D%/bench/bench_jacobi.sh
	STARRAY_TOP_BUILDDIR=$(abs_top_builddir) PYTHON_NUMPY="$(PYTHON_NUMPY)" \
	  $(SHELL) $(srcdir)/%D%/bench/bench_swe.sh
	STARRAY_TOP_BUILDDIR=$(abs_top_builddir) PYTHON_NUMPY="$(PYTHON_NUMPY)" \
	  $(SHELL) $(srcdir)/%D%/bench/bench_memory_limit.sh || test $$? = 77
	if test "$(SA_MPI)" = yes; then \
	  STARRAY_TOP_BUILDDIR=$(abs_top_builddir) $(SHELL) $(srcdir)/%D%/bench/bench_mpi.sh; fi
	%D%/bench/bench_eval
	%D%/bench/bench_matmul
	STARRAY_TOP_BUILDDIR=$(abs_top_builddir) $(SHELL) $(srcdir)/%D%/bench/bench_math.sh
.PHONY: bench
