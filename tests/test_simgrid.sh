#!/bin/sh
# SPDX-License-Identifier: MIT
# The simulation build (doc/scaling.md), when ./bootstrap --simgrid has made its
# StarPU (skipped otherwise): apps/bench/simulate_weak_scaling.sh builds libstarray
# against it, calibrates the models on this machine and simulates CFD-12 on 1, 2 and
# 4 nodes; each simulated run has as many MPI ranks as nodes, every grid point, and a
# positive throughput.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
b=$STARRAY_TOP_BUILDDIR
case "$("$STARRAY_TOP_SRCDIR/bootstrap" --simgrid --print-starpu-prefix)" in
  *"not built yet"*) echo "1..0 # SKIP no simulation StarPU (./bootstrap --simgrid builds one)"; exit 0 ;;
esac
# the calibration runs are real runs of this build: not under the sanitizers
[ -z "$SAN_CFLAGS" ] || { echo "1..0 # SKIP the simulation's calibration runs under the sanitizers"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 4
# (1024 x 1024 a node: tiles are 256 rows at every node count, the shape calibrated)
STARRAY_TOP_BUILDDIR=$b "$STARRAY_TOP_SRCDIR/apps/bench/simulate_weak_scaling.sh" --max-nodes 4 \
  --nx 1024 --rows 1024 --steps 1 --out "$tmp/sim" >"$tmp/out" 2>&1
st=$?; ok $st "simulate_weak_scaling.sh --max-nodes 4 ran"
[ $st -eq 0 ] || tail -20 "$tmp/out" | diag
for p in 1 2 4; do
  grep -q "\"nx\": 1024, \"ny\": $((1024 * p)),.*\"ranks\": $p," "$tmp/sim/run.$p" 2>/dev/null &&
    awk -F'\t' -v p=$p '$1 == p && $3 > 0 { f = 1 } END { exit !f }' "$tmp/sim/weak_scaling.tsv"
  ok $? "$p simulated node(s): $p rank(s), 1024 x $((1024 * p)) points, a throughput"
done
finish
