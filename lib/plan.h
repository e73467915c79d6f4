/* SPDX-License-Identifier: MIT
 * The planner (plan.c): shapes, and one StarPU task per output tile; and the
 * statement (statement.c), the request every API family fills to evaluate text. */
#ifndef SAI_PLAN_H
#define SAI_PLAN_H

#include "expr.h"

/* Reductions: the tasks write partial results into handles made by
 * sai_reduce_partial, kept in flat order. */
typedef struct sai_part {
  starpu_data_handle_t h; /* under MPI NULL on ranks that have not needed it yet */
  int64_t tag;
  int64_t begin, end; /* the flat indices it covers: [begin, end) */
  int owner;
} sai_part;
typedef struct sai_reduce_plan {
  int op;
  struct starpu_codelet *cl;
  sai_part *parts;
  int nparts, cap;
  int64_t serial; /* the statement's number and */
  int index;      /* which of its plans this is (0: the reduction, 1 + k: extra k) */
} sai_reduce_plan;
/* A new partial (a packed state, codelets/reduce.h) of flat indices [begin, end) of
 * n, owned by rank owner, appended to red: registered into *h with tag (-1: the
 * next, sai_dist_next_tag), or with h NULL only noted (a task another rank plans). */
sa_status sai_reduce_partial(sai_reduce_plan *red, starpu_data_handle_t *h, int64_t begin,
                             int64_t end, int64_t n, int owner, int64_t tag,
                             const char *func);
/* Part p's handle (of a reduction over n elements), registered if it is not yet. */
starpu_data_handle_t sai_part_handle(sai_part *p, int64_t n);
/* The plan's partials go once the tasks submitted on them are done. */
void sai_reduce_plan_drop(sai_reduce_plan *red);

/* The broadcast shape of ex's operands; text names the statement in messages. */
sa_status sai_broadcast(const sai_expr *ex, int *ndim, int64_t *shape, const char *func,
                        const char *text);
/* Checks that a result of shape (nd, shape) can be assigned to view out. */
sa_status sai_check_assign(const sai_array *out, int nd, const int64_t *shape,
                           const char *func);
/* The first operand of ex of the full shape (nd, shape), or NULL. */
const sai_array *sai_full_operand(const sai_expr *ex, int nd, const int64_t *shape);

enum {
  SAI_SUBMIT_EVAL,       /* out = ex (with ex's extra results into extra's partials) */
  SAI_SUBMIT_REDUCE,     /* ex reduced with op into red's partials; out drives */
  SAI_SUBMIT_ACCUMULATE  /* out = op(out, ex) in order, out stride 0 along an axis */
};
/* What to submit. */
typedef struct sai_submit {
  const char *func;       /* the public function, named in messages */
  const char *name;       /* the tasks' name (traces) */
  int mode;
  const sai_array *out;    /* the view written, or the view a reduction iterates over */
  sai_expr *ex;           /* the operands and program; finished here for dtype */
  sa_dtype dtype;         /* what out (or the reduction's result) holds */
  int op;                 /* REDUCE, ACCUMULATE: SAI_RED_* */
  sai_reduce_plan *red;   /* REDUCE: the per-tile partials */
  sai_reduce_plan *extra; /* EVAL with extra results: one plan each */
  const char *text;       /* a user's statement: --sa-check-finite names it */
} sai_submit;
/* One task per tile of s->out's base that the view covers; a reduction's tasks write
 * their partial results (codelets/reduce.h: states) into new handles of s->red, in
 * flat order. Statements with extra results need tiles that are runs of flat
 * indices (sai_tiles_are_runs). */
sa_status sai_submit_tiles(const sai_submit *s);
/* Whether the part of view in each of its base's tiles is one run of flat indices
 * (the rows of a row-tiled array are; 2-D tiles of a matrix are not). */
int sai_tiles_are_runs(const sai_array *view);

/* One statement out[index] = text (statement.c). */
typedef struct sai_eval_req {
  const char *func;     /* the public function, named in messages */
  sai_array *out;        /* the array written, when made is NULL */
  const char *index;    /* slicing text of out; NULL or "": all of it */
  const char *text;
  const sa_arg *args;
  sai_array **made;      /* or: the new array of the expression's shape and dtype */
  /* sa_eval_reduce: nextra reductions extra[k] (compiled by the caller, of the
   * statement's shape) with ops[k] into plans[k]'s partials; operands bound to
   * result (the view out[index], as "_") read the statement's result */
  int nextra;
  sai_expr *const *extra;
  const int *ops;
  sai_reduce_plan *plans;
  const sai_array *result;
} sai_eval_req;
sa_status sai_eval(const sai_eval_req *req);
/* out (a new array of src's shape, placed like src) = src converted to dtype. */
sa_status sai_copy_as(sai_array **out, const sai_array *src, sa_dtype dtype, const char *func);

#endif /* SAI_PLAN_H */
