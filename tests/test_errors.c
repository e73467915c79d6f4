/* SPDX-License-Identifier: MIT
 * Error reporting: status names, tracebacks through our levels and the user's
 * SA_CHECK frames, and the print / silent / callback / abort policies. */
#include "tap.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int user_line; /* the line of the SA_CHECK in inner() */

static sa_status inner(void)
{
  user_line = __LINE__ + 1;
  SA_CHECK(sa_finalize()); /* not initialized: fails */
  return SA_OK;
}

static sa_status outer(void)
{
  SA_CHECK(inner());
  return SA_OK;
}

static char seen[8192];
static int calls;
static void handler(sa_status st, const char *message, void *ctx)
{
  calls++;
  *(sa_status *)ctx = st;
  snprintf(seen, sizeof seen, "%s", message);
}

/* Runs f with stderr sent to a file; returns what was printed. */
static const char *capture_stderr(sa_status (*f)(void))
{
  static char text[8192];
  fflush(stderr);
  int saved = dup(2);
  FILE *tmp = tmpfile();
  dup2(fileno(tmp), 2);
  (void)f();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(tmp);
  size_t n = fread(text, 1, sizeof text - 1, tmp);
  text[n] = '\0';
  fclose(tmp);
  return text;
}

static int count(const char *hay, const char *needle)
{
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p++) n++;
  return n;
}

int main(void)
{
  sat_plan(17);
  sat_ok(!strcmp(sa_status_name(SA_ERR_SHAPE), "SA_ERR_SHAPE") && SA_ERR_SHAPE == 203,
         "SA_ERR_SHAPE is 203 and named");
  sat_ok(!strcmp(sa_strerror(SA_OK), "SA_OK: success") &&
             !strcmp(sa_strerror(SA_ERR_SHAPE), "SA_ERR_SHAPE: shapes do not match") &&
             !strcmp(sa_strerror(SA_ERR_NOT_INITIALIZED),
                     "SA_ERR_NOT_INITIALIZED: libstarray is not initialized (call sa_init "
                     "first)"),
         "sa_strerror gives name and meaning, as starray.h documents");
  sat_ok(!strcmp(sa_status_name((sa_status)555), "SA_ERR_UNKNOWN") &&
             !strcmp(sa_strerror((sa_status)-3), "unknown status"),
         "unknown codes are named as such, never NULL");
  sat_ok(sa_error_code() == SA_OK && !strcmp(sa_error_message(), ""), "no error yet");

  /* A message longer than the record keeps its beginning and its end (the reason). */
  static char path[40000];
  memset(path, 'd', sizeof path - 1);
  path[0] = '/';
  sa_array *none = NULL;
  sa_status lst = sa_init_ex(NULL, NULL, "--sa-ncpus=1");
  lst = lst == SA_OK ? sa_load_npy(&none, path, NULL) : lst;
  const char *lm = sa_error_message();
  sat_ok(lst == SA_ERR_IO && strstr(lm, "sa_load_npy: cannot open /ddd") &&
             strstr(lm, "characters left out") && strstr(lm, "dd: File name too long"),
         "a 40000-character path: the message keeps its start and the system's reason") ||
      (sat_diag(lm + strlen(lm) - 200), 0);
  if (sa_finalize() != SA_OK) return 1;

  /* The traceback of a library error, without SA_CHECK. */
  sa_status st = sa_finalize();
  const char *m = sa_error_message();
  sat_ok(st == SA_ERR_NOT_INITIALIZED && sa_error_code() == st, "code recorded");
  sat_ok(!strncmp(m, "starray: error SA_ERR_NOT_INITIALIZED (102): sa_finalize: ", 58),
         "first line names code, number and function") || (sat_diag(m), 0);
  sat_ok(strstr(m, "  #1 sai_require_init() at lib/runtime.c:") &&
             strstr(m, "  #2 sa_finalize() at lib/init.c:"),
         "frames give function and source-relative file:line") || (sat_diag(m), 0);

  /* SA_CHECK adds the user's frames; callback policy sees the whole text once. */
  sa_status got = SA_OK;
  sat_status_is(sa_error_set_policy(SA_ERRORS_CALLBACK, NULL, NULL), SA_ERR_ARG,
                "callback policy needs a handler", SAT_KEYS("needs a handler"));
  sat_status_is(sa_error_set_policy((sa_error_policy)9, NULL, NULL), SA_ERR_ARG,
                "unknown policy", SAT_KEYS("unknown policy 9"));
  sat_ok(sa_error_set_policy(SA_ERRORS_CALLBACK, handler, &got) == SA_OK, "set callback");
  st = outer();
  char want[128];
  snprintf(want, sizeof want, "  #3 inner() at tests/test_errors.c:%d\n", user_line);
  sat_ok(st == SA_ERR_NOT_INITIALIZED && got == st && calls == 2 && strstr(seen, want) &&
             strstr(seen, "  #4 outer() at tests/test_errors.c:"),
         "callback got the user frames #3 inner and #4 outer") || (sat_diag(seen), 0);

  /* Print policy: nested checks extend one traceback, header printed once. */
  sat_ok(sa_error_set_policy(SA_ERRORS_PRINT, NULL, NULL) == SA_OK, "set print");
  const char *out = capture_stderr(outer);
  sat_ok(count(out, "starray: error SA_ERR_NOT_INITIALIZED") == 1 && count(out, "#1 ") == 1 &&
             strstr(out, want) && count(out, "#4 outer()") == 1,
         "printed once, each frame once") || (sat_diag(out), 0);

  sat_ok(sa_error_set_policy(SA_ERRORS_SILENT, NULL, NULL) == SA_OK &&
             !strcmp(capture_stderr(outer), ""),
         "silent policy prints nothing");

  /* Abort policy: the process aborts (in a child), after printing. */
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    if (sa_error_set_policy(SA_ERRORS_ABORT, NULL, NULL) == SA_OK) (void)outer();
    _exit(0);
  }
  int wst = 0;
  waitpid(pid, &wst, 0);
  sat_ok(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGABRT, "abort policy aborts");

  /* A failing status the library never raised still gets a message. */
  sat_ok(sa_error_set_policy(SA_ERRORS_SILENT, NULL, NULL) == SA_OK &&
             sa_error_check(SA_ERR_IO, "app.c", 7, "main") == SA_ERR_IO &&
             strstr(sa_error_message(), "SA_ERR_IO (107)") &&
             strstr(sa_error_message(), "#1 main() at app.c:7"),
         "user-made status reported with its frame") || (sat_diag(sa_error_message()), 0);
  return sat_done();
}
