# SPDX-License-Identifier: MIT
# The CUDA codelets, host-compiled against tests/cudaemu, run the suite's NumPy
# comparisons with --sa-where=cuda: every task runs its CUDA implementation on
# emulated devices (guarded memory, CUDA's launch rules) and must give NumPy's
# values, bitwise, as the CPU kernels do. Then bugs planted in every launch (a
# missing first thread, a wrong grid stride) must make a comparison fail, which
# proves the harness catches them.
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
