# SPDX-License-Identifier: MIT
# starray-trace: FxT -> ViTE (paje.trace), idle-time report, activity picture.
# traces/starray-trace is the build tree's, with StarPU's own starpu_fxt_tool; make
# install writes the installed one (build-aux/install.mk runs install-starray-trace)
# with the paths of its own prefix.
noinst_SCRIPTS = %D%/starray-trace
EXTRA_DIST += %D%/starray-trace.in
CLEANFILES += %D%/starray-trace
%D%/starray-trace: %D%/starray-trace.in Makefile
	$(AM_V_GEN)$(MKDIR_P) %D% && \
	$(SED) -e 's|@SA_FXT_TOOL[@]|"$(SA_STARPU_BINDIR)/starpu_fxt_tool"|g' \
	  -e 's|@SA_FXT_LIBDIR[@]|None|g' $(srcdir)/%D%/starray-trace.in > $@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

# Where StarPU is copied into the prefix, the script finds the copy of the tool
# ($(pkglibexecdir)) and of the libraries relative to itself.
install-starray-trace: $(srcdir)/%D%/starray-trace.in
	@$(NORMAL_INSTALL)
	$(MKDIR_P) "$(DESTDIR)$(bindir)"
	@if test "$(SA_STARPU_COPY)" = yes && test -x "$(SA_STARPU_BINDIR)/starpu_fxt_tool"; then \
	  tool="os.path.join(HERE, \"`$(sa_relpath) '$(bindir)' '$(pkglibexecdir)'`/starpu_fxt_tool\")"; \
	  libdir="os.path.join(HERE, \"`$(sa_relpath) '$(bindir)' '$(libdir)'`\")"; \
	else \
	  tool='"$(SA_STARPU_BINDIR)/starpu_fxt_tool"' libdir=None; \
	fi; \
	f="$(DESTDIR)$(bindir)/starray-trace"; \
	echo "writing $$f"; \
	$(SED) -e "s|@SA_FXT_TOOL[@]|$$tool|g" -e "s|@SA_FXT_LIBDIR[@]|$$libdir|g" \
	  $(srcdir)/%D%/starray-trace.in > "$$f.tmp" && chmod 755 "$$f.tmp" && mv "$$f.tmp" "$$f"
uninstall-starray-trace:
	@$(NORMAL_UNINSTALL)
	rm -f "$(DESTDIR)$(bindir)/starray-trace"
.PHONY: install-starray-trace uninstall-starray-trace
