/* SPDX-License-Identifier: MIT
 * The shallow-water app: its parameters, its arrays and the scheme's entry points
 * (apps/swe/swe_scheme.c); options, cases and output are in apps/swe/swe.c. */
#ifndef SWE_H
#define SWE_H

#include <starray.h>

/* Boundary conditions, one per side, filled into 2 layers of ghost cells. */
enum { BC_PERIODIC, BC_OUTFLOW, BC_WALL, BC_INFLOW, BC_CONST };
enum { WEST, EAST, SOUTH, NORTH };
typedef struct swe_bc {
  int kind;
  double v[3]; /* inflow: depth, discharge into the domain; const: w, hu, hv */
} swe_bc;

enum { CASE_DAMBREAK, CASE_LAKE, CASE_SMOOTH };

typedef struct swe_params {
  int casenum;
  int64_t nx, ny, steps, warmup, check_every;
  double lx, ly, t_end, cfl, theta, g, eps, level;
  swe_bc bc[4];
  int json, progress;
  const char *init, *save;
} swe_params;

/* Every permanent array: name, shape (ny + rows, nx + cols), dtype. The state has 2
 * ghost cells per side: domain cell (j, i) is w[j + 2, i + 2]. "x cells" are the cells
 * 1 .. nx + 2 of the interior rows (the domain and one ghost layer), "x faces" the
 * nx + 1 faces normal to x between them; the same for y. */
/* clang-format off */
#define SWE_ARRAYS(X)                                                                     \
  /* state at time n and after the first stage; bed at corners, cells, faces */         \
  X(w, 4, 4, SA_F64) X(hu, 4, 4, SA_F64) X(hv, 4, 4, SA_F64)                             \
  X(w1, 4, 4, SA_F64) X(hu1, 4, 4, SA_F64) X(hv1, 4, 4, SA_F64)                          \
  X(Bk, 5, 5, SA_F64) X(Bc, 4, 4, SA_F64) X(Bfx, 0, 3, SA_F64) X(Bfy, 3, 0, SA_F64)      \
  /* x cells: slopes, east (E) and west (W) face values, depths, velocities */          \
  X(sx_w, 0, 2, SA_F64) X(sx_hu, 0, 2, SA_F64) X(sx_hv, 0, 2, SA_F64)                    \
  X(wE, 0, 2, SA_F64) X(wW, 0, 2, SA_F64) X(huE, 0, 2, SA_F64) X(huW, 0, 2, SA_F64)      \
  X(hvE, 0, 2, SA_F64) X(hvW, 0, 2, SA_F64) X(fixE, 0, 2, SA_BOOL) X(fixW, 0, 2, SA_BOOL) \
  X(hE, 0, 2, SA_F64) X(hW, 0, 2, SA_F64) X(uE, 0, 2, SA_F64) X(uW, 0, 2, SA_F64)        \
  X(vE, 0, 2, SA_F64) X(vW, 0, 2, SA_F64)                                                \
  /* x faces: one-sided wave speeds, their spread, central-upwind fluxes */              \
  X(apx, 0, 1, SA_F64) X(amx, 0, 1, SA_F64) X(dax, 0, 1, SA_F64)                         \
  X(Fw, 0, 1, SA_F64) X(Fhu, 0, 1, SA_F64) X(Fhv, 0, 1, SA_F64)                          \
  /* y cells: north (N) and south (S) faces */                                           \
  X(sy_w, 2, 0, SA_F64) X(sy_hu, 2, 0, SA_F64) X(sy_hv, 2, 0, SA_F64)                    \
  X(wN, 2, 0, SA_F64) X(wS, 2, 0, SA_F64) X(huN, 2, 0, SA_F64) X(huS, 2, 0, SA_F64)      \
  X(hvN, 2, 0, SA_F64) X(hvS, 2, 0, SA_F64) X(fixN, 2, 0, SA_BOOL) X(fixS, 2, 0, SA_BOOL) \
  X(hN, 2, 0, SA_F64) X(hS, 2, 0, SA_F64) X(uN, 2, 0, SA_F64) X(uS, 2, 0, SA_F64)        \
  X(vN, 2, 0, SA_F64) X(vS, 2, 0, SA_F64)                                                \
  X(apy, 1, 0, SA_F64) X(amy, 1, 0, SA_F64) X(day, 1, 0, SA_F64)                         \
  X(Gw, 1, 0, SA_F64) X(Ghu, 1, 0, SA_F64) X(Ghv, 1, 0, SA_F64)                          \
  /* domain cells: bed-slope source, right-hand side */                                  \
  X(Shu, 0, 0, SA_F64) X(Shv, 0, 0, SA_F64) X(kw, 0, 0, SA_F64) X(khu, 0, 0, SA_F64)     \
  X(khv, 0, 0, SA_F64)
/* clang-format on */

#define SWE_ENUM(name, rows, cols, dtype) A_##name,
enum { SWE_ARRAYS(SWE_ENUM) NARRAYS };
#undef SWE_ENUM

/* One ghost-cell statement: a[out][index] = expr. */
typedef struct swe_fill {
  int out;
  char index[16], expr[96];
} swe_fill;

typedef struct swe {
  const swe_params *p;
  double dx, dy;
  sa_array *a[NARRAYS];
  /* simulated time, the last step's dt, steps that moved the solution, the last
   * dt > 0, the smallest depth of any cell at the end of any step: futures, read
   * only to report or to stop at t_end */
  sa_future *t, *dt, *nsteps, *dtlast, *hmin;
  swe_fill fill[2][12]; /* ghost statements of the state at n and of stage 1 */
  int nfill;
} swe;

/* Allocates the arrays, builds the bed and the initial state (a built-in case or
 * p->init) and fills the ghost cells; *bad_input = 1 (and SA_OK) for unusable files. */
sa_status swe_create(swe *s, const swe_params *p, int *bad_input);
/* One SSP-RK2 step; submits only. */
sa_status swe_step(swe *s);
/* Water volume and smallest depth over the domain (futures; hmin may be NULL). */
sa_status swe_volume(swe *s, sa_future **volume, sa_future **hmin);
/* Writes w, hu, hv, h (ny x nx) and B (corners, ny + 1 x nx + 1) into dir. */
sa_status swe_save(swe *s, const char *dir);
sa_status swe_destroy(swe *s);

#endif
