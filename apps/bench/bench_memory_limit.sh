#!/bin/sh
# SPDX-License-Identifier: MIT
# The largest grid each app runs in a memory limit, libstarray against its NumPy
# transcription: CFD step 12 (apps/cfd12, tests/cfd12_numpy.py) and shallow water
# (apps/swe --case smooth, tests/swe_numpy.py), one step each (NumPy's first step
# holds all its temporaries). Each run is a process in a fresh memory cgroup with
# the limit (no swap); a run that is killed or fails does not fit. The grid side is
# found by doubling from 64, then bisection to a multiple of 32.
# Usage (from the build directory, as root): apps/bench/bench_memory_limit.sh [MIB ...]
# (default 256 1024). Needs cgroup v1's memory controller (/sys/fs/cgroup/memory)
# or cgroup v2 with memory enabled. Not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=${STARRAY_TOP_BUILDDIR:-.}
py=${PYTHON_NUMPY:-/usr/bin/python3}
[ $# -gt 0 ] || set -- 256 1024

if [ -w /sys/fs/cgroup/memory ]; then
  cgroot=/sys/fs/cgroup/memory v=1
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null &&
     [ -w /sys/fs/cgroup ]; then
  cgroot=/sys/fs/cgroup v=2
else
  echo "bench_memory_limit: no writable memory cgroup (run as root on cgroup v1, or v2 with the memory controller)" >&2
  exit 77
fi

# fits MIB CMD...: 0 when CMD exits 0 inside a fresh cgroup limited to MIB MiB.
fits() {
  mib=$1; shift
  cg=$(mktemp -d "$cgroot/starray-bench.XXXXXX")
  if [ $v = 1 ]; then
    echo $((mib * 1048576)) >"$cg/memory.limit_in_bytes"
    [ ! -f "$cg/memory.memsw.limit_in_bytes" ] || echo $((mib * 1048576)) >"$cg/memory.memsw.limit_in_bytes"
  else
    echo $((mib * 1048576)) >"$cg/memory.max"
    echo 0 >"$cg/memory.swap.max" 2>/dev/null || :
  fi
  rc=0
  sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" "$@" >/dev/null 2>&1 || rc=$?
  # whatever the run left behind (helpers of a killed run) goes too
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    pids=$(cat "$cg/cgroup.procs")
    [ -n "$pids" ] || { ! rmdir "$cg" 2>/dev/null || break; }
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || :
    sleep 0.5
  done
  [ ! -d "$cg" ] || echo "bench_memory_limit: could not remove $cg" >&2
  return $rc
}

run_sa_cfd12() { fits "$1" "$top/apps/cfd12/cfd12" --nx "$2" --ny "$2" --steps 1 --json; }
run_np_cfd12() { OPENBLAS_NUM_THREADS=1 fits "$1" "$py" "$here/cfd12_numpy_bench.py" "$2" 0; }
run_sa_swe() { fits "$1" "$top/apps/swe/swe" --case smooth --nx "$2" --ny "$2" --t-end inf --steps 1 --json; }
run_np_swe() { OPENBLAS_NUM_THREADS=1 fits "$1" "$py" "$here/swe_numpy_bench.py" "$2" 0; }

# largest RUN MIB: the largest side (a multiple of 32) that fits, 0 if 64 does not.
largest() {
  run=$1 mib=$2 lo=0 hi=64
  while $run "$mib" $hi; do lo=$hi hi=$((hi * 2)); done
  while [ $((hi - lo)) -gt 32 ]; do
    mid=$(((lo + hi) / 64 * 32))
    if $run "$mib" $mid; then lo=$mid; else hi=$mid; fi
  done
  echo $lo
}

printf '%-9s %-8s %12s %12s %8s\n' limit app starray numpy "sa/np"
for mib in "$@"; do
  for app in cfd12 swe; do
    a=$(largest run_sa_$app "$mib") b=$(largest run_np_$app "$mib")
    printf '%-9s %-8s %12s %12s %8s\n' "${mib}MiB" $app "${a}^2" "${b}^2" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", (a * a) / (b * b); else print "-" }')"
  done
done
