/* SPDX-License-Identifier: MIT
 * The central-upwind scheme of Kurganov and Petrova (2007) for the shallow-water
 * equations, one sa_eval per NumPy statement of tests/swe_numpy.py (doc/apps.md). */
#include "swe.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SWE_NAME(name, rows, cols, dtype) #name,
static const char *const NAMES[NARRAYS] = {SWE_ARRAYS(SWE_NAME)};
#undef SWE_NAME
#define SWE_SHAPE(name, rows, cols, dtype) {rows, cols, dtype},
static const int SHAPES[NARRAYS][3] = {SWE_ARRAYS(SWE_SHAPE)};
#undef SWE_SHAPE

/* minmod(a, b, c): the smallest of the three in magnitude if they share a sign, else
 * 0, written without branches (each factor is exact). */
#define MINMOD(a, b, c)                                                                    \
  "0.25 * abs(sign(" a ") + sign(" b ")) * (sign(" a ") + sign(" c ")) * "                 \
  "minimum(minimum(abs(" a "), abs(" b ")), abs(" c "))"
/* The limited slope of q in x (y) at the x (y) cells: minmod(theta * backward
 * difference, central difference, theta * forward difference) / dx. */
#define SLOPE_X(q)                                                                         \
  "(" MINMOD("theta * (" q "[2:-2, 1:-1] - " q "[2:-2, :-2])",                             \
             "(" q "[2:-2, 2:] - " q "[2:-2, :-2]) / 2",                                   \
             "theta * (" q "[2:-2, 2:] - " q "[2:-2, 1:-1])") ") / dx"
#define SLOPE_Y(q)                                                                         \
  "(" MINMOD("theta * (" q "[1:-1, 2:-2] - " q "[:-2, 2:-2])",                             \
             "(" q "[2:, 2:-2] - " q "[:-2, 2:-2]) / 2",                                   \
             "theta * (" q "[2:, 2:-2] - " q "[1:-1, 2:-2])") ") / dy"
/* Desingularised velocity q / h, as in the paper. */
#define VELOCITY(h, q)                                                                     \
  "sqrt(2) * " h " * " q " / "                                                             \
  "sqrt(" h "**2 * " h "**2 + maximum(" h "**2 * " h "**2, eps))"

typedef struct stmt {
  int out;
  const char *expr;
} stmt;

/* The right-hand side of the semi-discrete scheme, in the order of swe_numpy.rhs. It
 * reads the stage's state as w, hu, hv; every output is written whole. */
static const stmt RHS[] = {
    /* x: values at the east and west faces of the x cells */
    {A_sx_w, SLOPE_X("w")},
    {A_sx_hu, SLOPE_X("hu")},
    {A_sx_hv, SLOPE_X("hv")},
    {A_wE, "w[2:-2, 1:-1] + dx / 2 * sx_w"},
    {A_wW, "w[2:-2, 1:-1] - dx / 2 * sx_w"},
    {A_huE, "hu[2:-2, 1:-1] + dx / 2 * sx_hu"},
    {A_huW, "hu[2:-2, 1:-1] - dx / 2 * sx_hu"},
    {A_hvE, "hv[2:-2, 1:-1] + dx / 2 * sx_hv"},
    {A_hvW, "hv[2:-2, 1:-1] - dx / 2 * sx_hv"},
    /* a face below the bed is raised to it; the cell's other face keeps the mean */
    {A_fixE, "wE < Bfx[:, 1:]"},
    {A_fixW, "wW < Bfx[:, :-1]"},
    {A_wE, "where(fixE, Bfx[:, 1:], where(fixW, 2 * w[2:-2, 1:-1] - Bfx[:, :-1], wE))"},
    {A_wW, "where(fixW, Bfx[:, :-1], where(fixE, 2 * w[2:-2, 1:-1] - Bfx[:, 1:], wW))"},
    {A_hE, "maximum(wE - Bfx[:, 1:], 0.0)"},
    {A_hW, "maximum(wW - Bfx[:, :-1], 0.0)"},
    {A_uE, VELOCITY("hE", "huE")},
    {A_vE, VELOCITY("hE", "hvE")},
    {A_uW, VELOCITY("hW", "huW")},
    {A_vW, VELOCITY("hW", "hvW")},
    {A_huE, "hE * uE"},
    {A_hvE, "hE * vE"},
    {A_huW, "hW * uW"},
    {A_hvW, "hW * vW"},
    /* x faces: minus side = the east face of the cell before, plus = the west face */
    {A_apx, "maximum(maximum(uW[:, 1:] + sqrt(g * hW[:, 1:]), uE[:, :-1] + "
            "sqrt(g * hE[:, :-1])), 0.0)"},
    {A_amx, "minimum(minimum(uW[:, 1:] - sqrt(g * hW[:, 1:]), uE[:, :-1] - "
            "sqrt(g * hE[:, :-1])), 0.0)"},
    {A_dax, "where(apx - amx > 0, apx - amx, 1.0)"},
    {A_Fw, "(apx * huE[:, :-1] - amx * huW[:, 1:] + apx * amx * (hW[:, 1:] - hE[:, :-1])) "
           "/ dax"},
    {A_Fhu, "(apx * (huE[:, :-1] * uE[:, :-1] + g / 2 * hE[:, :-1]**2) - amx * "
            "(huW[:, 1:] * uW[:, 1:] + g / 2 * hW[:, 1:]**2) + apx * amx * "
            "(huW[:, 1:] - huE[:, :-1])) / dax"},
    {A_Fhv, "(apx * huE[:, :-1] * vE[:, :-1] - amx * huW[:, 1:] * vW[:, 1:] + apx * amx * "
            "(hvW[:, 1:] - hvE[:, :-1])) / dax"},
    /* y: values at the north and south faces of the y cells */
    {A_sy_w, SLOPE_Y("w")},
    {A_sy_hu, SLOPE_Y("hu")},
    {A_sy_hv, SLOPE_Y("hv")},
    {A_wN, "w[1:-1, 2:-2] + dy / 2 * sy_w"},
    {A_wS, "w[1:-1, 2:-2] - dy / 2 * sy_w"},
    {A_huN, "hu[1:-1, 2:-2] + dy / 2 * sy_hu"},
    {A_huS, "hu[1:-1, 2:-2] - dy / 2 * sy_hu"},
    {A_hvN, "hv[1:-1, 2:-2] + dy / 2 * sy_hv"},
    {A_hvS, "hv[1:-1, 2:-2] - dy / 2 * sy_hv"},
    {A_fixN, "wN < Bfy[1:, :]"},
    {A_fixS, "wS < Bfy[:-1, :]"},
    {A_wN, "where(fixN, Bfy[1:, :], where(fixS, 2 * w[1:-1, 2:-2] - Bfy[:-1, :], wN))"},
    {A_wS, "where(fixS, Bfy[:-1, :], where(fixN, 2 * w[1:-1, 2:-2] - Bfy[1:, :], wS))"},
    {A_hN, "maximum(wN - Bfy[1:, :], 0.0)"},
    {A_hS, "maximum(wS - Bfy[:-1, :], 0.0)"},
    {A_uN, VELOCITY("hN", "huN")},
    {A_vN, VELOCITY("hN", "hvN")},
    {A_uS, VELOCITY("hS", "huS")},
    {A_vS, VELOCITY("hS", "hvS")},
    {A_huN, "hN * uN"},
    {A_hvN, "hN * vN"},
    {A_huS, "hS * uS"},
    {A_hvS, "hS * vS"},
    {A_apy, "maximum(maximum(vS[1:, :] + sqrt(g * hS[1:, :]), vN[:-1, :] + "
            "sqrt(g * hN[:-1, :])), 0.0)"},
    {A_amy, "minimum(minimum(vS[1:, :] - sqrt(g * hS[1:, :]), vN[:-1, :] - "
            "sqrt(g * hN[:-1, :])), 0.0)"},
    {A_day, "where(apy - amy > 0, apy - amy, 1.0)"},
    {A_Gw, "(apy * hvN[:-1, :] - amy * hvS[1:, :] + apy * amy * (hS[1:, :] - hN[:-1, :])) "
           "/ day"},
    {A_Ghu, "(apy * hvN[:-1, :] * uN[:-1, :] - amy * hvS[1:, :] * uS[1:, :] + apy * amy * "
            "(huS[1:, :] - huN[:-1, :])) / day"},
    {A_Ghv, "(apy * (hvN[:-1, :] * vN[:-1, :] + g / 2 * hN[:-1, :]**2) - amy * "
            "(hvS[1:, :] * vS[1:, :] + g / 2 * hS[1:, :]**2) + apy * amy * "
            "(hvS[1:, :] - hvN[:-1, :])) / day"},
    /* the well-balanced bed-slope source, with the face depths of each cell */
    {A_Shu, "-g * (Bfx[:, 2:-1] - Bfx[:, 1:-2]) / dx * (hE[:, 1:-1] + hW[:, 1:-1]) / 2"},
    {A_Shv, "-g * (Bfy[2:-1, :] - Bfy[1:-2, :]) / dy * (hN[1:-1, :] + hS[1:-1, :]) / 2"},
    {A_kw, "-(Fw[:, 1:] - Fw[:, :-1]) / dx - (Gw[1:, :] - Gw[:-1, :]) / dy"},
    {A_khu, "-(Fhu[:, 1:] - Fhu[:, :-1]) / dx - (Ghu[1:, :] - Ghu[:-1, :]) / dy + Shu"},
    {A_khv, "-(Fhv[:, 1:] - Fhv[:, :-1]) / dx - (Ghv[1:, :] - Ghv[:-1, :]) / dy + Shv"},
};

/* Every array under its name, the stage's state as w, hu, hv, the state at n as
 * wn, hun, hvn (stage 1's is w1, hu1, hv1 either way), the parameters and dt. */
enum { NARGS = NARRAYS + 16 };
static int bind(sa_arg *args, const swe *s, int stage)
{
  const swe_params *p = s->p;
  int n = 0;
  for (int k = 0; k < NARRAYS; k++)
    args[n++] = SA_ARR(NAMES[k], stage == 1 && k <= A_hv ? s->a[k + A_w1] : s->a[k]);
  args[n++] = SA_ARR("wn", s->a[A_w]);
  args[n++] = SA_ARR("hun", s->a[A_hu]);
  args[n++] = SA_ARR("hvn", s->a[A_hv]);
  args[n++] = SA_NUM("dx", s->dx);
  args[n++] = SA_NUM("dy", s->dy);
  args[n++] = SA_NUM("g", p->g);
  args[n++] = SA_NUM("theta", p->theta);
  args[n++] = SA_NUM("eps", p->eps);
  args[n++] = SA_NUM("level", p->level);
  if (s->dt) args[n++] = SA_FUT("dt", s->dt);
  args[n] = SA_END;
  return n;
}

/* The ghost statements of one side for one state (names wn, hun, hvn or w1, hu1, hv1):
 * where the ghosts are, where periodic, outflow and wall copy them from. */
static const char *const GHOST[4][4] = {
    {"2:-2, 0:2", "[2:-2, -4:-2]", "[2:-2, 2:3]", "[2:-2, 3:1:-1]"},
    {"2:-2, -2:", "[2:-2, 2:4]", "[2:-2, -3:-2]", "[2:-2, -3:-5:-1]"},
    {"0:2, 2:-2", "[-4:-2, 2:-2]", "[2:3, 2:-2]", "[3:1:-1, 2:-2]"},
    {"-2:, 2:-2", "[2:4, 2:-2]", "[-3:-2, 2:-2]", "[-3:-5:-1, 2:-2]"}};

static void ghost_statements(swe *s, int which)
{
  static const char *const state[2][3] = {{"wn", "hun", "hvn"}, {"w1", "hu1", "hv1"}};
  int n = 0;
  for (int side = 0; side < 4; side++) {
    const swe_bc *bc = &s->p->bc[side];
    int normal = side == WEST || side == EAST ? 1 : 2;
    double inward = side == WEST || side == SOUTH ? 1.0 : -1.0;
    for (int q = 0; q < 3; q++, n++) {
      swe_fill *f = &s->fill[which][n];
      const char *name = state[which][q];
      f->out = (which ? A_w1 : A_w) + q;
      snprintf(f->index, sizeof f->index, "%s", GHOST[side][0]);
      if (bc->kind == BC_PERIODIC)
        snprintf(f->expr, sizeof f->expr, "%s%s", name, GHOST[side][1]);
      else if (bc->kind == BC_OUTFLOW)
        snprintf(f->expr, sizeof f->expr, "%s%s", name, GHOST[side][2]);
      else if (bc->kind == BC_WALL)
        snprintf(f->expr, sizeof f->expr, "%s%s%s", q == normal ? "-" : "", name,
                 GHOST[side][3]);
      else if (bc->kind == BC_INFLOW && q == 0)
        snprintf(f->expr, sizeof f->expr, "Bc[%s] + %.17g", GHOST[side][0], bc->v[0]);
      else if (bc->kind == BC_INFLOW)
        snprintf(f->expr, sizeof f->expr, "%.17g", q == normal ? inward * bc->v[1] : 0.0);
      else
        snprintf(f->expr, sizeof f->expr, "%.17g", bc->v[q]);
    }
  }
  s->nfill = n;
}

static sa_status fill_ghosts(swe *s, int which, const sa_arg *args)
{
  for (int k = 0; k < s->nfill; k++) {
    const swe_fill *f = &s->fill[which][k];
    SA_CHECK(sa_eval(s->a[f->out], f->index, f->expr, args));
  }
  return SA_OK;
}

static sa_status rhs(swe *s, const sa_arg *args)
{
  for (size_t k = 0; k < sizeof RHS / sizeof *RHS; k++)
    SA_CHECK(sa_eval(s->a[RHS[k].out], NULL, RHS[k].expr, args));
  return SA_OK;
}

/* Replaces *f by g (the old one may still be read by submitted tasks: safe). */
static sa_status replace(sa_future **f, sa_future *g)
{
  SA_CHECK(sa_future_release(f));
  *f = g;
  return SA_OK;
}

sa_status swe_step(swe *s)
{
  const swe_params *p = s->p;
  sa_arg args[NARGS];
  sa_future *ax = NULL, *ay = NULL, *dt = NULL, *t = NULL, *n = NULL, *last = NULL;
  sa_future *h = NULL, *hmin = NULL;
  SA_CHECK(sa_future_release(&s->dt));
  bind(args, s, 0);
  SA_CHECK(rhs(s, args));
  /* dt from the largest one-sided speeds, never past t_end: a future the next
   * statements read without the host waiting */
  SA_CHECK(sa_reduce(&ax, "max", "maximum(apx, -amx)", args));
  SA_CHECK(sa_reduce(&ay, "max", "maximum(apy, -amy)", args));
  SA_CHECK(sa_reduce(&dt, "min", "minimum(cfl / maximum(ax / dx, ay / dy), t_end - t)",
                     SA_ARGS(SA_FUT("ax", ax), SA_FUT("ay", ay), SA_FUT("t", s->t),
                             SA_NUM("cfl", p->cfl), SA_NUM("dx", s->dx),
                             SA_NUM("dy", s->dy), SA_NUM("t_end", p->t_end))));
  SA_CHECK(sa_future_release(&ax));
  SA_CHECK(sa_future_release(&ay));
  s->dt = dt;
  bind(args, s, 0);
  SA_CHECK(sa_eval(s->a[A_w1], "2:-2, 2:-2", "wn[2:-2, 2:-2] + dt * kw", args));
  SA_CHECK(sa_eval(s->a[A_hu1], "2:-2, 2:-2", "hun[2:-2, 2:-2] + dt * khu", args));
  SA_CHECK(sa_eval(s->a[A_hv1], "2:-2, 2:-2", "hvn[2:-2, 2:-2] + dt * khv", args));
  SA_CHECK(fill_ghosts(s, 1, args));
  bind(args, s, 1);
  SA_CHECK(rhs(s, args));
  SA_CHECK(sa_eval(s->a[A_w], "2:-2, 2:-2",
                   "0.5 * (wn[2:-2, 2:-2] + (w1[2:-2, 2:-2] + dt * kw))", args));
  SA_CHECK(sa_eval(s->a[A_hu], "2:-2, 2:-2",
                   "0.5 * (hun[2:-2, 2:-2] + (hu1[2:-2, 2:-2] + dt * khu))", args));
  SA_CHECK(sa_eval(s->a[A_hv], "2:-2, 2:-2",
                   "0.5 * (hvn[2:-2, 2:-2] + (hv1[2:-2, 2:-2] + dt * khv))", args));
  SA_CHECK(fill_ghosts(s, 0, args));
  SA_CHECK(sa_reduce(&h, "min", "w[2:-2, 2:-2] - Bc[2:-2, 2:-2]", args));
  SA_CHECK(sa_reduce(&hmin, "min", "minimum(h, hmin)",
                     SA_ARGS(SA_FUT("h", h), SA_FUT("hmin", s->hmin))));
  SA_CHECK(sa_future_release(&h));
  SA_CHECK(replace(&s->hmin, hmin));
  const sa_arg *times = SA_ARGS(SA_FUT("t", s->t), SA_FUT("dt", s->dt),
                                SA_FUT("n", s->nsteps), SA_FUT("last", s->dtlast));
  SA_CHECK(sa_reduce(&t, "sum", "t + dt", times));
  SA_CHECK(sa_reduce(&n, "sum", "n + (dt > 0)", times));
  SA_CHECK(sa_reduce(&last, "sum", "where(dt > 0, dt, last)", times));
  SA_CHECK(replace(&s->t, t));
  SA_CHECK(replace(&s->nsteps, n));
  SA_CHECK(replace(&s->dtlast, last));
  return SA_OK;
}

/* The bed of a built-in case at the domain's corners, into Bk[2:-2, 2:-2]. */
static sa_status case_bed(swe *s, const sa_arg *args)
{
  sa_array *bk = s->a[A_Bk], *above = NULL, *near = NULL;
  const char *bed = s->p->casenum == CASE_DAMBREAK
                        ? "0.05 * x + 0.8 * exp(-((x - 1.2)**2 + (y - 0.5)**2) / 0.02)"
                    : s->p->casenum == CASE_SMOOTH
                        ? "0.1 * sin(2 * pi * x) * cos(2 * pi * y)"
                        : "0.25 + 0.1 * sin(7 * x + 1) * cos(5 * y) + 0.05 * "
                          "cos(13 * x - 9 * y) + 0.6 * exp(-((x - 0.62)**2 + "
                          "(y - 0.58)**2) / 0.012)";
  SA_CHECK(sa_eval(bk, "2:-2, 2:-2", bed, args));
  if (s->p->casenum != CASE_LAKE) return SA_OK;
  /* Every cell wholly above or wholly below the lake's level: the corners below it
   * of the cells the shore crosses are raised to it (doc/apps.md). */
  int64_t shape[2] = {s->p->ny + 1, s->p->nx + 1};
  SA_CHECK(sa_zeros(&above, SA_BOOL, 2, shape));
  SA_CHECK(sa_zeros(&near, SA_BOOL, 2, shape));
  const sa_arg *more = SA_ARGS(SA_ARR("Bk", bk), SA_ARR("above", above),
                               SA_ARR("near", near), SA_NUM("level", s->p->level));
  SA_CHECK(sa_eval(above, NULL, "Bk[2:-2, 2:-2] > level", more));
  SA_CHECK(
      sa_eval(near, "1:-1, 1:-1",
              "above[:-2, :-2] | above[:-2, 1:-1] | above[:-2, 2:] | above[1:-1, :-2] | "
              "above[1:-1, 1:-1] | above[1:-1, 2:] | above[2:, :-2] | above[2:, 1:-1] | "
              "above[2:, 2:]",
              more));
  SA_CHECK(sa_eval(bk, "2:-2, 2:-2", "where(~above & near, level, Bk[2:-2, 2:-2])", more));
  SA_CHECK(sa_array_release(&above));
  SA_CHECK(sa_array_release(&near));
  return SA_OK;
}

/* The initial state of a built-in case on the whole ghosted grid. */
static sa_status case_state(swe *s, const sa_arg *args)
{
  sa_array **a = s->a;
  if (s->p->casenum == CASE_DAMBREAK) {
    SA_CHECK(sa_eval(a[A_w], NULL, "where(xc < 0.5, maximum(Bc, 1.0), Bc)", args));
  } else if (s->p->casenum == CASE_LAKE) {
    SA_CHECK(sa_eval(a[A_w], NULL, "maximum(Bc, level)", args));
  } else {
    SA_CHECK(
        sa_eval(a[A_w], NULL, "1.0 + 0.1 * sin(2 * pi * xc) * sin(2 * pi * yc)", args));
    SA_CHECK(sa_eval(a[A_hu], NULL, "0.2 * (w - Bc)", args));
    SA_CHECK(sa_eval(a[A_hv], NULL, "-0.1 * (w - Bc)", args));
  }
  return SA_OK;
}

/* Loads dir/name.npy into dst[index] after checking it is float64 of shape rows x cols. */
static sa_status load_into(sa_array *dst, const char *index, const char *dir,
                           const char *name, int64_t rows, int64_t cols, int *bad_input)
{
  char path[4096];
  sa_array *x = NULL;
  int nd;
  int64_t shape[SA_MAX_NDIM];
  sa_dtype dt;
  snprintf(path, sizeof path, "%s/%s.npy", dir, name);
  SA_CHECK(sa_load_npy(&x, path, NULL));
  SA_CHECK(sa_array_shape(x, &nd, shape));
  SA_CHECK(sa_array_dtype(x, &dt));
  if (nd != 2 || shape[0] != rows || shape[1] != cols || dt != SA_F64) {
    fprintf(stderr,
            "swe: %s is %s of %d dimensions (%lld x %lld); expected float64 "
            "%lld x %lld\n",
            path, sa_dtype_name(dt), nd, (long long)shape[0],
            nd > 1 ? (long long)shape[1] : 0LL, (long long)rows, (long long)cols);
    *bad_input = 1;
  } else {
    SA_CHECK(sa_eval(dst, index, "x", SA_ARGS(SA_ARR("x", x))));
  }
  SA_CHECK(sa_array_release(&x));
  return SA_OK;
}

/* Ghost corners of the bed: periodic where the boundary is (the last corner line is
 * then the first one), else mirrored about the boundary. */
static sa_status extend_bed(swe *s, const sa_arg *args)
{
  sa_array *bk = s->a[A_Bk];
  if (s->p->bc[WEST].kind == BC_PERIODIC) {
    SA_CHECK(sa_eval(bk, "2:-2, -3:", "Bk[2:-2, 2:5]", args));
    SA_CHECK(sa_eval(bk, "2:-2, 0:2", "Bk[2:-2, -5:-3]", args));
  } else {
    SA_CHECK(sa_eval(bk, "2:-2, 0:2", "Bk[2:-2, 4:2:-1]", args));
    SA_CHECK(sa_eval(bk, "2:-2, -2:", "Bk[2:-2, -4:-6:-1]", args));
  }
  if (s->p->bc[SOUTH].kind == BC_PERIODIC) {
    SA_CHECK(sa_eval(bk, "-3:, :", "Bk[2:5, :]", args));
    SA_CHECK(sa_eval(bk, "0:2, :", "Bk[-5:-3, :]", args));
  } else {
    SA_CHECK(sa_eval(bk, "0:2, :", "Bk[4:2:-1, :]", args));
    SA_CHECK(sa_eval(bk, "-2:, :", "Bk[-4:-6:-1, :]", args));
  }
  SA_CHECK(sa_eval(s->a[A_Bc], NULL,
                   "(Bk[:-1, :-1] + Bk[:-1, 1:] + Bk[1:, :-1] + Bk[1:, 1:]) / 4", args));
  SA_CHECK(sa_eval(s->a[A_Bfx], NULL, "(Bk[2:-3, 1:-1] + Bk[3:-2, 1:-1]) / 2", args));
  SA_CHECK(sa_eval(s->a[A_Bfy], NULL, "(Bk[1:-1, 2:-3] + Bk[1:-1, 3:-2]) / 2", args));
  return SA_OK;
}

/* Corner coordinates x, y (ny + 1 x nx + 1) and cell-centre ones xc, yc (ghosted). */
static sa_status coordinates(sa_array **xy, const swe *s)
{
  const swe_params *p = s->p;
  sa_array *i = NULL, *j = NULL, *ic = NULL, *jc = NULL;
  int64_t corners[2] = {p->ny + 1, p->nx + 1}, cells[2] = {p->ny + 4, p->nx + 4};
  SA_CHECK(sa_arange(&i, SA_F64, 0, (double)(p->nx + 1), 1));
  SA_CHECK(sa_arange(&j, SA_F64, 0, (double)(p->ny + 1), 1));
  SA_CHECK(sa_arange(&ic, SA_F64, 0, (double)(p->nx + 4), 1));
  SA_CHECK(sa_arange(&jc, SA_F64, 0, (double)(p->ny + 4), 1));
  for (int k = 0; k < 4; k++)
    SA_CHECK(sa_zeros(&xy[k], SA_F64, 2, k < 2 ? corners : cells));
  const sa_arg *args = SA_ARGS(SA_ARR("i", i), SA_ARR("j", j), SA_ARR("ic", ic),
                               SA_ARR("jc", jc), SA_NUM("dx", s->dx), SA_NUM("dy", s->dy));
  SA_CHECK(sa_eval(xy[0], NULL, "dx * i[None, :]", args));
  SA_CHECK(sa_eval(xy[1], NULL, "dy * j[:, None]", args));
  SA_CHECK(sa_eval(xy[2], NULL, "dx * (ic[None, :] - 1.5)", args));
  SA_CHECK(sa_eval(xy[3], NULL, "dy * (jc[:, None] - 1.5)", args));
  sa_array **tmp[] = {&i, &j, &ic, &jc};
  for (int k = 0; k < 4; k++)
    SA_CHECK(sa_array_release(tmp[k]));
  return SA_OK;
}

sa_status swe_create(swe *s, const swe_params *p, int *bad_input)
{
  *s = (swe){.p = p, .dx = p->lx / (double)p->nx, .dy = p->ly / (double)p->ny};
  for (int k = 0; k < NARRAYS; k++) {
    int64_t shape[2] = {p->ny + SHAPES[k][0], p->nx + SHAPES[k][1]};
    SA_CHECK(sa_zeros(&s->a[k], (sa_dtype)SHAPES[k][2], 2, shape));
  }
  sa_arg args[NARGS + 4];
  sa_array *xy[4] = {NULL};
  static const char *const xynames[4] = {"x", "y", "xc", "yc"};
  SA_CHECK(coordinates(xy, s));
  int n = bind(args, s, 0);
  for (int k = 0; k < 4; k++)
    args[n++] = SA_ARR(xynames[k], xy[k]);
  args[n] = SA_END;
  if (p->init) {
    static const char *const files[4] = {"B", "w", "hu", "hv"};
    static const int into[4] = {A_Bk, A_w, A_hu, A_hv};
    for (int k = 0; k < 4 && !*bad_input; k++)
      SA_CHECK(load_into(s->a[into[k]], "2:-2, 2:-2", p->init, files[k], p->ny + !k,
                         p->nx + !k, bad_input));
    SA_CHECK(extend_bed(s, args));
  } else {
    SA_CHECK(case_bed(s, args));
    SA_CHECK(extend_bed(s, args));
    SA_CHECK(case_state(s, args));
  }
  for (int k = 0; k < 4; k++)
    SA_CHECK(sa_array_release(&xy[k]));
  ghost_statements(s, 0);
  ghost_statements(s, 1);
  bind(args, s, 0);
  SA_CHECK(fill_ghosts(s, 0, args));
  SA_CHECK(sa_reduce(&s->t, "sum", "zero", SA_ARGS(SA_NUM("zero", 0.0))));
  SA_CHECK(sa_reduce(&s->nsteps, "sum", "zero", SA_ARGS(SA_NUM("zero", 0.0))));
  SA_CHECK(sa_reduce(&s->dtlast, "sum", "zero", SA_ARGS(SA_NUM("zero", 0.0))));
  SA_CHECK(sa_reduce(&s->hmin, "min", "w[2:-2, 2:-2] - Bc[2:-2, 2:-2]", args));
  return SA_OK;
}

sa_status swe_volume(swe *s, sa_future **volume, sa_future **hmin)
{
  const sa_arg *args = SA_ARGS(SA_ARR("w", s->a[A_w]), SA_ARR("Bc", s->a[A_Bc]),
                               SA_NUM("cell", s->dx * s->dy));
  SA_CHECK(sa_reduce(volume, "sum", "(w[2:-2, 2:-2] - Bc[2:-2, 2:-2]) * cell", args));
  if (hmin) SA_CHECK(sa_reduce(hmin, "min", "w[2:-2, 2:-2] - Bc[2:-2, 2:-2]", args));
  return SA_OK;
}

sa_status swe_save(swe *s, const char *dir)
{
  static const char *const names[] = {"w", "hu", "hv", "h", "B"};
  sa_array *v[5] = {NULL};
  char path[4096];
  for (int k = 0; k < 3; k++)
    SA_CHECK(sa_view(&v[k], s->a[A_w + k], "2:-2, 2:-2"));
  SA_CHECK(sa_eval_new(&v[3], "w[2:-2, 2:-2] - Bc[2:-2, 2:-2]",
                       SA_ARGS(SA_ARR("w", s->a[A_w]), SA_ARR("Bc", s->a[A_Bc]))));
  SA_CHECK(sa_view(&v[4], s->a[A_Bk], "2:-2, 2:-2"));
  for (int k = 0; k < 5; k++) {
    snprintf(path, sizeof path, "%s/%s.npy", dir, names[k]);
    SA_CHECK(sa_save_npy(path, v[k]));
    SA_CHECK(sa_array_release(&v[k]));
  }
  return SA_OK;
}

sa_status swe_destroy(swe *s)
{
  for (int k = 0; k < NARRAYS; k++)
    SA_CHECK(sa_array_release(&s->a[k]));
  sa_future **f[] = {&s->t, &s->dt, &s->nsteps, &s->dtlast, &s->hmin};
  for (int k = 0; k < 5; k++)
    SA_CHECK(sa_future_release(f[k]));
  return SA_OK;
}
