# SPDX-License-Identifier: MIT
# Times tests/cfd12_numpy.py (the NumPy reference) the way apps/cfd12 is timed:
# one untimed warm-up step, then `steps` timed steps; prints one JSON line.
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
import numpy as np  # noqa: E402
import cfd12_numpy as c  # noqa: E402

n, steps = int(sys.argv[1]), int(sys.argv[2])
dx = dy = 2 / (n - 1)
dt = 0.0009 * dx * dy / 0.1
u, v, p, b = np.zeros((n, n)), np.zeros((n, n)), np.ones((n, n)), np.zeros((n, n))
c.step(u, v, p, b, dt, dx, dy, 50)
t = time.perf_counter()
for _ in range(steps):
    c.step(u, v, p, b, dt, dx, dy, 50)
s = time.perf_counter() - t
print(json.dumps({"app": "cfd12-numpy", "nx": n, "ny": n, "timed_steps": steps, "seconds": s,
                  "points_per_s": n * n * steps / s, "numpy": np.__version__}))
