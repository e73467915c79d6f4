/* SPDX-License-Identifier: MIT
 * Error records with a traceback (one per thread), the user's error policy and
 * the slot for errors raised inside tasks. */
#include "sai.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAI_MAX_FRAMES 32

typedef struct frame {
  const char *file, *func;
  int line;
} frame;

#define SAI_MESSAGE_MAX 16384
typedef struct error_record {
  sa_status code;
  char message[SAI_MESSAGE_MAX];
  frame frames[SAI_MAX_FRAMES];
  int nframes, nprinted;
  char text[SAI_MESSAGE_MAX + SAI_MAX_FRAMES * 160];
} error_record;

static _Thread_local error_record last;

static struct {
  const char *name, *meaning, *text; /* text: "NAME: meaning", as sa_strerror promises */
} const status_table[] = {
#define S(code, words) [code] = {#code, words, #code ": " words}
    S(SA_OK, "success"),
    S(SA_ERR_NOMEM, "out of memory"),
    S(SA_ERR_NOT_INITIALIZED, "libstarray is not initialized (call sa_init first)"),
    S(SA_ERR_INITIALIZED, "libstarray is already initialized"),
    S(SA_ERR_STARPU, "the StarPU runtime failed"),
    S(SA_ERR_CUDA, "a CUDA or cuBLAS call failed"),
    S(SA_ERR_MPI, "an MPI call failed"),
    S(SA_ERR_IO, "reading or writing a file failed"),
    S(SA_ERR_INVALID_HANDLE, "invalid handle (NULL, released or not a libstarray object)"),
    S(SA_ERR_ARG, "invalid argument"),
    S(SA_ERR_SHAPE, "shapes do not match"),
    S(SA_ERR_DTYPE, "dtype not allowed"),
    S(SA_ERR_INDEX, "index out of bounds"),
    S(SA_ERR_SYNTAX, "syntax error"),
    S(SA_ERR_OPTION, "invalid option"),
    S(SA_ERR_NOT_SUPPORTED, "not supported"),
    S(SA_ERR_NOT_CONFIGURED, "libstarray was built without this feature"),
    S(SA_ERR_NONFINITE, "an operation produced NaN or Inf"),
    S(SA_ERR_INTERNAL, "internal error in libstarray (please report it)"),
#undef S
};

SA_API const char *sa_status_name(sa_status st)
{
  if ((unsigned)st < sizeof status_table / sizeof *status_table && status_table[st].name)
    return status_table[st].name;
  return "SA_ERR_UNKNOWN";
}

SA_API const char *sa_strerror(sa_status st)
{
  if ((unsigned)st < sizeof status_table / sizeof *status_table && status_table[st].name)
    return status_table[st].text;
  return "unknown status";
}

/* The meaning alone ("shapes do not match"), for messages that name the code. */
static const char *meaning(sa_status st)
{
  if ((unsigned)st < sizeof status_table / sizeof *status_table && status_table[st].name)
    return status_table[st].meaning;
  return "unknown status";
}

static void push_frame(error_record *r, const char *file, int line, const char *func)
{
  if (r->nframes < SAI_MAX_FRAMES)
    r->frames[r->nframes++] = (frame){file, func, line};
}

sa_status sai_error_raise(sa_status code, const char *file, int line, const char *func,
                          const char *fmt, ...)
{
  error_record *r = &last;
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  int len = vsnprintf(r->message, sizeof r->message, fmt, ap);
  va_end(ap);
  char *whole = len >= (int)sizeof r->message ? malloc((size_t)len + 1) : NULL;
  if (whole) { /* too long (a long path or text): keep its beginning and its end, where
                * the reason often is */
    vsnprintf(whole, (size_t)len + 1, fmt, again);
    size_t keep = sizeof r->message / 2 - 64;
    snprintf(r->message, sizeof r->message, "%.*s [... %zu characters left out ...] %s",
             (int)keep, whole, (size_t)len - 2 * keep, whole + len - keep);
    free(whole);
  }
  va_end(again);
  r->code = code;
  r->nframes = r->nprinted = 0;
  push_frame(r, file, line, func);
  return code;
}

void sai_error_push(sa_status code, const char *file, int line, const char *func)
{
  if (last.code != code) /* a status from a path that raised nothing: say so */
    sai_error_raise(code, file, line, func, "%s (no further detail)", meaning(code));
  else
    push_frame(&last, file, line, func);
}

/* The header line (when asked) and the frames from `first` on, into text. */
static const char *format_record(const error_record *r, int first, int header, char *text,
                                 size_t size)
{
  size_t n = 0;
  text[0] = '\0';
  if (header)
    n += (size_t)snprintf(text, size, "starray: error %s (%d): %s\n",
                          sa_status_name(r->code), (int)r->code, r->message);
  for (int k = first; k < r->nframes && n < size; k++)
    n += (size_t)snprintf(text + n, size - n, "  #%d %s() at %s:%d\n", k + 1,
                          r->frames[k].func, r->frames[k].file, r->frames[k].line);
  return text;
}

SA_API const char *sa_error_message(void)
{
  if (last.code == SA_OK) return "";
  return format_record(&last, 0, 1, last.text, sizeof last.text);
}

SA_API sa_status sa_error_code(void) { return last.code; }

static _Thread_local struct {
  const char *file, *func;
  int line;
} site;

/* The last call site any thread recorded, for a program that leaves without
 * sa_finalize (a rank that exits early): where it was last seen. */
static struct {
  const char *file, *func;
  int line;
} last_site;

SA_API void sa_call_site(const char *file, int line, const char *func)
{
  site.file = file;
  site.line = line;
  site.func = func;
  if (file) last_site.file = file, last_site.line = line, last_site.func = func;
}

void sai_last_call_text(char *buf, size_t size)
{
  if (last_site.file)
    snprintf(buf, size, "its last SA_CHECKed call was at %s:%d in %s()", last_site.file,
             last_site.line, last_site.func);
  else
    snprintf(buf, size, "no call of it went through SA_CHECK, which records where");
}

void sai_call_site_text(char *buf, size_t size)
{
  if (site.file)
    snprintf(buf, size, " at %s:%d in %s()", site.file, site.line, site.func);
  else if (size)
    buf[0] = '\0';
}

static struct {
  sa_error_policy policy;
  sa_error_handler handler;
  void *ctx;
} policy = {SA_ERRORS_PRINT, NULL, NULL};

SA_API sa_status sa_error_set_policy(sa_error_policy p, sa_error_handler handler, void *ctx)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(p >= SA_ERRORS_PRINT && p <= SA_ERRORS_CALLBACK, SA_ERR_ARG,
              "sa_error_set_policy: unknown policy %d (argument 1)", (int)p);
  SAI_REQUIRE(p != SA_ERRORS_CALLBACK || handler, SA_ERR_ARG,
              "sa_error_set_policy: SA_ERRORS_CALLBACK needs a handler (argument 2 is NULL)");
  policy.policy = p;
  policy.handler = handler;
  policy.ctx = ctx;
done:
  return st;
}

/* SA_CHECK in user code lands here. Each level prints only what the level below
 * has not printed yet, so nested SA_CHECKs extend one traceback (as PETSc does). */
SA_API sa_status sa_error_check(sa_status st, const char *file, int line, const char *func)
{
  if (st == SA_OK) return st;
  sai_error_push(st, file, line, func);
  switch (policy.policy) {
  case SA_ERRORS_SILENT: break;
  case SA_ERRORS_CALLBACK: policy.handler(st, sa_error_message(), policy.ctx); break;
  case SA_ERRORS_PRINT:
  case SA_ERRORS_ABORT: {
    static _Thread_local char text[sizeof last.text];
    fputs(format_record(&last, last.nprinted, last.nprinted == 0, text, sizeof text), stderr);
    fflush(stderr);
    last.nprinted = last.nframes;
    if (policy.policy == SA_ERRORS_ABORT) abort(); /* the user asked for it */
    break;
  }
  }
  return st;
}

/* ------------------------------------------------------ errors inside tasks */
static struct {
  pthread_mutex_t lock;
  sa_status code;
  char op[64], message[640];
} async = {PTHREAD_MUTEX_INITIALIZER, SA_OK, "", ""};

void sai_async_fail(sa_status code, const char *op, const char *fmt, ...)
{
  pthread_mutex_lock(&async.lock);
  if (async.code == SA_OK) { /* the first failure is the one that explains */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(async.message, sizeof async.message, fmt, ap);
    va_end(ap);
    snprintf(async.op, sizeof async.op, "%s", op);
    async.code = code;
  }
  pthread_mutex_unlock(&async.lock);
}

/* The earliest statement (in program order) that produced NaN or Inf. */
static struct {
  int64_t statement;
  char text[200];
  double value;
} nonfinite;

void sai_nonfinite(int64_t statement, const char *text, double value)
{
  pthread_mutex_lock(&async.lock);
  if (!nonfinite.statement || statement < nonfinite.statement) {
    nonfinite.statement = statement;
    snprintf(nonfinite.text, sizeof nonfinite.text, "%s", text);
    nonfinite.value = value;
  }
  pthread_mutex_unlock(&async.lock);
}

sa_status sai_async_take(const char *func)
{
  sa_status st = SA_OK;
  pthread_mutex_lock(&async.lock);
  if (nonfinite.statement && async.code == SA_OK) {
    async.code = SA_ERR_NONFINITE;
    snprintf(async.op, sizeof async.op, "eval");
    double v = nonfinite.value;
    snprintf(async.message, sizeof async.message,
             "statement %lld, %s, produced %s (--sa-check-finite)",
             (long long)nonfinite.statement, nonfinite.text,
             v != v ? "NaN" : v > 0 ? "+Inf" : "-Inf");
  }
  nonfinite.statement = 0;
  sa_status code = async.code;
  char op[sizeof async.op], message[sizeof async.message];
  memcpy(op, async.op, sizeof op);
  memcpy(message, async.message, sizeof message);
  async.code = SA_OK;
  pthread_mutex_unlock(&async.lock);
  if (code != SA_OK)
    SAI_FAIL(code, "%s: a task of '%s' failed: %s", func, op, message);
done:
  return st;
}

void sai_async_reset(void)
{
  pthread_mutex_lock(&async.lock);
  async.code = SA_OK;
  nonfinite.statement = 0;
  pthread_mutex_unlock(&async.lock);
}
