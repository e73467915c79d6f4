/* SPDX-License-Identifier: MIT
 * Futures: a scalar that will exist. The object, its pool (stale handles are
 * reported, never a crash), the wait, and the future as a 0-d operand of later
 * expressions. What computes the value (a reduction's combine task) is the
 * reduce family's (api_reduce.c); a future only adopts the handle it writes. */
#include "sai.h"
#include "reduce.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sai_future {
  sai_obj obj;                   /* the user's handle (handle.c) */
  struct sai_future *prev, *next; /* futures whose handle is registered */
  int registered;                /* the handle is still registered with StarPU */
  /* StarPU's wrappers: pthreads, or the simulator's own under SimGrid, where a real
   * wait would stop every simulated process */
  starpu_pthread_mutex_t lock;
  starpu_pthread_cond_t cond;
  int ready, refs; /* refs: the user's and the pending callback's */
  int op, f;       /* the reduction (SAI_RED_*) and its kind: where the value is */
  sa_dtype dtype;
  sai_partial value;
  starpu_data_handle_t handle;
};

/* Futures come from their own pool (handle.c): a released future's handle is an
 * error ever after, even once its slot serves another future. The struct goes back
 * only when the pending callback is done with it too. */
static sai_pool futures = SAI_POOL_INIT(sai_future, 0xF5);

/* Futures with a registered handle, for sa_finalize. */
static struct {
  pthread_mutex_t lock;
  sai_future *live;
} pool = {PTHREAD_MUTEX_INITIALIZER, NULL};

static void live_remove(sai_future *fu)
{
  pthread_mutex_lock(&pool.lock);
  if (fu->prev) fu->prev->next = fu->next;
  else if (pool.live == fu) pool.live = fu->next;
  if (fu->next) fu->next->prev = fu->prev;
  fu->prev = fu->next = NULL;
  pthread_mutex_unlock(&pool.lock);
}

int64_t sai_future_cleanup(void)
{
  int64_t n = 0;
  while (pool.live) {
    sai_future *fu = pool.live;
    live_remove(fu);
    fu->registered = 0;
    starpu_data_unregister_no_coherency(fu->handle);
    n++;
  }
  return n;
}

sa_status sai_future_new(sai_future **out, sa_dtype dtype, int op, int f, const char *func)
{
  sa_status st = SA_OK;
  sai_future *fu = sai_pool_get(&futures);
  SAI_REQUIRE(fu, SA_ERR_NOMEM, "%s: out of memory", func);
  fu->refs = 1;
  fu->op = op;
  fu->f = f;
  fu->dtype = dtype;
  starpu_pthread_mutex_init(&fu->lock, NULL);
  starpu_pthread_cond_init(&fu->cond, NULL);
  *out = fu;
done:
  return st;
}

static void future_unref(sai_future *fu)
{
  starpu_pthread_mutex_lock(&fu->lock);
  int left = --fu->refs;
  starpu_pthread_mutex_unlock(&fu->lock);
  if (left) return;
  starpu_pthread_mutex_destroy(&fu->lock);
  starpu_pthread_cond_destroy(&fu->cond);
  sai_pool_put(&futures, fu);
}

void sai_future_drop(sai_future *fu)
{
  if (fu) future_unref(fu);
}

void sai_future_adopt(sai_future *fu, starpu_data_handle_t h)
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
  sai_future *fu = arg;
  fu->value = *(const sai_partial *)starpu_data_get_local_ptr(fu->handle);
  starpu_data_release(fu->handle);
  starpu_pthread_mutex_lock(&fu->lock);
  fu->ready = 1;
  starpu_pthread_cond_broadcast(&fu->cond);
  starpu_pthread_mutex_unlock(&fu->lock);
  future_unref(fu);
}

sa_status sai_future_watch(sai_future *fu, const char *func)
{
  sa_status st = SA_OK;
  sai_dist_fetch(fu->handle, -1); /* under MPI every rank gets the value (flushes) */
  fu->refs++;                     /* the callback's */
  int ret = starpu_data_acquire_cb(fu->handle, STARPU_R, value_ready, fu);
  if (ret) fu->refs--;
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: cannot wait for the result (%d)", func, ret);
done:
  return st;
}

sa_status sai_future_get(sai_future **out, const sa_future *h, const char *func, int argn)
{
  sa_status st = SA_OK;
  void *obj;
  char which[32];
  snprintf(which, sizeof which, "argument %d", argn);
  SAI_CALL(sai_handle_get(&futures, h, "future", which, func, &obj));
  *out = obj;
done:
  return st;
}

sa_future *sai_future_handle(const sai_future *fu) { return sai_pool_handle(&futures, fu); }

/* Waits for the value; the only call besides reads of arrays that waits. */
/* Waits for the value of the future handle h stands for; the only call besides
 * reads of arrays that waits. */
static sa_status wait_value(sai_future **out, const sa_future *h, const char *func)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_CALL(sai_future_get(&fu, h, func, 1));
  starpu_pthread_mutex_lock(&fu->lock);
  while (!fu->ready) starpu_pthread_cond_wait(&fu->cond, &fu->lock);
  starpu_pthread_mutex_unlock(&fu->lock);
  SAI_CALL(sai_async_take(func));
  *out = fu;
done:
  return st;
}

SA_API sa_status sa_future_get(sa_future *h, double *value)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_REQUIRE(value, SA_ERR_ARG, "sa_future_get: value is NULL (argument 2)");
  SAI_CALL(wait_value(&fu, h, "sa_future_get"));
  double v = fu->op >= SAI_RED_ARGMIN ? (double)fu->value.where
             : fu->f ? fu->value.f : (double)fu->value.i;
  *value = fu->dtype == SA_F32 ? (double)(float)v : v;
done:
  return st;
}

SA_API sa_status sa_future_get_int(sa_future *h, int64_t *value)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_REQUIRE(value, SA_ERR_ARG, "sa_future_get_int: value is NULL (argument 2)");
  SAI_CALL(wait_value(&fu, h, "sa_future_get_int"));
  SAI_REQUIRE(!fu->f || fu->op >= SAI_RED_ARGMIN, SA_ERR_DTYPE,
              "sa_future_get_int: the result is %s; use sa_future_get",
              sa_dtype_name(fu->dtype));
  *value = fu->op >= SAI_RED_ARGMIN ? fu->value.where : fu->value.i;
done:
  return st;
}

SA_API sa_status sa_future_test(sa_future *h, int *ready)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_CALL(sai_future_get(&fu, h, "sa_future_test", 1));
  SAI_REQUIRE(ready, SA_ERR_ARG, "sa_future_test: ready is NULL (argument 2)");
  starpu_pthread_mutex_lock(&fu->lock);
  *ready = fu->ready;
  starpu_pthread_mutex_unlock(&fu->lock);
done:
  return st;
}

SA_API sa_status sa_future_dtype(const sa_future *h, sa_dtype *dtype)
{
  sa_status st = SA_OK;
  sai_future *fu;
  SAI_CALL(sai_future_get(&fu, h, "sa_future_dtype", 1));
  SAI_REQUIRE(dtype, SA_ERR_ARG, "sa_future_dtype: dtype is NULL (argument 2)");
  *dtype = fu->dtype;
done:
  return st;
}

void sai_future_release(sai_future *fu)
{
  if (!fu) return;
  /* its handle is dead from here on; the callback may still hold the struct */
  __atomic_store_n(&fu->obj.magic, SAI_MAGIC_DEAD, __ATOMIC_RELEASE);
  if (fu->registered) { /* done after the callback's release and every reading task;
                         * the callback may still use the handle until then */
    live_remove(fu);
    fu->registered = 0;
    sai_defer_flush();
    starpu_data_unregister_submit(fu->handle);
  }
  future_unref(fu);
}

SA_API sa_status sa_future_release(sa_future **hp)
{
  sa_status st = SA_OK;
  sai_future *fu;
  if (!hp || !*hp) return SA_OK;
  SAI_CALL(sai_future_get(&fu, *hp, "sa_future_release", 1));
  sai_future_release(fu);
  *hp = NULL;
done:
  return st;
}

sa_status sai_future_operand(sai_array **out, sa_dtype *dtype, const sa_future *h,
                             const char *which, const char *func)
{
  sa_status st = SA_OK;
  void *obj;
  SAI_CALL(sai_handle_get(&futures, h, "future", which, func, &obj));
  const sai_future *fu = obj;
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
