/* SPDX-License-Identifier: MIT
 * CFD step 12 as a hand-fused C loop with OpenMP: the "how fast could this go"
 * reference for the benchmark. Same numerics as apps/cfd12 (see doc/apps.md): the
 * periodic columns are folded into each row loop, `pn = p` becomes a buffer swap,
 * and each stage is one pass. Usage: cfd12_fused N STEPS [--save DIR] -> JSON line. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AT(a, j, i) a[(size_t)(j) * (size_t)nx + (size_t)(i)]

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void step(long nx, long ny, int nit, double dt, double dx, double dy, double *u,
                 double *v, double **pp, double **pnp, double *b, double *un, double *vn)
{
  const double rho = 1.0, nu = 0.1, F = 1.0;
  double *p = *pp, *pn = *pnp;
  memcpy(un, u, sizeof(double) * (size_t)(nx * ny));
  memcpy(vn, v, sizeof(double) * (size_t)(nx * ny));
#pragma omp parallel for schedule(static)
  for (long j = 1; j < ny - 1; j++)
    for (long i = 0; i < nx; i++) {
      long e = i == nx - 1 ? 0 : i + 1, w = i == 0 ? nx - 1 : i - 1;
      double dudx = (AT(u, j, e) - AT(u, j, w)) / (2 * dx);
      double dvdy = (AT(v, j + 1, i) - AT(v, j - 1, i)) / (2 * dy);
      AT(b, j, i) = rho * (1 / dt * (dudx + dvdy) - dudx * dudx -
                           2 * ((AT(u, j + 1, i) - AT(u, j - 1, i)) / (2 * dy) *
                                (AT(v, j, e) - AT(v, j, w)) / (2 * dx)) - dvdy * dvdy);
    }
  const double c1 = 2 * (dx * dx + dy * dy), c2 = dx * dx * dy * dy / c1;
  for (int q = 0; q < nit; q++) {
    double *t = p; /* pn = p, by swapping: the loop below writes every interior point */
    p = pn;
    pn = t;
#pragma omp parallel for schedule(static)
    for (long j = 1; j < ny - 1; j++)
      for (long i = 0; i < nx; i++) {
        long e = i == nx - 1 ? 0 : i + 1, w = i == 0 ? nx - 1 : i - 1;
        AT(p, j, i) = ((AT(pn, j, e) + AT(pn, j, w)) * dy * dy +
                       (AT(pn, j + 1, i) + AT(pn, j - 1, i)) * dx * dx) / c1 - c2 * AT(b, j, i);
      }
    memcpy(&AT(p, ny - 1, 0), &AT(p, ny - 2, 0), sizeof(double) * (size_t)nx);
    memcpy(&AT(p, 0, 0), &AT(p, 1, 0), sizeof(double) * (size_t)nx);
  }
#pragma omp parallel for schedule(static)
  for (long j = 1; j < ny - 1; j++)
    for (long i = 0; i < nx; i++) {
      long e = i == nx - 1 ? 0 : i + 1, w = i == 0 ? nx - 1 : i - 1;
      double uc = AT(un, j, i), vc = AT(vn, j, i);
      AT(u, j, i) = uc - uc * dt / dx * (uc - AT(un, j, w)) - vc * dt / dy * (uc - AT(un, j - 1, i)) -
                    dt / (2 * rho * dx) * (AT(p, j, e) - AT(p, j, w)) +
                    nu * (dt / (dx * dx) * (AT(un, j, e) - 2 * uc + AT(un, j, w)) +
                          dt / (dy * dy) * (AT(un, j + 1, i) - 2 * uc + AT(un, j - 1, i))) + F * dt;
      AT(v, j, i) = vc - uc * dt / dx * (vc - AT(vn, j, w)) - vc * dt / dy * (vc - AT(vn, j - 1, i)) -
                    dt / (2 * rho * dy) * (AT(p, j + 1, i) - AT(p, j - 1, i)) +
                    nu * (dt / (dx * dx) * (AT(vn, j, e) - 2 * vc + AT(vn, j, w)) +
                          dt / (dy * dy) * (AT(vn, j + 1, i) - 2 * vc + AT(vn, j - 1, i)));
    }
  for (long i = 0; i < nx; i++) AT(u, 0, i) = AT(u, ny - 1, i) = AT(v, 0, i) = AT(v, ny - 1, i) = 0;
  *pp = p;
  *pnp = pn;
}

static void save(const char *dir, const char *name, const double *a, long ny, long nx)
{
  char path[4096], header[128];
  snprintf(path, sizeof path, "%s/%s.npy", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return;
  int n = snprintf(header, sizeof header,
                   "{'descr': '<f8', 'fortran_order': False, 'shape': (%ld, %ld), }", ny, nx);
  int pad = (64 - (10 + n + 1) % 64) % 64;
  unsigned hl = (unsigned)(n + pad + 1);
  fwrite("\x93NUMPY\x01\x00", 1, 8, f);
  fputc((int)(hl & 0xff), f);
  fputc((int)(hl >> 8), f);
  fwrite(header, 1, (size_t)n, f);
  for (int k = 0; k < pad; k++) fputc(' ', f);
  fputc('\n', f);
  fwrite(a, sizeof *a, (size_t)(nx * ny), f);
  fclose(f);
}

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: cfd12_fused N STEPS [--save DIR]\n");
    return 2;
  }
  long n = atol(argv[1]), steps = atol(argv[2]), nx = n, ny = n;
  const char *dir = argc > 4 && !strcmp(argv[3], "--save") ? argv[4] : NULL;
  double dx = 2.0 / (double)(nx - 1), dy = 2.0 / (double)(ny - 1), dt = 0.0009 * dx * dy / 0.1;
  size_t sz = sizeof(double) * (size_t)(nx * ny);
  double *u = calloc(1, sz), *v = calloc(1, sz), *p = malloc(sz), *pn = malloc(sz),
         *b = calloc(1, sz), *un = malloc(sz), *vn = malloc(sz);
  if (!u || !v || !p || !pn || !b || !un || !vn) return 1;
  for (long k = 0; k < nx * ny; k++) p[k] = pn[k] = 1.0;
  step(nx, ny, 50, dt, dx, dy, u, v, &p, &pn, b, un, vn); /* warm-up */
  double t0 = now();
  for (long s = 0; s < steps; s++) step(nx, ny, 50, dt, dx, dy, u, v, &p, &pn, b, un, vn);
  double secs = now() - t0;
  if (dir) save(dir, "u", u, ny, nx), save(dir, "v", v, ny, nx), save(dir, "p", p, ny, nx);
  printf("{\"app\": \"cfd12-fused\", \"nx\": %ld, \"ny\": %ld, \"timed_steps\": %ld, "
         "\"threads\": %d, \"seconds\": %.6f, \"points_per_s\": %.6g}\n", nx, ny, steps,
         omp_get_max_threads(), secs, (double)(nx * ny) * (double)steps / secs);
  free(u), free(v), free(p), free(pn), free(b), free(un), free(vn);
  return 0;
}
