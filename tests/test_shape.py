# SPDX-License-Identifier: MIT
# Shapes against NumPy: transpose, swapaxes, moveaxis, flip and squeeze as views
# (read through, written through, reduced, viewed again), concatenate and stack of
# mixed dtypes; with tiny tiles (a transposed view crosses tiles the other way), 2
# workers and 2 MPI ranks, bitwise.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, check_saved, loader, run_configs  # noqa: E402

rng = np.random.default_rng(77)


def main():
    tap = TAP()
    with tempfile.TemporaryDirectory() as tmp:
        lines, want, sums = [], [], []
        load = loader(tmp, lines)

        def result(what, name, value):
            lines.append("save %s @OUT@/r%d.npy" % (name, len(want)))
            want.append((what, np.asarray(value)))

        x = rng.standard_normal((4, 5, 6))
        m = rng.standard_normal((7, 9))
        load("x", x)
        load("m", m)
        views = [("transpose()", "transpose", "x", "", x.transpose()),
                 ("transpose(1, 2, 0)", "transpose", "x", "1 2 0", x.transpose(1, 2, 0)),
                 ("transpose(-1, 0, 1)", "transpose", "x", "-1 0 1", x.transpose(-1, 0, 1)),
                 ("m.T", "transpose", "m", "", m.T),
                 ("swapaxes(0, 2)", "swapaxes", "x", "0 2", np.swapaxes(x, 0, 2)),
                 ("swapaxes(-1, 1)", "swapaxes", "x", "-1 1", np.swapaxes(x, -1, 1)),
                 ("moveaxis(0, -1)", "moveaxis", "x", "0 -1", np.moveaxis(x, 0, -1)),
                 ("moveaxis(2, 0)", "moveaxis", "x", "2 0", np.moveaxis(x, 2, 0)),
                 ("flip(axis=1)", "flip", "x", "1", np.flip(x, 1)),
                 ("flip(m, -1)", "flip", "m", "-1", np.flip(m, -1))]
        for what, op, src, args, value in views:
            lines.append("axes v %s %s %s" % (op, src, args))
            lines.append("copy c v")
            result(what + " read", "c", value)
            lines.append("new c v * 2 - 1")
            result(what + " in an expression", "c", value * 2 - 1)
            lines.append("reduce @OUT@/s%d.txt sum v[1:, ::2]" % len(sums))
            sums.append((what + " summed, sum(v[1:, ::2])", np.sum(value[1:, ::2])))
        # a transposed view as an operand against a plain one, and written through
        lines.append("axes t transpose m")
        lines.append("new c t[2:, :] * t[:-2, :]")
        result("m.T[2:] * m.T[:-2]", "c", m.T[2:, :] * m.T[:-2, :])
        mt = rng.standard_normal((9, 7))
        load("q", mt)
        lines.append("copy w m")
        lines.append("axes wt transpose w")
        lines.append("eval wt - wt * 0.5 + q")
        w = m.copy()
        w.T[...] = w.T * 0.5 + mt
        result("written through a transposed view", "w", w)
        lines.append("copy w m")
        lines.append("axes wf flip w 0")
        lines.append("eval wf 1:,2:-1 wf[:-1, 2:-1] + 1")
        w = m.copy()
        wf = np.flip(w, 0)
        wf[1:, 2:-1] = wf[:-1, 2:-1] + 1
        result("a flipped view written from itself (aliasing)", "w", w)
        lines.append("axes f2 flip x 2")
        lines.append("axes f3 swapaxes f2 0 1")
        lines.append("view f4 f3 1:, ::-2, 3")
        lines.append("copy c f4")
        result("a view of a swapped view of a flipped one", "c",
               np.swapaxes(np.flip(x, 2), 0, 1)[1:, ::-2, 3])
        # squeeze
        s = rng.standard_normal((1, 5, 1, 3))
        load("s", s)
        lines.append("axes v squeeze s")
        lines.append("copy c v")
        result("squeeze (1,5,1,3)", "c", np.squeeze(s))
        lines.append("view v1 m 2:3, 4:5")
        lines.append("axes v squeeze v1")
        lines.append("new c v + 1")
        result("squeeze to 0-d", "c", np.asarray(np.squeeze(m[2:3, 4:5]) + 1).reshape(1))
        # new axes (None, expand_dims), '...', broadcast_to
        for index, value in (("None, :, 2:", m[None, :, 2:]), (":, None", m[:, None]),
                             ("..., None", m[..., None]), ("None, ..., ::-2", m[None, ..., ::-2]),
                             ("3, None, 1:", m[3, None, 1:]), ("...", m[...]),
                             ("None, None", m[None, None]), ("..., 4", m[..., 4]),
                             ("2, ..., None, 5", m[2, ..., None, 5])):
            lines.append("view v m %s" % index)
            lines.append("copy c v")
            result("m[%s]" % index, "c", value)
        for index, value in (("1:, None, ..., 2", x[1:, None, ..., 2]),
                             ("..., None, 1", x[..., None, 1]), ("None, 2, ..., ::2", x[None, 2, ..., ::2])):
            lines.append("view v x %s" % index)
            lines.append("new c v - 1")
            result("x[%s] - 1" % index, "c", value - 1)
        lines.append("new c m[None, 1:, :] + m[:-1, None, :]")
        result("m[None, 1:] + m[:-1, None] (an outer sum through new axes)", "c",
               m[None, 1:, :] + m[:-1, None, :])
        lines.append("reduce @OUT@/s%d.txt sum m[:, None, 2:] * m[None, 3, 2:]" % len(sums))
        sums.append(("sum through new axes", np.sum(m[:, None, 2:] * m[None, 3, 2:])))
        for axis in (0, 1, 2, -1, -3):
            lines.append("axes v expand_dims m %d" % axis)
            lines.append("copy c v")
            result("expand_dims(m, %d)" % axis, "c", np.expand_dims(m, axis))
        lines.append("copy w m")
        lines.append("view wn w None, 2:5, :")
        lines.append("eval wn - wn * 3")
        w = m.copy()
        w[None, 2:5, :] *= 3
        result("written through a view with a new axis", "w", w)
        r1 = rng.standard_normal((1, 9))
        load("r1", r1)
        for shape in ((7, 9), (3, 7, 9), (2, 1, 9)):
            lines.append("bcast v r1 %s" % " ".join(map(str, shape)))
            lines.append("copy c v")
            result("broadcast_to((1,9), %s)" % (shape,), "c", np.broadcast_to(r1, shape))
        lines.append("bcast v m 4 7 9")
        lines.append("new c v[1:3] * 2 + m")
        result("broadcast_to(m, (4,7,9))[1:3] * 2 + m", "c", np.broadcast_to(m, (4, 7, 9))[1:3] * 2 + m)
        lines.append("view mc m :, 4")
        lines.append("axes mc2 expand_dims mc 1")
        lines.append("bcast v mc2 7 6")
        lines.append("copy c v")
        result("a column broadcast along rows", "c", np.broadcast_to(m[:, 4:5], (7, 6)))
        lines.append("reduce @OUT@/s%d.txt sum v" % len(sums))
        sums.append(("sum of a broadcast view", np.sum(np.broadcast_to(m[:, 4:5], (7, 6)))))
        lines += ["expect 202", "eval v - v + 1",
                  "expect 203", "bcast v m 7 3",
                  "expect 205", "view v m ..., 1, ...",
                  "expect 205", "axes v expand_dims m 3"]
        # reshape: a copy (tiles of any shape, views, transposed views), or a view when
        # only axes of length 1 come or go
        for src, value, shapes in (("x", x, ((6, 20), (120,), (2, 3, 20), (-1, 4), (5, -1, 2))),
                                   ("m", m, ((9, 7), (63,), (3, 21), (21, 1, 3)))):
            for shape in shapes:
                lines.append("reshape r %s %s" % (src, " ".join(map(str, shape))))
                lines.append("copy c r")
                result("reshape %s to %s" % (src, shape), "c", value.reshape(shape))
        lines.append("axes t transpose x")
        lines.append("reshape r t 10 12")
        lines.append("copy c r")
        result("reshape of a transposed view (6,5,4) to (10,12)", "c", x.transpose().reshape(10, 12))
        lines.append("view v m 1:-1, ::-3")
        lines.append("reshape r v 3 5")
        lines.append("new c r * 2")
        result("reshape of a stepped view m[1:-1, ::-3] to (3,5), then * 2", "c",
               m[1:-1, ::-3].reshape(3, 5) * 2)
        lines.append("copy w m")
        lines.append("view v w 2:3, :")
        lines.append("reshape r v 1 1 9")
        lines.append("eval r - r + 100")
        w = m.copy()
        w[2, :] += 100
        result("reshape adding axes of length 1 is a view (written through)", "w", w)
        lines.append("reshape r v 9")
        lines.append("copy c r")
        result("reshape dropping an axis of length 1", "c", w[2:3, :].reshape(9))
        lines += ["expect 203", "reshape r m 10 7", "expect 202", "reshape r m -1 -1",
                  "expect 202", "reshape r m 3 -2", "expect 203", "reshape r m -1 5"]
        # concatenate and stack
        a = rng.standard_normal((3, 4))
        b = rng.integers(-5, 5, (2, 4)).astype(np.int32)
        c = rng.standard_normal((3, 5)).astype(np.float32)
        load("a", a)
        load("b", b)
        load("cc", c)
        lines.append("join r concatenate 0 a b a")
        result("concatenate((a, b, a)) float64 and int32", "r", np.concatenate((a, b, a)))
        lines.append("join r concatenate 1 a cc")
        result("concatenate along axis 1, float64 and float32", "r", np.concatenate((a, c), 1))
        lines.append("join r concatenate -1 cc cc")
        result("concatenate float32 along -1", "r", np.concatenate((c, c), -1))
        lines.append("view av a :, ::-1")
        for axis in (0, 1, 2, -1):
            lines.append("join r stack %d a av a" % axis)
            result("stack along %d" % axis, "r", np.stack((a, a[:, ::-1], a), axis))
        lines.append("join r stack 0 b b")
        result("stack of int32", "r", np.stack((b, b)))
        lines.append("axes at transpose a")
        lines.append("join r concatenate 0 at at")
        result("concatenate of transposed views", "r", np.concatenate((a.T, a.T)))
        # refusals
        lines += ["expect 205", "axes v transpose x 0 1 5",
                  "expect 202", "axes v transpose x 0 1 1",
                  "expect 205", "axes v swapaxes x 0 3",
                  "expect 205", "axes v moveaxis x -4 0",
                  "expect 205", "axes v flip m 2",
                  "expect 203", "join r concatenate 1 a b",
                  "expect 203", "join r concatenate 0 a x",
                  "expect 205", "join r concatenate 2 a a",
                  "expect 203", "join r stack 0 a b",
                  "expect 205", "join r stack 3 a a",
                  "expect 202", "join r stack 0",
                  "expect 201", "join r concatenate 0 a nothere"]
        configs = [("1 CPU", "", ["--sa-ncpus=1"]),
                   ("2 CPUs, tiny 2x3x2 tiles", "tile 2 3 2", ["--sa-ncpus=2"]),
                   ("2 MPI ranks, tiny tiles", "tile 2 3 2", ["--sa-ncpus=1"]),
                   ("1 CPU, 1x1x1 tiles (reshape tasks of many input tiles)",
                    "tile 1 1 1", ["--sa-ncpus=1"])]
        outs = run_configs(tap, lines, configs, tmp)
        check_saved(tap, outs, want)
        for k, (what, w) in enumerate(sums):
            vals = []
            for o in outs:
                path = os.path.join(o, "s%d.txt" % k)
                vals.append(float(open(path).read().split()[0]) if os.path.exists(path) else None)
            good = vals[0] is not None and abs(vals[0] - w) <= 1e-13 * abs(w)
            tap.ok(good and vals[1] is not None, what, "got %s want %r" % (vals, w))
    tap.done()


main()
