/* SPDX-License-Identifier: MIT
 * Compiled expressions remembered by what they were compiled from. A statement that
 * comes again with the same text and the same bindings (the same live arrays, seen
 * through the same views, and the same numbers, bit for bit) takes its program and
 * its operands' views from here instead of being parsed, bound, typed and compiled
 * again: that was half of sa_eval's time for arrays of 256^2 elements. Anything
 * else is a miss and takes the usual path: a difference in any binding, a future
 * among them (its value is another array at every call), an expression that failed.
 * Direct-mapped; a new entry replaces the old one in its slot. */
#include "expr.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 256, MAX_ARGS = 32, NAME_MAX_LEN = 32 };

typedef struct layout { /* what an operand's or a binding's view is made of */
  sai_base *base;
  int ndim;
  int64_t shape[SA_MAX_NDIM];
  int map[SA_MAX_NDIM];
  int64_t step[SA_MAX_NDIM];
  int64_t offset[SA_MAX_NDIM];
} layout;

typedef struct binding {
  char name[NAME_MAX_LEN];
  int kind;
  const sa_array *handle; /* kind 1: the user's handle (its generation included) */
  const sai_array *array; /* what it stood for */
  layout view;
  double num;
  int64_t inum;
} binding;

typedef struct entry {
  uint64_t hash;
  unsigned epoch;
  char *text;
  int nargs;
  binding arg[MAX_ARGS];
  sai_expr ex;                          /* operands NULL, texts NULL */
  int source[SAI_EW_MAX_OPERANDS - 1];  /* operand k views binding source[k] */
  layout view[SAI_EW_MAX_OPERANDS - 1]; /* as this */
} entry;

static struct {
  pthread_mutex_t lock;
  entry *slot[SLOTS];
  unsigned long long hits, misses;
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void layout_of(layout *l, const sai_array *a)
{
  memset(l, 0, sizeof *l); /* compared with memcmp: no stray bytes */
  l->base = a->base;
  l->ndim = a->ndim;
  memcpy(l->shape, a->shape, sizeof l->shape);
  memcpy(l->map, a->map, sizeof l->map);
  memcpy(l->step, a->step, sizeof l->step);
  memcpy(l->offset, a->offset, sizeof l->offset);
}

/* The key's hash: the text and every binding's kind and value (names are compared). */
static uint64_t key_hash(const char *text, size_t len, const sa_arg *args, int *nargs)
{
  uint64_t h = sai_hash_words(0x9e3779b97f4a7c15ull, text, len);
  int n = 0;
  for (; args && args[n].kind; n++) {
    uint64_t item[2] = {(uint64_t)args[n].kind, 0};
    if (args[n].kind == 1) item[1] = (uint64_t)(uintptr_t)args[n].array;
    else if (args[n].kind == 2) memcpy(&item[1], &args[n].num, sizeof item[1]);
    else item[1] = (uint64_t)args[n].inum;
    h = sai_hash_words(h, item, sizeof item);
  }
  *nargs = n;
  return h;
}

/* Whether binding b is still what args gives now (the array it names alive, with
 * the same view). */
static int same_binding(const binding *b, const sa_arg *a)
{
  if (a->kind != b->kind || !a->name || strcmp(a->name, b->name)) return 0;
  if (a->kind == 2) return !memcmp(&a->num, &b->num, sizeof a->num);
  if (a->kind == 3) return a->inum == b->inum;
  sai_array *now;
  if (a->array != b->handle || !sai_array_lookup(&now, a->array) || now != b->array) return 0;
  layout l;
  layout_of(&l, now);
  return !memcmp(&l, &b->view, sizeof l);
}

static void entry_free(entry *e)
{
  if (!e) return;
  for (int k = 0; k < e->ex.noperands; k++) free((void *)e->ex.texts[k]);
  free(e->text);
  free(e);
}

/* ex (empty) from what it was compiled from, and 1; or 0, ex untouched. */
int sai_expr_memo_get(sai_expr *ex, const char *text, const sa_arg *args)
{
  if (!text || ex->noperands) return 0;
  int nargs;
  size_t len = strlen(text);
  uint64_t h = key_hash(text, len, args, &nargs);
  int hit = 0;
  pthread_mutex_lock(&memo.lock);
  const entry *e = memo.slot[h % SLOTS];
  if (e && e->hash == h && e->epoch == sai_rt.epoch && e->nargs == nargs &&
      !strcmp(e->text, text)) {
    hit = 1;
    for (int k = 0; k < nargs && hit; k++) hit = same_binding(&e->arg[k], &args[k]);
  }
  if (hit) {
    *ex = e->ex;
    ex->noperands = 0;
    for (int k = 0; k < e->ex.noperands && hit; k++) {
      const binding *b = &e->arg[e->source[k]];
      const layout *l = &e->view[k];
      char *t = strdup(e->ex.texts[k]);
      sai_array *v = NULL;
      if (!t || sai_array_alias(&v, b->array) != SA_OK) {
        free(t);
        hit = 0;
        break;
      }
      v->ndim = l->ndim;
      memcpy(v->shape, l->shape, sizeof v->shape);
      memcpy(v->map, l->map, sizeof v->map);
      memcpy(v->step, l->step, sizeof v->step);
      memcpy(v->offset, l->offset, sizeof v->offset);
      ex->operands[k] = v;
      ex->texts[k] = t;
      ex->sources[k] = b->array;
      ex->noperands = k + 1;
    }
  }
  hit ? memo.hits++ : memo.misses++;
  pthread_mutex_unlock(&memo.lock);
  if (!hit && ex->noperands) { /* out of memory half way: as if never found */
    for (int k = 0; k < ex->noperands; k++) {
      sai_release(&ex->operands[k]);
      free((void *)ex->texts[k]);
    }
    memset(ex, 0, sizeof *ex);
  }
  return hit;
}

/* Remembers ex, just compiled from text and args (nothing if it cannot be found
 * again exactly: a future, a long name, too many bindings, an operand that is not a
 * view of what its name is bound to). */
void sai_expr_memo_put(const sai_expr *ex, const char *text, const sa_arg *args)
{
  int nargs;
  size_t len = strlen(text);
  uint64_t h = key_hash(text, len, args, &nargs);
  if (nargs > MAX_ARGS) return;
  entry *e = calloc(1, sizeof *e);
  if (!e || !(e->text = strdup(text))) {
    entry_free(e);
    return;
  }
  e->hash = h;
  e->epoch = sai_rt.epoch;
  e->nargs = nargs;
  for (int k = 0; k < nargs; k++) {
    const sa_arg *a = &args[k];
    binding *b = &e->arg[k];
    if (a->kind < 1 || a->kind > 3 || !a->name || strlen(a->name) >= NAME_MAX_LEN) goto drop;
    strcpy(b->name, a->name);
    b->kind = a->kind;
    b->num = a->num;
    b->inum = a->inum;
    if (a->kind == 1) {
      sai_array *now;
      if (!sai_array_lookup(&now, a->array)) goto drop;
      b->handle = a->array;
      b->array = now;
      layout_of(&b->view, now);
    }
  }
  e->ex = *ex;
  for (int k = 0; k < ex->noperands; k++) e->ex.operands[k] = NULL, e->ex.texts[k] = NULL;
  for (int k = 0; k < ex->noperands; k++) {
    int j = 0;
    while (j < nargs && !(e->arg[j].kind == 1 && e->arg[j].array == ex->sources[k])) j++;
    if (j == nargs || ex->operands[k]->base != e->arg[j].array->base) goto drop;
    e->source[k] = j;
    layout_of(&e->view[k], ex->operands[k]);
  }
  for (int k = 0; k < ex->noperands; k++) { /* texts: the entry's own copies */
    e->ex.texts[k] = strdup(ex->texts[k]);
    if (!e->ex.texts[k]) goto drop;
  }
  pthread_mutex_lock(&memo.lock);
  entry *old = memo.slot[h % SLOTS];
  memo.slot[h % SLOTS] = e;
  pthread_mutex_unlock(&memo.lock);
  entry_free(old);
  return;
drop:
  entry_free(e);
}

void sai_expr_memo_clear(int verbose)
{
  pthread_mutex_lock(&memo.lock);
  if (verbose >= 2)
    fprintf(stderr, "starray: compiled expressions: %llu compiled, %llu found again\n",
            memo.misses, memo.hits);
  for (int k = 0; k < SLOTS; k++) {
    entry_free(memo.slot[k]);
    memo.slot[k] = NULL;
  }
  memo.hits = memo.misses = 0;
  pthread_mutex_unlock(&memo.lock);
}
