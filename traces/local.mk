# SPDX-License-Identifier: MIT
# starray-trace: FxT -> ViTE (paje.trace), idle-time report, activity picture.
bin_SCRIPTS += %D%/starray-trace
EXTRA_DIST += %D%/starray-trace.in
CLEANFILES += %D%/starray-trace
%D%/starray-trace: %D%/starray-trace.in Makefile
	$(AM_V_GEN)$(MKDIR_P) %D% && \
	$(SED) -e 's|@SA_STARPU_BINDIR[@]|$(SA_STARPU_BINDIR)|g' $(srcdir)/%D%/starray-trace.in > $@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
