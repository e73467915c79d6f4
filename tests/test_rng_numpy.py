# SPDX-License-Identifier: MIT
# Random arrays against an independent NumPy transcription of the recipe in
# doc/random.md (Philox4x32-10 in uint64 arithmetic, checked against Random123's
# known answers; the transforms in float64 and Python integers): the same bits for
# several shapes and dtypes, tilings, 1 and 2 workers and 2 MPI ranks (and, run by
# test_cudaemu.py, on emulated CUDA workers). Then statistics of large arrays: means
# and variances within a few standard errors, Kolmogorov-Smirnov statistics below
# their 1 % critical values, chi-square of integers' histograms below theirs.
import math
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, mpi_launcher, run_script, script_binary  # noqa: E402

U = np.uint64
MASK = U(0xFFFFFFFF)


def philox(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of uint64 arrays holding 32-bit words (SC'11 paper, Random123)."""
    c = [np.asarray(v, dtype=np.uint64) for v in (c0, c1, c2, c3)]
    k0, k1 = U(k0), U(k1)
    for r in range(10):
        if r:
            k0, k1 = (k0 + U(0x9E3779B9)) & MASK, (k1 + U(0xBB67AE85)) & MASK
        p0, p1 = U(0xD2511F53) * c[0], U(0xCD9E8D57) * c[2]
        c = [(p1 >> U(32)) ^ c[1] ^ k0, p1 & MASK, (p0 >> U(32)) ^ c[3] ^ k1, p0 & MASK]
    return c


def words(flat, per, seed, stream):
    """The four words of each element's block: counter (j, j >> 32, stream halves)."""
    j = np.asarray(flat, dtype=np.uint64) // U(per)
    return philox(j & MASK, j >> U(32), np.full(j.shape, stream & 0xFFFFFFFF, np.uint64),
                  np.full(j.shape, stream >> 32, np.uint64), seed & 0xFFFFFFFF, seed >> 32)


def u64(lo, hi):
    return (hi << U(32)) | lo


def uniform(n, dtype, seed, stream):
    g = np.arange(n, dtype=np.uint64)
    if dtype == "float32":
        x = words(g, 4, seed, stream)
        w = np.choose((g % U(4)).astype(np.int64), x)
        return ((w >> U(8)).astype(np.float64) / 2.0**24).astype(np.float32)
    x = words(g, 2, seed, stream)
    h = (g % U(2)).astype(bool)
    bits = np.where(h, u64(x[2], x[3]), u64(x[0], x[1]))
    return (bits >> U(11)).astype(np.float64) / 2.0**53


def integers(n, dtype, low, high, seed, stream):
    x = words(np.arange(n, dtype=np.uint64), 1, seed, stream)
    r = high - low
    out = [low + ((int(a) | int(b) << 32 | int(c) << 64 | int(d) << 96) * r >> 128)
           for a, b, c, d in zip(*x)]
    return np.array(out, dtype=dtype)


LG = [6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
      2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
      1.479819860511658591e-01]
S = [-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
     2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10]
C = [4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
     -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11]


def log53(m):
    """log(m 2^-53), 1 <= m <= 2^53, as doc/random.md writes it."""
    mant, ex = np.frexp(m.astype(np.float64))  # m = mant 2^ex, mant in [1/2, 1)
    x, e = mant * 2.0, ex - 1
    big = x > 1.41421356237309504880
    x, e = np.where(big, x * 0.5, x), np.where(big, e + 1, e)
    f, dk = x - 1.0, (e - 53).astype(np.float64)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG[1] + w * (LG[3] + w * LG[5]))
    t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])))
    r, hfsq = t2 + t1, 0.5 * f * f
    return dk * 6.93147180369123816490e-01 - (
        (hfsq - (s * (hfsq + r) + dk * 1.90821492927058770002e-10)) - f)


def cos_sin_2pi(b):
    """cos and sin of 2 pi b 2^-53 by the nearest quarter turn and |t| <= pi/4."""
    x = b.astype(np.float64) / 2.0**51
    q = np.floor(x + 0.5)
    t = (x - q) * (math.pi / 2)
    z = t * t
    w = z * z
    sn = t + z * t * (S[0] + z * (S[1] + z * (S[2] + z * S[3]) + z * w * (S[4] + z * S[5])))
    r = z * (C[0] + z * (C[1] + z * C[2])) + w * w * (C[3] + z * (C[4] + z * C[5]))
    hz = 0.5 * z
    v = 1.0 - hz
    cs = v + (((1.0 - v) - hz) + z * r)
    iq = q.astype(np.int64) % 4
    c = np.select([iq == 0, iq == 1, iq == 2], [cs, -sn, -cs], sn)
    s = np.select([iq == 0, iq == 1, iq == 2], [sn, cs, -sn], -cs)
    return c, s


def normal_parts(n, seed, stream):
    g = np.arange(n, dtype=np.uint64)
    x = words(g, 2, seed, stream)
    m = (u64(x[0], x[1]) >> U(11)) + U(1)
    b = u64(x[2], x[3]) >> U(11)
    return g, m, b


def normal(n, dtype, mean, std, seed, stream):
    g, m, b = normal_parts(n, seed, stream)
    r = np.sqrt(-2.0 * log53(m))
    c, s = cos_sin_2pi(b)
    z = r * np.where((g % U(2)).astype(bool), s, c)
    return (mean + std * z).astype(dtype)


# (name, kind, dtype, p1, p2, seed, stream, shape)
ARRAYS = [
    ("u32", "uniform", "float32", 0, 0, 12345, 0, (37, 53)),
    ("u64", "uniform", "float64", 0, 0, 12345, 0, (37, 53)),
    ("u64s1", "uniform", "float64", 0, 0, 12345, 1, (7,)),
    ("n64", "normal", "float64", 1.5, 2.5, 2**40 + 3, 7, (5, 7, 11)),
    ("n32", "normal", "float32", -1.0, 0.5, 99, 2**33 + 1, (1001,)),
    ("i32", "integers", "int32", -1000, 1000, 7, 0, (19, 23)),
    ("i32full", "integers", "int32", -2**31, 2**31, 8, 3, (257,)),
    ("i64", "integers", "int64", -2**62, 2**62 + 12345, 2**64 - 1, 5, (3, 4, 5, 6)),
    ("i64full", "integers", "int64", -2**63, 2**63 - 1, 2**32, 2**64 - 1, (2, 50)),
]


def expected(kind, dtype, p1, p2, seed, stream, shape):
    n = int(np.prod(shape))
    if kind == "uniform":
        v = uniform(n, dtype, seed, stream)
    elif kind == "normal":
        v = normal(n, dtype, p1, p2, seed, stream)
    else:
        v = integers(n, dtype, p1, p2, seed, stream)
    return v.reshape(shape)


def script(tmp, arrays, tile, tag):
    lines = [tile] if tile else []
    for name, kind, dtype, p1, p2, seed, stream, shape in arrays:
        lines.append("random %s %s %s %d %d %r %r %s" % (name, kind, dtype, seed, stream, p1, p2,
                                                        " ".join(map(str, shape))))
        lines.append("save %s %s" % (name, os.path.join(tmp, "%s.%s.npy" % (name, tag))))
    return lines


def bitwise(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def check_philox(t):
    kat = [((0, 0, 0, 0), (0, 0), (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
           ((0xffffffff,) * 4, (0xffffffff,) * 2, (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
           ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
            (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1))]
    got = [tuple(int(w) for w in philox(*[[v] for v in c], *k)) for c, k, _ in kat]
    want = [w for _, _, w in kat]
    t.ok(got == want, "the transcription's Philox4x32-10 gives Random123's known answers",
         "got %r" % got)


def check_functions(t):
    """The recipe's log, cos and sin against NumPy's."""
    r = np.random.default_rng(5)
    m = np.concatenate([r.integers(1, 2**53, 100000, dtype=np.uint64, endpoint=True),
                        U(2**53) - np.arange(1000, dtype=np.uint64),
                        U(1) << np.arange(54, dtype=np.uint64)])
    ref = np.log(m.astype(np.float64) / 2.0**53)
    err = np.abs(log53(m) - ref) / np.spacing(np.maximum(np.abs(ref), 1e-300))
    t.ok(np.all(err <= 2), "log(m 2^-53) within 2 ulp of NumPy's log (worst %.2f)" % err.max())
    b = np.concatenate([r.integers(0, 2**53, 100000, dtype=np.uint64),
                        (np.arange(4, dtype=np.uint64) << U(51)),
                        (np.arange(1, 4, dtype=np.uint64) << U(51)) - U(1)])
    c, s = cos_sin_2pi(b)
    theta = 2 * np.pi * (b.astype(np.float64) / 2.0**53)
    # NumPy's rounded argument 2 pi u is off by up to 2 ulp(2 pi): compare absolutely
    ec, es = np.abs(c - np.cos(theta)).max(), np.abs(s - np.sin(theta)).max()
    t.ok(ec <= 2e-15 and es <= 2e-15,
         "cos and sin of 2 pi b 2^-53 agree with NumPy's to %.2g, %.2g (2e-15 allowed)" % (ec, es))


def check_bits(t, binary, tmp):
    want = {a[0]: expected(*a[1:]) for a in ARRAYS}
    runs = [("automatic tiles, 1 worker", "", ["--sa-ncpus=1"], ()),
            ("1x7x3x2 tiles, 2 workers", "tile 1 7 3 2", ["--sa-ncpus=2"], ()),
            ("13x5x4x3 tiles, 1 worker", "tile 13 5 4 3", ["--sa-ncpus=1"], ()),
            ("2x1x1x1 tiles, 2 workers", "tile 2 1 1 1", ["--sa-ncpus=2"], ()),
            ("one tile, 1 worker", "tile 100000 100000 100000 100000", ["--sa-ncpus=1"], ())]
    launcher = mpi_launcher(2)
    if launcher:
        runs += [("13x5x4x3 tiles, 2 MPI ranks", "tile 13 5 4 3", ["--sa-ncpus=1"], launcher),
                 ("1x7x3x2 tiles cyclic, 2 MPI ranks", "tile 1 7 3 2",
                  ["--sa-ncpus=1", "--sa-mpi-dist=cyclic"], launcher)]
    for k, (what, tile, opts, launch) in enumerate(runs):
        good, log = run_script(binary, script(tmp, ARRAYS, tile, k), opts, tmp, launch)
        if not good:
            t.ok(False, "random arrays: %s: the script runs" % what, log)
            continue
        bad = []
        for name, *_ in ARRAYS:
            got = np.load(os.path.join(tmp, "%s.%d.npy" % (name, k)))
            if not bitwise(got, want[name]):
                bad.append("%s: got %r, want %r" % (name, got.ravel()[:4], want[name].ravel()[:4]))
        t.ok(not bad, "random arrays: %s: %d arrays bitwise as the transcription" %
             (what, len(ARRAYS)), "\n".join(bad))
    if not launcher:
        t.ok(True, "random arrays on 2 MPI ranks # SKIP no MPI")
    # transforms of the transcription against NumPy's own log, cos, sin
    g, m, b = normal_parts(1001, 99, 2**33 + 1)
    z = np.sqrt(-2.0 * np.log(m.astype(np.float64) / 2.0**53))
    theta = 2 * np.pi * (b.astype(np.float64) / 2.0**53)
    z = z * np.where((g % U(2)).astype(bool), np.sin(theta), np.cos(theta))
    ours = normal(1001, "float64", 0.0, 1.0, 99, 2**33 + 1)
    err = np.abs(ours - z).max()
    t.ok(err < 1e-13, "normal values agree with Box-Muller by NumPy's log, cos, sin "
         "(largest difference %.2g)" % err)


def ks(sample, cdf):
    """The Kolmogorov-Smirnov statistic of a sample against a continuous CDF."""
    x = np.sort(sample.astype(np.float64))
    n = len(x)
    f = cdf(x)
    i = np.arange(1, n + 1)
    return max((i / n - f).max(), (f - (i - 1) / n).max())


def check_stats(t, binary, tmp, n):
    arrays = [("su64", "uniform", "float64", 0, 0, 2026, 0, (n,)),
              ("su64b", "uniform", "float64", 0, 0, 2026, 1, (n,)),
              ("su32", "uniform", "float32", 0, 0, 31, 0, (n // 100, 100)),
              ("sn64", "normal", "float64", 0.0, 1.0, 77, 0, (n,)),
              ("sn32", "normal", "float32", 3.0, 2.0, 78, 9, (n,)),
              ("si32", "integers", "int32", -3, 7, 5, 0, (n,)),
              ("si64", "integers", "int64", -2**62, 2**62, 6, 0, (n,))]
    good, log = run_script(binary, script(tmp, arrays, "", "s"), ["--sa-ncpus=2"], tmp)
    t.ok(good, "statistics: %d large random arrays made" % len(arrays), log)
    if not good:
        return
    a = {name: np.load(os.path.join(tmp, "%s.s.npy" % name)).ravel() for name, *_ in arrays}
    crit = 1.6276 / math.sqrt(n)  # the 1 % critical value of D for large n
    for name in ("su64", "su32"):
        x = a[name].astype(np.float64)
        mean, var = x.mean(), x.var()
        se_m, se_v = math.sqrt(1 / 12 / n), math.sqrt((1 / 80 - 1 / 144) / n)
        d = ks(x, lambda v: v)
        t.ok(0 <= x.min() and x.max() < 1 and abs(mean - 0.5) < 4 * se_m and
             abs(var - 1 / 12) < 4 * se_v and d < crit,
             "uniform %s: in [0, 1), mean %.5f, variance %.5f within 4 standard errors, "
             "KS D = %.5f < %.5f" % (a[name].dtype, mean, var, d, crit))
    x, y = a["su64"], a["su64b"]
    corr = np.corrcoef(x, y)[0, 1]
    t.ok(abs(corr) < 4 / math.sqrt(n), "streams 0 and 1 of one seed: correlation %.5f" % corr)
    erf = np.vectorize(math.erf)
    for name, mu, sd in (("sn64", 0.0, 1.0), ("sn32", 3.0, 2.0)):
        x = a[name].astype(np.float64)
        mean, var = x.mean(), x.var()
        z = (x - mu) / sd
        d = ks(z, lambda v: 0.5 * (1 + erf(v / math.sqrt(2))))
        m4 = np.mean(z**4)
        t.ok(abs(mean - mu) < 4 * sd / math.sqrt(n) and
             abs(var - sd**2) < 4 * sd**2 * math.sqrt(2 / n) and abs(m4 - 3) < 4 * math.sqrt(96 / n)
             and np.abs(z).max() < 8.58 and d < crit,
             "normal %s (%g, %g): mean %.4f, variance %.4f, 4th moment %.3f within 4 standard "
             "errors, KS D = %.5f < %.5f" % (a[name].dtype, mu, sd, mean, var, m4, d, crit))
    inside = a["si32"].min() == -3 and a["si32"].max() == 6
    counts = np.bincount(np.clip(a["si32"] + 3, 0, None), minlength=10)
    chi2 = ((counts - n / 10) ** 2 / (n / 10)).sum()
    t.ok(inside and len(counts) == 10 and chi2 < 21.666,
         "integers int32 [-3, 7): every value, chi-square %.2f < 21.67 (9 dof, 1 %%)" % chi2)
    top = ((a["si64"].astype(object) + 2**62) >> 59).astype(np.int64)  # 16 bins of the range
    counts = np.bincount(np.clip(top, 0, None), minlength=16)
    chi2 = ((counts - n / 16) ** 2 / (n / 16)).sum()
    low = np.bincount(a["si64"] & 15, minlength=16)  # and the low bits
    chi2b = ((low - n / 16) ** 2 / (n / 16)).sum()
    t.ok(len(counts) == 16 and chi2 < 30.578 and chi2b < 30.578,
         "integers int64 [-2^62, 2^62): chi-square of the top 4 bits %.2f, of the low 4 bits "
         "%.2f < 30.58 (15 dof, 1 %%)" % (chi2, chi2b))


def main():
    t = TAP()
    binary = script_binary()
    check_philox(t)
    check_functions(t)
    with tempfile.TemporaryDirectory() as tmp:
        check_bits(t, binary, tmp)
        check_stats(t, binary, tmp, 200000)
    t.done()


main()
