/* SPDX-License-Identifier: MIT
 * Internal declarations shared by lib/ and codelets/: error macros, settings. */
#ifndef SAI_H
#define SAI_H

#include "sa_config.h"
#include "starray.h"

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ errors
 * Every internal function that can fail returns sa_status, declares
 * `sa_status st = SA_OK;` and has one `done:` label (cleanup, then return st).
 *   SAI_CALL(expr)                  propagate a failure, adding this frame
 *   SAI_REQUIRE(cond, code, fmt..)  check user input (always compiled)
 *   SAI_ASSERT(cond)                our own invariant (SA_ERR_INTERNAL)
 *   SAI_FAIL(code, fmt..)           raise an error here
 * Messages start with the public function's name: "sa_init: ...". */
sa_status sai_error_raise(sa_status code, const char *file, int line, const char *func,
                          const char *fmt, ...) SA_PRINTF(5, 6);
void sai_error_push(sa_status code, const char *file, int line, const char *func);

#define SAI_FAIL(code, ...)                                                      \
  do {                                                                           \
    st = sai_error_raise((code), __FILE__, __LINE__, __func__, __VA_ARGS__);     \
    goto done;                                                                   \
  } while (0)

#define SAI_REQUIRE(cond, code, ...)                                             \
  do {                                                                           \
    if (!(cond)) SAI_FAIL(code, __VA_ARGS__);                                    \
  } while (0)

#define SAI_CALL(expr)                                                           \
  do {                                                                           \
    st = (expr);                                                                 \
    if (st != SA_OK) {                                                           \
      sai_error_push(st, __FILE__, __LINE__, __func__);                          \
      goto done;                                                                 \
    }                                                                            \
  } while (0)

#ifdef NDEBUG
#define SAI_ASSERT(cond) ((void)0)
#else
#define SAI_ASSERT(cond) SAI_REQUIRE(cond, SA_ERR_INTERNAL, "internal check failed: %s", #cond)
#endif

/* Errors found inside tasks (CUDA launches, wrong values) cannot be returned where
 * they happen: the first one is kept, thread-safely, and the next call that waits
 * (sa_finalize, a read, ...) returns it through sai_async_take. */
void sai_async_fail(sa_status code, const char *op, const char *fmt, ...) SA_PRINTF(3, 4);
sa_status sai_async_take(const char *func);
void sai_async_reset(void);

/* ---------------------------------------------------------------- settings */
typedef struct sai_settings {
  int help;               /* --sa-help was given */
  int ncpus;              /* -1: StarPU's choice */
  int ncuda;              /* -1: StarPU's choice */
  char sched[64];         /* "": StarPU's choice */
  char trace[4096];       /* "": no tracing */
  sa_error_policy on_error;
} sai_settings;

/* Parses defaults < code text < environment < command line into *out, then removes
 * the --sa-* arguments from argc/argv. On error nothing is removed. */
sa_status sai_options_parse(sai_settings *out, int *argc, char ***argv, const char *code);

/* Nearest option name to `name` (for "did you mean"), or NULL. */
const char *sai_options_suggest(const char *name);

/* Library state between sa_init and sa_finalize. */
typedef struct sai_runtime {
  int initialized;
  sai_settings settings;
} sai_runtime;
extern sai_runtime sai_rt;

sa_status sai_require_init(const char *func);

#ifdef __cplusplus
}
#endif
#endif /* SAI_H */
