#!/bin/sh
# SPDX-License-Identifier: MIT
# CFD step 12: libstarray vs NumPy in one run, at the sizes given (default 256 1024 4096).
# Usage (from the build directory): apps/bench/bench_cfd12.sh [SIZE:STEPS ...]
# Prints one JSON line per run and a ratio table. Not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=${STARRAY_TOP_BUILDDIR:-.}
py=${PYTHON_NUMPY:-/usr/bin/python3}
[ $# -gt 0 ] || set -- 256:20 1024:6 4096:2
for spec in "$@"; do
  n=${spec%%:*} steps=${spec##*:}
  sa=$("$top/apps/cfd12/cfd12" --nx "$n" --ny "$n" --steps $((steps + 1)) --warmup 1 --json)
  np=$(OPENBLAS_NUM_THREADS=1 "$py" "$here/cfd12_numpy_bench.py" "$n" "$steps")
  echo "$sa"
  echo "$np"
  "$py" -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print('cfd12 %dx%d: libstarray %.3g points/s, NumPy %.3g points/s, ratio %.2f' % (a['nx'], a['ny'], a['points_per_s'], b['points_per_s'], a['points_per_s']/b['points_per_s']))" "$sa" "$np"
done
