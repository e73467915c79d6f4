#!/bin/sh
# SPDX-License-Identifier: MIT
# The residual variants of legate.numpy#29 with apps/jacobi, in one go per size:
# no residual, read every iteration, read every 100, computed every 100, read with a
# lag of 2. Usage (build directory): apps/bench/bench_jacobi.sh [--repeat R]
# [N:ITERS ...] (default 2001:100, R = 1). With R > 1 the variants run in turn R times
# (so a slow spell of a shared machine hits them all) and each gets its median.
# Prints iterations/s and the slowdown against no residual.
set -eu
top=${STARRAY_TOP_BUILDDIR:-.}
repeat=1
if [ "${1:-}" = --repeat ]; then repeat=$2; shift 2; fi
[ $# -gt 0 ] || set -- 2001:100
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-12s %-28s %14s %10s %s\n' grid variant "iterations/s" "vs none" "(all runs)"
for spec in "$@"; do
  n=${spec%%:*} it=${spec##*:}
  r=0
  while [ "$r" -lt "$repeat" ]; do
    r=$((r + 1)) k=0
    for args in "--residual-every 1000000000" "" "--check-every 100" "--residual-every 100" \
                "--check-lag 2"; do
      k=$((k + 1))
      # shellcheck disable=SC2086
      "$top/apps/jacobi/jacobi" --n "$n" --max-iters "$it" --target 1e-300 $args --json |
        sed -n 's/.*"iterations_per_s": \([0-9.e+-]*\).*/\1/p' >>"$tmp/$k"
    done
  done
  base=""
  k=0
  for name in "none" "read every iteration" "read every 100" "computed every 100" \
              "read with lag 2"; do
    k=$((k + 1))
    med=$(sort -g "$tmp/$k" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
    all=$(sort -g "$tmp/$k" | tr '\n' ' ')
    [ -n "$base" ] || base=$med
    awk -v g="${n}x${n}" -v name="$name" -v r="$med" -v b="$base" -v all="$all" \
      'BEGIN {printf "%-12s %-28s %14.1f %9.0f%% (%s)\n", g, name, r, 100 * (r / b - 1), all}'
    rm -f "$tmp/$k"
  done
done
