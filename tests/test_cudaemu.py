# SPDX-License-Identifier: MIT
# The CUDA codelets, host-compiled against tests/cudaemu, run the suite's NumPy
# comparisons with --sa-where=cuda: every task runs its CUDA implementation on
# emulated devices (guarded memory, CUDA's launch rules) and must give NumPy's
# values, bitwise, as the CPU kernels do. Every float function and ** must give the
# CPU's bits on CUDA workers with --sa-math=portable (and only agree within tolerance
# with native). Then bugs planted in every launch (a missing first thread, a wrong
# grid stride) must make a comparison fail, which proves the harness catches them.
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, loader, run_script  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# STARRAY_CUDA_SCRIPT: a sa_script of the real library, on a machine with a GPU
# (make check-gpu); the emulation's own checks (plants, failing calls) are then left out.
EMULATED = not os.environ.get("STARRAY_CUDA_SCRIPT")
EMU = os.environ.get("STARRAY_CUDA_SCRIPT") or os.path.join(
    os.environ["STARRAY_TOP_BUILDDIR"], "tests", "cudaemu", "sa_script_emu")
# The suites that reach every codelet: fill and random (test_random), elementwise,
# runs and halos on 2 and 4 MPI ranks (test_fuse), whole-array reductions, combines
# and sa_eval_reduce (test_reduce), reductions along axes, matmul, .npy I/O, random
# arrays (test_rng_numpy), scans, sorting, reshape copies (test_shape) and the reads
# behind printing (test_print).
SUITES = ["test_elementwise.py", "test_random.py", "test_reduce.py", "test_reduce_axis.py",
          "test_matmul.py", "test_npy.py", "test_fuse.py"]
SUITES += ["test_rng_numpy.py", "test_scan.py", "test_sort.py", "test_shape.py", "test_print.py"]

t = TAP()
env = dict(os.environ, STARRAY_TEST_SCRIPT=EMU, STARRAY_WHERE="cuda")
env.pop("CUDAEMU_PLANT", None)
for suite in SUITES:
    p = subprocess.run([sys.executable, os.path.join(HERE, suite)], env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
    results = re.findall(r"^(ok|not ok) \d+ - (.*)$", p.stdout, re.M)
    skipped = re.search(r"^1\.\.0 # SKIP", p.stdout, re.M)
    if skipped:
        t.ok(True, "%s on emulated CUDA # SKIP %s" % (suite, p.stdout.strip()))
        continue
    failed = [what for status, what in results if status != "ok"]
    t.ok(p.returncode == 0 and results and not failed,
         "%s on emulated CUDA: %d comparisons with NumPy" % (suite, len(results)),
         "exit status %d; failed:\n%s\n%s" % (p.returncode, "\n".join(failed[:20]),
                                               p.stdout[-3000:]))

# Bits across worker kinds: every float function and ** over arguments from subnormal
# to huge (and +-0, +-inf, NaN), on CPU workers (interpreted and compiled) and on
# (emulated) CUDA workers. --sa-math=portable promises the same bits (a NaN's payload
# aside); native only results within NumPy's tolerance (CUDA's libdevice is not
# glibc: the emulation, compiled against the host's libm, cannot show that).
CPU_SCRIPT = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "tests", "sa_script")


def arguments(seed):
    r = np.random.default_rng(seed)
    sign = np.where(r.random(3000) < 0.5, -1.0, 1.0)
    x = np.concatenate([
        sign[:1500] * np.ldexp(1 + r.random(1500), r.integers(-60, 61, 1500)),
        r.uniform(-10, 10, 1000), r.uniform(-1, 1, 300),
        sign[:200] * 10.0 ** r.uniform(20, 308, 200),
        sign[:100] * np.ldexp(1 + r.random(100), r.integers(-1074, -1000, 100)),
        [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, 709.78, 710.5, -745.2,
         np.finfo(np.float64).max, 1e22, np.ldexp(6381956970095103.0, 797), 1 + 2.0 ** -30]])
    return x


def same_bits(a, b):
    """Equal bit for bit, every NaN counting as equal to every NaN."""
    nan = np.isnan(a)
    bits = "u%d" % a.dtype.itemsize
    return a.dtype == b.dtype and np.array_equal(nan, np.isnan(b)) and \
        np.array_equal(a[~nan].view(bits), b[~nan].view(bits))


def bits_across_kinds(t, tmp):
    import subprocess as sp
    info = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "apps", "info", "starray-info")
    table = [l.split() for l in sp.run([info, "--functions"], check=True, capture_output=True,
                                       text=True).stdout.splitlines()]
    x, y = arguments(1), arguments(2)
    y = np.random.default_rng(3).permutation(y)
    lines = []
    load = loader(tmp, lines)
    load("x", x)
    load("y", y)
    load("k", np.round(np.random.default_rng(4).uniform(-40, 40, x.size)))  # integer powers
    with np.errstate(over="ignore"):
        load("h", x.astype(np.float32))
    exprs = ["%s(%s)" % (name, "x" if n == "1" else "x, y") for name, n, result, how in table
             if result == "float"]
    exprs += ["abs(x) ** y", "x ** k", "x ** y", "sin(h)", "exp(h)", "h ** 3", "x + exp(1.7)"]
    for k, e in enumerate(exprs):
        lines += ["new r %s" % e, "save r %s/@RUN@-%d.npy" % (tmp, k)]
    runs = {"cpu": (CPU_SCRIPT, ["--sa-where=cpu", "--sa-jit=off"]),
            "jit": (CPU_SCRIPT, ["--sa-where=cpu", "--sa-jit=sync"]),
            "cuda": (EMU, ["--sa-where=cuda"])}
    got = {}
    for math in ("portable", "native"):
        for run, (binary, opts) in runs.items():
            name = "%s-%s" % (math, run)
            good, log = run_script(binary, [l.replace("@RUN@", name) for l in lines],
                                   opts + ["--sa-ncpus=1", "--sa-math=" + math], tmp, env=env)
            if not good:
                t.ok(False, "bits across worker kinds: the %s run" % name, log)
                return
            got[name] = [np.load("%s/%s-%d.npy" % (tmp, name, k)) for k in range(len(exprs))]
    for k, e in enumerate(exprs):
        p = [got["portable-" + run][k] for run in runs]
        t.ok(same_bits(p[0], p[2]) and same_bits(p[1], p[2]),
             "--sa-math=portable: %s has the same bits on CPU workers (interpreted and "
             "compiled) and CUDA workers over %d arguments" % (e, x.size),
             "differ at %s" % x[~((p[0] == p[2]) | (np.isnan(p[0]) & np.isnan(p[2])))][:10])
    close = True
    for k, e in enumerate(exprs):
        a, b = got["native-cpu"][k], got["native-cuda"][k]
        rtol = 2e-6 if a.dtype == np.float32 else 1e-14
        with np.errstate(all="ignore"):
            close &= a.dtype == b.dtype and bool(np.allclose(a, b, rtol=rtol, atol=0,
                                                             equal_nan=True))
    t.ok(close, "--sa-math=native: CPU and CUDA workers agree within tolerance only "
         "(%d expressions)" % len(exprs))
    # the comparison sees an ulp: it tells the two settings' bits apart
    apart = [e for k, e in enumerate(exprs)
             if not same_bits(got["portable-cpu"][k], got["native-cpu"][k])]
    t.ok(len(apart) >= 15, "the bitwise comparison tells portable from native bits in %d of "
         "%d expressions (%s)" % (len(apart), len(exprs), ", ".join(apart)))


with tempfile.TemporaryDirectory() as tmp:
    bits_across_kinds(t, tmp)

# A statement, a reduction, a reduction along an axis: what planted bugs must break.
rng = np.random.default_rng(17)
a = rng.standard_normal((37, 300))
expect_sum = float(np.sum(a * 2.0 + 1.0))
expect_axis = np.sum(a, axis=0)
with tempfile.TemporaryDirectory() as tmp:
    def check(plant):
        lines = []
        loader(tmp, lines)("a", a)
        sums = os.path.join(tmp, "sums.%s" % plant)
        lines += ["new b a * 2.0 + 1.0", "save b %s/b.npy" % tmp,
                  "reduce %s sum a * 2.0 + 1.0" % sums, "axis s sum a 0 0",
                  "save s %s/s.npy" % tmp]
        penv = dict(env, CUDAEMU_PLANT=plant) if plant else env
        good, log = run_script(EMU, lines, ["--sa-where=cuda"], tmp, env=penv)
        if not good:
            return False, log
        b = np.load(os.path.join(tmp, "b.npy"))
        s = np.load(os.path.join(tmp, "s.npy"))
        with open(sums) as f:
            total = float(f.read().split()[0])
        same = (np.array_equal(b, a * 2.0 + 1.0) and np.array_equal(s, expect_axis) and
                total == expect_sum)
        return same, "b, s and the sum differ from NumPy's" if not same else ""

    same, log = check("")
    t.ok(same, "the planting script gives NumPy's values without a plant", log)
    for plant, what in [("first-thread", "a missing first thread"),
                        ("stride", "a wrong grid stride")] if EMULATED else []:
        same, log = check(plant)
        t.ok(not same, "a planted bug (%s) makes the comparison fail" % what, log)

    # --sa-check-finite on a CUDA worker: reported at the next wait, with the statement
    z = np.array([1.0, 0.0, 2.0, 0.0] * 100)
    lines = []
    loader(tmp, lines)("z", z)
    lines += ["new q z * 0.0 + 1.0", "eval q - 1.0 / z", "expect 401", "sync"]
    good, log = run_script(EMU, lines, ["--sa-where=cuda", "--sa-check-finite"], tmp, env=env)
    t.ok(good and "1.0 / z" in log and "inf" in log.lower(),
         "--sa-check-finite on CUDA: SA_ERR_NONFINITE names the statement and the value", log)
    lines = lines[:2] + ["eval q - 1.0 / (z + 1.0)", "sync"]
    good, log = run_script(EMU, lines, ["--sa-where=cuda", "--sa-check-finite"], tmp, env=env)
    t.ok(good, "--sa-check-finite on CUDA: finite results pass", log)
    # a failing CUDA call (no device memory for a reduction's scratch) is an error code
    lines = lines[:1] + ["expect 105", "reduce %s/r sum z * 2.0" % tmp]
    good, log = run_script(EMU, lines, ["--sa-where=cuda"], tmp,
                           env=dict(env, CUDAEMU_NOMEM="1"))
    t.ok(not EMULATED or (good and "cudaMallocAsync failed" in log and "sum(z * 2.0)" in log),
         "a CUDA call that fails inside a task: SA_ERR_CUDA at the wait, naming the call" +
         ("" if EMULATED else " # SKIP emulation only"), log)
t.done()
