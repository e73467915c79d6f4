# SPDX-License-Identifier: MIT
# SA_CHECK_STARPU: find StarPU >= 1.4 (starpu-1.4.pc) at --with-starpu=PREFIX, in the
# bootstrap's cache, or on the default pkg-config path; read its features.
AC_DEFUN([SA_CHECK_STARPU], [
  AC_ARG_WITH([starpu],
    [AS_HELP_STRING([--with-starpu=PREFIX],
      [StarPU >= 1.4 installation (default: ./bootstrap's cache, then pkg-config)])],
    [], [with_starpu=check])
  sa_starpu_cache="${STARRAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/starray}"
  sa_starpu_prefix=
  AS_CASE([$with_starpu],
    [no], [AC_MSG_ERROR([libstarray cannot be built without StarPU (--without-starpu given)])],
    [check|yes], [
      # prefer the cached build whose features match this machine (CUDA when nvcc exists)
      AC_PATH_PROG([SA_NVCC_PROBE], [nvcc], [], [$PATH:/usr/local/cuda/bin])
      # (in rising preference: builds whose idle workers sleep come last, then those that
      # open cuBLAS only for CUDA workers)
      for sa_d in "$sa_starpu_cache"/starpu-1.4.*-fxt-mpi "$sa_starpu_cache"/starpu-1.4.*-fxt-mpi-cuda \
                  "$sa_starpu_cache"/starpu-1.4.*-fxt-mpi-blocking \
                  "$sa_starpu_cache"/starpu-1.4.*-fxt-mpi-blocking-cuda \
                  "$sa_starpu_cache"/starpu-1.4.*-fxt-mpi-blocking-lazyblas-cuda; do
        AS_IF([test -f "$sa_d/.starray-complete"], [
          AS_CASE([$sa_d:$SA_NVCC_PROBE],
            [*-cuda:], [AS_IF([test -z "$sa_starpu_prefix"], [sa_starpu_prefix=$sa_d])],
            [sa_starpu_prefix=$sa_d])])
      done],
    [AS_IF([test -d "$with_starpu"], [sa_starpu_prefix=$with_starpu],
      [AC_MSG_ERROR([--with-starpu=$with_starpu: no such directory. Give the prefix of a StarPU >= 1.4 installation (the one holding lib/pkgconfig/starpu-1.4.pc), or run ./bootstrap to build one.])])])
  AS_IF([test -n "$sa_starpu_prefix"], [
    AS_IF([test "$with_starpu" != check && test "$with_starpu" != yes &&
           test ! -f "$sa_starpu_prefix/lib/pkgconfig/starpu-1.4.pc" &&
           test ! -f "$sa_starpu_prefix/lib/x86_64-linux-gnu/pkgconfig/starpu-1.4.pc"],
      [AC_MSG_ERROR([--with-starpu=$with_starpu: no lib/pkgconfig/starpu-1.4.pc there; is it a StarPU >= 1.4 prefix?])])
    PKG_CONFIG_PATH="$sa_starpu_prefix/lib/pkgconfig:$sa_starpu_prefix/lib/x86_64-linux-gnu/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    export PKG_CONFIG_PATH])
  PKG_CHECK_MODULES([STARPU], [starpu-1.4 >= 1.4.0], [],
    [AC_MSG_ERROR([StarPU >= 1.4 was not found ($STARPU_PKG_ERRORS).
  Run ./bootstrap (it builds StarPU 1.4 with FxT and MPI into $sa_starpu_cache),
  or pass --with-starpu=PREFIX. Debian's libstarpu-dev (1.3) is too old.])])
  # StarPU's and CUDA's headers are not ours to warn about
  STARPU_CFLAGS=`echo "$STARPU_CFLAGS" | $SED 's/-I/-isystem /g'`
  sa_starpu_libdir=`$PKG_CONFIG --variable=libdir starpu-1.4`
  sa_starpu_incdir=`$PKG_CONFIG --variable=starpu_includedir starpu-1.4`
  SA_STARPU_VERSION=`$PKG_CONFIG --modversion starpu-1.4`
  SA_STARPU_PREFIX=`$PKG_CONFIG --variable=prefix starpu-1.4`
  SA_STARPU_BINDIR=`$PKG_CONFIG --variable=exec_prefix starpu-1.4`/bin
  # run-time path so programs find a StarPU outside the linker's default directories
  STARPU_LIBS="$STARPU_LIBS -Wl,-rpath,$sa_starpu_libdir"
  sa_starpu_config_h="$sa_starpu_incdir/starpu_config.h"
  AS_IF([test -f "$sa_starpu_config_h"], [],
    [AC_MSG_ERROR([StarPU's starpu_config.h not found at $sa_starpu_config_h])])
  sa_starpu_fxt=no; sa_starpu_cuda=no
  grep -q "^#define STARPU_USE_FXT 1" "$sa_starpu_config_h" && sa_starpu_fxt=yes
  grep -q "^#define STARPU_USE_CUDA 1" "$sa_starpu_config_h" && sa_starpu_cuda=yes
  sa_starpu_mpi=no
  PKG_CHECK_MODULES([STARPUMPI], [starpumpi-1.4 >= 1.4.0], [sa_starpu_mpi=yes], [sa_starpu_mpi=no])
  AS_IF([test "$sa_starpu_mpi" = yes],
    [STARPUMPI_LIBS="$STARPUMPI_LIBS -Wl,-rpath,$sa_starpu_libdir"])
  AC_MSG_CHECKING([whether StarPU has FxT tracing])
  AC_MSG_RESULT([$sa_starpu_fxt])
  AC_MSG_CHECKING([whether StarPU has MPI])
  AC_MSG_RESULT([$sa_starpu_mpi])
  AC_MSG_CHECKING([whether StarPU has CUDA])
  AC_MSG_RESULT([$sa_starpu_cuda])
  AS_IF([test "$sa_starpu_fxt" = yes], [sa_have_fxt=1], [sa_have_fxt=0])
  AC_DEFINE_UNQUOTED([SA_HAVE_FXT], [$sa_have_fxt], [StarPU records FxT traces])
  AC_SUBST([SA_STARPU_VERSION])
  AC_SUBST([SA_STARPU_BINDIR])
  AC_SUBST([SA_STARPU_PREFIX])
  AC_SUBST([sa_starpu_libdir])
])

# SA_STARPU_INSTALL (after the MPI decision): whether make install copies StarPU's
# shared libraries into the prefix (unless the dynamic linker finds them without
# help), which ones, and the StarPU link flags of libstarray and of starray.pc: they
# never name the StarPU build's directory, so that no installed file does.
AC_DEFUN([SA_STARPU_INSTALL], [
  AC_MSG_CHECKING([whether make install copies StarPU's libraries into the prefix])
  sa_starpu_copy=yes
  sa_ldconfig=`PATH="$PATH:/sbin:/usr/sbin" command -v ldconfig 2>/dev/null`
  AS_CASE([$sa_starpu_libdir],
    [/lib|/lib64|/usr/lib|/usr/lib64|/lib/*-linux-gnu*|/usr/lib/*-linux-gnu*], [sa_starpu_copy=no],
    [AS_IF([test -n "$sa_ldconfig" &&
            "$sa_ldconfig" -p 2>/dev/null | grep -q "=> $sa_starpu_libdir/libstarpu-1\.4\.so"],
      [sa_starpu_copy=no])])
  # a static StarPU (the simulation build) is linked into what uses it: nothing to copy
  AS_IF([test "$sa_starpu_copy" = yes && ! ls "$sa_starpu_libdir"/libstarpu*.so >/dev/null 2>&1 &&
         test -f "$sa_starpu_libdir/libstarpu-1.4.a"], [sa_starpu_copy=no])
  AC_MSG_RESULT([$sa_starpu_copy])
  # StarPU's own libraries, and those they load from the same directory
  SA_STARPU_COPY_LIBS=
  AS_IF([test "$sa_starpu_copy" = yes], [
    for sa_f in "$sa_starpu_libdir"/libstarpu*.so `ldd "$sa_starpu_libdir"/libstarpu*.so 2>/dev/null |
        $AWK -v d="$sa_starpu_libdir/" 'index($[3], d) == 1 {print $[3]}'`; do
      test -e "$sa_f" || continue
      sa_f=`echo "$sa_f" | $SED 's|.*/||; s|\.so.*||'`
      AS_CASE([" $SA_STARPU_COPY_LIBS "], [*" $sa_f "*], [],
        [SA_STARPU_COPY_LIBS="${SA_STARPU_COPY_LIBS:+$SA_STARPU_COPY_LIBS }$sa_f"])
    done
    AS_IF([test -z "$SA_STARPU_COPY_LIBS"],
      [AC_MSG_ERROR([no libstarpu*.so in $sa_starpu_libdir])])])
  # libstarray links the copies' build-tree twins (lib/.libs, beside libstarray.so,
  # found through its RUNPATH $ORIGIN), not libtool's .la files in StarPU's directory,
  # which would make libtool hardcode that directory into the library.
  SA_LIB_STARPU_LIBS= SA_PC_STARPU_LIBS=
  for sa_w in $STARPUMPI_LIBS $STARPU_LIBS; do
    sa_lib_w=$sa_w sa_pc_w=$sa_w
    AS_CASE([$sa_w],
      ["-Wl,-rpath,$sa_starpu_libdir"], [continue],
      ["-L$sa_starpu_libdir"], [AS_IF([test "$sa_starpu_copy" = yes],
        [sa_lib_w='-L$(abs_top_builddir)/lib/.libs' sa_pc_w='-L$${libdir}'])])
    AS_CASE([" $SA_LIB_STARPU_LIBS "], [*" $sa_lib_w "*], [],
      [SA_LIB_STARPU_LIBS="${SA_LIB_STARPU_LIBS:+$SA_LIB_STARPU_LIBS }$sa_lib_w"])
    AS_CASE([" $SA_PC_STARPU_LIBS "], [*" $sa_pc_w "*], [],
      [SA_PC_STARPU_LIBS="${SA_PC_STARPU_LIBS:+$SA_PC_STARPU_LIBS }$sa_pc_w"])
  done
  AC_SUBST([SA_STARPU_COPY], [$sa_starpu_copy])
  AC_SUBST([SA_STARPU_COPY_LIBS])
  AC_SUBST([SA_LIB_STARPU_LIBS])
  AC_SUBST([SA_PC_STARPU_LIBS])
  AM_CONDITIONAL([SA_STARPU_COPY], [test "$sa_starpu_copy" = yes])
])
