#!/bin/sh
# SPDX-License-Identifier: MIT
# CFD step 12 on one rank with 2 CPU workers against 2 MPI ranks with 1 worker each,
# alternating, ROUNDS times: throughput, the ratio within each round, and the bytes
# rank 0 sent per step next to the halo of the 2-rank row split.
# Usage (build directory): apps/bench/bench_mpi.sh [N [STEPS [ROUNDS]]] (default
# 1024 6 3). Needs mpiexec.
set -eu
top=${STARRAY_TOP_BUILDDIR:-.}
n=${1:-1024} steps=${2:-6} rounds=${3:-3}
cfd="$top/apps/cfd12/cfd12 --nx $n --ny $n --steps $steps --warmup 1 --json"
mpi="mpiexec --allow-run-as-root --oversubscribe --bind-to none --mca mpi_yield_when_idle 1 \
  -x STARPU_WORKERS_NOBIND=1 -np 2"
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p"; }
# Rank 0 owns the lower half of the rows and sends rank 1 the row below rank 1's
# first one for each array read as [0:-2, ...]: u and v for b, pn in every pressure
# iteration, un for u, vn and p for v: 5 + nit arrays, each n - 2 interior values and
# one value for each of the two periodic edge columns, i.e. (5 + nit) * n values.
nit=50
halo=$(( (5 + nit) * n * 8 ))
printf '%-6s %-22s %14s %8s %14s\n' round run "points/s" ratio "bytes/step"
r=1
while [ "$r" -le "$rounds" ]; do
  one=$($cfd --sa-ncpus=2 | field points_per_s)
  # shellcheck disable=SC2086
  out=$($mpi $cfd --sa-ncpus=1 --sa-mpi-stats 2>/dev/null | grep '"app"')
  two=$(echo "$out" | field points_per_s)
  bytes=$(echo "$out" | field mpi_bytes_per_step)
  printf '%-6s %-22s %14s %8s %14s\n' "$r" "1 rank x 2 workers" "$one" 1.00 -
  awk -v r="$r" -v a="$two" -v b="$one" -v s="$bytes" \
    'BEGIN {printf "%-6s %-22s %14s %8.2f %14s\n", r, "2 ranks x 1 worker", a, a / b, s}'
  r=$((r + 1))
done
echo "halo of the row split: $halo bytes/step sent by each rank"
