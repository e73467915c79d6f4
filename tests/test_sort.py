# SPDX-License-Identifier: MIT
# sort and argsort along the last axis against NumPy's kind="stable", bitwise: every
# dtype, ties, NaN and -0.0, 1-d to 3-d, views, inputs with tiny tiles, 2 workers,
# 2 MPI ranks, and on emulated CUDA workers (test_cudaemu).
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, check_saved, loader, run_configs  # noqa: E402

rng = np.random.default_rng(5)
DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def sample(t, shape):
    if t == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if t.startswith("int"):
        return rng.integers(-4, 5, shape).astype(t)  # many ties
    x = np.round(rng.standard_normal(shape), 1).astype(t)
    flat = x.reshape(-1)
    k = flat.size
    for v in (np.nan, -0.0, 0.0, np.inf, -np.inf, np.nan):
        flat[rng.integers(0, k)] = v
    return x


def main():
    tap = TAP()
    with tempfile.TemporaryDirectory() as tmp:
        lines, want = [], []
        load = loader(tmp, lines)

        def result(what, value):
            lines.append("save r @OUT@/r%d.npy" % len(want))
            want.append((what, np.asarray(value)))

        for shape in ((1,), (37,), (6, 11), (3, 4, 9), (5, 1)):
            for t in DTYPES:
                x = sample(t, shape)
                load("x", x)
                lines.append("sort r sort x")
                result("sort(%s %s)" % (t, shape), np.sort(x, kind="stable"))
                lines.append("sort r argsort x")
                result("argsort(%s %s)" % (t, shape), np.argsort(x, kind="stable"))
        m = sample("float64", (8, 13))
        load("m", m)
        lines.append("view v m 1:-1, ::-2")
        lines.append("sort r argsort v")
        result("argsort of a view m[1:-1, ::-2]", np.argsort(m[1:-1, ::-2], kind="stable"))
        lines.append("axes t transpose m")
        lines.append("sort r sort t")
        result("sort of a transposed view (the columns of m)", np.sort(m.T, kind="stable"))
        big = rng.standard_normal(5000)
        load("big", big)
        lines.append("sort r sort big")
        result("sort of 5000 values", np.sort(big, kind="stable"))
        lines += ["view z m 2, 3", "expect 203", "sort r sort z",
                  "expect 201", "sort r argsort nothere"]
        configs = [("1 CPU", "", ["--sa-ncpus=1"]),
                   ("2 CPUs, tiny 2x3x4 input tiles, rows of 40", "tile 2 3 4",
                    ["--sa-ncpus=2", "--sa-tile-size=40"]),
                   ("2 MPI ranks, tiny tiles", "tile 3 2 5",
                    ["--sa-ncpus=1", "--sa-tile-size=30"])]
        outs = run_configs(tap, lines, configs, tmp)
        check_saved(tap, outs, want)
    tap.done()


main()
