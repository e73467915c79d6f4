#!/bin/sh
# SPDX-License-Identifier: MIT
# CFD step 12 weak scaling on 1..N simulated nodes (StarPU-MPI on SimGrid's SMPI),
# each node with this machine's CPU workers and their calibrated performance models,
# NX x ROWS grid points per node (the grid grows along its rows, so that every node
# keeps the same tile shapes and the models calibrated here serve every size).
#
# Steps: (1) the simulation StarPU (./bootstrap --simgrid); (2) libstarray and cfd12
# built against it in OUT/build (from `make distdir`; smpicc); (3) the performance
# models calibrated by real runs of this build's cfd12 on one node (OUT/models); (4)
# the real one-node throughput, measured; (5) simulated runs on 1, 2, 4, .. N nodes;
# (6) OUT/weak_scaling.tsv, OUT/weak_scaling.md and OUT/weak_scaling.png.
# Usage (from the build directory, after make):
#   apps/bench/simulate_weak_scaling.sh [--max-nodes N] [--nx NX] [--rows R]
#                                       [--steps S] [--nit I] [--out DIR]
# (defaults 64, 1024, 1024, 3, cfd12's 50 pressure iterations a step,
# sim-weak-scaling). doc/scaling.md says what it models.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
top=$(cd "${STARRAY_TOP_BUILDDIR:-.}" && pwd)
max=64 nx=1024 rows=1024 steps=3 nit=50 out=sim-weak-scaling
while [ $# -gt 0 ]; do
  case "$1" in
    --max-nodes) max=$2; shift 2 ;;
    --nx) nx=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --nit) nit=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "simulate_weak_scaling: unknown option '$1'" >&2; exit 2 ;;
  esac
done
say() { printf 'simulate_weak_scaling: %s\n' "$*" >&2; }
mkdir -p "$out"; out=$(cd "$out" && pwd)

# (1) the simulation StarPU
sim=$("$srcdir/bootstrap" --simgrid --print-starpu-prefix)
case "$sim" in
  *"not built yet"*) say "no simulation StarPU: run ./bootstrap --simgrid first"; exit 77 ;;
esac
smpirun=$sim/bin/starpu_smpirun
command -v xsltproc >/dev/null || { say "xsltproc is missing (./bootstrap --simgrid installs it)"; exit 77; }

# (2) libstarray for simulation: static, compiled by smpicc, every main() renamed
# starpu_main (starpu_simgrid_wrap.h) so that StarPU starts each simulated rank
b=$out/build
if [ ! -x "$b/src/apps/cfd12/cfd12" ] || [ "$b/src/lib/libstarray.la" -ot "$top/lib/libstarray.la" ]; then
  say "building libstarray for simulation in $b"
  rm -rf "$b"; mkdir -p "$b"
  make -s -C "$top" distdir distdir="$b/src" >"$b/distdir.log" 2>&1
  (cd "$b/src" && SMPI_PRETEND_CC=1 CC=smpicc CXX=smpicxx LD=ld \
     ./configure --with-starpu="$sim" --disable-shared --enable-cuda=no --enable-mpi \
     >"$b/configure.log" 2>&1) || { say "configure failed: $b/configure.log"; exit 1; }
  (cd "$b/src" && make -j"$(nproc)" lib/libstarray.la apps/cfd12/cfd12 \
     CFLAGS="-O2 -include starpu_simgrid_wrap.h" CPPFLAGS="-I$sim/include/starpu/1.4" \
     >"$b/make.log" 2>&1) || { say "build failed: $b/make.log"; exit 1; }
fi
simapp=$b/src/apps/cfd12/cfd12

# (3) models calibrated on this machine, one node, the per-node grid (runs of 4 steps:
# every footprint measured at least 10 times)
models=$out/models host=$(hostname)
export STARPU_HOME="$models" STARPU_HOSTNAME="$host"
workers=$(STARPU_HOME="$models" "$top/apps/cfd12/cfd12" --nx 64 --ny 64 --steps 1 --json |
  sed 's/.*"cpu_workers": \([0-9]*\).*/\1/')
if [ ! -f "$models/.calibrated-$nx-$rows" ]; then
  say "calibrating the models (real runs, $nx x $rows, $workers CPU workers)"
  for _ in 1 2 3 4; do
    STARPU_CALIBRATE=1 "$top/apps/cfd12/cfd12" --nx "$nx" --ny "$rows" --steps 4 \
      --warmup 1 --json >/dev/null
  done
  # under MPI a statement that reads a packed halo is a task of its own: the same
  # work as a statement of a one-rank run without runs (--sa-fuse=off)
  for _ in 1 2; do
    STARPU_CALIBRATE=1 "$top/apps/cfd12/cfd12" --nx "$nx" --ny "$rows" --steps 4 \
      --warmup 1 --json --sa-fuse=off >/dev/null
  done
  # what runs only under MPI (halo packing, the runs MPI leaves): two real ranks,
  # each with its own model directory (ranks sharing one overwrite each other's
  # files), filling in only footprints the one-rank runs lack: two ranks on this
  # machine oversubscribe its cores, and their tasks' times include waiting for one
  say "calibrating MPI-only codelets (2 real ranks, 1 CPU worker each)"
  for _ in 1 2; do
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 \
      -x STARPU_WORKERS_NOBIND=1 -x STARPU_CALIBRATE=1 -x STARPU_HOSTNAME \
      sh -c 'STARPU_HOME="$0.rank$OMPI_COMM_WORLD_RANK" exec "$@"' "$models" \
      "$top/apps/cfd12/cfd12" --nx "$nx" --ny $((2 * rows)) --steps 4 --warmup 1 \
      --json --sa-ncpus=1 --sa-mpi-grid=2x1 >/dev/null
  done
  "${PYTHON:-python3}" "$here/merge_perfmodels.py" --fill "$models" "$models.rank0" "$models.rank1"
  touch "$models/.calibrated-$nx-$rows"
fi

# (4) the real one-node throughput (median of 3)
real=$(for _ in 1 2 3; do
  "$top/apps/cfd12/cfd12" --nx "$nx" --ny "$rows" --steps $((steps + 1)) --warmup 1 \
    --nit "$nit" --json |
    sed 's/.*"points_per_s": \([0-9.e+]*\).*/\1/'
done | sort -g | sed -n 2p)

# (5) simulated runs: nodes on one switch (bandwidth and latency of a 100 Gb/s
# InfiniBand-class network), each node's inside from the calibrated bus models
cat >"$out/cluster.xml" <<'EOF'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
<zone id="AS0" routing="Full">
  <cluster id="nodes" prefix="node" suffix="" radical="0-4095" speed="1Gf"
           bw="12.5GBps" lat="1.5us" bb_bw="10TBps" bb_lat="0.5us"/>
</zone>
</platform>
EOF
# SimGrid maps each simulated thread's stack with a guard page: about 100 mappings a
# node, more than Linux's default vm.max_map_count (65530) allows past 512 nodes
maps=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
if [ "$maps" -gt 0 ] && [ $((max * 100)) -gt "$maps" ]; then
  say "vm.max_map_count is $maps: $max simulated nodes need about $((max * 100));"
  say "raise it (as root: sysctl -w vm.max_map_count=$((max * 128))) or simulate fewer nodes"
  exit 1
fi
tsv=$out/weak_scaling.tsv
printf 'nodes\tgrid\tpoints_per_s\tper_node\tefficiency\tsim_wall_s\tsim_rss_mib\n' >"$tsv"
p=1 base="" status=0
while [ "$p" -le "$max" ]; do
  i=0; : >"$out/hosts"
  while [ $i -lt $p ]; do echo "node$i" >>"$out/hosts"; i=$((i + 1)); done
  ny=$((rows * p))
  say "simulating $p node(s): $nx x $ny"
  # (TEST_LOGS, which make check sets, makes starpu_smpirun look for StarPU's own
  # test loader)
  /usr/bin/time -f '%e %M' -o "$out/time.$p" env -u TEST_LOGS STARPU_NCPU="$workers" STARPU_SILENT=1 \
    "$smpirun" -platform "$out/cluster.xml" -hostfile "$out/hosts" -np "$p" \
    "$simapp" --nx "$nx" --ny "$ny" --steps $((steps + 1)) --warmup 1 --nit "$nit" --json \
    --sa-mpi-grid="${p}x1" >"$out/run.$p" 2>"$out/log.$p" ||
    { say "the simulation of $p nodes failed: $out/log.$p"; status=1; break; }
  tp=$(grep '^{' "$out/run.$p" | sed 's/.*"points_per_s": \([0-9.e+]*\).*/\1/')
  [ -n "$base" ] || base=$tp
  read -r wall rss <"$out/time.$p"
  awk -v p="$p" -v g="${nx}x${ny}" -v t="$tp" -v b="$base" -v w="$wall" -v r="$rss" \
    'BEGIN { printf "%d\t%s\t%.4g\t%.4g\t%.3f\t%.1f\t%.0f\n", p, g, t, t / p, t / p / b, w, r / 1024 }' >>"$tsv"
  p=$((p * 2))
done

# (6) table and plot
{
  echo "CFD step 12 weak scaling, $nx x $rows points per node ($nit pressure iterations a step),"
  echo "$workers CPU workers a node, models calibrated on $host. Real one-node throughput:"
  echo "$real points/s; simulated:"
  echo "$base ($(awk -v a="$base" -v b="$real" 'BEGIN { printf "%+.0f %%", 100 * (a / b - 1) }'))."
  echo
  echo "| nodes | grid | points/s | per node | efficiency | simulation wall s | simulation MiB |"
  echo "|---|---|---|---|---|---|---|"
  tail -n +2 "$tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
} >"$out/weak_scaling.md"
if command -v gnuplot >/dev/null; then
  gnuplot <<EOF || say "gnuplot failed; the table is in $out/weak_scaling.md"
set terminal pngcairo size 900,500 noenhanced
set output "$out/weak_scaling.png"
set logscale x 2
set xlabel "simulated nodes"
set ylabel "points/s per node"
set y2label "efficiency"
set y2range [0:1.2]
set ytics nomirror
set y2tics
set key bottom left
set title "CFD step 12 weak scaling ($nx x $rows points a node, simulated)"
plot "$tsv" using 1:4 every ::1 with linespoints title "points/s per node", \
     "$tsv" using 1:5 every ::1 axes x1y2 with linespoints title "efficiency"
EOF
fi
cat "$out/weak_scaling.md"
exit $status
