#!/bin/sh
# SPDX-License-Identifier: MIT
# Arrays larger than the memory given to them: CFD-12 at 2048^2 (7 arrays of 32 MiB)
# with --sa-cpu-mem=96 and --sa-disk-swap gives bitwise the fields of an unlimited run;
# so does the shallow-water solver with its 61 arrays at 4x the limit (512^2 cells,
# 124 MiB of arrays in 31 MiB), within the limit plus 64 MiB; tasks submitted far
# ahead of the workers hold little memory.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
app="$STARRAY_TOP_BUILDDIR/apps/cfd12/cfd12"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 11
peak() { sed -n 's/.*peak memory \([0-9]*\) MiB.*/\1/p' "$1"; }
# limited NAME MIB FIELDS APP ARGS..: the run unlimited and in MIB MiB with tiles
# swapped to disk (two checks), its saved FIELDS compared (one); sets full and lim
# to the two peaks in MiB
limited() {
  name=$1 mib=$2 fields=$3; shift 3
  mkdir "$tmp/$name.full" "$tmp/$name.lim"
  "$@" --save "$tmp/$name.full" >"$tmp/$name.full.out" 2>&1
  st=$?; ok $st "$name: an unlimited run"
  [ $st -eq 0 ] || diag "$tmp/$name.full.out"
  "$@" --sa-cpu-mem="$mib" --sa-disk-swap="$tmp/$name.swap" --save "$tmp/$name.lim" \
    >"$tmp/$name.lim.out" 2>&1
  st=$?; ok $st "$name: the same run in $mib MiB with tiles swapped to disk"
  [ $st -eq 0 ] || diag "$tmp/$name.lim.out"
  same=0
  for f in $fields; do cmp -s "$tmp/$name.full/$f.npy" "$tmp/$name.lim/$f.npy" || same=1; done
  ok $same "$name: $fields bitwise the unlimited run's"
  full=$(peak "$tmp/$name.full.out") lim=$(peak "$tmp/$name.lim.out")
}
# memory_ok STATUS WHAT: a peak-memory check, skipped under the sanitizers
# (AddressSanitizer keeps freed memory in its quarantine)
memory_ok() {
  if [ -n "$SAN_CFLAGS" ]; then
    echo "ok $((sat_n + 1)) - # SKIP under the sanitizers: $2"
    sat_n=$((sat_n + 1))
  else
    ok "$1" "$2"
  fi
}
limited cfd12 96 "u v p" "$app" --nx 2048 --ny 2048 --steps 2 --nit 3 --sa-ncpus=2
[ -n "$full" ] && [ -n "$lim" ] && [ $((lim + 64)) -lt "$full" ]
memory_ok $? "peak memory ${lim:-?} MiB, at least 64 MiB below the unlimited run's ${full:-?} MiB"
"$app" --nx 64 --ny 64 --steps 1 --nit 1 --sa-ncpus=1 --sa-disk-swap="$tmp/swap2" \
  >"$tmp/warn.out" 2>&1
grep -q "without --sa-cpu-mem" "$tmp/warn.out"; ok $? "--sa-disk-swap alone is said to do little"
[ -d "$tmp/swap2" ]; ok $? "the swap directory is created"
# CFD-12 at 128^2 submits runs of 13 KiB of arguments faster than they run: 300 steps
# ahead they once held 60 MiB (8192 pending tasks); now at most 4 MiB of them wait
"$app" --nx 128 --ny 128 --steps 2 --sa-ncpus=2 >"$tmp/short.out" 2>&1
"$app" --nx 128 --ny 128 --steps 300 --sa-ncpus=2 >"$tmp/long.out" 2>&1
short=$(peak "$tmp/short.out") long=$(peak "$tmp/long.out")
[ -n "$short" ] && [ -n "$long" ] && [ "$long" -lt $((short + 16)) ]
memory_ok $? "300 steps submitted ahead: peak memory ${long:-?} MiB, within 16 MiB of 2 steps' ${short:-?} MiB"
limited swe 31 "h hu hv w B" "$STARRAY_TOP_BUILDDIR/apps/swe/swe" --case dambreak --nx 512 \
  --ny 512 --steps 3 --t-end inf --sa-ncpus=2 --sa-tile-size=65536
[ -n "$full" ] && [ -n "$lim" ] && [ "$lim" -le $((31 + 64)) ] && [ "$lim" -lt "$full" ]
memory_ok $? "swe: peak memory ${lim:-?} MiB, within the limit + 64 MiB, below the unlimited ${full:-?} MiB"
finish
