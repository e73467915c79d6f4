/* SPDX-License-Identifier: MIT
 * The 2-D heat equation u_t = u_xx + u_yy on the unit square by explicit time steps:
 * the top edge held at 1, the other edges at 0, until the field stops changing. */
#include <starray.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct params {
  int64_t n, max_steps, check_every;
  double tol;
} params;

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: heat2d [--n N] [--tol X] [--max-steps N] [--check-every K] [--sa-* ...]\n"
          "  --n            grid points per side, boundary included (default 101)\n"
          "  --tol          stop once no point changes by more than X in a step\n"
          "                 (default 1e-6)\n"
          "  --max-steps    most time steps (default 100000)\n"
          "  --check-every  measure the change every K steps (default 100)\n");
}

/* 0: run, -1: help printed, 2: bad option (libstarray's own are gone already). */
static int parse(int argc, char **argv, params *p)
{
  *p = (params){.n = 101, .max_steps = 100000, .check_every = 100, .tol = 1e-6};
  for (int k = 1; k < argc; k++) {
    const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
    char *end = NULL;
    int64_t *iv = !strcmp(o, "--n")             ? &p->n
                  : !strcmp(o, "--max-steps")   ? &p->max_steps
                  : !strcmp(o, "--check-every") ? &p->check_every
                                                : NULL;
    if (!strcmp(o, "--help")) return usage(stdout), -1;
    errno = 0;
    if (iv) {
      long long x = v ? strtoll(v, &end, 10) : 0;
      if (!v || *end || errno || x < (iv == &p->n ? 3 : 1)) {
        fprintf(stderr, "heat2d: %s needs an integer >= %d\n", o, iv == &p->n ? 3 : 1);
        return 2;
      }
      *iv = x;
    } else if (!strcmp(o, "--tol")) {
      p->tol = v ? strtod(v, &end) : 0;
      if (!v || *end || errno || !(p->tol > 0)) {
        fprintf(stderr, "heat2d: --tol needs a number > 0\n");
        return 2;
      }
    } else {
      fprintf(stderr, "heat2d: unknown option '%s' (see --help)\n", o);
      return 2;
    }
    k++;
  }
  return 0;
}

/* One explicit step with r = dt / h^2 (stable for r <= 1/4), written as NumPy would. */
static const char *const UPDATE =
    "un[1:-1, 1:-1] + r * (un[2:, 1:-1] + un[:-2, 1:-1] + un[1:-1, 2:] + un[1:-1, :-2]"
    " - 4 * un[1:-1, 1:-1])";

static sa_status run(const params *pr)
{
  const double r = 0.2, h = 1.0 / (double)(pr->n - 1), dt = r * h * h;
  const int64_t shape[2] = {pr->n, pr->n};
  sa_array *u = NULL, *un = NULL, *coarse = NULL;
  SA_CHECK(sa_zeros(&u, SA_F64, 2, shape));
  SA_CHECK(sa_eval(u, "0", "1", SA_NOARGS)); /* the hot edge: row 0 */
  SA_CHECK(sa_copy(&un, u));

  /* Every check_every steps the update also gives the largest change it makes, as a
   * future (sa_eval_reduce; "_" is the update's result). That value is read one check
   * later, when the steps in between are already queued, so the workers do not run
   * dry while the host waits. */
  static const char *const ops[] = {"max"};
  static const char *const changes[] = {"abs(_ - un[1:-1, 1:-1])"};
  sa_future *pending = NULL;
  int64_t pending_step = 0, step = 0, change_step = -1;
  double change = -1;
  while (step < pr->max_steps && !(change_step > 0 && change < pr->tol)) {
    sa_array *t = u; /* the old field becomes un; every interior point is rewritten */
    u = un;
    un = t;
    step++;
    const sa_arg *args = SA_ARGS(SA_ARR("u", u), SA_ARR("un", un), SA_NUM("r", r));
    if (step % pr->check_every != 0) {
      SA_CHECK(sa_eval(u, "1:-1, 1:-1", UPDATE, args));
      continue;
    }
    sa_future *now = NULL;
    SA_CHECK(sa_eval_reduce(u, "1:-1, 1:-1", UPDATE, args, 1, ops, changes, &now));
    if (pending) {
      SA_CHECK(sa_future_get(pending, &change)); /* waits for that older step only */
      SA_CHECK(sa_future_release(&pending));
      change_step = pending_step;
    }
    pending = now;
    pending_step = step;
  }
  SA_CHECK(sa_future_release(&pending)); /* an unread value: dropped, never waited for */

  sa_future *mean = NULL, *hottest = NULL;
  double centre, mean_v, hottest_v;
  SA_CHECK(sa_mean(&mean, u));
  SA_CHECK(sa_reduce(&hottest, "max", "u[1:-1, 1:-1]", SA_ARGS(SA_ARR("u", u))));
  SA_CHECK(sa_item(&centre, u, (int64_t[]){pr->n / 2, pr->n / 2}));
  SA_CHECK(sa_future_get(mean, &mean_v));
  SA_CHECK(sa_future_get(hottest, &hottest_v));
  SA_CHECK(sa_future_release(&mean));
  SA_CHECK(sa_future_release(&hottest));

  int64_t stride = pr->n > 8 ? (pr->n - 1) / 4 : 1;
  char index[64];
  snprintf(index, sizeof index, "::%lld, ::%lld", (long long)stride, (long long)stride);
  SA_CHECK(sa_view(&coarse, u, index));

  printf("heat2d: %lld x %lld points, h = %.12g, dt = %.12g\n", (long long)pr->n,
         (long long)pr->n, h, dt);
  if (change_step < 0)
    printf("not converged: no change measured yet\n");
  else
    printf("%s: largest change %.6g in step %lld (read after step %lld)\n",
           change < pr->tol ? "converged" : "not converged", change, (long long)change_step,
           (long long)step);
  printf("steps %lld, t = %.12g\n", (long long)step, (double)step * dt);
  printf("centre %.12g, mean %.12g, hottest interior point %.12g\n", centre, mean_v,
         hottest_v);
  printf("u[%s] =\n", index);
  SA_CHECK(sa_array_print(stdout, coarse));
  SA_CHECK(sa_array_release(&coarse));
  SA_CHECK(sa_array_release(&u));
  SA_CHECK(sa_array_release(&un));
  return SA_OK;
}

int main(int argc, char **argv)
{
  sa_status st = sa_init(&argc, &argv);
  if (st != SA_OK) return sa_error_check(st, __FILE__, __LINE__, __func__), 1;
  params pr;
  int code = parse(argc, argv, &pr);
  if (code == 0 && run(&pr) != SA_OK) code = 1;
  if (sa_error_check(sa_finalize(), __FILE__, __LINE__, __func__) != SA_OK) code = 1;
  return code < 0 ? 0 : code;
}
