/* SPDX-License-Identifier: MIT
 * libstarray's public API: NumPy-style tiled arrays on StarPU. Everything a user
 * calls is declared here, in the order: version, types, init/options, errors. */
#ifndef STARRAY_H
#define STARRAY_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ version */
#define SA_VERSION_MAJOR 0
#define SA_VERSION_MINOR 1
#define SA_VERSION_PATCH 0
#define SA_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define SA_API __attribute__((visibility("default")))
#define SA_NODISCARD __attribute__((warn_unused_result))
#define SA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SA_API
#define SA_NODISCARD
#define SA_PRINTF(f, a)
#endif

/* -------------------------------------------------------------------- types */

/** Result of every public call. 1xx environment, 2xx caller mistakes,
 *  3xx not available, 4xx numerical, 998 a bug in libstarray. */
typedef enum sa_status {
  SA_OK = 0,
  SA_ERR_NOMEM = 101,           /**< out of memory */
  SA_ERR_NOT_INITIALIZED = 102, /**< sa_init has not been called */
  SA_ERR_INITIALIZED = 103,     /**< sa_init called twice */
  SA_ERR_STARPU = 104,          /**< the StarPU runtime failed */
  SA_ERR_CUDA = 105,            /**< a CUDA or cuBLAS call failed */
  SA_ERR_MPI = 106,             /**< an MPI call failed */
  SA_ERR_IO = 107,              /**< reading or writing a file failed */
  SA_ERR_INVALID_HANDLE = 201,  /**< NULL, freed or foreign object */
  SA_ERR_ARG = 202,             /**< an argument is out of range */
  SA_ERR_SHAPE = 203,           /**< shapes do not match or broadcast */
  SA_ERR_DTYPE = 204,           /**< dtype not allowed here */
  SA_ERR_INDEX = 205,           /**< index out of bounds */
  SA_ERR_SYNTAX = 206,          /**< expression or slice text malformed */
  SA_ERR_OPTION = 207,          /**< unknown or malformed --sa- option */
  SA_ERR_NOT_SUPPORTED = 301,   /**< valid, but not implemented */
  SA_ERR_NOT_CONFIGURED = 302,  /**< libstarray was built without it */
  SA_ERR_NONFINITE = 401,       /**< an operation produced NaN or Inf */
  SA_ERR_INTERNAL = 998         /**< a bug in libstarray: please report */
} sa_status;

/** What the library and the running process have (sa_config_query). */
typedef struct sa_config {
  const char *version;        /**< libstarray version, "MAJOR.MINOR.PATCH" */
  const char *starpu_version; /**< StarPU version libstarray was built with */
  int have_cuda;              /**< 1 if CUDA codelets were built */
  int have_mpi;               /**< 1 if distributed arrays are available */
  int have_fxt;               /**< 1 if StarPU can record FxT traces */
  int initialized;            /**< 1 between sa_init and sa_finalize */
  int ncpu_workers;           /**< StarPU CPU workers (0 before sa_init) */
  int ncuda_workers;          /**< StarPU CUDA workers (0 before sa_init) */
  const char *sched;          /**< scheduler in use (NULL before sa_init) */
  const char *trace_dir;      /**< directory FxT traces go to, NULL if off */
} sa_config;

/* ------------------------------------------------------------ init, options */

/**
 * Start libstarray and StarPU. Removes the library's own options (--sa-*, any
 * position) from argc/argv and leaves the others, in order.
 *
 * @param[in,out] argc  &argc of main, or NULL: argv is then never read.
 * @param[in,out] argv  &argv of main, or NULL.
 * Options: precedence default < STARRAY_* environment < command line;
 * --sa-help lists them all (and sa_init still succeeds). See doc/options.md.
 * Waits:  yes (StarPU start-up).
 * Errors: SA_ERR_OPTION, SA_ERR_INITIALIZED, SA_ERR_STARPU.
 * See also: sa_init_ex, sa_finalize.
 */
SA_API SA_NODISCARD sa_status sa_init(int *argc, char ***argv);

/**
 * sa_init with options given from code, written as on a command line
 * ("--sa-ncpus=2 --sa-sched=dmda"). They have the lowest precedence: the
 * environment and the command line override them.
 *
 * @param[in,out] argc, argv  as for sa_init (may be NULL).
 * @param[in]     options     option text, or NULL.
 * Waits:  yes.  Errors: as sa_init.
 */
SA_API SA_NODISCARD sa_status sa_init_ex(int *argc, char ***argv, const char *options);

/**
 * Wait for every submitted task, report asynchronous errors, stop StarPU.
 * Waits:  yes.  Errors: SA_ERR_NOT_INITIALIZED, errors recorded by tasks.
 */
SA_API SA_NODISCARD sa_status sa_finalize(void);

/**
 * Print the table of options (name, type, default, environment twin, meaning,
 * StarPU setting) to a stream. Not collective; callable before sa_init.
 * Errors: SA_ERR_ARG (stream NULL), SA_ERR_IO.
 */
SA_API SA_NODISCARD sa_status sa_options_print(FILE *stream);

/**
 * Fill *out with the library's build features and, after sa_init, the workers.
 * Strings are borrowed: valid until sa_finalize. Callable before sa_init.
 * Errors: SA_ERR_ARG (out NULL).
 */
SA_API SA_NODISCARD sa_status sa_config_query(sa_config *out);

/**
 * Run one small task on every worker (CPU and CUDA) and check its result:
 * proves the codelets of this build run here.
 * @param[out] ntasks  number of tasks that ran and gave the right value.
 * Waits:  yes.  Errors: SA_ERR_NOT_INITIALIZED, SA_ERR_INTERNAL (a wrong value).
 */
SA_API SA_NODISCARD sa_status sa_self_test(int *ntasks);

/* ------------------------------------------------------------------- errors */

/** The name and meaning of a status, e.g. "SA_ERR_SHAPE: shapes do not match".
 *  Static storage; never NULL (unknown codes give "unknown status"). */
SA_API const char *sa_strerror(sa_status st);

/** The symbolic name of a status, e.g. "SA_ERR_SHAPE". Never NULL. */
SA_API const char *sa_status_name(sa_status st);

/**
 * The last error of this thread, formatted: first line "starray: error NAME (code):
 * message", then one line per call level "  #k function() at file:line".
 * Borrowed: valid until this thread's next libstarray call. "" if none.
 */
SA_API const char *sa_error_message(void);

/** The status of this thread's last error (SA_OK if none). */
SA_API sa_status sa_error_code(void);

/** What happens when an error reaches the user's SA_CHECK. */
typedef enum sa_error_policy {
  SA_ERRORS_PRINT = 0, /**< print the message and traceback to stderr, return (default) */
  SA_ERRORS_ABORT = 1, /**< print, then abort() (for debuggers and core files) */
  SA_ERRORS_SILENT = 2, /**< return the status, print nothing */
  SA_ERRORS_CALLBACK = 3 /**< call the user's handler */
} sa_error_policy;

/** A user error handler: the status and the formatted message with traceback. */
typedef void (*sa_error_handler)(sa_status st, const char *message, void *ctx);

/**
 * Choose what SA_CHECK does with an error. Process-wide; also set by
 * --sa-on-error. handler and ctx are used with SA_ERRORS_CALLBACK only.
 * Errors: SA_ERR_ARG (unknown policy, or CALLBACK without a handler).
 */
SA_API SA_NODISCARD sa_status sa_error_set_policy(sa_error_policy policy,
                                                  sa_error_handler handler, void *ctx);

/** Used by SA_CHECK: add the caller's frame to the current error and apply the
 *  policy. Returns st. */
SA_API sa_status sa_error_check(sa_status st, const char *file, int line,
                                const char *func);

/**
 * PETSc-style check of a libstarray call from user code: on failure, adds the
 * caller's file:line:function to the traceback, applies the error policy
 * (print by default) and returns the status from the enclosing function.
 */
#define SA_CHECK(call)                                                          \
  do {                                                                          \
    sa_status sa_check_st_ = (call);                                            \
    if (sa_check_st_ != SA_OK)                                                  \
      return sa_error_check(sa_check_st_, __FILE__, __LINE__, __func__);        \
  } while (0)

#ifdef __cplusplus
}
#endif
#endif /* STARRAY_H */
