/* SPDX-License-Identifier: MIT
 * Reductions as futures: per-tile partials of a (possibly fused) expression, one
 * combine task in tile order, and a future that only sa_future_get waits for. */
#include "plan.h"
#include "reduce.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {NULL,  "sum", "prod",   "min",   "max",
                                       "all", "any", "argmin", "argmax"};
#define SAI_RED_LAST SAI_RED_ARGMAX

/* Combine tasks join at most this many states each (a task with thousands of
 * buffers crashed StarPU). */

/* One combine task: parts[0..n) (of a reduction over total elements) joined into
 * out (a state, or with a->final the value). Under MPI only the ranks that run it
 * (out's owner) or own one of the parts submit it, and register what it touches. */
static sa_status combine_task(sai_part *out, sai_part *parts, int n, int64_t total,
                              const sai_combine_args *a, const char *func)
{
  sa_status st = SA_OK;
  struct starpu_data_descr descr[SAI_RED_COMBINE_FANIN + 1];
  int here = !sai_rt.mpi || out->owner == sai_rt.rank;
  for (int k = 0; k < n; k++) here |= parts[k].owner == sai_rt.rank;
  if (!here) goto done;
  sai_combine_args *ca = malloc(sizeof *ca);
  SAI_REQUIRE(ca, SA_ERR_NOMEM, "%s: out of memory", func);
  *ca = *a;
  descr[0] = (struct starpu_data_descr){sai_part_handle(out, total), STARPU_W};
  for (int k = 0; k < n; k++)
    descr[k + 1] = (struct starpu_data_descr){sai_part_handle(&parts[k], total), STARPU_R};
  int ret = sai_task_insert(&sai_reduce_combine_cl, descr, n + 1, ca, sizeof *ca,
                            "reduce_combine");
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", func, ret);
done:
  return st;
}

static void drop_parts(sai_part *parts, int n)
{
  for (int j = 0; j < n; j++)
    if (parts[j].h) starpu_data_unregister_submit(parts[j].h);
  free(parts);
}

/* fu's value: red's states (n elements in all, in flat order) joined by a tree of
 * combine tasks, at most SAI_RED_COMBINE_FANIN a task, each on the rank owning its
 * first state (the tree, and so the bits, do not depend on the rank count), the last
 * one on rank 0 finishing the value (a mean, a norm, float32) in the future's handle;
 * then it is sent to every rank. */
static sa_status submit_combine(sai_future *fu, sai_reduce_plan *red, int f, int finish,
                                int64_t ddof, sa_dtype dtype, int64_t n, const char *func)
{
  sa_status st = SA_OK;
  sai_combine_args a = {.op = red->op, .f = f, .finish = finish, .round32 = dtype == SA_F32,
                        .n = n, .ddof = ddof};
  sai_part *level = red->parts, *next = NULL;
  int m = red->nparts;
  int64_t items[3] = {red->serial, red->index, m};
  sai_dist_local_begin("combine", items, 3);
  for (int depth = 1; m > SAI_RED_COMBINE_FANIN; depth++) { /* up to 64 states each */
    int groups = (m + SAI_RED_COMBINE_FANIN - 1) / SAI_RED_COMBINE_FANIN;
    next = calloc((size_t)groups, sizeof *next);
    SAI_REQUIRE(next, SA_ERR_NOMEM, "%s: out of memory", func);
    for (int g = 0; g < groups; g++) {
      int from = g * SAI_RED_COMBINE_FANIN, k = m - from < SAI_RED_COMBINE_FANIN ? m - from
                                                                        : SAI_RED_COMBINE_FANIN;
      next[g] = (sai_part){.tag = sai_dist_combine_tag(red->serial, red->index, depth, g),
                           .begin = level[from].begin, .end = level[from + k - 1].end,
                           .owner = level[from].owner};
      st = combine_task(&next[g], level + from, k, n, &a, func);
      if (st != SA_OK) { /* the ones made so far go once their tasks are done */
        drop_parts(next, g + 1);
        next = NULL;
        sai_error_push(st, __FILE__, __LINE__, __func__);
        goto done;
      }
    }
    if (level != red->parts) drop_parts(level, m);
    level = next;
    next = NULL;
    m = groups;
  }
  sai_part final = {.tag = sai_dist_next_tag(), .owner = 0};
  starpu_vector_data_register(&final.h, -1, 0, 1, sizeof(sai_partial));
  sai_dist_register_tag(final.h, final.tag, 0);
  sai_future_adopt(fu, final.h);
  a.final = 1;
  SAI_CALL(combine_task(&final, level, m, n, &a, func));
  SAI_CALL(sai_future_watch(fu, func));
done:
  if (level != red->parts) drop_parts(level, m);
  sai_dist_local_end();
  return st;
}

/* *out: the reduction op (finish: SAI_RED_FINISH_*, var and std with ddof) of
 * expression text. */
static sa_status reduce(sai_future **out, int op, int finish, int64_t ddof, const char *text,
                        const sa_arg *args, const char *func)
{
  sa_status st = SA_OK;
  int mean = finish == SAI_RED_FINISH_MEAN;
  sai_expr *ex = calloc(1, sizeof *ex);
  sai_future *fu = NULL;
  sai_array *tmp = NULL;
  sai_reduce_plan red = {.op = op, .cl = &sai_reduce_tile_cl};
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_CALL(sai_require_init(func));
  SAI_CALL(sai_expr_compile(ex, text, args, func));
  int nd;
  int64_t shape[SA_MAX_NDIM], n = 1;
  SAI_CALL(sai_broadcast(ex, &nd, shape, func, text));
  for (int d = 0; d < nd; d++) n *= shape[d];
  const sai_array *driver = sai_full_operand(ex, nd, shape);
  if (!driver) { /* e.g. (n,1) * (1,m): evaluate, then reduce the array */
    sai_eval_req r = {.func = func, .text = text, .args = args, .made = &tmp};
    SAI_CALL(sai_eval(&r));
    SAI_CALL(reduce(out, op, finish, ddof, "t", SA_ARGS(SAI_ARR("t", tmp)), func));
    goto done;
  }
  SAI_REQUIRE(n > 0 || op == SAI_RED_SUM || op == SAI_RED_PROD ||
                  op == SAI_RED_ALL || op == SAI_RED_ANY,
              SA_ERR_ARG, "%s: zero-size array to reduction operation %s, which has no "
              "identity (\"%s\")", func, mean ? "mean" : op_names[op], text);
  sa_dtype dtype = sai_expr_reduction(ex, op, mean);
  int f = ex->prog.result_kind_f;
  SAI_CALL(sai_future_new(&fu, dtype, op, f, func));
  char what[96];
  if (sai_describe_tasks())
    snprintf(what, sizeof what, "%s(%s)", mean ? "mean" : op_names[op], text);
  sai_submit s = {.func = func, .name = op_names[op], .mode = SAI_SUBMIT_REDUCE,
                  .out = driver, .ex = ex, .dtype = dtype, .op = op, .red = &red,
                  .text = sai_describe_tasks() ? what : NULL};
  SAI_CALL(sai_submit_tiles(&s));
  SAI_CALL(submit_combine(fu, &red, f, finish, ddof, dtype, sai_array_size(driver), func));
  *out = fu;
  fu = NULL;
done:
  sai_reduce_plan_drop(&red);
  sai_future_drop(fu);
  sai_expr_free(ex);
  sai_release(&tmp);
  return st;
}

/* The reduction named op among the first `last` names (or "mean", a sum divided). */
static sa_status parse_op(const char *op, int last, int *k, int *mean, const char *func)
{
  sa_status st = SA_OK;
  char valid[128] = "mean";
  SAI_REQUIRE(op, SA_ERR_ARG, "%s: op is NULL (argument 2)", func);
  *mean = !strcmp(op, "mean");
  for (*k = 1; *k <= last && strcmp(op, op_names[*k]); (*k)++) {}
  for (int j = 1; j <= last; j++)
    snprintf(valid + strlen(valid), sizeof valid - strlen(valid), ", %s", op_names[j]);
  SAI_REQUIRE(*k <= last || *mean, SA_ERR_ARG,
              "%s: unknown reduction '%s' (argument 2); use %s", func, op, valid);
  if (*mean) *k = SAI_RED_SUM;
done:
  return st;
}

/* *out: the user's handle of the reduction op (finish) of text. */
static sa_status reduce_out(sa_future **out, int op, int finish, const char *text,
                            const sa_arg *args, const char *func)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_CALL(reduce(&fu, op, finish, 0, text, args, func));
  *out = sai_future_handle(fu);
done:
  return st;
}

SA_API sa_status sa_reduce(sa_future **out, const char *op, const char *expr,
                           const sa_arg *args)
{
  sa_status st = SA_OK;
  int k = 1;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_reduce: out is NULL (argument 1)");
  *out = NULL;
  int mean;
  SAI_CALL(parse_op(op, SAI_RED_LAST, &k, &mean, "sa_reduce"));
  SAI_REQUIRE(expr, SA_ERR_ARG, "sa_reduce: expression is NULL (argument 3)");
  SAI_CALL(reduce_out(out, k, mean, expr, args, "sa_reduce"));
done:
  return st;
}

/* sa_eval_reduce's reductions, compiled over args and "_" (result): ex[k], its kind
 * f[k] and finish[k], an empty future and plan each. */
typedef struct extras {
  int n, kinds[SAI_EW_MAX_EXTRA], f[SAI_EW_MAX_EXTRA], finish[SAI_EW_MAX_EXTRA];
  int64_t count; /* elements each reduces */
  sa_dtype dtype[SAI_EW_MAX_EXTRA];
  sai_expr *ex[SAI_EW_MAX_EXTRA];
  sai_future *fu[SAI_EW_MAX_EXTRA];
  sai_reduce_plan plans[SAI_EW_MAX_EXTRA];
} extras;

static sa_status compile_extras(extras *e, const char *const *ops, const char *const *exprs,
                                const sa_arg *args, const sai_array *result)
{
  sa_status st = SA_OK;
  const char *func = "sa_eval_reduce";
  int nargs = 0;
  while (args && args[nargs].kind) nargs++;
  sa_arg *more = malloc((size_t)(nargs + 2) * sizeof *more);
  SAI_REQUIRE(more, SA_ERR_NOMEM, "%s: out of memory", func);
  for (int k = 0; k < nargs; k++) more[k] = args[k];
  more[nargs] = SAI_ARR("_", result);
  more[nargs + 1] = SA_END;
  for (int k = 0; k < e->n; k++) {
    int mean;
    SAI_REQUIRE(ops[k] && exprs[k], SA_ERR_ARG, "%s: ops[%d] or exprs[%d] is NULL", func, k,
                k);
    SAI_CALL(parse_op(ops[k], SAI_RED_LAST, &e->kinds[k], &mean, func));
    SAI_REQUIRE(e->kinds[k] < SAI_RED_ARGMIN, SA_ERR_NOT_SUPPORTED,
                "%s: %s cannot be computed with a statement; use sa_reduce", func, ops[k]);
    e->ex[k] = calloc(1, sizeof *e->ex[k]);
    SAI_REQUIRE(e->ex[k], SA_ERR_NOMEM, "%s: out of memory", func);
    SAI_CALL(sai_expr_compile(e->ex[k], exprs[k], more, func));
    sa_dtype dtype = e->dtype[k] = sai_expr_reduction(e->ex[k], e->kinds[k], mean);
    e->f[k] = e->ex[k]->prog.result_kind_f;
    e->finish[k] = mean ? SAI_RED_FINISH_MEAN : SAI_RED_FINISH_NONE;
    SAI_CALL(sai_future_new(&e->fu[k], dtype, e->kinds[k], e->f[k], func));
    e->plans[k] = (sai_reduce_plan){.op = e->kinds[k]};
  }
done:
  free(more);
  return st;
}

/* text with every name "_" (a whole word) replaced by "(expr)"; malloc'ed. */
static char *substitute_result(const char *text, const char *expr)
{
  size_t n = 0, len = strlen(expr) + 2;
  for (const char *p = text; *p; p++) n += *p == '_' ? len : 1;
  char *out = malloc(n + 1), *o = out;
  for (const char *p = text; out && *p; p++) {
    int word = *p == '_' && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
               !(isalnum((unsigned char)p[1]) || p[1] == '_');
    if (word) o += sprintf(o, "(%s)", expr);
    else *o++ = *p;
  }
  if (out) *o = '\0';
  return out;
}

/* Tiles that are not runs of flat indices (2-D tiles of a matrix, say), or a
 * statement broadcast into a larger output: each reduction becomes its own
 * sa_reduce of its text, "_" replaced by the statement, submitted before the
 * statement (so it reads the values the statement reads). Same values, same bits
 * (the order depends on the element count alone); one more pass over memory. */
static sa_status reduce_apart(extras *e, const char *const *exprs, const char *expr,
                              const sa_arg *args, const sai_array *result, sa_dtype dtype)
{
  sa_status st = SA_OK;
  char *text = NULL;
  for (int k = 0; k < e->n; k++) {
    int sub;
    SAI_CALL(sai_expr_result_use(e->ex[k], result, dtype, &sub, "sa_eval_reduce"));
    text = substitute_result(exprs[k], expr);
    SAI_REQUIRE(text, SA_ERR_NOMEM, "sa_eval_reduce: out of memory");
    sai_future_drop(e->fu[k]);
    e->fu[k] = NULL;
    SAI_CALL(reduce(&e->fu[k], e->kinds[k], e->finish[k], 0, text, args, "sa_eval_reduce"));
    free(text);
    text = NULL;
  }
done:
  free(text);
  return st;
}

/* The statement's dtype and shape, and whether its reductions' shapes match it. */
static sa_status statement_shape(extras *e, const char *expr, const sa_arg *args, int *nd,
                                 int64_t *shape, sa_dtype *dtype)
{
  sa_status st = SA_OK;
  sai_expr *ex = calloc(1, sizeof *ex);
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "sa_eval_reduce: out of memory");
  SAI_CALL(sai_expr_compile(ex, expr, args, "sa_eval_reduce"));
  SAI_CALL(sai_broadcast(ex, nd, shape, "sa_eval_reduce", expr));
  *dtype = ex->dtype;
  for (int k = 0; k < e->n; k++) {
    int rnd;
    int64_t rshape[SA_MAX_NDIM];
    SAI_CALL(sai_broadcast(e->ex[k], &rnd, rshape, "sa_eval_reduce", expr));
    int same = rnd == *nd;
    for (int d = 0; same && d < *nd; d++) same = rshape[d] == shape[d];
    SAI_REQUIRE(same, SA_ERR_SHAPE, "sa_eval_reduce: reduction %d does not have the shape of "
                "the statement \"%s\"", k + 1, expr);
  }
done:
  sai_expr_free(ex);
  return st;
}

SA_API sa_status sa_eval_reduce(sa_array *out_h, const char *index, const char *expr,
                                const sa_arg *args, int n, const char *const *ops,
                                const char *const *exprs, sa_future **futures)
{
  sa_status st = SA_OK;
  extras e;
  memset(&e, 0, sizeof e);
  sai_array *result = NULL, *out;
  SAI_REQUIRE(n >= 1 && n <= SAI_EW_MAX_EXTRA, SA_ERR_ARG,
              "sa_eval_reduce: n is %d (argument 5); 1 to %d reductions", n,
              SAI_EW_MAX_EXTRA);
  SAI_REQUIRE(ops && exprs && futures, SA_ERR_ARG,
              "sa_eval_reduce: ops, exprs and futures (arguments 6-8) must not be NULL");
  e.n = n;
  for (int k = 0; k < n; k++) futures[k] = NULL;
  SAI_CALL(sai_require_init("sa_eval_reduce"));
  SAI_CALL(sai_array_get(&out, out_h, "sa_eval_reduce", 1));
  SAI_REQUIRE(expr, SA_ERR_ARG, "sa_eval_reduce: expression is NULL (argument 3)");
  /* the reductions may name the statement's result "_": bound to out[index] */
  if (index && index[0])
    SAI_CALL(sai_view_parse(&result, out, index, strlen(index), "sa_eval_reduce", 0));
  else
    SAI_CALL(sai_array_alias(&result, out));
  SAI_CALL(compile_extras(&e, ops, exprs, args, result));
  int nd;
  int64_t shape[SA_MAX_NDIM];
  sa_dtype dtype = SA_F64;
  SAI_CALL(statement_shape(&e, expr, args, &nd, shape, &dtype));
  int fused = sai_tiles_are_runs(result) && nd == result->ndim;
  for (int d = 0; fused && d < nd; d++) fused = shape[d] == result->shape[d];
  e.count = sai_array_size(result);
  sai_eval_req r = {.func = "sa_eval_reduce", .out = out, .index = index, .text = expr,
                    .args = args, .nextra = n, .extra = e.ex, .ops = e.kinds,
                    .plans = e.plans, .result = result};
  if (!fused) {
    SAI_CALL(reduce_apart(&e, exprs, expr, args, result, dtype));
    r.nextra = 0;
  }
  SAI_CALL(sai_eval(&r));
  for (int k = 0; fused && k < n; k++)
    SAI_CALL(submit_combine(e.fu[k], &e.plans[k], e.f[k], e.finish[k], 0, e.dtype[k], e.count,
                            "sa_eval_reduce"));
  for (int k = 0; k < n; k++) futures[k] = sai_future_handle(e.fu[k]), e.fu[k] = NULL;
done:
  for (int k = 0; k < e.n; k++) {
    sai_reduce_plan_drop(&e.plans[k]);
    sai_future_drop(e.fu[k]);
    sai_expr_free(e.ex[k]);
  }
  sai_release(&result);
  return st;
}

#define SA_DEFINE_REDUCTION(name, op, mean)                                            \
  SA_API sa_status sa_##name(sa_future **out, const sa_array *a)                         \
  {                                                                                    \
    sa_status st = SA_OK;                                                              \
    SAI_REQUIRE(out, SA_ERR_ARG, "sa_" #name ": out is NULL (argument 1)");            \
    *out = NULL;                                                                       \
    SAI_CALL(sai_array_check(a, "sa_" #name, 2));                                      \
    SAI_CALL(reduce_out(out, op, mean, "a", SA_ARGS(SA_ARR("a", a)), "sa_" #name));    \
  done:                                                                                \
    return st;                                                                         \
  }
SA_API sa_status sa_norm(sa_future **out, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_norm: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, h, "sa_norm", 2));
  SAI_REQUIRE(a->base->dtype == SA_F32 || a->base->dtype == SA_F64, SA_ERR_DTYPE,
              "sa_norm: argument 2 is %s; the 2-norm takes float32 or float64",
              sa_dtype_name(a->base->dtype));
  SAI_CALL(reduce_out(out, SAI_RED_SUM, SAI_RED_FINISH_SQRT, "a * a", SA_ARGS(SA_ARR("a", h)),
                  "sa_norm"));
done:
  return st;
}

SA_API sa_status sa_dot(sa_future **out, const sa_array *ha, const sa_array *hb)
{
  sa_status st = SA_OK;
  sai_array *a, *b;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_dot: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_get(&a, ha, "sa_dot", 2));
  SAI_CALL(sai_array_get(&b, hb, "sa_dot", 3));
  SAI_REQUIRE(a->ndim == 1 && b->ndim == 1 && a->shape[0] == b->shape[0], SA_ERR_SHAPE,
              "sa_dot: takes two vectors of one length; got %d-d and %d-d of %lld and %lld "
              "elements", a->ndim, b->ndim, (long long)sai_array_size(a),
              (long long)sai_array_size(b));
  SAI_CALL(reduce_out(out, SAI_RED_SUM, 0, "a * b", SA_ARGS(SA_ARR("a", ha), SA_ARR("b", hb)),
                  "sa_dot"));
done:
  return st;
}

SA_DEFINE_REDUCTION(sum, SAI_RED_SUM, 0)
SA_DEFINE_REDUCTION(prod, SAI_RED_PROD, 0)
SA_DEFINE_REDUCTION(min, SAI_RED_MIN, 0)
SA_DEFINE_REDUCTION(max, SAI_RED_MAX, 0)
SA_DEFINE_REDUCTION(mean, SAI_RED_SUM, 1)
SA_DEFINE_REDUCTION(all, SAI_RED_ALL, 0)
SA_DEFINE_REDUCTION(any, SAI_RED_ANY, 0)
SA_DEFINE_REDUCTION(argmin, SAI_RED_ARGMIN, 0)
SA_DEFINE_REDUCTION(argmax, SAI_RED_ARGMAX, 0)

/* Subscript text selecting [from:to] along axis ax and everything elsewhere. */
static void axis_text(char *buf, size_t size, int ndim, int ax, const char *sel)
{
  size_t n = 0;
  buf[0] = '\0';
  for (int d = 0; d < ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s", d ? ", " : "", d == ax ? sel : ":");
}

/* B (of a's shape but 1 along ax, dtype r) = reduction k (mean: a sum divided) of a
 * along ax, L >= 1 long: the first slice, then every other one combined into it in
 * order (ex: the values of those others, prepared for k). */
static sa_status reduce_along(sai_array *B, const sai_array *a, int ax, int k, int mean,
                              sai_expr *ex, sa_dtype r)
{
  sa_status st = SA_OK;
  const char *func = "sa_reduce_axis";
  sai_array *E = NULL;
  int64_t L = a->shape[ax];
  char sub[96], text[128];
  axis_text(sub, sizeof sub, a->ndim, ax, "0:1");
  snprintf(text, sizeof text, k >= SAI_RED_ALL ? "x[%s] != 0" : mean ? "x[%s] * 1.0" : "x[%s]",
           sub);
  sai_eval_req first = {.func = func, .out = B, .text = text, .args = SA_ARGS(SAI_ARR("x", a))};
  SAI_CALL(sai_eval(&first));
  if (L > 1) {
    SAI_CALL(sai_array_alias(&E, B));
    E->shape[ax] = L - 1;
    E->step[ax] = 0;
    sai_submit s = {.func = func, .name = "reduce_axis", .mode = SAI_SUBMIT_ACCUMULATE,
                    .out = E, .ex = ex, .dtype = r, .op = k};
    SAI_CALL(sai_submit_tiles(&s));
  }
  if (mean) {
    sai_eval_req div = {.func = func, .out = B, .text = "o / n",
                        .args = SA_ARGS(SAI_ARR("o", B), SA_NUM("n", (double)L))};
    SAI_CALL(sai_eval(&div));
  }
done:
  sai_release(&E);
  return st;
}

SA_API sa_status sa_reduce_axis(sa_array **out, const char *op, const sa_array *h, int axis,
                                int keepdims)
{
  sa_status st = SA_OK;
  sai_array *B = NULL, *rest = NULL, *a, *v;
  sai_expr *ex = NULL;
  int k = 1;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_reduce_axis: out is NULL (argument 1)");
  *out = NULL;
  int mean;
  SAI_CALL(parse_op(op, SAI_RED_ANY, &k, &mean, "sa_reduce_axis"));
  SAI_CALL(sai_array_get(&a, h, "sa_reduce_axis", 3));
  SAI_REQUIRE(axis >= -a->ndim && axis < a->ndim, SA_ERR_INDEX,
              "sa_reduce_axis: axis %d is out of bounds for an array of %d dimensions "
              "(argument 4)", axis, a->ndim);
  int ax = axis < 0 ? axis + a->ndim : axis;
  int64_t shape[SA_MAX_NDIM];
  memcpy(shape, a->shape, sizeof shape);
  shape[ax] = 1;
  int nd = a->ndim ? a->ndim : 1;
  char sub[96];
  ex = calloc(1, sizeof *ex);
  SAI_REQUIRE(ex, SA_ERR_NOMEM, "sa_reduce_axis: out of memory");
  axis_text(sub, sizeof sub, a->ndim, ax, "1:");
  SAI_CALL(sai_view(&rest, a, sub, "sa_reduce_axis"));
  SAI_CALL(sai_expr_load(ex, rest, "sa_reduce_axis"));
  sa_dtype r = sai_expr_reduction(ex, k, mean);
  if (a->shape[ax] == 0) {
    SAI_REQUIRE(k != SAI_RED_MIN && k != SAI_RED_MAX, SA_ERR_ARG,
                "sa_reduce_axis: zero-size axis %d for reduction %s, which has no identity",
                ax, op);
    double id = mean ? NAN : (k == SAI_RED_PROD || k == SAI_RED_ALL) ? 1 : 0;
    SAI_CALL(sai_full(&B, r, nd, shape, id, NULL, "sa_reduce_axis"));
  } else {
    SAI_CALL(sai_array_new(&B, r, nd, shape, NULL, "sa_reduce_axis"));
    SAI_CALL(reduce_along(B, a, ax, k, mean, ex, r));
  }
  if (keepdims || a->ndim <= 1) {
    *out = sai_array_handle(B);
    B = NULL;
  } else {
    axis_text(sub, sizeof sub, a->ndim, ax, "0");
    SAI_CALL(sai_view(&v, B, sub, "sa_reduce_axis"));
    *out = sai_array_handle(v);
  }
done:
  sai_expr_free(ex);
  sai_release(&B);
  sai_release(&rest);
  return st;
}

/* var or std (finish) of a with ddof, NumPy's two passes: the mean, then the sum of
 * squared deviations from it divided by max(n - ddof, 0). The second pass reads the
 * mean's future in its tasks: nothing waits. */
static sa_status moments(sa_future **out, const sa_array *a, int64_t ddof, int finish,
                         const char *func)
{
  sa_status st = SA_OK;
  sai_future *m = NULL;
  SAI_REQUIRE(out, SA_ERR_ARG, "%s: out is NULL (argument 1)", func);
  *out = NULL;
  SAI_CALL(sai_array_check(a, func, 2));
  SAI_CALL(reduce(&m, SAI_RED_SUM, SAI_RED_FINISH_MEAN, 0, "a", SA_ARGS(SA_ARR("a", a)), func));
  sai_future *fu;
  SAI_CALL(reduce(&fu, SAI_RED_SUM, finish, ddof, "(a - mean)**2",
                  SA_ARGS(SA_ARR("a", a), SA_FUT("mean", sai_future_handle(m))), func));
  *out = sai_future_handle(fu);
done:
  sai_future_release(m); /* the second pass's tasks hold what they read */
  return st;
}

SA_API sa_status sa_var(sa_future **out, const sa_array *a, int64_t ddof)
SAI_API_CALL(moments(out, a, ddof, SAI_RED_FINISH_VAR, "sa_var"))

SA_API sa_status sa_std(sa_future **out, const sa_array *a, int64_t ddof)
SAI_API_CALL(moments(out, a, ddof, SAI_RED_FINISH_STD, "sa_std"))

SA_API sa_status sa_count_nonzero(sa_future **out, const sa_array *a)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_count_nonzero: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_check(a, "sa_count_nonzero", 2));
  SAI_CALL(reduce_out(out, SAI_RED_SUM, 0, "a != 0", SA_ARGS(SA_ARR("a", a)),
                      "sa_count_nonzero"));
done:
  return st;
}
