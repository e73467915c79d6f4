/* SPDX-License-Identifier: MIT
 * Statistics of normally distributed random numbers against what the normal
 * distribution predicts: mean, variance, standard deviation, tails beyond 2 and 3 sigma. */
#include <starray.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct params {
  int64_t n;
  uint64_t seed;
  double mu, sigma;
  const char *save;
} params;

static void usage(FILE *f)
{
  fprintf(f, "Usage: stats [--n N] [--mu X] [--sigma X] [--seed S] [--save FILE.npy]"
             " [--sa-* ...]\n"
             "  --n      sample size (default 1000000)\n"
             "  --mu     mean of the distribution (default 10)\n"
             "  --sigma  its standard deviation (default 2)\n"
             "  --seed   random seed (default 2024)\n"
             "  --save   also write the sample to this .npy file\n");
}

/* 0: run, -1: help printed, 2: bad option (libstarray's own are gone already). */
static int parse(int argc, char **argv, params *p)
{
  *p = (params){.n = 1000000, .seed = 2024, .mu = 10, .sigma = 2};
  for (int k = 1; k < argc; k++) {
    const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
    char *end = NULL;
    if (!strcmp(o, "--help")) return usage(stdout), -1;
    errno = 0;
    if (!v) {
      fprintf(stderr, "stats: unknown option '%s' or missing value (see --help)\n", o);
      return 2;
    } else if (!strcmp(o, "--n")) {
      long long x = strtoll(v, &end, 10);
      if (*end || errno || x < 2) return fprintf(stderr, "stats: --n needs >= 2\n"), 2;
      p->n = x;
    } else if (!strcmp(o, "--seed")) {
      unsigned long long x = strtoull(v, &end, 10);
      if (*end || errno || v[0] == '-')
        return fprintf(stderr, "stats: --seed needs an integer >= 0\n"), 2;
      p->seed = x;
    } else if (!strcmp(o, "--mu") || !strcmp(o, "--sigma")) {
      int sigma = !strcmp(o, "--sigma");
      double x = strtod(v, &end);
      if (*end || errno || !isfinite(x) || (sigma && !(x > 0))) {
        fprintf(stderr, "stats: %s needs a %snumber\n", o, sigma ? "positive " : "");
        return 2;
      }
      if (sigma)
        p->sigma = x;
      else
        p->mu = x;
    } else if (!strcmp(o, "--save")) {
      p->save = v;
    } else {
      fprintf(stderr, "stats: unknown option '%s' (see --help)\n", o);
      return 2;
    }
    k++;
  }
  return 0;
}

/* How many of n normal values the distribution puts beyond k sigma, and the standard
 * deviation of that count (binomial). */
static void tail(double k, int64_t n, double *expected, double *spread)
{
  double p = erfc(k / sqrt(2.0));
  *expected = p * (double)n;
  *spread = sqrt((double)n * p * (1 - p));
}

static sa_status run(const params *pr)
{
  sa_array *x = NULL, *far = NULL;
  sa_future *mean = NULL, *var = NULL, *sd = NULL, *lo = NULL, *hi = NULL;
  sa_future *beyond2 = NULL, *beyond3 = NULL;
  const int64_t shape[1] = {pr->n};
  SA_CHECK(sa_random_normal(&x, SA_F64, 1, shape, pr->mu, pr->sigma, pr->seed, 0, NULL));

  /* Everything below is submitted at once; the reads at the end wait. The sample's own
   * mean and standard deviation are used in the tail counts as futures: tasks read
   * them when they exist, the host does not. */
  SA_CHECK(sa_mean(&mean, x));
  SA_CHECK(sa_var(&var, x, 1)); /* ddof 1: the sample variance */
  SA_CHECK(sa_std(&sd, x, 1));
  SA_CHECK(sa_min(&lo, x));
  SA_CHECK(sa_max(&hi, x));
  const sa_arg *args = SA_ARGS(SA_ARR("x", x), SA_FUT("m", mean), SA_FUT("s", sd));
  SA_CHECK(sa_reduce(&beyond2, "sum", "abs(x - m) > 2 * s", args)); /* a count: int64 */
  SA_CHECK(sa_eval_new(&far, "abs(x - m) > 3 * s", args));          /* a bool array */
  SA_CHECK(sa_count_nonzero(&beyond3, far));
  if (pr->save) SA_CHECK(sa_save_npy(pr->save, x));

  double m, v, s, min, max;
  int64_t n2, n3;
  SA_CHECK(sa_future_get(mean, &m));
  SA_CHECK(sa_future_get(var, &v));
  SA_CHECK(sa_future_get(sd, &s));
  SA_CHECK(sa_future_get(lo, &min));
  SA_CHECK(sa_future_get(hi, &max));
  SA_CHECK(sa_future_get_int(beyond2, &n2));
  SA_CHECK(sa_future_get_int(beyond3, &n3));

  /* The normal distribution's answers, with the spread a sample of n has around them. */
  double n = (double)pr->n, e2, d2, e3, d3;
  double se_mean = pr->sigma / sqrt(n), se_var = pr->sigma * pr->sigma * sqrt(2 / (n - 1));
  tail(2, pr->n, &e2, &d2);
  tail(3, pr->n, &e3, &d3);
  printf("stats: %lld normal values, mu = %g, sigma = %g, seed %llu\n", (long long)pr->n,
         pr->mu, pr->sigma, (unsigned long long)pr->seed);
  printf("%-22s %18s %14s %8s\n", "", "sample", "expected", "z");
  printf("%-22s %18.12f %14.6f %8.2f\n", "mean", m, pr->mu, (m - pr->mu) / se_mean);
  printf("%-22s %18.12f %14.6f %8.2f\n", "variance (ddof 1)", v, pr->sigma * pr->sigma,
         (v - pr->sigma * pr->sigma) / se_var);
  printf("%-22s %18.12f %14.6f\n", "standard deviation", s, pr->sigma);
  printf("%-22s %18lld %14.1f %8.2f\n", "beyond 2 sigma", (long long)n2, e2,
         (n2 - e2) / d2);
  printf("%-22s %18lld %14.1f %8.2f\n", "beyond 3 sigma", (long long)n3, e3,
         (n3 - e3) / d3);
  printf("%-22s %18.12f %14s\n", "min", min, "");
  printf("%-22s %18.12f %14s\n", "max", max, "");

  sa_future **futures[] = {&mean, &var, &sd, &lo, &hi, &beyond2, &beyond3};
  for (size_t k = 0; k < sizeof futures / sizeof *futures; k++)
    SA_CHECK(sa_future_release(futures[k]));
  SA_CHECK(sa_array_release(&far));
  SA_CHECK(sa_array_release(&x));
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
