# SPDX-License-Identifier: MIT
# CFD step 12 in plain NumPy, transcribed from the course's statements (see
# doc/apps.md): the reference the C app is compared with.
import numpy as np


def b_update(b, rho, dt, u, v, dx, dy):
    for C, E, W in ((slice(1, -1), slice(2, None), slice(0, -2)), (-1, 0, -2), (0, 1, -1)):
        b[1:-1, C] = (rho * (1 / dt * ((u[1:-1, E] - u[1:-1, W]) / (2 * dx) +
                                       (v[2:, C] - v[0:-2, C]) / (2 * dy)) -
                             ((u[1:-1, E] - u[1:-1, W]) / (2 * dx))**2 -
                             2 * ((u[2:, C] - u[0:-2, C]) / (2 * dy) *
                                  (v[1:-1, E] - v[1:-1, W]) / (2 * dx)) -
                             ((v[2:, C] - v[0:-2, C]) / (2 * dy))**2))


def pressure(p, b, dx, dy, nit):
    for _ in range(nit):
        pn = p.copy()
        for C, E, W in ((slice(1, -1), slice(2, None), slice(0, -2)), (-1, 0, -2), (0, 1, -1)):
            p[1:-1, C] = (((pn[1:-1, E] + pn[1:-1, W]) * dy**2 +
                           (pn[2:, C] + pn[0:-2, C]) * dx**2) / (2 * (dx**2 + dy**2)) -
                          dx**2 * dy**2 / (2 * (dx**2 + dy**2)) * b[1:-1, C])
        p[-1, :] = p[-2, :]
        p[0, :] = p[1, :]


def step(u, v, p, b, dt, dx, dy, nit, rho=1.0, nu=0.1, F=1.0):
    un, vn = u.copy(), v.copy()
    b_update(b, rho, dt, u, v, dx, dy)
    pressure(p, b, dx, dy, nit)
    for C, E, W in ((slice(1, -1), slice(2, None), slice(0, -2)), (-1, 0, -2), (0, 1, -1)):
        u[1:-1, C] = (un[1:-1, C] - un[1:-1, C] * dt / dx * (un[1:-1, C] - un[1:-1, W]) -
                      vn[1:-1, C] * dt / dy * (un[1:-1, C] - un[0:-2, C]) -
                      dt / (2 * rho * dx) * (p[1:-1, E] - p[1:-1, W]) +
                      nu * (dt / dx**2 * (un[1:-1, E] - 2 * un[1:-1, C] + un[1:-1, W]) +
                            dt / dy**2 * (un[2:, C] - 2 * un[1:-1, C] + un[0:-2, C])) + F * dt)
        v[1:-1, C] = (vn[1:-1, C] - un[1:-1, C] * dt / dx * (vn[1:-1, C] - vn[1:-1, W]) -
                      vn[1:-1, C] * dt / dy * (vn[1:-1, C] - vn[0:-2, C]) -
                      dt / (2 * rho * dy) * (p[2:, C] - p[0:-2, C]) +
                      nu * (dt / dx**2 * (vn[1:-1, E] - 2 * vn[1:-1, C] + vn[1:-1, W]) +
                            dt / dy**2 * (vn[2:, C] - 2 * vn[1:-1, C] + vn[0:-2, C])))
    u[0, :] = 0
    u[-1, :] = 0
    v[0, :] = 0
    v[-1, :] = 0
    return un


def run(nx, ny, steps, nit=50, dt=None, p0=1.0, init=None, udiff_tol=None):
    """Returns u, v, p after `steps` steps (or until udiff <= udiff_tol) and the count."""
    dx, dy = 2 / (nx - 1), 2 / (ny - 1)
    dt = 0.0009 * dx * dy / 0.1 if dt is None else dt
    if init is None:
        u, v, p = np.zeros((ny, nx)), np.zeros((ny, nx)), np.full((ny, nx), float(p0))
    else:
        u, v, p = (x.copy() for x in init)
    b = np.zeros((ny, nx))
    n = 0
    while n < steps:
        un = step(u, v, p, b, dt, dx, dy, nit)
        n += 1
        if udiff_tol is not None and (np.sum(u) - np.sum(un)) / np.sum(u) <= udiff_tol:
            break
    return u, v, p, n


def smooth_field(rng, ny, nx, scale):
    """A smooth random field: a few low Fourier modes with random amplitudes."""
    y, x = np.meshgrid(np.linspace(0, 2, ny), np.linspace(0, 2, nx), indexing="ij")
    f = np.zeros((ny, nx))
    for kx in range(1, 4):
        for ky in range(1, 4):
            a, ph = rng.standard_normal(2)
            f += a / (kx * ky) * np.sin(np.pi * kx * x + ph) * np.sin(np.pi * ky * y / 2)
    return scale * f
