# SPDX-License-Identifier: MIT
# sa_reduce_axis against NumPy: every reduction, dtype and axis (negative too),
# keepdims, small odd shapes with 2x2 tiles (legate.numpy#47 lost an axis sum of a
# small dimension), views, empty axes; 1 and 2 workers agree bitwise.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, launcher_for, mpi_configs, run_script, script_binary  # noqa: E402

OPS = ["sum", "prod", "min", "max", "mean", "all", "any"]
rng = np.random.default_rng(31)


def want(op, x, axis, keep):
    r = getattr(np, op)(x, axis=axis, keepdims=keep)
    if op in ("sum", "prod") and x.dtype.kind in "bi":
        r = r.astype(np.int64)
    if op == "mean" and x.dtype == np.float32:
        r = r.astype(np.float32)
    if r.ndim == 0:
        r = r.reshape(1)
    return r


def main():
    tap = TAP()
    binary = script_binary()
    with tempfile.TemporaryDirectory() as tmp:
        lines, expect = ["tile 2 2 2"], []
        for shape in [(3, 5), (1, 7), (7, 1), (4, 6, 5)]:
            for dt in ["bool", "int32", "int64", "float32", "float64"]:
                x = rng.integers(-3, 4, shape)
                x = (x > 0) if dt == "bool" else x.astype(dt) if dt.startswith("int") else \
                    (rng.standard_normal(shape) * 2).astype(dt)
                path = os.path.join(tmp, "in%d.npy" % len(expect))
                np.save(path, x)
                lines.append("load x %s" % path)
                for op in OPS:
                    for axis in range(-1, len(shape)):
                        keep = int(axis == 0)
                        lines.append("axis r %s x %d %d" % (op, axis, keep))
                        lines.append("save r @OUT@/r%d.npy" % len(expect))
                        expect.append(("%s(axis=%d%s) of %s %s" % (
                            op, axis, ", keepdims" if keep else "", dt, shape),
                            want(op, x, axis, bool(keep)), dt))
        v = rng.standard_normal((6, 8))
        np.save(os.path.join(tmp, "v.npy"), v)
        lines += ["load v %s" % os.path.join(tmp, "v.npy"), "view w v ::-1, 1::2",
                  "axis r sum w 0 0", "save r @OUT@/r%d.npy" % len(expect)]
        expect.append(("sum(axis=0) of the view v[::-1, 1::2]", v[::-1, 1::2].sum(axis=0), "f"))
        lines += ["view e v :, 3:3", "axis r sum e 1 0", "save r @OUT@/r%d.npy" % len(expect)]
        expect.append(("sum over an empty axis is 0", np.zeros(6), "f"))
        lines += ["expect 202", "axis r max e 1 0", "expect 205", "axis r sum v 2 0",
                  "expect 202", "axis r median v 0 0"]
        outs = []
        for name, opts in mpi_configs([("1 CPU", ["--sa-ncpus=1"]),
                                       ("2 CPUs, dmda", ["--sa-ncpus=2", "--sa-sched=dmda"]),
                                       ("2 MPI ranks x 1 CPU", ["--sa-ncpus=1"])]):
            out = os.path.join(tmp, "o%d" % len(outs))
            os.mkdir(out)
            ok, log = run_script(binary, [l.replace("@OUT@", out) for l in lines], opts, tmp,
                                 launcher_for(name))
            tap.ok(ok, "script runs, refusals refused (%s)" % name, log)
            outs.append(out)
        for k, (what, w, dt) in enumerate(expect):
            files = [os.path.join(o, "r%d.npy" % k) for o in outs]
            if not all(os.path.exists(f) for f in files):
                tap.ok(False, what + " (no result)")
                continue
            got = [np.load(f) for f in files]
            g = got[0]
            if w.dtype.kind == "f":
                tol = 1e-5 if w.dtype == np.float32 else 1e-12
                good = g.dtype == w.dtype and g.shape == w.shape and np.allclose(
                    g, w, rtol=tol, atol=tol * max(1.0, float(np.max(np.abs(w))) if w.size else 1))
            else:
                good = g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w)
            same = all(x.tobytes() == got[0].tobytes() for x in got[1:])
            tap.ok(good and same, what + ("" if same else " (workers or ranks differ)"),
                   "got %s %s %s\nwant %s %s %s" % (g.dtype, g.shape, g, w.dtype, w.shape, w))
    tap.done()


main()
