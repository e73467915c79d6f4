#!/bin/sh
# SPDX-License-Identifier: MIT
# --sa-math=portable against native (doc/performance.md): apps/bench/bench_math's
# call-by-call comparison with glibc, then sa_eval of each function over N elements
# interpreted (--sa-jit=off) and compiled (--sa-jit=sync), both ways, with the ratio
# portable / native. The four runs alternate ROUNDS times and each number is the
# best of its rounds (the least disturbed by anything else on the machine).
# Usage (build directory): apps/bench/bench_math.sh [N [REPS [NCPUS [ROUNDS]]]]
# (default 4000000 5 1 3).
set -eu
top=${STARRAY_TOP_BUILDDIR:-.}
n=${1:-4000000} reps=${2:-5} ncpus=${3:-1} rounds=${4:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bench=$top/apps/bench/bench_math
r=0
while [ "$r" -lt "$rounds" ]; do
  r=$((r + 1))
  "$bench" 1000000 "$reps" --sa-ncpus=1 --sa-jit=off |
    sed -n 's/.*"function": "\([a-z0-9]*\)", "glibc_ns": \([0-9.]*\), "portable_ns": \([0-9.]*\).*/\1 \2 \3/p' >>"$tmp/raw"
  for jit in off sync; do
    for math in native portable; do
      "$bench" "$n" "$reps" --no-raw --sa-ncpus="$ncpus" --sa-jit="$jit" --sa-math="$math" \
        --sa-jit-cache="$tmp/jit" |
        sed -n 's/.*"expr": "\([^"]*\)".*"ns_per_element": \([0-9.]*\).*/\1|\2/p' >>"$tmp/$jit.$math"
    done
  done
done
# the best of the rounds, in the order of the first
best() { awk -F'|' '!($1 in b) || $2 < b[$1] { if (!($1 in b)) o[++k] = $1; b[$1] = $2 }
                    END { for (i = 1; i <= k; i++) print o[i] "|" b[o[i]] }' "$1"; }
printf 'one call on one thread, ns (best of %d rounds):\n' "$rounds"
printf '%-8s %8s %9s %6s\n' function glibc portable ratio
awk '!($1 in g) { o[++k] = $1; g[$1] = $2; p[$1] = $3 } $2 < g[$1] { g[$1] = $2 }
     $3 < p[$1] { p[$1] = $3 }
     END { for (i = 1; i <= k; i++) printf "%-8s %8.2f %9.2f %6.2f\n", o[i], g[o[i]], p[o[i]],
           p[o[i]] / g[o[i]] }' "$tmp/raw"
printf '\nsa_eval over %d float64 elements, %s CPU worker(s), ns per element:\n' "$n" "$ncpus"
printf '%-36s %8s %9s %6s %9s %9s %6s\n' expression interp. portable ratio compiled \
  portable ratio
for f in off.native off.portable sync.native sync.portable; do best "$tmp/$f" >"$tmp/$f.best"; done
paste -d'|' "$tmp/off.native.best" "$tmp/off.portable.best" "$tmp/sync.native.best" \
  "$tmp/sync.portable.best" |
  awk -F'|' '{ printf "%-36s %8.2f %9.2f %6.2f %9.2f %9.2f %6.2f\n", $1, $2, $4, $4 / $2, $6,
               $8, $8 / $6 }'
