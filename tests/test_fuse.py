# SPDX-License-Identifier: MIT
# Runs of statements (lib/defer.c): consecutive statements that write the same tile
# become one task per tile. Every case is a script whose arrays are compared with
# NumPy's (bitwise) with --sa-fuse=on and off, over several tilings, worker counts
# and 1, 2 and 4 MPI ranks; the cases are those that must not fuse (halo reads of
# data written in the run, overlapping views, a statement writing what another
# tile's task read, a future or a release between statements), an error in the
# middle of a run, and a long chain. CFD step 12's pressure iteration must become
# one task per tile (the count --sa-verbose=2 prints).
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, mpi_launcher, run_script, script_binary  # noqa: E402

rng = np.random.default_rng(2026)
SCRIPT = script_binary()
NY, NX = 24, 18


class Script:
    """Script lines and the NumPy state they should leave."""

    def __init__(self, tmp):
        self.tmp, self.lines, self.np, self.saved = tmp, [], {}, []

    def array(self, name, x):
        path = os.path.join(self.tmp, "in%d_%s.npy" % (id(self), name))
        np.save(path, x)
        self.lines.append("load %s %s" % (name, path))
        self.np[name] = x.copy()

    def uniform(self, *names):
        """Each name a random float64 field in [-1, 1), loaded."""
        for name in names:
            self.array(name, rng.uniform(-1, 1, (NY, NX)))

    def eval(self, name, index, expr, numpy_stmt):
        self.lines.append("eval %s %s %s" % (name, index, expr))
        exec(numpy_stmt, {"np": np}, self.np)

    def save_all(self):
        for name in sorted(self.np):
            if isinstance(self.np[name], np.ndarray):
                self.lines.append("save %s @OUT@/%s.npy" % (name, name))
                self.saved.append(name)


def pressure(s, p, pn, iters):
    """CFD-12's pressure iteration (apps/cfd12), names swapped instead of copied."""
    s.np.update(dx=0.1, dy=0.05)
    s.lines += ["num dx 0.1", "num dy 0.05"]
    for _ in range(iters):
        for col, e, w in (("1:-1", "2:", "0:-2"), ("-1", "0", "-2"), ("0", "1", "-1")):
            expr = ("((%s[1:-1, %s] + %s[1:-1, %s]) * dy**2 + (%s[2:, %s] + %s[0:-2, %s]) * "
                    "dx**2) / (2 * (dx**2 + dy**2)) - dx**2 * dy**2 / (2 * (dx**2 + dy**2)) "
                    "* b[1:-1, %s]" % (pn, e, pn, w, pn, col, pn, col, col))
            s.eval(p, "1:-1,%s" % col, expr, "%s[1:-1, %s] = %s" % (p, col, expr))
        s.eval(p, "-1", "%s[-2]" % p, "%s[-1] = %s[-2]" % (p, p))
        s.eval(p, "0", "%s[1]" % p, "%s[0] = %s[1]" % (p, p))
        p, pn = pn, p


def build(tmp):
    cases = []

    def case(name):
        s = Script(tmp)
        cases.append((name, s))
        return s

    s = case("CFD-12 pressure iterations")
    s.uniform("p", "q", "b")
    pressure(s, "p", "q", 6)

    s = case("a halo read of data written earlier in the run")
    s.uniform("a", "c")
    s.eval("a", "1:-1,:", "c[1:-1] * 2 + a[1:-1]", "a[1:-1] = c[1:-1] * 2 + a[1:-1]")
    s.eval("c", "1:-1,:", "a[2:] - a[:-2] + c[1:-1]", "c[1:-1] = a[2:] - a[:-2] + c[1:-1]")
    s.eval("a", "-", "a + c[::-1]", "a[...] = a + c[::-1]")

    s = case("a halo read of data another group wrote, into a group begun earlier")
    s.uniform("x", "y", "c", "a")
    s.eval("c", "-", "y * 2", "c[...] = y * 2")
    s.eval("a", "-", "x + 1", "a[...] = x + 1")
    s.eval("c", ":-1,:", "a[1:] + c[:-1]", "c[:-1] = a[1:] + c[:-1]")
    s.eval("c", ":,1:", "a[:, :-1] * c[:, 1:]", "c[:, 1:] = a[:, :-1] * c[:, 1:]")

    s = case("a statement writes what another tile's task of the run read")
    s.uniform("x", "y")
    s.eval("x", "1:-1,:", "y[2:] + y[:-2]", "x[1:-1] = y[2:] + y[:-2]")
    s.eval("y", "-", "y * 3 - x", "y[...] = y * 3 - x")
    s.eval("x", "-", "x + y[::-1, ::-1]", "x[...] = x + y[::-1, ::-1]")

    s = case("overlapping and disjoint views of one base")
    s.uniform("a")
    s.lines += ["view top a 0:12, :", "view mid a 6:18, :", "view rows a ::2, :"]
    s.eval("top", "-", "top + 1", "a[0:12] = a[0:12] + 1")
    s.eval("mid", "-", "mid * 2 + top", "a[6:18] = a[6:18] * 2 + a[0:12]")
    s.eval("a", "1:,:", "a[:-1] + 0.5", "a[1:] = a[:-1] + 0.5")
    s.eval("a", "0:5,:", "a[5:10] * a[-5:]", "a[0:5] = a[5:10] * a[-5:]")
    s.eval("rows", "-", "a[1::2] - rows", "a[::2] = a[1::2] - a[::2]")
    s.eval("a", "-1,:", "a[-2]", "a[-1] = a[-2]")

    s = case("a future and a release between statements")
    s.array("a", rng.integers(1, 8, (NY, NX)) / 8)  # an exact sum in any order
    s.array("c", rng.uniform(0, 1, (NY, NX)))
    s.lines.append("future f sum a")
    s.np["f"] = s.np["a"].sum()
    s.eval("a", "-", "a / f + c", "a[...] = a / f + c")
    s.lines.append("new t a * c")
    s.np["t"] = s.np["a"] * s.np["c"]
    s.eval("c", "-", "t + c", "c[...] = t + c")
    s.lines.append("release t")
    del s.np["t"]
    s.eval("a", "-", "a - c", "a[...] = a - c")

    s = case("an error in the middle of a run")
    s.uniform("a", "c")
    s.eval("a", "-", "a * 2", "a[...] = a * 2")
    s.lines += ["expect 203", "eval a 1: c"]
    s.lines += ["expect 202", "eval c - c + nothere"]
    s.eval("c", "-", "c + a", "c[...] = c + a")
    s.eval("a", "-", "a - c", "a[...] = a - c")

    s = case("a chain of 150 statements over two arrays, several dtypes")
    s.uniform("a")
    s.array("i", rng.integers(-50, 50, (NY, NX)).astype(np.int32))
    for k in range(75):
        s.eval("a", "-", "a * 0.75 + %d" % (k % 7), "a[...] = a * 0.75 + %d" % (k % 7))
        s.eval("i", "-", "i + (a > 0)", "i[...] = i + (a > 0)")
    return cases


def main():
    tap = TAP()
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(tmp)
        configs = [("one tile, 1 CPU", "", ["--sa-ncpus=1"]),
                   ("5x18 tiles, 2 CPUs", "tile 5 18", ["--sa-ncpus=2"]),
                   ("4x5 tiles, 2 CPUs, dmda", "tile 4 5", ["--sa-ncpus=2", "--sa-sched=dmda"])]
        if mpi_launcher(2):
            configs += [("5x18 tiles, 2 MPI ranks", "tile 5 18", ["--sa-ncpus=1"]),
                        ("4x5 tiles, 4 MPI ranks", "tile 4 5", ["--sa-ncpus=1"])]
        for cname, s in cases:
            s.save_all()
            for name, tile, opts in configs:
                launcher = mpi_launcher(int(name.split()[-3])) if "MPI" in name else ()
                outs = []
                for fuse in ("on", "off"):
                    out = os.path.join(tmp, "out-%d-%s" % (len(outs), fuse))
                    os.makedirs(out, exist_ok=True)
                    for f in os.listdir(out):
                        os.remove(os.path.join(out, f))
                    lines = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in s.lines]
                    ok, log = run_script(SCRIPT, lines, opts + ["--sa-fuse=" + fuse], tmp,
                                         launcher)
                    outs.append((ok, log, out))
                for (ok, log, out), fuse in zip(outs, ("on", "off")):
                    bad = [] if ok else ["script failed:\n" + log]
                    for a in s.saved if ok else []:
                        got, want = np.load(os.path.join(out, a + ".npy")), s.np[a]
                        if got.dtype != want.dtype or got.tobytes() != want.tobytes():
                            diff = np.argwhere(got != want) if got.shape == want.shape else []
                            bad.append("%s: %d elements differ, first at %s: got %r, want %r"
                                       % (a, len(diff), diff[:3].tolist(), got[tuple(diff[0])],
                                          want[tuple(diff[0])]) if len(diff) else
                                       "%s: got %s %s, want %s %s" % (a, got.dtype, got.shape,
                                                                    want.dtype, want.shape))
                    tap.ok(not bad, "%s, %s, --sa-fuse=%s: NumPy's values, bitwise"
                           % (cname, name, fuse), "\n".join(bad))

        # one task per tile and pressure iteration, instead of five
        s = Script(tmp)
        s.uniform("p", "q", "b")
        pressure(s, "p", "q", 8)
        for tile, tiles in (("", 1), ("tile 6 18", 4), ("tile 12 9", 4)):
            ok, log = run_script(SCRIPT, ([tile] if tile else []) + s.lines,
                                 ["--sa-ncpus=2", "--sa-verbose=2"], tmp)
            m = re.search(r"tasks: (\d+) for (\d+) statements \([0-9.]+ a statement\); (\d+) "
                          r"of them runs of (\d+) statements' tiles", log)
            counts = (int(m.group(1)), int(m.group(3))) if m else None
            tap.ok(ok and counts and counts[0] == 8 * tiles and counts[1] == 8 * tiles,
                   "8 pressure iterations on %d tile%s: %d tasks, each a run (got %s)"
                   % (tiles, "s" if tiles > 1 else "", 8 * tiles, counts), log)
        ok, log = run_script(SCRIPT, s.lines, ["--sa-verbose=2", "--sa-fuse=off"], tmp)
        tap.ok(ok and re.search(r"tasks: 40 for 40 statements \(1 a statement\); 0 of them "
                                r"runs", log),
               "--sa-fuse=off: a task per statement, no runs", log)
    tap.done()


main()
