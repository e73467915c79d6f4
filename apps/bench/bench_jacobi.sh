#!/bin/sh
# SPDX-License-Identifier: MIT
# The residual variants of legate.numpy#29 with apps/jacobi, in one go per size:
# no residual, read every iteration, read every 100, computed every 100, read with a
# lag of 2. Usage (build directory): apps/bench/bench_jacobi.sh [N:ITERS ...]
# (default 2001:100). Prints iterations/s and the slowdown against no residual.
set -eu
top=${STARRAY_TOP_BUILDDIR:-.}
[ $# -gt 0 ] || set -- 2001:100
printf '%-12s %-28s %14s %10s\n' grid variant "iterations/s" "vs none"
for spec in "$@"; do
  n=${spec%%:*} it=${spec##*:} base=""
  for v in "none:--residual-every 1000000000" "read every iteration:" \
           "read every 100:--check-every 100" "computed every 100:--residual-every 100" \
           "read with lag 2:--check-lag 2"; do
    name=${v%%:*} args=${v#*:}
    # shellcheck disable=SC2086
    r=$("$top/apps/jacobi/jacobi" --n "$n" --max-iters "$it" --target 1e-300 $args --json |
        sed -n 's/.*"iterations_per_s": \([0-9.e+-]*\).*/\1/p')
    [ -n "$base" ] || base=$r
    awk -v g="${n}x${n}" -v name="$name" -v r="$r" -v b="$base" \
      'BEGIN {printf "%-12s %-28s %14.1f %9.0f%%\n", g, name, r, 100 * (r / b - 1)}'
  done
done
