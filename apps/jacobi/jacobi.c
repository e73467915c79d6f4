/* SPDX-License-Identifier: MIT
 * Jacobi iterations for the Laplace equation (legate.numpy#29), with the study's
 * three ways to watch the residual and libstarray's own: check the residual of
 * iteration k - L while iterations k-L+1..k are already queued (--check-lag). */
#include <starray.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct params {
  int64_t n, max_iters, residual_every, check_every, check_lag;
  double target;
  int json, progress;
  const char *init, *save;
} params;

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: jacobi [--n N] [--max-iters N] [--target X] [--residual-every K]\n"
          "              [--check-every K | --check-lag L] [--init FILE.npy]\n"
          "              [--save FILE.npy] [--json] [--progress] [--help] [--sa-* ...]\n"
          "  --n              grid points per side (default 61)\n"
          "  --max-iters      most iterations (default 5000)\n"
          "  --target         stop when the relative residual l2 < target (default 1e-8)\n"
          "  --residual-every compute the residual every K iterations (default 1)\n"
          "  --check-every    read (wait for) the newest residual every K iterations\n"
          "                   (default: every residual computed)\n"
          "  --check-lag      read the residual of iteration k-L instead: no waiting\n"
          "  --init FILE      start from this n x n float64 .npy file\n"
          "  --save FILE      write the final field there\n");
}

static int bad(const char *opt, const char *value, const char *want)
{
  fprintf(stderr, "jacobi: %s %s: expected %s (see --help)\n", opt, value ? value : "(none)",
          want);
  return 2;
}

static int parse(int argc, char **argv, params *p)
{
  *p = (params){.n = 61, .max_iters = 5000, .residual_every = 1, .target = 1e-8,
                .progress = isatty(2)};
  for (int k = 1; k < argc; k++) {
    const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
    char *end = NULL;
    int64_t *iv = !strcmp(o, "--n") ? &p->n : !strcmp(o, "--max-iters") ? &p->max_iters
                  : !strcmp(o, "--residual-every") ? &p->residual_every
                  : !strcmp(o, "--check-every") ? &p->check_every
                  : !strcmp(o, "--check-lag") ? &p->check_lag : NULL;
    if (!strcmp(o, "--help")) return usage(stdout), -1;
    if (!strcmp(o, "--json")) { p->json = 1; continue; }
    if (!strcmp(o, "--progress")) { p->progress = 1; continue; }
    if (iv) {
      errno = 0;
      long long x = v ? strtoll(v, &end, 10) : 0;
      int64_t min = iv == &p->n ? 3 : iv == &p->check_lag ? 0 : 1;
      if (!v || *end || errno || x < min)
        return bad(o, v, min == 3 ? "an integer >= 3" : min ? "an integer >= 1"
                                                             : "an integer >= 0");
      *iv = x;
    } else if (!strcmp(o, "--target")) {
      p->target = v ? strtod(v, &end) : 0;
      if (!v || *end || !(p->target > 0)) return bad(o, v, "a number > 0");
    } else if (!strcmp(o, "--init") || !strcmp(o, "--save")) {
      if (!v) return bad(o, v, "a file name");
      if (o[2] == 'i') p->init = v;
      else p->save = v;
    } else {
      fprintf(stderr, "jacobi: unknown option '%s' (see --help)\n", o);
      return 2;
    }
    k++;
  }
  if (p->check_every && p->check_lag) {
    fprintf(stderr, "jacobi: --check-every and --check-lag exclude each other\n");
    return 2;
  }
  return 0;
}

/* A residual in flight: l2^2 = num / den of iteration `iter`. */
typedef struct pending {
  int64_t iter;
  sa_future *num, *den;
} pending;

static sa_status read_residual(pending *r, double *l2)
{
  double num, den;
  SA_CHECK(sa_future_get(r->num, &num));
  SA_CHECK(sa_future_get(r->den, &den));
  SA_CHECK(sa_future_release(&r->num));
  SA_CHECK(sa_future_release(&r->den));
  *l2 = sqrt(num / den);
  return SA_OK;
}

/* Iteration j's residual has just been submitted into ring; reads the one that is due
 * (j's itself, or j - lag's), if any, and notes convergence. */
static sa_status check_residual(const params *pr, pending *ring, int64_t nring, int64_t j,
                                double *l2, int64_t *converged_at)
{
  int64_t lag = pr->check_lag;
  pending *check = lag ? (j > lag ? &ring[(j - lag) % nring] : NULL) : &ring[j % nring];
  int due = lag ? check && check->num && check->iter == j - lag
                : !pr->check_every || j % pr->check_every == 0;
  if (due) {
    SA_CHECK(read_residual(check, l2));
    if (*l2 < pr->target) *converged_at = check->iter;
  }
  return SA_OK;
}

/* StarPU's clock (sa_time): simulated runs report simulated time. After sa_init. */
static double now(void)
{
  double t = 0;
  return sa_time(&t) == SA_OK ? t : 0;
}

static sa_status run(const params *pr, int *exit_code)
{
  sa_array *p = NULL, *pn = NULL, *x = NULL;
  const int64_t shape[2] = {pr->n, pr->n};
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  int rank = c.mpi_rank; /* under MPI rank 0 alone prints */
  if (pr->init) {
    int nd;
    int64_t s[SA_MAX_NDIM];
    sa_dtype dt;
    SA_CHECK(sa_load_npy(&p, pr->init, NULL));
    SA_CHECK(sa_array_shape(p, &nd, s));
    SA_CHECK(sa_array_dtype(p, &dt));
    if (nd != 2 || s[0] != pr->n || s[1] != pr->n || dt != SA_F64) {
      fprintf(stderr, "jacobi: %s must be float64 of shape (%lld, %lld)\n", pr->init,
              (long long)pr->n, (long long)pr->n);
      SA_CHECK(sa_array_release(&p));
      return *exit_code = 2, SA_OK;
    }
  } else {
    SA_CHECK(sa_zeros(&p, SA_F64, 2, shape));
    SA_CHECK(sa_linspace(&x, SA_F64, 0.0, 1.0, pr->n));
    SA_CHECK(sa_eval(p, "-1", "sin(1.5 * pi * x)",
                     SA_ARGS(SA_ARR("x", x), SA_NUM("pi", 3.141592653589793))));
    SA_CHECK(sa_array_release(&x));
  }
  SA_CHECK(sa_zeros(&pn, SA_F64, 2, shape));
  const sa_arg *args = SA_ARGS(SA_ARR("p", p), SA_ARR("pn", pn));
  int64_t lag = pr->check_lag, nring = lag + 1, iters = 0, converged_at = -1;
  pending *ring = calloc((size_t)nring, sizeof *ring);
  if (!ring) return SA_ERR_NOMEM;
  double l2 = NAN, t0 = now(), last = t0;
  /* Iteration j's residual sum((p - pn)**2) / sum(pn**2) compares p_j with p_(j-1),
   * which the copy pn = p at the start of iteration j + 1 reads anyway: that copy
   * computes both sums in the same pass (sa_eval_reduce), and the check that may stop
   * the loop comes before iteration j + 1's update. The last iteration's residual is
   * computed on its own after the loop. */
  static const char *const sums[] = {"sum", "sum"};
  static const char *const terms[] = {"(p - pn)**2", "pn**2"};
  for (int64_t k = 1; k <= pr->max_iters + 1 && converged_at < 0; k++) {
    int64_t j = k - 1; /* the iteration whose residual this copy can give */
    int residual = j >= 1 && j % pr->residual_every == 0;
    pending *r = &ring[j % nring];
    if (residual) {
      SA_CHECK(sa_future_release(&r->num)); /* an unread residual: dropped, not waited for */
      SA_CHECK(sa_future_release(&r->den));
      r->iter = j;
    }
    if (k > pr->max_iters) { /* after the last iteration: no copy needed */
      if (residual) {
        SA_CHECK(sa_reduce(&r->num, "sum", terms[0], args));
        SA_CHECK(sa_reduce(&r->den, "sum", terms[1], args));
        SA_CHECK(check_residual(pr, ring, nring, j, &l2, &converged_at));
      }
      break;
    }
    if (residual) {
      sa_future *f[2];
      SA_CHECK(sa_eval_reduce(pn, NULL, "p", args, 2, sums, terms, f));
      r->num = f[0];
      r->den = f[1];
      SA_CHECK(check_residual(pr, ring, nring, j, &l2, &converged_at));
      if (converged_at >= 0) break;
    } else {
      SA_CHECK(sa_eval(pn, NULL, "p", args));
    }
    SA_CHECK(sa_eval(p, "1:-1, 1:-1",
                     "0.25 * (pn[1:-1, 2:] + pn[1:-1, :-2] + pn[2:, 1:-1] + pn[:-2, 1:-1])",
                     args));
    SA_CHECK(sa_eval(p, "1:-1, -1", "p[1:-1, -2]", args));
    iters = k;
    if (pr->progress && rank == 0 && now() - last > 2.0) {
      last = now();
      fprintf(stderr, "jacobi: iteration %lld, l2 %.3g, %.3g iterations/s\n", (long long)k,
              l2, (double)k / (last - t0));
    }
  }
  for (int64_t k = 0; k < nring; k++) { /* residuals never read */
    SA_CHECK(sa_future_release(&ring[k].num));
    SA_CHECK(sa_future_release(&ring[k].den));
  }
  free(ring);
  SA_CHECK(sa_sync());
  double secs = now() - t0;
  if (pr->save) SA_CHECK(sa_save_npy(pr->save, p));
  char l2_text[32] = "null";
  if (!isnan(l2)) snprintf(l2_text, sizeof l2_text, "%.17g", l2);
  if (rank != 0) { /* under MPI rank 0 speaks for all */
  } else if (pr->json)
    printf("{\"app\": \"jacobi\", \"n\": %lld, \"iterations\": %lld, \"converged_at\": %lld, "
           "\"l2\": %s, \"seconds\": %.6f, \"iterations_per_s\": %.6g, \"residual_every\": "
           "%lld, \"check_every\": %lld, \"check_lag\": %lld}\n", (long long)pr->n,
           (long long)iters, (long long)converged_at, l2_text, secs, (double)iters / secs,
           (long long)pr->residual_every, (long long)pr->check_every, (long long)lag);
  else
    printf("jacobi: %lld x %lld, %lld iterations%s, l2 %s, %.3f s, %.4g iterations/s\n",
           (long long)pr->n, (long long)pr->n, (long long)iters,
           converged_at >= 0 ? " (converged)" : "", l2_text, secs, (double)iters / secs);
  SA_CHECK(sa_array_release(&p));
  SA_CHECK(sa_array_release(&pn));
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
