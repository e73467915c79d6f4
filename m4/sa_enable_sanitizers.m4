# SPDX-License-Identifier: MIT
# SA_ENABLE_SANITIZERS: --enable-sanitizers builds everything with ASan + UBSan.
AC_DEFUN([SA_ENABLE_SANITIZERS], [
  AC_ARG_ENABLE([sanitizers],
    [AS_HELP_STRING([--enable-sanitizers], [build with AddressSanitizer and UndefinedBehaviorSanitizer])],
    [], [enable_sanitizers=no])
  SAN_CFLAGS=
  AS_IF([test "$enable_sanitizers" = yes], [
    SAN_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    sa_save_CFLAGS=$CFLAGS; CFLAGS="$CFLAGS $SAN_CFLAGS"; sa_save_LDFLAGS=$LDFLAGS; LDFLAGS="$LDFLAGS $SAN_CFLAGS"
    AC_MSG_CHECKING([whether $CC accepts $SAN_CFLAGS])
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])], [AC_MSG_RESULT([yes])],
      [AC_MSG_RESULT([no]); AC_MSG_ERROR([--enable-sanitizers: $CC cannot build with ASan/UBSan (install libasan/libubsan, part of gcc)])])
    CFLAGS=$sa_save_CFLAGS; LDFLAGS=$sa_save_LDFLAGS])
  AM_CONDITIONAL([SA_SANITIZERS], [test "$enable_sanitizers" = yes])
  AC_SUBST([SAN_CFLAGS])
])
