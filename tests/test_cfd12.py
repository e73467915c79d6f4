# SPDX-License-Identifier: MIT
# apps/cfd12 against the NumPy transcription (tests/cfd12_numpy.py): the course's
# 41x41 case, the default dt on 67x53, and smooth random initial states (where v
# and p really change), under different tilings and worker counts, which must
# agree bitwise. Error: max|c - numpy| / max|numpy| <= 1e-12 per field.
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cfd12_numpy  # noqa: E402
from sa_common import TAP  # noqa: E402

APP = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "apps", "cfd12", "cfd12")


def run_app(args, tmp, tag):
    out = os.path.join(tmp, tag)
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([APP, "--save", out] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    if p.returncode:
        return None, p.stdout
    return [np.load(os.path.join(out, f + ".npy")) for f in "uvp"], p.stdout


def rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def main():
    tap = TAP()
    rng = np.random.default_rng(2024)
    with tempfile.TemporaryDirectory() as tmp:
        init_dir = os.path.join(tmp, "init")
        os.mkdir(init_dir)
        ny, nx = 29, 37
        init = [cfd12_numpy.smooth_field(rng, ny, nx, s) for s in (1.0, 0.5, 2.0)]
        for name, f in zip("uvp", init):
            np.save(os.path.join(init_dir, name + ".npy"), f)
        cases = [
            ("course 41x41, dt 0.01, p0 0, 10 steps",
             ["--nx", "41", "--ny", "41", "--steps", "10", "--dt", "0.01", "--p0", "0"],
             dict(nx=41, ny=41, steps=10, dt=0.01, p0=0.0)),
            ("67x53, default dt, 5 steps",
             ["--nx", "67", "--ny", "53", "--steps", "5"], dict(nx=67, ny=53, steps=5)),
            ("smooth random u, v, p on 37x29, 6 steps, nit 20",
             ["--nx", "37", "--ny", "29", "--steps", "6", "--nit", "20", "--dt", "0.002",
              "--init", init_dir],
             dict(nx=37, ny=29, steps=6, nit=20, dt=0.002, init=init)),
        ]
        configs = [("1 CPU, auto tiles", ["--sa-ncpus=1"]),
                   ("2 CPUs, 97-element tiles, dmda", ["--sa-ncpus=2", "--sa-tile-size=97",
                                                        "--sa-sched=dmda"])]
        for what, args, ref in cases:
            want = cfd12_numpy.run(**ref)[:3]
            got = []
            for cname, copts in configs:
                fields, log = run_app(args + copts, tmp, "out%d" % len(got))
                got.append(fields)
                if fields is None:
                    tap.ok(False, "%s (%s) runs" % (what, cname), log)
                    continue
                errs = [rel_err(g, w) for g, w in zip(fields, want)]
                tap.ok(max(errs) <= 1e-12, "%s (%s): relative max error u %.1e v %.1e p %.1e"
                       % (what, cname, *errs), log)
            tap.ok(all(g is not None for g in got) and
                   all(a.tobytes() == b.tobytes() for a, b in zip(got[0], got[1])),
                   "%s: both configurations agree bitwise" % what)
        # the course's stopping rule: udiff <= 0.001 (499 steps in the course)
        u, v, p_, n = cfd12_numpy.run(41, 41, 2000, dt=0.01, p0=0.0, udiff_tol=0.001)
        fields, log = run_app(["--nx", "41", "--ny", "41", "--steps", "2000", "--dt", "0.01",
                               "--p0", "0", "--udiff", "0.001", "--warmup", "0", "--json"],
                              tmp, "udiff")
        import json
        steps = json.loads(log.strip().splitlines()[-1])["steps"] if fields else -1
        tap.ok(fields is not None and steps == n == 499,
               "--udiff 0.001 stops after %d steps, NumPy after %d (the course: 499)" % (steps, n),
               log)
        errs = [rel_err(g, w) for g, w in zip(fields, (u, v, p_))] if fields else [1]
        tap.ok(max(errs) <= 1e-12, "--udiff fields match NumPy (max relative error %.1e)"
               % max(errs))
        # in the course's own case v stays 0 and p stays constant; the random case must not
        tap.ok(np.max(np.abs(want[1])) > 1e-3 and np.ptp(want[2]) > 1e-3,
               "the random case really moves v and p")
        # bad input: exit status 2 and a message
        for args, text in ((["--nx", "2"], "expected an integer >= 3"),
                           (["--dt", "-1"], "expected a number > 0"),
                           (["--p0", "3"], "expected 0 or 1"),
                           (["--udiff", "x"], "expected a number > 0"),
                           (["--frob"], "unknown option"),
                           (["--nx", "40", "--ny", "29", "--init", init_dir], "expected float64")):
            p = subprocess.run([APP] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=120)
            tap.ok(p.returncode == 2 and text in p.stdout, "refuses %s" % " ".join(args),
                   p.stdout)
        p = subprocess.run([APP, "--steps", "2", "--json", "--nx", "20", "--ny", "20"],
                           stdout=subprocess.PIPE, text=True, timeout=120)
        try:
            j = json.loads(p.stdout)
            good = j["nx"] == 20 and j["steps"] == 2 and j["points_per_s"] > 0
        except (ValueError, KeyError):
            good = False
        tap.ok(good, "--json prints one JSON object", p.stdout)
    tap.done()


main()
