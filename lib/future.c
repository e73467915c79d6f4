/* SPDX-License-Identifier: MIT
 * Futures: a scalar that will exist. The object, its pool (stale handles are
 * reported, never a crash), the wait, and the future as a 0-d operand of later
 * expressions. What computes the value (a reduction's combine task) is the
 * reduce family's (api_reduce.c); a future only adopts the handle it writes. */
#include "sai.h"
#include "reduce.h"

#include <pthread.h>
#include <stddef.h>
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
  int op, f;       /* the reduction (SAI_RED_*) and its kind: where the value is */
  sa_dtype dtype;
  sai_partial value;
  starpu_data_handle_t handle;
};

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

void sai_future_cleanup(void)
{
  while (pool.live) {
    sa_future *fu = pool.live;
    live_remove(fu);
    fu->registered = 0;
    starpu_data_unregister_no_coherency(fu->handle);
  }
}

sa_status sai_future_new(sa_future **out, sa_dtype dtype, int op, int f, const char *func)
{
  sa_status st = SA_OK;
  sa_future *fu = NULL;
  pthread_mutex_lock(&pool.lock);
  if (pool.ndead) fu = pool.dead[--pool.ndead];
  pthread_mutex_unlock(&pool.lock);
  if (!fu) fu = malloc(sizeof *fu);
  SAI_REQUIRE(fu, SA_ERR_NOMEM, "%s: out of memory", func);
  memset(fu, 0, sizeof *fu);
  fu->magic = SAI_MAGIC_FUTURE;
  fu->epoch = sai_rt.epoch;
  fu->refs = 1;
  fu->op = op;
  fu->f = f;
  fu->dtype = dtype;
  pthread_mutex_init(&fu->lock, NULL);
  pthread_cond_init(&fu->cond, NULL);
  *out = fu;
done:
  return st;
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

void sai_future_drop(sa_future *fu)
{
  if (fu) future_unref(fu);
}

void sai_future_adopt(sa_future *fu, starpu_data_handle_t h)
{
  fu->handle = h;
  fu->registered = 1;
  pthread_mutex_lock(&pool.lock);
  fu->next = pool.live;
  if (pool.live) pool.live->prev = fu;
  pool.live = fu;
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

sa_status sai_future_watch(sa_future *fu, const char *func)
{
  sa_status st = SA_OK;
  sai_dist_fetch(fu->handle, -1); /* under MPI every rank gets the value */
  fu->refs++;                     /* the callback's */
  int ret = starpu_data_acquire_cb(fu->handle, STARPU_R, value_ready, fu);
  if (ret) fu->refs--;
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: cannot wait for the result (%d)", func, ret);
done:
  return st;
}

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
