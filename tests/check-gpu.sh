#!/bin/sh
# SPDX-License-Identifier: MIT
# make check-gpu: what a machine with an NVIDIA GPU can tell that no other can, in
# under 8 minutes, into one summary file (default check-gpu-summary.txt):
#   1. starray-info: the self-test on every worker, CUDA ones included;
#   2. the suite's NumPy comparisons with --sa-where=cuda (tests/test_cudaemu.py with
#      the real library: every task on the GPU), and every float function's and **'s
#      bits on the GPU against the CPU's (--sa-math=portable: the same bits);
#   3. CFD-12 and Jacobi at 4096^2 and 8192^2 on one GPU, and CFD-12 at 4096^2 on the
#      CPUs for the ratio.
# Run from the build directory after make (and make check's programs: make check-gpu
# builds them). Each part has its own time limit; the summary says what ran.
top_builddir=${STARRAY_TOP_BUILDDIR:-$(pwd)}
srcdir=${STARRAY_TOP_SRCDIR:-$top_builddir}
out=${CHECK_GPU_SUMMARY:-$top_builddir/check-gpu-summary.txt}
python=${PYTHON_NUMPY:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export STARPU_SILENT=1 STARPU_FXT_TRACE=0 STARPU_HOME="$tmp/starpu-home"
mkdir -p "$STARPU_HOME"
status=0
say() { echo "$*" | tee -a "$out"; }
part() { # part NAME LIMIT_S COMMAND...: runs it, keeps its output in the summary
  name=$1 limit=$2; shift 2
  start=$(date +%s)
  timeout "$limit" "$@" >"$tmp/part.out" 2>&1; st=$?
  say "== $name: exit $st in $(( $(date +%s) - start )) s (limit ${limit} s)"
  tail -n 40 "$tmp/part.out" >>"$out"
  [ $st -eq 0 ] || status=1
}
: >"$out"
say "libstarray check-gpu, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -n)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version \
  --format=csv,noheader >>"$out" 2>&1
part "starray-info (self-test on every worker)" 60 "$top_builddir/apps/info/starray-info"
part "NumPy comparisons, every task on the GPU (--sa-where=cuda)" 240 \
  env STARRAY_CUDA_SCRIPT="$top_builddir/tests/sa_script" STARRAY_TOP_BUILDDIR="$top_builddir" \
  STARRAY_TOP_SRCDIR="$srcdir" "$python" "$srcdir/tests/test_cudaemu.py"
for n in 4096 8192; do
  part "cfd12 ${n}^2, one GPU" 60 "$top_builddir/apps/cfd12/cfd12" --nx $n --ny $n --steps 5 \
    --nit 50 --json --sa-where=cuda --sa-ncuda=1
  part "jacobi ${n}^2, one GPU" 45 "$top_builddir/apps/jacobi/jacobi" --n $n --max-iters 200 \
    --target 0 --residual-every 50 --check-lag 1 --json --sa-where=cuda --sa-ncuda=1
done
part "cfd12 4096^2, CPUs only (for the ratio)" 60 "$top_builddir/apps/cfd12/cfd12" --nx 4096 \
  --ny 4096 --steps 2 --nit 50 --json --sa-where=cpu
say "== check-gpu: $( [ $status -eq 0 ] && echo passed || echo FAILED ), summary in $out"
exit $status
