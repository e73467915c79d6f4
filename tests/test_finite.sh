#!/bin/sh
# SPDX-License-Identifier: MIT
# --sa-check-finite: the earliest statement that produces NaN or Inf is reported,
# with its text, by the next call that waits; without the option nothing is checked.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
s="$STARRAY_TOP_BUILDDIR/tests/sa_script"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -n "$PYTHON_NUMPY" ] || { echo "1..0 # SKIP no python3 with numpy"; exit 0; }
plan 6
"$PYTHON_NUMPY" -c "import numpy as np; np.save('$tmp/x.npy', np.linspace(-1, 1, 50).reshape(5, 10))"
cat >"$tmp/s" <<EOS
tile 2 5
load x $tmp/x.npy
new ok x * 2
new a sqrt(x)
new b 1 / (x - x)
expect 401
sync
sync
EOS
"$s" "$tmp/s" --sa-check-finite --sa-ncpus=2 >"$tmp/out" 2>&1; ok $? "NaN found: the next sa_sync fails with SA_ERR_NONFINITE"
[ $? -eq 0 ] || diag "$tmp/out"
sed -e 's/^expect 401$//' "$tmp/s" >"$tmp/s2"
"$s" "$tmp/s2" --sa-ncpus=2 >"$tmp/out" 2>&1; ok $? "without --sa-check-finite nothing is reported"
printf 'load x %s\nnew a sqrt(x)\nnew b 1 / (x - x)\nsync\n' "$tmp/x.npy" >"$tmp/s3"
STARRAY_CHECK_FINITE=1 "$s" "$tmp/s3" --sa-on-error=print >"$tmp/out" 2>&1
grep -q "SA_ERR_NONFINITE" "$tmp/out"; ok $? "the environment twin STARRAY_CHECK_FINITE=1 works"
grep -q "statement 1, new = sqrt(x), produced NaN" "$tmp/out"; ok $? "the earliest statement is named, with its text"
[ $? -eq 0 ] || diag "$tmp/out"
cat >"$tmp/app.c" <<'EOC'
#include <starray.h>
static sa_status run(void)
{
  sa_array *x = NULL, *y = NULL;
  SA_CHECK(sa_arange(&x, SA_F64, -2, 2, 1));
  SA_CHECK(sa_eval_new(&y, "log(x)", SA_ARGS(SA_ARR("x", x))));
  SA_CHECK(sa_sync());
  return SA_OK;
}
int main(int argc, char **argv)
{
  if (sa_init(&argc, &argv) != SA_OK) return 1;
  sa_status st = run();
  (void)sa_finalize();
  return st == SA_ERR_NONFINITE ? 0 : 1;
}
EOC
if ${CC:-cc} -std=c11 -I"$STARRAY_TOP_SRCDIR/lib" -o "$tmp/app" "$tmp/app.c" \
     -L"$STARRAY_TOP_BUILDDIR/lib/.libs" -Wl,-rpath,"$STARRAY_TOP_BUILDDIR/lib/.libs" -lstarray \
     $SAN_CFLAGS 2>"$tmp/cc"; then
  "$tmp/app" --sa-check-finite >"$tmp/out" 2>&1; st=$?
  [ $st -eq 0 ] && grep -q "new = log(x) at .*app.c:6 in run()" "$tmp/out"
  ok $? "the report names the user's line (SA_CHECK records it): app.c:6 in run()"
  [ $? -eq 0 ] || diag "$tmp/out"
else
  ok 1 "compiling a small program against the built library"; diag "$tmp/cc"
fi
printf 'load x %s\nnew a x + 1\nsync\n' "$tmp/x.npy" >"$tmp/s4"
"$s" "$tmp/s4" --sa-check-finite >"$tmp/out" 2>&1; ok $? "finite results pass the check"
finish
