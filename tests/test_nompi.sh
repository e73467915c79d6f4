#!/bin/sh
# SPDX-License-Identifier: MIT
# A libstarray built without MPI that is started by mpirun says so instead of running
# N unknowing copies. The library is compiled again here with SA_HAVE_MPI 0 (and no
# CUDA), straight from the sources, into a copy of tests/sa_script.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
if [ "$SA_MPI" != yes ] || [ -z "$MPIEXEC" ]; then
  echo "1..0 # SKIP needs an MPI build and mpiexec"; exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 7
src=$STARRAY_TOP_SRCDIR
sed -e 's/^#define SA_HAVE_MPI 1/#define SA_HAVE_MPI 0/' \
    -e 's/^#define SA_HAVE_CUDA 1/#define SA_HAVE_CUDA 0/' \
    "$STARRAY_TOP_BUILDDIR/sa_config.h" > "$tmp/sa_config.h"
# the library's sources, and the one the build generates (lib/jitsrc.c, in the build tree)
srcs=$(ls "$src"/lib/*.c | grep -v '/jitsrc\.c$')
# shellcheck disable=SC2086
$CC -std=c11 -O1 -w -D_POSIX_C_SOURCE=200809L -I"$tmp" -I"$src/lib" -I"$src/codelets" \
  $STARPU_CFLAGS $CBLAS_CFLAGS -o "$tmp/sa_script" $srcs "$STARRAY_TOP_BUILDDIR/lib/jitsrc.c" \
  "$src"/codelets/*.c "$src/tests/sa_script.c" $STARPU_LIBS $CBLAS_LIBS $HWLOC_LIBS -lm \
  >"$tmp/log" 2>&1
ok $? "libstarray compiles without MPI support"
[ -x "$tmp/sa_script" ] || { diag "$tmp/log"; finish; exit; }
mpirun() {
  "$MPIEXEC" --allow-run-as-root --oversubscribe --bind-to none -x STARPU_WORKERS_NOBIND=1 \
    -x ASAN_OPTIONS=detect_leaks=0 "$@"
}
msg="started by mpirun with several ranks, but this libstarray was built without MPI support"
mpirun -np 2 "$tmp/sa_script" /dev/null >"$tmp/out" 2>&1
ok $(( $? == 0 )) "under mpirun -np 2: sa_init fails"
[ "$(grep -c "$msg" "$tmp/out")" -eq 2 ]; ok $? "on both ranks, saying why"
grep -q -- "--sa-mpi=off to run 2 independent copies" "$tmp/out"; ok $? "and what to do"
[ $sat_fail -eq 0 ] || diag "$tmp/out"
mpirun -np 2 "$tmp/sa_script" /dev/null --sa-mpi=off >"$tmp/out" 2>&1
ok $? "--sa-mpi=off: two independent copies run"
"$tmp/sa_script" /dev/null --sa-mpi=on >"$tmp/out" 2>&1
ok $(( $? == 0 )) "--sa-mpi=on without mpirun fails too"
grep -q -- "--sa-mpi=on was given, but this libstarray was built without MPI" "$tmp/out"
ok $? "naming the option"
finish
