/* SPDX-License-Identifier: MIT
 * Options: any position, removed from argv, env twins, precedence, errors. */
#include "sa_config.h"
#include "tap.h"

#include <dirent.h>
#include <sys/stat.h>

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define NARGS(a) ((int)(sizeof(a) / sizeof *(a)) - 1)

static const char *sched_now(void)
{
  static char name[32];
  sa_config c;
  if (sa_config_query(&c) != SA_OK || !c.sched) return "?";
  snprintf(name, sizeof name, "%s", c.sched);
  return name;
}

/* Runs sa_init_ex on argv, records the scheduler and worker count, finalizes. */
static sa_status init_run(int *argc, char ***argv, const char *code, char *sched, int *ncpu)
{
  sa_status st = sa_init_ex(argc, argv, code);
  if (st != SA_OK) return st;
  sa_config c;
  if (sa_config_query(&c) == SA_OK) *ncpu = c.ncpu_workers;
  snprintf(sched, 32, "%s", sched_now());
  return sa_finalize();
}

static void test_argv(void)
{
  char **argv = ARGV("prog", "-x", "--sa-ncpus=1", "foo", "--sa-sched", "eager", "bar", "--",
                     "--sa-bogus");
  int argc = NARGS(ARGV("prog", "-x", "--sa-ncpus=1", "foo", "--sa-sched", "eager", "bar",
                        "--", "--sa-bogus"));
  char sched[32] = "";
  int ncpu = 0;
  sat_ok(init_run(&argc, &argv, NULL, sched, &ncpu) == SA_OK, "mixed argv initializes");
  sat_ok(argc == 6 && !strcmp(argv[1], "-x") && !strcmp(argv[2], "foo") &&
             !strcmp(argv[3], "bar") && !strcmp(argv[4], "--") &&
             !strcmp(argv[5], "--sa-bogus") && argv[6] == NULL,
         "only --sa- options before '--' removed, others kept in order (argc %d)", argc);
  sat_ok(!strcmp(sched, "eager") && ncpu == 1, "values taken: sched %s, %d cpu", sched, ncpu);
}

static void test_order(void)
{
  char s1[32] = "", s2[32] = "";
  int n1 = 0, n2 = 0;
  char **a1 = ARGV("p", "--sa-sched=eager", "app-arg", "--sa-ncpus=1");
  char **a2 = ARGV("p", "--sa-ncpus=1", "app-arg", "--sa-sched=eager");
  int c1 = 4, c2 = 4;
  int good = init_run(&c1, &a1, NULL, s1, &n1) == SA_OK &&
             init_run(&c2, &a2, NULL, s2, &n2) == SA_OK;
  sat_ok(good && !strcmp(s1, "eager") && !strcmp(s1, s2) && n1 == 1 && n1 == n2 &&
             c1 == 2 && c2 == 2 && !strcmp(a1[1], "app-arg"),
         "order does not matter (%s/%s, %d/%d)", s1, s2, n1, n2);
}

/* An error leaves argv untouched and the library uninitialized. */
static void bad_argv(const char *arg, sa_status want, const char *const *keys)
{
  char *argv_store[] = {"prog", (char *)arg, "tail", NULL};
  char **argv = argv_store;
  int argc = 3;
  char what[96];
  snprintf(what, sizeof what, "'%s' refused", arg);
  sat_status_is(sa_init(&argc, &argv), want, what, keys);
  sa_config c;
  sat_ok(argc == 3 && argv[1] == arg && sa_config_query(&c) == SA_OK && !c.initialized,
         "'%s': argv untouched, library not initialized", arg);
}

static void test_errors(void)
{
  bad_argv("--sa-ncpu=2", SA_ERR_OPTION,
           SAT_KEYS("unknown option '--sa-ncpu'", "did you mean '--sa-ncpus'",
                    "command-line argument 1"));
  bad_argv("--sa-nc=1", SA_ERR_OPTION, SAT_KEYS("unknown option '--sa-nc'"));
  bad_argv("--sa-zzzzzzzzzz", SA_ERR_OPTION, SAT_KEYS("--sa-help lists the options"));
  bad_argv("--sa-ncpus=abc", SA_ERR_OPTION, SAT_KEYS("--sa-ncpus=abc", "expected an integer"));
  bad_argv("--sa-ncpus=-5", SA_ERR_OPTION, SAT_KEYS("expected an integer >= -1"));
  bad_argv("--sa-ncpus=", SA_ERR_OPTION, SAT_KEYS("expected an integer"));
  bad_argv("--sa-help=maybe", SA_ERR_OPTION, SAT_KEYS("expected yes/no"));
  bad_argv("--sa-on-error=explode", SA_ERR_OPTION, SAT_KEYS("expected one of print|abort|silent"));
  /* a value is one choice, never the list of them */
  bad_argv("--sa-mpi=auto|off", SA_ERR_OPTION, SAT_KEYS("--sa-mpi=auto|off", "expected one of"));
  bad_argv("--sa-on-error=print|abort", SA_ERR_OPTION, SAT_KEYS("expected one of"));
  bad_argv("--sa-mpi-dist=", SA_ERR_OPTION, SAT_KEYS("expected one of block|cyclic"));
  bad_argv("--sa-mpi=of", SA_ERR_OPTION, SAT_KEYS("expected one of auto|off|on"));
  bad_argv("--sa-sched=nosuch", SA_ERR_OPTION,
           SAT_KEYS("no such StarPU scheduler", "eager", "dmda"));
  bad_argv("--sa-where=gpu", SA_ERR_OPTION, SAT_KEYS("expected one of any|cpu|cuda"));
  sat_status_is(sa_init_ex(NULL, NULL, "--sa-cpu-mem=63"), SA_ERR_OPTION,
                "--sa-cpu-mem below 32 tiles", SAT_KEYS("--sa-cpu-mem=63 is below 32 tiles",
                                                        "(64 MiB)"));
  sat_status_is(sa_init_ex(NULL, NULL, "--sa-cpu-mem=64 --sa-tile-size=1000000"),
                SA_ERR_OPTION, "--sa-cpu-mem below 32 tiles of larger tiles",
                SAT_KEYS("(245 MiB)"));
  bad_argv("--sa-math=fast", SA_ERR_OPTION,
           SAT_KEYS("--sa-math=fast", "expected one of portable|native"));
  setenv("STARRAY_MATH", "glibc", 1);
  sat_status_is(sa_init(NULL, NULL), SA_ERR_OPTION, "bad STARRAY_MATH",
                SAT_KEYS("environment STARRAY_MATH", "glibc", "portable|native"));
  unsetenv("STARRAY_MATH");
  sat_status_is(sa_init_ex(NULL, NULL, "--sa-where=cpu --sa-ncuda=1"), SA_ERR_OPTION,
                "--sa-where=cpu with CUDA workers asked for",
                SAT_KEYS("--sa-where=cpu with --sa-ncuda=1", "would get no task"));
  sa_config c;
  sa_status st = sa_init_ex(NULL, NULL, "--sa-where=cuda --sa-ncpus=1");
  if (st == SA_OK) { /* a machine with a GPU */
    sat_ok(sa_config_query(&c) == SA_OK && c.ncuda_workers > 0,
           "--sa-where=cuda starts with %d CUDA workers", c.ncuda_workers);
    sat_ok(sa_finalize() == SA_OK, "and finishes");
  } else {
    sat_ok(st == SA_ERR_NOT_CONFIGURED && strstr(sa_error_message(), "no CUDA worker") &&
               sa_config_query(&c) == SA_OK && !c.initialized,
           "--sa-where=cuda without a CUDA worker: SA_ERR_NOT_CONFIGURED, not initialized "
           "(%s)", sa_status_name(st));
  }
  st = sa_init_ex(NULL, NULL, "--sa-where=cpu --sa-ncpus=1");
  sat_ok(st == SA_OK && sa_config_query(&c) == SA_OK && c.ncuda_workers == 0 &&
             sa_finalize() == SA_OK,
         "--sa-where=cpu starts no CUDA worker, and StarPU starts again after the refusal");
  char **argv = ARGV("prog");
  int argc = 1;
  sat_status_is(sa_init(&argc, NULL), SA_ERR_ARG, "argc without argv", SAT_KEYS("both"));
  sat_status_is(sa_init_ex(NULL, NULL, "ncpus=2"), SA_ERR_OPTION, "code text without --sa-",
                SAT_KEYS("'ncpus=2'", "sa_init_ex options"));
  (void)argv;
}

static void test_precedence(void)
{
  char sched[32] = "";
  int ncpu = 0, good;
  setenv("STARRAY_SCHED", "eager", 1);
  good = init_run(NULL, NULL, "--sa-sched=dmda", sched, &ncpu) == SA_OK;
  sat_ok(good && !strcmp(sched, "eager"), "environment beats code text (got %s)", sched);
  char **argv = ARGV("p", "--sa-sched=prio");
  int argc = 2;
  good = init_run(&argc, &argv, NULL, sched, &ncpu) == SA_OK;
  sat_ok(good && !strcmp(sched, "prio"), "command line beats environment (got %s)", sched);
  setenv("STARRAY_OPTIONS", "--sa-sched=ws --sa-ncpus 2", 1);
  good = init_run(NULL, NULL, NULL, sched, &ncpu) == SA_OK;
  sat_ok(good && !strcmp(sched, "eager") && ncpu == 2,
         "STARRAY_OPTIONS read, twin STARRAY_SCHED beats it (got %s, %d cpus)", sched, ncpu);
  unsetenv("STARRAY_SCHED");
  good = init_run(NULL, NULL, NULL, sched, &ncpu) == SA_OK;
  sat_ok(good && !strcmp(sched, "ws"), "STARRAY_OPTIONS alone (got %s)", sched);
  unsetenv("STARRAY_OPTIONS");
  setenv("STARRAY_NCPUS", "many", 1);
  sat_status_is(sa_init(NULL, NULL), SA_ERR_OPTION, "bad environment value",
                SAT_KEYS("environment STARRAY_NCPUS", "many"));
  unsetenv("STARRAY_NCPUS");
}

static void test_trace(void)
{
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/trace-test-options/sub",
           getenv("STARRAY_TOP_BUILDDIR") ? getenv("STARRAY_TOP_BUILDDIR") : ".");
  char opt[4200];
  snprintf(opt, sizeof opt, "--sa-trace=%s --sa-ncpus=1", dir);
  sa_status st = sa_init_ex(NULL, NULL, opt);
  if (!SA_HAVE_FXT) {
    sat_status_is(st, SA_ERR_NOT_CONFIGURED, "--sa-trace without FxT", SAT_KEYS("FxT"));
    sat_ok(1, "# SKIP no FxT");
    return;
  }
  int n = 0;
  sat_ok(st == SA_OK && sa_self_test(&n) == SA_OK && sa_finalize() == SA_OK,
         "traced run with --sa-trace=DIR (missing parents created)");
  DIR *d = opendir(dir);
  int found = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    if (!strncmp(e->d_name, "prof_file", 9)) {
      struct stat sb;
      char path[8300];
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      found |= !stat(path, &sb) && sb.st_size > 0;
    }
  if (d) closedir(d);
  sat_ok(found, "a non-empty FxT file prof_file* appeared in %s", dir);
}

int main(void)
{
  sat_plan(49);
  test_argv();
  test_order();
  test_errors();
  test_precedence();
  test_trace();
  return sat_done();
}
