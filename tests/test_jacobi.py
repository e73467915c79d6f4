# SPDX-License-Identifier: MIT
# apps/jacobi against the NumPy transcription (tests/jacobi_numpy.py): 200
# iterations and to convergence on 61x61, the residual variants agreeing, and
# the converged field against the analytical solution.
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jacobi_numpy  # noqa: E402
from sa_common import TAP  # noqa: E402

APP = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "apps", "jacobi", "jacobi")


def run_app(args, out):
    p = subprocess.run([APP, "--json", "--save", out] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    if p.returncode:
        return None, None, p.stdout
    return np.load(out), json.loads(p.stdout.strip().splitlines()[-1]), p.stdout


def main():
    tap = TAP()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "p.npy")
        want, n_iters, _ = jacobi_numpy.run(61, 200, target=0.0)
        for opts in (["--sa-ncpus=1"], ["--sa-ncpus=2", "--sa-tile-size=200"]):
            got, j, log = run_app(["--n", "61", "--max-iters", "200"] + opts, out)
            err = np.max(np.abs(got - want)) / np.max(np.abs(want)) if got is not None else 1
            tap.ok(got is not None and j["iterations"] == 200 and err <= 1e-12,
                   "61x61, 200 iterations (%s): relative max error %.1e" % (opts[-1], err), log)
        want, n_conv, l2 = jacobi_numpy.run(61, 20000)
        variants = [("every iteration", []), ("check every 100", ["--check-every", "100"]),
                    ("residual every 100", ["--residual-every", "100"]),
                    ("check lag 3", ["--check-lag", "3"]),
                    ("residual in the copy", ["--residual-in", "copy"]),
                    ("residual in the copy, lag 3", ["--residual-in", "copy", "--check-lag", "3"])]
        fields = {}
        for name, args in variants:
            got, j, log = run_app(["--n", "61", "--max-iters", "20000"] + args, out)
            fields[name] = (got, j)
            tap.ok(got is not None and j["converged_at"] > 0, "converges: %s (at %s)"
                   % (name, j and j["converged_at"]), log)
        got, j = fields["every iteration"]
        err = np.max(np.abs(got - want)) / np.max(np.abs(want)) if got is not None else 1
        tap.ok(got is not None and j["converged_at"] == n_conv and err <= 1e-12,
               "converged at iteration %s like NumPy (%d), field error %.1e"
               % (j and j["converged_at"], n_conv, err))
        for name in ("check lag 3", "residual in the copy, lag 3"):
            lag = fields[name][1]
            tap.ok(lag is not None and lag["converged_at"] == n_conv and
                   lag["iterations"] == n_conv + 3,
                   "%s: the same iteration is found, 3 iterations later" % name)
        # the fields taking turns, the residual summed by the update, against pn = p
        # copied each iteration, the residual summed by the copy: the same field, bits
        copy, jc = fields["residual in the copy"]
        tap.ok(copy is not None and got is not None and np.array_equal(copy, got) and
               jc["converged_at"] == n_conv and jc["residual_in"] == "copy" and
               j["residual_in"] == "update" and abs(jc["l2"] - j["l2"]) <= 1e-12 * j["l2"],
               "--residual-in copy and update: the same field bitwise, the same iteration, "
               "l2 %s and %s" % (jc and jc["l2"], j and j["l2"]))
        # the one-sided Neumann edge makes the scheme first order: error ~ h
        e61 = np.max(np.abs(got - jacobi_numpy.analytic(61))) if got is not None else 1
        got31, _, log = run_app(["--n", "31", "--max-iters", "20000"], out)
        e31 = np.max(np.abs(got31 - jacobi_numpy.analytic(31))) if got31 is not None else 1
        tap.ok(e61 < 1.2 / 60 and 1.6 < e31 / e61 < 2.5,
               "converged field vs sinh(1.5 pi y) sin(1.5 pi x) / sinh(1.5 pi): error %.1e "
               "at h = 1/60, %.1e at h = 1/30 (first order, ratio %.2f)" % (e61, e31, e31 / e61),
               log)
        for args, text in ((["--n", "2"], "expected an integer >= 3"),
                           (["--target", "0"], "expected a number > 0"),
                           (["--check-every", "5", "--check-lag", "2"], "exclude each other"),
                           (["--residual-in", "place"], "expected update or copy")):
            p = subprocess.run([APP] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=120)
            tap.ok(p.returncode == 2 and text in p.stdout, "refuses %s" % " ".join(args),
                   p.stdout)
    tap.done()


main()
