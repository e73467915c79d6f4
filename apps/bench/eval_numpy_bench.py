# SPDX-License-Identifier: MIT
# NumPy doing what apps/bench/bench_eval does: one small statement per call, and the
# 5-operator expression on an N x N float64 array. Prints JSON lines.
import json
import sys
import time

import numpy as np

n_small, calls, n_big, reps = (int(x) for x in (sys.argv[1:] + ["1000", "20000", "4096", "10"])[:4])
a, b = np.full(n_small, 1.5), np.full(n_small, 2.5)
t = time.perf_counter()
for _ in range(calls):
    a[...] = a * 0.5 + b
per = (time.perf_counter() - t) / calls
print(json.dumps({"bench": "numpy_small", "elements": n_small, "us_per_call": 1e6 * per}))
a, b = np.full((n_big, n_big), 1.5), np.full((n_big, n_big), 2.5)
c = np.zeros((n_big, n_big))
c[...] = (a + b) * (a - b) / (a * b + 1.0)
t = time.perf_counter()
for _ in range(reps):
    c[...] = (a + b) * (a - b) / (a * b + 1.0)
per = (time.perf_counter() - t) / reps
print(json.dumps({"bench": "numpy_5ops", "shape": [n_big, n_big], "seconds_per_eval": per,
                  "elements_per_s": n_big * n_big / per}))
