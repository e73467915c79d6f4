/* SPDX-License-Identifier: MIT
 * Internal declarations shared by lib/ and codelets/, from the bottom layer up:
 * errors, runtime state and settings, distribution, arrays and views, futures.
 * doc/design.md has the layers and the direction of calls. */
#ifndef SAI_H
#define SAI_H

#include "sa_config.h"
#include "starray.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <starpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ errors
 * Every internal function that can fail returns sa_status, declares
 * `sa_status st = SA_OK;` and has one `done:` label (cleanup, then return st).
 *   SAI_CALL(expr)                  propagate a failure, adding this frame
 *   SAI_REQUIRE(cond, code, fmt..)  check user input (always compiled)
 *   SAI_ASSERT(cond)                our own invariant (SA_ERR_INTERNAL)
 *   SAI_FAIL(code, fmt..)           raise an error here
 * Messages start with the public function's name: "sa_init: ...". */
sa_status sai_error_raise(sa_status code, const char *file, int line, const char *func,
                          const char *fmt, ...) SA_PRINTF(5, 6);
void sai_error_push(sa_status code, const char *file, int line, const char *func);

#define SAI_FAIL(code, ...)                                                      \
  do {                                                                           \
    st = sai_error_raise((code), __FILE__, __LINE__, __func__, __VA_ARGS__);     \
    goto done;                                                                   \
  } while (0)

#define SAI_REQUIRE(cond, code, ...)                                             \
  do {                                                                           \
    if (!(cond)) SAI_FAIL(code, __VA_ARGS__);                                    \
  } while (0)

#define SAI_CALL(expr)                                                           \
  do {                                                                           \
    st = (expr);                                                                 \
    if (st != SA_OK) {                                                           \
      sai_error_push(st, __FILE__, __LINE__, __func__);                          \
      goto done;                                                                 \
    }                                                                            \
  } while (0)

#ifdef NDEBUG
#define SAI_ASSERT(cond) ((void)0)
#else
#define SAI_ASSERT(cond) SAI_REQUIRE(cond, SA_ERR_INTERNAL, "internal check failed: %s", #cond)
#endif

/* Errors found inside tasks (CUDA launches, wrong values) cannot be returned where
 * they happen: the first one is kept, thread-safely, and the next call that waits
 * (sa_finalize, a read, ...) returns it through sai_async_take. */
void sai_async_fail(sa_status code, const char *op, const char *fmt, ...) SA_PRINTF(3, 4);
sa_status sai_async_take(const char *func);
/* " at file:line in func()" of the user's SA_CHECK around the current call, or "". */
void sai_call_site_text(char *buf, size_t size);
/* Where the program was last seen calling libstarray (any thread), as a phrase. */
void sai_last_call_text(char *buf, size_t size);
/* --sa-check-finite: statement number n (text) wrote value; the earliest is kept. */
void sai_nonfinite(int64_t statement, const char *text, double value);
void sai_async_reset(void);

/* ---------------------------------------------------------------- settings */
typedef struct sai_settings {
  int help;               /* --sa-help was given */
  int ncpus;              /* -1: StarPU's choice */
  int ncuda;              /* -1: StarPU's choice */
  char sched[64];         /* "": StarPU's choice */
  char trace[4096];       /* "": no tracing */
  sa_error_policy on_error;
  int tile_size;          /* target elements per tile */
  int max_tiles;          /* most tiles per array */
  int debug;              /* report leaks */
  int check_finite;       /* check every statement's output for NaN/Inf */
  int verbose;            /* 0 quiet, 1 warnings, 2 configuration at start */
  int gpu_mem;            /* MiB per GPU, -1: StarPU's default */
  int cpu_mem;            /* MiB the CPUs' memory node may hold, -1: no limit */
  char disk_swap[4096];   /* "": no disk behind the CPUs' memory */
  int max_pending;        /* submission throttle (tasks), 0: none */
  int mpi;                /* 0 auto, 1 off, 2 on */
  int mpi_dist;           /* 0 block, 1 cyclic */
  char mpi_grid[32];      /* "PxQ", "": near-square */
  int mpi_stats;          /* count bytes sent */
  int jit;                /* 0 on, 1 off, 2 sync */
  char jit_cache[4096];   /* "": the default directory; "off": none kept */
  char jit_cc[4096];      /* "": the compiler configure found */
  char jit_dump[4096];    /* "": none; else where kernels' sources are written */
  int fuse;               /* 0 on, 1 off: consecutive statements as one task per tile */
  int huge_pages;         /* 0 on, 1 off: large tiles in transparent huge pages */
  int where;              /* SAI_WHERE_*: the workers tasks may run on */
  int math;               /* SAI_MATH_*: who computes float functions and ** */
} sai_settings;
enum { SAI_WHERE_ANY, SAI_WHERE_CPU, SAI_WHERE_CUDA };
enum { SAI_MATH_PORTABLE, SAI_MATH_NATIVE }; /* codelets/pmath.h, or the C library's */

/* Codelets have CUDA implementations: built by nvcc, or host-compiled against the
 * emulation of tests/cudaemu (SAI_CUDA_EMU, make check's second library). */
#if SA_HAVE_CUDA || defined(SAI_CUDA_EMU)
#define SAI_CUDA_CODELETS 1
#else
#define SAI_CUDA_CODELETS 0
#endif

/* Parses defaults < code text < environment < command line into *out, then removes
 * the --sa-* arguments from argc/argv. On error nothing is removed. */
sa_status sai_options_parse(sai_settings *out, int *argc, char ***argv, const char *code);


/* ----------------------------------------------------------- runtime state
 * lib/runtime.c, the bottom layer: what sa_init set up, read by every layer. */
/* Library state between sa_init and sa_finalize. */
typedef struct sai_runtime {
  int initialized;
  unsigned epoch; /* counts sa_init calls */
  int64_t statements; /* sa_eval calls so far: numbers for --sa-check-finite */
  int64_t planned;    /* statements planned into tasks (all kinds), and */
  int64_t tasks;      /* the tasks submitted, and */
  int64_t handles;    /* under MPI: handles registered with StarPU-MPI on this rank */
  int64_t runs;       /* how many of them were runs, for --sa-verbose=2 and traces */
  int describe;       /* see sai_describe_tasks */
  sai_settings settings;
  int mpi;            /* arrays are spread over MPI ranks */
  int rank, nranks;   /* this process's MPI rank and the rank count (0 and 1 without) */
  int grid[2];        /* process grid of the block distribution */
} sai_runtime;
extern sai_runtime sai_rt;

sa_status sai_require_init(const char *func);

/* Whether tasks should carry a description of their statement: only read when
 * --sa-check-finite is on or a CUDA kernel could fail. */
int sai_describe_tasks(void);

/* A hash of n bytes at p, 8 at a time (the last word zero-padded), from h: for the
 * in-memory tables (compiled kernels, compiled expressions); not for file names. */
uint64_t sai_hash_words(uint64_t h, const void *p, size_t n);

/* What hwloc sees on this machine: cores, hardware threads, NUMA nodes (0 if not). */
void sai_machine_counts(int *cores, int *pus, int *numa);
/* Hardware threads this process is bound to (by mpirun, taskset, ...); 0 if unknown. */
int sai_bound_pus(void);

/* ------------------------------------------------------------ distribution
 * lib/dist.c. Under MPI every rank makes the same calls in the same order. */
typedef struct sai_base sai_base;   /* an array's tiles (below) */
typedef struct sai_array sai_array; /* a view of them (below) */
/* Starts StarPU, or StarPU-MPI (after MPI itself if needed), per sai_rt.settings. */
sa_status sai_dist_start(int *argc, char ***argv);
void sai_dist_stop(void);
/* Waits for every task and, under MPI, every transfer (a collective). */
void sai_dist_wait_all(void);
/* Ends every rank's process now (MPI_Abort), after a message (a rank left early). */
void sai_dist_abort(void);
/* Checks the distribution fields of a user's array options. */
sa_status sai_dist_check_opts(const sa_array_opts *opts, const char *func);
/* Gives every tile of a new base its owner rank and tag (opts checked); see
 * sai_array_new_dist for like and on_root. 0: out of memory. */
int sai_dist_register_base(sai_base *b, const sa_array_opts *opts, const sai_array *like,
                            int on_root);
/* Gives one handle (a partial result, a future) an owner rank and a tag: the next
 * of the current scope (below), or of the counter every rank advances alike. */
void sai_dist_register(starpu_data_handle_t h, int owner);
void sai_dist_register_tag(starpu_data_handle_t h, int64_t tag, int owner);
int64_t sai_dist_next_tag(void);
int sai_dist_owner(starpu_data_handle_t h);
int sai_dist_mine(starpu_data_handle_t h);
/* Per-rank planning. A rank plans and submits only the tasks it takes part in, so
 * handles made while planning a statement cannot take tags from a counter: those of
 * piece (task) p of the statement numbered serial are sai_dist_piece_tag(serial, p,
 * slot), slots 0..SAI_DIST_RESERVED - 1 for its partial results, the rest handed out
 * in order by sai_dist_register inside sai_dist_scope(serial, p) (until
 * sai_dist_scope_end, which says whether the piece's slots sufficed). A reduction's
 * combine states are sai_dist_combine_tag(serial, plan, level, group). */
#define SAI_DIST_RESERVED 8
int64_t sai_dist_piece_tag(int64_t serial, int64_t piece, int64_t slot);
int64_t sai_dist_combine_tag(int64_t serial, int plan, int level, int64_t group);
void sai_dist_scope(int64_t serial, int64_t piece);
int sai_dist_scope_end(void);
/* Whether this rank may hold a copy of h, another rank's, that a task writing h must
 * make stale (StarPU-MPI forgets it when that task is submitted here). */
int sai_dist_may_hold(starpu_data_handle_t h);
/* A task planned here (and perhaps held back) reads h, another rank's, here. */
void sai_dist_reads(starpu_data_handle_t h);
/* Whether this rank takes part in a task that writes tile t of b and reads nothing
 * other ranks own (always without MPI). */
int sai_dist_writes_here(const sai_base *b, int64_t t);
/* --sa-debug: operations planned per rank hash what every rank plans (the
 * statement: what and n items; what NULL: nothing) between _begin and _end; the
 * tasks they submit are not hashed. */
void sai_dist_local_begin(const char *what, const int64_t *items, int n);
void sai_dist_local_end(void);
/* Submits cl over descr (owner computes: the rank owning the first written handle
 * runs it); args, malloc'ed, are always taken. Returns StarPU's code. The deferred
 * tasks (below) go first; _now does not submit them. With release, StarPU leaves
 * args alone and the codelet gives them to release when it ends (here it does so
 * at once where the task is not submitted: another rank's, or a failure). */
int sai_task_insert(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                    void *args, size_t bytes, const char *name);
int sai_task_insert_now(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                        void *args, size_t bytes, const char *name, void (*release)(void *));
/* The body of a public function that is one call of an internal one (its traceback
 * line included): SA_API sa_status sa_sort(...) SAI_API_CALL(sort(out, a, 0, ...)) */
#define SAI_API_CALL(call)                                                            \
  {                                                                                   \
    sa_status st = SA_OK;                                                             \
    SAI_CALL(call);                                                                   \
  done:                                                                               \
    return st;                                                                        \
  }

/* sai_task_insert with a copy of the family's arguments (bytes at args): one task
 * named name, SA_ERR_NOMEM or SA_ERR_STARPU naming it if it cannot be submitted. */
sa_status sai_task_submit(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                          const void *args, size_t bytes, const char *name);

/* A family's codelet sai_<stem>_cl: the kernels sai_<stem>_cpu and, where CUDA
 * codelets are built, sai_<stem>_cuda (asynchronous, on StarPU's stream), a
 * history-based model "starray_<stem>", and the fields given (.nbuffers, .modes). */
#if SAI_CUDA_CODELETS
#define SAI_CODELET_CUDA(stem) .cuda_funcs = {sai_##stem##_cuda}, .cuda_flags = {STARPU_CUDA_ASYNC},
#else
#define SAI_CODELET_CUDA(stem)
#endif
/* ..._BY: with a model whose footprint and size are the family's (a task's work,
 * where the buffers' sizes do not say it), NULL for StarPU's default. */
#define SAI_CODELET_BY(stem, footprint_fn, size_fn, ...)                               \
  static struct starpu_perfmodel sai_##stem##_model = {.type = STARPU_HISTORY_BASED,    \
                                                       .symbol = "starray_" #stem,      \
                                                       .footprint = footprint_fn,       \
                                                       .size_base = size_fn};           \
  struct starpu_codelet sai_##stem##_cl = {.cpu_funcs = {sai_##stem##_cpu},            \
                                           SAI_CODELET_CUDA(stem).model =               \
                                               &sai_##stem##_model,                     \
                                           .name = #stem, __VA_ARGS__}
#define SAI_CODELET(stem, ...) SAI_CODELET_BY(stem, NULL, NULL, __VA_ARGS__)
/* Before the host reads h on rank node (-1: every rank): its owner sends it there
 * (detached; the reader's acquire waits). */
void sai_dist_fetch(starpu_data_handle_t h, int node);
/* --sa-debug under MPI: checks, before a collective wait, that every rank submitted
 * the same operations since sa_init (a collective; SA_ERR_MPI on every rank if not). */
sa_status sai_dist_check_sequence(const char *func);
/* Rank 0's n values of v on every rank. */
sa_status sai_dist_agree(int64_t *v, int n, const char *func);

/* ------------------------------------------------------------ deferred runs
 * lib/defer.c (the distribution layer). A task writing only descr[0], deferred: held
 * back, and submitted with the other held-back tasks writing the same handle as one
 * task of run_cl (a run) when that cannot change any result; see the file. Every
 * other path to StarPU (tasks, acquires, unregistrations, waits, MPI transfers)
 * calls sai_defer_flush first. Calls come from one thread at a time. */
#define SAI_RUN_MAX_BUFFERS 256 /* handles of one deferred task, and of one run */
int sai_task_defer(struct starpu_codelet *cl, struct starpu_codelet *run_cl,
                   const struct starpu_data_descr *descr, int n, void *args, size_t bytes,
                   const char *name);
/* Submits what is held back, in order; nonzero (also recorded for the next wait,
 * sai_async_fail) if StarPU refused a task. */
int sai_defer_flush(void);
/* --sa-fuse: whether tasks are held back at all (flushes first). */
void sai_defer_enable(int on);
/* At sa_finalize, with verbose >= 2: how many statements became how many tasks and
 * runs, on stderr. */
void sai_defer_report(int verbose);
/* Inside a run task: its number of parts, and part k's arguments, with its own
 * buffers (as the task it came from had them) put into local. */
int sai_run_count(const void *cl_arg);
void *sai_run_part(const void *cl_arg, int k, void *buffers[], void **local);
/* Part k's arguments alone (no buffers: for performance models). */
const void *sai_run_part_args(const void *cl_arg, int k);
/* The end of a run task: its arguments go back to the pool they came from. */
void sai_run_release(void *cl_arg);

/* ----------------------------------------------------------------- handles
 * lib/handle.c. A user's sai_array * or sai_future * is a number naming a slot of
 * its kind's pool and the slot's generation; every object starts with sai_obj. */
#define SAI_MAGIC_LIVE 0x53414c76u
#define SAI_MAGIC_DEAD 0x64656164u
typedef struct sai_obj {
  uint32_t magic; /* SAI_MAGIC_LIVE while in use */
  uint32_t gen;   /* changes at every release: old handles no longer match */
  uint32_t slot;
  unsigned epoch; /* which sa_init..sa_finalize period made it */
} sai_obj;
#define SAI_POOL_CHUNK 4096
#define SAI_POOL_NCHUNKS 4096 /* at most 16 Mi objects of a kind at once */
typedef struct sai_pool {
  size_t size;  /* of one object */
  unsigned tag; /* the kind, in a handle's top byte */
  pthread_mutex_t lock;
  char *chunks[SAI_POOL_NCHUNKS];
  uint32_t nslots;               /* slots ever used */
  uint32_t *fifo;                /* released slots, oldest first (a ring) */
  size_t head, nfree, cap;
} sai_pool;
#define SAI_POOL_INIT(type, tag) {sizeof(type), (tag), PTHREAD_MUTEX_INITIALIZER, {NULL}, 0, NULL, 0, 0, 0}
enum { SAI_HANDLE_OK, SAI_HANDLE_NULL, SAI_HANDLE_FOREIGN, SAI_HANDLE_RELEASED,
       SAI_HANDLE_ENDED };
/* A zeroed object with a live header, or NULL (out of memory or of slots). */
void *sai_pool_get(sai_pool *p);
/* The object is dead: its handles are stale; its slot serves again later. */
void sai_pool_put(sai_pool *p, void *obj);
/* The handle users hold for obj. */
void *sai_pool_handle(const sai_pool *p, const void *obj);
/* *obj for handle, and SAI_HANDLE_OK; or why not (*obj NULL). Never reads memory a
 * foreign handle points to. */
int sai_pool_find(const sai_pool *p, const void *handle, void **obj);
/* sai_pool_find, with SA_ERR_INVALID_HANDLE saying why not: kind names the pool's
 * objects ("array"), which the handle ("argument 2", "the array bound to 'u'"). */
sa_status sai_handle_get(const sai_pool *p, const void *handle, const char *kind,
                         const char *which, const char *func, void **obj);

/* ------------------------------------------------------------------ arrays
 * A base owns a grid of tiles, each a contiguous C-order block registered as one
 * StarPU vector handle (edge tiles are smaller). An sai_array is a view of a base:
 * view dimension v walks base dimension map[v] with stride step[v] from offset;
 * base dimensions no view dimension maps to stay at offset (integer indexing). */
/* Limits of a tiling: StarPU counts a vector's elements in 32 bits (we stay in 31). */
#define SAI_MAX_TILE_ELEMS ((int64_t)INT32_MAX)
#define SAI_MAX_ELEMS ((int64_t)1 << 50)
struct sai_base {
  struct sai_base *prev, *next; /* every live base, so sa_finalize can clean up */
  int refcount;
  int borrowed; /* the handle belongs to someone else (a future): never unregistered */
  sa_dtype dtype;
  int ndim;
  int64_t shape[SA_MAX_NDIM], tile[SA_MAX_NDIM], grid[SA_MAX_NDIM];
  int64_t ntiles;
  /* C order over grid. Under MPI a rank registers only the tiles its tasks touch:
   * NULL until then (sai_tile), tile t's tag tag0 + t and its owner owner[t]. */
  starpu_data_handle_t *handles;
  int64_t tag0;
  int *owner;
  int64_t *mine, nmine; /* under MPI: the tiles this rank owns, in order */
};
/* Tile t's handle, registered now if this rank has not touched it yet. */
starpu_data_handle_t sai_tile_register(const sai_base *b, int64_t t);
static inline starpu_data_handle_t sai_tile(const sai_base *b, int64_t t)
{
  return b->handles[t] ? b->handles[t] : sai_tile_register(b, t);
}
/* The rank owning tile t (0 without MPI); no registration. */
int sai_tile_owner(const sai_base *b, int64_t t);
/* Elements of tile t. */
int64_t sai_tile_elems(const sai_base *b, int64_t t);

struct sai_array {
  sai_obj obj; /* the user's handle: sai_array_handle, sai_array_get */
  int refcount;
  sai_base *base;
  int ndim;
  int64_t shape[SA_MAX_NDIM];
  int map[SA_MAX_NDIM];            /* view dim -> base dim */
  int64_t step[SA_MAX_NDIM];       /* per view dim, in base elements */
  int64_t offset[SA_MAX_NDIM];     /* per base dim: base index of view element 0 */
};

/* The array a user's handle (argument number argn of func) stands for, or
 * SA_ERR_INVALID_HANDLE saying why not; _as names the handle with which ("the array
 * bound to 'u'"); sai_array_check only checks. */
sa_status sai_array_get(sai_array **out, const sa_array *h, const char *func, int argn);
sa_status sai_array_get_as(sai_array **out, const sa_array *h, const char *func,
                          const char *which);
sa_status sai_array_check(const sa_array *h, const char *func, int argn);
/* The same without a message: 1 and *out if h is a live array, else 0. */
int sai_array_lookup(sai_array **out, const sa_array *h);
/* The handle users hold for a (what constructors return, SA_ARR binds). */
sa_array *sai_array_handle(const sai_array *a);
#define SAI_ARR(name, a) SA_ARR(name, sai_array_handle(a))
/* A new base array (tiles registered, not yet written). */
sa_status sai_array_new(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                        const sa_array_opts *opts, const char *func);
/* The same, under MPI with every tile on rank 0 (on_root, for files), or each tile
 * on the rank owning the same element of view like (of the same shape; temporaries
 * and results then live where their inputs do). */
sa_status sai_array_new_dist(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                             const sa_array_opts *opts, const sai_array *like, int on_root,
                             const char *func);
/* Copies view a into host memory (C order). Under MPI every rank takes part; with
 * root only rank 0's host buffer is written. */
sa_status sai_host_read(const sai_array *a, void *host, int root, const char *func);
/* Writes every tile of a new, whole base array a from host data (each rank its own
 * tiles). */
sa_status sai_host_fill(sai_array *a, const void *data, const char *func);
int64_t sai_array_size(const sai_array *a);
/* A 0-d view of element `index` of a one-tile, n-element base over a handle that
 * stays someone else's (a future's). */
sa_status sai_array_borrow(sai_array **out, starpu_data_handle_t h, sa_dtype dtype, int64_t n,
                           int64_t index, const char *func);
/* A new handle on the same view of the same base (the base gains a reference). */
sa_status sai_array_alias(sai_array **out, const sai_array *a);
/* At sa_finalize: unregister what the user never released; returns how many. */
int64_t sai_array_cleanup(void);
/* Appends item to a growing pointer array; 0 when memory ran out (nothing changed). */
int sai_push(void ***items, size_t *n, size_t *cap, void *item);
/* Drops one reference to a and sets *a to NULL (NULL: nothing); the last one frees
 * the view, and its base once no view uses it. */
void sai_release(sai_array **a);
/* sa_full for the library's own arrays. */
sa_status sai_full(sai_array **out, sa_dtype dtype, int ndim, const int64_t *shape,
                   double value, const sa_array_opts *opts, const char *func);
/* view.c: view indices [*lo, *hi) along view dim v whose base index falls in tile t of the
 * base dimension v maps to. */
void sai_view_tile_range(const sai_array *a, int v, int64_t t, int64_t *lo, int64_t *hi);
/* Whether tile coordinate t of an unmapped base dim d holds the view's offset. */
int sai_tile_holds_offset(const sai_array *a, int d, int64_t t);
/* Tile number t's extent along base dim d. */
int64_t sai_tile_extent(const sai_base *b, int d, int64_t t);
/* Parses slicing text into a view of a (also used inside expressions). pos_base is
 * added to error positions; func names the caller in messages. */
sa_status sai_view_parse(sai_array **out, const sai_array *a, const char *text, size_t len,
                         const char *func, size_t pos_base);
int sai_same_view(const sai_array *a, const sai_array *b);
/* Whether no element is in both views (their boxes of base indices do not meet). */
int sai_views_disjoint(const sai_array *a, const sai_array *b);
/* sa_view for the library's own arrays. */
sa_status sai_view(sai_array **out, const sai_array *a, const char *index, const char *func);

/* ----------------------------------------------------------------- futures
 * lib/future.c. A future adopts the handle its value is computed into (a
 * one-element vector of sai_partial, codelets/reduce.h) and unregisters it when
 * released; reading the value is the only thing that waits. */
typedef struct sai_future sai_future;
/* The future a user's handle (argument argn of func) stands for, or why not. */
sa_status sai_future_get(sai_future **out, const sa_future *h, const char *func, int argn);
sa_future *sai_future_handle(const sai_future *fu);
/* A new future of a reduction op (SAI_RED_*) whose value has kind f (float). */
sa_status sai_future_new(sai_future **out, sa_dtype dtype, int op, int f, const char *func);
/* Drops a future that failed before its user saw it (NULL: nothing). */
void sai_future_drop(sai_future *fu);
/* A future of the library's own, finished with (as sa_future_release; NULL: nothing). */
void sai_future_release(sai_future *fu);
/* fu takes h, the handle a task will write its value into (before submitting it). */
void sai_future_adopt(sai_future *fu, starpu_data_handle_t h);
/* After that task is submitted: the value comes to every rank and, once it exists,
 * into fu (a StarPU callback). */
sa_status sai_future_watch(sai_future *fu, const char *func);
/* The value of the future handle h as a 0-d operand of an expression, and its
 * dtype there; which names h in messages ("the future bound to 's'"). */
sa_status sai_future_operand(sai_array **out, sa_dtype *dtype, const sa_future *h,
                             const char *which, const char *func);
/* At sa_finalize: handles of futures the program never released are unregistered;
 * returns how many. */
int64_t sai_future_cleanup(void);

/* ------------------------------------------------------------- expressions
 * sa_finalize: empties the cache of parsed expressions (expr.c; verbose >= 2: its
 * counts on stderr). */
void sai_expr_cache_clear(int verbose);
void sai_expr_memo_clear(int verbose); /* lib/exprmemo.c */

#ifdef __cplusplus
}
#endif
#endif /* SAI_H */
