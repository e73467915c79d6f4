# SPDX-License-Identifier: MIT
# One TAP program per family (tests/test_<family>.c) and shell tests (*.sh).
sa_c_tests = %D%/test_init %D%/test_options %D%/test_errors %D%/test_array \
  %D%/test_future %D%/test_corpus %D%/test_reduce_order %D%/test_expr %D%/test_handle
sa_c_tests += %D%/test_rng %D%/test_pmath
check_PROGRAMS += $(sa_c_tests) %D%/sa_script %D%/test_hostio
%C%_sa_script_LDADD = lib/libstarray.la
%C%_test_init_LDADD = lib/libstarray.la
%C%_test_options_LDADD = lib/libstarray.la
%C%_test_errors_LDADD = lib/libstarray.la
%C%_test_array_LDADD = lib/libstarray.la
%C%_test_future_LDADD = lib/libstarray.la
%C%_test_corpus_LDADD = lib/libstarray.la
%C%_test_reduce_order_LDADD = lib/libstarray.la
%C%_test_expr_LDADD = lib/libstarray.la
%C%_test_handle_LDADD = lib/libstarray.la
%C%_test_rng_LDADD = lib/libstarray.la -lm
%C%_test_pmath_LDADD = lib/libstarray.la -lm
%C%_test_hostio_LDADD = lib/libstarray.la
sa_sh_tests = %D%/test_info.sh %D%/test_configure.sh %D%/test_elementwise.sh %D%/test_npy.sh \
  %D%/test_cfd12.sh %D%/test_reduce.sh %D%/test_jacobi.sh %D%/test_swe.sh \
  %D%/test_trace.sh %D%/test_matmul.sh %D%/test_random.sh \
  %D%/test_finite.sh %D%/test_reduce_axis.sh %D%/test_reduce_tiling.sh %D%/test_jit.sh %D%/test_perfmodel.sh %D%/test_simgrid.sh %D%/test_fuse.sh %D%/test_mpi.sh %D%/test_nompi.sh %D%/test_docs.sh %D%/test_print.sh %D%/test_shape.sh %D%/test_scan.sh %D%/test_sort.sh %D%/test_ooc.sh \
  %D%/test_install.sh
# starray.h from C++ (pedantic C++11: no compound literals, no __VA_OPT__)
if SA_HAVE_CXX
check_PROGRAMS += %D%/test_cxx
%C%_test_cxx_SOURCES = %D%/test_cxx.cc
%C%_test_cxx_CXXFLAGS = $(AM_CXXFLAGS) -std=c++11 -Wall -Wextra -pedantic -Werror
%C%_test_cxx_LDADD = lib/libstarray.la
check_PROGRAMS += %D%/test_cxx20
%C%_test_cxx20_SOURCES = %D%/test_cxx.cc
%C%_test_cxx20_CXXFLAGS = $(AM_CXXFLAGS) -std=c++20 -Wall -Wextra -pedantic -Werror
%C%_test_cxx20_LDADD = lib/libstarray.la
TESTS += %D%/test_cxx %D%/test_cxx20
endif
EXTRA_DIST += %D%/test_cxx.cc
# SA_NOARGS, and SA_ARGS() where C23 is the language
check_PROGRAMS += %D%/test_args
%C%_test_args_CFLAGS = $(AM_CFLAGS) -pedantic -Werror
%C%_test_args_LDADD = lib/libstarray.la
TESTS += %D%/test_args
sa_sh_tests += %D%/test_rng_numpy.sh
# test_hostio copies 2 GiB: not among the C tests check-valgrind runs
TESTS += $(sa_c_tests) %D%/test_hostio $(sa_sh_tests)
EXTRA_DIST += $(sa_sh_tests) %D%/tap.h %D%/tap.sh %D%/sa_common.py %D%/test_elementwise.py \
  %D%/test_npy.py %D%/test_cfd12.py %D%/cfd12_numpy.py \
  %D%/test_reduce.py %D%/test_jacobi.py %D%/jacobi_numpy.py %D%/test_swe.py %D%/swe_numpy.py \
  %D%/test_matmul.py %D%/test_random.py %D%/test_reduce_tiling.py %D%/test_reduce_axis.py %D%/test_fuse.py %D%/test_mpi.py %D%/test_docs.py %D%/test_print.py %D%/test_shape.py %D%/test_scan.py %D%/test_sort.py %D%/lsan.supp %D%/valgrind.supp \
  %D%/consumer.c
EXTRA_DIST += %D%/test_rng_numpy.py
noinst_HEADERS = %D%/tap.h

clean-local: clean-tests-local
clean-tests-local:
	-rm -rf tests/starpu-home tests/trace-test-options tests/jit-cache tests/jit-dump

# An out-of-tree consumer: compile tests/consumer.c against the installed prefix
# with pkg-config alone, and run it.
installcheck-local:
	@tmp=`mktemp -d` && \
	PKG_CONFIG_PATH="$(DESTDIR)$(pkgconfigdir)" && export PKG_CONFIG_PATH && \
	flags=`$(PKG_CONFIG) --cflags --libs starray` && \
	echo "consumer: $(CC) consumer.c $$flags" && \
	$(CC) -std=c11 $(SAN_CFLAGS) -o $$tmp/consumer $(srcdir)/tests/consumer.c $$flags && \
	$(SA_SAN_TESTS_ENV) LSAN_OPTIONS="suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0" \
	STARPU_HOME=$$tmp STARPU_NCPU=1 STARPU_FXT_TRACE=0 $$tmp/consumer; \
	st=$$?; rm -rf $$tmp; exit $$st

# The C tests again under valgrind's memcheck (errors fail the test; StarPU's own
# start-up noise is suppressed in tests/valgrind.supp).
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(sa_c_tests)" \
	  LOG_COMPILER="$(LIBTOOL) --mode=execute $(VALGRIND) -q --error-exitcode=99 \
	  --suppressions=$(abs_top_srcdir)/tests/valgrind.supp --gen-suppressions=all"
.PHONY: check-valgrind

# The CUDA C of every kernel the suite generated compiles with NVRTC (needs the CUDA
# toolkit, not a GPU); after every other test, which write the sources.
if SA_HAVE_NVRTC
check_PROGRAMS += %D%/test_nvrtc
%C%_test_nvrtc_LDADD = $(CUDA_LIBS) -lnvrtc
%C%_test_nvrtc_CPPFLAGS = $(AM_CPPFLAGS) $(CUDA_CFLAGS)
TESTS += %D%/test_nvrtc.sh
%D%/test_nvrtc.log: $(filter-out %D%/test_nvrtc.log,$(TEST_LOGS))
endif
EXTRA_DIST += %D%/test_nvrtc.sh %D%/test_nvrtc.c
