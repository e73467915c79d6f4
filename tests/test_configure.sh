#!/bin/sh
# SPDX-License-Identifier: MIT
# configure's refusals: a StarPU prefix that does not exist, --enable-cuda=yes
# without nvcc, a bad --enable-cuda or --enable-mpi value. Each must fail and say why.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 8
# A copy of just what configure reads before it fails, so the test also works when
# the source tree itself is configured (an in-tree build refuses a second configure).
mkdir -p "$tmp/src/lib" "$tmp/build"
cp "$STARRAY_TOP_SRCDIR/configure" "$tmp/src/"
cp -R "$STARRAY_TOP_SRCDIR/build-aux" "$tmp/src/"
cp "$STARRAY_TOP_SRCDIR/lib/starray.h" "$tmp/src/lib/"
cd "$tmp/build" || exit 1

"$tmp/src/configure" --with-starpu=/nonexistent/starpu >log 2>&1
ok $(( $? == 0 )) "--with-starpu=/nonexistent fails"
grep -q "with-starpu=/nonexistent/starpu: no such directory" log; ok $? "naming the path"

# NVCC pointing nowhere stands for a machine without the CUDA toolkit.
"$tmp/src/configure" --enable-cuda=yes NVCC=/nonexistent/nvcc >log 2>&1
ok $(( $? == 0 )) "--enable-cuda=yes without nvcc fails"
grep -q "enable-cuda=yes but CUDA is unusable: missing nvcc" log; ok $? "saying nvcc is missing"
[ $? -eq 0 ] || tail -5 log | diag

"$tmp/src/configure" --enable-cuda=perhaps >log 2>&1
ok $(( $? == 0 )) "--enable-cuda=perhaps fails"
grep -q "expected auto, yes or no" log; ok $? "listing the valid values"

"$tmp/src/configure" --enable-mpi=perhaps >log 2>&1
ok $(( $? == 0 )) "--enable-mpi=perhaps fails"
grep -q "enable-mpi=perhaps: expected auto, yes or no" log; ok $? "listing the valid values"
finish
