/* SPDX-License-Identifier: MIT
 * CFD step 12 (channel flow, periodic in x) from "12 steps to Navier-Stokes",
 * one sa_eval per NumPy statement. See doc/apps.md for the numerics. */
#include <starray.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

typedef struct params {
  int64_t nx, ny, steps, nit, warmup;
  double dt, nu, rho, F, udiff;
  int p0, json, progress;
  const char *init, *save;
} params;

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: cfd12 [--nx N] [--ny N] [--steps N] [--udiff TOL] [--nit N] [--dt X]\n"
          "             [--p0 0|1]\n"
          "             [--init DIR] [--save DIR] [--warmup N] [--json] [--progress]\n"
          "             [--help] [libstarray --sa-* options, see --sa-help]\n"
          "  --nx, --ny   grid points in x (columns) and y (rows); default 41 x 41\n"
          "  --steps      time steps to run (default 100; the most with --udiff)\n"
          "  --udiff TOL  stop once (sum(u) - sum(un)) / sum(u) <= TOL (the course's rule)\n"
          "  --nit        pressure iterations per step (default 50)\n"
          "  --dt         time step (default 0.0009*dx*dy/nu)\n"
          "  --p0         initial pressure, 1 (default, NVIDIA) or 0 (the course)\n"
          "  --init DIR   start from DIR/u.npy, v.npy, p.npy (float64, ny x nx)\n"
          "  --save DIR   write u.npy, v.npy, p.npy there at the end\n"
          "  --warmup N   untimed steps before the timed ones (default 1)\n"
          "  --json       print the summary as one JSON object\n"
          "  --progress   progress lines on stderr (default: when stderr is a terminal)\n");
}

static int bad(const char *opt, const char *value, const char *want)
{
  fprintf(stderr, "cfd12: %s %s: expected %s (see --help)\n", opt, value ? value : "(none)",
          want);
  return 2;
}

/* Parses the app's own options (libstarray's are gone already): 0 run, -1 help
 * printed, 2 bad option. */
static int parse(int argc, char **argv, params *p)
{
  *p = (params){.nx = 41, .ny = 41, .steps = 100, .nit = 50, .warmup = 1, .nu = 0.1,
                .rho = 1.0, .F = 1.0, .p0 = 1, .progress = isatty(2)};
  for (int k = 1; k < argc; k++) {
    const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
    char *end = NULL;
    int64_t *iv = !strcmp(o, "--nx") ? &p->nx : !strcmp(o, "--ny") ? &p->ny
                  : !strcmp(o, "--steps") ? &p->steps : !strcmp(o, "--nit") ? &p->nit
                  : !strcmp(o, "--warmup") ? &p->warmup : NULL;
    if (!strcmp(o, "--help")) return usage(stdout), -1;
    if (!strcmp(o, "--json")) { p->json = 1; continue; }
    if (!strcmp(o, "--progress")) { p->progress = 1; continue; }
    if (iv) {
      errno = 0;
      long long x = v ? strtoll(v, &end, 10) : 0;
      int64_t min = iv == &p->nx || iv == &p->ny ? 3 : iv == &p->warmup ? 0 : 1;
      if (!v || *end || errno || x < min) return bad(o, v, min == 3 ? "an integer >= 3" :
                                                       min ? "an integer >= 1" : "an integer >= 0");
      *iv = x;
    } else if (!strcmp(o, "--dt") || !strcmp(o, "--udiff")) {
      double *dv = o[2] == 'd' ? &p->dt : &p->udiff;
      *dv = v ? strtod(v, &end) : 0;
      if (!v || *end || !(*dv > 0) || !isfinite(*dv)) return bad(o, v, "a number > 0");
    } else if (!strcmp(o, "--p0")) {
      if (!v || (strcmp(v, "0") && strcmp(v, "1"))) return bad(o, v, "0 or 1");
      p->p0 = v[0] - '0';
    } else if (!strcmp(o, "--init") || !strcmp(o, "--save")) {
      if (!v) return bad(o, v, "a directory");
      if (o[2] == 'i') p->init = v;
      else p->save = v;
    } else {
      fprintf(stderr, "cfd12: unknown option '%s' (see --help)\n", o);
      return 2;
    }
    k++;
  }
  return 0;
}

/* Replaces $C, $E, $W in tmpl by the column slices of one of the three periodic
 * variants of a statement (interior, last column, first column). */
static const char *columns(char *out, size_t size, const char *tmpl, int variant)
{
  static const char *const cew[3][3] = {{"1:-1", "2:", "0:-2"}, {"-1", "0", "-2"},
                                        {"0", "1", "-1"}};
  size_t n = 0;
  for (const char *t = tmpl; *t && n + 8 < size; t++) {
    const char *s = NULL;
    if (t[0] == '$' && (t[1] == 'C' || t[1] == 'E' || t[1] == 'W'))
      s = cew[variant][t[1] == 'C' ? 0 : t[1] == 'E' ? 1 : 2];
    if (s) {
      n += (size_t)snprintf(out + n, size - n, "%s", s);
      t++;
    } else {
      out[n++] = *t;
    }
  }
  out[n] = '\0';
  return out;
}

/* The three statements of one periodic update: target[1:-1, $C] = expr. */
static sa_status periodic(sa_array *target, const char *expr, const sa_arg *args)
{
  char index[32], text[2048];
  for (int variant = 0; variant < 3; variant++) {
    columns(index, sizeof index, "1:-1, $C", variant);
    SA_CHECK(sa_eval(target, index, columns(text, sizeof text, expr, variant), args));
  }
  return SA_OK;
}

static const char *B_EXPR = /* the course's, over un and vn (see step) */
    "rho * (1 / dt * ((un[1:-1, $E] - un[1:-1, $W]) / (2 * dx) + (vn[2:, $C] - vn[0:-2, $C]) "
    "/ (2 * dy)) - ((un[1:-1, $E] - un[1:-1, $W]) / (2 * dx))**2 - 2 * ((un[2:, $C] - "
    "un[0:-2, $C]) / (2 * dy) * (vn[1:-1, $E] - vn[1:-1, $W]) / (2 * dx)) - ((vn[2:, $C] - "
    "vn[0:-2, $C]) / (2 * dy))**2)";
static const char *P_EXPR =
    "((pn[1:-1, $E] + pn[1:-1, $W]) * dy**2 + (pn[2:, $C] + pn[0:-2, $C]) * dx**2) / "
    "(2 * (dx**2 + dy**2)) - dx**2 * dy**2 / (2 * (dx**2 + dy**2)) * b[1:-1, $C]";
static const char *U_EXPR =
    "un[1:-1, $C] - un[1:-1, $C] * dt / dx * (un[1:-1, $C] - un[1:-1, $W]) - vn[1:-1, $C] * "
    "dt / dy * (un[1:-1, $C] - un[0:-2, $C]) - dt / (2 * rho * dx) * (p[1:-1, $E] - "
    "p[1:-1, $W]) + nu * (dt / dx**2 * (un[1:-1, $E] - 2 * un[1:-1, $C] + un[1:-1, $W]) + "
    "dt / dy**2 * (un[2:, $C] - 2 * un[1:-1, $C] + un[0:-2, $C])) + F * dt";
static const char *V_EXPR =
    "vn[1:-1, $C] - un[1:-1, $C] * dt / dx * (vn[1:-1, $C] - vn[1:-1, $W]) - vn[1:-1, $C] * "
    "dt / dy * (vn[1:-1, $C] - vn[0:-2, $C]) - dt / (2 * rho * dy) * (p[2:, $C] - "
    "p[0:-2, $C]) + nu * (dt / dx**2 * (vn[1:-1, $E] - 2 * vn[1:-1, $C] + vn[1:-1, $W]) + "
    "dt / dy**2 * (vn[2:, $C] - 2 * vn[1:-1, $C] + vn[0:-2, $C]))";

typedef struct state {
  sa_array *u, *v, *p, *b, *un, *vn, *pn;
} state;

static void swap(sa_array **a, sa_array **b)
{
  sa_array *t = *a;
  *a = *b;
  *b = t;
}

/* The course copies un = u, vn = v and, in every pressure iteration, pn = p. Every
 * element of u, v and p is then rewritten from the copies, so exchanging the two
 * arrays instead gives the same values without a pass over memory (what the fused C
 * loop does too); b is built from un and vn, which hold u and v. */
static sa_status step(state *s, const params *pr, double dx, double dy)
{
#define ARGS                                                                             \
  SA_ARGS(SA_ARR("u", s->u), SA_ARR("v", s->v), SA_ARR("p", s->p), SA_ARR("b", s->b),     \
          SA_ARR("un", s->un), SA_ARR("vn", s->vn), SA_ARR("pn", s->pn),                 \
          SA_NUM("dt", pr->dt), SA_NUM("dx", dx), SA_NUM("dy", dy), SA_NUM("rho", pr->rho), \
          SA_NUM("nu", pr->nu), SA_NUM("F", pr->F))
  swap(&s->u, &s->un);
  swap(&s->v, &s->vn);
  SA_CHECK(periodic(s->b, B_EXPR, ARGS));
  for (int64_t q = 0; q < pr->nit; q++) {
    swap(&s->p, &s->pn);
    SA_CHECK(periodic(s->p, P_EXPR, ARGS));
    SA_CHECK(sa_eval(s->p, "-1", "p[-2]", ARGS)); /* dp/dy = 0 at y = 2 */
    SA_CHECK(sa_eval(s->p, "0", "p[1]", ARGS));   /* dp/dy = 0 at y = 0 */
  }
  SA_CHECK(periodic(s->u, U_EXPR, ARGS));
  SA_CHECK(periodic(s->v, V_EXPR, ARGS));
  SA_CHECK(sa_eval(s->u, "0", "0", ARGS));
  SA_CHECK(sa_eval(s->u, "-1", "0", ARGS));
  SA_CHECK(sa_eval(s->v, "0", "0", ARGS));
  SA_CHECK(sa_eval(s->v, "-1", "0", ARGS));
#undef ARGS
  return SA_OK;
}

/* Loads DIR/name.npy and checks it is float64 of shape (ny, nx). */
static sa_status load_field(sa_array **out, const char *dir, const char *name,
                            const params *pr, int *bad_input)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.npy", dir, name);
  SA_CHECK(sa_load_npy(out, path, NULL));
  int nd;
  int64_t shape[SA_MAX_NDIM];
  sa_dtype dt;
  SA_CHECK(sa_array_shape(*out, &nd, shape));
  SA_CHECK(sa_array_dtype(*out, &dt));
  if (nd != 2 || shape[0] != pr->ny || shape[1] != pr->nx || dt != SA_F64) {
    fprintf(stderr, "cfd12: %s is %s of %d dimensions (%lld x %lld); expected float64 "
            "%lld x %lld (--ny x --nx)\n", path, sa_dtype_name(dt), nd, (long long)shape[0],
            nd > 1 ? (long long)shape[1] : 0LL, (long long)pr->ny, (long long)pr->nx);
    *bad_input = 1;
  }
  return SA_OK;
}

/* udiff = (sum(u) - sum(un)) / sum(u), as the course computes it. */
static sa_status relative_change(double *udiff, const sa_array *u, const sa_array *un)
{
  sa_future *su = NULL, *sun = NULL;
  double a, b;
  SA_CHECK(sa_sum(&su, u));
  SA_CHECK(sa_sum(&sun, un));
  SA_CHECK(sa_future_get(su, &a));
  SA_CHECK(sa_future_get(sun, &b));
  SA_CHECK(sa_future_release(&su));
  SA_CHECK(sa_future_release(&sun));
  *udiff = (a - b) / a;
  return SA_OK;
}

/* StarPU's clock (sa_time): simulated runs report simulated time. After sa_init. */
static double now(void)
{
  double t = 0;
  return sa_time(&t) == SA_OK ? t : 0;
}

static sa_status run(const params *pr_in, int *exit_code)
{
  params pr = *pr_in;
  double dx = 2.0 / (double)(pr.nx - 1), dy = 2.0 / (double)(pr.ny - 1);
  if (pr.dt == 0) pr.dt = 0.0009 * dx * dy / pr.nu;
  const int64_t shape[2] = {pr.ny, pr.nx};
  state s = {0};
  int bad_input = 0;
  if (pr.init) {
    SA_CHECK(load_field(&s.u, pr.init, "u", &pr, &bad_input));
    SA_CHECK(load_field(&s.v, pr.init, "v", &pr, &bad_input));
    SA_CHECK(load_field(&s.p, pr.init, "p", &pr, &bad_input));
    if (bad_input) return *exit_code = 2, SA_OK;
  } else {
    SA_CHECK(sa_zeros(&s.u, SA_F64, 2, shape));
    SA_CHECK(sa_zeros(&s.v, SA_F64, 2, shape));
    SA_CHECK(sa_full(&s.p, SA_F64, 2, shape, pr.p0, NULL));
  }
  SA_CHECK(sa_zeros(&s.b, SA_F64, 2, shape));
  SA_CHECK(sa_zeros(&s.un, SA_F64, 2, shape));
  SA_CHECK(sa_zeros(&s.vn, SA_F64, 2, shape));
  SA_CHECK(sa_zeros(&s.pn, SA_F64, 2, shape));
  for (int64_t k = 0; k < pr.warmup && k < pr.steps; k++) SA_CHECK(step(&s, &pr, dx, dy));
  SA_CHECK(sa_sync());
  double t0 = now(), last = t0;
  int64_t timed = pr.steps - (pr.warmup < pr.steps ? pr.warmup : pr.steps), done = 0;
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  /* Under MPI a wait is collective: a decision by the clock would differ between
   * ranks, so progress is rank 0's alone and measures submission, not completion. */
  if (c.mpi_rank != 0) pr.progress = 0;
  int64_t sent0 = -1, sent1 = -1; /* bytes this rank sent (with --sa-mpi-stats) */
  if (c.mpi && sa_mpi_bytes_sent(&sent0) != SA_OK) sent0 = -1;
  double udiff = NAN;
  for (int64_t k = 0; k < timed; k++) {
    SA_CHECK(step(&s, &pr, dx, dy));
    done = k + 1;
    if (pr.udiff > 0) { /* the course reads this every step: a deliberate wait */
      SA_CHECK(relative_change(&udiff, s.u, s.un));
      if (udiff <= pr.udiff) break;
    }
    if (pr.progress && now() - last > 2.0) {
      if (!c.mpi) SA_CHECK(sa_sync());
      double t = now() - t0;
      last = now();
      fprintf(stderr, "cfd12: step %lld/%lld, %.3g points/s, ETA %.0f s\n",
              (long long)(k + 1), (long long)timed, (double)(pr.nx * pr.ny) * (k + 1) / t,
              t / (k + 1) * (timed - k - 1));
    }
  }
  SA_CHECK(sa_sync());
  if (sent0 >= 0) SA_CHECK(sa_mpi_bytes_sent(&sent1));
  timed = done;
  double secs = now() - t0, pts = secs > 0 ? (double)(pr.nx * pr.ny) * timed / secs : 0;
  if (pr.save) {
    char path[4096];
    const char *names[3] = {"u", "v", "p"};
    sa_array *fields[3] = {s.u, s.v, s.p};
    for (int k = 0; k < 3; k++) {
      snprintf(path, sizeof path, "%s/%s.npy", pr.save, names[k]);
      SA_CHECK(sa_save_npy(path, fields[k]));
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  char udiff_text[32] = "null"; /* JSON has no NaN */
  if (!isnan(udiff)) snprintf(udiff_text, sizeof udiff_text, "%.17g", udiff);
  char ranks[96] = "", sent_text[32] = "null";
  double sent_per_step = sent0 >= 0 && timed > 0 ? (double)(sent1 - sent0) / (double)timed : -1;
  if (c.mpi)
    snprintf(ranks, sizeof ranks, " on each of %d MPI ranks%s", c.mpi_size,
             sent_per_step >= 0 ? ", rank 0 sent" : "");
  if (sent_per_step >= 0) snprintf(sent_text, sizeof sent_text, "%.0f", sent_per_step);
  if (sent_per_step >= 0)
    snprintf(ranks + strlen(ranks), sizeof ranks - strlen(ranks), " %.0f bytes/step",
             sent_per_step);
  if (c.mpi_rank != 0) { /* under MPI rank 0 speaks for all */
  } else if (pr.json)
    printf("{\"app\": \"cfd12\", \"nx\": %lld, \"ny\": %lld, \"steps\": %lld, \"timed_steps\": "
           "%lld, \"nit\": %lld, \"dt\": %.17g, \"p0\": %d, \"seconds\": %.6f, "
           "\"points_per_s\": %.6g, \"peak_rss_mib\": %.1f, \"cpu_workers\": %d, "
           "\"cuda_workers\": %d, \"ranks\": %d, \"mpi_bytes_per_step\": %s, "
           "\"udiff\": %s}\n",
           (long long)pr.nx, (long long)pr.ny, (long long)(timed + pr.warmup), (long long)timed,
           (long long)pr.nit, pr.dt, pr.p0, secs, pts, ru.ru_maxrss / 1024.0, c.ncpu_workers,
           c.ncuda_workers, c.mpi_size, sent_text, udiff_text);
  else
    printf("cfd12: %lld x %lld, %lld steps (%lld timed), %.3f s, %.4g points/s, peak memory "
           "%.0f MiB, %d CPU + %d CUDA workers%s%s\n", (long long)pr.ny, (long long)pr.nx,
           (long long)(timed + pr.warmup), (long long)timed, secs, pts, ru.ru_maxrss / 1024.0,
           c.ncpu_workers, c.ncuda_workers, ranks,
           pr.init ? "" : pr.p0 ? ", p0 = 1" : ", p0 = 0");
  sa_array **all[] = {&s.u, &s.v, &s.p, &s.b, &s.un, &s.vn, &s.pn};
  for (size_t k = 0; k < sizeof all / sizeof *all; k++) SA_CHECK(sa_array_release(all[k]));
  return SA_OK;
}

int main(int argc, char **argv)
{
  sa_status st = sa_init(&argc, &argv);
  if (st != SA_OK) return sa_error_check(st, __FILE__, __LINE__, __func__), 1;
  params pr;
  int code = parse(argc, argv, &pr);
  if (code == 0 && run(&pr, &code) != SA_OK) code = 1;
  if (sa_error_check(sa_finalize(), __FILE__, __LINE__, __func__) != SA_OK) code = 1;
  return code < 0 ? 0 : code;
}
