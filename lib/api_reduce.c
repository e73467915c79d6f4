/* SPDX-License-Identifier: MIT
 * Reductions as futures: per-tile partials of a (possibly fused) expression, one
 * combine task in tile order, and a future that only sa_future_get waits for. */
#include "expr.h"
#include "reduce.h"

#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SAI_MAGIC_FUTURE 0x53414675u

struct sa_future {
  uint32_t magic;
  struct sa_future *prev, *next; /* futures whose handle is registered */
  int registered;                /* the handle is still registered with StarPU */
  unsigned epoch;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int ready, refs; /* refs: the user's and the pending callback's */
  int op, f, mean, root; /* root: the value is sqrt of the reduction (sa_norm) */
  sa_dtype dtype;
  sai_partial value;
  starpu_data_handle_t handle;
};

static const char *const op_names[] = {NULL,  "sum", "prod",   "min",   "max",
                                       "all", "any", "argmin", "argmax"};
#define SAI_RED_LAST SAI_RED_ARGMAX

/* Future structs are never given back to the system (like arrays): a finished one
 * is kept with a dead magic for reuse, so a stale handle is reported, not a crash. */
static struct {
  pthread_mutex_t lock;
  void **dead;
  size_t ndead, cap;
  sa_future *live; /* futures with a registered handle, for sa_finalize */
} pool = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, NULL};

static void live_remove(sa_future *fu)
{
  pthread_mutex_lock(&pool.lock);
  if (fu->prev) fu->prev->next = fu->next;
  else if (pool.live == fu) pool.live = fu->next;
  if (fu->next) fu->next->prev = fu->prev;
  fu->prev = fu->next = NULL;
  pthread_mutex_unlock(&pool.lock);
}

/* At sa_finalize: handles of futures the program never released are unregistered. */
void sai_future_cleanup(void)
{
  while (pool.live) {
    sa_future *fu = pool.live;
    live_remove(fu);
    fu->registered = 0;
    starpu_data_unregister_no_coherency(fu->handle);
  }
}

static sa_future *future_new(void)
{
  sa_future *fu = NULL;
  pthread_mutex_lock(&pool.lock);
  if (pool.ndead) fu = pool.dead[--pool.ndead];
  pthread_mutex_unlock(&pool.lock);
  if (!fu) fu = malloc(sizeof *fu);
  if (fu) memset(fu, 0, sizeof *fu);
  return fu;
}

static void future_unref(sa_future *fu)
{
  pthread_mutex_lock(&fu->lock);
  int left = --fu->refs;
  pthread_mutex_unlock(&fu->lock);
  if (left) return;
  fu->magic = SAI_MAGIC_DEAD;
  pthread_mutex_destroy(&fu->lock);
  pthread_cond_destroy(&fu->cond);
  pthread_mutex_lock(&pool.lock);
  if (!sai_push(&pool.dead, &pool.ndead, &pool.cap, fu)) free(fu); /* no room to keep it */
  pthread_mutex_unlock(&pool.lock);
}

/* Runs in a StarPU thread once the final value is in main memory. */
static void value_ready(void *arg)
{
  sa_future *fu = arg;
  fu->value = *(const sai_partial *)starpu_data_get_local_ptr(fu->handle);
  starpu_data_release(fu->handle);
  pthread_mutex_lock(&fu->lock);
  fu->ready = 1;
  pthread_cond_broadcast(&fu->cond);
  pthread_mutex_unlock(&fu->lock);
  future_unref(fu);
}

sa_status sai_reduce_partial(sai_reduce_plan *red, starpu_data_handle_t *h, int owner,
                             const char *func)
{
  sa_status st = SA_OK;
  if (red->npartials == red->cap) {
    int cap = red->cap ? 2 * red->cap : 16;
    starpu_data_handle_t *grown = realloc(red->partials, (size_t)cap * sizeof *grown);
    SAI_REQUIRE(grown, SA_ERR_NOMEM, "%s: out of memory", func);
    red->partials = grown;
    red->cap = cap;
  }
  starpu_variable_data_register(h, -1, 0, sizeof(sai_partial));
  sai_dist_register(*h, owner);
  red->partials[red->npartials++] = *h;
done:
  return st;
}

/* Appends a conversion of the result register (the reduction's input kind). */
static void retype_result(sai_ew_program *pr, int op)
{
  int dst = pr->result == 0 ? 1 : 0; /* only the result register is live here */
  pr->code[pr->ninstr++] = (sai_ew_instr){(uint8_t)op, (uint8_t)dst, (uint8_t)pr->result, 0, 0};
  pr->result = dst;
  pr->result_kind_f = op == SAI_EW_I2F;
}

/* The first operand of the result's full shape drives the iteration, or NULL. */
static const sa_array *driver_of(const sai_expr *ex, int nd, const int64_t *shape)
{
  for (int k = 0; k < ex->noperands; k++) {
    const sa_array *a = ex->operands[k];
    int same = a->ndim == nd;
    for (int d = 0; same && d < nd; d++) same = a->shape[d] == shape[d];
    if (same) return a;
  }
  return NULL;
}

/* The plan's partials go once the tasks submitted on them are done. */
static void plan_drop(sai_reduce_plan *red)
{
  for (int k = 0; k < red->npartials; k++) starpu_data_unregister_submit(red->partials[k]);
  free(red->partials);
  red->partials = NULL;
  red->npartials = 0;
}

static sa_status submit_combine(sa_future *fu, sai_reduce_plan *red, const char *func)
{
  sa_status st = SA_OK;
  struct starpu_data_descr *descr = calloc((size_t)red->npartials + 1, sizeof *descr);
  sai_combine_args *ca = malloc(sizeof *ca);
  SAI_REQUIRE(descr && ca, SA_ERR_NOMEM, "%s: out of memory", func);
  *ca = (sai_combine_args){fu->op, fu->f,
                           fu->mean   ? SAI_RED_FINISH_MEAN
                           : fu->root ? SAI_RED_FINISH_SQRT
                                      : SAI_RED_FINISH_NONE};
  starpu_vector_data_register(&fu->handle, -1, 0, 1, sizeof(sai_partial));
  sai_dist_register(fu->handle, 0); /* combined on rank 0 in tile order */
  fu->registered = 1;
  pthread_mutex_lock(&pool.lock);
  fu->next = pool.live;
  if (pool.live) pool.live->prev = fu;
  pool.live = fu;
  pthread_mutex_unlock(&pool.lock);
  descr[0] = (struct starpu_data_descr){fu->handle, STARPU_W};
  for (int k = 0; k < red->npartials; k++)
    descr[k + 1] = (struct starpu_data_descr){red->partials[k], STARPU_R};
  int ret = sai_task_insert(&sai_reduce_combine_cl, descr, red->npartials + 1, ca,
                            sizeof *ca, "reduce_combine");
  sai_dist_fetch(fu->handle, -1); /* under MPI every rank gets the value */
  ca = NULL;
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", func, ret);
  fu->refs++; /* the callback's */
  ret = starpu_data_acquire_cb(fu->handle, STARPU_R, value_ready, fu);
  if (ret) fu->refs--;
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: cannot wait for the result (%d)", func, ret);
done:
  free(ca);
  free(descr);
  return st;
}

/* A new future for reduction op (finish: see reduce) of compiled ex, whose result
 * it retypes for the reduction (all/any: to bool; an integer mean: to double). */
static void future_setup(sa_future *fu, sai_expr *ex, int op, int finish)
{
  sai_ew_program *pr = &ex->prog;
  sa_dtype t = ex->dtype;
  int mean = finish == SAI_RED_FINISH_MEAN;
  if (op >= SAI_RED_ARGMIN) {
    fu->dtype = SA_I64; /* the flat C-order index */
  } else if (op >= SAI_RED_ALL) {
    retype_result(pr, pr->result_kind_f ? SAI_EW_F2B : SAI_EW_I2B);
    fu->dtype = SA_BOOL;
  } else if (mean) {
    if (!pr->result_kind_f) retype_result(pr, SAI_EW_I2F);
    fu->dtype = t == SA_F32 ? SA_F32 : SA_F64;
  } else {
    fu->dtype = (op <= SAI_RED_PROD && t <= SA_I64) ? SA_I64 : t;
  }
  fu->magic = SAI_MAGIC_FUTURE;
  fu->epoch = sai_rt.epoch;
  fu->refs = 1;
  fu->op = op;
  fu->mean = mean;
  fu->root = finish == SAI_RED_FINISH_SQRT;
  fu->f = pr->result_kind_f;
  pthread_mutex_init(&fu->lock, NULL);
  pthread_cond_init(&fu->cond, NULL);
  pr->dtype[0] = (int)fu->dtype;
}

/* A future that was never set up goes back to the pool; one that was, is released. */
static void future_drop(sa_future *fu)
{
  if (!fu) return;
  if (!fu->magic) { /* never set up: back to the pool as it is */
    fu->refs = 1;
    pthread_mutex_init(&fu->lock, NULL);
    pthread_cond_init(&fu->cond, NULL);
  }
  future_unref(fu);
}

/* finish: SAI_RED_FINISH_MEAN (a mean: 1, as parse_op's flag) or _SQRT (a norm). */
static sa_status reduce(sa_future **out, int op, int finish, const char *text,
                        const sa_arg *args, const char *func)
{
  sa_status st = SA_OK;
  int mean = finish == SAI_RED_FINISH_MEAN;
  sai_expr *ex = calloc(1, sizeof *ex);
  sa_future *fu = future_new();
  sa_array *tmp = NULL;
  sai_reduce_plan red = {.op = op, .cl = &sai_reduce_tile_cl};
  SAI_REQUIRE(ex && fu, SA_ERR_NOMEM, "%s: out of memory", func);
  SAI_CALL(sai_require_init(func));
  SAI_CALL(sai_expr_compile(ex, text, args, func));
  int nd;
  int64_t shape[SA_MAX_NDIM], n = 1;
  SAI_CALL(sai_broadcast(ex, &nd, shape, func, text));
  for (int d = 0; d < nd; d++) n *= shape[d];
  const sa_array *driver = driver_of(ex, nd, shape);
  if (!driver) { /* e.g. (n,1) * (1,m): evaluate, then reduce the array */
    SAI_CALL(sa_eval_new(&tmp, text, args));
    SAI_CALL(reduce(out, op, finish, "t", SA_ARGS(SA_ARR("t", tmp)), func));
    goto done;
  }
  SAI_REQUIRE(n > 0 || op == SAI_RED_SUM || op == SAI_RED_PROD ||
                  op == SAI_RED_ALL || op == SAI_RED_ANY,
              SA_ERR_ARG, "%s: zero-size array to reduction operation %s, which has no "
              "identity (\"%s\")", func, mean ? "mean" : op_names[op], text);
  future_setup(fu, ex, op, finish);
  SAI_CALL(sai_reduce_tiles(driver, ex->operands, ex->noperands, &ex->prog, op_names[op],
                            &red));
  SAI_CALL(submit_combine(fu, &red, func));
  *out = fu;
  fu = NULL;
done:
  plan_drop(&red);
  future_drop(fu);
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
  SAI_CALL(reduce(out, k, mean, expr, args, "sa_reduce"));
done:
  return st;
}

SA_API sa_status sa_eval_reduce(sa_array *out, const char *index, const char *expr,
                                const sa_arg *args, int n, const char *const *ops,
                                const char *const *exprs, sa_future **futures)
{
  sa_status st = SA_OK;
  sai_expr *ex[SAI_EW_MAX_EXTRA] = {NULL};
  sa_future *fu[SAI_EW_MAX_EXTRA] = {NULL};
  sai_reduce_plan plans[SAI_EW_MAX_EXTRA];
  int kinds[SAI_EW_MAX_EXTRA];
  sa_array *result = NULL;
  sa_arg *more = NULL;
  memset(plans, 0, sizeof plans);
  SAI_REQUIRE(n >= 1 && n <= SAI_EW_MAX_EXTRA, SA_ERR_ARG,
              "sa_eval_reduce: n is %d (argument 5); 1 to %d reductions", n,
              SAI_EW_MAX_EXTRA);
  SAI_REQUIRE(ops && exprs && futures, SA_ERR_ARG,
              "sa_eval_reduce: ops, exprs and futures (arguments 6-8) must not be NULL");
  for (int k = 0; k < n; k++) futures[k] = NULL;
  SAI_CALL(sai_require_init("sa_eval_reduce"));
  SAI_CALL(sai_array_check(out, "sa_eval_reduce", 1));
  /* the reductions may name the statement's result "_": bound to out[index] */
  if (index && index[0])
    SAI_CALL(sai_view_parse(&result, out, index, strlen(index), "sa_eval_reduce", 0));
  else
    SAI_CALL(sai_array_alias(&result, out));
  int nargs = 0;
  while (args && args[nargs].kind) nargs++;
  more = malloc((size_t)(nargs + 2) * sizeof *more);
  SAI_REQUIRE(more, SA_ERR_NOMEM, "sa_eval_reduce: out of memory");
  for (int k = 0; k < nargs; k++) more[k] = args[k];
  more[nargs] = SA_ARR("_", result);
  more[nargs + 1] = SA_END;
  for (int k = 0; k < n; k++) {
    int mean;
    SAI_REQUIRE(ops[k] && exprs[k], SA_ERR_ARG, "sa_eval_reduce: ops[%d] or exprs[%d] is NULL",
                k, k);
    SAI_CALL(parse_op(ops[k], SAI_RED_LAST, &kinds[k], &mean, "sa_eval_reduce"));
    SAI_REQUIRE(kinds[k] < SAI_RED_ARGMIN, SA_ERR_NOT_SUPPORTED,
                "sa_eval_reduce: %s cannot be computed with a statement; use sa_reduce",
                ops[k]);
    ex[k] = calloc(1, sizeof *ex[k]);
    fu[k] = future_new();
    SAI_REQUIRE(ex[k] && fu[k], SA_ERR_NOMEM, "sa_eval_reduce: out of memory");
    SAI_CALL(sai_expr_compile(ex[k], exprs[k], more, "sa_eval_reduce"));
    future_setup(fu[k], ex[k], kinds[k], mean ? SAI_RED_FINISH_MEAN : SAI_RED_FINISH_NONE);
    plans[k] = (sai_reduce_plan){.op = kinds[k]};
  }
  SAI_CALL(sai_eval_into(out, index, expr, args, n, ex, kinds, plans, result,
                         "sa_eval_reduce"));
  for (int k = 0; k < n; k++) SAI_CALL(submit_combine(fu[k], &plans[k], "sa_eval_reduce"));
  for (int k = 0; k < n; k++) futures[k] = fu[k], fu[k] = NULL;
done:
  for (int k = 0; k < n && k < SAI_EW_MAX_EXTRA; k++) {
    plan_drop(&plans[k]);
    future_drop(fu[k]);
    sai_expr_free(ex[k]);
  }
  free(more);
  sai_release(&result);
  return st;
}

#define SA_DEFINE_REDUCTION(name, op, mean)                                            \
  SA_API sa_status sa_##name(sa_future **out, const sa_array *a)                       \
  {                                                                                    \
    sa_status st = SA_OK;                                                              \
    SAI_REQUIRE(out, SA_ERR_ARG, "sa_" #name ": out is NULL (argument 1)");            \
    *out = NULL;                                                                       \
    SAI_CALL(sai_array_check(a, "sa_" #name, 2));                                      \
    SAI_CALL(reduce(out, op, mean, "a", SA_ARGS(SA_ARR("a", a)), "sa_" #name));        \
  done:                                                                                \
    return st;                                                                         \
  }
SA_API sa_status sa_norm(sa_future **out, const sa_array *a)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_norm: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_check(a, "sa_norm", 2));
  SAI_REQUIRE(a->base->dtype == SA_F32 || a->base->dtype == SA_F64, SA_ERR_DTYPE,
              "sa_norm: argument 2 is %s; the 2-norm takes float32 or float64",
              sa_dtype_name(a->base->dtype));
  SAI_CALL(reduce(out, SAI_RED_SUM, SAI_RED_FINISH_SQRT, "a * a", SA_ARGS(SA_ARR("a", a)),
                  "sa_norm"));
done:
  return st;
}

SA_API sa_status sa_dot(sa_future **out, const sa_array *a, const sa_array *b)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_dot: out is NULL (argument 1)");
  *out = NULL;
  SAI_CALL(sai_array_check(a, "sa_dot", 2));
  SAI_CALL(sai_array_check(b, "sa_dot", 3));
  SAI_REQUIRE(a->ndim == 1 && b->ndim == 1 && a->shape[0] == b->shape[0], SA_ERR_SHAPE,
              "sa_dot: takes two vectors of one length; got %d-d and %d-d of %lld and %lld "
              "elements", a->ndim, b->ndim, (long long)sai_array_size(a),
              (long long)sai_array_size(b));
  SAI_CALL(reduce(out, SAI_RED_SUM, 0, "a * b", SA_ARGS(SA_ARR("a", a), SA_ARR("b", b)),
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

static sa_status future_check(const sa_future *fu, const char *func)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(fu, SA_ERR_INVALID_HANDLE, "%s: future is NULL (argument 1)", func);
  SAI_REQUIRE(fu->magic != SAI_MAGIC_DEAD, SA_ERR_INVALID_HANDLE,
              "%s: future was already released (argument 1)", func);
  SAI_REQUIRE(fu->magic == SAI_MAGIC_FUTURE && sai_rt.initialized &&
                  fu->epoch == sai_rt.epoch,
              SA_ERR_INVALID_HANDLE, "%s: not a live future (argument 1), or one from a "
              "session sa_finalize ended", func);
done:
  return st;
}

/* Waits for the value; the only call besides reads of arrays that waits. */
static sa_status wait_value(sa_future *fu, const char *func)
{
  sa_status st = SA_OK;
  SAI_CALL(future_check(fu, func));
  pthread_mutex_lock(&fu->lock);
  while (!fu->ready) pthread_cond_wait(&fu->cond, &fu->lock);
  pthread_mutex_unlock(&fu->lock);
  SAI_CALL(sai_async_take(func));
done:
  return st;
}

SA_API sa_status sa_future_get(sa_future *fu, double *value)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(value, SA_ERR_ARG, "sa_future_get: value is NULL (argument 2)");
  SAI_CALL(wait_value(fu, "sa_future_get"));
  double v = fu->op >= SAI_RED_ARGMIN ? (double)fu->value.where
             : fu->f ? fu->value.f : (double)fu->value.i;
  *value = fu->dtype == SA_F32 ? (double)(float)v : v;
done:
  return st;
}

SA_API sa_status sa_future_get_int(sa_future *fu, int64_t *value)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(value, SA_ERR_ARG, "sa_future_get_int: value is NULL (argument 2)");
  SAI_CALL(wait_value(fu, "sa_future_get_int"));
  SAI_REQUIRE(!fu->f || fu->op >= SAI_RED_ARGMIN, SA_ERR_DTYPE,
              "sa_future_get_int: the result is %s; use sa_future_get",
              sa_dtype_name(fu->dtype));
  *value = fu->op >= SAI_RED_ARGMIN ? fu->value.where : fu->value.i;
done:
  return st;
}

SA_API sa_status sa_future_test(sa_future *fu, int *ready)
{
  sa_status st = SA_OK;
  SAI_CALL(future_check(fu, "sa_future_test"));
  SAI_REQUIRE(ready, SA_ERR_ARG, "sa_future_test: ready is NULL (argument 2)");
  pthread_mutex_lock(&fu->lock);
  *ready = fu->ready;
  pthread_mutex_unlock(&fu->lock);
done:
  return st;
}

SA_API sa_status sa_future_dtype(const sa_future *fu, sa_dtype *dtype)
{
  sa_status st = SA_OK;
  SAI_CALL(future_check(fu, "sa_future_dtype"));
  SAI_REQUIRE(dtype, SA_ERR_ARG, "sa_future_dtype: dtype is NULL (argument 2)");
  *dtype = fu->dtype;
done:
  return st;
}

SA_API sa_status sa_future_release(sa_future **fp)
{
  sa_status st = SA_OK;
  if (!fp || !*fp) return SA_OK;
  SAI_CALL(future_check(*fp, "sa_future_release"));
  (*fp)->magic = SAI_MAGIC_DEAD; /* user's handle is dead now; the callback may hold it */
  if ((*fp)->registered) { /* done after the callback's release and every reading task;
                             * the callback may still use the handle until then */
    live_remove(*fp);
    (*fp)->registered = 0;
    starpu_data_unregister_submit((*fp)->handle);
  }
  future_unref(*fp);
  *fp = NULL;
done:
  return st;
}

/* Subscript text selecting [from:to] along axis ax and everything elsewhere. */
static void axis_text(char *buf, size_t size, int ndim, int ax, const char *sel)
{
  size_t n = 0;
  buf[0] = '\0';
  for (int d = 0; d < ndim && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s", d ? ", " : "", d == ax ? sel : ":");
}

SA_API sa_status sa_reduce_axis(sa_array **out, const char *op, const sa_array *a, int axis,
                                int keepdims)
{
  sa_status st = SA_OK;
  sa_array *B = NULL, *E = NULL, *rest = NULL;
  int k = 1;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_reduce_axis: out is NULL (argument 1)");
  *out = NULL;
  int mean;
  SAI_CALL(parse_op(op, SAI_RED_ANY, &k, &mean, "sa_reduce_axis"));
  SAI_CALL(sai_array_check(a, "sa_reduce_axis", 3));
  SAI_REQUIRE(axis >= -a->ndim && axis < a->ndim, SA_ERR_INDEX,
              "sa_reduce_axis: axis %d is out of bounds for an array of %d dimensions "
              "(argument 4)", axis, a->ndim);
  int ax = axis < 0 ? axis + a->ndim : axis;
  int64_t L = a->shape[ax], shape[SA_MAX_NDIM];
  sa_dtype t = a->base->dtype;
  sa_dtype r = k >= SAI_RED_ALL ? SA_BOOL
               : mean ? (t == SA_F32 ? SA_F32 : SA_F64)
               : (k <= SAI_RED_PROD && t <= SA_I64) ? SA_I64 : t;
  memcpy(shape, a->shape, sizeof shape);
  shape[ax] = 1;
  int nd = a->ndim ? a->ndim : 1;
  char sub[96], text[128];
  if (L == 0) {
    SAI_REQUIRE(k != SAI_RED_MIN && k != SAI_RED_MAX, SA_ERR_ARG,
                "sa_reduce_axis: zero-size axis %d for reduction %s, which has no identity",
                ax, op);
    double id = mean ? NAN : (k == SAI_RED_PROD || k == SAI_RED_ALL) ? 1 : 0;
    SAI_CALL(sa_full(&B, r, nd, shape, id, NULL));
  } else {
    /* the first slice along the axis, then every other one combined into it in order */
    SAI_CALL(sai_array_new(&B, r, nd, shape, NULL, "sa_reduce_axis"));
    axis_text(sub, sizeof sub, a->ndim, ax, "0:1");
    snprintf(text, sizeof text, k >= SAI_RED_ALL ? "x[%s] != 0" : mean ? "x[%s] * 1.0" : "x[%s]",
             sub);
    SAI_CALL(sa_eval(B, NULL, text, SA_ARGS(SA_ARR("x", a))));
    if (L > 1) {
      axis_text(sub, sizeof sub, a->ndim, ax, "1:");
      SAI_CALL(sa_view(&rest, a, sub));
      SAI_CALL(sai_array_alias(&E, B));
      E->shape[ax] = L - 1;
      E->step[ax] = 0;
      sai_ew_program pr = {.ninstr = 1, .noperands = 2, .result = 0};
      int f = t >= SA_F32;
      pr.code[0] = (sai_ew_instr){(uint8_t)(f ? SAI_EW_LOAD_F : SAI_EW_LOAD_I), 0, 1, 0, 0};
      pr.result_kind_f = f;
      if (k >= SAI_RED_ALL) retype_result(&pr, f ? SAI_EW_F2B : SAI_EW_I2B);
      else if (mean && !f) retype_result(&pr, SAI_EW_I2F);
      pr.dtype[0] = (int)r;
      pr.dtype[1] = (int)t;
      SAI_CALL(sai_ew_submit_accumulate(E, &rest, 1, &pr, k));
    }
    if (mean) SAI_CALL(sa_eval(B, NULL, "o / n", SA_ARGS(SA_ARR("o", B), SA_NUM("n", (double)L))));
  }
  if (keepdims || a->ndim <= 1) {
    *out = B;
    B = NULL;
  } else {
    axis_text(sub, sizeof sub, a->ndim, ax, "0");
    SAI_CALL(sa_view(out, B, sub));
  }
done:
  sai_release(&B);
  sai_release(&E);
  sai_release(&rest);
  return st;
}

/* The future's value as a 0-d operand: a view of a one-tile base borrowing the
 * future's handle (float results at element 0, integers at element 1 of the
 * sai_partial, read as float64/int64). */
sa_status sai_future_operand(sa_array **out, sa_dtype *dtype, const sa_future *fu,
                             const char *func)
{
  sa_status st = SA_OK;
  SAI_CALL(future_check(fu, func));
  /* the combine task leaves the final value in the handle: a mean or a norm in f,
   * an integer result in i, argmin/argmax's index in where */
  int arg = fu->op >= SAI_RED_ARGMIN;
  int64_t field = arg ? (int64_t)(offsetof(sai_partial, where) / sizeof(int64_t))
                  : fu->f ? (int64_t)(offsetof(sai_partial, f) / sizeof(double))
                          : (int64_t)(offsetof(sai_partial, i) / sizeof(int64_t));
  SAI_CALL(sai_array_borrow(out, fu->handle, fu->f && !arg ? SA_F64 : SA_I64,
                            (int64_t)(sizeof(sai_partial) / sizeof(double)), field, func));
  *dtype = fu->dtype;
done:
  return st;
}
