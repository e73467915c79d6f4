# SPDX-License-Identifier: MIT
# Helpers for the Python tests: TAP output, NumPy 2's weak-scalar rule (written
# here independently of libstarray), running tests/sa_script.
import os
import subprocess

import numpy as np


class TAP:
    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lines = []

    def ok(self, cond, what, diag=""):
        self.n += 1
        self.lines.append("%s %d - %s" % ("ok" if cond else "not ok", self.n, what))
        if not cond:
            self.failed += 1
            for line in str(diag).splitlines()[:40]:
                self.lines.append("# " + line)

    def skip_all(self, reason):
        print("1..0 # SKIP " + reason)
        raise SystemExit(0)

    def done(self):
        print("1..%d" % self.n)
        print("\n".join(self.lines), flush=True)
        raise SystemExit(1 if self.failed else 0)


def nep50_scalar_type(array_dtype, kind):
    """The dtype a C double ('num') or int64 ('int') takes next to an array."""
    if kind == "num":
        return array_dtype if array_dtype.kind == "f" else np.dtype(np.float64)
    return np.dtype(np.int64) if array_dtype == bool else array_dtype


def loader(tmp, lines):
    """load(name, array): saves the array under tmp and appends the script line that
    loads it into `lines`."""
    def load(name, x):
        path = os.path.join(tmp, "in%d.npy" % len(lines))
        np.save(path, x)
        lines.append("load %s %s" % (name, path))
    return load


def mpi_launcher(n):
    """The mpiexec prefix that runs n ranks on this small machine, or None when
    libstarray was built without MPI or there is no mpiexec. No core binding (StarPU
    binds its own threads); MPI yields the core while it waits; in sanitizer builds no
    leak reports under mpirun (Open MPI's allocations, some in plugins unloaded before
    the report, are not ours; memory errors are still reported)."""
    mpiexec = os.environ.get("MPIEXEC")
    if os.environ.get("SA_MPI") != "yes" or not mpiexec:
        return None
    return [mpiexec, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none",
            "--mca", "mpi_yield_when_idle", "1", "-x", "STARPU_WORKERS_NOBIND=1",
            "-x", "ASAN_OPTIONS=detect_leaks=0", "-np", str(n)]


def launcher_for(config_name):
    """Configurations named "... 2 MPI ranks ..." run under mpiexec -np 2."""
    return mpi_launcher(2) if "2 MPI ranks" in config_name else ()


def mpi_configs(configs):
    """The configurations whose name mentions MPI ranks only when MPI is there."""
    return [c for c in configs if "MPI ranks" not in c[0] or mpi_launcher(2)]


def run_script(binary, lines, options, tmp, launcher=(), env=None):
    """Runs sa_script on the given lines (under launcher, e.g. mpirun ...; in env, or
    this process's environment); returns (success, log)."""
    path = os.path.join(tmp, "script.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run(list(launcher) + [binary, path] + list(options), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600, env=env)
    return p.returncode == 0, p.stdout


def script_binary():
    """tests/sa_script, or the one STARRAY_TEST_SCRIPT names (the CUDA emulation's)."""
    return os.environ.get("STARRAY_TEST_SCRIPT") or os.path.join(
        os.environ["STARRAY_TOP_BUILDDIR"], "tests", "sa_script")


def run_configs(tap, lines, configs, tmp):
    """Runs the script lines once per configuration (name, tile line, options) that
    this build can run (mpi_configs), each writing under its own directory in place of
    @OUT@; one TAP point per run; returns those directories."""
    binary, outs = script_binary(), []
    for name, tile, opts in mpi_configs(configs):
        out = os.path.join(tmp, "o%d" % len(outs))
        os.mkdir(out)
        script = ([tile] if tile else []) + [l.replace("@OUT@", out) for l in lines]
        ok, log = run_script(binary, script, opts, tmp, launcher_for(name))
        tap.ok(ok, "script runs, refusals refused (%s)" % name, log)
        outs.append(out)
    return outs


def check_saved(tap, outs, want):
    """want[k] = (what, array): each run's r<k>.npy must be bitwise that array, of its
    dtype and shape, and the same bytes in every run."""
    for k, (what, w) in enumerate(want):
        got = [np.load(os.path.join(o, "r%d.npy" % k)) if os.path.exists(
            os.path.join(o, "r%d.npy" % k)) else None for o in outs]
        good = got[0] is not None and got[0].dtype == w.dtype and \
            got[0].shape == w.shape and got[0].tobytes() == w.tobytes()
        same = all(g is not None and g.tobytes() == got[0].tobytes() for g in got)
        tap.ok(good and same, what + " (bitwise)", "got %s\nwant %s" % (got[0], w))
