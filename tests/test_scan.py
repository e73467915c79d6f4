# SPDX-License-Identifier: MIT
# cumsum and cumprod along every axis against NumPy, bitwise (the same sequential
# order): every dtype, views, tiny uneven tiles (a scan crosses tiles along the
# axis), 2 workers, 2 MPI ranks, and on emulated CUDA workers (test_cudaemu).
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, check_saved, loader, run_configs  # noqa: E402

rng = np.random.default_rng(31)
DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def sample(t, shape):
    if t == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if t.startswith("int"):
        return rng.integers(-3, 4, shape).astype(t)
    return (rng.standard_normal(shape) * 0.9 + 0.3).astype(t)


def main():
    tap = TAP()
    with tempfile.TemporaryDirectory() as tmp:
        lines, want = [], []
        load = loader(tmp, lines)

        def result(what, value):
            lines.append("save r @OUT@/r%d.npy" % len(want))
            want.append((what, np.asarray(value)))

        for shape in ((17,), (7, 9), (4, 5, 6)):
            for t in DTYPES:
                x = sample(t, shape)
                load("x", x)
                for axis in range(-1, len(shape)):
                    for op in ("cumsum", "cumprod"):
                        lines.append("scan r %s x %d" % (op, axis))
                        result("%s(%s %s, axis=%d)" % (op, t, shape, axis),
                               getattr(np, op)(x, axis=axis))
        m = sample("float64", (9, 11))
        load("m", m)
        lines.append("view v m 1:-1, ::-2")
        lines.append("scan r cumsum v 1")
        result("cumsum of a view m[1:-1, ::-2] along 1", np.cumsum(m[1:-1, ::-2], axis=1))
        lines.append("view v m ::-1, 3")
        lines.append("scan r cumprod v 0")
        result("cumprod of a reversed column", np.cumprod(m[::-1, 3]))
        big = rng.integers(2**40, 2**41, 50).astype(np.int64)
        load("g", big)
        lines.append("scan r cumprod g 0")
        with np.errstate(all="ignore"):
            result("int64 cumprod wraps as NumPy's", np.cumprod(big))
        lines += ["expect 205", "scan r cumsum m 2", "expect 205", "scan r cumsum m -3",
                  "expect 201", "scan r cumsum nothere 0"]
        configs = [("1 CPU", "", ["--sa-ncpus=1"]),
                   ("2 CPUs, tiny uneven 2x3x4 tiles", "tile 2 3 4", ["--sa-ncpus=2"]),
                   ("2 MPI ranks, tiny tiles", "tile 3 2 5", ["--sa-ncpus=1"])]
        outs = run_configs(tap, lines, configs, tmp)
        check_saved(tap, outs, want)
    tap.done()


main()
