/* SPDX-License-Identifier: MIT
 * Deferred tasks: consecutive statements whose tasks each write one tile become one
 * task per tile (a run). A task is held back instead of submitted; tasks writing the
 * same tile join one group, and the window is submitted, group by group in the
 * order they began, as soon as a new task would break the rule that makes this
 * reordering invisible:
 *   a task may touch a handle an earlier task of the window wrote only if that
 *   handle is its own tile (its group's).
 * Each task writes one handle, descr[0], its group's key. Two tasks of different
 * groups that touch one handle are then one reading the other's key: a read after
 * the write is refused; a read before it comes from a group that began before the
 * writer's group did (had the writer's group begun first, the read would have been
 * refused), and groups are submitted in the order they began. So every pair of
 * tasks that conflict keeps its order. Anything else that reaches StarPU (another
 * task, an acquire, an unregistration, a wait) submits the window first
 * (sai_defer_flush), so the window is invisible from outside. */
#include "sai.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum {
  MAX_BUFFERS = SAI_RUN_MAX_BUFFERS,
  MAX_PARTS = 64,    /* tasks in one run: the window never holds back too much work */
  MAX_WINDOW = 1024, /* tasks held back in all */
  NONE = -1,
};

typedef struct part {
  struct starpu_codelet *cl;
  struct starpu_data_descr *descr; /* its own, for a run of one */
  int n;
  int *map; /* its buffer k is the run's buffer map[k] */
  void *args;
  size_t bytes;
  const char *name;
} part;

typedef struct group {
  struct starpu_codelet *run_cl;
  struct starpu_data_descr descr[MAX_BUFFERS];
  int n;
  int first, last, nparts; /* its parts: win.parts[first], then by win.next */
} group;

typedef struct slot {
  starpu_data_handle_t h;
  int writer;   /* the group writing it, or NONE */
  unsigned gen; /* in use only when it is win.gen: a flush empties the table at once */
} slot;

static struct window {
  part parts[MAX_WINDOW];
  int next[MAX_WINDOW]; /* the next part of the same group, or NONE */
  int nparts;
  group *groups;
  int ngroups, capgroups;
  slot *table; /* open addressing over handles, 4x the window's handles */
  size_t tablesize, used;
  int bits;     /* tablesize is 2^bits */
  unsigned gen; /* the window's generation (1, 2, ...) */
  int64_t parts_run; /* tasks in runs, for --sa-verbose=2 (sai_rt.runs: the runs) */
  int enabled;
} win;

enum { POOL = 16 }; /* run blobs kept for reuse (run_blob) */
static struct {
  pthread_mutex_t lock;
  struct run_head *blob[POOL];
  int n;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The slot of h, or a free one where it would go (in_use tells). Fibonacci hashing:
 * the product's top bits, which every bit of the handle's address reaches. */
static slot *lookup(starpu_data_handle_t h)
{
  size_t mask = win.tablesize - 1;
  size_t i = (size_t)(((uint64_t)(uintptr_t)h * 0x9E3779B97F4A7C15ull) >> (64 - win.bits));
  while (win.table[i].gen == win.gen && win.table[i].h != h) i = (i + 1) & mask;
  return &win.table[i];
}

static int in_use(const slot *s) { return s->gen == win.gen; }

static int grow_table(size_t need)
{
  if (win.tablesize >= 4 * need) return 1;
  size_t size = win.tablesize ? win.tablesize : 1024;
  int bits = win.tablesize ? win.bits : 10;
  while (size < 4 * need) size *= 2, bits++;
  slot *old = win.table;
  size_t oldsize = win.tablesize;
  win.table = calloc(size, sizeof *win.table);
  if (!win.table) {
    win.table = old;
    return 0;
  }
  unsigned gen = win.gen;
  win.gen = 1; /* the new table's slots are generation 0: free */
  win.tablesize = size;
  win.bits = bits;
  for (size_t i = 0; i < oldsize; i++)
    if (old[i].gen == gen) {
      slot *s = lookup(old[i].h);
      *s = old[i];
      s->gen = 1;
    }
  free(old);
  return 1;
}

void sai_defer_enable(int on)
{
  sai_defer_flush();
  win.enabled = on;
  win.parts_run = 0;
  if (!on) { /* sa_finalize: nothing stays allocated */
    pthread_mutex_lock(&pool.lock);
    while (pool.n) free(pool.blob[--pool.n]);
    pthread_mutex_unlock(&pool.lock);
    free(win.table);
    free(win.groups);
    win.table = NULL;
    win.groups = NULL;
    win.tablesize = 0;
    win.capgroups = 0;
  }
}

/* The blob of a run: its header, then each part's map, then each part's arguments
 * (16-byte aligned), as sai_run_part reads them. Blobs come from a small pool that
 * run tasks give them back to when they end (sai_run_release): a blob of 64 parts is
 * 170 KiB, and fresh memory for each (malloc trimming and growing its heap) cost a
 * tenth of the submitting thread in page faults. */
typedef struct run_head {
  int nparts, pad;
  size_t cap; /* the block's size */
  struct run_part {
    size_t args, map;
    int n, pad;
  } part[];
} run_head;

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

/* A block of at least n bytes: a pooled one, or a new one of a power of two. */
static run_head *blob_get(size_t n)
{
  run_head *r = NULL;
  pthread_mutex_lock(&pool.lock);
  for (int k = pool.n - 1; k >= 0 && !r; k--)
    if (pool.blob[k]->cap >= n) {
      r = pool.blob[k];
      pool.blob[k] = pool.blob[--pool.n];
    }
  pthread_mutex_unlock(&pool.lock);
  if (r) return r;
  size_t cap = 4096;
  while (cap < n) cap *= 2;
  if ((r = malloc(cap))) r->cap = cap;
  return r;
}

void sai_run_release(void *cl_arg)
{
  run_head *r = cl_arg;
  pthread_mutex_lock(&pool.lock);
  if (pool.n < POOL) pool.blob[pool.n++] = r, r = NULL;
  pthread_mutex_unlock(&pool.lock);
  free(r);
}

static void *run_blob(const group *g, size_t *bytes)
{
  size_t head = align16(sizeof(run_head) + (size_t)g->nparts * sizeof(struct run_part)), n = head;
  for (int k = g->first; k != NONE; k = win.next[k])
    n += align16((size_t)win.parts[k].n * sizeof(int)) + align16(win.parts[k].bytes);
  run_head *r = blob_get(n);
  if (!r) return NULL;
  r->nparts = g->nparts;
  size_t at = head;
  int i = 0;
  for (int k = g->first; k != NONE; k = win.next[k], i++) {
    const part *p = &win.parts[k];
    r->part[i].map = at;
    r->part[i].n = p->n;
    memcpy((char *)r + at, p->map, (size_t)p->n * sizeof(int));
    at += align16((size_t)p->n * sizeof(int));
    r->part[i].args = at;
    memcpy((char *)r + at, p->args, p->bytes);
    at += align16(p->bytes);
  }
  *bytes = n;
  return r;
}

int sai_run_count(const void *cl_arg) { return ((const run_head *)cl_arg)->nparts; }

const void *sai_run_part_args(const void *cl_arg, int k)
{
  return (const char *)cl_arg + ((const run_head *)cl_arg)->part[k].args;
}

void *sai_run_part(const void *cl_arg, int k, void *buffers[], void **local)
{
  const run_head *r = cl_arg;
  const int *map = (const int *)((const char *)r + r->part[k].map);
  for (int j = 0; j < r->part[k].n; j++) local[j] = buffers[map[j]];
  return (char *)r + r->part[k].args;
}

static void drop_part(part *p)
{
  free(p->descr);
  free(p->map);
  free(p->args);
  memset(p, 0, sizeof *p);
}

/* Submits group g: a lone task as it came, else one run task (its tasks one by one,
 * in order, when there is no memory for the run's arguments). */
static int submit_group(const group *g)
{
  int ret = 0;
  size_t bytes;
  void *blob = g->nparts > 1 ? run_blob(g, &bytes) : NULL;
  if (!blob) {
    for (int k = g->first; k != NONE; k = win.next[k]) {
      part *p = &win.parts[k];
      int r = sai_task_insert_now(p->cl, p->descr, p->n, p->args, p->bytes, p->name, NULL);
      p->args = NULL; /* StarPU's now */
      if (r && !ret) ret = r;
    }
    return ret;
  }
  struct starpu_data_descr descr[MAX_BUFFERS];
  memcpy(descr, g->descr, (size_t)g->n * sizeof *descr);
#ifdef STARPU_SIMGRID
  /* a simulation runs no codelet, so none gives the block back: StarPU frees it */
  ret = sai_task_insert_now(g->run_cl, descr, g->n, blob, bytes, "run", NULL);
#else
  ret = sai_task_insert_now(g->run_cl, descr, g->n, blob, bytes, "run", sai_run_release);
#endif
  sai_rt.runs++;
  win.parts_run += g->nparts;
  return ret;
}

int sai_defer_flush(void)
{
  int ret = 0;
  if (!win.nparts) return 0;
  sai_dist_local_begin(NULL, NULL, 0); /* their statements were hashed (--sa-debug) */
  for (int g = 0; g < win.ngroups; g++) {
    int r = submit_group(&win.groups[g]);
    if (r && !ret) ret = r;
  }
  sai_dist_local_end();
  for (int k = 0; k < win.nparts; k++) drop_part(&win.parts[k]);
  if (++win.gen == 0) { /* after 2^32 windows: clear for real, once */
    memset(win.table, 0, win.tablesize * sizeof *win.table);
    win.gen = 1;
  }
  win.used = 0;
  win.nparts = win.ngroups = 0;
  if (ret)
    sai_async_fail(SA_ERR_STARPU, "sa_eval", "submitting a run of statements failed (%d)", ret);
  return ret;
}

/* Whether g (NONE: a new group) may take a task over descr without breaking the
 * rule, and has room for its handles. */
static int fits(int g, const struct starpu_data_descr *descr, int n,
                struct starpu_codelet *run_cl)
{
  if (win.nparts == MAX_WINDOW) return 0;
  if (g != NONE && (win.groups[g].nparts == MAX_PARTS || win.groups[g].run_cl != run_cl ||
                    win.groups[g].n + n > MAX_BUFFERS))
    return 0;
  for (int k = 0; k < n; k++) {
    const slot *s = lookup(descr[k].handle);
    if (!in_use(s)) continue;
    if (s->writer != NONE && s->writer != g) return 0;
  }
  return 1;
}

static int new_group(struct starpu_codelet *run_cl)
{
  if (win.ngroups == win.capgroups) {
    int cap = win.capgroups ? 2 * win.capgroups : 16;
    group *grown = realloc(win.groups, (size_t)cap * sizeof *grown);
    if (!grown) return NONE;
    win.groups = grown;
    win.capgroups = cap;
  }
  group *g = &win.groups[win.ngroups];
  g->run_cl = run_cl;
  g->n = g->nparts = 0;
  g->first = g->last = NONE;
  return win.ngroups++;
}

/* Adds the handles of part k to group g: the run's buffer of each, its mode the
 * union (W alone while the group's first access writes without reading). */
static void join(int gi, int k)
{
  group *g = &win.groups[gi];
  part *p = &win.parts[k];
  for (int j = 0; j < p->n; j++) {
    starpu_data_handle_t h = p->descr[j].handle;
    enum starpu_data_access_mode m = p->descr[j].mode;
    int b = 0;
    while (b < g->n && g->descr[b].handle != h) b++;
    if (b == g->n) g->descr[g->n++] = (struct starpu_data_descr){h, m};
    else if (m & STARPU_W && g->descr[b].mode == STARPU_R) g->descr[b].mode = STARPU_RW;
    p->map[j] = b;
    slot *s = lookup(h);
    if (!in_use(s)) *s = (slot){h, NONE, win.gen}, win.used++;
    if (m & STARPU_W) s->writer = gi;
  }
  win.next[k] = NONE;
  if (g->last == NONE) g->first = k;
  else win.next[g->last] = k;
  g->last = k;
  g->nparts++;
}

/* Whether the task writes descr[0] and nothing else. */
static int writes_first_only(const struct starpu_data_descr *descr, int n)
{
  for (int k = 1; k < n; k++)
    if (descr[k].mode & STARPU_W) return 0;
  return n > 0 && (descr[0].mode & STARPU_W);
}

int sai_task_defer(struct starpu_codelet *cl, struct starpu_codelet *run_cl,
                   const struct starpu_data_descr *descr, int n, void *args, size_t bytes,
                   const char *name)
{
  if (!win.enabled || n > MAX_BUFFERS || !writes_first_only(descr, n) ||
      !grow_table(win.used + (size_t)n)) {
    sai_defer_flush();
    return sai_task_insert_now(cl, (struct starpu_data_descr *)descr, n, args, bytes, name,
                               NULL);
  }
  const slot *key = lookup(descr[0].handle);
  int g = in_use(key) && key->writer != NONE ? key->writer : NONE;
  if (!fits(g, descr, n, run_cl)) {
    sai_defer_flush();
    g = NONE;
  }
  part *p = &win.parts[win.nparts];
  p->descr = malloc((size_t)n * sizeof *descr);
  p->map = malloc((size_t)n * sizeof *p->map);
  if (g == NONE) g = new_group(run_cl);
  if (!p->descr || !p->map || g == NONE) {
    free(p->descr);
    free(p->map);
    p->descr = NULL, p->map = NULL;
    if (g != NONE && !win.groups[g].nparts) win.ngroups--;
    sai_defer_flush();
    return sai_task_insert_now(cl, (struct starpu_data_descr *)descr, n, args, bytes, name,
                               NULL);
  }
  memcpy(p->descr, descr, (size_t)n * sizeof *descr);
  p->cl = cl;
  p->n = n;
  p->args = args;
  p->bytes = bytes;
  p->name = name;
  join(g, win.nparts++);
  return 0;
}

void sai_defer_report(int verbose)
{
  int64_t n = sai_rt.planned, t = sai_rt.tasks;
  if (verbose >= 2 && n)
    fprintf(stderr, "starray: tasks: %lld for %lld statements (%.3g a statement); %lld of "
            "them runs of %lld statements' tiles\n", (long long)t, (long long)n,
            (double)t / (double)n, (long long)sai_rt.runs, (long long)win.parts_run);
  if (verbose >= 2 && sai_rt.mpi) { /* per-rank planning: flat as ranks grow (doc/mpi.md) */
    struct timespec cpu = {0, 0};
    struct rusage ru;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu); /* the program's thread: it plans */
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "starray: rank %d of %d: %lld tasks submitted, %lld handles registered, "
            "%.3f s of this thread's CPU time, peak memory %.0f MiB\n", sai_rt.rank,
            sai_rt.nranks, (long long)t, (long long)sai_rt.handles,
            (double)cpu.tv_sec + 1e-9 * (double)cpu.tv_nsec, (double)ru.ru_maxrss / 1024);
  }
}
