# SPDX-License-Identifier: MIT
# Reductions against NumPy: every reduction and dtype, small and odd shapes with
# tiny tiles, views, fused expressions, empty arrays, NaN; sums against exact sums
# (math.fsum); the same value bitwise for 1 and 2 workers and two schedulers.
import math
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, launcher_for, loader, mpi_configs, run_script, script_binary  # noqa: E402

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
OPS = ["sum", "prod", "min", "max", "mean", "all", "any", "argmin", "argmax"]
rng = np.random.default_rng(99)


def numpy_reduce(op, x):
    r = getattr(np, op)(x)
    if (op in ("sum", "prod") and x.dtype.kind in "bi") or op.startswith("arg"):
        r = np.int64(r)
    return r


def main():
    tap = TAP()
    binary = script_binary()
    with tempfile.TemporaryDirectory() as tmp:
        lines, expect = [], []
        load = loader(tmp, lines)

        def case(what, op, expr, want, rtol=0.0):
            lines.append("reduce @OUT@ %s %s" % (op, expr))
            expect.append((what, np.asarray(want), rtol))

        for shape in [(1, 7), (7, 1), (3, 5), (13, 11)]:
            for t in DTYPES:
                x = rng.integers(-3, 4, shape).astype(t) if t != "bool" else \
                    rng.integers(0, 2, shape).astype(bool)
                if t.startswith("float"):
                    x = (rng.standard_normal(shape) * 3).astype(t)
                load("x", x)
                for op in OPS:
                    want = numpy_reduce(op, x)
                    tol = 1e-6 if t == "float32" and op in ("sum", "mean", "prod") else \
                        1e-14 if op in ("sum", "mean", "prod") and t == "float64" else 0
                    case("%s %s %s" % (op, t, shape), op, "x", want, tol)
        # views and fused map-reduce
        u = rng.standard_normal((9, 12))
        un = rng.standard_normal((9, 12))
        load("u", u)
        load("un", un)
        case("sum of a view u[1:-1, ::-3]", "sum", "u[1:-1, ::-3]", np.sum(u[1:-1, ::-3]), 1e-14)
        case("fused sum((u - un)**2)", "sum", "(u - un)**2", np.sum((u - un) ** 2), 1e-14)
        case("fused max(abs(u - un))", "max", "abs(u - un)", np.max(np.abs(u - un)))
        case("fused any(u > 2.5)", "any", "u > 2.5", np.any(u > 2.5))
        case("broadcast (9,1)*(1,12) sum", "sum", "u[:, 0:1] * un[0:1, :]",
             np.sum(u[:, 0:1] * un[0:1, :]), 1e-14)
        # sa_eval_reduce: a statement and reductions of what it reads, in one pass; the
        # reductions see un before the statement overwrites it. The same sums with
        # sa_reduce just before must give the same bits (same tiles, same order).
        fw = rng.standard_normal((9, 12))
        load("w", fw)
        load("wn", np.zeros((9, 12)))
        pairs = []
        for it in range(2):
            old_wn = np.zeros((9, 12)) if it == 0 else fw.copy()
            pairs.append((len(expect), len(expect) + 1))
            case("sa_reduce before sa_eval_reduce (%d)" % it, "sum", "(w - wn)**2",
                 np.sum((fw - old_wn) ** 2), 1e-14)
            # 'sum wn' reads wn's memory in place: it must still see the old values
            lines.append("evalred @OUT@ wn - w ; sum (w - wn)**2 ; max abs(wn) ; mean w > 0 ; "
                         "sum wn")
            expect.append(("sa_eval_reduce sum((w - wn)**2) while wn = w (%d)" % it,
                           np.asarray(np.sum((fw - old_wn) ** 2)), 1e-14))
            expect.append(("sa_eval_reduce max(abs(wn)) of the old wn (%d)" % it,
                           np.asarray(np.max(np.abs(old_wn))), 0))
            expect.append(("sa_eval_reduce mean(w > 0) (%d)" % it,
                           np.asarray(np.mean(fw > 0)), 1e-15))
            expect.append(("sa_eval_reduce sum(wn) of the old wn, read in place (%d)" % it,
                           np.asarray(np.sum(old_wn)), 1e-14))
        # sum(x**2) of an extra squares values as it sums them: the bits of sa_reduce,
        # which stores the squares first
        # (a and b meet in one accumulator of the vectorised chunk sum, where
        # round(a*a) + round(b*b) != round(round(a*a) + b*b): a square fused into the
        # addition would give another last bit)
        sq = np.zeros((1, 16))
        sq[0, 0], sq[0, 8] = 1.2094563824951179, 1.2154811692247323
        load("sq", sq)
        load("sqo", np.zeros((1, 16)))
        load("sqz", np.zeros((1, 16)))

        def same_bits(rexpr, how, want):
            """sum(rexpr) by sa_reduce and by sa_eval_reduce (statement sqo = sq): both
            want, and the same bits"""
            pairs.append((len(expect), len(expect) + 1))
            case("sa_reduce sum(%s)" % rexpr, "sum", rexpr, want, 1e-14)
            lines.append("evalred @OUT@ sqo - sq ; sum %s" % rexpr)
            expect.append(("sa_eval_reduce sum(%s), %s" % (rexpr, how), np.asarray(want),
                           1e-14))

        same_bits("sq**2", "squared as summed", np.sum(sq ** 2))
        # sum((x - y)**2): subtracted and squared as summed (y = 0: the same values)
        same_bits("(sq - sqz)**2", "subtracted and squared as summed", np.sum(sq ** 2))
        # the statement's own square stays when '_' (or another extra) follows it
        ww = rng.standard_normal((5, 7))
        load("ww", ww)
        load("wo", np.zeros((5, 7)))
        lines.append("evalred @OUT@ wo - ww**2 ; sum _")
        expect.append(("sa_eval_reduce sum(_) of a statement x**2",
                       np.asarray(np.sum(ww ** 2)), 1e-14))
        lines.append("evalred @OUT@ wo - ww + 1 ; max ww**2 ; sum _")
        expect.append(("sa_eval_reduce max(x**2) then sum(_)", np.asarray(np.max(ww ** 2)), 0))
        expect.append(("sa_eval_reduce sum(_) after max(x**2)", np.asarray(np.sum(ww + 1)),
                       1e-14))
        lines.append("save wn @OUT@.wn.npy")
        # '_' names the statement's result: a stencil and the change it makes
        st = rng.standard_normal((9, 12))
        load("st", st)
        new = 0.25 * (st[1:-1, 2:] + st[1:-1, :-2] + st[2:, 1:-1] + st[:-2, 1:-1])
        lines.append("evalred @OUT@ st 1:-1,1:-1 0.25 * (st[1:-1, 2:] + st[1:-1, :-2] + "
                     "st[2:, 1:-1] + st[:-2, 1:-1]) ; sum (_ - st[1:-1, 1:-1])**2 ; max abs(_)")
        expect.append(("sa_eval_reduce sum((_ - old)**2) of a stencil's result",
                       np.asarray(np.sum((new - st[1:-1, 1:-1]) ** 2)), 1e-14))
        expect.append(("sa_eval_reduce max(abs(_)) of a stencil's result",
                       np.asarray(np.max(np.abs(new))), 0))
        # a compiled statement whose reductions read the memory it overwrites: they
        # see the old values (the kernel's box is interpreted)
        al = rng.standard_normal((9, 12))
        load("al", al)
        lines.append("evalred @OUT@ al - al * 2 ; sum al ; max abs(al) ; sum (_ - al)**2")
        expect.append(("sa_eval_reduce sum(al) while al = al * 2: the old al",
                       np.asarray(np.sum(al)), 1e-14))
        expect.append(("sa_eval_reduce max(abs(al)) while al = al * 2: the old al",
                       np.asarray(np.max(np.abs(al))), 0))
        expect.append(("sa_eval_reduce sum((_ - al)**2) while al = al * 2: the old al",
                       np.asarray(np.sum((2 * al - al) ** 2)), 1e-14))
        case("al = al * 2 was done", "max", "abs(al)", np.max(np.abs(2 * al)))
        lines += ["expect 301", "evalred @OUT@ st 1:-1,1:-1 st[1:-1, 1:-1] ; sum _[:, :]",
                  "expect 301", "evalred @OUT@ wn - w > 0 ; sum _"]
        lines += ["expect 203", "evalred @OUT@ wn - w ; sum w[1:]",
                  "expect 301", "evalred @OUT@ wn - w ; argmax w",
                  "expect 202", "evalred @OUT@ wn - w"]
        case("sum of empty", "sum", "u[3:3]", np.float64(0))
        case("prod of empty", "prod", "u[:, 5:5]", np.float64(1))
        case("any of empty", "any", "u[3:3] > 0", np.bool_(False))
        lines.append("expect 202")
        lines.append("reduce @OUT@ max u[3:3]")
        lines.append("expect 202")
        lines.append("reduce @OUT@ median u")
        lines.append("norm @OUT@ u")
        expect.append(("norm(u) = sqrt(sum(u*u))", np.asarray(np.linalg.norm(u)), 1e-14))
        x1, y1 = rng.standard_normal(1000), rng.standard_normal(1000)
        load("x1", x1)
        load("y1", y1)
        lines.append("dot @OUT@ x1 y1")
        expect.append(("dot(x1, y1) of 1000-vectors", np.asarray(np.dot(x1, y1)), 1e-12))
        load("big_int", np.arange(5))
        lines += ["expect 203", "dot @OUT@ u x1", "expect 204", "norm @OUT@ big_int"]
        nanu = u.copy()
        nanu[4, 5] = np.nan
        load("w", nanu)
        case("max propagates NaN", "max", "w", np.max(nanu))
        case("sum propagates NaN", "sum", "w", np.sum(nanu))
        nanu2 = nanu.copy()
        nanu2[7, 1] = np.nan
        load("w2", nanu2)
        case("argmax finds the first NaN", "argmax", "w2", np.int64(np.argmax(nanu2)))
        case("argmin of a view u[::-1, 2:]", "argmin", "u[::-1, 2:]",
             np.int64(np.argmin(u[::-1, 2:])))
        ties = np.array([[3, 1, 1], [1, 0, 0], [5, 0, 7]], dtype=np.int32)
        load("t", ties)
        case("argmin takes the first of equal values", "argmin", "t", np.int64(np.argmin(ties)))
        case("argmax of a fused expression", "argmax", "-(t - 4)**2", np.int64(np.argmax(-(ties - 4) ** 2)))
        # var and std (ddof 0 and 1), count_nonzero, one element read, *_like
        for t in DTYPES:
            x = (rng.standard_normal((6, 7)) * 3 + 1).astype(t) if t.startswith("float") \
                else rng.integers(0, 2 if t == "bool" else 9, (6, 7)).astype(t)
            load("m", x)
            tol = 2e-6 if t == "float32" else 1e-13
            for ddof in (0, 1):
                for op in ("var", "std"):
                    lines.append("stat @OUT@ %s m %d" % (op, ddof))
                    expect.append(("%s(%s, ddof=%d)" % (op, t, ddof),
                                   np.asarray(getattr(np, op)(x, ddof=ddof)), tol))
            lines.append("stat @OUT@ count_nonzero m")
            expect.append(("count_nonzero(%s)" % t, np.asarray(np.int64(np.count_nonzero(x))), 0))
            for idx in ((2, -1), (-6, 0), (5, 6)):
                lines.append("item @OUT@ m %d %d" % idx)
                expect.append(("item%s of %s" % (idx, t), np.asarray(x[idx]), 0))
            for kind, value in (("zeros", 0), ("ones", 1), ("full", 7.75)):
                lines.append("like z m %s %s" % (kind, value))
                lines.append("item @OUT@ z 3 4")
                expect.append(("%s_like(%s) holds %s in %s" % (kind, t, value, t),
                               np.asarray(np.full_like(x, value)[3, 4]), 0))
        big_i = np.array([2**62 + 1, -(2**53) - 1], dtype=np.int64)
        load("bi", big_i)
        lines.append("item @OUT@ bi 0")
        expect.append(("sa_item_int reads an int64 beyond 2**53 exactly", np.asarray(big_i[0]), 0))
        lines.append("view vv u 1:-1, ::-2")
        lines.append("stat @OUT@ var vv 0")
        expect.append(("var of a view u[1:-1, ::-2]", np.asarray(np.var(u[1:-1, ::-2])), 1e-13))
        lines.append("item @OUT@ vv 0 0")
        expect.append(("item of a view", np.asarray(u[1:-1, ::-2][0, 0]), 0))
        lines.append("view e u 3:3, :")
        lines.append("stat @OUT@ var e 0")
        expect.append(("var of an empty array is NaN", np.asarray(np.float64(np.nan)), 0))
        lines.append("stat @OUT@ std u %d" % u.size)
        expect.append(("std with ddof = n is inf", np.asarray(np.float64(np.inf)), 0))
        lines += ["expect 205", "item @OUT@ u 9 0", "expect 205", "item @OUT@ u 0 -13"]
        # accuracy: 2e6 values whose exact sum is known
        big = rng.standard_normal(2_000_000) * 1e3 + 1e-3
        lines.append("tile 65536")  # tiny tiles on 2e6 elements would be 1e6 tasks
        load("big", big)
        exact = math.fsum(big)
        case("sum of 2e6 values within 1e-12 of math.fsum", "sum", "big", exact, 1e-12)
        # sa_eval_reduce whose reductions are all float sums, over rows that cut the
        # chunks of 256 anywhere and rows longer than a kernel call: compiled, the kernel
        # folds the whole chunks itself; the bits must be sa_reduce's (pairs)
        for shape, tile in (((37, 301), "tile 16 301"), ((9, 5000), "tile 4 5000")):
            fi = rng.standard_normal(shape)
            lines.append(tile)
            load("fi", fi)
            load("fo", np.zeros(shape))
            new = fi * 0.5 + 1
            sums = [("(_ - fi)**2", "(fi * 0.5 + 1 - fi)**2", np.sum((new - fi) ** 2)),
                    ("fi**2", "fi**2", np.sum(fi ** 2)), ("_", "fi * 0.5 + 1", np.sum(new)),
                    ("fi * 3", "fi * 3", np.sum(fi * 3))]
            first = len(expect)
            lines.append("evalred @OUT@ fo - fi * 0.5 + 1 ; " +
                         " ; ".join("sum " + e for e, _, _ in sums))
            for e, _, want in sums:
                expect.append(("sa_eval_reduce sum(%s) over %s" % (e, shape), np.asarray(want),
                               1e-12))
            for k, (e, plain, want) in enumerate(sums):
                pairs.append((first + k, len(expect)))
                case("sa_reduce sum(%s) over %s" % (plain, shape), "sum", plain, want, 1e-12)

        configs = [("1 CPU, eager", "", ["--sa-ncpus=1", "--sa-sched=eager"]),
                   ("2 CPUs, lws, tiny tiles", "tile 2 2", ["--sa-ncpus=2", "--sa-sched=lws"]),
                   ("2 CPUs, dmda, tiny tiles", "tile 2 2", ["--sa-ncpus=2", "--sa-sched=dmda"]),
                   ("2 CPUs, compiled, tiny tiles", "tile 2 2", ["--sa-ncpus=2", "--sa-jit=sync"]),
                   ("2 CPUs, interpreted, tiny tiles", "tile 2 2",
                    ["--sa-ncpus=2", "--sa-jit=off"]),
                   ("2 MPI ranks x 1 CPU, tiny tiles", "tile 2 2", ["--sa-ncpus=1"])]
        configs = mpi_configs(configs)
        outs = []
        for name, tile, opts in configs:
            out = os.path.join(tmp, "r%d.txt" % len(outs))
            script = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in lines]
            ok, log = run_script(binary, script, opts, tmp, launcher_for(name))
            tap.ok(ok, "script runs, refusals refused (%s)" % name, log)
            outs.append(open(out).read().split("\n") if os.path.exists(out) else [])
        for k, (what, want, rtol) in enumerate(expect):
            vals = [o[k] if k < len(o) else "missing" for o in outs]
            try:
                v, dt = vals[0].split()
                v = float(v)
                good = dt == want.dtype.name
                w = float(want)
                if rtol:
                    good = good and (abs(v - w) <= rtol * max(abs(w), 1e-300) or
                                     (math.isnan(v) and math.isnan(w)))
                else:
                    good = good and (v == w or (math.isnan(v) and math.isnan(w)))
            except ValueError:
                good, v, dt = False, vals[0], "?"
            # tiny tiles change the summation order; workers, schedulers and MPI
            # ranks must not
            same = all(v == vals[1] for v in vals[2:])
            tap.ok(good and same, what + ("" if same else " (workers/schedulers/ranks differ)"),
                   "got %s, want %r %s; all: %s" % (vals[0], float(want), want.dtype, vals))
        for k, (a, b) in enumerate(pairs):
            same = all(len(o) > b and o[a] == o[b] for o in outs)
            tap.ok(same, "sa_eval_reduce's sum has the bits of sa_reduce's (%d)" % k,
                   [(o[a], o[b]) for o in outs if len(o) > b])
        got_wn = [np.load(os.path.join(tmp, "r%d.txt.wn.npy" % k))
                  if os.path.exists(os.path.join(tmp, "r%d.txt.wn.npy" % k)) else None
                  for k in range(len(outs))]
        tap.ok(all(g is not None and np.array_equal(g, fw) for g in got_wn),
               "sa_eval_reduce also did the statement (wn = w)", got_wn)
    tap.done()


main()
