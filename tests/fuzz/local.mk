# SPDX-License-Identifier: MIT
# Fuzz targets (tests/fuzz/fuzz_<what>.c). `make check` replays their corpus (the
# inputs that once broke the library, and seeds) through tests/fuzz/replay.c;
# `make fuzz` runs them under libFuzzer for FUZZ_TIME seconds each (clang needed),
# new findings going into tests/fuzz/findings/.
sa_fuzz_replays = %D%/replay_npy %D%/replay_expr
check_PROGRAMS += $(sa_fuzz_replays)
%C%_replay_npy_SOURCES = %D%/replay.c %D%/fuzz_npy.c
%C%_replay_npy_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%C%_replay_npy_LDADD = lib/libstarray.la
%C%_replay_expr_SOURCES = %D%/replay.c %D%/fuzz_expr.c
%C%_replay_expr_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%C%_replay_expr_LDADD = lib/libstarray.la
TESTS += %D%/replay_npy.sh %D%/replay_expr.sh
EXTRA_DIST += %D%/replay_npy.sh %D%/replay_expr.sh %D%/corpus
CLEANFILES += %D%/fuzz_npy %D%/fuzz_expr

FUZZ_CC = clang
FUZZ_TIME = 60
# The library's own sources with coverage and sanitizers, so that libFuzzer sees into
# it; the CUDA objects of the normal build are linked as they are.
sa_fuzz_cflags = -std=c11 -g -O1 -ffp-contract=off -fsanitize=fuzzer-no-link,address,undefined \
  -D_POSIX_C_SOURCE=200809L -I$(top_srcdir)/lib -I$(top_srcdir)/codelets -I$(top_builddir) \
  $(STARPU_CFLAGS) $(MPI_CFLAGS) $(HWLOC_CFLAGS) $(CUDA_CFLAGS) $(CBLAS_CFLAGS) -Wno-deprecated-declarations
sa_fuzz_sources = $(filter %.c,$(lib_libstarray_la_SOURCES))
sa_fuzz_libs = $(CBLAS_LIBS) $(STARPUMPI_LIBS) $(MPI_LIBS) $(STARPU_LIBS) $(HWLOC_LIBS) $(CUDA_LIBS) -lm
if SA_HAVE_CUDA
sa_fuzz_cuda = $(sa_cuda_sources:codelets/%.cu=codelets/.libs/%.cu.o) -lstdc++
endif
%D%/fuzz_%: $(srcdir)/%D%/fuzz_%.c $(sa_fuzz_sources) lib/jitsrc.c lib/libstarray.la
	$(FUZZ_CC) $(sa_fuzz_cflags) -fsanitize=fuzzer -o $@ $< \
	  $(addprefix $(srcdir)/,$(sa_fuzz_sources)) lib/jitsrc.c $(sa_fuzz_cuda) $(sa_fuzz_libs)
fuzz: %D%/fuzz_npy %D%/fuzz_expr
	@for t in npy expr; do \
	  mkdir -p tests/fuzz/findings/$$t; \
	  echo "fuzz: $$t for $(FUZZ_TIME) s"; \
	  STARPU_SILENT=1 STARPU_FXT_TRACE=0 ASAN_OPTIONS=detect_leaks=0 tests/fuzz/fuzz_$$t \
	    -max_total_time=$(FUZZ_TIME) -max_len=4096 -artifact_prefix=tests/fuzz/findings/$$t/ \
	    tests/fuzz/findings/$$t $(srcdir)/tests/fuzz/corpus/$$t || exit 1; \
	done
.PHONY: fuzz
