# SPDX-License-Identifier: MIT
# The 2-D shallow-water equations with topography in plain NumPy: the central-upwind
# scheme of Kurganov and Petrova (2007), transcribed from the paper (see doc/apps.md).
# The reference apps/swe is compared with. Arrays are indexed [j, i] (row = y) and
# hold 2 ghost cells on each side: cell (j, i) of the domain is [j + 2, i + 2].
import math

import numpy as np

NG = 2

# Per case: domain lengths, default cells, simulated time and boundary conditions
# (west, east, south, north).
CASES = {
    "dambreak": dict(lx=2.0, ly=1.0, nx=128, ny=64, t_end=0.4,
                     bc=("wall", "outflow", "wall", "wall")),
    "lake": dict(lx=1.0, ly=1.0, nx=64, ny=64, t_end=0.5, bc=("wall",) * 4),
    "smooth": dict(lx=1.0, ly=1.0, nx=64, ny=64, t_end=0.05, bc=("periodic",) * 4),
}
LAKE_LEVEL = 0.6


def topography(case, nx, ny, dx, dy):
    """The bed elevation B at the (ny + 1) x (nx + 1) cell corners of the domain."""
    x, y = np.meshgrid(dx * np.arange(nx + 1), dy * np.arange(ny + 1))
    if case == "dambreak":  # a gentle slope and a bump
        return 0.05 * x + 0.8 * np.exp(-((x - 1.2)**2 + (y - 0.5)**2) / 0.02)
    if case == "smooth":
        return 0.1 * np.sin(2 * math.pi * x) * np.cos(2 * math.pi * y)
    # lake: an irregular bottom and an island above the lake's level
    b = (0.25 + 0.1 * np.sin(7 * x + 1) * np.cos(5 * y) + 0.05 * np.cos(13 * x - 9 * y) +
         0.6 * np.exp(-((x - 0.62)**2 + (y - 0.58)**2) / 0.012))
    # Every cell lies wholly above or wholly below the level: the corners below it of
    # the cells the shore crosses are raised to it (a beach at the level), so that the
    # discrete lake at rest is exact (doc/apps.md).
    above = b > LAKE_LEVEL
    near = np.zeros_like(above)
    near[1:-1, 1:-1] = (above[:-2, :-2] | above[:-2, 1:-1] | above[:-2, 2:] | above[1:-1, :-2] |
                        above[1:-1, 1:-1] | above[1:-1, 2:] | above[2:, :-2] | above[2:, 1:-1] |
                        above[2:, 2:])
    return np.where(~above & near, LAKE_LEVEL, b)


def initial_state(case, Bc, dx, dy):
    """w, hu, hv on the ghosted grid for a built-in case."""
    ny4, nx4 = Bc.shape
    xc, yc = np.meshgrid(dx * (np.arange(nx4) - 1.5), dy * (np.arange(ny4) - 1.5))
    if case == "dambreak":  # still water at level 1 behind a dam at x = 0.5, dry beyond
        w = np.where(xc < 0.5, np.maximum(Bc, 1.0), Bc)
        return w, np.zeros_like(w), np.zeros_like(w)
    if case == "lake":  # at rest; the island stays dry
        w = np.maximum(Bc, LAKE_LEVEL)
        return w, np.zeros_like(w), np.zeros_like(w)
    w = 1.0 + 0.1 * np.sin(2 * math.pi * xc) * np.sin(2 * math.pi * yc)
    h = w - Bc
    return w, 0.2 * h, -0.1 * h


def extend_corners(Bk, bc):
    """Fills the ghost corners of Bk (the interior ones set): periodic where the
    boundary is periodic (the last corner line is the first one), else mirrored."""
    if bc[0] == "periodic":
        Bk[2:-2, -3:] = Bk[2:-2, 2:5]
        Bk[2:-2, 0:2] = Bk[2:-2, -5:-3]
    else:
        Bk[2:-2, 0:2] = Bk[2:-2, 4:2:-1]
        Bk[2:-2, -2:] = Bk[2:-2, -4:-6:-1]
    if bc[2] == "periodic":
        Bk[-3:, :] = Bk[2:5, :]
        Bk[0:2, :] = Bk[-5:-3, :]
    else:
        Bk[0:2, :] = Bk[4:2:-1, :]
        Bk[-2:, :] = Bk[-4:-6:-1, :]


# The ghost cells of each side: where they are, and where each kind copies them from.
GHOST = {"west": (np.s_[2:-2, 0:2], np.s_[2:-2, -4:-2], np.s_[2:-2, 2:3], np.s_[2:-2, 3:1:-1]),
         "east": (np.s_[2:-2, -2:], np.s_[2:-2, 2:4], np.s_[2:-2, -3:-2], np.s_[2:-2, -3:-5:-1]),
         "south": (np.s_[0:2, 2:-2], np.s_[-4:-2, 2:-2], np.s_[2:3, 2:-2], np.s_[3:1:-1, 2:-2]),
         "north": (np.s_[-2:, 2:-2], np.s_[2:4, 2:-2], np.s_[-3:-2, 2:-2], np.s_[-3:-5:-1, 2:-2])}
SIDES = ("west", "east", "south", "north")


def fill_ghosts(w, hu, hv, Bc, bc):
    for side, kind in zip(SIDES, bc):
        dst, periodic, outflow, mirror = GHOST[side]
        normal = hu if side in ("west", "east") else hv
        inward = 1.0 if side in ("west", "south") else -1.0
        for k, q in enumerate((w, hu, hv)):
            if kind == "periodic":
                q[dst] = q[periodic]
            elif kind == "outflow":
                q[dst] = q[outflow]
            elif kind == "wall":
                q[dst] = -q[mirror] if q is normal else q[mirror]
            elif kind.startswith("inflow:"):
                depth, discharge = (float(v) for v in kind.split(":")[1:])
                q[dst] = (Bc[dst] + depth if q is w else
                          inward * discharge if q is normal else 0.0)
            else:  # const:W:HU:HV
                q[dst] = float(kind.split(":")[1 + k])


def minmod(a, b, c):
    return (0.25 * np.abs(np.sign(a) + np.sign(b)) * (np.sign(a) + np.sign(c)) *
            np.minimum(np.minimum(np.abs(a), np.abs(b)), np.abs(c)))


class SWE:
    def __init__(self, Bcorners, w, hu, hv, dx, dy, bc, g=9.81, theta=1.3, cfl=0.25,
                 eps=None):
        ny, nx = w.shape
        self.dx, self.dy, self.bc, self.g, self.theta, self.cfl = dx, dy, bc, g, theta, cfl
        self.eps = max(dx, dy)**4 if eps is None else eps
        self.Bk = np.zeros((ny + 5, nx + 5))
        self.Bk[2:-2, 2:-2] = Bcorners
        extend_corners(self.Bk, bc)
        Bk = self.Bk
        self.Bc = (Bk[:-1, :-1] + Bk[:-1, 1:] + Bk[1:, :-1] + Bk[1:, 1:]) / 4
        self.Bfx = (Bk[2:-3, 1:-1] + Bk[3:-2, 1:-1]) / 2  # faces normal to x
        self.Bfy = (Bk[1:-1, 2:-3] + Bk[1:-1, 3:-2]) / 2  # faces normal to y
        self.w, self.hu, self.hv = (np.zeros((ny + 4, nx + 4)) for _ in range(3))
        self.w[2:-2, 2:-2], self.hu[2:-2, 2:-2], self.hv[2:-2, 2:-2] = w, hu, hv
        fill_ghosts(self.w, self.hu, self.hv, self.Bc, bc)
        self.t = 0.0

    def velocity(self, h, q):
        """Desingularised velocity q / h, as Kurganov and Petrova write it."""
        return math.sqrt(2) * h * q / np.sqrt(h**2 * h**2 + np.maximum(h**2 * h**2, self.eps))

    def rhs(self, w, hu, hv):
        """The semi-discrete right-hand side and the largest wave speeds."""
        dx, dy, g, theta, Bfx, Bfy = self.dx, self.dy, self.g, self.theta, self.Bfx, self.Bfy
        # x: values at the east (E) and west (W) faces of cells 1 .. nx + 2
        sx_w = minmod(theta * (w[2:-2, 1:-1] - w[2:-2, :-2]), (w[2:-2, 2:] - w[2:-2, :-2]) / 2,
                      theta * (w[2:-2, 2:] - w[2:-2, 1:-1])) / dx
        sx_hu = minmod(theta * (hu[2:-2, 1:-1] - hu[2:-2, :-2]),
                       (hu[2:-2, 2:] - hu[2:-2, :-2]) / 2,
                       theta * (hu[2:-2, 2:] - hu[2:-2, 1:-1])) / dx
        sx_hv = minmod(theta * (hv[2:-2, 1:-1] - hv[2:-2, :-2]),
                       (hv[2:-2, 2:] - hv[2:-2, :-2]) / 2,
                       theta * (hv[2:-2, 2:] - hv[2:-2, 1:-1])) / dx
        wE = w[2:-2, 1:-1] + dx / 2 * sx_w
        wW = w[2:-2, 1:-1] - dx / 2 * sx_w
        huE = hu[2:-2, 1:-1] + dx / 2 * sx_hu
        huW = hu[2:-2, 1:-1] - dx / 2 * sx_hu
        hvE = hv[2:-2, 1:-1] + dx / 2 * sx_hv
        hvW = hv[2:-2, 1:-1] - dx / 2 * sx_hv
        # a face below the bed: raise it to the bed, the cell's other face keeps the mean
        fixE = wE < Bfx[:, 1:]
        fixW = wW < Bfx[:, :-1]
        wE = np.where(fixE, Bfx[:, 1:], np.where(fixW, 2 * w[2:-2, 1:-1] - Bfx[:, :-1], wE))
        wW = np.where(fixW, Bfx[:, :-1], np.where(fixE, 2 * w[2:-2, 1:-1] - Bfx[:, 1:], wW))
        hE = np.maximum(wE - Bfx[:, 1:], 0.0)
        hW = np.maximum(wW - Bfx[:, :-1], 0.0)
        uE, vE = self.velocity(hE, huE), self.velocity(hE, hvE)
        uW, vW = self.velocity(hW, huW), self.velocity(hW, hvW)
        huE, hvE, huW, hvW = hE * uE, hE * vE, hW * uW, hW * vW
        # x faces 0 .. nx: minus side = east face of the cell before, plus = west face
        apx = np.maximum(np.maximum(uW[:, 1:] + np.sqrt(g * hW[:, 1:]),
                                    uE[:, :-1] + np.sqrt(g * hE[:, :-1])), 0.0)
        amx = np.minimum(np.minimum(uW[:, 1:] - np.sqrt(g * hW[:, 1:]),
                                    uE[:, :-1] - np.sqrt(g * hE[:, :-1])), 0.0)
        dax = np.where(apx - amx > 0, apx - amx, 1.0)
        Fw = (apx * huE[:, :-1] - amx * huW[:, 1:] + apx * amx * (hW[:, 1:] - hE[:, :-1])) / dax
        Fhu = (apx * (huE[:, :-1] * uE[:, :-1] + g / 2 * hE[:, :-1]**2) -
               amx * (huW[:, 1:] * uW[:, 1:] + g / 2 * hW[:, 1:]**2) +
               apx * amx * (huW[:, 1:] - huE[:, :-1])) / dax
        Fhv = (apx * huE[:, :-1] * vE[:, :-1] - amx * huW[:, 1:] * vW[:, 1:] +
               apx * amx * (hvW[:, 1:] - hvE[:, :-1])) / dax
        # y: values at the north (N) and south (S) faces of cells 1 .. ny + 2
        sy_w = minmod(theta * (w[1:-1, 2:-2] - w[:-2, 2:-2]), (w[2:, 2:-2] - w[:-2, 2:-2]) / 2,
                      theta * (w[2:, 2:-2] - w[1:-1, 2:-2])) / dy
        sy_hu = minmod(theta * (hu[1:-1, 2:-2] - hu[:-2, 2:-2]),
                       (hu[2:, 2:-2] - hu[:-2, 2:-2]) / 2,
                       theta * (hu[2:, 2:-2] - hu[1:-1, 2:-2])) / dy
        sy_hv = minmod(theta * (hv[1:-1, 2:-2] - hv[:-2, 2:-2]),
                       (hv[2:, 2:-2] - hv[:-2, 2:-2]) / 2,
                       theta * (hv[2:, 2:-2] - hv[1:-1, 2:-2])) / dy
        wN = w[1:-1, 2:-2] + dy / 2 * sy_w
        wS = w[1:-1, 2:-2] - dy / 2 * sy_w
        huN = hu[1:-1, 2:-2] + dy / 2 * sy_hu
        huS = hu[1:-1, 2:-2] - dy / 2 * sy_hu
        hvN = hv[1:-1, 2:-2] + dy / 2 * sy_hv
        hvS = hv[1:-1, 2:-2] - dy / 2 * sy_hv
        fixN = wN < Bfy[1:, :]
        fixS = wS < Bfy[:-1, :]
        wN = np.where(fixN, Bfy[1:, :], np.where(fixS, 2 * w[1:-1, 2:-2] - Bfy[:-1, :], wN))
        wS = np.where(fixS, Bfy[:-1, :], np.where(fixN, 2 * w[1:-1, 2:-2] - Bfy[1:, :], wS))
        hN = np.maximum(wN - Bfy[1:, :], 0.0)
        hS = np.maximum(wS - Bfy[:-1, :], 0.0)
        uN, vN = self.velocity(hN, huN), self.velocity(hN, hvN)
        uS, vS = self.velocity(hS, huS), self.velocity(hS, hvS)
        huN, hvN, huS, hvS = hN * uN, hN * vN, hS * uS, hS * vS
        apy = np.maximum(np.maximum(vS[1:, :] + np.sqrt(g * hS[1:, :]),
                                    vN[:-1, :] + np.sqrt(g * hN[:-1, :])), 0.0)
        amy = np.minimum(np.minimum(vS[1:, :] - np.sqrt(g * hS[1:, :]),
                                    vN[:-1, :] - np.sqrt(g * hN[:-1, :])), 0.0)
        day = np.where(apy - amy > 0, apy - amy, 1.0)
        Gw = (apy * hvN[:-1, :] - amy * hvS[1:, :] + apy * amy * (hS[1:, :] - hN[:-1, :])) / day
        Ghu = (apy * hvN[:-1, :] * uN[:-1, :] - amy * hvS[1:, :] * uS[1:, :] +
               apy * amy * (huS[1:, :] - huN[:-1, :])) / day
        Ghv = (apy * (hvN[:-1, :] * vN[:-1, :] + g / 2 * hN[:-1, :]**2) -
               amy * (hvS[1:, :] * vS[1:, :] + g / 2 * hS[1:, :]**2) +
               apy * amy * (hvS[1:, :] - hvN[:-1, :])) / day
        # the well-balanced bed-slope source, with the face depths of each cell
        Shu = -g * (Bfx[:, 2:-1] - Bfx[:, 1:-2]) / dx * (hE[:, 1:-1] + hW[:, 1:-1]) / 2
        Shv = -g * (Bfy[2:-1, :] - Bfy[1:-2, :]) / dy * (hN[1:-1, :] + hS[1:-1, :]) / 2
        kw = -(Fw[:, 1:] - Fw[:, :-1]) / dx - (Gw[1:, :] - Gw[:-1, :]) / dy
        khu = -(Fhu[:, 1:] - Fhu[:, :-1]) / dx - (Ghu[1:, :] - Ghu[:-1, :]) / dy + Shu
        khv = -(Fhv[:, 1:] - Fhv[:, :-1]) / dx - (Ghv[1:, :] - Ghv[:-1, :]) / dy + Shv
        ax = np.max(np.maximum(apx, -amx))
        ay = np.max(np.maximum(apy, -amy))
        return kw, khu, khv, ax, ay

    def step(self, t_end=math.inf):
        """One SSP-RK2 (Heun) step with dt from the first stage's wave speeds."""
        w, hu, hv, I = self.w, self.hu, self.hv, np.s_[2:-2, 2:-2]
        kw, khu, khv, ax, ay = self.rhs(w, hu, hv)
        dt = min(self.cfl / max(ax / self.dx, ay / self.dy), t_end - self.t)
        w1, hu1, hv1 = (np.zeros_like(w) for _ in range(3))
        w1[I] = w[I] + dt * kw
        hu1[I] = hu[I] + dt * khu
        hv1[I] = hv[I] + dt * khv
        fill_ghosts(w1, hu1, hv1, self.Bc, self.bc)
        kw, khu, khv, _, _ = self.rhs(w1, hu1, hv1)
        w[I] = 0.5 * (w[I] + (w1[I] + dt * kw))
        hu[I] = 0.5 * (hu[I] + (hu1[I] + dt * khu))
        hv[I] = 0.5 * (hv[I] + (hv1[I] + dt * khv))
        fill_ghosts(w, hu, hv, self.Bc, self.bc)
        self.t = self.t + dt
        return dt

    def fields(self):
        I = np.s_[2:-2, 2:-2]
        return dict(w=self.w[I].copy(), hu=self.hu[I].copy(), hv=self.hv[I].copy(),
                    h=self.w[I] - self.Bc[I], B=self.Bk[2:-2, 2:-2].copy())


def setup(case, nx=None, ny=None, bc=None, **kw):
    """A built-in case as an SWE object."""
    c = CASES[case]
    nx, ny = nx or c["nx"], ny or c["ny"]
    dx, dy = c["lx"] / nx, c["ly"] / ny
    bc = bc or c["bc"]
    Bcorners = topography(case, nx, ny, dx, dy)
    s = SWE(Bcorners, np.zeros((ny, nx)), np.zeros((ny, nx)), np.zeros((ny, nx)), dx, dy, bc,
            **kw)
    w, hu, hv = initial_state(case, s.Bc, dx, dy)
    s.w[...], s.hu[...], s.hv[...] = w, hu, hv
    fill_ghosts(s.w, s.hu, s.hv, s.Bc, bc)
    return s


def run(s, steps, t_end=math.inf):
    """Advances s by `steps` steps or until t_end; returns the steps that moved it."""
    n = 0
    while n < steps and s.t < t_end:
        s.step(t_end)
        n += 1
    return n
