/* SPDX-License-Identifier: MIT
 * libstarray's public API: NumPy-style tiled arrays on StarPU. Everything a user
 * calls is declared here, in the order: version, types, init/options, errors. */
#ifndef STARRAY_H
#define STARRAY_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
#include <initializer_list>
extern "C" {
#endif

/* ------------------------------------------------------------------ version */
#define SA_VERSION_MAJOR 0
#define SA_VERSION_MINOR 1
#define SA_VERSION_PATCH 0
#define SA_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define SA_API __attribute__((visibility("default")))
#define SA_NODISCARD __attribute__((warn_unused_result))
#define SA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SA_API
#define SA_NODISCARD
#define SA_PRINTF(f, a)
#endif

/* -------------------------------------------------------------------- types */

/** Result of every public call. 1xx environment, 2xx caller mistakes,
 *  3xx not available, 4xx numerical, 998 a bug in libstarray. */
typedef enum sa_status {
  SA_OK = 0,
  SA_ERR_NOMEM = 101,           /**< out of memory */
  SA_ERR_NOT_INITIALIZED = 102, /**< sa_init has not been called */
  SA_ERR_INITIALIZED = 103,     /**< sa_init called twice */
  SA_ERR_STARPU = 104,          /**< the StarPU runtime failed */
  SA_ERR_CUDA = 105,            /**< a CUDA or cuBLAS call failed */
  SA_ERR_MPI = 106,             /**< an MPI call failed, or ranks made different calls */
  SA_ERR_IO = 107,              /**< reading or writing a file failed */
  SA_ERR_INVALID_HANDLE = 201,  /**< NULL, freed or foreign object */
  SA_ERR_ARG = 202,             /**< an argument is out of range */
  SA_ERR_SHAPE = 203,           /**< shapes do not match or broadcast */
  SA_ERR_DTYPE = 204,           /**< dtype not allowed here */
  SA_ERR_INDEX = 205,           /**< index out of bounds */
  SA_ERR_SYNTAX = 206,          /**< expression or slice text malformed */
  SA_ERR_OPTION = 207,          /**< unknown or malformed --sa- option */
  SA_ERR_NOT_SUPPORTED = 301,   /**< valid, but not implemented */
  SA_ERR_NOT_CONFIGURED = 302,  /**< libstarray was built without it */
  SA_ERR_NONFINITE = 401,       /**< an operation produced NaN or Inf */
  SA_ERR_INTERNAL = 998         /**< a bug in libstarray: please report */
} sa_status;

/** Element types (NumPy's bool, int32, int64, float32, float64). */
typedef enum sa_dtype {
  SA_BOOL = 0,
  SA_I32 = 1,
  SA_I64 = 2,
  SA_F32 = 3,
  SA_F64 = 4
} sa_dtype;
#define SA_NDTYPES 5

/** Most dimensions an array may have. */
#define SA_MAX_NDIM 4

/** An n-d array or a view of one: an opaque handle, reference counted
 *  (sa_array_release). Once released, the handle and every copy of it are refused
 *  with SA_ERR_INVALID_HANDLE, whatever the library makes later. */
typedef struct sa_array sa_array;

/** A scalar that will exist (see sa_reduce): a handle, released like an array's. */
typedef struct sa_future sa_future;

/** One value bound to a name in an expression (see sa_eval): build with SA_ARR,
 *  SA_NUM, SA_INT, SA_FUT; a list ends with SA_END (SA_ARGS adds it). */
typedef struct sa_arg {
  const char *name;
  int kind; /* 0 end, 1 array, 2 float, 3 int, 4 future */
  const sa_array *array;
  double num;
  int64_t inum;
  const sa_future *future;
} sa_arg;
#ifndef __cplusplus
#define SA_ARR(n, a) ((sa_arg){.name = (n), .kind = 1, .array = (a)})
#define SA_NUM(n, x) ((sa_arg){.name = (n), .kind = 2, .num = (x)})
#define SA_INT(n, x) ((sa_arg){.name = (n), .kind = 3, .inum = (x)})
/* A future's value used inside an expression without the host waiting for it (tasks
 * read it when it exists): every reduction, argmin/argmax as their int64 index. */
#define SA_FUT(n, f) ((sa_arg){.name = (n), .kind = 4, .future = (f)})
#define SA_END ((sa_arg){.kind = 0})
/* The list, living until the end of the enclosing block: SA_ARGS(SA_ARR("u", u), ...) */
#define SA_ARGS(...) ((const sa_arg[]){__VA_ARGS__ SA_ARGS_COMMA_(__VA_ARGS__) SA_END})
#else
/* C++ has no compound literals: the same macros make the values with a function,
 * and a list is an initializer list, which lives until the end of the full
 * expression (the call it is passed to). */
static inline sa_arg sa_arg_make(const char *name, int kind, const sa_array *array,
                                 double num, int64_t inum, const sa_future *future)
{
  sa_arg a;
  a.name = name;
  a.kind = kind;
  a.array = array;
  a.num = num;
  a.inum = inum;
  a.future = future;
  return a;
}
#define SA_ARR(n, a) sa_arg_make((n), 1, (a), 0, 0, 0)
#define SA_NUM(n, x) sa_arg_make((n), 2, 0, (x), 0, 0)
#define SA_INT(n, x) sa_arg_make((n), 3, 0, 0, (x), 0)
#define SA_FUT(n, f) sa_arg_make((n), 4, 0, 0, 0, (f))
#define SA_END sa_arg_make(0, 0, 0, 0, 0, 0)
#define SA_ARGS(...)                                                                 \
  (std::initializer_list<sa_arg>{__VA_ARGS__ SA_ARGS_COMMA_(__VA_ARGS__) SA_END}.begin())
#endif
/* SA_ARGS() with nothing in it needs C23 or C++20 (__VA_OPT__); SA_NOARGS (NULL)
 * binds nothing in every language. */
#if (defined(__cplusplus) && __cplusplus >= 202002L) ||                               \
    (!defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L)
#define SA_ARGS_COMMA_(...) __VA_OPT__(, )
#else
#define SA_ARGS_COMMA_(...) ,
#endif
#define SA_NOARGS ((const sa_arg *)0)

/** What the library and the running process have (sa_config_query). */
typedef struct sa_config {
  const char *version;        /**< libstarray version, "MAJOR.MINOR.PATCH" */
  const char *starpu_version; /**< StarPU version libstarray was built with */
  int have_cuda;              /**< 1 if CUDA codelets were built */
  int have_mpi;               /**< 1 if distributed arrays are available */
  int have_fxt;               /**< 1 if StarPU can record FxT traces */
  int initialized;            /**< 1 between sa_init and sa_finalize */
  int ncpu_workers;           /**< StarPU CPU workers (0 before sa_init) */
  int ncuda_workers;          /**< StarPU CUDA workers (0 before sa_init) */
  const char *sched;          /**< scheduler in use (NULL before sa_init) */
  const char *trace_dir;      /**< directory FxT traces go to, NULL if off */
  int ncores, npus, nnuma;    /**< what hwloc sees on this machine */
  int mpi;                    /**< 1 if arrays are spread over MPI ranks now */
  int mpi_rank, mpi_size;     /**< this process's rank and the rank count (0, 1 without) */
  /** Compiled statements after sa_init (NULL before): "on, compiler CC, cache DIR",
   *  "not working, ..." (they are interpreted) or "off (--sa-jit=off)". */
  const char *jit;
  /** 1 if StarPU's idle workers sleep (built with --enable-blocking-drivers), 0 if
   *  they spin, taking a core from the thread that submits when all are workers */
  int idle_workers_sleep;
} sa_config;

/* ------------------------------------------------------------ init, options */

/**
 * Start libstarray and StarPU. Removes the library's own options (--sa-*, any
 * position) from argc/argv and leaves the others, in order.
 *
 * @param[in,out] argc  &argc of main, or NULL: argv is then never read.
 * @param[in,out] argv  &argv of main, or NULL.
 * Options: precedence default < STARRAY_* environment < command line;
 * --sa-help lists them all (and sa_init still succeeds). See doc/options.md.
 * Started by mpirun with 2 or more ranks (or with --sa-mpi=on), it starts MPI and
 * StarPU-MPI and every rank runs the program on shared arrays (doc/mpi.md).
 * Waits:  yes (StarPU start-up).
 * Errors: SA_ERR_OPTION, SA_ERR_INITIALIZED, SA_ERR_STARPU, SA_ERR_MPI,
 * SA_ERR_NOT_CONFIGURED (MPI wanted, but built without it).
 * See also: sa_init_ex, sa_finalize.
 */
SA_API SA_NODISCARD sa_status sa_init(int *argc, char ***argv);

/**
 * sa_init with options given from code, written as on a command line
 * ("--sa-ncpus=2 --sa-sched=dmda"). They have the lowest precedence: the
 * environment and the command line override them.
 *
 * @param[in,out] argc, argv  as for sa_init (may be NULL).
 * @param[in]     options     option text, or NULL.
 * Waits:  yes.  Errors: as sa_init.
 */
SA_API SA_NODISCARD sa_status sa_init_ex(int *argc, char ***argv, const char *options);

/** Options from code, typed; start from SA_SETTINGS_DEFAULT (every field unset) and set
 *  what you need. Same meaning and precedence as sa_init_ex's text (the lowest). */
typedef struct sa_settings {
  int ncpus, ncuda, tile_size, max_pending, verbose, gpu_mem; /* SA_UNSET: not set */
  int check_finite, debug;                                   /* SA_UNSET, 0 or 1 */
  const char *sched, *trace;                                 /* NULL: not set */
  int on_error;                 /* SA_UNSET or an sa_error_policy but CALLBACK */
} sa_settings;
#define SA_UNSET (-2147483647 - 1)
#define SA_SETTINGS_DEFAULT                                                     \
  ((sa_settings){SA_UNSET, SA_UNSET, SA_UNSET, SA_UNSET, SA_UNSET, SA_UNSET,    \
                 SA_UNSET, SA_UNSET, NULL, NULL, SA_UNSET})

/**
 * sa_init with typed settings from code (NULL: none): what sa_init_ex does with text.
 * Waits: yes.  Errors: as sa_init; SA_ERR_OPTION for a bad value (named as its option).
 */
SA_API SA_NODISCARD sa_status sa_init_settings(int *argc, char ***argv,
                                               const sa_settings *settings);

/**
 * Wait for every submitted task, report asynchronous errors, stop StarPU.
 * Waits:  yes.  Errors: SA_ERR_NOT_INITIALIZED, errors recorded by tasks.
 */
SA_API SA_NODISCARD sa_status sa_finalize(void);

/**
 * Print the table of options (name, type, default, environment twin, meaning,
 * StarPU setting) to a stream. Not collective; callable before sa_init.
 * Errors: SA_ERR_ARG (stream NULL), SA_ERR_IO.
 */
SA_API SA_NODISCARD sa_status sa_options_print(FILE *stream);

/** Print the value every option has in this run (after sa_init), one per line.
 *  Errors: SA_ERR_ARG, SA_ERR_NOT_INITIALIZED, SA_ERR_IO. */
SA_API SA_NODISCARD sa_status sa_options_print_values(FILE *stream);

/**
 * Fill *out with the library's build features and, after sa_init, the workers.
 * Strings are borrowed: valid until sa_finalize. Callable before sa_init.
 * Errors: SA_ERR_ARG (out NULL).
 */
SA_API SA_NODISCARD sa_status sa_config_query(sa_config *out);

/**
 * Bytes this rank has sent to other ranks since sa_init (StarPU-MPI's count of
 * data, not headers); 0 without MPI. Call sa_sync first for a settled count.
 * Errors: SA_ERR_ARG, SA_ERR_NOT_INITIALIZED, SA_ERR_NOT_CONFIGURED (under MPI
 * without --sa-mpi-stats).
 */
SA_API SA_NODISCARD sa_status sa_mpi_bytes_sent(int64_t *out);

/**
 * Run one small task on every worker (CPU and CUDA) and check its result:
 * proves the codelets of this build run here.
 * @param[out] ntasks  number of tasks that ran and gave the right value.
 * Waits:  yes.  Errors: SA_ERR_NOT_INITIALIZED, SA_ERR_INTERNAL (a wrong value).
 */
SA_API SA_NODISCARD sa_status sa_self_test(int *ntasks);

/* ------------------------------------------------------- arrays and views */

/** How the tiles of an array are spread over MPI ranks (see doc/mpi.md). */
typedef enum sa_dist {
  SA_DIST_DEFAULT = 0, /**< --sa-mpi-dist (block unless changed) */
  SA_DIST_BLOCK = 1,   /**< 2-D blocks of neighbouring tiles over a P x Q rank grid */
  SA_DIST_CYCLIC = 2   /**< tile t on rank t % nranks */
} sa_dist;

/** Options for creating an array; NULL, or all zeros, means defaults. */
typedef struct sa_array_opts {
  /** Tile shape (elements per dimension); 0 entries = chosen automatically from the
   *  array size and --sa-tile-size. A tile larger than the array is clipped. */
  int64_t tile[SA_MAX_NDIM];
  /** Under MPI: distribution of the tiles, and the P x Q rank grid of SA_DIST_BLOCK
   *  ({0, 0}: --sa-mpi-grid, near-square by default). Ignored without MPI. */
  sa_dist dist;
  int grid[2];
} sa_array_opts;

/**
 * A new array of the given shape filled with value (converted to dtype as NumPy's
 * astype would). sa_zeros/sa_ones/sa_empty are shorthands.
 *
 * @param[out] out    new array; caller owns it (sa_array_release).
 * @param[in]  dtype  element type.
 * @param[in]  ndim   1 to SA_MAX_NDIM.
 * @param[in]  shape  ndim sizes, each >= 0.
 * @param[in]  value  fill value.
 * @param[in]  opts   tiling, or NULL.
 * Waits: no.  Errors: SA_ERR_NOT_INITIALIZED, SA_ERR_ARG, SA_ERR_DTYPE, SA_ERR_NOMEM.
 */
SA_API SA_NODISCARD sa_status sa_full(sa_array **out, sa_dtype dtype, int ndim,
                                      const int64_t *shape, double value,
                                      const sa_array_opts *opts);
SA_API SA_NODISCARD sa_status sa_zeros(sa_array **out, sa_dtype dtype, int ndim,
                                       const int64_t *shape);
SA_API SA_NODISCARD sa_status sa_ones(sa_array **out, sa_dtype dtype, int ndim,
                                      const int64_t *shape);
/** Like sa_zeros (libstarray never hands out uninitialised memory). */
SA_API SA_NODISCARD sa_status sa_empty(sa_array **out, sa_dtype dtype, int ndim,
                                       const int64_t *shape);

/** A new array of a's shape and dtype (a view gives a new base array), tiled and
 *  distributed as a, holding value (converted as sa_full does), 0 or 1 (NumPy's
 *  full_like, zeros_like, ones_like). Waits: no.
 *  Errors: SA_ERR_ARG (out NULL), SA_ERR_INVALID_HANDLE. */
SA_API SA_NODISCARD sa_status sa_full_like(sa_array **out, const sa_array *a, double value);
SA_API SA_NODISCARD sa_status sa_zeros_like(sa_array **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_ones_like(sa_array **out, const sa_array *a);

/** 1-d array start, start+step, ... below stop (NumPy arange). Errors: SA_ERR_ARG
 *  (step 0). Waits: no. */
SA_API SA_NODISCARD sa_status sa_arange(sa_array **out, sa_dtype dtype, double start,
                                        double stop, double step);
/** 1-d array of num values evenly spaced from start to stop inclusive (NumPy
 *  linspace). Waits: no. */
SA_API SA_NODISCARD sa_status sa_linspace(sa_array **out, sa_dtype dtype, double start,
                                          double stop, int64_t num);

/* Random arrays (doc/random.md): element k (C-order flat index) of the result is a
 * function of (seed, stream, k) alone, by the counter-based generator Philox4x32-10,
 * so an array has the same bits for any tiling, number of workers or MPI ranks, and
 * on CPU or GPU workers. Streams are independent sequences for one seed. Not NumPy's
 * numbers (NumPy's generators keep a state; its Philox is the 4x64 variant). */

/**
 * Uniform values in [0, 1): float64 k 2^-53 from 53 random bits, float32 k 2^-24
 * from 24 (never 1.0).
 *
 * @param[out] out     new array; caller owns it (sa_array_release).
 * @param[in]  dtype   SA_F32 or SA_F64.
 * @param[in]  ndim, shape  as for sa_full.
 * @param[in]  seed, stream  which numbers (the Philox key; the counter's high half).
 * @param[in]  opts    tiling, or NULL.
 * Waits:  no.  Errors: SA_ERR_NOT_INITIALIZED, SA_ERR_DTYPE, SA_ERR_ARG (out NULL,
 * shape), SA_ERR_NOMEM; nothing is submitted on error.
 */
SA_API SA_NODISCARD sa_status sa_random_uniform(sa_array **out, sa_dtype dtype, int ndim,
                                                const int64_t *shape, uint64_t seed,
                                                uint64_t stream, const sa_array_opts *opts);

/**
 * Normal values mean + std z, z standard normal by Box-Muller from two 53-bit
 * uniforms (|z| < 8.58), computed in float64 with the library's own log, sin and
 * cos (within 2 ulp; the same bits on every worker); float32 rounds that value.
 *
 * @param[in]  mean, std  finite, std >= 0, and |mean| + 8.58 std within the dtype.
 * Other parameters as for sa_random_uniform.
 * Waits:  no.  Errors: as sa_random_uniform; SA_ERR_ARG (mean, std).
 */
SA_API SA_NODISCARD sa_status sa_random_normal(sa_array **out, sa_dtype dtype, int ndim,
                                               const int64_t *shape, double mean,
                                               double std, uint64_t seed, uint64_t stream,
                                               const sa_array_opts *opts);

/**
 * Integers in [low, high) (NumPy's integers(low, high)): low + floor(u (high - low)
 * / 2^128) of a 128-bit random u, so each value's probability is within 2^-128 of
 * 1 / (high - low).
 *
 * @param[in]  dtype      SA_I32 or SA_I64.
 * @param[in]  low, high  low < high; for int32 within [-2^31, 2^31].
 * Other parameters as for sa_random_uniform.
 * Waits:  no.  Errors: as sa_random_uniform; SA_ERR_ARG (low, high).
 */
SA_API SA_NODISCARD sa_status sa_random_integers(sa_array **out, sa_dtype dtype, int ndim,
                                                 const int64_t *shape, int64_t low,
                                                 int64_t high, uint64_t seed,
                                                 uint64_t stream, const sa_array_opts *opts);

/**
 * A new array holding a copy of a C-order host buffer of the given dtype and shape.
 * The buffer may be reused as soon as this returns. Under MPI each rank copies in
 * the tiles it owns from its own buffer.
 * Waits: yes (copies in).  Errors: as sa_full, SA_ERR_ARG (data NULL with size > 0).
 */
SA_API SA_NODISCARD sa_status sa_from_buffer(sa_array **out, sa_dtype dtype, int ndim,
                                             const int64_t *shape, const void *data,
                                             const sa_array_opts *opts);

/**
 * Copy an array or view into a C-order host buffer of its dtype and shape
 * (size bytes available: at least sa_array_size(a) * element size). Under MPI every
 * rank gets the whole array (a collective: every rank must call it).
 * Waits: yes, for the tasks that write a.  Errors: SA_ERR_INVALID_HANDLE, SA_ERR_ARG.
 */
SA_API SA_NODISCARD sa_status sa_to_buffer(void *data, size_t size, const sa_array *a);

/**
 * One element of a (NumPy's a.item(i, j, ...)): index holds one index per dimension
 * (negative ones count from the end; NULL for a 0-d view). sa_item gives it as a
 * double, sa_item_int exactly, for bool and integer arrays. Under MPI every rank gets
 * it (a collective, as sa_to_buffer).
 * Waits: yes, for the tasks that write a.  Errors: SA_ERR_ARG (value or index NULL),
 * SA_ERR_INDEX (out of bounds), SA_ERR_DTYPE (sa_item_int of a float array).
 */
SA_API SA_NODISCARD sa_status sa_item(double *value, const sa_array *a, const int64_t *index);
SA_API SA_NODISCARD sa_status sa_item_int(int64_t *value, const sa_array *a,
                                          const int64_t *index);

/**
 * a as NumPy's repr writes it with its default print options (NumPy 1.24: up to 8
 * digits after the point, only as many as give the values back; scientific notation
 * when the values shown span more than 1e3, reach 1e8 or go below 1e-4; rows wrapped
 * at 75 columns; past 1000 elements only the first and last 3 along each axis, with
 * "..."), e.g. "array([[1. , 2.5],\n       [3. , 4. ]])". Only the elements shown are
 * copied from the tiles. sa_array_repr writes at most size bytes into buf, always
 * NUL-terminated when size > 0, and the whole text's length (without the NUL) to
 * *length (if not NULL), as snprintf does; sa_array_print writes it and a newline to
 * f. Under MPI a collective (every rank gets the text).
 * Waits: yes, for the tasks that write a.  Errors: SA_ERR_ARG (buf NULL with size > 0,
 * f NULL), SA_ERR_INVALID_HANDLE, SA_ERR_IO (f not writable), SA_ERR_NOMEM.
 */
SA_API SA_NODISCARD sa_status sa_array_repr(char *buf, size_t size, size_t *length,
                                            const sa_array *a);
SA_API SA_NODISCARD sa_status sa_array_print(FILE *f, const sa_array *a);

/** A new array with a's values (a copy of a view is a new base array). Waits: no. */
SA_API SA_NODISCARD sa_status sa_copy(sa_array **out, const sa_array *a);
/** A new array with a's values converted to dtype (NumPy astype). Waits: no. */
SA_API SA_NODISCARD sa_status sa_astype(sa_array **out, const sa_array *a, sa_dtype dtype);

/**
 * A view of a selected with NumPy slicing text, e.g. "1:-1, ::2", "3, :", "::-1",
 * "None, :" (a new axis of length 1), "..., 0" ("..." stands for every dimension no
 * other item names). An integer drops its dimension; missing trailing dimensions are
 * taken whole.
 * Writes through the view change a. The view keeps a alive.
 * Waits: no.  Errors: SA_ERR_SYNTAX (with the position), SA_ERR_INDEX.
 */
SA_API SA_NODISCARD sa_status sa_view(sa_array **out, const sa_array *a, const char *index);

/** One dimension of a numeric slice for sa_view_ex: start:stop:step (SA_NONE for an
 *  omitted bound or step, as in Python), or an integer index that drops the dimension.
 *  Build with SA_SLICE(start, stop, step), SA_ALL or SA_INDEX(i). */
typedef struct sa_slice {
  int64_t start, stop, step;
  int index;
} sa_slice;
#define SA_NONE INT64_MIN
#define SA_SLICE(start, stop, step) ((sa_slice){(start), (stop), (step), 0})
#define SA_ALL ((sa_slice){SA_NONE, SA_NONE, SA_NONE, 0})
#define SA_INDEX(i) ((sa_slice){(i), SA_NONE, SA_NONE, 1})
#define SA_NEWAXIS ((sa_slice){SA_NONE, SA_NONE, SA_NONE, 2}) /* None: a new axis of 1 */

/**
 * sa_view with numbers: slices[k] selects along dimension k (missing trailing
 * dimensions are taken whole), e.g. sa_view_ex(&v, a, 2, (sa_slice[]){SA_SLICE(1, -1,
 * SA_NONE), SA_INDEX(0)}) is a[1:-1, 0]. Waits: no.  Errors: SA_ERR_INDEX, SA_ERR_ARG.
 */
SA_API SA_NODISCARD sa_status sa_view_ex(sa_array **out, const sa_array *a, int n,
                                         const sa_slice *slices);

/**
 * Views that move, reverse or drop axes (NumPy's transpose, swapaxes, moveaxis, flip,
 * squeeze): no data moves; writes through them change a. transpose: dimension k of
 * the view is a's dimension axes[k] (a permutation; negative counts from the end;
 * NULL reverses the order). moveaxis: a's axis source becomes destination, the
 * others keep their order. flip reverses one axis (as a[::-1] along it). squeeze
 * drops every axis of length 1 (a 0-d view when all are).
 * Waits: no.  Errors: SA_ERR_ARG (out NULL, a repeated axis), SA_ERR_INDEX (an axis
 * out of bounds), SA_ERR_INVALID_HANDLE.
 */
SA_API SA_NODISCARD sa_status sa_transpose(sa_array **out, const sa_array *a, const int *axes);
SA_API SA_NODISCARD sa_status sa_swapaxes(sa_array **out, const sa_array *a, int axis1,
                                          int axis2);
SA_API SA_NODISCARD sa_status sa_moveaxis(sa_array **out, const sa_array *a, int source,
                                          int destination);
SA_API SA_NODISCARD sa_status sa_flip(sa_array **out, const sa_array *a, int axis);
SA_API SA_NODISCARD sa_status sa_squeeze(sa_array **out, const sa_array *a);
/**
 * a with a new shape of the same size (NumPy's reshape, C order; one entry may be -1,
 * inferred): a view when the new shape only adds or drops axes of length 1 (writes
 * through it change a), otherwise a copy into a new array (NumPy would often give a
 * view there; libstarray's tiles rarely allow one). Waits: no.
 * Errors: SA_ERR_SHAPE (another size), SA_ERR_ARG (ndim, a negative entry, two -1),
 * SA_ERR_INVALID_HANDLE.
 */
SA_API SA_NODISCARD sa_status sa_reshape(sa_array **out, const sa_array *a, int ndim,
                                         const int64_t *shape);
/** A view with a new axis of length 1 at position axis of the result (NumPy's
 *  expand_dims; as "None" in slicing text). Waits: no.  Errors: SA_ERR_INDEX. */
SA_API SA_NODISCARD sa_status sa_expand_dims(sa_array **out, const sa_array *a, int axis);
/**
 * A read-only view of a broadcast to shape (NumPy's broadcast_to): new leading axes
 * and axes of length 1 repeat their element. Expressions read it; writing into it is
 * SA_ERR_ARG. Waits: no.
 * Errors: SA_ERR_SHAPE (an axis neither equal nor 1), SA_ERR_ARG (ndim, shape).
 */
SA_API SA_NODISCARD sa_status sa_broadcast_to(sa_array **out, const sa_array *a, int ndim,
                                              const int64_t *shape);

/**
 * A new array joining arrays[0..n) (1 to 256, of one number of dimensions) along an
 * existing axis (concatenate: the shapes agree but along it) or along a new axis at
 * position axis of the result (stack: the shapes agree), of NumPy's result type of
 * all of them; tiled as a new array of its shape. Waits: no.
 * Errors: SA_ERR_ARG (n < 1, arrays NULL), SA_ERR_SHAPE, SA_ERR_INDEX (axis),
 * SA_ERR_INVALID_HANDLE (naming arrays[k]), SA_ERR_NOT_SUPPORTED (n > 256).
 */
SA_API SA_NODISCARD sa_status sa_concatenate(sa_array **out, int n,
                                             const sa_array *const *arrays, int axis);
SA_API SA_NODISCARD sa_status sa_stack(sa_array **out, int n, const sa_array *const *arrays,
                                       int axis);

/** Add a reference. Errors: SA_ERR_INVALID_HANDLE. */
SA_API SA_NODISCARD sa_status sa_array_retain(sa_array *a);
/** Drop a reference and set *a to NULL; NULL or *a NULL is a no-op. Tasks still
 *  using the data keep it alive. Waits: no.  Errors: SA_ERR_INVALID_HANDLE. */
SA_API SA_NODISCARD sa_status sa_array_release(sa_array **a);

/** Shape query: *ndim, and shape[0..ndim-1] when shape is not NULL. */
SA_API SA_NODISCARD sa_status sa_array_shape(const sa_array *a, int *ndim, int64_t *shape);
/** Element type. */
SA_API SA_NODISCARD sa_status sa_array_dtype(const sa_array *a, sa_dtype *dtype);
/** Number of elements. */
SA_API SA_NODISCARD sa_status sa_array_size(const sa_array *a, int64_t *size);
/** Tile shape and tile grid of the array's base (a view reports its base's). */
SA_API SA_NODISCARD sa_status sa_array_tiles(const sa_array *a, int *ndim, int64_t *tile,
                                             int64_t *grid);
/** Bytes per element of a dtype (0 for an invalid dtype). */
SA_API size_t sa_dtype_size(sa_dtype dtype);
/** NumPy's name of a dtype ("float64"), or "invalid". */
SA_API const char *sa_dtype_name(sa_dtype dtype);
/** The dtype NumPy gives a binary operation on a and b (both arrays). */
SA_API sa_dtype sa_result_type(sa_dtype a, sa_dtype b);

/* ------------------------------------------------------------ elementwise */

/**
 * Evaluate a NumPy-style expression in one pass and write it into out[index]
 * (index: slicing text as for sa_view, or NULL/"" for all of out).
 * Names in expr are bound by args (SA_ARGS(SA_ARR("u", u), SA_NUM("dt", dt)); SA_NOARGS
 * or NULL when nothing is bound; works from C++ too);
 * names may be subscripted with slicing text: "u[1:-1, 2:] - u[1:-1, :-2]".
 * Operators: + - * / // % ** (unary -), < <= > >= == !=, & | ^ ~ (and/or/not on
 * bools); the functions of SA_FUNCTIONS below; the constants pi, e, inf and nan (a
 * name bound by args wins over a constant of the same name). NumPy broadcasting and
 * type promotion (C numbers are weak scalars); the result is converted to out's
 * dtype as NumPy's out[...] = expr does (unsafe casting: float to int truncates
 * towards zero, int64 to int32 wraps).
 * Waits: no.  Errors: SA_ERR_SYNTAX, SA_ERR_ARG (unbound name), SA_ERR_SHAPE,
 * SA_ERR_DTYPE, SA_ERR_INDEX; nothing is submitted on error.
 */
SA_API SA_NODISCARD sa_status sa_eval(sa_array *out, const char *index, const char *expr,
                                      const sa_arg *args);
/** sa_eval into a new array of the expression's shape and dtype. */
SA_API SA_NODISCARD sa_status sa_eval_new(sa_array **out, const char *expr,
                                          const sa_arg *args);

/*
 * The functions of expressions, one line each. This table makes everything a
 * function is: the name the parser knows, its instructions, the C function
 * sa_<name>(&out, a[, b[, c]]) of arrays (a thin wrapper over sa_eval_new), the list
 * in doc/expressions.md and the tests' list (starray-info --functions prints it).
 * X(P, name, number of arguments, result, how a double is computed), where result is
 *   SA_FN_FLOAT  a float of the arguments' promoted type (bool and integers give
 *                float64), computed in double by libstarray's version of the C
 *                library function named last (--sa-math=portable, the default: the
 *                same bits on CPU and CUDA workers) or by that function (native);
 *                for float32, rounded to float32 afterwards;
 *   SA_FN_SAME   the arguments' promoted type;
 *   SA_FN_NUMBER the same, but bool is refused (SA_ERR_DTYPE) as NumPy refuses it;
 *   SA_FN_TEST   bool, a test of the value;
 *   SA_FN_WHERE  where(cond, a, b): cond as bool, a and b promoted.
 * "own": libstarray's code with NumPy's definition (doc/expressions.md). P is handed
 * to X untouched.
 */
#define SA_FUNCTIONS(X, P)                                                          \
  X(P, where, 3, SA_FN_WHERE, own) X(P, maximum, 2, SA_FN_SAME, own)                 \
  X(P, minimum, 2, SA_FN_SAME, own) X(P, clip, 3, SA_FN_SAME, own)                   \
  X(P, abs, 1, SA_FN_SAME, own) X(P, sign, 1, SA_FN_NUMBER, own)                    \
  X(P, round, 1, SA_FN_NUMBER, own) X(P, fmod, 2, SA_FN_NUMBER, own)                \
  X(P, isnan, 1, SA_FN_TEST, own) X(P, isinf, 1, SA_FN_TEST, own)                    \
  X(P, isfinite, 1, SA_FN_TEST, own)                                                 \
  X(P, sqrt, 1, SA_FN_FLOAT, sqrt) X(P, exp, 1, SA_FN_FLOAT, exp)                    \
  X(P, expm1, 1, SA_FN_FLOAT, expm1) X(P, log, 1, SA_FN_FLOAT, log)                  \
  X(P, log2, 1, SA_FN_FLOAT, log2) X(P, log10, 1, SA_FN_FLOAT, log10)                \
  X(P, log1p, 1, SA_FN_FLOAT, log1p) X(P, sin, 1, SA_FN_FLOAT, sin)                  \
  X(P, cos, 1, SA_FN_FLOAT, cos) X(P, tan, 1, SA_FN_FLOAT, tan)                      \
  X(P, arcsin, 1, SA_FN_FLOAT, asin) X(P, arccos, 1, SA_FN_FLOAT, acos)              \
  X(P, arctan, 1, SA_FN_FLOAT, atan) X(P, arctan2, 2, SA_FN_FLOAT, atan2)            \
  X(P, hypot, 2, SA_FN_FLOAT, hypot) X(P, sinh, 1, SA_FN_FLOAT, sinh)                \
  X(P, cosh, 1, SA_FN_FLOAT, cosh) X(P, tanh, 1, SA_FN_FLOAT, tanh)                  \
  X(P, floor, 1, SA_FN_FLOAT, floor) X(P, ceil, 1, SA_FN_FLOAT, ceil)
#define SA_DECLARE_FUNCTION(P, name, nargs, result, how)                            \
  SA_API SA_NODISCARD sa_status sa_##name(sa_array **out, SA_FUNCTION_PARAMS_##nargs);
#define SA_FUNCTION_PARAMS_1 const sa_array *a
#define SA_FUNCTION_PARAMS_2 const sa_array *a, const sa_array *b
#define SA_FUNCTION_PARAMS_3 const sa_array *a, const sa_array *b, const sa_array *c
SA_FUNCTIONS(SA_DECLARE_FUNCTION, )

/* One function per operator, each a thin wrapper over sa_eval_new, e.g.
 * sa_add(&c, a, b) is sa_eval_new(&c, "a + b", ...); sa_absolute is sa_abs. */
#define SA_BINARY_OPS(X)                                                            \
  X(add, "a + b") X(subtract, "a - b") X(multiply, "a * b") X(divide, "a / b")      \
  X(floor_divide, "a // b") X(remainder, "a % b") X(power, "a ** b")                \
  X(less, "a < b") X(less_equal, "a <= b") X(greater, "a > b")                      \
  X(greater_equal, "a >= b") X(equal, "a == b") X(not_equal, "a != b")              \
  X(logical_and, "a & b") X(logical_or, "a | b")
#define SA_UNARY_OPS(X) X(negative, "-a") X(absolute, "abs(a)") X(logical_not, "~a")
#define SA_DECLARE_BINARY(name, text)                                               \
  SA_API SA_NODISCARD sa_status sa_##name(sa_array **out, const sa_array *a,        \
                                          const sa_array *b);
#define SA_DECLARE_UNARY(name, text)                                                \
  SA_API SA_NODISCARD sa_status sa_##name(sa_array **out, const sa_array *a);
SA_BINARY_OPS(SA_DECLARE_BINARY)
SA_UNARY_OPS(SA_DECLARE_UNARY)

/** Seconds on the clock StarPU's tasks run by, from an origin fixed at sa_init: the
 *  difference of two readings between sa_init and sa_finalize is elapsed time --
 *  wall-clock (monotonic) time, or the simulated time in a simulation build (a
 *  program's own clock there measures the simulator). Time programs with it. */
SA_API SA_NODISCARD sa_status sa_time(double *seconds);

/** Wait until every submitted task has run; returns errors recorded by tasks. Under
 *  MPI a collective: waits for every rank's tasks and transfers (and, with
 *  --sa-debug, first checks that all ranks made the same calls: SA_ERR_MPI). */
SA_API SA_NODISCARD sa_status sa_sync(void);

/* ---------------------------------------------------- reductions, futures */

/* sa_future (declared with sa_arg): a scalar that will exist, the result of a
 * reduction. Only reading it waits; SA_FUT binds it into expressions. */

/**
 * Reduce a whole expression without materialising it ("sum", "prod", "min", "max",
 * "mean", "all", "any", "argmin", "argmax"), e.g. sa_reduce(&f, "sum", "(u - un)**2", args).
 * NumPy's result types: sum/prod of bool and integers is int64, mean float64
 * (float32 for float32), all/any bool. Sums are cascaded (error ~ log n) in an
 * order that depends on the number of elements alone (chunks of 256 of the flat
 * index, combined by a binary counter; doc/design.md): the value is bitwise the same
 * for any tiling, number of workers, scheduler and number of MPI ranks.
 * @param[out] out  new future; caller owns it (sa_future_release).
 * Waits: no.  Errors: as sa_eval_new; SA_ERR_ARG (unknown op, min/max of nothing).
 */
SA_API SA_NODISCARD sa_status sa_reduce(sa_future **out, const char *op, const char *expr,
                                        const sa_arg *args);

/**
 * sa_eval(out, index, expr, args) and, in the same pass over memory, n (1 to 4)
 * whole-array reductions ops[k] ("sum", "prod", "min", "max", "mean", "all",
 * "any") of expressions exprs[k] over the same bindings and of the statement's
 * shape, into *futures[k]. The reductions see the values the statement reads, before
 * it writes: with out = pn, sa_eval_reduce(pn, NULL, "p", args, 2, (ops){"sum",
 * "sum"}, (exprs){"(p - pn)**2", "pn**2"}, f) copies p into pn and gives the change
 * since the previous copy, reading p and pn once instead of three times. The name
 * "_" in exprs is the statement's result (unsubscripted, and only when it is stored
 * without conversion): "(_ - pn[1:-1, 1:-1])**2" is what an update changed. The
 * values have sa_reduce's bits. In one pass when out[index]'s tiles are runs of flat
 * indices (row tiles) and the statement is not broadcast into it, else as separate
 * reductions submitted first. Runs on CPU workers. Waits: no.
 * Errors: as sa_eval and sa_reduce; SA_ERR_SHAPE (a reduction of another shape),
 * SA_ERR_NOT_SUPPORTED (argmin/argmax, or too large to compute together).
 */
SA_API SA_NODISCARD sa_status sa_eval_reduce(sa_array *out, const char *index,
                                             const char *expr, const sa_arg *args, int n,
                                             const char *const *ops,
                                             const char *const *exprs,
                                             sa_future **futures);
/** Whole-array reductions of a (an array or view). Waits: no. */
SA_API SA_NODISCARD sa_status sa_sum(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_prod(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_min(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_max(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_mean(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_all(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_any(sa_future **out, const sa_array *a);
/** The C-order flat index of the smallest/largest element (the first one on ties;
 *  the first NaN if any), int64, as NumPy's argmin/argmax. Waits: no.
 *  Errors: SA_ERR_ARG for an empty array. */
SA_API SA_NODISCARD sa_status sa_argmin(sa_future **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_argmax(sa_future **out, const sa_array *a);
/**
 * Cumulative sum and product along axis (negative counts from the end) into a new
 * array of a's shape, as NumPy's cumsum/cumprod with an axis: int64 for bool and
 * integers, else a's float dtype (float32 accumulating in float32). Each value is the
 * one before it along the axis combined with the element, in index order, so the
 * bits are NumPy's and the same for any tiling, worker count, worker kind and rank
 * count. Waits: no.
 * Errors: SA_ERR_ARG (out NULL), SA_ERR_INDEX (axis), SA_ERR_SHAPE (0-d),
 * SA_ERR_INVALID_HANDLE.
 */
SA_API SA_NODISCARD sa_status sa_cumsum(sa_array **out, const sa_array *a, int axis);
SA_API SA_NODISCARD sa_status sa_cumprod(sa_array **out, const sa_array *a, int axis);

/**
 * a sorted along its last axis (NumPy's sort with axis=-1), or the int64 indices that
 * sort it (argsort), as NumPy's kind="stable": equal values keep their order; NaN
 * sorts after every number. A 1-d array is sorted whole. New arrays tiled in whole
 * rows; each row is sorted by one task (a merge sort, the same on CPU and CUDA
 * workers). Waits: no.  Errors: SA_ERR_ARG (out NULL), SA_ERR_SHAPE (0-d),
 * SA_ERR_INVALID_HANDLE, SA_ERR_NOMEM (at the next wait: a row's scratch).
 */
SA_API SA_NODISCARD sa_status sa_sort(sa_array **out, const sa_array *a);
SA_API SA_NODISCARD sa_status sa_argsort(sa_array **out, const sa_array *a);

/**
 * Variance and standard deviation of every element of a, as NumPy's var/std: the
 * mean (a future), then the sum of (a - mean)**2 divided by max(n - ddof, 0) (ddof 0:
 * the population's, 1: the sample's), the square root of it for std. Deterministic:
 * both sums have sa_reduce's order, so the same bits for any tiling, worker count and
 * rank count. float32 for float32 (the deviations in float32, as NumPy computes them;
 * the sums accumulate in double), float64 for
 * every other dtype. Nothing waits: the second pass reads the mean in its tasks.
 * An empty array, or n - ddof <= 0, gives NaN or inf (NumPy warns and gives the same).
 * Waits: no.  Errors: SA_ERR_ARG (out NULL), SA_ERR_INVALID_HANDLE.
 */
SA_API SA_NODISCARD sa_status sa_var(sa_future **out, const sa_array *a, int64_t ddof);
SA_API SA_NODISCARD sa_status sa_std(sa_future **out, const sa_array *a, int64_t ddof);
/** The number of elements that are not zero (NaN counts), int64, as NumPy's
 *  count_nonzero. Waits: no. */
SA_API SA_NODISCARD sa_status sa_count_nonzero(sa_future **out, const sa_array *a);

/**
 * Reduce a along one axis (negative counts from the end) into a new array, as NumPy's
 * a.sum(axis=..., keepdims=...) and friends: op is "sum", "prod", "min", "max",
 * "mean", "all" or "any"; result dtypes as for sa_reduce. Values along the axis are
 * combined in index order by one task per output tile: the same bits for any number
 * of workers. Without keepdims a 1-d input gives shape (1,).
 * Waits: no.  Errors: SA_ERR_ARG (unknown op, min/max over an empty axis),
 * SA_ERR_INDEX (axis), SA_ERR_INVALID_HANDLE.
 */
SA_API SA_NODISCARD sa_status sa_reduce_axis(sa_array **out, const char *op,
                                             const sa_array *a, int axis, int keepdims);

/** The 2-norm sqrt(sum(a*a)) of a float array or view (NumPy linalg.norm of a
 *  vector, Frobenius for a matrix). Waits: no. Errors: SA_ERR_DTYPE (not float). */
SA_API SA_NODISCARD sa_status sa_norm(sa_future **out, const sa_array *a);
/** The dot product sum(a*b) of two vectors of one length. Waits: no.
 *  Errors: SA_ERR_SHAPE. */
SA_API SA_NODISCARD sa_status sa_dot(sa_future **out, const sa_array *a, const sa_array *b);

/** The value as a double. Waits: yes, for this future's tasks only. Under MPI every
 *  rank gets the same value (combined on rank 0, then sent to all). */
SA_API SA_NODISCARD sa_status sa_future_get(sa_future *f, double *value);
/** The exact value of an integer or bool result. Waits: yes.
 *  Errors: SA_ERR_DTYPE for float results. */
SA_API SA_NODISCARD sa_status sa_future_get_int(sa_future *f, int64_t *value);
/** *ready = 1 if the value is available (sa_future_get would not wait). Waits: no. */
SA_API SA_NODISCARD sa_status sa_future_test(sa_future *f, int *ready);
/** The result's dtype. */
SA_API SA_NODISCARD sa_status sa_future_dtype(const sa_future *f, sa_dtype *dtype);
/** Drop the future and set *f to NULL (NULL is a no-op). Pending work completes. */
SA_API SA_NODISCARD sa_status sa_future_release(sa_future **f);

/* ------------------------------------------------------------------ linalg */

/**
 * Matrix product a @ b of 2-D float32/float64 arrays or views (NumPy matmul); a
 * 1-D a or b is a row or column vector, and the result then 1-D. Tiled like
 * Chameleon: one gemm task per output tile and k-step (CBLAS on CPUs, cuBLAS on
 * GPUs), in k order, so the result does not depend on workers or schedulers.
 * Operands are copied into square tiles first (views and mixed dtypes included).
 * Waits: no.  Errors: SA_ERR_SHAPE, SA_ERR_DTYPE (integers, bool),
 * SA_ERR_NOT_SUPPORTED (3-d, two vectors).
 */
SA_API SA_NODISCARD sa_status sa_matmul(sa_array **out, const sa_array *a, const sa_array *b);

/* ----------------------------------------------------------------- I/O */

/** Write a (or a view) to a NumPy .npy file (format 1.0, little-endian, C order).
 *  Under MPI rank 0 writes and every rank returns its outcome.
 *  Waits: yes.  Errors: SA_ERR_IO (with the path and the system's reason). */
SA_API SA_NODISCARD sa_status sa_save_npy(const char *path, const sa_array *a);
/** Read a .npy file (format 1.0/2.0, little-endian, C order, bool/int32/int64/
 *  float32/float64) into a new array. Anything else is refused with SA_ERR_IO
 *  naming what is wrong. Under MPI rank 0 reads it and every rank returns its
 *  outcome. Waits: yes. */
SA_API SA_NODISCARD sa_status sa_load_npy(sa_array **out, const char *path,
                                          const sa_array_opts *opts);

/* ------------------------------------------------------------------- errors */

/** The name and meaning of a status, e.g. "SA_ERR_SHAPE: shapes do not match".
 *  Static storage; never NULL (unknown codes give "unknown status"). */
SA_API const char *sa_strerror(sa_status st);

/** The symbolic name of a status, e.g. "SA_ERR_SHAPE". Never NULL. */
SA_API const char *sa_status_name(sa_status st);

/**
 * The last error of this thread, formatted: first line "starray: error NAME (code):
 * message", then one line per call level "  #k function() at file:line".
 * Borrowed: valid until this thread's next libstarray call. "" if none.
 */
SA_API const char *sa_error_message(void);

/** The status of this thread's last error (SA_OK if none). */
SA_API sa_status sa_error_code(void);

/** What happens when an error reaches the user's SA_CHECK. */
typedef enum sa_error_policy {
  SA_ERRORS_PRINT = 0, /**< print the message and traceback to stderr, return (default) */
  SA_ERRORS_ABORT = 1, /**< print, then abort() (for debuggers and core files) */
  SA_ERRORS_SILENT = 2, /**< return the status, print nothing */
  SA_ERRORS_CALLBACK = 3 /**< call the user's handler */
} sa_error_policy;

/** A user error handler: the status and the formatted message with traceback. */
typedef void (*sa_error_handler)(sa_status st, const char *message, void *ctx);

/**
 * Choose what SA_CHECK does with an error. Process-wide; also set by
 * --sa-on-error. handler and ctx are used with SA_ERRORS_CALLBACK only.
 * Errors: SA_ERR_ARG (unknown policy, or CALLBACK without a handler).
 */
SA_API SA_NODISCARD sa_status sa_error_set_policy(sa_error_policy policy,
                                                  sa_error_handler handler, void *ctx);

/** Used by SA_CHECK: the user's file:line:function for the call about to be made
 *  (NULL file clears it). Tasks submitted by that call carry it, so a failure found
 *  later in a task (NaN with --sa-check-finite, a CUDA error) names the user's
 *  line. Per thread; never fails. */
SA_API void sa_call_site(const char *file, int line, const char *func);

/** Used by SA_CHECK: add the caller's frame to the current error and apply the
 *  policy. Returns st. */
SA_API sa_status sa_error_check(sa_status st, const char *file, int line,
                                const char *func);

/**
 * PETSc-style check of a libstarray call from user code: records the call site for
 * the tasks the call submits; on failure, adds the caller's file:line:function to
 * the traceback, applies the error policy (print by default) and returns the
 * status from the enclosing function.
 */
#define SA_CHECK(call)                                                          \
  do {                                                                          \
    sa_call_site(__FILE__, __LINE__, __func__);                                 \
    sa_status sa_check_st_ = (call);                                            \
    sa_call_site(NULL, 0, NULL);                                                \
    if (sa_check_st_ != SA_OK)                                                  \
      return sa_error_check(sa_check_st_, __FILE__, __LINE__, __func__);        \
  } while (0)

#ifdef __cplusplus
}
#endif
#endif /* STARRAY_H */
