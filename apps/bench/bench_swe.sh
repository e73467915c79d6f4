#!/bin/sh
# SPDX-License-Identifier: MIT
# Shallow water (apps/swe, the smooth case on N x N cells) against its NumPy
# transcription, interleaved per size. Usage (from the build directory):
# apps/bench/bench_swe.sh [N:STEPS ...] (default 256:200 512:50 1024:12: each
# libstarray run 2-3 s here). Prints a table of throughputs (cells x steps / s),
# their ratio and peak memory. Not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=${STARRAY_TOP_BUILDDIR:-.}
py=${PYTHON_NUMPY:-/usr/bin/python3}
[ $# -gt 0 ] || set -- 256:200 512:50 1024:12
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-11s %12s %12s %8s %9s %9s\n' grid starray numpy "vs np" "MiB sa" "MiB np"
for spec in "$@"; do
  n=${spec%%:*} steps=${spec##*:}
  /usr/bin/time -f "%M" -o "$tmp/rss_sa" "$top/apps/swe/swe" --case smooth --nx "$n" --ny "$n" \
    --t-end inf --steps $((steps + 1)) --warmup 1 --json >"$tmp/sa"
  OPENBLAS_NUM_THREADS=1 /usr/bin/time -f "%M" -o "$tmp/rss_np" "$py" \
    "$here/swe_numpy_bench.py" "$n" "$steps" >"$tmp/np"
  cat "$tmp/sa" "$tmp/np" >&2
  "$py" - "$tmp" "$n" <<'PYEOF'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
sa, np_ = (json.load(open("%s/%s" % (d, f))) for f in ("sa", "np"))
ms, mn = (int(open("%s/%s" % (d, f)).read().split()[-1]) / 1024 for f in ("rss_sa", "rss_np"))
a, b = sa["cells_per_s"], np_["cells_per_s"]
print("%-11s %12.3g %12.3g %8.2f %9.0f %9.0f" % ("%dx%d" % (n, n), a, b, a / b, ms, mn))
PYEOF
done
