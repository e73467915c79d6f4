# SPDX-License-Identifier: MIT
# sa_matmul against numpy.matmul: float64/float32, odd shapes with tiny tiles (many
# k-steps, uneven edges), views (transposed by slicing, steps), vectors, mixed
# dtypes; the same bits for 1 and 2 workers; refusals.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, launcher_for, loader, mpi_configs, run_script, script_binary  # noqa: E402

rng = np.random.default_rng(5)


def main():
    tap = TAP()
    binary = script_binary()
    with tempfile.TemporaryDirectory() as tmp:
        lines, expect = [], []
        load = loader(tmp, lines)

        def case(what, cmd, want):
            lines.append(cmd)
            lines.append("save r @OUT@/m%d.npy" % len(expect))
            expect.append((what, want))

        for (m, k, n) in [(1, 1, 1), (5, 7, 3), (13, 4, 9), (17, 23, 11), (64, 33, 2)]:
            for dt in ("float64", "float32"):
                a = rng.standard_normal((m, k)).astype(dt)
                b = rng.standard_normal((k, n)).astype(dt)
                load("a", a)
                load("b", b)
                case("(%d,%d) @ (%d,%d) %s" % (m, k, k, n, dt), "matmul r a b", a @ b)
        a = rng.standard_normal((9, 12))
        b = rng.standard_normal((7, 9))
        load("a", a)
        load("b", b)
        lines.append("view at a ::-1, 1::2")
        lines.append("view bt b :6, 1:7")
        case("views a[::-1, 1::2] (9,6) @ b[:6, 1:7] (6,6)", "matmul r at bt",
             a[::-1, 1::2] @ b[:6, 1:7])
        v = rng.standard_normal(12)
        load("v", v)
        case("matrix @ vector (9,12) @ (12,)", "matmul r a v", a @ v)
        w = rng.standard_normal(9)
        load("w", w)
        case("vector @ matrix (9,) @ (9,12)", "matmul r w a", w @ a)
        f32 = rng.standard_normal((12, 5)).astype(np.float32)
        load("f", f32)
        case("float64 @ float32 gives float64", "matmul r a f", a @ f32)
        load("i", np.ones((12, 3), dtype=np.int64))
        lines += ["expect 204", "matmul r a i", "expect 203", "matmul r a b",
                  "expect 301", "matmul r v v"]
        outs = []
        for name, opts in mpi_configs([
                ("1 CPU, 4x4 tiles", ["--sa-ncpus=1", "--sa-tile-size=16"]),
                ("2 CPUs, 4x4 tiles, dmda", ["--sa-ncpus=2", "--sa-tile-size=16",
                                             "--sa-sched=dmda"]),
                ("2 CPUs, default tiles", ["--sa-ncpus=2"]),
                ("2 MPI ranks x 1 CPU, 4x4 tiles", ["--sa-ncpus=1", "--sa-tile-size=16"])]):
            out = os.path.join(tmp, "o%d" % len(outs))
            os.mkdir(out)
            ok, log = run_script(binary, [l.replace("@OUT@", out) for l in lines], opts, tmp,
                                 launcher_for(name))
            tap.ok(ok, "script runs, refusals refused (%s)" % name, log)
            outs.append(out)
        for k, (what, want) in enumerate(expect):
            files = [os.path.join(o, "m%d.npy" % k) for o in outs]
            if not all(os.path.exists(f) for f in files):
                tap.ok(False, what + " (no result)")
                continue
            got = [np.load(f) for f in files]
            tol = 1e-5 if want.dtype == np.float32 else 1e-12
            scale = max(np.max(np.abs(want)), 1e-300)
            good = all(g.shape == want.shape and g.dtype == want.dtype and
                       np.max(np.abs(g - want)) <= tol * scale * max(1, want.shape[-1] if
                                                                      want.ndim else 1)
                       for g in got)
            # same tiles: 1 or 2 workers, 1 or 2 ranks give the same bits
            same = got[0].tobytes() == got[1].tobytes() and (
                len(got) < 4 or got[3].tobytes() == got[0].tobytes())
            tap.ok(good and same, what + ("" if same else " (workers or ranks differ)"),
                   "got %s\nwant %s" % (got[0], want))
    tap.done()


main()
