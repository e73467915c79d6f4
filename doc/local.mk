# SPDX-License-Identifier: MIT
EXTRA_DIST += %D%/options.md %D%/coding-style.md %D%/expressions.md %D%/performance.md \
  %D%/apps.md %D%/api.md %D%/install.md %D%/traces.md %D%/design.md %D%/mpi.md %D%/random.md %D%/scaling.md %D%/scaling-weak.png %D%/traces/jacobi-every.png %D%/traces/jacobi-lag4.png \
  %D%/traces/jacobi-check100.png %D%/traces/jacobi-residual100.png

# doc/options.md = its prose head + the output of starray-info --list-options.
update-options-doc: apps/info/starray-info$(EXEEXT)
	$(MKDIR_P) doc && { $(SED) '/^```text$$/,$$d' $(srcdir)/doc/options.md; echo '```text'; \
	  apps/info/starray-info --list-options; echo '```'; } > doc/options.md.tmp && \
	mv doc/options.md.tmp $(srcdir)/doc/options.md
.PHONY: update-options-doc
