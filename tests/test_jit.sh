#!/bin/sh
# SPDX-License-Identifier: MIT
# Compiled kernels (lib/jit.c): they are made and found again in the cache; a
# compiler that fails or is missing, and a broken cache entry, leave the results
# right (interpreted, one warning; the entry made again); two processes compiling
# the same kernels at once both succeed; --sa-jit=off compiles nothing. Values are
# checked against sums worked out by hand: x = 0, 1, ..., 999. Four kernels: the two
# statements, the reductions of y and z (one kernel: both load a float64 row) and
# the reduction of x * x - 1.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
b=$STARRAY_TOP_BUILDDIR
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 15
unset STARRAY_JIT STARRAY_JIT_CACHE STARRAY_JIT_CC
"$PYTHON_NUMPY" -c "import numpy as np; np.save('$tmp/x.npy', np.arange(1000.0))" 2>/dev/null ||
  printf '' >/dev/null
# sum(x * 2 + 1) = 2 * 499500 + 1000 = 1000000; sum(x // 3) = 3 * (0 + .. + 332) + 333 = 166167;
# sum(x * x - 1) = 999 * 1000 * 1999 / 6 - 1000 = 332832500
cat >"$tmp/s.txt" <<EOS
load x $tmp/x.npy
new y x * 2 + 1
reduce $tmp/out sum y
new z x // 3
reduce $tmp/out sum z
reduce $tmp/out sum x * x - 1
EOS
run() { rm -f "$tmp/out"; "$b/tests/sa_script" "$tmp/s.txt" --sa-ncpus=1 --sa-verbose=2 "$@" 2>&1; }
right() { [ "$(cut -d' ' -f1 "$tmp/out" 2>/dev/null | tr '\n' ' ')" = "1000000 166167 332832500 " ]; }

out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c1")
right && echo "$out" | grep -q "compiled kernels: 4 compiled, 0 found in the cache, 0 failed"
ok $? "--sa-jit=sync: four kernels compiled, right sums"
[ $? -eq 0 ] || echo "$out" | diag
[ "$(ls "$tmp/c1" | grep -c '\.so$')" -eq 4 ] && [ -z "$(ls "$tmp/c1" | grep -v '\.so$')" ]
ok $? "the cache holds the four shared objects and nothing else"
out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c1")
right && echo "$out" | grep -q "0 compiled, 4 found in the cache"
ok $? "a second run finds all four in the cache and compiles nothing"
out=$(run --sa-jit=on --sa-jit-cache="$tmp/c1")
right; ok $? "--sa-jit=on (in the background): right sums"
out=$(run --sa-jit=off --sa-jit-cache="$tmp/c3")
right && [ ! -e "$tmp/c3" ] && ! echo "$out" | grep -q "compiled kernels"
ok $? "--sa-jit=off: right sums, no cache made, no report"

out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c4" --sa-jit-cc=/bin/false)
right && [ "$(echo "$out" | grep -c "statements are interpreted, not compiled")" -eq 1 ] &&
  echo "$out" | grep -q "0 compiled, 0 found in the cache, 4 failed"
ok $? "a compiler that fails: right sums, interpreted, one warning"
[ $? -eq 0 ] || echo "$out" | diag
out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c5" --sa-jit-cc=/no/such/cc)
right && echo "$out" | grep -q "interpreted, not compiled: .*cannot run /no/such/cc"
ok $? "a compiler that is missing: right sums, the warning names it"
out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c5" --sa-jit=off)
right && ! echo "$out" | grep -q warning
ok $? "--sa-jit=off silences the warning"

for f in "$tmp"/c1/*.so; do echo "not a shared object" >"$f"; done
out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c1")
right && echo "$out" | grep -q "4 compiled, 0 found in the cache, 0 failed"
ok $? "broken cache entries are made again"
out=$(run --sa-jit=sync --sa-jit-cache="$tmp/c1")
echo "$out" | grep -q "0 compiled, 4 found in the cache"; ok $? "and are found the next time"

# two processes, one empty cache, the same kernels at once
( run --sa-jit=sync --sa-jit-cache="$tmp/c6" >"$tmp/p1" ) &
rm -f "$tmp/out2"
sed "s|$tmp/out|$tmp/out2|" "$tmp/s.txt" >"$tmp/s2.txt"
"$b/tests/sa_script" "$tmp/s2.txt" --sa-ncpus=1 --sa-jit=sync --sa-jit-cache="$tmp/c6" >"$tmp/p2" 2>&1
wait
right && [ "$(cut -d' ' -f1 "$tmp/out2" | tr '\n' ' ')" = "1000000 166167 332832500 " ] &&
  [ "$(ls "$tmp/c6" | grep -c '\.so$')" -eq 4 ] && [ -z "$(ls "$tmp/c6" | grep -v '\.so$')" ]
ok $? "two processes compiling into one cache at once: both right, four objects, no leftovers"

# what compilers of ended processes left: old temporaries of a process that is gone
# are removed; a fresh one (a live compile elsewhere) and a live process's stay
mkdir -p "$tmp/c7"
dead=2147483647 k="$tmp/c7/k0123456789abcdef.so"
for f in $k.$dead.7f00.tmp $k.$dead.7f00.tmp.c $k.$dead.7f01.tmp $k.$$.7f02.tmp; do
  echo leftover >"$f"
done
touch -d '1 hour ago' $k.$dead.7f00.tmp $k.$dead.7f00.tmp.c $k.$$.7f02.tmp
run --sa-jit=sync --sa-jit-cache="$tmp/c7" >/dev/null
right && [ ! -e $k.$dead.7f00.tmp ] && [ ! -e $k.$dead.7f00.tmp.c ] && [ -e $k.$dead.7f01.tmp ] &&
  [ -e $k.$$.7f02.tmp ]
ok $? "stale temporaries of ended processes are removed, recent or live ones kept"
[ $? -eq 0 ] || ls -l "$tmp/c7" | diag

# a statement with extra results (sa_eval_reduce): its kernel stores y = 2x + 1 and
# gives the reductions their values; sum(y) = 1000000, sum((y - x)**2) = sum((x + 1)**2)
# = 1000 * 1001 * 2001 / 6 = 333833500, sum(x**2) = 332833500 (x read in place)
cat >"$tmp/e.txt" <<EOS
load x $tmp/x.npy
new y x * 0
evalred $tmp/eout y - x * 2 + 1 ; sum _ ; sum (_ - x)**2 ; sum x**2
reduce $tmp/eout sum y
EOS
for jit in sync off; do
  rm -f "$tmp/eout"
  out=$("$b/tests/sa_script" "$tmp/e.txt" --sa-ncpus=1 --sa-verbose=2 --sa-jit=$jit \
        --sa-jit-cache="$tmp/c8" 2>&1)
  [ "$(cut -d' ' -f1 "$tmp/eout" 2>/dev/null | tr '\n' ' ')" = "1000000 333833500 332833500 1000000 " ]
  r=$?
  if [ $jit = sync ]; then echo "$out" | grep -q "compiled kernels: 3 compiled" || r=1; fi
  ok $r "sa_eval_reduce with --sa-jit=$jit: the statement and its three sums right"
  [ $r -eq 0 ] || { echo "$out"; cat "$tmp/eout"; } | diag
done

"$b/apps/info/starray-info" --no-self-test --sa-jit-cache="$tmp/c1" 2>&1 | grep -q "compiled statements: on, compiler .*, cache $tmp/c1"
ok $? "starray-info shows that kernels are compiled, with what and where"
finish
