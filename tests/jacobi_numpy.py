# SPDX-License-Identifier: MIT
# The Laplace/Jacobi solver of legate.numpy#29 in plain NumPy (see doc/apps.md).
import numpy as np


def run(n, max_iters, target=1e-8):
    x = np.linspace(0, 1, n)
    p = np.zeros((n, n))
    p[-1, :] = np.sin(1.5 * np.pi * x)
    iters, l2 = 0, np.nan
    for k in range(1, max_iters + 1):
        pn = p.copy()
        p[1:-1, 1:-1] = 0.25 * (pn[1:-1, 2:] + pn[1:-1, :-2] + pn[2:, 1:-1] + pn[:-2, 1:-1])
        p[1:-1, -1] = p[1:-1, -2]
        iters = k
        l2 = np.sqrt(np.sum((p - pn) ** 2) / np.sum(pn ** 2))
        if l2 < target:
            break
    return p, iters, l2


def analytic(n):
    x = np.linspace(0, 1, n)
    y, xx = np.meshgrid(x, x, indexing="ij")
    return np.sinh(1.5 * np.pi * y) / np.sinh(1.5 * np.pi) * np.sin(1.5 * np.pi * xx)
