#!/bin/sh
# SPDX-License-Identifier: MIT
# starray-info: the smoke program, --sa-help, and its errors.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
info="$STARRAY_TOP_BUILDDIR/apps/info/starray-info"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 19

env -u STARPU_SCHED "$info" --sa-ncpus=2 --sa-ncuda=0 >"$tmp/out" 2>"$tmp/err"; ok $? "runs"
grep -q "workers: 2 CPU, 0 CUDA" "$tmp/out"; ok $? "reports the 2 CPU workers asked for"
grep -q "self-test: 2 of 2 workers computed the right values" "$tmp/out"; ok $? "self-test passes"
grep -q "MPI: not in use (one process)" "$tmp/out"; ok $? "says MPI is not in use"
[ $? -eq 0 ] || diag "$tmp/out" "$tmp/err"
# the default: eager where idle workers sleep and no CUDA worker runs (--sa-ncuda=0)
want=lws
grep -q "^  idle workers: sleep$" "$tmp/out" && want=eager
grep -Eq "^  scheduler: $want \(the default; --sa-sched=NAME picks another\)$" "$tmp/out"
ok $? "names the default scheduler ($want) when none is chosen"
grep -Eq "^  idle workers: (sleep|spin \(StarPU built without --enable-blocking-drivers\))$" \
  "$tmp/out"
ok $? "says whether idle workers sleep"

# The NUMA nodes Linux lists, counted outside the library; the noun agrees with them.
nnuma=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
[ "$nnuma" -gt 0 ] || nnuma=1
[ "$nnuma" -eq 1 ] && noun="NUMA node" || noun="NUMA nodes"
grep -q "hardware (hwloc): .*, $nnuma $noun\$" "$tmp/out" && ! grep -Eq "(^|[^0-9])1 (NUMA nodes|cores|hardware threads)" "$tmp/out"
st=$?; ok $st "says '$nnuma $noun', and no '1 ...s'"
[ $st -eq 0 ] || grep hardware "$tmp/out" | diag
grep -q "^  library: .*/libstarray\.so" "$tmp/out" && grep -q "^  library: .*/libstarpu-1\.4\.so" "$tmp/out"
ok $? "names the libstarray and StarPU files it loaded"

"$info" --no-self-test --sa-ncpus=1 --sa-sched=eager >"$tmp/out" 2>&1
grep -q "^  scheduler: eager (chosen by --sa-sched or STARPU_SCHED)$" "$tmp/out"; ok $? "--sa-sched=eager: the scheduler is eager"
STARPU_SCHED=dmda "$info" --no-self-test --sa-ncpus=1 >"$tmp/out" 2>&1
grep -q "^  scheduler: dmda (chosen by --sa-sched or STARPU_SCHED)$" "$tmp/out"; st=$?
ok $st "STARPU_SCHED=dmda: the scheduler is dmda"
[ $st -eq 0 ] || grep scheduler "$tmp/out" | diag

"$info" --no-self-test --sa-help --sa-ncpus=1 >"$tmp/help" 2>&1; ok $? "--sa-help then continues"
missing=0
for o in help ncpus ncuda sched trace tile-size debug check-finite verbose gpu-mem max-pending \
         mpi mpi-dist mpi-grid mpi-stats on-error jit jit-cache jit-cc jit-dump fuse huge-pages where cpu-mem disk-swap; do
  env=STARRAY_$(echo "$o" | tr 'a-z-' 'A-Z_')
  grep -q -- "--sa-$o" "$tmp/help" && grep -q "env $env," "$tmp/help" || { missing=1; echo "# $o/$env missing"; }
done
ok $missing "--sa-help lists every option with its environment twin"
grep -q "StarPU: STARPU_NCPU" "$tmp/help"; ok $? "--sa-help names the StarPU setting"
"$info" --no-self-test --sa-tile-size=99 >"$tmp/out" 2>&1
grep -q -- "--sa-tile-size=99" "$tmp/out" && grep -q "hardware (hwloc): [1-9][0-9]* cores\?," "$tmp/out"
ok $? "starray-info prints the hardware and the effective options"

"$info" --sa-ncpu=1 >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st -eq 1 ] && grep -q "did you mean '--sa-ncpus'" "$tmp/err" && grep -q "#6 run() at apps/info/starray_info.c" "$tmp/err"
ok $? "unknown --sa- option: exit 1, suggestion and traceback to main"
[ $? -eq 0 ] || diag "$tmp/err"
"$info" --frobnicate >"$tmp/out" 2>"$tmp/err"; ok $(( $? != 2 )) "unknown app argument: exit 2"
grep -q "unknown argument '--frobnicate'" "$tmp/err"; ok $? "and says which"
"$info" --list-options >"$tmp/list" 2>&1; ok $? "--list-options runs without starting StarPU"
sed -n '/^```text$/,/^```$/p' "$STARRAY_TOP_SRCDIR/doc/options.md" | sed '1d;$d' >"$tmp/doc"
cmp -s "$tmp/doc" "$tmp/list"; ok $? "doc/options.md matches the options table (make update-options-doc)"
finish
