# SPDX-License-Identifier: MIT
# A prefix that holds what it needs. Unless the dynamic linker finds StarPU by itself
# (configure says which), make install copies the StarPU libraries libstarray was
# built with into $(libdir), and every installed file finds the others relative to
# its own place ($ORIGIN in run-time paths), so that `make install prefix=DIR` works
# whatever configure's --prefix was, and the prefix can be moved or copied. The files
# that name the prefix (starray.pc, starray-trace) are written by make install itself,
# with the directories of that make (doc/install.md).
sa_relpath = $(SHELL) $(top_srcdir)/build-aux/relpath.sh
EXTRA_DIST += build-aux/relpath.sh starray.pc.in

# The installed programs find libstarray in $(libdir) relative to $(bindir); they are
# linked again when that changes (make install bindir=... libdir=...).
sa_bin_to_lib = $(shell $(sa_relpath) '$(bindir)' '$(libdir)')
sa_bin_rpath = -Wl,-rpath,'$$ORIGIN/$(sa_bin_to_lib)'
apps/bin-rpath.stamp: sa-force
	@$(MKDIR_P) apps && echo '$(sa_bin_to_lib)' > $@.tmp && \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
CLEANFILES += apps/bin-rpath.stamp
sa-force:
.PHONY: sa-force

noinst_PROGRAMS += build-aux/setrunpath
build_aux_setrunpath_SOURCES = build-aux/setrunpath.c
sa_setrunpath = $(top_builddir)/build-aux/setrunpath$(EXEEXT)
if SA_STARPU_COPY
# libstarray finds StarPU beside itself: installed, the copies; in the build tree,
# links to StarPU's own libraries in lib/.libs (made before libstarray is linked,
# against them: SA_LIB_STARPU_LIBS).
lib_libstarray_la_LDFLAGS += -Wl,-rpath,'$$ORIGIN'
EXTRA_lib_libstarray_la_DEPENDENCIES = lib/.libs/starpu-links.stamp
endif
lib/.libs/starpu-links.stamp: $(top_builddir)/config.status
	$(AM_V_GEN)$(MKDIR_P) lib/.libs && \
	for s in $(SA_STARPU_COPY_LIBS); do \
	  for f in "$(sa_starpu_libdir)/$$s".so*; do \
	    test -e "$$f" && ln -sf "$$f" lib/.libs/ || exit 1; \
	  done; \
	done && touch $@

install-exec-local: install-starray-trace
install-data-local: install-starray-pc
install-exec-hook: install-starpu-copy install-bin-runpath
uninstall-local: uninstall-starray-trace uninstall-starray-pc uninstall-starpu-copy

# StarPU's libraries (symbolic links as links) into $(libdir), their run-time path
# to the StarPU build's directory replaced by $ORIGIN, and starpu_fxt_tool (which
# starray-trace runs) into $(pkglibexecdir). Where the new path does not fit in
# place, set_runpath drops the old one: libstarray loads the libraries itself, and
# starray-trace sets LD_LIBRARY_PATH for the tool. libstarray.la names $(libdir)
# instead of the build tree's links, and this make's $(libdir) (libtool writes
# configure's).
install-starpu-copy:
	@$(NORMAL_INSTALL)
	@test "$(SA_STARPU_COPY)" = yes || exit 0; \
	set_runpath() { \
	  $(sa_setrunpath) "$$1" '$(sa_starpu_libdir)' "$$2"; rc=$$?; \
	  test $$rc = 3 && $(sa_setrunpath) "$$1" '$(sa_starpu_libdir)' '' && rc=0 && \
	    echo " (dropped the StarPU build's directory from $$1's run-time path instead)"; \
	  test $$rc = 0 || \
	    echo "warning: $$1 still has $(sa_starpu_libdir) in its run-time path" >&2; }; \
	$(MKDIR_P) "$(DESTDIR)$(libdir)" || exit 1; \
	for s in $(SA_STARPU_COPY_LIBS); do \
	  for f in "$(sa_starpu_libdir)/$$s".so*; do \
	    d="$(DESTDIR)$(libdir)/`basename "$$f"`"; \
	    if test -h "$$f"; then \
	      t=`readlink "$$f"`; t=`basename "$$t"`; \
	      echo " ln -s $$t '$$d'"; rm -f "$$d" && ln -s "$$t" "$$d" || exit 1; \
	    else \
	      echo " $(INSTALL_PROGRAM) '$$f' '$$d'"; \
	      $(INSTALL_PROGRAM) "$$f" "$$d" || exit 1; \
	      set_runpath "$$d" '$$ORIGIN'; \
	    fi; \
	  done; \
	done; \
	f="$(SA_STARPU_BINDIR)/starpu_fxt_tool"; \
	if test -x "$$f"; then \
	  d="$(DESTDIR)$(pkglibexecdir)/starpu_fxt_tool"; \
	  $(MKDIR_P) "$(DESTDIR)$(pkglibexecdir)" && \
	  echo " $(INSTALL_PROGRAM) '$$f' '$$d'" && \
	  $(INSTALL_PROGRAM) "$$f" "$$d" || exit 1; \
	  set_runpath "$$d" "\$$ORIGIN/`$(sa_relpath) '$(pkglibexecdir)' '$(libdir)'`"; \
	fi; \
	la="$(DESTDIR)$(libdir)/libstarray.la"; \
	if test -f "$$la"; then \
	  $(SED) -e 's|-L$(abs_top_builddir)/lib/\.libs|-L$(libdir)|g' \
	    -e "s|^libdir=.*|libdir='$(libdir)'|" "$$la" > "$$la.tmp" && \
	  mv "$$la.tmp" "$$la"; \
	fi
# libtool links the installed programs with configure's $(libdir) as a second
# run-time path where that is not a system directory; it goes (the $ORIGIN one stays).
install-bin-runpath:
	@$(NORMAL_INSTALL)
	@conf=`$(SED) -n "s/^libdir='\(.*\)'$$/\1/p" $(top_builddir)/lib/libstarray.la`; \
	test -n "$$conf" || exit 0; \
	for p in $(bin_PROGRAMS); do \
	  f="$(DESTDIR)$(bindir)/`echo "$$p" | $(SED) 's|.*/||;s/$(EXEEXT)$$//;$(transform);s/$$/$(EXEEXT)/'`"; \
	  $(sa_setrunpath) "$$f" "$$conf" '' || \
	    echo "warning: $$f still has $$conf in its run-time path" >&2; \
	done
uninstall-starpu-copy:
	@$(NORMAL_UNINSTALL)
	@for s in $(SA_STARPU_COPY_LIBS); do \
	  echo " rm -f '$(DESTDIR)$(libdir)/'$$s.so*"; rm -f "$(DESTDIR)$(libdir)/$$s".so*; \
	done
	rm -f "$(DESTDIR)$(pkglibexecdir)/starpu_fxt_tool"
	-rmdir "$(DESTDIR)$(pkglibexecdir)" 2>/dev/null

# starray.pc: the directories of this make install, written relative to one another
# where they are (${prefix}/lib), so that pkg-config --define-prefix can move them.
install-starray-pc: $(srcdir)/starray.pc.in
	@$(NORMAL_INSTALL)
	$(MKDIR_P) "$(DESTDIR)$(pkgconfigdir)"
	@p='$(prefix)' e='$(exec_prefix)' l='$(libdir)' i='$(includedir)'; \
	case $$l in "$$e"/*) l="\$${exec_prefix}$${l#"$$e"}" ;; esac; \
	case $$e in "$$p") e='$${prefix}' ;; "$$p"/*) e="\$${prefix}$${e#"$$p"}" ;; esac; \
	case $$i in "$$p"/*) i="\$${prefix}$${i#"$$p"}" ;; esac; \
	f="$(DESTDIR)$(pkgconfigdir)/starray.pc"; echo " writing $$f"; \
	$(SED) -e "s|@prefix[@]|$$p|g" -e "s|@exec_prefix[@]|$$e|g" \
	  -e "s|@libdir[@]|$$l|g" -e "s|@includedir[@]|$$i|g" \
	  -e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
	  -e 's|@CBLAS_LIBS[@]|$(CBLAS_LIBS)|g' -e 's|@SA_PC_STARPU_LIBS[@]|$(SA_PC_STARPU_LIBS)|g' \
	  -e 's|@MPI_LIBS[@]|$(MPI_LIBS)|g' -e 's|@HWLOC_LIBS[@]|$(HWLOC_LIBS)|g' \
	  -e 's|@CUDA_LIBS[@]|$(CUDA_LIBS)|g' $(srcdir)/starray.pc.in > "$$f.tmp" && \
	mv "$$f.tmp" "$$f"
uninstall-starray-pc:
	@$(NORMAL_UNINSTALL)
	rm -f "$(DESTDIR)$(pkgconfigdir)/starray.pc"
.PHONY: install-starpu-copy uninstall-starpu-copy install-bin-runpath install-starray-pc \
  uninstall-starray-pc
