# SPDX-License-Identifier: MIT
# .cu sources become libtool objects NAME.cu.lo (so fill.c and fill.cu can share
# their stem), compiled by nvcc through build-aux/cudalt.sh. -fmad=false: a*b + c
# rounds twice, as on the CPU (no fused multiply-add), so both give the same bits.
NVCC_CPPFLAGS = -I$(top_srcdir)/lib -I$(top_srcdir)/codelets -I$(top_builddir) $(STARPU_CFLAGS)
%.cu.lo: %.cu
	$(AM_V_GEN)$(SHELL) $(top_srcdir)/build-aux/cudalt.sh $@ $(NVCC) $(NVCC_CPPFLAGS) \
	  $(NVCCFLAGS) -fmad=false -Xcompiler -fPIC,-fvisibility=hidden -c $<
EXTRA_DIST += build-aux/cudalt.sh
