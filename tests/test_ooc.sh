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
run="--nx 2048 --ny 2048 --steps 2 --nit 3 --sa-ncpus=2"
mkdir "$tmp/full" "$tmp/ooc"
"$app" $run --save "$tmp/full" >"$tmp/full.out" 2>&1; ok $? "an unlimited run"
[ $? -eq 0 ] || diag "$tmp/full.out"
"$app" $run --sa-cpu-mem=96 --sa-disk-swap="$tmp/swap" --save "$tmp/ooc" >"$tmp/ooc.out" 2>&1
st=$?; ok $st "the same run in 96 MiB with tiles swapped to disk"
[ $st -eq 0 ] || diag "$tmp/ooc.out"
peak() { sed -n 's/.*peak memory \([0-9]*\) MiB.*/\1/p' "$1"; }
full=$(peak "$tmp/full.out") ooc=$(peak "$tmp/ooc.out")
if [ -n "$SAN_CFLAGS" ]; then # AddressSanitizer keeps freed memory in its quarantine
  echo "ok $((sat_n + 1)) - # SKIP peak memory under the sanitizers (${ooc:-?} and ${full:-?} MiB)"
  sat_n=$((sat_n + 1))
else
  [ -n "$full" ] && [ -n "$ooc" ] && [ $((ooc + 64)) -lt "$full" ]
  ok $? "peak memory ${ooc:-?} MiB, at least 64 MiB below the unlimited run's ${full:-?} MiB"
fi
same=0
for f in u v p; do cmp -s "$tmp/full/$f.npy" "$tmp/ooc/$f.npy" || same=1; done
ok $same "u, v and p bitwise the unlimited run's"
"$app" --nx 64 --ny 64 --steps 1 --nit 1 --sa-ncpus=1 --sa-disk-swap="$tmp/swap2" \
  >"$tmp/warn.out" 2>&1
grep -q "without --sa-cpu-mem" "$tmp/warn.out"; ok $? "--sa-disk-swap alone is said to do little"
[ -d "$tmp/swap2" ]; ok $? "the swap directory is created"
# CFD-12 at 128^2 submits runs of 13 KiB of arguments faster than they run: 300 steps
# ahead they once held 60 MiB (8192 pending tasks); now at most 4 MiB of them wait
"$app" --nx 128 --ny 128 --steps 2 --sa-ncpus=2 >"$tmp/short.out" 2>&1
"$app" --nx 128 --ny 128 --steps 300 --sa-ncpus=2 >"$tmp/long.out" 2>&1
short=$(peak "$tmp/short.out") long=$(peak "$tmp/long.out")
if [ -n "$SAN_CFLAGS" ]; then
  echo "ok $((sat_n + 1)) - # SKIP pending memory under the sanitizers (${long:-?}, ${short:-?} MiB)"
  sat_n=$((sat_n + 1))
else
  [ -n "$short" ] && [ -n "$long" ] && [ "$long" -lt $((short + 16)) ]
  st=$? what="peak memory ${long:-?} MiB, within 16 MiB of 2 steps' ${short:-?} MiB"
  ok $st "300 steps submitted ahead: $what"
fi
swe="$STARRAY_TOP_BUILDDIR/apps/swe/swe"
srun="--case dambreak --nx 512 --ny 512 --steps 3 --t-end inf --sa-ncpus=2 --sa-tile-size=65536"
mkdir "$tmp/sfull" "$tmp/sooc"
"$swe" $srun --save "$tmp/sfull" >"$tmp/sfull.out" 2>&1; ok $? "shallow water: an unlimited run"
[ $? -eq 0 ] || diag "$tmp/sfull.out"
"$swe" $srun --sa-cpu-mem=31 --sa-disk-swap="$tmp/sswap" --save "$tmp/sooc" >"$tmp/sooc.out" 2>&1
st=$?; ok $st "the same run in 31 MiB (a quarter of its arrays) with tiles swapped to disk"
[ $st -eq 0 ] || diag "$tmp/sooc.out"
same=0
for f in h hu hv w B; do cmp -s "$tmp/sfull/$f.npy" "$tmp/sooc/$f.npy" || same=1; done
ok $same "h, hu, hv, w and B bitwise the unlimited run's"
full=$(peak "$tmp/sfull.out") ooc=$(peak "$tmp/sooc.out")
if [ -n "$SAN_CFLAGS" ]; then
  echo "ok $((sat_n + 1)) - # SKIP peak memory under the sanitizers (${ooc:-?} and ${full:-?} MiB)"
  sat_n=$((sat_n + 1))
else
  [ -n "$full" ] && [ -n "$ooc" ] && [ "$ooc" -le $((31 + 64)) ] && [ "$ooc" -lt "$full" ]
  ok $? "peak memory ${ooc:-?} MiB: within the limit + 64 MiB, below the unlimited ${full:-?} MiB"
fi
finish
