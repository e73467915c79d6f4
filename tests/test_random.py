# SPDX-License-Identifier: MIT
# Randomised differential test: random expressions over random views, evaluated by
# libstarray and by NumPy (the expression text is valid Python), compared bitwise.
# Seeded (STARRAY_TEST_SEED, default below); the seed is printed with any failure.
# hypot is NumPy's (glibc's) with --sa-math=native only: with portable, expressions
# using it agree bitwise across configurations and with NumPy within tolerance.
import math
import os
import random
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, launcher_for, mpi_configs, run_script, script_binary  # noqa: E402

SEED = int(os.environ.get("STARRAY_TEST_SEED", "20261125"))
BASE = (13, 17)


def random_view(r, name, shape):
    """Text name[...] selecting `shape` from a BASE-shaped array."""
    parts = []
    for n, want in zip(BASE, shape):
        step = r.choice([1, 1, 2, -1, -2, 3])
        span = (want - 1) * abs(step) + 1
        if span > n:
            step, span = 1, want
        lo = r.randrange(0, n - span + 1)
        if step > 0:
            parts.append("%d:%d:%d" % (lo, lo + span, step))
        else:
            hi = lo + span - 1
            stop = lo - 1
            parts.append("%d:%s:%d" % (hi, stop if stop >= 0 else "", step))
    return "%s[%s]" % (name, ", ".join(parts))


def random_expr(r, shape, depth):
    if depth == 0 or r.random() < 0.25:
        k = r.random()
        if k < 0.15:
            return repr(round(r.uniform(-3, 3), 3))
        if k < 0.25:
            return r.choice(["s", "t"])
        return random_view(r, r.choice("uvw"), shape)
    a, b = random_expr(r, shape, depth - 1), random_expr(r, shape, depth - 1)
    form = r.choice(["(%s + %s)", "(%s - %s)", "(%s * %s)", "(%s / %s)", "maximum(%s, %s)",
                     "minimum(%s, %s)", "abs(%s - %s)", "sqrt(abs(%s) + abs(%s))",
                     "where(%s > %s, %s, %s)", "-(%s) * %s", "(%s)**2 + %s",
                     "clip(%s, -1.0, %s)", "fmod(%s, 1.5) * %s", "sign(%s) * %s",
                     "round(%s) + %s", "hypot(%s, %s)", "where(isnan(%s), 0.0, %s)"])
    if form.count("%s") == 4:
        return form % (a, b, random_expr(r, shape, depth - 1), random_expr(r, shape, depth - 1))
    return form % (a, b)


def main():
    tap = TAP()
    r = random.Random(SEED)
    binary = script_binary()
    rng = np.random.default_rng(SEED)
    env = {n: rng.standard_normal(BASE) for n in "uvw"}
    env.update(s=1.25, t=-0.5, maximum=np.maximum, minimum=np.minimum, where=np.where,
               sqrt=np.sqrt, abs=np.abs, clip=np.clip, fmod=np.fmod, sign=np.sign,
               round=np.round, hypot=np.hypot, isnan=np.isnan)
    with tempfile.TemporaryDirectory() as tmp:
        lines = ["num s 1.25", "num t -0.5"]
        for n in "uvw":
            path = os.path.join(tmp, n + ".npy")
            np.save(path, env[n])
            lines.append("load %s %s" % (n, path))
        cases = []
        for k in range(80):
            shape = (r.randint(1, 6), r.randint(1, 8))
            text = ""
            while "[" not in text:  # at least one array, so the result has `shape`
                text = random_expr(r, shape, r.randint(1, 4))
            with np.errstate(all="ignore"):
                want = eval(text, {"__builtins__": {}}, env)
            lines.append("new r %s" % text)
            lines.append("save r @OUT@/e%d.npy" % k)
            cases.append((text, want))
        # sa_eval_reduce: a random statement into q, and reductions of its result (`_`)
        # and of other random expressions in the same pass (compiled kernels give the
        # extras' values too: the same bits as interpreted)
        red_cases = []
        for k in range(30):
            shape = (r.randint(1, 6), r.randint(1, 8))
            stmt = other = ""
            while "[" not in stmt:
                stmt = random_expr(r, shape, r.randint(1, 3))
            while "[" not in other:
                other = random_expr(r, shape, r.randint(1, 2))
            view = random_view(r, r.choice("uvw"), shape)
            with np.errstate(all="ignore"):
                res = np.asarray(eval(stmt, {"__builtins__": {}}, env), dtype=np.float64)
                res = np.broadcast_to(res, shape)
                want = [np.sum((res - eval(view, {"__builtins__": {}}, env)) ** 2),
                        np.max(eval(other, {"__builtins__": {}}, env)), np.sum(res)]
            lines.append("new q%d %s" % (k, view))
            lines.append("evalred @OUT@/f%d.txt q%d - %s ; sum (_ - %s)**2 ; max %s ; sum _"
                         % (k, k, stmt, view, other))
            lines.append("save q%d @OUT@/q%d.npy" % (k, k))
            red_cases.append((stmt, other, view, res, want))
        outs = []
        configs = mpi_configs([
            ("1 CPU, interpreted", "", ["--sa-ncpus=1", "--sa-jit=off"]),
            ("1 CPU, compiled", "", ["--sa-ncpus=1", "--sa-jit=sync"]),
            ("2 CPUs, 3x4 tiles, dmda", "tile 3 4",
             ["--sa-ncpus=2", "--sa-sched=dmda", "--sa-tile-size=5"]),
            ("2 MPI ranks x 1 CPU, 3x4 tiles", "tile 3 4", ["--sa-ncpus=1", "--sa-tile-size=5"]),
            ("1 CPU, interpreted, --sa-math=native", "",
             ["--sa-ncpus=1", "--sa-jit=off", "--sa-math=native"]),
            ("2 CPUs, 3x4 tiles, compiled, --sa-math=native", "tile 3 4",
             ["--sa-ncpus=2", "--sa-jit=sync", "--sa-tile-size=5", "--sa-math=native"])])
        default_math = os.environ.get("STARRAY_MATH") or "portable"
        native = [next((o.split("=")[1] for o in opts if o.startswith("--sa-math=")),
                       default_math) == "native" for name, tile, opts in configs]
        # on a GPU, native is CUDA's hypot, not glibc's (make check-gpu)
        gpu = bool(os.environ.get("STARRAY_CUDA_SCRIPT")) and \
            os.environ.get("STARRAY_WHERE") == "cuda"
        for name, tile, opts in configs:
            out = os.path.join(tmp, "o%d" % len(outs))
            os.mkdir(out)
            script = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in lines]
            ok, log = run_script(binary, script, opts, tmp, launcher_for(name))
            tap.ok(ok, "seed %d: script runs (%s)" % (SEED, name), log)
            outs.append(out)
        for k, (text, want) in enumerate(cases):
            got = [np.load(os.path.join(o, "e%d.npy" % k))
                   if os.path.exists(os.path.join(o, "e%d.npy" % k)) else None for o in outs]
            good = all(g is not None and g.shape == want.shape and g.dtype == want.dtype
                       for g in got)
            libm = "hypot" in text
            for g, nat in zip(got, native) if good else []:
                if libm and not (nat and not gpu):  # within tolerance, and the same bits
                    ref = got[native.index(nat)]
                    good &= np.allclose(g, want, rtol=1e-13, atol=1e-13, equal_nan=True) and \
                        g.tobytes() == ref.tobytes()
                else:
                    good &= np.array_equal(g, want, equal_nan=True)
            tap.ok(good, "random expression %d %s" % (
                       k, "bitwise equal to NumPy" if not libm else
                       "bitwise NumPy's (native), within 1e-13 and bitwise the same (portable)"),
                   "seed %d: %s\ngot %s\nwant %s" % (SEED, text, got[0], want))
        def close(a, b):
            return a == b or (math.isnan(a) and math.isnan(b)) or \
                abs(a - b) <= 1e-12 * max(abs(a), abs(b))

        def values(out, k):
            path = os.path.join(out, "f%d.txt" % k)
            if not os.path.exists(path):
                return None
            return [l.split()[0] for l in open(path).read().split("\n") if l.strip()]

        for k, (stmt, other, view, res, want) in enumerate(red_cases):
            q = [np.load(os.path.join(o, "q%d.npy" % k))
                 if os.path.exists(os.path.join(o, "q%d.npy" % k)) else None for o in outs]
            v = [values(o, k) for o in outs]
            libm = "hypot" in stmt + other
            good = all(x is not None and len(x) == 3 for x in v) and \
                all(x is not None and (np.array_equal(x, res, equal_nan=True) or
                                       (libm and np.allclose(x, res, rtol=1e-13, atol=1e-13,
                                                             equal_nan=True))) for x in q)
            good = good and all(close(float(x[j]), float(want[j])) or libm
                                for x in v for j in range(3))
            # the same tiles and math: interpreted and compiled (0, 1) give the same
            # bits; so do workers, schedulers and ranks (2, 3)
            names = [c[0] for c in configs]
            pairs = [("1 CPU, interpreted", "1 CPU, compiled"),
                     ("2 CPUs, 3x4 tiles, dmda", "2 MPI ranks x 1 CPU, 3x4 tiles")]
            same = good and all(v[names.index(a)] == v[names.index(b)] for a, b in pairs
                                if a in names and b in names)
            tap.ok(good and same, "random sa_eval_reduce %d: the statement bitwise, its three "
                   "reductions NumPy's, interpreted and compiled the same bits" % k,
                   "seed %d: q = %s ; sum (_ - %s)**2 ; max %s ; sum _\ngot %s\nwant %s"
                   % (SEED, stmt, view, other, v, want))
    tap.done()


main()
