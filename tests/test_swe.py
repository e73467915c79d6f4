# SPDX-License-Identifier: MIT
# apps/swe against its NumPy transcription (tests/swe_numpy.py) and against the
# properties of the scheme: the dam break over a bump with dry cells agrees with
# NumPy to rounding, a lake at rest with an island stays at rest, depths never go
# negative, the smooth case converges at second order, --init/--save restart
# exactly, and 1, 2 and 4 MPI ranks give the same bits.
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swe_numpy as S  # noqa: E402
from sa_common import TAP, mpi_launcher  # noqa: E402

APP = os.path.join(os.environ["STARRAY_TOP_BUILDDIR"], "apps", "swe", "swe")
FIELDS = ("w", "hu", "hv", "h", "B")


class Run:
    def __init__(self, args, tmp, tag, launcher=()):
        self.out = os.path.join(tmp, tag)
        os.makedirs(self.out, exist_ok=True)
        p = subprocess.run(list(launcher) + [APP, "--json", "--save", self.out] + args,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=600)
        self.log, self.ok = p.stdout, p.returncode == 0
        self.fields, self.json = None, None
        if self.ok:
            self.fields = {f: np.load(os.path.join(self.out, f + ".npy")) for f in FIELDS}
            lines = [x for x in p.stdout.splitlines() if x.startswith("{")]
            self.json = json.loads(lines[-1]) if lines else None
            self.ok = self.json is not None


def rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def same_bits(a, b):
    return a is not None and b is not None and all(
        a[f].tobytes() == b[f].tobytes() for f in FIELDS)


def numpy_from(fields, case, bc, nx, ny):
    """The NumPy transcription started from the app's saved state."""
    c = S.CASES[case]
    return S.SWE(fields["B"], fields["w"], fields["hu"], fields["hv"], c["lx"] / nx,
                 c["ly"] / ny, bc)


def bc_args(bc):
    return sum((["--bc-" + side, kind] for side, kind in zip(S.SIDES, bc)), [])


def agreement(tap, tmp, what, case, nx, ny, steps, bc, configs):
    """The app's built-in case against swe_numpy's, then `steps` steps of both from the
    app's initial state, under each configuration."""
    base = ["--case", case, "--nx", str(nx), "--ny", str(ny)] + bc_args(bc)
    init = Run(base + ["--steps", "0"], tmp, what + "-init")
    if not init.ok:
        tap.ok(False, "%s: the initial state is saved" % what, init.log)
        return None, None
    ref = S.setup(case, nx, ny, bc=bc).fields()
    errs = [rel_err(init.fields[f], ref[f]) for f in FIELDS]
    # exp, sin, cos: the C library's and NumPy's may differ in the last bit
    tap.ok(max(errs) <= 1e-14, "%s: the initial state is NumPy's (max relative error %.1e)"
           % (what, max(errs)))
    s = numpy_from(init.fields, case, bc, nx, ny)
    S.run(s, steps)
    want = s.fields()
    got = []
    for cname, copts in configs:
        r = Run(base + ["--steps", str(steps), "--t-end", "inf"] + copts, tmp,
                "%s-%d" % (what, len(got)))
        got.append(r.fields)
        if not r.ok:
            tap.ok(False, "%s (%s) runs" % (what, cname), r.log)
            continue
        errs = {f: rel_err(r.fields[f], want[f]) for f in FIELDS}
        tap.ok(max(errs.values()) <= 1e-12 and r.json["steps"] == steps,
               "%s, %d steps (%s): relative max error w %.1e hu %.1e hv %.1e h %.1e%s"
               % (what, steps, cname, errs["w"], errs["hu"], errs["hv"], errs["h"],
                  " (bitwise)" if same_bits(r.fields, want) else ""), r.log)
    tap.ok(len(got) > 1 and same_bits(got[0], got[1]),
           "%s: both configurations agree bitwise" % what)
    return init.fields, got[0]


def l1_errors(coarse, fine):
    """L1 error of each coarse field against the fine one averaged onto its cells."""
    ny, nx = coarse["w"].shape
    r = fine["w"].shape[0] // ny
    out = {}
    for f in ("w", "hu", "hv"):
        avg = fine[f].reshape(ny, r, nx, r).mean(axis=(1, 3))
        out[f] = float(np.mean(np.abs(coarse[f] - avg)))
    return out


def main():
    tap = TAP()
    configs = [("1 CPU, auto tiles", ["--sa-ncpus=1"]),
               ("2 CPUs, 97-element tiles, dmda",
                ["--sa-ncpus=2", "--sa-tile-size=97", "--sa-sched=dmda"])]
    with tempfile.TemporaryDirectory() as tmp:
        # 1. the dam break over a bump with dry cells: the app is NumPy's scheme
        dam_bc = S.CASES["dambreak"]["bc"]
        init, after = agreement(tap, tmp, "dam break 40x20", "dambreak", 40, 20, 40, dam_bc,
                                configs)
        if init is not None and after is not None:
            B = init["B"]
            tap.ok(np.ptp(B) > 0.5 and np.sum(init["h"] == 0) > 300 and
                   np.sum(after["h"] == 0) > 100 and np.sum(after["h"] > 0.01) > 300,
                   "dam break: a bump of %.2f, %d of 800 cells dry at the start and %d after "
                   "40 steps" % (np.ptp(B), np.sum(init["h"] == 0), np.sum(after["h"] == 0)))
        # every kind of boundary (wall and outflow above) against NumPy
        agreement(tap, tmp, "lake 24x20, inflow/const/periodic boundaries", "lake", 24, 20, 20,
                  ("inflow:0.3:0.2", "const:0.65:0.05:0", "periodic", "periodic"),
                  configs[1:] + configs[:1])

        # 2. a lake at rest over an irregular bed with an island stays at rest
        lake = Run(["--case", "lake", "--sa-ncpus=2"], tmp, "lake")
        start = Run(["--case", "lake", "--steps", "0"], tmp, "lake0")
        if lake.ok and start.ok:
            f0, f = start.fields, lake.fields
            dw = float(np.max(np.abs(f["w"] - f0["w"])))
            q = float(max(np.max(np.abs(f["hu"])), np.max(np.abs(f["hv"]))))
            dry = int(np.sum(f0["h"] == 0))
            dvol = abs(lake.json["volume"] - lake.json["volume0"]) / lake.json["volume0"]
            tap.ok(dw <= 1e-14 and q <= 1e-14 and dvol <= 1e-14 and dry > 50 and
                   np.ptp(f0["B"]) > 0.5 and lake.json["t"] == 0.5,
                   "lake at rest with an island (%d dry cells), %d steps to t = 0.5: max |w - "
                   "w0| %.1e, max |hu|, |hv| %.1e, volume change %.1e" % (
                       dry, lake.json["steps"], dw, q, dvol), lake.log)
        else:
            tap.ok(False, "the lake at rest runs", lake.log + start.log)

        # 3. depths never go negative: the whole dam break, every step
        dam = Run(["--sa-ncpus=2"], tmp, "dam")
        tap.ok(dam.ok and dam.json["h_min_run"] >= 0 and np.min(dam.fields["h"]) >= 0 and
               dam.json["t"] == 0.4,
               "dam break 128x64 to t = 0.4 (%s steps): smallest depth of any step %s" % (
                   dam.json and dam.json["steps"], dam.json and dam.json["h_min_run"]),
               dam.log)

        # 4. second order on the smooth case, against a fine reference
        runs = {n: Run(["--case", "smooth", "--nx", str(n), "--ny", str(n), "--sa-ncpus=2"],
                       tmp, "smooth%d" % n) for n in (16, 32, 64, 256)}
        if all(r.ok for r in runs.values()):
            errs = {n: l1_errors(runs[n].fields, runs[256].fields) for n in (16, 32, 64)}
            for f in ("w", "hu"):
                orders = [math.log2(errs[a][f] / errs[2 * a][f]) for a in (16, 32)]
                tap.ok(min(orders) > 1.7,
                       "smooth case to t = 0.05, L1 error of %s against 256x256: %.2e, %.2e, "
                       "%.2e on 16, 32, 64 cells a side: observed orders %.2f, %.2f" % (
                           f, errs[16][f], errs[32][f], errs[64][f], *orders))
        else:
            tap.ok(False, "the smooth case runs", "".join(r.log for r in runs.values()))
        # stopping at t_end: the steps NumPy takes, to the same time, read every K steps
        s = S.setup("smooth", 32, 32)
        n = S.run(s, 10**6, 0.05)
        for k in (10, 7):
            r = runs[32] if k == 10 else Run(["--case", "smooth", "--nx", "32", "--ny", "32",
                                              "--check-every", str(k)], tmp, "smooth-k")
            tap.ok(r.ok and r.json["steps"] == n and r.json["t"] == s.t and
                   rel_err(r.fields["w"], s.fields()["w"]) <= 1e-12,
                   "--check-every %d: stops at t = %s after %s steps, as NumPy (%d, t = %r)" % (
                       k, r.json and r.json["t"], r.json and r.json["steps"], n, s.t), r.log)

        # 5. --save then --init continues exactly
        base = ["--nx", "40", "--ny", "20", "--t-end", "inf"]
        whole = Run(base + ["--steps", "20"], tmp, "whole")
        half = Run(base + ["--steps", "10"], tmp, "half")
        rest = Run(base + ["--steps", "10", "--init", half.out], tmp, "rest")
        tap.ok(same_bits(whole.fields, rest.fields),
               "10 steps, --save, --init and 10 more steps give the bits of 20 steps",
               whole.log + half.log + rest.log)

        # 6. the same bits on 1, 2 and 4 MPI ranks
        if os.environ.get("SA_MPI") != "yes" or not mpi_launcher(2):
            for n in (2, 4):
                tap.ok(True, "dam break on %d MPI ranks # SKIP built without MPI or no mpiexec" % n)
        else:
            argv = ["--nx", "40", "--ny", "20", "--steps", "8", "--sa-ncpus=1",
                    "--sa-tile-size=300"]
            one = Run(argv, tmp, "mpi1")
            for n in (2, 4):
                r = Run(argv, tmp, "mpi%d" % n, mpi_launcher(n))
                lines = [x for x in r.log.splitlines() if x.startswith("{")]
                tap.ok(r.ok and one.ok and same_bits(r.fields, one.fields) and len(lines) == 1,
                       "dam break on %d MPI ranks: bitwise identical to 1 rank, one summary" % n,
                       r.log)

        # 7. options: bad values exit with status 2 and say why; --help; --json
        for args, text in ((["--nx", "1"], "expected an integer >= 2"),
                           (["--cfl", "0"], "expected a number > 0"),
                           (["--theta", "2.5"], "expected a number in [1, 2]"),
                           (["--case", "tsunami"], "expected dambreak, lake or smooth"),
                           (["--bc", "inflow:1"], "inflow:H:Q"),
                           (["--bc-west", "periodic"], "periodic goes on both sides"),
                           (["--t-end", "inf"], "needs --steps"),
                           (["--frob"], "unknown option"),
                           (["--nx", "41", "--ny", "20", "--init", half.out],
                            "B.npy is float64 of 2 dimensions (21 x 41); expected float64 21 x 42")):
            p = subprocess.run([APP] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=120)
            tap.ok(p.returncode == 2 and text in p.stdout, "refuses %s" % " ".join(args),
                   p.stdout)
        p = subprocess.run([APP, "--help"], stdout=subprocess.PIPE, text=True, timeout=120)
        opts = sorted(o for o in set(re.findall(r"--[a-z][a-z-]*", p.stdout))
                      if not o.startswith("--sa-"))
        doc = open(os.path.join(os.environ["STARRAY_TOP_SRCDIR"], "doc", "apps.md")).read()
        doc = doc[doc.index("## apps/swe"):]
        tap.ok(p.returncode == 0 and len(opts) >= 20 and
               all("`%s " % o in doc or "`%s`" % o in doc for o in opts),
               "--help lists %d options, each documented in doc/apps.md" % len(opts),
               p.stdout + "\nundocumented: %s" % [o for o in opts if "`%s" % o not in doc])
        p = subprocess.run([APP, "--steps=2", "--nx=16", "--ny", "8", "--json"],
                           stdout=subprocess.PIPE, text=True, timeout=120)
        try:
            j = json.loads(p.stdout)
            good = j["nx"] == 16 and j["steps"] == 2 and j["cells_per_s"] > 0
        except (ValueError, KeyError):
            good = False
        tap.ok(good, "--json prints one JSON object (options as --opt=value too)", p.stdout)
    tap.done()


main()
