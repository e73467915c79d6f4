# SPDX-License-Identifier: MIT
# The elementwise engine against NumPy: every operator and dtype, weak scalars,
# views with steps and negative indices, broadcasting, aliasing, errors; each case
# under several tilings, worker counts and schedulers, which must agree bitwise, and
# with both --sa-math settings: the same bits again, except for the float functions
# and ** (portable and native each agree with themselves, and with NumPy within
# tolerance).
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import (TAP, launcher_for, mpi_configs, nep50_scalar_type, run_script,  # noqa: E402
                       script_binary)

DTYPES = ["bool", "int32", "int64", "float32", "float64"]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", ">", ">=", "==", "!=", "&", "|",
          "^"]
UNARY = ["-", "~"]


def function_table():
    """The functions of expressions as the library lists them (starray-info
    --functions, made from starray.h's SA_FUNCTIONS): [(name, nargs, result, how)]."""
    info = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "apps", "info", "starray-info")
    out = subprocess.run([info, "--functions"], check=True, capture_output=True, text=True)
    table = [l.split() for l in out.stdout.splitlines()]
    return [(name, int(n), result, how) for name, n, result, how in table]


FUNCTIONS = function_table()
# exact in NumPy and the C library alike (correctly rounded or exact operations)
EXACT = {"sqrt", "floor", "ceil", "fmod"}
TRANSCENDENTAL = {"**"} | {f for f, n, result, how in FUNCTIONS
                           if result == "float" and f not in EXACT}

rng = np.random.default_rng(12345)


def sample(dtype, shape, positive=False, small=False):
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith("int"):
        lo = 0 if positive else -9
        return rng.integers(lo, 6 if small else 10, shape).astype(dtype)
    x = rng.uniform(0.1 if positive else -4, 4, shape)
    return x.astype(dtype)


def numpy_binary(op, a, b):
    fn = {"maximum": np.maximum, "minimum": np.minimum}
    if op in fn:
        return fn[op](a, b)
    return eval("a %s b" % op)


def refused_binary(op, ta, tb):
    t = np.result_type(np.dtype(ta), np.dtype(tb))
    if t == bool and op in ("-", "//", "%", "**"):
        return True
    return t.kind == "f" and op in ("&", "|", "^")


def numpy_unary(op, a):
    return -a if op == "-" else ~a


def numpy_function(name, result, args):
    """NumPy's value of name(*args); float functions of bool and integers in float64,
    as libstarray documents (NumPy 1.x gives float16 for bool)."""
    if result == "float" and np.result_type(*args).kind in "bi":
        args = [x.astype(np.float64) for x in args]
    return getattr(np, name)(*args)


def function_sample(name, dtype, shape):
    """Arguments inside each function's domain, and its edge cases for floats."""
    if name in ("arcsin", "arccos") and dtype.startswith("float"):
        return rng.uniform(-1, 1, shape).astype(dtype)
    x = sample(dtype, shape, positive=name in ("sqrt", "log", "log2", "log10", "log1p"))
    if dtype.startswith("float") and name in ("isnan", "isinf", "isfinite", "sign", "round",
                                               "clip", "abs", "maximum", "minimum", "floor",
                                               "ceil"):
        edge = np.array([np.nan, np.inf, -np.inf, -0.0, 0.5, 1.5, 2.5, -0.5, -2.5], dtype)
        x.flat[rng.choice(x.size, edge.size, replace=False)] = edge
    return x


def tolerance(op, dtype):
    """NumPy's own SIMD exp/log/sin/... and pow may differ from the C library's by an
    ulp or two; everything else must match exactly."""
    if op not in TRANSCENDENTAL or dtype.kind != "f":
        return 0
    return 2e-6 if dtype == np.float32 else 1e-14


def refused_unary(op, t):
    return (op == "-" and t == "bool") or (op == "~" and t.startswith("float"))


def c_last_array(c):
    """The array last given to c.array (for expectations built after the fact)."""
    return c.last


class Cases:
    """Accumulates script lines, expected results and tolerances."""

    def __init__(self, tmp):
        self.tmp, self.lines, self.expect, self.n = tmp, [], [], 0

    def array(self, name, x):
        self.n += 1
        path = os.path.join(self.tmp, "in%d_%s.npy" % (self.n, name))
        np.save(path, x)
        self.last = x
        self.lines.append("load %s %s" % (name, path))

    def result(self, what, name, expected, rtol=0.0):
        self.n += 1
        self.lines.append("save %s @OUT@/r%d.npy" % (name, self.n))
        self.expect.append((what, self.n, expected, rtol))

    def error(self, what, code, line):
        self.lines.append("expect %d" % code)
        self.lines.append(line)
        self.expect.append((what, None, code, 0))


def build(c):
    # every binary operator on every dtype pair, b broadcast along rows
    for op in BINARY:
        for ta in DTYPES:
            for tb in DTYPES:
                a = sample(ta, (7, 9))
                b = sample(tb, (9,), positive=op in ("**", "//", "%"), small=op == "**")
                text = "%s(x, y)" % op if op.isalpha() else "x %s y" % op
                what = "%s %s %s" % (ta, op, tb)
                c.array("x", a)
                c.array("y", b)
                if refused_binary(op, ta, tb):
                    c.error(what + " refused", 204, "new r " + text)
                    continue
                with np.errstate(all="ignore"):
                    want = numpy_binary(op, a, b)
                tol = tolerance(op, want.dtype)
                c.lines.append("new r " + text)
                c.result(what, "r", want, tol)
    for op in UNARY:
        for t in DTYPES:
            a = sample(t, (5, 6), positive=op in ("sqrt", "log"))
            text = "%s(x)" % op if op.isalpha() else "%sx" % op
            c.array("x", a)
            if refused_unary(op, t):
                c.error("%s %s refused" % (op, t), 204, "new r " + text)
                continue
            with np.errstate(all="ignore"):
                want = numpy_unary(op, a)
            tol = tolerance(op, want.dtype)
            c.lines.append("new r " + text)
            c.result("%s(%s)" % (op, t), "r", want, tol)
    # every function of the table, on every dtype (pairs for two arguments)
    for name, nargs, result, how in FUNCTIONS:
        if name == "where":
            continue  # below
        combos = [(t,) * nargs for t in DTYPES]
        if nargs == 2:
            combos = [(ta, tb) for ta in DTYPES for tb in DTYPES]
        if nargs == 3:
            combos += [("float32", "int32", "float64"), ("int32", "bool", "int64"),
                       ("float64", "int64", "float32")]
        for types in combos:
            args = [function_sample(name, t, (5, 6)) for t in types]
            names = ["x", "y", "z"][:nargs]
            for n, a in zip(names, args):
                c.array(n, a)
            text = "%s(%s)" % (name, ", ".join(names))
            what = "%s(%s)" % (name, ", ".join(types))
            if result == "number" and np.result_type(*args) == bool:
                c.error(what + " refused", 204, "new r " + text)
                continue
            with np.errstate(all="ignore"):
                want = numpy_function(name, result, args)
            c.lines.append("new r " + text)
            c.result(what, "r", want, tolerance(name, want.dtype))
        # its C function, sa_<name>, on float64 and int32
        for t in ("float64", "int32"):
            if result == "number" and t == "bool":
                continue
            args = [function_sample(name, t, (4, 3)) for _ in range(nargs)]
            for n, a in zip(["x", "y", "z"], args):
                c.array(n, a)
            c.lines.append("call r %s %s" % (name, " ".join(["x", "y", "z"][:nargs])))
            with np.errstate(all="ignore"):
                want = numpy_function(name, result, args)
            c.result("sa_%s on %s" % (name, t), "r", want, tolerance(name, want.dtype))
    b = sample("bool", (3, 4))
    c.array("b", b)
    x, y = sample("int64", (3, 4)), sample("float32", (4,))
    c.array("x", x)
    c.array("y", y)
    c.lines.append("call r where b x y")
    c.result("sa_where", "r", np.where(b, x, y))
    # the operators' C functions
    x, y = sample("float64", (3, 4)), sample("float64", (3, 4), positive=True)
    c.array("x", x)
    c.array("y", y)
    for fn, want in (("add", x + y), ("subtract", x - y), ("multiply", x * y),
                     ("divide", x / y), ("floor_divide", x // y), ("remainder", x % y),
                     ("less", x < y), ("equal", x == y), ("not_equal", x != y)):
        c.lines.append("call r %s x y" % fn)
        c.result("sa_%s" % fn, "r", want)
    for fn, want in (("negative", -x), ("absolute", np.absolute(x))):
        c.lines.append("call r %s x" % fn)
        c.result("sa_%s" % fn, "r", want)
    # NumPy's constants, weak like Python floats; a bound name wins over a constant
    f32 = sample("float32", (3, 4))
    c.array("x", f32)
    for text, want in (("x * pi", f32 * np.float32(np.pi)), ("x + e", f32 + np.float32(np.e)),
                       ("where(x > 0, inf, -inf)", np.where(f32 > 0, np.inf, -np.inf)),
                       ("where(x > 0, x, nan)", np.where(f32 > 0, f32, np.float32(np.nan))),
                       ("-pi + x", np.float32(-np.pi) + f32),
                       ("clip(x, -1, 1)", np.clip(f32, np.float32(-1), np.float32(1))),
                       ("isnan(x * nan) & isinf(x * 0 + inf)", np.ones(f32.shape, bool))):
        c.lines.append("new r " + text)
        c.result(text, "r", want)
    c.array("z", sample("float64", (2, 2)))
    c.lines.append("num e 2.0")
    c.lines.append("new r z * e")
    c.result("a bound 'e' wins over the constant", "r", c_last_array(c) * 2.0)
    c.error("a constant is not subscripted", 206, "new r pi[0]")
    c.error("a function's argument count", 206, "new r arctan2(z)")
    c.error("too many arguments", 206, "new r clip(z, z, z, z)")
    # C numbers are weak scalars (NEP 50)
    for t in DTYPES:
        for kind, value in (("num", 2.5), ("int", 3)):
            a = sample(t, (4, 5))
            c.array("x", a)
            c.lines.append("%s s %s" % (kind, value))
            st = nep50_scalar_type(np.dtype(t), kind)
            for op in ("*", "+"):
                c.lines.append("new r x %s s" % op)
                c.result("%s %s %s scalar" % (t, op, kind), "r",
                         eval("a %s np.array(value, dtype=st)" % op).astype(
                             np.result_type(a.dtype, st)))
    # where, NaN in maximum/minimum
    a = np.array([[1.0, np.nan, 3.0], [-1.0, 2.0, np.nan]])
    b = np.array([[np.nan, 0.5, 4.0], [0.0, np.nan, np.nan]])
    c.array("x", a)
    c.array("y", b)
    for fn in ("maximum", "minimum"):
        c.lines.append("new r %s(x, y)" % fn)
        c.result("%s propagates NaN" % fn, "r", getattr(np, fn)(a, b))
    c.lines.append("new r where(x > 0.5, x, -y)")
    c.result("where(x > 0.5, x, -y)", "r", np.where(a > 0.5, a, -b))
    # views: steps, negative indices, integer indices, views of views
    base = sample("float64", (9, 11))
    c.array("u", base)
    for index in ("1:-1, 2:", "::-1, ::2", "-3, :", "2:7:2, -1:-9:-3", "5:2, :",
                  ":, 4", "::-2, 1::3"):
        c.lines.append("view v u %s" % index)
        c.lines.append("copy r v")
        c.result("view u[%s]" % index, "r", eval("base[%s]" % index).copy())
    c.lines.append("view v u 1:8, ::-1")
    c.lines.append("view w v ::2, 3:-2")
    c.lines.append("copy r w")
    c.result("view of a view", "r", base[1:8, ::-1][::2, 3:-2].copy())
    # stencil-like shifted slices and writing through views
    c.lines.append("copy z u")
    c.lines.append("eval z 1:-1,1:-1 0.25*(u[1:-1,2:] + u[1:-1,:-2] + u[2:,1:-1] + u[:-2,1:-1])")
    z = base.copy()
    z[1:-1, 1:-1] = 0.25 * (base[1:-1, 2:] + base[1:-1, :-2] + base[2:, 1:-1] + base[:-2, 1:-1])
    c.result("5-point stencil into an interior view", "z", z)
    # aliasing: reads happen before writes, as in NumPy
    for index, expr, fn in (
            ("1:", "z[:-1] * 2", lambda z: z[:-1] * 2),
            ("::-1", "z", lambda z: z.copy()),
            (":,1:", "z[:, :-1] + z[:, 1:]", lambda z: z[:, :-1] + z[:, 1:]),
            ("-", "z * z", lambda z: z * z)):
        c.lines.append("copy z u")
        c.lines.append("eval z %s %s" % (index, expr))
        z = base.copy()
        if index == "-":
            z[...] = fn(z)
        else:
            exec("z[%s] = fn(z)" % index)
        c.result("aliasing z[%s] = %s" % (index, expr), "z", z)
    # broadcasting (n,1) with (1,m), and 3-d
    p, q = sample("float64", (6, 1)), sample("float64", (1, 5))
    c.array("p", p)
    c.array("q", q)
    c.lines.append("new r p * q - p")
    c.result("(6,1) * (1,5) broadcast", "r", p * q - p)
    t3, r1 = sample("float32", (3, 4, 5)), sample("float32", (4, 1))
    c.array("t", t3)
    c.array("s", r1)
    c.lines.append("new r t / s + 1")
    c.result("3-d (3,4,5) / (4,1) + 1 in float32", "r", t3 / r1 + np.float32(1))
    c.lines.append("astype r t int32")
    c.result("astype float32 -> int32", "r", t3.astype(np.int32))
    # errors: nothing submitted, clear code
    c.array("x", sample("float64", (4, 5)))
    c.array("y", sample("float64", (5, 4)))
    c.error("shapes (4,5) and (5,4) refused", 203, "new r x + y")
    c.error("syntax error", 206, "new r x + * y")
    c.error("unbound name", 202, "new r x + nothere")
    c.error("unknown function", 206, "new r frob(x)")
    c.error("index out of bounds", 205, "new r x[7, :]")
    c.error("slice step zero", 205, "new r x[::0]")
    c.error("chained comparison", 206, "new r x < y < x")
    c.error("int ** negative constant", 202, "new r i ** -1")
    c.error("assignment shape mismatch", 203, "eval x 1: y")


def main():
    tap = TAP()
    script_bin = script_binary()
    with tempfile.TemporaryDirectory() as tmp:
        c = Cases(tmp)
        c.array("i", sample("int64", (3,)))
        build(c)
        configs = [("auto tiles, 1 CPU, eager, interpreted", "",
                    ["--sa-ncpus=1", "--sa-sched=eager", "--sa-jit=off"]),
                   ("auto tiles, 1 CPU, compiled", "", ["--sa-ncpus=1", "--sa-jit=sync"]),
                   ("auto tiles, 1 CPU, interpreted, --sa-math=native", "",
                    ["--sa-ncpus=1", "--sa-jit=off", "--sa-math=native"]),
                   ("uneven 4x7 tiles, 1 CPU, compiled, --sa-math=native", "tile 4 7 3",
                    ["--sa-ncpus=1", "--sa-jit=sync", "--sa-math=native",
                     "--sa-tile-size=13"]),
                   ("tiny 3x5 tiles, 2 CPUs, dmda", "tile 3 5 2",
                    ["--sa-ncpus=2", "--sa-sched=dmda", "--sa-tile-size=7"]),
                   ("uneven 4x7 tiles, 2 CPUs, eager", "tile 4 7 3",
                    ["--sa-ncpus=2", "--sa-sched=eager", "--sa-tile-size=13"]),
                   ("tiny 3x5 tiles, 2 MPI ranks x 1 CPU", "tile 3 5 2",
                    ["--sa-ncpus=1", "--sa-tile-size=7"])]
        configs = mpi_configs(configs)
        # each configuration's --sa-math: its own option, else the environment's
        # (STARRAY_MATH, as the whole suite may be run), else the default
        default_math = os.environ.get("STARRAY_MATH") or "portable"
        maths = [next((o.split("=")[1] for o in opts if o.startswith("--sa-math=")),
                      default_math) for name, tile, opts in configs]
        results = []
        for name, tile, opts in configs:
            out = os.path.join(tmp, "out%d" % len(results))
            os.mkdir(out)
            lines = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in c.lines]
            ok, log = run_script(script_bin, lines, opts, tmp, launcher_for(name))
            tap.ok(ok, "script runs, expected errors raised (%s)" % name, log)
            results.append(out)
        for what, n, want, rtol in c.expect:
            if n is None:
                continue
            files = [os.path.join(o, "r%d.npy" % n) for o in results]
            if not all(os.path.exists(f) for f in files):
                tap.ok(False, what + " (no result written)")
                continue
            got = [np.load(f) for f in files]
            # the same bits: among the configurations of one --sa-math setting, and
            # across the settings unless a float function or ** is involved (rtol)
            same = all(g.dtype == got[0].dtype and g.tobytes() == got[0].tobytes()
                       for k, g in enumerate(got) if not rtol or maths[k] == maths[0])
            same &= all(g.dtype == got[k0].dtype and g.tobytes() == got[k0].tobytes()
                        for k0 in [maths.index(m) for m in set(maths)]
                        for k, g in enumerate(got) if maths[k] == maths[k0])
            good = all(g.dtype == want.dtype and g.shape == want.shape for g in got)
            for g in got if good else []:
                if rtol:
                    good &= np.allclose(g, want, rtol=rtol, atol=0, equal_nan=True)
                else:
                    good &= np.array_equal(g, want, equal_nan=want.dtype.kind == "f")
            tap.ok(good and same, what + ("" if same else " (configs differ)"),
                   "" if good else "got %s %s\nwant %s %s" % (got[0].dtype, got[0], want.dtype, want))
    tap.done()


main()
