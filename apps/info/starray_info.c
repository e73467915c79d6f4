/* SPDX-License-Identifier: MIT
 * starray-info: what this libstarray was built with, the workers it finds, and a
 * self-test task on every worker. The smoke program of an installation. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <starray.h>

#include <ctype.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "Usage: starray-info [--no-self-test] [--list-options] [--functions] [--help]\n"
             "                    [--sa-* ...]\n"
             "Prints the build configuration and workers, then runs one check task per\n"
             "worker. --list-options prints libstarray's options and exits without\n"
             "starting the runtime; --sa-help prints them and goes on. --functions\n"
             "prints the functions of expressions (name, arguments, result, how a double\n"
             "is computed: a C library function or libstarray's own code) and exits.\n");
}

static void print_function(const char *name, int nargs, const char *result, const char *how)
{
  printf("%s %d ", name, nargs);
  for (; *result; result++) putchar(tolower((unsigned char)*result));
  printf(" %s\n", how);
}

/* One line per function of SA_FUNCTIONS (starray.h), e.g. "arctan2 2 float atan2". */
static void print_functions(void)
{
#define PRINT_FUNCTION(P, name, nargs, result, how)                                  \
  print_function(#name, nargs, #result + 6, #how);
  SA_FUNCTIONS(PRINT_FUNCTION, )
#undef PRINT_FUNCTION
}

static const char *plural(int n)
{
  return n == 1 ? "" : "s";
}

/* One line per libstarray and StarPU library this process loaded, with the file it
 * came from (links resolved): which installation or build is really in use. */
static int print_library(struct dl_phdr_info *info, size_t size, void *data)
{
  (void)size;
  (void)data;
  const char *base = strrchr(info->dlpi_name, '/');
  if (!base || (strncmp(base + 1, "libstarray.", 11) && strncmp(base + 1, "libstarpu", 9)))
    return 0;
  char real[PATH_MAX];
  printf("  library: %s\n", realpath(info->dlpi_name, real) ? real : info->dlpi_name);
  return 0;
}

/* The policy StarPU runs and what chose it: --sa-sched sets STARPU_SCHED before
 * StarPU starts, and StarPU falls back to its default for a name it does not know;
 * without either, libstarray's default (eager without CUDA workers, else lws). */
static void print_scheduler(const char *sched)
{
  const char *env = getenv("STARPU_SCHED");
  printf("  scheduler: %s (%s)\n", sched ? sched : "?",
         !env || !env[0]                ? "the default; --sa-sched=NAME picks another"
         : sched && !strcmp(env, sched) ? "chosen by --sa-sched or STARPU_SCHED"
                                        : "the default: STARPU_SCHED names no policy");
}

static sa_status run(int argc, char **argv, int *exit_code)
{
  int self_test = 1;
  for (int k = 1; k < argc && strcmp(argv[k], "--"); k++) {
    if (!strcmp(argv[k], "--list-options")) return sa_options_print(stdout);
    if (!strcmp(argv[k], "--functions")) {
      print_functions();
      return SA_OK;
    }
  }
  SA_CHECK(sa_init(&argc, &argv));
  for (int k = 1; k < argc; k++) {
    if (!strcmp(argv[k], "--no-self-test")) {
      self_test = 0;
    } else if (!strcmp(argv[k], "--help")) {
      usage(stdout);
      return sa_finalize();
    } else {
      fprintf(stderr, "starray-info: unknown argument '%s'\n", argv[k]);
      usage(stderr);
      *exit_code = 2;
      return sa_finalize();
    }
  }
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  printf("libstarray %s on StarPU %s\n", c.version, c.starpu_version);
  printf("  built with: CUDA %s, MPI %s, FxT %s\n", c.have_cuda ? "yes" : "no",
         c.have_mpi ? "yes" : "no", c.have_fxt ? "yes" : "no");
  printf("  workers: %d CPU, %d CUDA\n", c.ncpu_workers, c.ncuda_workers);
  printf("  idle workers: %s\n", c.idle_workers_sleep ? "sleep"
                                 : "spin (StarPU built without --enable-blocking-drivers)");
  print_scheduler(c.sched);
  if (c.mpi) printf("  MPI: rank %d of %d\n", c.mpi_rank, c.mpi_size);
  else printf("  MPI: not in use (one process)\n");
  printf("  trace: %s\n", c.trace_dir ? c.trace_dir : "off");
  printf("  compiled statements: %s\n", c.jit ? c.jit : "?");
  printf("  hardware (hwloc): %d core%s, %d hardware thread%s, %d NUMA node%s\n", c.ncores,
         plural(c.ncores), c.npus, plural(c.npus), c.nnuma, plural(c.nnuma));
  dl_iterate_phdr(print_library, NULL);
  printf("  effective options:\n");
  fflush(stdout);
  SA_CHECK(sa_options_print_values(stdout));
  if (self_test) {
    int n = 0;
    SA_CHECK(sa_self_test(&n));
    printf("  self-test: %d of %d workers computed the right values\n", n,
           c.ncpu_workers + c.ncuda_workers);
  }
  SA_CHECK(sa_finalize());
  return SA_OK;
}

int main(int argc, char **argv)
{
  int exit_code = 0;
  if (run(argc, argv, &exit_code) != SA_OK) return 1;
  return exit_code;
}
