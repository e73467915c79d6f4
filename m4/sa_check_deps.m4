# SPDX-License-Identifier: MIT
# SA_CHECK_HWLOC, SA_CHECK_CBLAS, SA_CHECK_PYTHON_NUMPY: the other dependencies, each
# failing with the Debian package to install.
AC_DEFUN([SA_CHECK_HWLOC], [
  PKG_CHECK_MODULES([HWLOC], [hwloc], [],
    [AC_MSG_ERROR([hwloc not found; install it: apt-get install libhwloc-dev])])
])
AC_DEFUN([SA_CHECK_CBLAS], [
  PKG_CHECK_MODULES([CBLAS], [openblas], [],
    [AC_CHECK_LIB([openblas], [cblas_dgemm], [CBLAS_LIBS=-lopenblas],
      [AC_MSG_ERROR([no CBLAS found; install one: apt-get install libopenblas-dev])])])
  sa_save_CPPFLAGS=$CPPFLAGS; CPPFLAGS="$CPPFLAGS $CBLAS_CFLAGS"
  AC_CHECK_HEADER([cblas.h], [],
    [AC_MSG_ERROR([cblas.h not found; install it: apt-get install libopenblas-dev])])
  CPPFLAGS=$sa_save_CPPFLAGS
  dnl OpenBLAS starts threads of its own; inside StarPU workers it must use one.
  sa_save_LIBS=$LIBS; LIBS="$CBLAS_LIBS $LIBS"
  AC_CHECK_FUNC([openblas_set_num_threads], [sa_openblas=1], [sa_openblas=0])
  LIBS=$sa_save_LIBS
  AC_DEFINE_UNQUOTED([SA_HAVE_OPENBLAS], [$sa_openblas], [the CBLAS is OpenBLAS])
  AC_SUBST([CBLAS_CFLAGS])
  AC_SUBST([CBLAS_LIBS])
])
AC_DEFUN([SA_CHECK_PYTHON_NUMPY], [
  dnl Tests compare against NumPy; prefer Debian's python3 (python3-numpy).
  AC_ARG_VAR([PYTHON_NUMPY], [a Python 3 interpreter that can import numpy (tests)])
  AC_MSG_CHECKING([for a python3 with numpy])
  AS_IF([test -z "$PYTHON_NUMPY"], [
    for sa_py in /usr/bin/python3 `command -v python3`; do
      AS_IF([$sa_py -c 'import numpy' >/dev/null 2>&1], [PYTHON_NUMPY=$sa_py; break])
    done])
  AS_IF([test -n "$PYTHON_NUMPY"], [AC_MSG_RESULT([$PYTHON_NUMPY])],
    [AC_MSG_RESULT([no]); AC_MSG_WARN([tests that compare with NumPy will be skipped; apt-get install python3-numpy])])
])
