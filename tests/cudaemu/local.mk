# SPDX-License-Identifier: MIT
# The CUDA codelets as host C++ against the emulation in this directory: a second
# build of the library (check only, never installed) whose --sa-where=cuda runs
# every task's CUDA implementation on emulated devices, a sa_script linked with it,
# and the emulation's own test.
if SA_HAVE_CXX
check_LTLIBRARIES += %D%/libstarray_emu.la
%C%_libstarray_emu_la_SOURCES = $(lib_libstarray_la_SOURCES) %D%/cudaemu.h %D%/cudaemu.cc \
  %D%/kernels.cc
nodist_%C%_libstarray_emu_la_SOURCES = lib/jitsrc.c
%C%_libstarray_emu_la_CPPFLAGS = $(AM_CPPFLAGS) -DSAI_CUDA_EMU -I$(top_srcdir)/%D%
%C%_libstarray_emu_la_CXXFLAGS = -std=c++17 -ffp-contract=off -Wall -Wextra \
  -Wno-unused-function $(SAN_CFLAGS)
%C%_libstarray_emu_la_LIBADD = $(CBLAS_LIBS) $(STARPUMPI_LIBS) $(MPI_LIBS) $(STARPU_LIBS) \
  $(HWLOC_LIBS) -lm

check_PROGRAMS += %D%/sa_script_emu %D%/test_cudaemu
%C%_sa_script_emu_SOURCES = tests/sa_script.c
%C%_sa_script_emu_LDADD = %D%/libstarray_emu.la
nodist_EXTRA_%C%_sa_script_emu_SOURCES = force-cxx-link.cc # links with the C++ driver

%C%_test_cudaemu_SOURCES = %D%/test_cudaemu.cc %D%/cudaemu.cc %D%/cudaemu.h
%C%_test_cudaemu_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/%D%
%C%_test_cudaemu_CXXFLAGS = -std=c++17 -Wall -Wextra $(SAN_CFLAGS)
%C%_test_cudaemu_LDADD = $(STARPU_LIBS)

TESTS += %D%/test_cudaemu tests/test_cudaemu.sh
endif
EXTRA_DIST += tests/test_cudaemu.sh tests/test_cudaemu.py

# On a machine with a GPU (README): tests/check-gpu.sh into check-gpu-summary.txt.
check-gpu: all $(check_PROGRAMS)
	STARRAY_TOP_BUILDDIR="$(abs_top_builddir)" STARRAY_TOP_SRCDIR="$(abs_top_srcdir)" \
	PYTHON_NUMPY="$(PYTHON_NUMPY)" $(SHELL) $(top_srcdir)/tests/check-gpu.sh
.PHONY: check-gpu
EXTRA_DIST += tests/check-gpu.sh
CLEANFILES += check-gpu-summary.txt
