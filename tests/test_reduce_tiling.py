# SPDX-License-Identifier: MIT
# Reductions give the same bits for any tiling, worker count, scheduler and rank
# count: their order is a function of the element count alone (doc/design.md). Each
# value is compared bitwise across tile shapes (1x7, 13x5, 8x8, whole, rows, auto),
# 1 and 2 workers, two schedulers and 1, 2 and 4 MPI ranks, and a float sum against
# an independent transcription of that order below.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, mpi_launcher, run_script, script_binary  # noqa: E402

CHUNK = 256


def chunk_sum(v):
    """One chunk: 8 lanes over the first m - m % 8 values, a tail, then
    ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) + tail."""
    m = len(v)
    r = [0.0] * 8
    full = m - m % 8
    for j in range(full):
        r[j % 8] += v[j]
    tail = 0.0
    for j in range(full, m):
        tail += v[j]
    return ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + tail


def ordered_sum(flat):
    """Chunks of the flat index, a binary counter over them, levels smallest first."""
    levels = {}
    for c in range(0, len(flat), CHUNK):
        s, k = chunk_sum([float(x) for x in flat[c:c + CHUNK]]), 0
        while k in levels:
            s = levels.pop(k) + s
            k += 1
        levels[k] = s
    out = 0.0
    for k in sorted(levels):
        out = out + levels[k]
    return out


def main():
    tap = TAP()
    binary = script_binary()
    n1, n2 = 100, 280  # 28000 elements, 110 chunks; rows that are not whole chunks
    x = (np.sin(np.arange(n1 * n2, dtype=np.float64)) * 1000).reshape(n1, n2)
    y = np.cos(np.arange(n1 * n2, dtype=np.float64)).reshape(n1, n2)
    p = 1 + x * 1e-7  # a product whose rounding depends on the order
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, a in (("x", x), ("y", y), ("p", p), ("x1", x.ravel())):
            paths[name] = os.path.join(tmp, name + ".npy")
            np.save(paths[name], a)
        body = ["load %s %s" % (k, v) for k, v in paths.items() if k != "x1"] + [
            "reduce @OUT@ sum x", "reduce @OUT@ sum x1", "reduce @OUT@ prod p",
            "reduce @OUT@ mean x", "norm @OUT@ x", "dot @OUT@ x1 x1",
            "reduce @OUT@ sum (x - y)**2", "reduce @OUT@ sum x[1:-1, ::-3]",
            "reduce @OUT@ sum x[::-1, 3:]", "reduce @OUT@ argmax x",
            "new w x * 1.0",
            "evalred @OUT@ w - x ; sum (w - y)**2 ; sum _ ; mean w",
            "evalred @OUT@ w 1:-1,1:-1 x[1:-1, 1:-1] * 2 ; sum _ ; sum w[1:-1, 1:-1]"]
        names = ["sum x", "sum of the same values 1-d", "prod p", "mean x", "norm x",
                 "dot x1 x1", "sum (x - y)**2", "sum x[1:-1, ::-3]", "sum x[::-1, 3:]",
                 "argmax x", "sa_eval_reduce sum (w - y)**2", "sa_eval_reduce sum _ (0)",
                 "sa_eval_reduce mean w", "sa_eval_reduce sum _ (2x)",
                 "sa_eval_reduce sum of what it overwrites"]
        tilings = [("1x7 tiles", "tile 1 7"), ("13x5 tiles", "tile 13 5"),
                   ("8x8 tiles", "tile 8 8"), ("whole", "tile 100 280"),
                   ("row tiles", "tile 1 280"), ("3-row tiles", "tile 3 280"),
                   ("automatic tiles", "")]
        runs = [(t, tl, opts, ()) for t, tl in tilings
                for opts in (["--sa-ncpus=1", "--sa-sched=eager"],
                             ["--sa-ncpus=2", "--sa-sched=dmda"])]
        for ranks in (2, 4):
            launcher = mpi_launcher(ranks)
            if launcher:
                runs += [("13x5 tiles", "tile 13 5", ["--sa-ncpus=1"], launcher),
                         ("automatic tiles", "", ["--sa-ncpus=1"], launcher)]
        outs = []
        for k, (what, tile, opts, launcher) in enumerate(runs):
            out = os.path.join(tmp, "out%d.txt" % k)
            script = ["load x1 %s" % paths["x1"]] + ([tile] if tile else [])
            script += [line.replace("@OUT@", out) for line in body]
            ok, log = run_script(binary, script, opts + ["--sa-max-tiles=100000"], tmp,
                                 launcher)
            ranks = launcher[-1] if launcher else "1"
            label = "%s, %s, %s rank%s" % (what, " ".join(opts), ranks, "" if ranks == "1" else "s")
            tap.ok(ok, "run: " + label, log)
            outs.append((label, open(out).read().split("\n") if ok else []))
        for k, name in enumerate(names):
            vals = [(label, o[k] if k < len(o) else "missing") for label, o in outs]
            first = vals[0][1]
            differ = [(label, v) for label, v in vals if v != first]
            tap.ok(not differ, "%s: the same bits in all %d runs (%s)" % (name, len(vals), first),
                   "\n".join("%s: %s" % d for d in differ[:6]))
        got = [float(o[0].split()[0]) for _, o in outs if o]
        want = ordered_sum(x.ravel())
        tap.ok(got and all(g == want for g in got),
               "sum x is the documented order's sum, bit for bit (%.17g)" % want,
               "got %r" % got[:3])
        tap.ok(got and abs(got[0] - np.sum(x)) <= 1e-12 * np.sum(np.abs(x)),
               "and agrees with NumPy's sum to rounding (%.17g)" % np.sum(x))
        one = [o[1] for _, o in outs if len(o) > 1]
        tap.ok(one and one[0] == outs[0][1][0], "the 1-d and 2-d arrays of the same values "
               "sum to the same bits")
    tap.done()


main()
