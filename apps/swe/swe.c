/* SPDX-License-Identifier: MIT
 * Shallow water with topography (Kurganov and Petrova 2007): options, the built-in
 * cases, the time loop and the summary. The scheme is in apps/swe/swe_scheme.c. */
#include "swe.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const CASES[] = {"dambreak", "lake", "smooth"};
static const char *const SIDES[] = {"west", "east", "south", "north"};
static const char *const KINDS[] = {"periodic", "outflow", "wall", "inflow", "const"};

static void usage(FILE *f)
{
  fprintf(
      f,
      "Usage: swe [--case dambreak|lake|smooth] [--nx N] [--ny N] [--lx X] [--ly X]\n"
      "           [--steps N] [--t-end T] [--cfl X] [--theta X] [--g X] [--eps X]\n"
      "           [--bc KIND] [--bc-west KIND] [--bc-east KIND] [--bc-south KIND]\n"
      "           [--bc-north KIND] [--check-every K] [--init DIR] [--save DIR]\n"
      "           [--warmup N] [--json] [--progress] [--help]\n"
      "           [libstarray --sa-* options, see --sa-help]\n"
      "  --case NAME     dambreak (default): water at level 1 behind a dam at x = 0.5\n"
      "                  on [0,2]x[0,1], dry beyond, over a sloping bed with a bump that\n"
      "                  stays dry; lake: a lake at rest (level 0.6) over an irregular\n"
      "                  bed with an island; smooth: smooth periodic waves over a smooth\n"
      "                  bed on [0,1]^2 (for convergence studies)\n"
      "  --nx, --ny      cells in x and y (default 128 x 64 dambreak, else 64 x 64)\n"
      "  --lx, --ly      domain lengths (default 2 x 1 dambreak, else 1 x 1)\n"
      "  --steps N       most time steps (default: as many as --t-end needs)\n"
      "  --t-end T       simulated time to reach (default 0.4 dambreak, 0.5 lake,\n"
      "                  0.05 smooth; inf: none, then --steps is needed)\n"
      "  --cfl X         dt = X * min(dx / max|a|, dy / max|b|) (default 0.25)\n"
      "  --theta X       minmod limiter parameter, 1 <= X <= 2 (default 1.3)\n"
      "  --g X           gravity (default 9.81)\n"
      "  --eps X         velocity desingularisation epsilon (default max(dx, dy)^4)\n"
      "  --bc KIND       boundary condition of all four sides (default: the case's);\n"
      "                  --bc-west, --bc-east, --bc-south, --bc-north set one side.\n"
      "                  KIND: periodic (both sides of an axis), outflow (extrapolated),\n"
      "                  wall (reflective), inflow:H:Q (depth H, discharge Q into the\n"
      "                  domain), const:W:HU:HV (ghost cells held at these values)\n"
      "  --check-every K read the simulated time every K steps (a wait) to stop at\n"
      "                  --t-end (default 10)\n"
      "  --init DIR      start from DIR/B.npy (bed at the corners, ny+1 x nx+1) and\n"
      "                  w.npy, hu.npy, hv.npy (ny x nx, w = h + bed), as --save writes\n"
      "  --save DIR      write w, hu, hv, h (ny x nx) and B .npy files there at the end\n"
      "  --warmup N      untimed steps before the timed ones (default 1)\n"
      "  --json          print the summary as one JSON object\n"
      "  --progress      progress lines on stderr (default: when stderr is a terminal)\n");
}

static int bad(const char *opt, const char *value, const char *want)
{
  fprintf(stderr, "swe: %s %s: expected %s (see --help)\n", opt, value ? value : "(none)",
          want);
  return 2;
}

/* "periodic", "outflow", "wall", "inflow:H:Q" or "const:W:HU:HV": 0, or -1. */
static int parse_bc(const char *v, swe_bc *bc)
{
  *bc = (swe_bc){.kind = -1};
  if (!v) return -1;
  size_t len = strcspn(v, ":");
  for (int k = 0; k < 5; k++)
    if (len == strlen(KINDS[k]) && !strncmp(v, KINDS[k], len)) bc->kind = k;
  int want = bc->kind == BC_INFLOW ? 2 : bc->kind == BC_CONST ? 3 : 0, got = 0;
  const char *s = v + len;
  while (*s == ':' && got < 3) {
    char *end;
    errno = 0;
    bc->v[got] = strtod(s + 1, &end);
    if (end == s + 1 || errno || !isfinite(bc->v[got])) return -1;
    got++;
    s = end;
  }
  if (bc->kind < 0 || *s || got != want || (bc->kind == BC_INFLOW && bc->v[0] < 0))
    return -1;
  return 0;
}

/* The case's defaults for what was not given (a side's own option beats --bc, which
 * beats the case), then the checks that need every value: 0, or 2. */
static int defaults(swe_params *p, const swe_bc *all)
{
  static const int bcs[3][4] = {{BC_WALL, BC_OUTFLOW, BC_WALL, BC_WALL},
                                {BC_WALL, BC_WALL, BC_WALL, BC_WALL},
                                {BC_PERIODIC, BC_PERIODIC, BC_PERIODIC, BC_PERIODIC}};
  int dam = p->casenum == CASE_DAMBREAK;
  if (p->nx < 0) p->nx = dam ? 128 : 64;
  if (p->ny < 0) p->ny = 64;
  if (isnan(p->lx)) p->lx = dam ? 2.0 : 1.0;
  if (isnan(p->ly)) p->ly = 1.0;
  if (isnan(p->t_end)) p->t_end = (double[]){0.4, 0.5, 0.05}[p->casenum];
  if (isnan(p->eps)) p->eps = pow(fmax(p->lx / (double)p->nx, p->ly / (double)p->ny), 4);
  for (int s = 0; s < 4; s++)
    if (p->bc[s].kind < 0)
      p->bc[s] = all->kind >= 0 ? *all : (swe_bc){.kind = bcs[p->casenum][s]};
  for (int s = 0; s < 4; s += 2)
    if ((p->bc[s].kind == BC_PERIODIC) != (p->bc[s + 1].kind == BC_PERIODIC)) {
      fprintf(stderr, "swe: --bc-%s and --bc-%s: periodic goes on both sides or neither\n",
              SIDES[s], SIDES[s + 1]);
      return 2;
    }
  if (p->steps < 0 && isinf(p->t_end)) {
    fprintf(stderr, "swe: --t-end inf needs --steps N\n");
    return 2;
  }
  if (p->steps < 0) p->steps = INT64_MAX;
  return 0;
}

/* Parses the app's options (libstarray's are gone already), in any order: 0 run,
 * -1 help printed, 2 bad option. Unset values take the case's defaults afterwards. */
static int parse(int argc, char **argv, swe_params *p)
{
  *p = (swe_params){.casenum = CASE_DAMBREAK,
                    .nx = -1,
                    .ny = -1,
                    .steps = -1,
                    .warmup = 1,
                    .check_every = 10,
                    .lx = NAN,
                    .ly = NAN,
                    .t_end = NAN,
                    .cfl = 0.25,
                    .theta = 1.3,
                    .g = 9.81,
                    .eps = NAN,
                    .level = 0.6,
                    .progress = isatty(2)};
  for (int k = 0; k < 4; k++)
    p->bc[k].kind = -1;
  swe_bc all = {.kind = -1};
  for (int k = 1; k < argc; k++) {
    char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL, *end = NULL, *eq = NULL;
    if (!strncmp(o, "--", 2) && (eq = strchr(o, '='))) *eq = '\0', v = eq + 1, k--;
    int64_t *iv = !strcmp(o, "--nx")            ? &p->nx
                  : !strcmp(o, "--ny")          ? &p->ny
                  : !strcmp(o, "--steps")       ? &p->steps
                  : !strcmp(o, "--warmup")      ? &p->warmup
                  : !strcmp(o, "--check-every") ? &p->check_every
                                                : NULL;
    double *dv = !strcmp(o, "--lx")      ? &p->lx
                 : !strcmp(o, "--ly")    ? &p->ly
                 : !strcmp(o, "--t-end") ? &p->t_end
                 : !strcmp(o, "--cfl")   ? &p->cfl
                 : !strcmp(o, "--theta") ? &p->theta
                 : !strcmp(o, "--g")     ? &p->g
                 : !strcmp(o, "--eps")   ? &p->eps
                                         : NULL;
    int side = -1;
    for (int s = 0; s < 4; s++)
      if (!strncmp(o, "--bc-", 5) && !strcmp(o + 5, SIDES[s])) side = s;
    if (!strcmp(o, "--help")) return usage(stdout), -1;
    if (!strcmp(o, "--json") || !strcmp(o, "--progress")) {
      if (eq) return bad(o, v, "no value");
      *(o[2] == 'j' ? &p->json : &p->progress) = 1;
      continue;
    }
    if (iv) {
      errno = 0;
      long long x = v ? strtoll(v, &end, 10) : 0;
      int64_t min = iv == &p->nx || iv == &p->ny ? 2 : iv == &p->check_every ? 1 : 0;
      if (!v || !*v || *end || errno || x < min)
        return bad(o, v,
                   min == 2 ? "an integer >= 2"
                   : min    ? "an integer >= 1"
                            : "an integer >= 0");
      *iv = x;
    } else if (dv) {
      *dv = v ? strtod(v, &end) : NAN;
      int ok = v && *v && !*end && *dv > 0 && (isfinite(*dv) || dv == &p->t_end);
      if (dv == &p->theta) ok = ok && *dv >= 1 && *dv <= 2;
      if (!ok) return bad(o, v, dv == &p->theta ? "a number in [1, 2]" : "a number > 0");
    } else if (!strcmp(o, "--case")) {
      p->casenum = -1;
      for (int c = 0; c < 3; c++)
        if (v && !strcmp(v, CASES[c])) p->casenum = c;
      if (p->casenum < 0) return bad(o, v, "dambreak, lake or smooth");
    } else if (side >= 0 || !strcmp(o, "--bc")) {
      if (parse_bc(v, side >= 0 ? &p->bc[side] : &all))
        return bad(o, v, "periodic, outflow, wall, inflow:H:Q or const:W:HU:HV");
    } else if (!strcmp(o, "--init") || !strcmp(o, "--save")) {
      if (!v || !*v) return bad(o, v, "a directory");
      *(o[2] == 'i' ? &p->init : &p->save) = v;
    } else {
      fprintf(stderr, "swe: unknown option '%s' (see --help)\n", o);
      return 2;
    }
    k++;
  }
  return defaults(p, &all);
}

/* StarPU's clock (sa_time): simulated runs report simulated time. After sa_init. */
static double now(void)
{
  double t = 0;
  return sa_time(&t) == SA_OK ? t : 0;
}

/* "wall, outflow, wall, wall" or with the values of inflow and const. */
static void bc_text(char *out, size_t size, const swe_params *p, int json)
{
  size_t n = 0;
  for (int s = 0; s < 4 && n < size; s++) {
    const swe_bc *b = &p->bc[s];
    n += (size_t)snprintf(out + n, size - n, "%s%s%s", s ? ", " : "", json ? "\"" : "",
                          KINDS[b->kind]);
    for (int k = 0; k < (b->kind == BC_INFLOW  ? 2
                         : b->kind == BC_CONST ? 3
                                               : 0) &&
                    n < size;
         k++)
      n += (size_t)snprintf(out + n, size - n, ":%.17g", b->v[k]);
    if (json && n < size) n += (size_t)snprintf(out + n, size - n, "\"");
  }
}

static void summary(const swe_params *p, const sa_config *c, double *r, int64_t run_steps,
                    double secs)
{
  /* r: t, steps, timed steps, last dt, volume at start, volume, smallest depth at the
   * end, smallest depth of any step */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cells = (double)(p->nx * p->ny), rate = secs > 0 ? cells * r[2] / secs : 0;
  char bcs[256];
  bc_text(bcs, sizeof bcs, p, p->json);
  if (p->json)
    printf(
        "{\"app\": \"swe\", \"case\": \"%s\", \"nx\": %lld, \"ny\": %lld, \"lx\": %.17g, "
        "\"ly\": %.17g, \"bc\": [%s], \"t\": %.17g, \"steps\": %.0f, \"steps_run\": %lld, "
        "\"timed_steps\": %.0f, \"dt\": %.17g, \"cfl\": %.17g, \"theta\": %.17g, "
        "\"seconds\": %.6f, \"cells_per_s\": %.6g, \"volume0\": %.17g, \"volume\": %.17g, "
        "\"h_min\": %.17g, \"h_min_run\": %.17g, \"peak_rss_mib\": %.1f, \"cpu_workers\": "
        "%d, "
        "\"cuda_workers\": %d, \"ranks\": %d}\n",
        p->init ? "init" : CASES[p->casenum], (long long)p->nx, (long long)p->ny, p->lx,
        p->ly, bcs, r[0], r[1], (long long)run_steps, r[2], r[3], p->cfl, p->theta, secs,
        rate, r[4], r[5], r[6], r[7], ru.ru_maxrss / 1024.0, c->ncpu_workers,
        c->ncuda_workers, c->mpi_size);
  else
    printf(
        "swe: %s, %lld x %lld cells, %.0f steps (%.0f timed) to t = %.6g, %.3f s, "
        "%.4g cells/s, volume %.10g (%.10g at start), min depth %.3g (%.3g over the run), "
        "boundaries %s, "
        "peak memory %.0f MiB, %d CPU + %d CUDA workers%s\n",
        p->init ? p->init : CASES[p->casenum], (long long)p->nx, (long long)p->ny, r[1],
        r[2], r[0], secs, rate, r[5], r[4], r[6], r[7], bcs, ru.ru_maxrss / 1024.0,
        c->ncpu_workers, c->ncuda_workers, c->mpi ? " on each MPI rank" : "");
}

/* Without MPI the time and dt have been read (waits); under MPI nothing is read. */
static void progress_line(const swe_params *p, int mpi, int64_t k, int64_t warm, double t,
                          double dt, double secs)
{
  if (mpi) {
    fprintf(stderr, "swe: step %lld submitted\n", (long long)k);
    return;
  }
  fprintf(stderr, "swe: step %lld, t = %.6g of %g, dt = %.3g, %.3g cells/s", (long long)k,
          t, p->t_end, dt, (double)(p->nx * p->ny) * (double)(k - warm) / secs);
  if (isfinite(p->t_end) && t > 0)
    fprintf(stderr, ", ETA %.0f s", secs / t * (p->t_end - t));
  fprintf(stderr, "\n");
}

static sa_status run(const swe_params *p, int *exit_code)
{
  swe s;
  int bad_input = 0;
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  SA_CHECK(swe_create(&s, p, &bad_input));
  if (bad_input) {
    SA_CHECK(swe_destroy(&s));
    return *exit_code = 2, SA_OK;
  }
  sa_future *vol0 = NULL, *vol = NULL, *hmin = NULL;
  SA_CHECK(swe_volume(&s, &vol0, NULL));
  /* Under MPI a wait is collective: progress is rank 0's alone and reads nothing. */
  int progress = p->progress && c.mpi_rank == 0, finite = isfinite(p->t_end);
  int64_t k = 0, warm = p->warmup < p->steps ? p->warmup : p->steps;
  double t = 0, n0 = 0, t0 = now(), last = t0;
  for (; k < p->steps; k++) {
    if (k == warm) { /* the timed steps start here */
      SA_CHECK(sa_sync());
      SA_CHECK(sa_future_get(s.nsteps, &n0));
      t0 = last = now();
    }
    SA_CHECK(swe_step(&s));
    if (finite && (k + 1) % p->check_every == 0) {
      SA_CHECK(sa_future_get(s.t, &t));
      if (t >= p->t_end) {
        k++;
        break;
      }
    }
    if (progress && now() - last > 2.0) {
      double dt = 0;
      if (!c.mpi) SA_CHECK(sa_future_get(s.t, &t));
      if (!c.mpi) SA_CHECK(sa_future_get(s.dtlast, &dt));
      last = now();
      progress_line(p, c.mpi, k + 1, warm, t, dt, last - t0);
    }
  }
  if (k <= warm) { /* no timed step */
    SA_CHECK(sa_sync());
    SA_CHECK(sa_future_get(s.nsteps, &n0));
    t0 = now();
  }
  SA_CHECK(sa_sync());
  double secs = now() - t0, r[8];
  SA_CHECK(swe_volume(&s, &vol, &hmin));
  sa_future *f[] = {s.t, s.nsteps, NULL, s.dtlast, vol0, vol, hmin, s.hmin};
  for (int q = 0; q < 8; q++)
    if (f[q]) SA_CHECK(sa_future_get(f[q], &r[q]));
  r[2] = r[1] - n0;
  if (p->save) SA_CHECK(swe_save(&s, p->save));
  if (c.mpi_rank == 0) summary(p, &c, r, k, secs);
  sa_future **all[] = {&vol0, &vol, &hmin};
  for (int q = 0; q < 3; q++)
    SA_CHECK(sa_future_release(all[q]));
  SA_CHECK(swe_destroy(&s));
  return SA_OK;
}

int main(int argc, char **argv)
{
  sa_status st = sa_init(&argc, &argv);
  if (st != SA_OK) return sa_error_check(st, __FILE__, __LINE__, __func__), 1;
  swe_params p;
  int code = parse(argc, argv, &p);
  if (code == 0 && run(&p, &code) != SA_OK) code = 1;
  if (sa_error_check(sa_finalize(), __FILE__, __LINE__, __func__) != SA_OK) code = 1;
  return code < 0 ? 0 : code;
}
