# SPDX-License-Identifier: MIT
# Times tests/swe_numpy.py (the NumPy reference) the way apps/swe is timed: the
# smooth case on n x n cells, one untimed warm-up step, then `steps` timed steps;
# prints one JSON line.
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
import numpy as np  # noqa: E402
import swe_numpy as S  # noqa: E402

n, steps = int(sys.argv[1]), int(sys.argv[2])
s = S.setup("smooth", n, n)
s.step()
t = time.perf_counter()
for _ in range(steps):
    s.step()
secs = time.perf_counter() - t
print(json.dumps({"app": "swe-numpy", "nx": n, "ny": n, "timed_steps": steps, "seconds": secs,
                  "cells_per_s": n * n * steps / secs, "numpy": np.__version__}))
