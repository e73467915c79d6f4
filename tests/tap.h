/* SPDX-License-Identifier: MIT
 * A small TAP producer for the tests: each check prints "ok N - what" or "not ok". */
#ifndef SAT_TAP_H
#define SAT_TAP_H

#include <starray.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sat_count, sat_failed, sat_planned;

static inline void sat_plan(int n)
{
  sat_planned = n;
  printf("1..%d\n", n);
}

/* Records one check; returns cond so callers can add diagnostics. */
static inline int sat_ok(int cond, const char *fmt, ...) SA_PRINTF(2, 3);
static inline int sat_ok(int cond, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  printf("%s %d - ", cond ? "ok" : "not ok", ++sat_count);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (!cond) sat_failed++;
  fflush(stdout);
  return cond;
}

static inline void sat_diag(const char *text)
{
  for (const char *line = text; line && *line;) {
    const char *end = strchr(line, '\n');
    int len = end ? (int)(end - line) : (int)strlen(line);
    printf("# %.*s\n", len, line);
    line = end ? end + 1 : NULL;
  }
}

/* st must equal want and the thread's error message must contain each keyword. */
static inline int sat_status_is(sa_status st, sa_status want, const char *what,
                                const char *const *keywords)
{
  int good = st == want;
  const char *msg = sa_error_message();
  for (int k = 0; good && keywords && keywords[k]; k++) good = strstr(msg, keywords[k]) != NULL;
  if (!sat_ok(good, "%s: %s", what, sa_status_name(want))) {
    printf("# got %s (%d)\n", sa_status_name(st), (int)st);
    sat_diag(msg);
  }
  return good;
}
#define SAT_KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* What sa_finalize prints on stderr (the --sa-debug and --sa-verbose=2 reports),
 * through a file in the build tree; *st gets its status. */
static inline const char *sat_finalize_stderr(sa_status *st)
{
  static char text[8192];
  char path[] = "sat-stderr-XXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  text[0] = '\0';
  *st = SA_ERR_IO;
  if (fd < 0 || saved < 0) return text;
  fflush(stderr);
  dup2(fd, 2);
  *st = sa_finalize();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  ssize_t got = pread(fd, text, sizeof text - 1, 0);
  text[got > 0 ? got : 0] = '\0';
  close(fd);
  unlink(path);
  return text;
}

static inline void sat_skip_all(const char *reason)
{
  printf("1..0 # SKIP %s\n", reason);
  exit(0);
}

static inline int sat_done(void)
{
  if (sat_planned != sat_count) {
    printf("# planned %d checks but ran %d\n", sat_planned, sat_count);
    return 1;
  }
  return sat_failed ? 1 : 0;
}

#endif /* SAT_TAP_H */
