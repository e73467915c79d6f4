# SPDX-License-Identifier: MIT
# .npy files: round trips of every dtype (format 1.0 and 2.0 in, 1.0 out) read back
# by NumPy, and every file that must be refused rather than read wrong.
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP, run_script, script_binary  # noqa: E402


def write_v2(path, x):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, x, version=(2, 0))


def header(text):
    """A format 1.0 .npy header holding exactly text (no padding rules)."""
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text


def main():
    tap = TAP()
    binary = script_binary()
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for k, (dtype, shape) in enumerate([("bool", (5,)), ("int32", (3, 4)),
                                            ("int64", (2, 3, 4)), ("float32", (7, 1, 2, 3)),
                                            ("float64", (0, 3)), ("float64", (1,)),
                                            ("float64", (13, 17))]):
            x = (rng.standard_normal(shape) * 100).astype(dtype)
            src = os.path.join(tmp, "in%d.npy" % k)
            (write_v2 if k % 2 else np.save)(src, x)
            cases.append((dtype, shape, x, src, os.path.join(tmp, "out%d.npy" % k)))
        lines = ["tile 2 2 2 2"]
        for dtype, shape, x, src, out in cases:
            lines += ["load x %s" % src, "save x %s" % out]
        ok, log = run_script(binary, lines, ["--sa-ncpus=1"], tmp)
        tap.ok(ok, "load and save every dtype", log)
        for k, (dtype, shape, x, src, out) in enumerate(cases):
            y = np.load(out) if os.path.exists(out) else None
            tap.ok(y is not None and y.dtype == x.dtype and y.shape == x.shape and
                   y.tobytes() == x.tobytes(),
                   "round trip %s %s (format %s in)" % (dtype, shape, "2.0" if k % 2 else "1.0"))

        good = os.path.join(tmp, "good.npy")
        np.save(good, np.arange(12.0).reshape(3, 4))
        raw = open(good, "rb").read()
        bad = {
            "Fortran order": lambda p: np.save(p, np.asfortranarray(np.ones((3, 4)))),
            "big-endian": lambda p: np.save(p, np.ones(4, dtype=">f8")),
            "object dtype": lambda p: np.save(p, np.array([1, "a"], dtype=object),
                                              allow_pickle=True),
            "complex dtype": lambda p: np.save(p, np.ones(3, dtype=complex)),
            "int16 dtype": lambda p: np.save(p, np.ones(3, dtype=np.int16)),
            "five dimensions": lambda p: np.save(p, np.ones((1, 1, 1, 1, 2))),
            "truncated data": lambda p: open(p, "wb").write(raw[:-5]),
            "truncated header": lambda p: open(p, "wb").write(raw[:40]),
            "bad magic": lambda p: open(p, "wb").write(b"\x93NUMPZ" + raw[6:]),
            "unknown version 9": lambda p: open(p, "wb").write(raw[:6] + b"\x09" + raw[7:]),
            "extra bytes": lambda p: open(p, "wb").write(raw + b"\0\0\0\0\0\0\0\0"),
            "bool value 7": lambda p: open(p, "wb").write(
                open(p, "rb").read()[:-1] + b"\x07") if np.save(p, np.ones(3, bool)) is None else 0,
            "missing file": lambda p: None,
            "header ends after 'descr'": lambda p: open(p, "wb").write(
                header(b"{'descr'   ")),
            "descr never closed": lambda p: open(p, "wb").write(
                header(b"{'descr': '<f8, 'fortran_order': False, 'shape': (3,), }")),
            "descr not a string": lambda p: open(p, "wb").write(
                header(b"{'descr': 8, 'fortran_order': False, 'shape': (3,), }")),
            "shape of 2^80 elements": lambda p: open(p, "wb").write(
                header(b"{'descr': '<f8', 'fortran_order': False, "
                       b"'shape': (1099511627776, 1099511627776), }")),
            "shape beyond int64": lambda p: open(p, "wb").write(
                header(b"{'descr': '<f8', 'fortran_order': False, "
                       b"'shape': (99999999999999999999,), }")),
            "8 TiB claimed, 16 bytes given": lambda p: open(p, "wb").write(
                header(b"{'descr': '<f8', 'fortran_order': False, "
                       b"'shape': (1099511627776,), }") + bytes(16)),
        }
        words = {  # what the message must say, beyond the code
            "int16 dtype": "dtype '<i2' is not supported",
            "big-endian": "dtype '>f8' is not supported",
            "truncated data": "truncated data (the header says 96 bytes, the file holds 91)",
            "8 TiB claimed, 16 bytes given": "the header says 8796093022208 bytes, the file "
                                             "holds 16",
            "shape of 2^80 elements": "more than 2^50 elements",
            "descr never closed": "dtype '<f8, ' is not supported",
            "descr not a string": "not a quoted dtype string",
        }
        for what, make in bad.items():
            path = os.path.join(tmp, "bad.npy")
            if os.path.exists(path):
                os.remove(path)
            make(path)
            ok, log = run_script(binary, ["expect 107", "load x %s" % path], ["--sa-ncpus=1"], tmp)
            tap.ok(ok and words.get(what, "") in log, "refused: " + what, log)

        # NumPy reads a bool descr in any byte order ('<b1', '=b1'), so must we
        x = np.array([True, False, True, True])
        for order in (b"<", b"="):
            src = os.path.join(tmp, "b1.npy")
            np.save(src, x)
            data = open(src, "rb").read().replace(b"'|b1'", b"'" + order + b"b1'", 1)
            open(src, "wb").write(data)
            out = os.path.join(tmp, "b1-out.npy")
            ok, log = run_script(binary, ["load x %s" % src, "save x %s" % out],
                                 ["--sa-ncpus=1"], tmp)
            y = np.load(out) if ok else None
            tap.ok(ok and y.dtype == bool and (y == x).all() and np.load(src).dtype == bool,
                   "descr '%sb1' is read as bool" % order.decode(), log)
    tap.done()


main()
