/* SPDX-License-Identifier: MIT
 * Starting and stopping the library: options -> StarPU settings -> starpu_init,
 * and the configuration query. The top of the runtime: sa_finalize cleans up by
 * calling down into each layer (arrays, futures, the expression cache). */
#include "sai.h"
#include "elementwise.h"
#include "fill.h"
#include "gemm.h"
#include "halo.h"
#include "jit.h"
#include "reduce.h"
#include "reshape.h"
#include "rng.h"
#include "scan.h"
#include "sort.h"
#ifdef SAI_CUDA_EMU
void cudaemu_task(void *buffers[], void *cl_arg); /* tests/cudaemu */
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <starpu.h>
#if SA_HAVE_CUDA
#include <starpu_cublas_v2.h>
#endif
#if SA_HAVE_OPENBLAS
#include <cblas.h>
#endif

static sa_status make_dir(const char *path)
{
  sa_status st = SA_OK;
  char buf[sizeof sai_rt.settings.trace];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *c = buf + 1;; c++) {
    if (*c && *c != '/') continue;
    char keep = *c;
    *c = '\0';
    SAI_REQUIRE(!mkdir(buf, 0777) || errno == EEXIST, SA_ERR_IO,
                "sa_init: --sa-trace=%s: cannot create directory %s: %s", path, buf,
                strerror(errno));
    if (!(*c = keep)) break;
  }
  struct stat sb;
  SAI_REQUIRE(!stat(path, &sb) && S_ISDIR(sb.st_mode), SA_ERR_IO,
              "sa_init: --sa-trace=%s is not a directory", path);
done:
  return st;
}

/* Our options map to StarPU's environment variables, which StarPU reads in
 * starpu_init and which would otherwise override starpu_conf. Only options the
 * user set are exported, so a user's own STARPU_* settings still apply. */
static sa_status apply_settings(const sai_settings *s)
{
  sa_status st = SA_OK;
  char num[32];
  if (s->ncpus >= 0) {
    snprintf(num, sizeof num, "%d", s->ncpus);
    setenv("STARPU_NCPU", num, 1);
  }
  SAI_REQUIRE(s->where != SAI_WHERE_CPU || s->ncuda <= 0, SA_ERR_OPTION,
              "sa_init: --sa-where=cpu with --sa-ncuda=%d: CUDA workers would get no task",
              s->ncuda);
  if (s->ncuda >= 0 || s->where == SAI_WHERE_CPU) { /* cpu: CUDA is not even started */
    snprintf(num, sizeof num, "%d", s->where == SAI_WHERE_CPU ? 0 : s->ncuda);
    setenv("STARPU_NCUDA", num, 1);
  }
  if (s->sched[0]) setenv("STARPU_SCHED", s->sched, 1);
  if (s->verbose == 0) setenv("STARPU_SILENT", "1", 1);
  /* A program submits much faster than tasks run; without a bound the queue of
   * pending tasks (and the temporaries they hold) grows with the run's length. */
  if (s->max_pending > 0 && !getenv("STARPU_LIMIT_MAX_SUBMITTED_TASKS")) {
    snprintf(num, sizeof num, "%d", s->max_pending);
    setenv("STARPU_LIMIT_MAX_SUBMITTED_TASKS", num, 1);
    snprintf(num, sizeof num, "%d", s->max_pending - s->max_pending / 8);
    setenv("STARPU_LIMIT_MIN_SUBMITTED_TASKS", num, 1);
  }
  if (s->gpu_mem >= 0) {
    snprintf(num, sizeof num, "%d", s->gpu_mem);
    setenv("STARPU_LIMIT_CUDA_MEM", num, 1);
  }
  if (s->cpu_mem >= 0) {
    /* every task holds its tiles in memory while it runs: below a few dozen tiles
     * StarPU can find no room for them, and waits for ever (measured: CFD-12 hangs at
     * 12 tiles of 2 MiB, runs at 20) */
    int64_t least = ((int64_t)32 * s->tile_size * 8 + (1 << 20) - 1) >> 20;
    SAI_REQUIRE(s->cpu_mem >= least, SA_ERR_OPTION,
                "sa_init: --sa-cpu-mem=%d is below 32 tiles of --sa-tile-size=%d float64 "
                "elements (%lld MiB): tasks could not all hold their tiles in memory",
                s->cpu_mem, s->tile_size, (long long)least);
    snprintf(num, sizeof num, "%d", s->cpu_mem);
    setenv("STARPU_LIMIT_CPU_MEM", num, 1);
  }
  if (s->disk_swap[0] && strcmp(s->disk_swap, "off")) {
    SAI_CALL(make_dir(s->disk_swap));
    setenv("STARPU_DISK_SWAP", s->disk_swap, 1);
    if (!getenv("STARPU_DISK_SWAP_BACKEND")) setenv("STARPU_DISK_SWAP_BACKEND", "unistd", 1);
    if (s->cpu_mem < 0 && s->verbose >= 1)
      fprintf(stderr, "starray: warning: --sa-disk-swap=%s without --sa-cpu-mem: tiles go "
              "to disk only when StarPU finds no memory\n", s->disk_swap);
  }
  if (s->trace[0]) {
    SAI_REQUIRE(SA_HAVE_FXT, SA_ERR_NOT_CONFIGURED,
                "sa_init: --sa-trace=%s: the StarPU in use was built without FxT",
                s->trace);
    SAI_CALL(make_dir(s->trace));
    char prefix[sizeof s->trace + 1];
    snprintf(prefix, sizeof prefix, "%s/", s->trace);
    setenv("STARPU_FXT_TRACE", "1", 1);
    setenv("STARPU_FXT_PREFIX", prefix, 1);
  } else if (SA_HAVE_FXT && !getenv("STARPU_FXT_TRACE")) {
    setenv("STARPU_FXT_TRACE", "0", 1); /* tracing costs nothing unless asked for */
  }
done:
  return st;
}

/* The version of the StarPU library actually loaded. */
static const char *starpu_version_string(void)
{
  static char text[32];
  int major, minor, release;
  starpu_get_version(&major, &minor, &release);
  snprintf(text, sizeof text, "%d.%d.%d", major, minor, release);
  return text;
}

/* With --sa-trace: DIR/starray-run.RANK says when this run started, with how many
 * ranks, and (appended by sa_finalize, once StarPU has written the trace) that it
 * finished, so that starray-trace can tell an earlier run's files from this one's
 * and a trace never written from an empty one. */
static void trace_mark(const char *what)
{
  const sai_settings *s = &sai_rt.settings;
  if (!s->trace[0]) return;
  char path[sizeof s->trace + 32];
  snprintf(path, sizeof path, "%s/starray-run.%d", s->trace, sai_rt.rank);
  FILE *f = fopen(path, *what == 's' ? "w" : "a");
  if (!f) return; /* the trace itself still works; the tool then says less */
  if (*what == 's') fprintf(f, "ranks %d\n", sai_rt.nranks);
  else /* what became tasks, for the tool's tasks-per-statement line */
    fprintf(f, "statements %lld\ntasks %lld\nruns %lld\n", (long long)sai_rt.planned,
            (long long)sai_rt.tasks, (long long)sai_rt.runs);
  fprintf(f, "%s %lld\n", what, (long long)time(NULL));
  fclose(f);
}

/* At exit, a program still initialised never reached sa_finalize. Alone, it is
 * finished here (its tasks done, its trace written). Under MPI the other ranks would
 * wait for this one forever in their next collective: the job is ended, saying which
 * rank left and where. */
static void exit_unfinished(void)
{
  if (!sai_rt.initialized) return;
  char where[256];
  sai_last_call_text(where, sizeof where);
  if (sai_rt.mpi && sai_rt.nranks > 1) {
    fprintf(stderr, "starray: error: MPI rank %d of %d is exiting without sa_finalize (%s); "
            "ending the whole job, whose other ranks would wait for it forever\n",
            sai_rt.rank, sai_rt.nranks, where);
    fflush(stderr);
    /* the others may be reporting an error of their own (a failed --sa-debug check
     * at sa_finalize): a moment for them to say it before the job ends */
    struct timespec pause = {0, 500 * 1000 * 1000};
    nanosleep(&pause, NULL);
    sai_dist_abort();
    return;
  }
  fprintf(stderr, "starray: warning: the program is exiting without sa_finalize (%s); "
          "finishing its tasks now\n", where);
  if (sa_finalize() != SA_OK) fputs(sa_error_message(), stderr);
}

/* Every codelet: --sa-where sets the kinds of worker each may run on. */
static struct starpu_codelet *const codelets[] = {
    &sai_fill_cl,         &sai_elementwise_cl, &sai_ew_run_cl,         &sai_accumulate_cl,
    &sai_reduce_tile_cl,  &sai_eval_reduce_cl, &sai_reduce_combine_cl, &sai_gemm_cl,
    &sai_halo_cl,
    &sai_rng_cl,          &sai_scan_cl,        &sai_sort_cl,
    &sai_reshape_cl};
#define NCODELETS (sizeof codelets / sizeof *codelets)

/* Before the first task: where each codelet runs. Built against the CUDA emulation,
 * cuda means CPU workers running the CUDA implementations on emulated devices. */
static sa_status place_codelets(int where)
{
#ifdef SAI_CUDA_EMU
  static starpu_cpu_func_t cpu[NCODELETS];
  for (size_t k = 0; k < NCODELETS; k++) {
    if (!cpu[k]) cpu[k] = codelets[k]->cpu_funcs[0];
    codelets[k]->cpu_funcs[0] = where == SAI_WHERE_CUDA ? cudaemu_task : cpu[k];
    codelets[k]->where = STARPU_CPU;
  }
  return SA_OK;
#else
  sa_status st = SA_OK;
  SAI_REQUIRE(where != SAI_WHERE_CUDA || starpu_cuda_worker_get_count() > 0,
              SA_ERR_NOT_CONFIGURED, "sa_init: --sa-where=cuda, but there is no CUDA worker (%s)",
              SAI_CUDA_CODELETS ? "StarPU found no usable GPU, or --sa-ncuda=0"
                                : "libstarray was built without CUDA codelets");
  for (size_t k = 0; k < NCODELETS; k++) {
    uint32_t any = STARPU_CPU | (codelets[k]->cuda_funcs[0] ? STARPU_CUDA : 0);
    codelets[k]->where = where == SAI_WHERE_CPU ? STARPU_CPU
                         : where == SAI_WHERE_CUDA ? STARPU_CUDA : any;
    SAI_REQUIRE(codelets[k]->where & any, SA_ERR_INTERNAL,
                "sa_init: codelet %s has no implementation for --sa-where", codelets[k]->name);
  }
done:
  return st;
#endif
}

SA_API sa_status sa_init_ex(int *argc, char ***argv, const char *options)
{
  sa_status st = SA_OK;
  sai_settings s;
  SAI_REQUIRE(!sai_rt.initialized, SA_ERR_INITIALIZED,
              "sa_init: libstarray is already initialized (sa_finalize first)");
  SAI_CALL(sai_options_parse(&s, argc, argv, options));
  SAI_CALL(apply_settings(&s));
  SAI_CALL(sa_error_set_policy(s.on_error, NULL, NULL));
  if (s.help) SAI_CALL(sa_options_print(stdout));
#if SA_HAVE_OPENBLAS
  openblas_set_num_threads(1); /* each StarPU worker is one core */
#endif
  sai_rt.settings = s;
  SAI_CALL(sai_dist_start(argc, argv));
  if ((st = place_codelets(s.where)) != SA_OK) {
    sai_dist_stop();
    SAI_CALL(st);
  }
  static int watching;
  if (!watching) atexit(exit_unfinished); /* after MPI's own exit handler: runs before it */
  watching = 1;
  sai_rt.planned = sai_rt.tasks = sai_rt.runs = sai_rt.handles = 0;
  trace_mark("started");
  sai_jit_start();
  sai_defer_enable(!sai_rt.settings.fuse);
#if SA_HAVE_CUDA
  if (starpu_cuda_worker_get_count() && !sai_gemm_cuda_open() && s.verbose >= 1)
    fprintf(stderr, "starray: warning: cuBLAS cannot be loaded; matrix products on CUDA "
                    "workers will fail\n");
  starpu_cublas_init();
#endif
  sai_async_reset();
  sai_rt.initialized = 1;
  sai_rt.epoch++;
  sai_rt.describe = s.check_finite || starpu_cuda_worker_get_count() > 0 ||
                    s.where == SAI_WHERE_CUDA;
  if (s.verbose >= 2) {
    fprintf(stderr, "starray: libstarray %s on StarPU %s, %u CPU + %u CUDA workers, "
            "scheduler %s, MPI rank %d of %d; options:\n", SA_VERSION_STRING,
            starpu_version_string(), starpu_cpu_worker_get_count(),
            starpu_cuda_worker_get_count(), starpu_sched_get_sched_policy()->policy_name,
            sai_rt.rank, sai_rt.nranks);
    SAI_CALL(sa_options_print_values(stderr));
  }
done:
  return st;
}

SA_API sa_status sa_init_settings(int *argc, char ***argv, const sa_settings *set)
{
  sa_status st = SA_OK;
  char text[2 * 4096 + 512] = "";
  size_t n = 0;
  if (set) {
    static const char *const policies[] = {"print", "abort", "silent"};
    const struct {
      const char *name;
      int value;
    } ints[] = {{"ncpus", set->ncpus},         {"ncuda", set->ncuda},
                {"tile-size", set->tile_size}, {"max-pending", set->max_pending},
                {"verbose", set->verbose},     {"gpu-mem", set->gpu_mem},
                {"check-finite", set->check_finite}, {"debug", set->debug}};
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
      if (ints[k].value != SA_UNSET)
        n += (size_t)snprintf(text + n, sizeof text - n, " --sa-%s=%d", ints[k].name,
                              ints[k].value);
    if (set->sched) n += (size_t)snprintf(text + n, sizeof text - n, " --sa-sched=%s", set->sched);
    if (set->trace) n += (size_t)snprintf(text + n, sizeof text - n, " --sa-trace=%s", set->trace);
    if (set->on_error != SA_UNSET) {
      SAI_REQUIRE(set->on_error >= 0 && set->on_error < 3, SA_ERR_OPTION,
                  "sa_init_settings: on_error is %d; use SA_ERRORS_PRINT, _ABORT or _SILENT "
                  "(a callback is set with sa_error_set_policy)", set->on_error);
      n += (size_t)snprintf(text + n, sizeof text - n, " --sa-on-error=%s",
                            policies[set->on_error]);
    }
    SAI_REQUIRE(n < sizeof text && (!set->sched || !strchr(set->sched, ' ')) &&
                    (!set->trace || !strchr(set->trace, ' ')),
                SA_ERR_OPTION, "sa_init_settings: sched or trace too long or with blanks");
  }
  SAI_CALL(sa_init_ex(argc, argv, text));
done:
  return st;
}

SA_API sa_status sa_init(int *argc, char ***argv)
{
  sa_status st = SA_OK;
  SAI_CALL(sa_init_ex(argc, argv, NULL));
done:
  return st;
}

SA_API sa_status sa_finalize(void)
{
  sa_status st = SA_OK;
  SAI_CALL(sai_require_init("sa_finalize"));
  /* Ranks that disagree may wait forever for each other's data: stop here, still
   * initialised, and let the program end (e.g. MPI_Abort). */
  SAI_CALL(sai_dist_check_sequence("sa_finalize"));
  sai_dist_wait_all();
  sai_jit_stop(sai_rt.settings.verbose);
  sai_defer_report(sai_rt.settings.verbose);
  sai_defer_enable(0);
  int64_t leaked = sai_array_cleanup(), lost = sai_future_cleanup();
  sai_expr_cache_clear(sai_rt.settings.verbose);
  sai_expr_memo_clear(sai_rt.settings.verbose);
#if SA_HAVE_CUDA
  starpu_cublas_shutdown();
#endif
  sai_dist_stop();
  trace_mark("finished");
  sai_rt.initialized = 0;
  if (leaked && sai_rt.settings.debug)
    fprintf(stderr, "starray: sa_finalize: %lld array base%s never released\n",
            (long long)leaked, leaked == 1 ? " was" : "s were");
  if (lost && sai_rt.settings.debug)
    fprintf(stderr, "starray: sa_finalize: %lld future%s never released\n",
            (long long)lost, lost == 1 ? " was" : "s were");
  SAI_CALL(sai_async_take("sa_finalize"));
done:
  return st;
}

SA_API sa_status sa_config_query(sa_config *out)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_config_query: out is NULL (argument 1)");
  *out = (sa_config){
      .version = SA_VERSION_STRING,
      .starpu_version = starpu_version_string(),
      .have_cuda = SA_HAVE_CUDA,
      .have_mpi = SA_HAVE_MPI,
      .have_fxt = SA_HAVE_FXT,
      .initialized = sai_rt.initialized,
#ifndef STARPU_NON_BLOCKING_DRIVERS
      .idle_workers_sleep = 1,
#endif
  };
  sai_machine_counts(&out->ncores, &out->npus, &out->nnuma);
  if (sai_rt.initialized) {
    out->ncpu_workers = (int)starpu_cpu_worker_get_count();
    out->ncuda_workers = (int)starpu_cuda_worker_get_count();
    struct starpu_sched_policy *p = starpu_sched_get_sched_policy();
    out->sched = p ? p->policy_name : NULL;
    out->trace_dir = sai_rt.settings.trace[0] ? sai_rt.settings.trace : NULL;
    static char jit[8192];
    sai_jit_describe(jit, sizeof jit);
    out->jit = jit;
  }
  out->mpi = sai_rt.initialized && sai_rt.mpi;
  out->mpi_rank = out->mpi ? sai_rt.rank : 0;
  out->mpi_size = out->mpi ? sai_rt.nranks : 1;
done:
  return st;
}
