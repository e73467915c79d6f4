/* SPDX-License-Identifier: MIT
 * A tiny interpreter over libstarray's public API, so Python tests can drive it
 * and compare with NumPy. One command per line of the script file:
 *   tile T0 [T1 ..]          tile shape for following loads (0 = automatic)
 *   load NAME FILE.npy       sa_load_npy
 *   num NAME VALUE | int NAME VALUE        bind a C double / int64 scalar
 *   view NAME SRC INDEX...   sa_view (INDEX is the rest of the line)
 *   new NAME EXPR...         sa_eval_new
 *   call NAME FUNC A [B [C]] sa_FUNC(&NAME, A, ...): a function of SA_FUNCTIONS or
 *                            an operator's function (sa_add, sa_negative, ...)
 *   eval NAME INDEX|- EXPR...  sa_eval into an existing array ('-': all of it)
 *   copy NAME SRC | astype NAME SRC DTYPE  | release NAME
 *   save NAME FILE.npy       sa_save_npy
 *   reduce FILE OP EXPR...   sa_reduce; appends "VALUE DTYPE" (%.17g) to FILE
 *   matmul NAME A B          sa_matmul
 *   sync                     sa_sync
 *   exit CODE                exit() at once, without sa_finalize
 *   axis NAME OP SRC AXIS KEEPDIMS   sa_reduce_axis
 *   norm FILE SRC | dot FILE A B     sa_norm, sa_dot; append "VALUE DTYPE" to FILE
 *   stat FILE OP SRC [DDOF]  sa_var, sa_std (OP var, std) or sa_count_nonzero; appends
 *                            "VALUE DTYPE" to FILE
 *   item FILE SRC I [J ..]   sa_item (sa_item_int for bool and integers); appends
 *                            "VALUE DTYPE" to FILE
 *   like NAME SRC zeros|ones|full [VALUE]   sa_zeros_like, sa_ones_like, sa_full_like
 *   axes NAME OP SRC [N ..]  a view: OP transpose [AXES..] | swapaxes A B | moveaxis S D |
 *                            flip AXIS | squeeze | expand_dims AXIS
 *   bcast NAME SRC D0 [D1 ..] sa_broadcast_to
 *   scan NAME cumsum|cumprod SRC AXIS   sa_cumsum, sa_cumprod
 *   sort NAME sort|argsort SRC            sa_sort, sa_argsort
 *   reshape NAME SRC D0 [D1 ..]            sa_reshape
 *   join NAME OP AXIS SRC..  sa_concatenate / sa_stack (OP concatenate, stack)
 *   repr FILE SRC            sa_array_repr (asked for its length first, then into a
 *                            buffer of that size); appends the text and a line "@@"
 *   print FILE SRC           sa_array_print to FILE (appended), then a line "@@"
 *   frombuf NAME DTYPE FILE D0 [D1 ..]  sa_from_buffer of FILE's raw bytes (every rank)
 *   tobuf NAME FILE          sa_to_buffer; each rank writes the raw bytes to FILE.RANK
 *   sent FILE                sa_mpi_bytes_sent after sa_sync; each rank appends
 *                            "RANK BYTES" to FILE.RANK
 *   evalred FILE NAME INDEX|- EXPR ; OP REXPR [; OP REXPR ..]   sa_eval_reduce; appends
 *                            "VALUE DTYPE" per reduction to FILE (rank 0)
 *   future NAME OP EXPR...   sa_reduce, bound as NAME (SA_FUT) without waiting
 *   onrank R COMMAND...      COMMAND on MPI rank R only (to test mismatched calls)
 *   random NAME KIND DTYPE SEED STREAM P1 P2 D0 [D1 ..]   sa_random_KIND (uniform,
 *                            normal: P1 P2 mean std, integers: P1 P2 low high; uniform
 *                            ignores them) of the shape D0 x D1 ..., with the tile shape
 *   expect CODE              the next command must fail with this sa_status (its
 *                            message is printed: "expected: starray: error ...")
 * Under MPI every rank runs the script; only rank 0 appends to result files.
 * Prints one line per failed expectation; exit status 0 if all went as said. */
#include <starray.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXV 64
static sa_arg binds[MAXV + 1];
static char names[MAXV][32];
static int nbinds;
static int rank; /* MPI rank, 0 without MPI */

static sa_arg *lookup(const char *name)
{
  for (int k = 0; k < nbinds; k++)
    if (!strcmp(names[k], name)) return &binds[k];
  if (nbinds == MAXV) return NULL;
  snprintf(names[nbinds], sizeof names[0], "%s", name);
  binds[nbinds].name = names[nbinds];
  return &binds[nbinds++];
}

static void set_array(const char *name, sa_array *a)
{
  sa_arg *b = lookup(name);
  if (!b) return;
  if (b->kind == 1) {
    sa_array *old = (sa_array *)b->array;
    if (sa_array_release(&old) != SA_OK) fprintf(stderr, "release failed\n");
  }
  b->kind = 1;
  b->array = a;
}

static sa_array *get_array(const char *name)
{
  sa_arg *b = lookup(name);
  return b && b->kind == 1 ? (sa_array *)b->array : NULL;
}

static sa_dtype dtype_of(const char *s)
{
  for (int d = 0; d < SA_NDTYPES; d++)
    if (!strcmp(sa_dtype_name((sa_dtype)d), s)) return (sa_dtype)d;
  return (sa_dtype)-1;
}

/* f's value and dtype, appended to file as "VALUE DTYPE" (by rank 0 only). */
static sa_status append_value(const char *file, sa_future *f)
{
  double v = 0;
  sa_dtype dt = SA_F64;
  sa_status st = sa_future_get(f, &v);
  if (st == SA_OK) st = sa_future_dtype(f, &dt);
  FILE *res = st == SA_OK && rank == 0 ? fopen(file, "a") : NULL;
  if (res) fprintf(res, "%.17g %s\n", v, sa_dtype_name(dt)), fclose(res);
  return st;
}

/* sa_<func>(out, a, b, c) for the C functions of starray.h's tables. */
static sa_status call(sa_array **out, const char *func, sa_array *a, sa_array *b,
                      sa_array *c)
{
  (void)b, (void)c;
#define ARGS_1 a
#define ARGS_2 a, b
#define ARGS_3 a, b, c
#define CALL_FUNCTION(P, name, nargs, result, how)                                   \
  if (!strcmp(func, #name)) return sa_##name(out, ARGS_##nargs);
#define CALL_BINARY(name, text) if (!strcmp(func, #name)) return sa_##name(out, a, b);
#define CALL_UNARY(name, text) if (!strcmp(func, #name)) return sa_##name(out, a);
  SA_FUNCTIONS(CALL_FUNCTION, )
  SA_BINARY_OPS(CALL_BINARY)
  SA_UNARY_OPS(CALL_UNARY)
  fprintf(stderr, "sa_script: no function sa_%s\n", func);
  return SA_ERR_ARG;
}

static sa_status run_line(char *line, sa_array_opts *opts)
{
  char *cmd = strtok(line, " \t\n");
  if (!cmd || cmd[0] == '#') return SA_OK;
  char *a1 = strtok(NULL, " \t\n");
  char *rest = strtok(NULL, "\n");
  sa_array *out = NULL;
  sa_status st = SA_OK;
  if (!strcmp(cmd, "onrank")) {
    if (!a1 || !rest || atoi(a1) != rank) return SA_OK;
    return run_line(rest, opts);
  } else if (!strcmp(cmd, "tile")) {
    memset(opts, 0, sizeof *opts);
    opts->tile[0] = a1 ? atoll(a1) : 0;
    for (int d = 1; rest && d < SA_MAX_NDIM; d++) {
      opts->tile[d] = strtoll(rest, &rest, 10);
    }
  } else if (!strcmp(cmd, "load")) {
    st = sa_load_npy(&out, rest, opts);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "num")) {
    sa_arg *b = lookup(a1);
    b->kind = 2;
    b->num = strtod(rest, NULL);
  } else if (!strcmp(cmd, "int")) {
    sa_arg *b = lookup(a1);
    b->kind = 3;
    b->inum = strtoll(rest, NULL, 10);
  } else if (!strcmp(cmd, "view")) {
    char *src = strtok(rest, " \t");
    char *index = strtok(NULL, "\n");
    st = sa_view(&out, get_array(src), index ? index : "");
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "new")) {
    binds[nbinds] = SA_END;
    st = sa_eval_new(&out, rest, binds);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "call")) {
    char *func = strtok(rest, " \t");
    char *x = strtok(NULL, " \t\n"), *y = strtok(NULL, " \t\n"), *z = strtok(NULL, " \t\n");
    st = call(&out, func ? func : "", x ? get_array(x) : NULL, y ? get_array(y) : NULL,
              z ? get_array(z) : NULL);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "eval")) {
    char *index = strtok(rest, " \t");
    char *expr = strtok(NULL, "\n");
    binds[nbinds] = SA_END;
    st = sa_eval(get_array(a1), strcmp(index, "-") ? index : NULL, expr, binds);
  } else if (!strcmp(cmd, "copy")) {
    st = sa_copy(&out, get_array(rest));
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "astype")) {
    char *src = strtok(rest, " \t");
    char *dt = strtok(NULL, " \t\n");
    st = sa_astype(&out, get_array(src), dtype_of(dt));
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "release")) {
    sa_arg *b = lookup(a1);
    sa_array *a = (sa_array *)b->array;
    st = sa_array_release(&a);
    b->kind = 2; /* no longer an array */
  } else if (!strcmp(cmd, "axis")) {
    char *op = strtok(rest, " \t");
    char *src = strtok(NULL, " \t");
    char *ax = strtok(NULL, " \t");
    char *keep = strtok(NULL, " \t\n");
    st = sa_reduce_axis(&out, op, get_array(src), ax ? atoi(ax) : 0, keep ? atoi(keep) : 0);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "sync")) {
    st = sa_sync();
  } else if (!strcmp(cmd, "exit")) { /* leave at once, without sa_finalize */
    exit(a1 ? atoi(a1) : 0);
  } else if (!strcmp(cmd, "matmul")) {
    char *x = strtok(rest, " \t");
    char *y = strtok(NULL, " \t\n");
    st = sa_matmul(&out, get_array(x), y ? get_array(y) : NULL);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "reduce") || !strcmp(cmd, "norm") || !strcmp(cmd, "dot")) {
    char *op = strtok(rest, " \t");
    char *expr = strtok(NULL, "\n");
    sa_future *f = NULL;
    binds[nbinds] = SA_END;
    if (cmd[0] == 'n') st = sa_norm(&f, get_array(op));
    else if (cmd[0] == 'd') st = sa_dot(&f, get_array(op), get_array(expr));
    else st = sa_reduce(&f, op, expr, binds);
    if (st == SA_OK) st = append_value(a1, f);
    if (sa_future_release(&f) != SA_OK && st == SA_OK) st = SA_ERR_INTERNAL;
  } else if (!strcmp(cmd, "stat")) {
    char *op = strtok(rest, " \t"), *src = strtok(NULL, " \t\n"), *ddof = strtok(NULL, " \t\n");
    sa_future *f = NULL;
    sa_array *a = src ? get_array(src) : NULL;
    int64_t dd = ddof ? strtoll(ddof, NULL, 10) : 0;
    if (!op) st = SA_ERR_ARG;
    else if (!strcmp(op, "var")) st = sa_var(&f, a, dd);
    else if (!strcmp(op, "std")) st = sa_std(&f, a, dd);
    else st = sa_count_nonzero(&f, a);
    if (st == SA_OK) st = append_value(a1, f);
    if (sa_future_release(&f) != SA_OK && st == SA_OK) st = SA_ERR_INTERNAL;
  } else if (!strcmp(cmd, "item")) {
    char *src = strtok(rest, " \t\n"), *tok;
    int64_t index[8];
    int n = 0;
    while (n < 8 && (tok = strtok(NULL, " \t\n"))) index[n++] = strtoll(tok, NULL, 10);
    sa_array *a = src ? get_array(src) : NULL;
    sa_dtype dt = SA_F64;
    if (a && sa_array_dtype(a, &dt) != SA_OK) dt = SA_F64;
    FILE *res = NULL;
    if (dt == SA_F32 || dt == SA_F64) {
      double v = 0;
      st = sa_item(&v, a, n ? index : NULL);
      if (st == SA_OK && rank == 0 && (res = fopen(a1, "a")))
        fprintf(res, "%.17g %s\n", v, sa_dtype_name(dt)), fclose(res);
    } else {
      int64_t v = 0;
      st = sa_item_int(&v, a, n ? index : NULL);
      if (st == SA_OK && rank == 0 && (res = fopen(a1, "a")))
        fprintf(res, "%lld %s\n", (long long)v, sa_dtype_name(dt)), fclose(res);
    }
  } else if (!strcmp(cmd, "repr") || !strcmp(cmd, "print")) {
    sa_array *a = rest ? get_array(strtok(rest, " \t\n")) : NULL;
    FILE *res = fopen(rank == 0 || cmd[0] != 'p' ? a1 : "/dev/null", "a"); /* all print */
    if (!res) {
      st = SA_ERR_IO;
    } else if (cmd[0] == 'p') {
      st = sa_array_print(res, a);
    } else {
      size_t len = 0;
      st = sa_array_repr(NULL, 0, &len, a);
      char *buf = st == SA_OK ? malloc(len + 1) : NULL;
      size_t again = 0;
      if (buf) st = sa_array_repr(buf, len + 1, &again, a);
      if (st == SA_OK && (!buf || again != len || strlen(buf) != len)) st = SA_ERR_INTERNAL;
      if (st == SA_OK && rank == 0) fprintf(res, "%s\n", buf);
      free(buf);
    }
    if (res) {
      if (rank == 0) fprintf(res, "@@\n");
      fclose(res);
    }
  } else if (!strcmp(cmd, "axes")) {
    char *op = strtok(rest, " \t"), *src = strtok(NULL, " \t\n"), *tok;
    int v[SA_MAX_NDIM + 1], n = 0;
    while (n <= SA_MAX_NDIM && (tok = strtok(NULL, " \t\n"))) v[n++] = atoi(tok);
    sa_array *a = src ? get_array(src) : NULL;
    if (!op) st = SA_ERR_ARG;
    else if (!strcmp(op, "transpose")) st = sa_transpose(&out, a, n ? v : NULL);
    else if (!strcmp(op, "swapaxes")) st = sa_swapaxes(&out, a, v[0], v[1]);
    else if (!strcmp(op, "moveaxis")) st = sa_moveaxis(&out, a, v[0], v[1]);
    else if (!strcmp(op, "flip")) st = sa_flip(&out, a, v[0]);
    else if (!strcmp(op, "expand_dims")) st = sa_expand_dims(&out, a, v[0]);
    else st = sa_squeeze(&out, a);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "sort")) {
    char *op = strtok(rest, " \t"), *src = strtok(NULL, " \t\n");
    sa_array *a = src ? get_array(src) : NULL;
    st = op && !strcmp(op, "argsort") ? sa_argsort(&out, a) : sa_sort(&out, a);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "scan")) {
    char *op = strtok(rest, " \t"), *src = strtok(NULL, " \t\n"), *ax = strtok(NULL, " \t\n");
    sa_array *a = src ? get_array(src) : NULL;
    int axis = ax ? atoi(ax) : 0;
    st = op && !strcmp(op, "cumprod") ? sa_cumprod(&out, a, axis) : sa_cumsum(&out, a, axis);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "bcast") || !strcmp(cmd, "reshape")) {
    char *src = strtok(rest, " \t\n"), *tok;
    int64_t shape[SA_MAX_NDIM + 1];
    int n = 0;
    while (n <= SA_MAX_NDIM && (tok = strtok(NULL, " \t\n"))) shape[n++] = strtoll(tok, NULL, 10);
    if (cmd[0] == 'b') st = sa_broadcast_to(&out, src ? get_array(src) : NULL, n, shape);
    else st = sa_reshape(&out, src ? get_array(src) : NULL, n, shape);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "join")) {
    char *op = strtok(rest, " \t"), *ax = strtok(NULL, " \t\n"), *tok;
    const sa_array *list[16];
    int n = 0;
    while (n < 16 && (tok = strtok(NULL, " \t\n"))) list[n++] = get_array(tok);
    int axis = ax ? atoi(ax) : 0;
    if (op && !strcmp(op, "stack")) st = sa_stack(&out, n, list, axis);
    else st = sa_concatenate(&out, n, list, axis);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "like")) {
    char *src = strtok(rest, " \t"), *kind = strtok(NULL, " \t\n"), *v = strtok(NULL, " \t\n");
    sa_array *a = src ? get_array(src) : NULL;
    if (kind && !strcmp(kind, "zeros")) st = sa_zeros_like(&out, a);
    else if (kind && !strcmp(kind, "ones")) st = sa_ones_like(&out, a);
    else st = sa_full_like(&out, a, v ? strtod(v, NULL) : 0);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "frombuf")) {
    char *dt = strtok(rest, " \t");
    char *file = strtok(NULL, " \t");
    int64_t shape[SA_MAX_NDIM];
    int nd = 0;
    for (char *d; nd < SA_MAX_NDIM && (d = strtok(NULL, " \t\n"));) shape[nd++] = atoll(d);
    static char data[1 << 20];
    FILE *in = file ? fopen(file, "rb") : NULL;
    size_t got = in ? fread(data, 1, sizeof data, in) : 0;
    if (in) fclose(in);
    (void)got;
    st = sa_from_buffer(&out, dtype_of(dt), nd, shape, data, opts);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "tobuf")) {
    sa_array *a = get_array(a1);
    int64_t n = 0;
    sa_dtype dt = SA_F64;
    st = sa_array_size(a, &n);
    if (st == SA_OK) st = sa_array_dtype(a, &dt);
    size_t bytes = (size_t)n * sa_dtype_size(dt);
    char *buf = malloc(bytes ? bytes : 1);
    if (st == SA_OK) st = buf ? sa_to_buffer(buf, bytes, a) : SA_ERR_NOMEM;
    char path[4200];
    snprintf(path, sizeof path, "%s.%d", rest, rank);
    FILE *res = st == SA_OK ? fopen(path, "wb") : NULL;
    if (res) fwrite(buf, 1, bytes, res), fclose(res);
    free(buf);
  } else if (!strcmp(cmd, "sent")) {
    int64_t bytes = 0;
    st = sa_sync();
    if (st == SA_OK) st = sa_mpi_bytes_sent(&bytes);
    char path[4200];
    snprintf(path, sizeof path, "%s.%d", a1, rank);
    FILE *res = st == SA_OK ? fopen(path, "a") : NULL;
    if (res) fprintf(res, "%d %lld\n", rank, (long long)bytes), fclose(res);
  } else if (!strcmp(cmd, "evalred")) {
    char *name = strtok(rest, " \t");
    char *index = strtok(NULL, " \t");
    char *parts[1 + 2 * 8] = {NULL}, *ops[8], *exprs[8];
    int np = 0, n = 0;
    for (char *q = strtok(NULL, ";"); q && np < 1 + 2 * 8; q = strtok(NULL, ";")) parts[np++] = q;
    for (int k = 1; k < np; k++) { /* " OP REXPR" */
      while (*parts[k] == ' ') parts[k]++;
      char *sp = strchr(parts[k], ' ');
      if (!sp) continue;
      *sp = '\0';
      ops[n] = parts[k];
      exprs[n++] = sp + 1;
    }
    sa_future *f[8] = {NULL};
    binds[nbinds] = SA_END;
    st = sa_eval_reduce(get_array(name), strcmp(index, "-") ? index : NULL, parts[0], binds, n,
                        (const char *const *)ops, (const char *const *)exprs, f);
    for (int k = 0; k < n && st == SA_OK; k++) st = append_value(a1, f[k]);
    for (int k = 0; k < n; k++)
      if (sa_future_release(&f[k]) != SA_OK && st == SA_OK) st = SA_ERR_INTERNAL;
  } else if (!strcmp(cmd, "future")) {
    char *op = strtok(rest, " \t");
    char *expr = strtok(NULL, "\n");
    sa_future *f = NULL;
    binds[nbinds] = SA_END;
    st = sa_reduce(&f, op, expr, binds);
    if (st == SA_OK) {
      sa_arg *b = lookup(a1);
      b->kind = 4;
      b->future = f; /* released at exit */
    }
  } else if (!strcmp(cmd, "random")) {
    char *kind = strtok(rest, " \t"), *dt = strtok(NULL, " \t");
    char *seed = strtok(NULL, " \t"), *stream = strtok(NULL, " \t");
    char *p1 = strtok(NULL, " \t"), *p2 = strtok(NULL, " \t");
    int64_t shape[SA_MAX_NDIM];
    int nd = 0;
    for (char *d; nd < SA_MAX_NDIM && (d = strtok(NULL, " \t\n"));) shape[nd++] = atoll(d);
    if (!kind || !dt || !seed || !stream || !p1 || !p2) return SA_ERR_ARG;
    uint64_t s = strtoull(seed, NULL, 0), t = strtoull(stream, NULL, 0);
    if (!strcmp(kind, "uniform"))
      st = sa_random_uniform(&out, dtype_of(dt), nd, shape, s, t, opts);
    else if (!strcmp(kind, "normal"))
      st = sa_random_normal(&out, dtype_of(dt), nd, shape, strtod(p1, NULL), strtod(p2, NULL),
                            s, t, opts);
    else
      st = sa_random_integers(&out, dtype_of(dt), nd, shape, strtoll(p1, NULL, 0),
                              strtoll(p2, NULL, 0), s, t, opts);
    if (st == SA_OK) set_array(a1, out);
  } else if (!strcmp(cmd, "save")) {
    st = sa_save_npy(rest, get_array(a1));
  } else {
    fprintf(stderr, "sa_script: unknown command '%s'\n", cmd);
    return SA_ERR_ARG;
  }
  return st;
}

int main(int argc, char **argv)
{
  if (sa_init(&argc, &argv) != SA_OK) {
    fputs(sa_error_message(), stderr);
    return 2;
  }
  if (sa_error_set_policy(SA_ERRORS_SILENT, NULL, NULL) != SA_OK) return 2;
  sa_config cfg;
  if (sa_config_query(&cfg) != SA_OK) return 2;
  rank = cfg.mpi_rank;
  FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  char line[4096];
  int lineno = 0, bad = 0, expect = 0;
  sa_array_opts opts = {.tile = {0}};
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (!strncmp(line, "expect ", 7)) {
      expect = atoi(line + 7);
      continue;
    }
    sa_status st = run_line(line, &opts);
    if ((int)st != expect) {
      printf("line %d: status %s (%d), expected %d\n%s", lineno, sa_status_name(st), (int)st,
             expect, sa_error_message());
      bad++;
    } else if (expect) {
      printf("expected: %s", sa_error_message()); /* tests may check its words */
    }
    expect = 0;
  }
  if (f != stdin) fclose(f);
  for (int k = 0; k < nbinds; k++)
    if (binds[k].kind == 1) {
      sa_array *a = (sa_array *)binds[k].array;
      if (sa_array_release(&a) != SA_OK) bad++;
    } else if (binds[k].kind == 4) {
      sa_future *fu = (sa_future *)binds[k].future;
      if (sa_future_release(&fu) != SA_OK) bad++;
    }
  if (sa_finalize() != SA_OK) {
    fputs(sa_error_message(), stdout);
    bad++;
  }
  return bad ? 1 : 0;
}
