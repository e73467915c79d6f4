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
  int copy; /* --residual-in copy: pn = p copied each iteration, the residual in the copy */
  const char *init, *save;
} params;

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: jacobi [--n N] [--max-iters N] [--target X] [--residual-every K]\n"
          "              [--check-every K | --check-lag L] [--init FILE.npy]\n"
          "              [--residual-in update|copy] [--save FILE.npy] [--json]\n"
          "              [--progress] [--help] [--sa-* ...]\n"
          "  --n              grid points per side (default 61)\n"
          "  --max-iters      most iterations (default 5000)\n"
          "  --target         stop when the relative residual l2 < target (default 1e-8)\n"
          "  --residual-every compute the residual every K iterations (default 1)\n"
          "  --check-every    read (wait for) the newest residual every K iterations\n"
          "                   (default: every residual computed)\n"
          "  --check-lag      read the residual of iteration k-L instead: no waiting\n"
          "  --residual-in    update (default): the two fields take turns, the update\n"
          "                   sums the residual as it writes; copy: pn = p is copied\n"
          "                   each iteration and the copy sums it (the NumPy program's\n"
          "                   own passes)\n"
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
    } else if (!strcmp(o, "--residual-in")) {
      if (!v || (strcmp(v, "update") && strcmp(v, "copy")))
        return bad(o, v, "update or copy");
      p->copy = !strcmp(v, "copy");
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

/* A residual in flight: l2^2 = num / den of iteration `iter`, each the sum of up to two
 * futures' values (and den of `fixed`, the part no iteration changes). */
typedef struct pending {
  int64_t iter;
  sa_future *num[2], *den[2];
  double fixed;
} pending;

static sa_status drop_residual(pending *r)
{
  for (int k = 0; k < 2; k++) {
    SA_CHECK(sa_future_release(&r->num[k])); /* unread: dropped, not waited for */
    SA_CHECK(sa_future_release(&r->den[k]));
  }
  return SA_OK;
}

static sa_status read_residual(pending *r, double *l2)
{
  double num = 0, den = r->fixed, v;
  for (int k = 0; k < 2; k++) {
    if (r->num[k]) {
      SA_CHECK(sa_future_get(r->num[k], &v));
      num += v;
    }
    if (r->den[k]) {
      SA_CHECK(sa_future_get(r->den[k], &v));
      den += v;
    }
  }
  SA_CHECK(drop_residual(r));
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
  int due = lag ? check && check->num[0] && check->iter == j - lag
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

/* What both ways of iterating share. */
typedef struct loop {
  const params *pr;
  pending *ring;
  int64_t nring, *iters, *converged_at;
  double *l2, t0, last;
  int rank;
} loop;

static const char *const stencil =
    "0.25 * (pn[1:-1, 2:] + pn[1:-1, :-2] + pn[2:, 1:-1] + pn[:-2, 1:-1])";
static const char *const sums[] = {"sum", "sum"};

/* After iteration k: the count, and now and then a line on stderr. */
static void done_iteration(loop *L, int64_t k)
{
  *L->iters = k;
  if (L->pr->progress && L->rank == 0 && now() - L->last > 2.0) {
    L->last = now();
    fprintf(stderr, "jacobi: iteration %lld, l2 %.3g, %.3g iterations/s\n", (long long)k,
            *L->l2, (double)k / (L->last - L->t0));
  }
}

/* --residual-in copy, the NumPy program's passes: pn = p, then the update of p from pn.
 * Iteration j's residual sum((p - pn)**2) / sum(pn**2) compares p_j with p_(j-1), which
 * the copy pn = p at the start of iteration j + 1 reads anyway: that copy computes both
 * sums in the same pass (sa_eval_reduce), and the check that may stop the loop comes
 * before iteration j + 1's update. The last iteration's residual is computed on its
 * own after the loop. */
static sa_status iterate_copy(loop *L, sa_array *p, sa_array *pn)
{
  const params *pr = L->pr;
  const sa_arg *args = SA_ARGS(SA_ARR("p", p), SA_ARR("pn", pn));
  static const char *const terms[] = {"(p - pn)**2", "pn**2"};
  for (int64_t k = 1; k <= pr->max_iters + 1 && *L->converged_at < 0; k++) {
    int64_t j = k - 1; /* the iteration whose residual this copy can give */
    int residual = j >= 1 && j % pr->residual_every == 0;
    pending *r = &L->ring[j % L->nring];
    if (residual) {
      SA_CHECK(drop_residual(r));
      r->iter = j;
    }
    if (k > pr->max_iters) { /* after the last iteration: no copy needed */
      if (residual) {
        SA_CHECK(sa_reduce(&r->num[0], "sum", terms[0], args));
        SA_CHECK(sa_reduce(&r->den[0], "sum", terms[1], args));
        SA_CHECK(check_residual(pr, L->ring, L->nring, j, L->l2, L->converged_at));
      }
      break;
    }
    if (residual) {
      sa_future *f[2];
      SA_CHECK(sa_eval_reduce(pn, NULL, "p", args, 2, sums, terms, f));
      r->num[0] = f[0];
      r->den[0] = f[1];
      SA_CHECK(check_residual(pr, L->ring, L->nring, j, L->l2, L->converged_at));
      if (*L->converged_at >= 0) break;
    } else {
      SA_CHECK(sa_eval(pn, NULL, "p", args));
    }
    SA_CHECK(sa_eval(p, "1:-1, 1:-1", stencil, args));
    SA_CHECK(sa_eval(p, "1:-1, -1", "p[1:-1, -2]", args));
    done_iteration(L, k);
  }
  return SA_OK;
}

/* --residual-in update: the fields take turns (iteration k writes the interior and the
 * Neumann column of one from the other, whose fixed edges are the same: the values of
 * copying pn = p first, with one pass less), and the two statements that write sum
 * what they change as they write it: iteration k's residual sums (_ - pn)**2 and
 * pn**2 over the interior and over the column; the edges that never change add 0 to
 * the first and a constant, summed once, to the second. *last: the final field. */
static sa_status iterate_update(loop *L, sa_array *p, sa_array *pn, sa_array **last)
{
  const params *pr = L->pr;
  static const char *const interior[] = {"(_ - pn[1:-1, 1:-1])**2", "pn[1:-1, 1:-1]**2"};
  static const char *const column[] = {"(_ - pn[1:-1, -1])**2", "pn[1:-1, -1]**2"};
  double fixed = 0, v;
  SA_CHECK(sa_eval(pn, NULL, "p", SA_ARGS(SA_ARR("p", p))));
  static const char *const edges[] = {"p[0, :]**2", "p[-1, :]**2", "p[1:-1, 0]**2"};
  for (int e = 0; e < 3; e++) {
    sa_future *f = NULL;
    SA_CHECK(sa_reduce(&f, "sum", edges[e], SA_ARGS(SA_ARR("p", p))));
    sa_status st = sa_future_get(f, &v);
    SA_CHECK(sa_future_release(&f));
    SA_CHECK(st);
    fixed += v;
  }
  L->t0 = L->last = now(); /* the iterations are what is timed */
  sa_array *from = p, *to = pn;
  for (int64_t k = 1; k <= pr->max_iters && *L->converged_at < 0; k++) {
    const sa_arg *args = SA_ARGS(SA_ARR("p", to), SA_ARR("pn", from));
    if (k % pr->residual_every == 0) {
      pending *r = &L->ring[k % L->nring];
      SA_CHECK(drop_residual(r));
      r->iter = k;
      r->fixed = fixed;
      sa_future *f[2];
      SA_CHECK(sa_eval_reduce(to, "1:-1, 1:-1", stencil, args, 2, sums, interior, f));
      r->num[0] = f[0], r->den[0] = f[1];
      SA_CHECK(sa_eval_reduce(to, "1:-1, -1", "p[1:-1, -2]", args, 2, sums, column, f));
      r->num[1] = f[0], r->den[1] = f[1];
      SA_CHECK(check_residual(pr, L->ring, L->nring, k, L->l2, L->converged_at));
    } else {
      SA_CHECK(sa_eval(to, "1:-1, 1:-1", stencil, args));
      SA_CHECK(sa_eval(to, "1:-1, -1", "p[1:-1, -2]", args));
    }
    done_iteration(L, k);
    *last = to;
    from = to;
    to = to == p ? pn : p;
  }
  return SA_OK;
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
  int64_t iters = 0, converged_at = -1, nring = pr->check_lag + 1;
  pending *ring = calloc((size_t)nring, sizeof *ring);
  if (!ring) return SA_ERR_NOMEM;
  double l2 = NAN, t0 = now();
  loop L = {pr, ring, nring, &iters, &converged_at, &l2, t0, t0, rank};
  sa_array *last = p;
  sa_status st = pr->copy ? iterate_copy(&L, p, pn) : iterate_update(&L, p, pn, &last);
  for (int64_t k = 0; k < nring; k++) /* residuals never read */
    if (drop_residual(&ring[k]) != SA_OK && st == SA_OK) st = SA_ERR_INTERNAL;
  free(ring);
  SA_CHECK(st);
  SA_CHECK(sa_sync());
  double secs = now() - L.t0;
  if (pr->save) SA_CHECK(sa_save_npy(pr->save, last));
  char l2_text[32] = "null";
  if (!isnan(l2)) snprintf(l2_text, sizeof l2_text, "%.17g", l2);
  if (rank != 0) { /* under MPI rank 0 speaks for all */
  } else if (pr->json)
    printf("{\"app\": \"jacobi\", \"n\": %lld, \"iterations\": %lld, \"converged_at\": %lld, "
           "\"l2\": %s, \"seconds\": %.6f, \"iterations_per_s\": %.6g, \"residual_every\": "
           "%lld, \"check_every\": %lld, \"check_lag\": %lld, \"residual_in\": \"%s\"}\n",
           (long long)pr->n, (long long)iters, (long long)converged_at, l2_text, secs,
           (double)iters / secs, (long long)pr->residual_every, (long long)pr->check_every,
           (long long)pr->check_lag, pr->copy ? "copy" : "update");
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
