/* SPDX-License-Identifier: MIT
 * Distribution over MPI ranks with StarPU-MPI: starting and stopping the runtime,
 * which rank owns each tile, the tags StarPU-MPI matches messages with, and the one
 * task-insertion entry point every operation uses (owner computes). Without MPI, or
 * with --sa-mpi=off, every function here falls back to plain StarPU.
 *
 * Every rank runs the same program, so every rank creates the same arrays and plans
 * the same statements in the same order; but it registers only the tiles its tasks
 * touch and submits only the tasks it takes part in (it runs them, sends data for
 * them, or holds a copy of what they write). Tags follow without any message: an
 * array's tiles take a block of one counter every rank advances alike, and handles
 * made while planning a statement take tags computed from the statement's and the
 * task's numbers. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise: tile memory in huge pages */
#include "sai.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if SA_HAVE_MPI
#include <starpu_mpi.h>

static int we_started_mpi;
static void finalize_mpi(void)
{
  int done = 0;
  MPI_Finalized(&done);
  if (!done) MPI_Finalize();
}

/* Tags above 2^40 leave the low range to programs that use StarPU-MPI themselves;
 * the consistency checks use their own range, so they match even when the ranks'
 * sequences of arrays have diverged. */
static int64_t next_tag = (int64_t)1 << 40;
static int64_t next_check_tag = (int64_t)1 << 50;


/* --sa-debug: a hash of every task this rank submitted (codelet, data tags, modes
 * and sizes, argument size), compared between ranks before each collective wait. */
static uint64_t op_hash = 1469598103934665603u;
static int64_t op_count;

static void hash_bytes(const void *p, size_t n)
{
  for (size_t k = 0; k < n; k++)
    op_hash = (op_hash ^ ((const unsigned char *)p)[k]) * 1099511628211u;
}
#endif

/* Per-statement tags (plan.c): 2^62 + serial (20 bits, reused after a million
 * statements, long after their handles went), piece (24 bits), slot (18 bits); the
 * combine states of reductions 2^61 + serial (20 bits), plan (4), level (4), group
 * (32). */
enum { SERIAL_BITS = 20, PIECE_BITS = 24, SLOT_BITS = 18 };
static struct {
  int on;
  int64_t base, next; /* the piece's first tag and its next free slot */
} scope;
static int local_depth; /* inside sai_dist_local_begin */

/* An environment variable's positive value, or 0. */
static int env_count(const char *const *vars, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    const char *v = getenv(vars[k]);
    if (v && atoi(v) > 0) return atoi(v);
  }
  return 0;
}

/* How many processes the launcher started (1 when not under mpirun): Open MPI,
 * MPICH/Hydra and PMI-based launchers, MVAPICH. */
static int launched_ranks(void)
{
  static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                     "MV2_COMM_WORLD_SIZE"};
  int n = env_count(vars, sizeof vars / sizeof *vars);
  return n ? n : 1;
}

/* This process's rank as the launcher numbered it (0 when not under mpirun). */
static int launched_rank(void)
{
  static const char *const vars[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "MV2_COMM_WORLD_RANK"};
  return env_count(vars, sizeof vars / sizeof *vars);
}

/* StarPU's workers and StarPU-MPI's progress thread poll while idle: with more of
 * them on a machine than cores, every message waits for the right thread to be
 * scheduled (milliseconds). Said once per machine (local rank 0), as a warning. */
static void warn_oversubscribed(void)
{
  static const char *const local_size[] = {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS",
                                           "PMI_LOCAL_SIZE"};
  static const char *const local_rank[] = {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
                                           "PMI_LOCAL_RANK"};
  int ranks = env_count(local_size, 3), me = env_count(local_rank, 3);
  int workers = (int)starpu_worker_get_count();
  if (sai_rt.settings.verbose < 1 || me != 0 || ranks < 2) return;
  int cores, pus, numa;
  sai_machine_counts(&cores, &pus, &numa);
  if (cores < 1 || ranks * (workers + 1) <= cores) return;
  fprintf(stderr,
          "starray: warning: %d MPI ranks on this machine, each with %d worker%s "
          "and StarPU-MPI's progress thread, poll on %d core%s: messages will wait for "
          "threads to be scheduled (milliseconds each). Run fewer ranks per machine or "
          "give each fewer workers (--sa-ncpus), so that ranks x (workers + 1) <= cores "
          "(doc/mpi.md).\n",
          ranks, workers, workers == 1 ? "" : "s", cores, cores == 1 ? "" : "s");
}

/* The process grid: --sa-mpi-grid, or the most nearly square P x Q = n (P <= Q). */
static sa_status choose_grid(int n, const char *text, int *grid)
{
  sa_status st = SA_OK;
  if (text[0]) {
    SAI_REQUIRE(sscanf(text, "%dx%d", &grid[0], &grid[1]) == 2 && grid[0] * grid[1] == n,
                SA_ERR_OPTION, "sa_init: --sa-mpi-grid=%s does not match the %d rank%s",
                text, n, n == 1 ? "" : "s");
  } else {
    grid[0] = (int)sqrt((double)n);
    while (n % grid[0])
      grid[0]--;
    grid[1] = n / grid[0];
  }
done:
  return st;
}

#if SA_HAVE_MPI
/* MPI (if the program has not started it), then StarPU-MPI, which starts StarPU;
 * *ret is StarPU's code. */
static sa_status start_mpi(int *argc, char ***argv, struct starpu_conf *conf, int *ret)
{
  sa_status st = SA_OK;
  const sai_settings *s = &sai_rt.settings;
  int initialized = 0;
  if (s->mpi_stats) setenv("STARPU_MPI_STATS", "1", 1);
#ifdef STARPU_SIMGRID
  /* simulated MPI (SMPI) is started by StarPU-MPI inside the simulation */
  *ret = starpu_mpi_init_conf(argc, argv, 1, MPI_COMM_WORLD, conf);
  if (*ret) goto done;
  initialized = 1;
#else
  MPI_Initialized(&initialized);
#endif
  if (!initialized) {
    int provided = 0;
    SAI_REQUIRE(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) ==
                        MPI_SUCCESS &&
                    provided >= MPI_THREAD_SERIALIZED,
                SA_ERR_MPI,
                "sa_init: MPI_Init_thread failed or gave no MPI_THREAD_SERIALIZED support "
                "(provided %d)", provided);
    /* MPI cannot start twice in a process: it stays up until exit, so a program may
     * call sa_init again after sa_finalize. */
    if (!we_started_mpi) atexit(finalize_mpi);
    we_started_mpi = 1;
  }
#ifndef STARPU_SIMGRID
  *ret = starpu_mpi_init_conf(argc, argv, 0, MPI_COMM_WORLD, conf);
  if (*ret) goto done;
#endif
  starpu_mpi_comm_rank(MPI_COMM_WORLD, &sai_rt.rank);
  starpu_mpi_comm_size(MPI_COMM_WORLD, &sai_rt.nranks);
  sai_rt.mpi = 1;
  st = choose_grid(sai_rt.nranks, s->mpi_grid, sai_rt.grid);
  if (st != SA_OK) {
    sai_error_push(st, __FILE__, __LINE__, __func__);
    starpu_mpi_shutdown();
    sai_rt.mpi = 0;
    goto done;
  }
  warn_oversubscribed();
done:
  return st;
}
#endif

/* Tile memory. Tiles of 2 MiB and more are mapped on 2 MiB boundaries and marked
 * for transparent huge pages (--sa-huge-pages=off: marked against them): a pass over
 * arrays of many 4 KiB pages misses the TLB at every page (CFD-12 at 1024^2 and
 * 4096^2 measured faster, doc/performance.md). Tiles of 64 KiB and more are mapped
 * too, on page boundaries, and every mapped tile starts a little after its boundary,
 * by an amount that changes from one tile to the next: tiles that all began on one
 * would share their addresses modulo 4 KiB (and, in huge pages, modulo the span of
 * the caches' sets), and a statement storing into one tile while loading the same
 * elements of others then waits on false store-to-load conflicts and evicts its own
 * lines (CFD-12 at 4096^2 in huge pages: 2x the time, doc/performance.md). How a tile
 * is freed follows from its size and address alone. Pinned memory (for GPU transfers)
 * is pinned through StarPU as its own would be. */
enum { HUGE_PAGE = 2 << 20, MAPPED = 64 << 10, PAGE = 4096 };

/* The start of the next mapped tile after its boundary: 17 cache lines more than the
 * last one, modulo 31 steps (< 33 KiB) in huge pages and modulo a page in small. */
static size_t stagger(size_t size)
{
  static atomic_uint next;
  size_t k = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed);
  return size >= HUGE_PAGE ? k % 31 * 17 * 64 : k * 17 % (PAGE / 64) * 64;
}

static size_t boundary(size_t size) { return size >= HUGE_PAGE ? HUGE_PAGE : PAGE; }

static int tile_alloc(unsigned node, void **a, size_t size, int flags)
{
  (void)node;
  void *p = NULL;
  if (size >= MAPPED) {
    size_t align = boundary(size), off = stagger(size);
    size_t len = (off + size + PAGE - 1) & ~(size_t)(PAGE - 1);
    size_t extra = align - PAGE;
    char *m = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED) return -ENOMEM;
    char *at = (char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
    if (at > m) munmap(m, (size_t)(at - m));
    if (m + len + extra > at + len) munmap(at + len, (size_t)(m + len + extra - (at + len)));
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
    /* a hint: without THP the pages stay small */
    if (align == HUGE_PAGE)
      madvise(at, len, sai_rt.settings.huge_pages ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
#endif
    p = at + off;
  } else if (posix_memalign(&p, 64, size ? size : 1)) {
    return -ENOMEM;
  }
  if ((flags & STARPU_MALLOC_PINNED) && starpu_memory_pin(p, size)) {
    /* unpinned memory still works, only transfers are slower */
  }
  *a = p;
  return 0;
}

static int tile_free(unsigned node, void *a, size_t size, int flags)
{
  (void)node;
  if (flags & STARPU_MALLOC_PINNED) starpu_memory_unpin(a, size);
  if (size >= MAPPED) {
    size_t off = (uintptr_t)a & (boundary(size) - 1);
    munmap((char *)a - off, (off + size + PAGE - 1) & ~(size_t)(PAGE - 1));
  } else {
    free(a);
  }
  return 0;
}

/* The scheduler when the user names none. With workers that sleep when idle, eager
 * wakes one worker for a new task where lws wakes all of them: a chain of small tasks
 * then leaves the other cores to the submitting thread (one small statement: 1.5-2 us
 * against 4.6-6 us, doc/performance.md). eager's one queue knows nothing of where
 * data lies, so with CUDA workers (an NVIDIA device present and not switched off)
 * StarPU's default, lws, stays; and so it does where idle workers spin anyway. */
static const char *default_sched(void)
{
#ifdef STARPU_NON_BLOCKING_DRIVERS
  return NULL;
#else
  /* --sa-ncuda=0 and --sa-where=cpu arrive as STARPU_NCUDA=0 (init.c, apply_settings) */
  const char *ncuda = getenv("STARPU_NCUDA");
  int cpu_only = !SA_HAVE_CUDA || (ncuda && !strcmp(ncuda, "0")) ||
                 access("/dev/nvidiactl", F_OK) != 0;
  return cpu_only ? "eager" : NULL;
#endif
}

sa_status sai_dist_start(int *argc, char ***argv)
{
  sa_status st = SA_OK;
  const sai_settings *s = &sai_rt.settings;
  int launched = launched_ranks();
#if defined(STARPU_SIMGRID) && SA_HAVE_MPI
  /* a simulation build runs under starpu_smpirun, which sets no launcher variables:
   * every process is a simulated rank */
  int want = s->mpi != 1;
#else
  int want = s->mpi == 2 || (s->mpi == 0 && launched > 1);
#endif
  sai_rt.mpi = 0;
  sai_rt.rank = 0;
  sai_rt.nranks = 1;
  sai_rt.grid[0] = sai_rt.grid[1] = 1;
  starpu_malloc_set_hooks(tile_alloc, tile_free);
  SAI_REQUIRE(!want || SA_HAVE_MPI, SA_ERR_NOT_CONFIGURED,
              "sa_init: %s, but this libstarray was built without MPI support (configure "
              "found no StarPU-MPI); rebuild against a StarPU with MPI (./bootstrap builds "
              "one), or pass --sa-mpi=off to run %d independent copies",
              s->mpi == 2 ? "--sa-mpi=on was given"
                          : "started by mpirun with several ranks",
              launched);
  int bound = sai_bound_pus();
  /* mpirun binds each of 2 ranks to one core by default, and StarPU-MPI keeps a core
   * of the binding for its own thread: none would be left for a worker. Use the core
   * the rank is bound to (the MPI thread shares it), and say so. */
  if (want && bound == 1 && s->ncpus < 0 && !getenv("STARPU_NCPU")) {
    setenv("STARPU_NCPU", "1", 1);
    if (s->verbose >= 1 && launched_rank() == 0)
      fprintf(stderr, "starray: the launcher bound each rank to one core: one CPU worker a "
              "rank (with mpirun, --bind-to none lets StarPU place its threads; "
              "doc/mpi.md)\n");
  }
  struct starpu_conf conf;
  starpu_conf_init(&conf);
  conf.sched_policy_name = default_sched(); /* STARPU_SCHED (--sa-sched) still wins */
  int ret = -ENOSYS;
  if (!want) ret = starpu_init(&conf);
#if SA_HAVE_MPI
  else SAI_CALL(start_mpi(argc, argv, &conf, &ret));
#else
  (void)argc, (void)argv;
#endif
  char why[256] = "";
  if (ret == -ENODEV)
    snprintf(why, sizeof why, " (no worker can run: this process is bound to %d core%s and "
             "%s; pass --sa-ncpus=1, or run without binding, e.g. mpirun --bind-to none)",
             bound, bound == 1 ? "" : "s", want ? "StarPU-MPI keeps one for its thread"
                                               : "--sa-ncpus/--sa-ncuda leave none");
  SAI_REQUIRE(ret == 0, ret == -ENODEV ? SA_ERR_ARG : SA_ERR_STARPU,
              "sa_init: starting StarPU%s failed: %s%s", want ? "-MPI" : "", strerror(-ret), why);
done:
  return st;
}

void sai_dist_wait_all(void)
{
  sai_defer_flush();
#if SA_HAVE_MPI
  if (sai_rt.mpi) {
    starpu_mpi_wait_for_all(MPI_COMM_WORLD);
    return;
  }
#endif
  starpu_task_wait_for_all();
}

void sai_dist_abort(void)
{
#if SA_HAVE_MPI
  if (sai_rt.mpi) MPI_Abort(MPI_COMM_WORLD, 1);
#endif
}

void sai_dist_stop(void)
{
#if SA_HAVE_MPI
  if (sai_rt.mpi) {
    starpu_mpi_shutdown(); /* stops StarPU too: starpu_mpi_init_conf started it */
    sai_rt.mpi = 0;
    return;
  }
#endif
  starpu_shutdown();
}

/* Owner of tile t of b: block distribution (neighbouring tiles together) over the
 * P x Q grid, tile rows over P and the remaining dimensions, flattened, over Q;
 * a tile grid too small for that is spread in one dimension; or round robin. */
static int tile_owner(const sai_base *b, int64_t t, int dist, const int *grid)
{
  int n = sai_rt.nranks;
  if (dist == 1) return (int)(t % n);
  int64_t rows = b->ndim > 1 ? b->grid[0] : 1, cols = b->ntiles / (rows ? rows : 1);
  if (rows < grid[0] || cols < grid[1]) return (int)(t * n / b->ntiles);
  int64_t i = t / cols, j = t % cols;
  return (int)(i * grid[0] / rows) * grid[1] + (int)(j * grid[1] / cols);
}

sa_status sai_dist_check_opts(const sa_array_opts *opts, const char *func)
{
  sa_status st = SA_OK;
  if (!opts) goto done;
  SAI_REQUIRE(opts->dist == SA_DIST_DEFAULT || opts->dist == SA_DIST_BLOCK ||
                  opts->dist == SA_DIST_CYCLIC,
              SA_ERR_ARG,
              "%s: opts->dist is %d; use SA_DIST_DEFAULT, SA_DIST_BLOCK or "
              "SA_DIST_CYCLIC",
              func, (int)opts->dist);
  SAI_REQUIRE((!opts->grid[0] && !opts->grid[1]) ||
                  (opts->grid[0] >= 1 && opts->grid[1] >= 1 &&
                   (int64_t)opts->grid[0] * opts->grid[1] == sai_rt.nranks),
              SA_ERR_ARG, "%s: opts->grid is %dx%d, but there %s %d rank%s", func,
              opts->grid[0], opts->grid[1], sai_rt.nranks == 1 ? "is" : "are",
              sai_rt.nranks, sai_rt.nranks == 1 ? "" : "s");
done:
  return st;
}

/* The rank owning element idx (view indices) of view a. */
static int owner_at(const sai_array *a, const int64_t *idx)
{
  const sai_base *b = a->base;
  int64_t bidx[SA_MAX_NDIM], t = 0;
  memcpy(bidx, a->offset, sizeof bidx);
  for (int u = 0; u < a->ndim; u++)
    bidx[a->map[u]] += idx[u] * a->step[u];
  for (int d = 0; d < b->ndim; d++)
    t = t * b->grid[d] + bidx[d] / b->tile[d];
  return sai_tile_owner(b, t);
}

int sai_dist_register_base(sai_base *b, const sa_array_opts *opts, const sai_array *like,
                           int on_root)
{
#if SA_HAVE_MPI
  if (!sai_rt.mpi) return 1;
  b->owner = malloc((size_t)(b->ntiles ? b->ntiles : 1) * sizeof *b->owner);
  b->mine = malloc((size_t)(b->ntiles ? b->ntiles : 1) * sizeof *b->mine);
  if (!b->owner || !b->mine) return 0;
  b->tag0 = next_tag;
  next_tag += b->ntiles; /* tile t's tag is tag0 + t: registered when first touched */
  int same = like && like->ndim == b->ndim && !(opts && (opts->dist || opts->grid[0]));
  for (int d = 0; same && d < b->ndim; d++)
    same = like->shape[d] == b->shape[d];
  if (on_root || same) {
    for (int64_t t = 0; t < b->ntiles; t++) {
      int64_t idx[SA_MAX_NDIM], rest = t;
      for (int d = b->ndim - 1; d >= 0; d--) {
        idx[d] = rest % b->grid[d] * b->tile[d]; /* the tile's first element */
        rest /= b->grid[d];
      }
      b->owner[t] = on_root ? 0 : owner_at(like, idx);
    }
  } else {
    int dist = sai_rt.settings.mpi_dist, grid[2] = {sai_rt.grid[0], sai_rt.grid[1]};
    if (opts && opts->dist) dist = opts->dist == SA_DIST_CYCLIC;
    if (opts && opts->grid[0]) grid[0] = opts->grid[0], grid[1] = opts->grid[1];
    for (int64_t t = 0; t < b->ntiles; t++) b->owner[t] = tile_owner(b, t, dist, grid);
  }
  b->nmine = 0;
  for (int64_t t = 0; t < b->ntiles; t++)
    if (b->owner[t] == sai_rt.rank) b->mine[b->nmine++] = t;
#else
  (void)b, (void)opts, (void)like, (void)on_root;
#endif
  return 1;
}

int sai_tile_owner(const sai_base *b, int64_t t)
{
  if (b->owner) return b->owner[t];
  return b->handles[t] ? sai_dist_owner(b->handles[t]) : 0; /* a future's: registered */
}

int64_t sai_dist_next_tag(void)
{
  if (scope.on) return scope.next++;
#if SA_HAVE_MPI
  return next_tag++;
#else
  return 0;
#endif
}

void sai_dist_register_tag(starpu_data_handle_t h, int64_t tag, int owner)
{
#if SA_HAVE_MPI
  if (!sai_rt.mpi) return;
  starpu_mpi_data_register(h, tag, owner);
  sai_rt.handles++;
#else
  (void)h, (void)tag, (void)owner;
#endif
}

void sai_dist_register(starpu_data_handle_t h, int owner)
{
  if (sai_rt.mpi) sai_dist_register_tag(h, sai_dist_next_tag(), owner);
}

int64_t sai_dist_piece_tag(int64_t serial, int64_t piece, int64_t slot)
{
  int64_t mask = ((int64_t)1 << SERIAL_BITS) - 1;
  return ((int64_t)1 << 62) | (serial & mask) << (PIECE_BITS + SLOT_BITS) |
         piece << SLOT_BITS | slot;
}

int64_t sai_dist_combine_tag(int64_t serial, int plan, int level, int64_t group)
{
  int64_t mask = ((int64_t)1 << SERIAL_BITS) - 1;
  return ((int64_t)1 << 61) | (serial & mask) << 40 | (int64_t)(plan & 15) << 36 |
         (int64_t)(level & 15) << 32 | (group & 0xffffffff);
}

void sai_dist_scope(int64_t serial, int64_t piece)
{
  scope.on = 1;
  scope.base = sai_dist_piece_tag(serial, piece, 0);
  scope.next = scope.base + SAI_DIST_RESERVED;
}

int sai_dist_scope_end(void)
{
  scope.on = 0;
  return scope.next - scope.base <= ((int64_t)1 << SLOT_BITS);
}

int sai_dist_may_hold(starpu_data_handle_t h)
{
#if SA_HAVE_MPI
  if (!sai_rt.mpi || !h || sai_dist_mine(h)) return 0;
  return starpu_data_get_user_data(h) != NULL || starpu_mpi_cached_receive(h);
#else
  (void)h;
  return 0;
#endif
}

void sai_dist_reads(starpu_data_handle_t h)
{
  /* StarPU-MPI's cache learns of the copy only when the task is submitted; for a
   * task held back (lib/defer.c) the mark says it, until a task writing h is
   * submitted here (sai_task_insert_now) */
  static char mark;
  if (sai_rt.mpi) starpu_data_set_user_data(h, &mark);
}

int sai_dist_writes_here(const sai_base *b, int64_t t)
{
  if (!sai_rt.mpi || sai_tile_owner(b, t) == sai_rt.rank) return 1;
  return sai_dist_may_hold(b->handles[t]);
}

void sai_dist_local_begin(const char *what, const int64_t *items, int n)
{
#if SA_HAVE_MPI
  if (sai_rt.mpi && sai_rt.settings.debug && !local_depth++ && what) {
    hash_bytes(what, strlen(what));
    hash_bytes(items, (size_t)n * sizeof *items);
    op_count++;
  }
#else
  (void)what, (void)items, (void)n;
#endif
}

void sai_dist_local_end(void)
{
  if (sai_rt.mpi && sai_rt.settings.debug) local_depth--;
}

int sai_dist_owner(starpu_data_handle_t h)
{
#if SA_HAVE_MPI
  if (sai_rt.mpi) return starpu_mpi_data_get_rank(h);
#endif
  (void)h;
  return 0;
}

int sai_task_insert(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                    void *args, size_t bytes, const char *name)
{
  sai_defer_flush();
  return sai_task_insert_now(cl, descr, n, args, bytes, name, NULL);
}

sa_status sai_task_submit(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                          const void *args, size_t bytes, const char *name)
{
  sa_status st = SA_OK;
  /* STARPU_CL_ARGS hands the copy to the kernels as is; StarPU frees it */
  void *copy = malloc(bytes);
  SAI_REQUIRE(copy, SA_ERR_NOMEM, "%s: out of memory", name);
  memcpy(copy, args, bytes);
  int ret = sai_task_insert(cl, descr, n, copy, bytes, name);
  SAI_REQUIRE(ret == 0, SA_ERR_STARPU, "%s: task submission failed (%d)", name, ret);
done:
  return st;
}

/* Pending tasks hold their arguments until they end. Besides StarPU's bound on their
 * number (--sa-max-pending), the submitting thread waits while they could hold more
 * than PENDING_BYTES: their number times the largest recent task's arguments (a
 * maximum that decays by 1/64 a task). CFD-12 at 256^2 submits runs of 5 statements
 * (13 KiB of arguments, 14 KiB with StarPU's own) up to 8192 ahead: 110 MiB more
 * resident than its arrays and libraries, all of it cold in the caches; bounded,
 * it is 5 MiB, and runs 8 % faster (doc/performance.md, "Pending bytes"). Programs
 * of small tasks stay under StarPU's count alone. */
#define PENDING_BYTES ((double)(4 << 20))

static void bound_pending_bytes(size_t bytes)
{
  static _Thread_local double big; /* bytes of a large recent task */
  big = (double)bytes > big - big / 64 ? (double)bytes : big - big / 64;
  int most = sai_rt.settings.max_pending;
  if (most <= 0 || big * most <= PENDING_BYTES) return;
  double cap = PENDING_BYTES / big;
  if (starpu_task_nsubmitted() > cap)
    starpu_task_wait_for_n_submitted((unsigned)(cap - cap / 8)); /* as StarPU's own */
}

int sai_task_insert_now(struct starpu_codelet *cl, struct starpu_data_descr *descr, int n,
                        void *args, size_t bytes, const char *name, void (*release)(void *))
{
  int how = release ? STARPU_CL_ARGS_NFREE : STARPU_CL_ARGS;
  sai_rt.tasks++;
#if SA_HAVE_MPI
  if (sai_rt.mpi) {
    int here = -1;
    for (int k = 0; k < n; k++)
      if (descr[k].mode & STARPU_W) {
        if (here < 0) here = starpu_mpi_data_get_rank(descr[k].handle) == sai_rt.rank;
        starpu_data_set_user_data(descr[k].handle, NULL); /* copies elsewhere go stale */
      }
    here = here > 0;
    if (sai_rt.settings.debug && !local_depth) {
      hash_bytes(cl->name, strlen(cl->name));
      for (int k = 0; k < n; k++) {
        int64_t item[3] = {starpu_mpi_data_get_tag(descr[k].handle), (int64_t)descr[k].mode,
                           (int64_t)starpu_data_get_size(descr[k].handle)};
        hash_bytes(item, sizeof item);
      }
      hash_bytes(&bytes, sizeof bytes);
      op_count++;
    }
    /* Every rank takes part: owners send what the executing rank reads, and every
     * rank forgets cached copies of what the task writes. */
    int ret = starpu_mpi_task_insert(MPI_COMM_WORLD, cl, STARPU_DATA_MODE_ARRAY, descr, n,
                                     how, args, bytes, STARPU_NAME, name, 0);
    if (!here || (ret && release)) /* StarPU only takes the arguments of tasks it creates */
      release ? release(args) : free(args);
    else if (!ret) bound_pending_bytes(bytes);
    return ret;
  }
#endif
  int ret = starpu_task_insert(cl, STARPU_DATA_MODE_ARRAY, descr, n, how, args, bytes,
                               STARPU_NAME, name, 0);
  if (ret && release) release(args);
  else if (!ret) bound_pending_bytes(bytes);
  return ret;
}

void sai_dist_fetch(starpu_data_handle_t h, int node)
{
  sai_defer_flush();
#if SA_HAVE_MPI
  if (sai_rt.mpi && node < 0)
    starpu_mpi_get_data_on_all_nodes_detached(MPI_COMM_WORLD, h);
  else if (sai_rt.mpi)
    starpu_mpi_get_data_on_node_detached(MPI_COMM_WORLD, h, node, NULL, NULL);
#else
  (void)h, (void)node;
#endif
}

#if SA_HAVE_MPI
/* The n values at v that rank owner holds, on every rank (a collective); tag counts
 * in one of the two tag ranges. */
static sa_status share(int64_t *v, int n, int owner, int64_t *tag, const char *func)
{
  sa_status st = SA_OK;
  starpu_data_handle_t h;
  starpu_vector_data_register(&h, STARPU_MAIN_RAM, (uintptr_t)v, (uint32_t)n, sizeof *v);
  starpu_mpi_data_register(h, (*tag)++, owner);
  sai_dist_fetch(h, -1);
  int ret = starpu_data_acquire(h, STARPU_R);
  if (ret == 0) starpu_data_release(h);
  starpu_data_unregister(h);
  SAI_REQUIRE(ret == 0, SA_ERR_MPI, "%s: cannot receive rank %d's values (%d)", func, owner,
              ret);
done:
  return st;
}
#endif

sa_status sai_dist_check_sequence(const char *func)
{
  sa_status st = SA_OK;
  int64_t *all = NULL;
  sai_defer_flush(); /* what is held back counts as submitted */
  if (!sai_rt.mpi || !sai_rt.settings.debug) goto done;
#if SA_HAVE_MPI
  int n = sai_rt.nranks;
  all = calloc(2 * (size_t)n, sizeof *all); /* every rank's hash, then its count */
  SAI_REQUIRE(all, SA_ERR_NOMEM, "%s: out of memory", func);
  all[sai_rt.rank] = (int64_t)op_hash;
  all[n + sai_rt.rank] = op_count;
  for (int r = 0; r < n; r++) {
    SAI_CALL(share(&all[r], 1, r, &next_check_tag, func));
    SAI_CALL(share(&all[n + r], 1, r, &next_check_tag, func));
  }
  for (int r = 1; r < n; r++)
    SAI_REQUIRE(all[r] == all[0] && all[n + r] == all[n], SA_ERR_MPI,
                "%s: the ranks did not make the same calls: rank %d submitted %lld "
                "operations, rank 0 %lld%s (a call made by only some ranks, or with "
                "different arguments)",
                func, r, (long long)all[n + r], (long long)all[n],
                all[n + r] == all[n] ? ", but different ones" : "");
#else
  (void)func;
#endif
done:
  free(all);
  return st;
}

sa_status sai_dist_agree(int64_t *v, int n, const char *func)
{
  sa_status st = SA_OK;
  if (!sai_rt.mpi) goto done;
#if SA_HAVE_MPI
  SAI_CALL(share(v, n, 0, &next_tag, func));
#else
  (void)v, (void)n, (void)func;
#endif
done:
  return st;
}

int sai_dist_mine(starpu_data_handle_t h)
{
  return sai_dist_owner(h) == sai_rt.rank;
}

SA_API sa_status sa_mpi_bytes_sent(int64_t *out)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(out, SA_ERR_ARG, "sa_mpi_bytes_sent: out is NULL (argument 1)");
  *out = 0;
  SAI_CALL(sai_require_init("sa_mpi_bytes_sent"));
  if (!sai_rt.mpi) goto done;
  SAI_REQUIRE(sai_rt.settings.mpi_stats, SA_ERR_NOT_CONFIGURED,
              "sa_mpi_bytes_sent: StarPU-MPI counts bytes only with --sa-mpi-stats");
#if SA_HAVE_MPI
  size_t *sent = calloc((size_t)sai_rt.nranks, sizeof *sent);
  SAI_REQUIRE(sent, SA_ERR_NOMEM, "sa_mpi_bytes_sent: out of memory");
  starpu_mpi_comm_stats_retrieve(sent);
  for (int r = 0; r < sai_rt.nranks; r++)
    *out += (int64_t)sent[r];
  free(sent);
#endif
done:
  return st;
}
