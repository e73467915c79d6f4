#!/bin/sh
# SPDX-License-Identifier: MIT
# The programs of examples/ run (exit status 0, every array released) and print what
# NumPy computes for the same problem: heat2d against a NumPy transcription, stats
# against NumPy's statistics of the sample it saved and the normal distribution's
# closed forms, distributed against NumPy and the closed forms on one process and on
# 2 MPI ranks (the same output), shapes against the NumPy session it prints.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
ex=$STARRAY_TOP_BUILDDIR/examples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
skip() { sat_n=$((sat_n + 1)); echo "ok $sat_n # SKIP $1"; }
to=
command -v timeout >/dev/null 2>&1 && to="timeout 300"
numpy=$PYTHON_NUMPY
[ -n "$numpy" ] && ! "$numpy" -c "import numpy" 2>/dev/null && numpy=
mpirun=
if [ "$SA_MPI" = yes ] && [ -n "$MPIEXEC" ]; then
  mpirun="$MPIEXEC --allow-run-as-root --oversubscribe --bind-to none --mca mpi_yield_when_idle 1
    -x STARPU_WORKERS_NOBIND=1 -x ASAN_OPTIONS=detect_leaks=0 -x STARRAY_DEBUG -np 2"
fi
plan 25

# run NAME TAG [LAUNCHER...] -- ARGS: runs examples/NAME into $tmp/TAG.out and .err;
# 2 results: exit status, nothing left unreleased (--sa-debug).
run() {
  name=$1 tag=$2
  shift 2
  launcher=
  while [ "$1" != -- ]; do launcher="$launcher $1"; shift; done
  shift
  # shellcheck disable=SC2086
  (cd "$tmp" && STARRAY_DEBUG=1 $to $launcher "$ex/$name" "$@" >"$tmp/$tag.out" 2>"$tmp/$tag.err")
  st=$?
  ok $st "$tag: ${launcher:+mpirun -np 2 }$name $*: exit status $st"
  [ $st -eq 0 ] || diag "$tmp/$tag.err" "$tmp/$tag.out"
  ! grep -q "never released" "$tmp/$tag.err"
  ok $? "$tag: every array and future released"
  grep "never released" "$tmp/$tag.err" | diag
}

# check NAME TAG K [ARGS]: the K NumPy checks of $tmp/TAG.out (skipped without NumPy).
check() {
  name=$1 tag=$2 k=$3
  shift 3
  if [ -z "$numpy" ]; then
    i=0
    while [ $i -lt "$k" ]; do skip "$tag: no python3 with numpy"; i=$((i + 1)); done
    return
  fi
  "$numpy" "$tmp/check.py" "$name" "$tmp/$tag.out" "$@" >"$tmp/$tag.check" 2>&1
  got=0
  while IFS= read -r line; do
    case $line in
      "ok "*) ok 0 "$tag: ${line#ok }"; got=$((got + 1)) ;;
      "fail "*) ok 1 "$tag: ${line#fail }"; got=$((got + 1)) ;;
      *) echo "# $line" ;;
    esac
  done <"$tmp/$tag.check"
  while [ $got -lt "$k" ]; do ok 1 "$tag: NumPy check $((got + 1)) of $k did not report"; got=$((got + 1)); done
}

cat >"$tmp/check.py" <<'EOF'
# NumPy's answers for the example programs; one line per check, "ok WHAT" or "fail WHAT",
# then diagnostics.
import math
import re
import sys

import numpy as np

name, out = sys.argv[1], open(sys.argv[2]).read()
notes = []


def report(cond, what, diag=""):
    print(("ok " if cond else "fail ") + what)
    if not cond and diag:
        notes.append(str(diag))


def close(got, want, rel):
    return abs(got - want) <= rel * max(abs(want), 1e-300)


def number(pattern):
    m = re.search(pattern, out)
    return float(m.group(1)) if m else float("nan")


def heat2d(n, tol=1e-6, every=100, r=0.2):
    u = np.zeros((n, n))
    u[0] = 1
    un = u.copy()
    step, pending, change, cstep = 0, None, -1.0, -1
    while step < 100000 and not (cstep > 0 and change < tol):
        u, un = un, u
        step += 1
        new = un[1:-1, 1:-1] + r * (un[2:, 1:-1] + un[:-2, 1:-1] + un[1:-1, 2:] +
                                    un[1:-1, :-2] - 4 * un[1:-1, 1:-1])
        if step % every == 0:
            if pending is not None:
                change, cstep = pending
            pending = (np.max(np.abs(new - un[1:-1, 1:-1])), step)
        u[1:-1, 1:-1] = new
    return u, step, cstep, change


def check_heat2d(n):
    n = int(n)
    u, step, cstep, change = heat2d(n)
    m = re.search(r"converged: largest change (\S+) in step (\d+) \(read after step (\d+)\)",
                  out)
    got = (int(m.group(2)), int(m.group(3))) if m else None
    report(got == (cstep, step), "converged at step %d, stopped at %d, as the NumPy "
           "transcription" % (cstep, step), "got %s" % (got,))
    values = [number(r"centre (\S+),"), number(r"mean (\S+),"),
              number(r"hottest interior point (\S+)"), float(m.group(1)) if m else math.nan]
    want = [u[n // 2, n // 2], u.mean(), u[1:-1, 1:-1].max(), change]
    report(all(close(g, w, 1e-9 if k < 3 else 1e-5) for k, (g, w) in enumerate(zip(values, want))),
           "centre, mean, hottest point, last change as NumPy's", "got %s\nwant %s" % (values, want))
    s = (n - 1) // 4 if n > 8 else 1
    text = out.split("u[::%d, ::%d] =\n" % (s, s))[-1].rstrip("\n")
    report(text == repr(u[::s, ::s]), "u[::%d, ::%d] printed as NumPy's repr" % (s, s),
           "got:\n%s\nwant:\n%s" % (text, repr(u[::s, ::s])))
    report(abs(want[0] - 0.25) < 5e-3 and close(values[0], 0.25, 5e-3),
           "the centre is near the steady state's 1/4 (%.6f)" % values[0])


def check_stats(path, n, mu, sigma):
    n, mu, sigma = int(n), float(mu), float(sigma)
    x = np.load(path)
    m, v, s = x.mean(), x.var(ddof=1), x.std(ddof=1)
    rows = {k: number(r"\n%s +(\S+)" % re.escape(k)) for k in
            ("mean", "variance (ddof 1)", "standard deviation", "min", "max",
             "beyond 2 sigma", "beyond 3 sigma")}
    want = {"mean": m, "variance (ddof 1)": v, "standard deviation": s, "min": x.min(),
            "max": x.max()}
    report(x.shape == (n,) and all(close(rows[k], want[k], 1e-11) for k in want),
           "mean, variance, standard deviation, min, max as NumPy's of the sample",
           "got %s\nwant %s" % (rows, want))
    counts = [int(np.count_nonzero(np.abs(x - m) > k * s)) for k in (2, 3)]
    report([rows["beyond 2 sigma"], rows["beyond 3 sigma"]] == counts,
           "counts beyond 2 and 3 sigma as NumPy's (%d, %d)" % tuple(counts),
           "got %s" % rows)
    zs = [(m - mu) / (sigma / math.sqrt(n)),
          (v - sigma**2) / (sigma**2 * math.sqrt(2 / (n - 1)))]
    for k, c in zip((2, 3), counts):
        p = math.erfc(k / math.sqrt(2))
        zs.append((c - n * p) / math.sqrt(n * p * (1 - p)))
    report(all(abs(z) < 5 for z in zs), "mean, variance and tails agree with N(%g, %g^2) "
           "within 5 standard errors" % (mu, sigma), "z scores %s" % zs)


def check_distributed(n):
    n = int(n)
    h = 1.0 / n
    i = np.arange(n, dtype=np.float64)
    f = np.sin(np.pi * (i[:, None] + 0.5) * h) * np.sin(np.pi * (i[None, :] + 0.5) * h)
    lap = np.zeros_like(f)
    lap[1:-1, 1:-1] = (f[2:, 1:-1] + f[:-2, 1:-1] + f[1:-1, 2:] + f[1:-1, :-2] -
                       4 * f[1:-1, 1:-1]) / h**2
    inner = f[1:-1, 1:-1]
    want = [f.sum() * h * h, np.sqrt((f * f).sum()), f[n // 2, n // 2],
            (lap[1:-1, 1:-1] * inner).sum() / (inner**2).sum(),
            np.abs(lap[1:-1, 1:-1] + 2 * np.pi**2 * inner).max()]
    got = [number(r"integral of f +(\S+)"), number(r"2-norm of f +(\S+)"),
           number(r"f at the centre +(\S+)"), number(r"Rayleigh quotient +(\S+)"),
           number(r"largest error of the Laplacian (\S+)")]
    report(all(close(g, w, 1e-9 if k < 4 else 1e-4) for k, (g, w) in enumerate(zip(got, want))),
           "integral, norm, centre, Rayleigh quotient, Laplacian's error as NumPy's",
           "got %s\nwant %s" % (got, want))
    report(close(got[0], 4 / np.pi**2, 1.0 / n**2) and close(got[3], -2 * np.pi**2, 1.0 / n**2)
           and 0 < got[4] < 20.0 / n**2,
           "integral near 4/pi^2, Rayleigh quotient near -2 pi^2, error O(h^2)", "got %s" % got)


def check_shapes():
    blocks = re.split(r"^>>> ", out, flags=re.M)[1:]
    ns = {"np": np}
    bad, results = [], 0
    for b in blocks:
        stmt, _, text = b.partition("\n")
        text = text.rstrip("\n")
        if not results:
            ns["a"] = eval(text, {"array": np.array})  # the data: its repr
        if text:
            results += 1
            want = repr(eval(stmt, ns))
            if text != want:
                bad.append("%s\ngot:\n%s\nwant:\n%s" % (stmt, text, want))
        else:
            exec(stmt, ns)
    report(results >= 15 and not bad, "%d results printed as NumPy prints them" % results,
           "\n".join(bad))


{"heat2d": check_heat2d, "stats": check_stats, "distributed": check_distributed,
 "shapes": check_shapes}[name](*sys.argv[3:])
for note in notes:
    print(note)
EOF

run heat2d heat2d -- --n 65 --sa-ncpus=2
check heat2d heat2d 4 65
run stats stats -- --n 200000 --save sample.npy --sa-ncpus=2
check stats stats 3 "$tmp/sample.npy" 200000 10 2
run distributed distributed -- --n 500 --sa-ncpus=2
grep -q "^rank 0 of 1: 2 CPU workers$" "$tmp/distributed.out"
ok $? "distributed: one process reports rank 0 of 1 with its 2 workers"
check distributed distributed 2 500
if [ -n "$mpirun" ]; then
  # shellcheck disable=SC2086
  run distributed distributed-mpi $mpirun -- --n 500 --sa-ncpus=1 --sa-verbose=0
  [ "$(grep -c "^rank [01] of 2: 1 CPU worker, arrays spread over the ranks$" \
    "$tmp/distributed-mpi.out")" -eq 2 ]
  ok $? "distributed-mpi: both ranks report, spreading the arrays"
  grep -v "^rank " "$tmp/distributed-mpi.out" >"$tmp/mpi.results"
  grep -v "^rank " "$tmp/distributed.out" | diff - "$tmp/mpi.results" >"$tmp/mpi.diff"
  ok $? "distributed-mpi: rank 0 prints what one process printed, digit for digit"
  diag "$tmp/mpi.diff"
  check distributed distributed-mpi 2 500
else
  for what in "exit status" "every array and future released" "both ranks report" \
              "the same output as one process" "NumPy's values" "closed forms"; do
    skip "distributed-mpi: $what: needs an MPI build and mpiexec"
  done
fi
run shapes shapes -- --sa-ncpus=2
check shapes shapes 1
finish
