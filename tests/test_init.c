/* SPDX-License-Identifier: MIT
 * sa_init / sa_finalize / sa_config_query / sa_self_test. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "sa_config.h"
#include "tap.h"
#include <time.h>

/* Whether a file whose name contains `name` is mapped into this process. */
static int maps_have(const char *name)
{
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int found = 0;
  while (f && !found && fgets(line, sizeof line, f)) found = strstr(line, name) != NULL;
  if (f) fclose(f);
  return found;
}

int main(void)
{
  sat_plan(29);
  sa_config c;
  sa_status st;

  sat_ok(sa_config_query(&c) == SA_OK, "config before init");
  sat_ok(!strcmp(c.version, PACKAGE_VERSION), "version %s matches configure's %s", c.version,
         PACKAGE_VERSION);
  sat_ok(c.initialized == 0 && c.ncpu_workers == 0 && c.sched == NULL,
         "before init: not initialized, no workers");
  sat_ok(c.have_cuda == SA_HAVE_CUDA && c.have_fxt == SA_HAVE_FXT,
         "features match the build (cuda %d, fxt %d)", c.have_cuda, c.have_fxt);
  sat_status_is(sa_finalize(), SA_ERR_NOT_INITIALIZED, "finalize before init",
                SAT_KEYS("sa_finalize", "sa_init first"));
  int n = -1;
  sat_status_is(sa_self_test(&n), SA_ERR_NOT_INITIALIZED, "self-test before init",
                SAT_KEYS("sa_self_test"));
  sat_status_is(sa_config_query(NULL), SA_ERR_ARG, "config_query(NULL)",
                SAT_KEYS("sa_config_query", "argument 1"));

  double t0 = 0, t1 = 0;
  sat_status_is(sa_time(&t0), SA_ERR_NOT_INITIALIZED, "sa_time before init",
                SAT_KEYS("sa_time", "sa_init first"));

  st = sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-ncuda=0 --sa-sched=eager");
  sat_ok(st == SA_OK, "init with code options") || (sat_diag(sa_error_message()), 0);
  st = sa_config_query(&c);
  sat_ok(st == SA_OK && c.initialized == 1, "config says initialized");
  sat_ok(c.ncpu_workers == 1 && c.ncuda_workers == 0, "1 CPU worker, 0 CUDA (got %d, %d)",
         c.ncpu_workers, c.ncuda_workers);
  sat_ok(c.sched && !strcmp(c.sched, "eager"), "scheduler is eager (got %s)",
         c.sched ? c.sched : "NULL");
  sat_status_is(sa_init(NULL, NULL), SA_ERR_INITIALIZED, "second init",
                SAT_KEYS("already initialized"));
  /* sa_time against this process's monotonic clock over a 50 ms sleep */
  struct timespec m0, m1, nap = {0, 50000000};
  clock_gettime(CLOCK_MONOTONIC, &m0);
  st = sa_time(&t0);
  nanosleep(&nap, NULL);
  st = st ? st : sa_time(&t1);
  clock_gettime(CLOCK_MONOTONIC, &m1);
  double mono = (double)(m1.tv_sec - m0.tv_sec) + 1e-9 * (double)(m1.tv_nsec - m0.tv_nsec);
  sat_ok(st == SA_OK && t1 - t0 >= 0.049 && t1 - t0 <= mono + 1e-6,
         "sa_time: %.4f s elapsed over a 50 ms sleep (monotonic clock: %.4f s)", t1 - t0, mono);
  sat_status_is(sa_time(NULL), SA_ERR_ARG, "sa_time(NULL)", SAT_KEYS("sa_time", "argument 1"));
  st = sa_self_test(&n);
  sat_ok(st == SA_OK && n == 1, "self-test ran 1 task (got %d)", n);
  sat_status_is(sa_self_test(NULL), SA_ERR_ARG, "self-test(NULL)", SAT_KEYS("argument 1"));
  sat_ok(sa_finalize() == SA_OK, "finalize");

  /* StarPU starts again after a shutdown, with other settings. */
  st = sa_init_ex(NULL, NULL, "--sa-ncpus=2 --sa-ncuda=0");
  sat_ok(st == SA_OK, "second life: init with 2 CPUs") || (sat_diag(sa_error_message()), 0);
  st = sa_config_query(&c);
  sat_ok(st == SA_OK && c.ncpu_workers == 2, "2 CPU workers (got %d)", c.ncpu_workers);
  st = sa_self_test(&n);
  sat_ok(st == SA_OK && n == 2, "self-test ran 2 tasks (got %d)", n);
  sat_ok(sa_finalize() == SA_OK, "finalize again");

  /* cuBLAS (and what it pulls in, ~150 MiB) is loaded only for CUDA workers: the
   * default worker count here, so on a machine with a GPU it is loaded */
  st = sa_init_ex(NULL, NULL, "--sa-ncpus=1");
  sat_ok(st == SA_OK && sa_config_query(&c) == SA_OK, "init with the default CUDA workers") ||
      (sat_diag(sa_error_message()), 0);
  int mapped = maps_have("libcublas") + maps_have("libcusparse") + maps_have("libcusolver");
  sat_ok(c.ncuda_workers > 0 ? maps_have("libcublas.so") : mapped == 0,
         "%d CUDA workers: cuBLAS %s (libcublas, libcusparse, libcusolver mapped: %d)",
         c.ncuda_workers, c.ncuda_workers > 0 ? "loaded" : "not loaded", mapped);
  sat_ok(sa_finalize() == SA_OK, "finalize after default workers");

  /* typed settings from code */
  sa_settings set = SA_SETTINGS_DEFAULT;
  set.ncpus = 1;
  set.sched = "eager";
  st = sa_init_settings(NULL, NULL, &set);
  sat_ok(st == SA_OK, "init with sa_settings") || (sat_diag(sa_error_message()), 0);
  st = sa_config_query(&c);
  sat_ok(st == SA_OK && c.ncpu_workers == 1 && c.sched && !strcmp(c.sched, "eager"),
         "settings applied: 1 CPU, eager (got %d, %s)", c.ncpu_workers, c.sched);
  sat_ok(sa_finalize() == SA_OK, "finalize after settings");
  set.ncpus = -7;
  sat_status_is(sa_init_settings(NULL, NULL, &set), SA_ERR_OPTION, "bad settings value",
                SAT_KEYS("--sa-ncpus=-7", "expected an integer >= -1"));
  return sat_done();
}
