/* SPDX-License-Identifier: MIT
 * The options table and its parser: one static table feeds the command line,
 * the environment, sa_init_ex's text and --sa-help, so they cannot disagree. */
#include "sai.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <starpu.h>

typedef enum opt_type { OPT_BOOL, OPT_INT, OPT_STRING, OPT_CHOICE } opt_type;

typedef struct opt_spec {
  const char *name;    /* after "--sa-" */
  const char *metavar; /* how --sa-help shows the value */
  opt_type type;
  const char *deflt;   /* as printed by --sa-help */
  const char *choices; /* OPT_CHOICE: "a|b|c" */
  int min;             /* OPT_INT */
  const char *starpu;  /* the StarPU setting it maps to */
  const char *help;
  size_t offset;       /* field in sai_settings */
  sa_status (*check)(const char *value, const char *where); /* OPT_STRING, or NULL */
} opt_spec;

static sa_status check_sched(const char *value, const char *where);
static sa_status check_grid(const char *value, const char *where);

#define FIELD(f) offsetof(sai_settings, f)
static const opt_spec options[] = {
    {"help", "", OPT_BOOL, "no", NULL, 0, "-", "print this table, then continue", FIELD(help), NULL},
    {"ncpus", "N", OPT_INT, "-1 (all cores)", NULL, -1, "STARPU_NCPU",
     "number of CPU workers", FIELD(ncpus), NULL},
    {"ncuda", "N", OPT_INT, "-1 (all GPUs)", NULL, -1, "STARPU_NCUDA",
     "number of CUDA workers (0 = CPUs only)", FIELD(ncuda), NULL},
    {"sched", "NAME", OPT_STRING, "eager without CUDA workers, else lws", NULL, 0,
     "STARPU_SCHED", "StarPU scheduler: lws, eager, dmda, dmdas, ...", FIELD(sched),
     check_sched},
    {"trace", "DIR", OPT_STRING, "off", NULL, 0, "STARPU_FXT_TRACE, STARPU_FXT_PREFIX",
     "record an FxT trace (prof_file_*) into this directory", FIELD(trace), NULL},
    {"tile-size", "N", OPT_INT, "262144", NULL, 1, "-",
     "target elements per tile of a new array (arrays this small are one tile)",
     FIELD(tile_size), NULL},
    {"max-tiles", "N", OPT_INT, "65536", NULL, 1, "-",
     "most tiles one array may have (each costs ~8 KiB of runtime bookkeeping); a tiling "
     "with more is refused", FIELD(max_tiles), NULL},
    {"debug", "", OPT_BOOL, "no", NULL, 0, "-",
     "report arrays never released at sa_finalize", FIELD(debug), NULL},
    {"check-finite", "", OPT_BOOL, "no", NULL, 0, "-",
     "check each statement's output for NaN/Inf; report the first one", FIELD(check_finite),
     NULL},
    {"verbose", "N", OPT_INT, "1", NULL, 0, "STARPU_SILENT (0)",
     "0: no runtime messages, 1: warnings, 2: also the configuration at start and the "
     "expression cache's counts at sa_finalize",
     FIELD(verbose), NULL},
    {"gpu-mem", "MIB", OPT_INT, "-1 (StarPU's: 90%)", NULL, -1, "STARPU_LIMIT_CUDA_MEM",
     "memory each GPU may use for arrays, in MiB", FIELD(gpu_mem), NULL},
    {"cpu-mem", "MIB", OPT_INT, "-1 (no limit)", NULL, -1, "STARPU_LIMIT_CPU_MEM",
     "memory the CPUs may use for arrays, in MiB; past it, tiles no task needs now go to "
     "--sa-disk-swap (arrays larger than memory)", FIELD(cpu_mem), NULL},
    {"disk-swap", "DIR", OPT_STRING, "off", NULL, 0, "STARPU_DISK_SWAP, STARPU_DISK_SWAP_BACKEND",
     "directory (created) where tiles go past --sa-cpu-mem; StarPU removes its files at "
     "the end", FIELD(disk_swap), NULL},
    {"max-pending", "N", OPT_INT, "8192", NULL, 0, "STARPU_LIMIT_MAX_SUBMITTED_TASKS",
     "submitting waits while this many tasks are pending (0: never), bounding memory",
     FIELD(max_pending), NULL},
    {"mpi", "WHEN", OPT_CHOICE, "auto", "auto|off|on", 0, "starpu_mpi_init_conf",
     "spread arrays over MPI ranks (auto: when started by mpirun with 2+ ranks)",
     FIELD(mpi), NULL},
    {"mpi-dist", "HOW", OPT_CHOICE, "block", "block|cyclic", 0, "starpu_mpi_data_register",
     "tiles per rank: 2-D blocks of neighbouring tiles, or round robin",
     FIELD(mpi_dist), NULL},
    {"mpi-grid", "PxQ", OPT_STRING, "near-square", NULL, 0, "-",
     "process grid of the block distribution (P*Q = number of ranks)", FIELD(mpi_grid),
     check_grid},
    {"mpi-stats", "", OPT_BOOL, "no", NULL, 0, "STARPU_MPI_STATS",
     "count the bytes each rank sends (sa_mpi_bytes_sent; StarPU prints them at exit)",
     FIELD(mpi_stats), NULL},
    {"on-error", "WHAT", OPT_CHOICE, "print", "print|abort|silent", 0, "-",
     "what SA_CHECK does with an error", FIELD(on_error), NULL},
    {"jit", "WHEN", OPT_CHOICE, "on", "on|off|sync", 0, "-",
     "compile statements to native code (on: in the background, interpreted until "
     "ready; sync: before the first run)", FIELD(jit), NULL},
    {"jit-cache", "DIR", OPT_STRING, "${XDG_CACHE_HOME:-~/.cache}/starray/jit", NULL, 0, "-",
     "where compiled kernels are kept between runs (off: nowhere; safe to delete)",
     FIELD(jit_cache), NULL},
    {"jit-cc", "CMD", OPT_STRING, "the compiler configure found", NULL, 0, "-",
     "the C compiler (and flags) kernels are compiled with", FIELD(jit_cc), NULL},
    {"jit-dump", "DIR", OPT_STRING, "off", NULL, 0, "-",
     "also write each kernel's C and CUDA C source into this directory", FIELD(jit_dump),
     NULL},
    {"huge-pages", "WHEN", OPT_CHOICE, "on", "on|off", 0, "-",
     "put tiles of 2 MiB and more in transparent huge pages (madvise; off: 4 KiB pages)",
     FIELD(huge_pages), NULL},
    {"where", "KIND", OPT_CHOICE, "any", "any|cpu|cuda", 0, "codelet where, STARPU_NCUDA",
     "workers that run tasks: any (StarPU places them), cpu (no CUDA worker is started), "
     "cuda (every task on a GPU; sa_init fails without one)",
     FIELD(where), NULL},
    {"fuse", "WHEN", OPT_CHOICE, "on", "on|off", 0, "-",
     "run consecutive statements that write the same tile as one task per tile (off: "
     "one task per statement and tile)", FIELD(fuse), NULL},
    {"math", "HOW", OPT_CHOICE, "portable", "portable|native", 0, "-",
     "exp, log, sin, ..., ** computed by libstarray's own code, the same bits on CPU and "
     "CUDA workers (portable), or by the C library and CUDA's (native: faster for most "
     "functions, may differ by an ulp or two between worker kinds)", FIELD(math), NULL},
};
#define NOPTIONS (sizeof options / sizeof *options)

/* Scheduler names are checked while parsing, so a wrong one leaves argv alone. */
static sa_status check_sched(const char *value, const char *where)
{
  sa_status st = SA_OK;
  char valid[512] = "";
  size_t n = 0;
  for (struct starpu_sched_policy **p = starpu_sched_get_predefined_policies(); *p; p++) {
    if (!strcmp((*p)->policy_name, value)) goto done;
    n += (size_t)snprintf(valid + n, sizeof valid - n, "%s%s", n ? ", " : "",
                          (*p)->policy_name);
    if (n >= sizeof valid) n = sizeof valid - 1;
  }
  SAI_FAIL(SA_ERR_OPTION, "sa_init: --sa-sched=%s (%s): no such StarPU scheduler; valid: %s",
           value, where, valid);
done:
  return st;
}

/* "PxQ" with P, Q >= 1; the product is checked against the rank count at sa_init. */
static sa_status check_grid(const char *value, const char *where)
{
  sa_status st = SA_OK;
  int p = 0, q = 0, end = 0;
  SAI_REQUIRE(sscanf(value, "%dx%d%n", &p, &q, &end) == 2 && !value[end] && p >= 1 &&
                  q >= 1,
              SA_ERR_OPTION, "sa_init: --sa-mpi-grid=%s (%s): expected PxQ, e.g. 2x2", value,
              where);
done:
  return st;
}

static const char *type_name(opt_type t)
{
  static const char *const names[] = {"bool", "int", "string", "choice"};
  return names[t];
}

/* STARRAY_ + upper-cased name, '-' -> '_' */
static void env_name(const opt_spec *o, char *buf, size_t size)
{
  size_t n = (size_t)snprintf(buf, size, "STARRAY_");
  for (const char *c = o->name; *c && n + 1 < size; c++)
    buf[n++] = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
  buf[n] = '\0';
}

SA_API sa_status sa_options_print(FILE *stream)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(stream, SA_ERR_ARG, "sa_options_print: stream is NULL (argument 1)");
  fprintf(stream,
          "libstarray options (any position; precedence: default < sa_init_ex text <\n"
          "STARRAY_OPTIONS < STARRAY_<NAME> < command line; '--' ends them):\n");
  for (size_t k = 0; k < NOPTIONS; k++) {
    const opt_spec *o = &options[k];
    char env[64], left[64];
    env_name(o, env, sizeof env);
    snprintf(left, sizeof left, "--sa-%s%s%s", o->name, o->type == OPT_BOOL ? "" : "=",
             o->metavar);
    fprintf(stream, "  %-22s %s\n  %-22s   type %s%s%s, default %s, env %s, StarPU: %s\n",
            left, o->help, "", type_name(o->type), o->choices ? " " : "",
            o->choices ? o->choices : "", o->deflt, env, o->starpu);
  }
  SAI_REQUIRE(!ferror(stream), SA_ERR_IO, "sa_options_print: writing failed");
done:
  return st;
}

SA_API sa_status sa_options_print_values(FILE *stream)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(stream, SA_ERR_ARG, "sa_options_print_values: stream is NULL (argument 1)");
  SAI_CALL(sai_require_init("sa_options_print_values"));
  const sai_settings *v = &sai_rt.settings;
  for (size_t k = 0; k < NOPTIONS; k++) {
    const opt_spec *o = &options[k];
    const void *field = (const char *)v + o->offset;
    if (o->type == OPT_STRING)
      fprintf(stream, "  --sa-%s=%s\n", o->name, *(const char *)field ? (const char *)field : "");
    else if (o->type == OPT_CHOICE) {
      const char *c = o->choices;
      for (int i = *(const int *)field; i > 0 && c; i--) c = strchr(c, '|') + 1;
      fprintf(stream, "  --sa-%s=%.*s\n", o->name, (int)strcspn(c, "|"), c);
    } else
      fprintf(stream, "  --sa-%s=%d\n", o->name, *(const int *)field);
  }
  SAI_REQUIRE(!ferror(stream), SA_ERR_IO, "sa_options_print_values: writing failed");
done:
  return st;
}

static const opt_spec *find(const char *name, size_t len)
{
  for (size_t k = 0; k < NOPTIONS; k++)
    if (strlen(options[k].name) == len && !strncmp(options[k].name, name, len))
      return &options[k];
  return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), row[64];
  if (lb >= 63) return SIZE_MAX;
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[lb];
}

/* Nearest option name to `name` (for "did you mean"), or NULL. */
static const char *suggest(const char *name)
{
  const char *best = NULL;
  size_t best_d = 4; /* farther than 3 edits is no suggestion */
  for (size_t k = 0; k < NOPTIONS; k++) {
    size_t d = edit_distance(name, options[k].name);
    if (d < best_d) best_d = d, best = options[k].name;
  }
  return best;
}

/* Stores `value` of option o into s; `where` names its source for messages. */
static sa_status set_value(sai_settings *s, const opt_spec *o, const char *value,
                           const char *where)
{
  sa_status st = SA_OK;
  void *field = (char *)s + o->offset;
  if (o->type == OPT_BOOL) {
    int v = -1;
    if (!value || !strcmp(value, "1") || !strcmp(value, "yes") || !strcmp(value, "true"))
      v = 1;
    else if (!strcmp(value, "0") || !strcmp(value, "no") || !strcmp(value, "false"))
      v = 0;
    SAI_REQUIRE(v >= 0, SA_ERR_OPTION,
                "sa_init: --sa-%s=%s (%s): expected yes/no, true/false or 1/0", o->name,
                value, where);
    *(int *)field = v;
  } else if (o->type == OPT_INT) {
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    SAI_REQUIRE(value && *value && !*end && !errno && v >= o->min && v <= INT_MAX,
                SA_ERR_OPTION, "sa_init: --sa-%s=%s (%s): expected an integer >= %d",
                o->name, value ? value : "", where, o->min);
    *(int *)field = (int)v;
  } else if (o->type == OPT_STRING) {
    size_t cap = o->offset == FIELD(sched)      ? sizeof s->sched
                 : o->offset == FIELD(mpi_grid) ? sizeof s->mpi_grid
                 : o->offset == FIELD(jit_cache) ? sizeof s->jit_cache
                 : o->offset == FIELD(jit_cc)   ? sizeof s->jit_cc
                 : o->offset == FIELD(jit_dump) ? sizeof s->jit_dump
                                                : sizeof s->trace;
    SAI_REQUIRE(value && *value, SA_ERR_OPTION, "sa_init: --sa-%s (%s) needs a value",
                o->name, where);
    SAI_REQUIRE(strlen(value) < cap, SA_ERR_OPTION,
                "sa_init: --sa-%s (%s): value longer than %zu characters", o->name, where,
                cap - 1);
    if (o->check) SAI_CALL(o->check(value, where));
    memcpy(field, value, strlen(value) + 1);
  } else {
    int index = 0;
    const char *c = o->choices;
    size_t len = value ? strlen(value) : 0;
    /* a whole choice: "auto|off" is none of auto, off, on */
    while (value && c && (strcspn(c, "|") != len || strncmp(c, value, len))) {
      c = strchr(c, '|');
      c = c ? c + 1 : NULL;
      index++;
    }
    SAI_REQUIRE(value && *value && c, SA_ERR_OPTION,
                "sa_init: --sa-%s=%s (%s): expected one of %s", o->name, value ? value : "",
                where, o->choices);
    *(int *)field = index;
  }
done:
  return st;
}

/* One "--sa-..." argument; *used_next says whether it took argv's next word. */
static sa_status parse_one(sai_settings *s, const char *arg, const char *next,
                           int *used_next, const char *where)
{
  sa_status st = SA_OK;
  const char *name = arg + 5, *eq = strchr(name, '=');
  size_t len = eq ? (size_t)(eq - name) : strlen(name);
  const opt_spec *o = find(name, len);
  *used_next = 0;
  if (!o) {
    char unknown[64];
    snprintf(unknown, sizeof unknown, "%.*s", (int)(len < 63 ? len : 63), name);
    const char *near = suggest(unknown);
    SAI_FAIL(SA_ERR_OPTION, "sa_init: unknown option '--sa-%s' (%s)%s%s%s", unknown, where,
             near ? "; did you mean '--sa-" : "; --sa-help lists the options",
             near ? near : "", near ? "'?" : "");
  }
  const char *value = eq ? eq + 1 : NULL;
  if (!eq && o->type != OPT_BOOL && next) {
    value = next;
    *used_next = 1;
  }
  SAI_CALL(set_value(s, o, value, where));
done:
  return st;
}

/* Splits text on blanks into words ("--sa-a=1 --sa-b 2") and parses them. */
static sa_status parse_text(sai_settings *s, const char *text, const char *where)
{
  sa_status st = SA_OK;
  char *copy = text ? strdup(text) : NULL, *save = NULL;
  SAI_REQUIRE(!text || copy, SA_ERR_NOMEM, "sa_init: out of memory");
  char *word = copy ? strtok_r(copy, " \t\n", &save) : NULL;
  while (word) {
    char *next = strtok_r(NULL, " \t\n", &save);
    int used = 0;
    SAI_REQUIRE(!strncmp(word, "--sa-", 5), SA_ERR_OPTION,
                "sa_init: '%s' in %s is not a --sa- option", word, where);
    SAI_CALL(parse_one(s, word, next, &used, where));
    word = used ? strtok_r(NULL, " \t\n", &save) : next;
  }
done:
  free(copy);
  return st;
}

static sa_status parse_environment(sai_settings *s)
{
  sa_status st = SA_OK;
  SAI_CALL(parse_text(s, getenv("STARRAY_OPTIONS"), "environment STARRAY_OPTIONS"));
  for (size_t k = 0; k < NOPTIONS; k++) {
    char env[64], where[96];
    env_name(&options[k], env, sizeof env);
    const char *value = getenv(env);
    if (!value) continue;
    snprintf(where, sizeof where, "environment %s", env);
    SAI_CALL(set_value(s, &options[k], value, where));
  }
done:
  return st;
}

/* Parses argv, then removes what it used; nothing is removed on error. */
static sa_status parse_argv(sai_settings *s, int *argc, char **argv)
{
  sa_status st = SA_OK;
  char *used = calloc((size_t)*argc + 1, 1);
  SAI_REQUIRE(used, SA_ERR_NOMEM, "sa_init: out of memory");
  for (int k = 1; k < *argc && argv[k] && strcmp(argv[k], "--"); k++) {
    if (strncmp(argv[k], "--sa-", 5)) continue;
    char where[48];
    int took_next = 0;
    snprintf(where, sizeof where, "command-line argument %d", k);
    SAI_CALL(parse_one(s, argv[k], k + 1 < *argc ? argv[k + 1] : NULL, &took_next, where));
    used[k] = 1;
    if (took_next) used[++k] = 1;
  }
  int n = 0;
  for (int k = 0; k < *argc; k++)
    if (!used[k]) argv[n++] = argv[k];
  for (int k = n; k < *argc; k++) argv[k] = NULL;
  *argc = n;
done:
  free(used);
  return st;
}

sa_status sai_options_parse(sai_settings *out, int *argc, char ***argv, const char *code)
{
  sa_status st = SA_OK;
  sai_settings s = {.ncpus = -1, .ncuda = -1, .on_error = SA_ERRORS_PRINT,
                    .tile_size = 262144, .max_tiles = 65536, .verbose = 1, .gpu_mem = -1, .cpu_mem = -1,
                    .max_pending = 8192};
  SAI_REQUIRE(!argc == !argv, SA_ERR_ARG,
              "sa_init: argc and argv must both be given or both be NULL");
  SAI_REQUIRE(!argc || *argc >= 0, SA_ERR_ARG, "sa_init: *argc is %d (argument 1)",
              argc ? *argc : 0);
  SAI_REQUIRE(!argc || *argc == 0 || *argv, SA_ERR_ARG,
              "sa_init: *argv is NULL but *argc is %d", argc ? *argc : 0);
  SAI_CALL(parse_text(&s, code, "sa_init_ex options"));
  SAI_CALL(parse_environment(&s));
  if (argc) SAI_CALL(parse_argv(&s, argc, *argv));
  *out = s;
done:
  return st;
}
