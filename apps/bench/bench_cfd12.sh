#!/bin/sh
# SPDX-License-Identifier: MIT
# CFD step 12 in one go, interleaved per size: libstarray's apps/cfd12, the NumPy
# transcription and the hand-fused OpenMP C loop (apps/bench/cfd12_fused).
# Usage (from the build directory): apps/bench/bench_cfd12.sh [SIZE:STEPS ...]
# (default 256:200 1024:30 2048:5 4096:2: each libstarray run >= 3 s here). Prints a table with
# throughput ratios and peak memory. Not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=${STARRAY_TOP_BUILDDIR:-.}
py=${PYTHON_NUMPY:-/usr/bin/python3}
[ $# -gt 0 ] || set -- 256:200 1024:30 2048:5 4096:2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-11s %12s %12s %12s %8s %8s %9s %9s\n' grid starray numpy fused "vs np" "vs fused" "MiB sa" "MiB np"
for spec in "$@"; do
  n=${spec%%:*} steps=${spec##*:}
  /usr/bin/time -f "%M" -o "$tmp/rss_sa" "$top/apps/cfd12/cfd12" --nx "$n" --ny "$n" \
    --steps $((steps + 1)) --warmup 1 --json >"$tmp/sa"
  OPENBLAS_NUM_THREADS=1 /usr/bin/time -f "%M" -o "$tmp/rss_np" "$py" \
    "$here/cfd12_numpy_bench.py" "$n" "$steps" >"$tmp/np"
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$top/apps/bench/cfd12_fused" "$n" "$steps" >"$tmp/fu"
  cat "$tmp/sa" "$tmp/np" "$tmp/fu" >&2
  "$py" - "$tmp" "$n" <<'PYEOF'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
sa, np_, fu = (json.load(open("%s/%s" % (d, f))) for f in ("sa", "np", "fu"))
ms, mn = (int(open("%s/%s" % (d, f)).read().split()[-1]) / 1024 for f in ("rss_sa", "rss_np"))
a, b, c = sa["points_per_s"], np_["points_per_s"], fu["points_per_s"]
print("%-11s %12.3g %12.3g %12.3g %8.2f %8.2f %9.0f %9.0f" % ("%dx%d" % (n, n), a, b, c, a / b, a / c, ms, mn))
PYEOF
done
