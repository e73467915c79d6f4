# SPDX-License-Identifier: MIT
# sa_array_repr and sa_array_print against NumPy's repr: every dtype, 0-d to 3-d,
# floats of every format NumPy picks (positional, padded, scientific, non-finite),
# wrapped rows, summarised arrays past 1000 elements, views, empty arrays; the same
# text for any tiling and on 2 MPI ranks.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, launcher_for, loader, mpi_configs, run_script, script_binary  # noqa: E402

rng = np.random.default_rng(2024)


def cases():
    c = [("int64 matrix", np.arange(12).reshape(3, 4)),
         ("int32 with negatives", np.array([[-5, 100], [7, -1234]], dtype=np.int32)),
         ("bool", np.array([True, False, True])),
         ("bool matrix", rng.integers(0, 2, (3, 4)).astype(bool)),
         ("whole floats", np.array([1.0, 2.0, -3.0])),
         ("padded floats", np.array([1.5, 10.25, -0.0])),
         ("0.1 + 0.2 and friends", np.array([0.1 + 0.2, 1 / 3, 2 / 3])),
         ("scientific: tiny and huge", np.array([1e-5, 2.5e10])),
         ("scientific: ratio > 1e3", np.array([1.0, 1234.5, 7e3])),
         ("1e8 and more", np.array([1e8, 3.0])),
         ("three-digit exponents", np.array([1e-300, 1.0, 5e200])),
         ("NaN and inf", np.array([np.nan, 1.0, -np.inf, np.inf])),
         ("only NaN", np.array([np.nan, np.nan])),
         ("zeros", np.zeros(4)),
         ("float32 thirds", np.array([0.1, 1 / 3, 2.5], dtype=np.float32)),
         ("float32 scientific", np.array([1e-7, 3.0, 4e9], dtype=np.float32)),
         ("random normal 3-d", rng.standard_normal((2, 3, 4))),
         ("a long row wraps", rng.standard_normal(40)),
         ("long int row wraps", np.arange(100, 160)),
         ("summarised 1-d", np.arange(2000.0)),
         ("summarised ints 2-d", np.arange(3000).reshape(30, 100)),
         ("summarised 3-d", rng.standard_normal((12, 10, 11))),
         ("summarised, one short axis", np.arange(4000, dtype=np.int32).reshape(4, 1000)),
         ("int64 extremes", np.array([2**63 - 1, -2**63], dtype=np.int64)),
         ("float32 wraps", rng.standard_normal(30).astype(np.float32)),
         ("dtype on its own line", np.arange(100, 116, dtype=np.int32) * 1000000)]
    # random values of random magnitudes, signs, dtypes and shapes
    for k in range(60):
        shape = tuple(int(n) for n in rng.integers(1, 6, rng.integers(1, 4)))
        scale = 10.0 ** rng.integers(-9, 12)
        x = rng.standard_normal(shape) * scale
        if k % 3 == 0:
            x = np.round(x, int(rng.integers(0, 4)))
        if k % 5 == 0:
            x.flat[0] = [np.nan, np.inf, -np.inf, 0.0, -0.0][k // 5 % 5]
        dt = [np.float64, np.float32, np.int32, np.int64][k % 4]
        if dt in (np.int32, np.int64):
            x = np.nan_to_num(np.clip(x, -2e9, 2e9)).astype(dt)
        else:
            with np.errstate(all="ignore"):
                x = x.astype(dt)
        c.append(("random %d: %s %s" % (k, np.dtype(dt).name, shape), x))
    return c


def main():
    tap = TAP()
    binary = script_binary()
    with tempfile.TemporaryDirectory() as tmp:
        lines, want = [], []
        load = loader(tmp, lines)
        for what, x in cases():
            load("x", x)
            lines.append("repr @OUT@ x")
            want.append((what, repr(x)))
        base = rng.standard_normal((9, 8))
        load("b", base)
        for index in ("1:-1, ::-2", "3, :", "::3, 5", "2, 4"):
            lines.append("view v b %s" % index)
            lines.append("repr @OUT@ v")
            want.append(("view b[%s]" % index, repr(np.asarray(eval("base[%s]" % index)))))
        for index, shape in (("2:2, :", (0, 8)), (":, 3:3", (9, 0)), ("4, 2:2", (0,))):
            lines.append("view v b %s" % index)
            lines.append("repr @OUT@ v")
            want.append(("empty view %s" % (shape,), repr(eval("base[%s]" % index))))
        lines.append("print @OUT@ b")
        want.append(("sa_array_print", repr(base)))
        lines += ["expect 201", "repr @OUT@ nothere"]
        configs = mpi_configs([("1 CPU", "", ["--sa-ncpus=1"]),
                               ("2 CPUs, 2x3 tiles", "tile 2 3", ["--sa-ncpus=2"]),
                               ("2 MPI ranks, 2x3 tiles", "tile 2 3", ["--sa-ncpus=1"])])
        outs = []
        for name, tile, opts in configs:
            out = os.path.join(tmp, "r%d.txt" % len(outs))
            script = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in lines]
            ok, log = run_script(binary, script, opts, tmp, launcher_for(name))
            tap.ok(ok, "script runs (%s)" % name, log)
            text = open(out).read() if os.path.exists(out) else ""
            outs.append([t[:-1] if t.endswith("\n") else t for t in text.split("@@\n")])
        for k, (what, w) in enumerate(want):
            got = [o[k] if k < len(o) else None for o in outs]
            tap.ok(got[0] == w and all(g == got[0] for g in got),
                   "%s: NumPy's repr" % what, "got:\n%s\nwant:\n%s" % (got[0], w))
    tap.done()


main()
