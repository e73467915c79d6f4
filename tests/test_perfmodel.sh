#!/bin/sh
# SPDX-License-Identifier: MIT
# Performance models by work (codelets/elementwise.c): the same statement over 1000
# and over 10 elements of one tile are two history entries whose sizes are in the
# ratio 100 (StarPU's default footprint, the buffers' sizes, made them one entry);
# a run of two statements on one tile is an entry of the two statements' sizes
# summed (its work is kept in the task before its arguments go back to the pool).
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
b=$STARRAY_TOP_BUILDDIR
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plan 4
"$PYTHON_NUMPY" -c "import numpy as np; np.save('$tmp/x.npy', np.arange(1000.0))"
cat >"$tmp/s.txt" <<EOS
load x $tmp/x.npy
new y x * 3 + 1
eval y 0:10 x[0:10] * 3 + 1
eval y 0:10 x[0:10] * 3 + 1
sync
EOS
STARPU_HOME=$tmp STARPU_CALIBRATE=1 "$b/tests/sa_script" "$tmp/s.txt" --sa-ncpus=1 --sa-fuse=off \
  >"$tmp/out" 2>&1
ok $? "the script ran with calibration on"
[ $? -eq 0 ] || diag <"$tmp/out"
m=$(ls "$tmp"/.starpu/sampling/codelets/*/starray_elementwise.* 2>/dev/null | head -1)
# the history entries: lines after "# hash size ...", up to the next comment
sizes=$(awk '/^# hash/ { h = 1; next } /^#/ { h = 0 } h && NF >= 8 { print $2 }' "$m" 2>/dev/null |
  sort -n | tr '\n' ' ')
echo "$sizes" | awk '{ for (i = 1; i <= NF; i++) for (j = 1; j <= NF; j++)
                         if ($i == 100 * $j && $j > 0) f = 1 } END { exit !f }'
ok $? "two entries in the ratio 100 (the 1000- and the 10-element statement): $sizes"

# entries SYMBOL HOME: the sizes of a model's history entries
entries() {
  awk '/^# hash/ { h = 1; next } /^#/ { h = 0 } h && NF >= 8 { print $2 }' \
    "$2"/.starpu/sampling/codelets/*/"$1".* 2>/dev/null | sort -n | tr '\n' ' '
}
cat >"$tmp/r.txt" <<EOS
load x $tmp/x.npy
new y x * 3 + 1
sync
eval y - y * 2 - 1
eval y 0:10 y[0:10] + 1
sync
EOS
for fuse in off on; do
  STARPU_HOME=$tmp/$fuse STARPU_CALIBRATE=1 "$b/tests/sa_script" "$tmp/r.txt" --sa-ncpus=1 \
    --sa-fuse=$fuse >"$tmp/out.$fuse" 2>&1 || { diag <"$tmp/out.$fuse"; break; }
done
ok $? "two statements on one tile, calibrated, as two tasks and as a run"
ew=$(entries starray_elementwise "$tmp/off") run=$(entries starray_run "$tmp/on")
echo "$ew | $run" | awk -F'|' '{ n = split($1, e, " "); m = split($2, r, " ")
  for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) for (k = 1; k <= m; k++)
    if (i != j && e[i] + e[j] == r[k]) f = 1 } END { exit !f }'
ok $? "the run's entry is the sum of its statements' (statements: $ew; runs: $run)"
finish
