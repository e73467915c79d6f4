/* SPDX-License-Identifier: MIT
 * The expression parser: NumPy-like text -> syntax tree (cached by text) -> names
 * bound to arrays, numbers and futures. Typing and code generation: exprgen.c. */
#include "exprtree.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OP_I_SA_FN_FLOAT(name) -1
#define OP_I_SA_FN_TEST(name) -1
#define OP_I_SA_FN_SAME(name) SAI_EW_FN_##name##_I
#define OP_I_SA_FN_NUMBER OP_I_SA_FN_SAME
#define OP_I_SA_FN_WHERE OP_I_SA_FN_SAME
#define OP_P_SA_FN_FLOAT(name) SAI_EW_FN_##name##_P
#define OP_P_SA_FN_TEST(name) -1
#define OP_P_SA_FN_SAME(name) -1
#define OP_P_SA_FN_NUMBER OP_P_SA_FN_SAME
#define OP_P_SA_FN_WHERE OP_P_SA_FN_SAME
#define ENTRY(P, name, nargs, result, how)                                             \
  [SAI_F_##name] = {#name, nargs, SAI_FN_##result, SAI_EW_FN_##name##_F, OP_I_##result(name), \
                    OP_P_##result(name)},
const struct sai_function sai_functions[SAI_NFUNCTIONS] = {SA_FUNCTIONS(ENTRY, )};
#undef ENTRY

/* The parser's state: where it is in the text, and what it builds. */
typedef struct parser {
  const char *p;
  int depth; /* of nesting: bounded, so that no text overflows the stack */
  sai_tree *t;
  const sa_arg *args;
  sai_expr *ex;
} parser;

static size_t col(const parser *ps) { return (size_t)(ps->p - ps->t->text) + 1; }
static void blanks(parser *ps)
{
  while (isspace((unsigned char)*ps->p)) ps->p++;
}

static sa_status new_node(parser *ps, int kind, int op, int *out)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(ps->t->nnodes < (int)(sizeof ps->t->nodes / sizeof *ps->t->nodes), SA_ERR_ARG,
              "%s: expression too long (column %zu)", ps->t->func, col(ps));
  sai_node *n = &ps->t->nodes[ps->t->nnodes];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->op = op;
  n->col = col(ps);
  *out = ps->t->nnodes++;
done:
  return st;
}

/* Does the text at p start with token t (a keyword must end there)? */
static int accept(parser *ps, const char *t)
{
  blanks(ps);
  size_t n = strlen(t);
  if (strncmp(ps->p, t, n)) return 0;
  if (isalpha((unsigned char)t[0]) && (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_'))
    return 0;
  /* "*" must not eat "**", "/" not "//", "<" not "<=" and so on */
  if ((!strcmp(t, "*") && ps->p[1] == '*') || (!strcmp(t, "/") && ps->p[1] == '/') ||
      ((!strcmp(t, "<") || !strcmp(t, ">")) && ps->p[1] == '='))
    return 0;
  ps->p += n;
  return 1;
}

static sa_status parse_expr(parser *ps, int *out);

/* One level deeper (a parenthesis, a call, a prefix operator); leave() undoes it. */
static sa_status enter(parser *ps)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(++ps->depth <= SAI_MAX_NESTING, SA_ERR_SYNTAX,
              "%s: expression nested too deeply (more than %d levels of parentheses, calls "
              "or prefix operators) at column %zu", ps->t->func, SAI_MAX_NESTING, col(ps));
done:
  return st;
}
static void leave(parser *ps) { ps->depth--; }

static sa_status binary(parser *ps, int op, int lhs, int rhs, size_t at, int *out)
{
  sa_status st = SA_OK;
  SAI_CALL(new_node(ps, SAI_N_BINARY, op, out));
  sai_node *n = &ps->t->nodes[*out];
  n->nkids = 2;
  n->kid[0] = lhs;
  n->kid[1] = rhs;
  n->col = at;
done:
  return st;
}

static sa_status unary(parser *ps, int op, int arg, size_t at, int *out)
{
  sa_status st = SA_OK;
  SAI_CALL(new_node(ps, SAI_N_UNARY, op, out));
  ps->t->nodes[*out].nkids = 1;
  ps->t->nodes[*out].kid[0] = arg;
  ps->t->nodes[*out].col = at;
done:
  return st;
}

/* A name, and its subscript if one follows; bound to an argument later (bind). */
static sa_status name_node(parser *ps, const char *name, size_t len, size_t at, int *out)
{
  sa_status st = SA_OK;
  SAI_CALL(new_node(ps, SAI_N_NAME, 0, out));
  size_t sub = 0, sublen = 0;
  blanks(ps);
  if (*ps->p == '[') {
    size_t open = col(ps);
    sub = (size_t)(++ps->p - ps->t->text);
    while (*ps->p && *ps->p != ']') ps->p++;
    SAI_REQUIRE(*ps->p == ']', SA_ERR_SYNTAX, "%s: '[' at column %zu is never closed",
                ps->t->func, open);
    sublen = (size_t)(ps->p++ - ps->t->text) - sub;
  }
  sai_node *n = &ps->t->nodes[*out];
  n->col = at;
  n->name = (size_t)(name - ps->t->text);
  n->namelen = len;
  n->textlen = sub ? (size_t)(ps->p - name) : len;
  n->sub = sub;
  n->sublen = sublen;
done:
  return st;
}

/* Node k, a name, becomes the operand or constant its argument gives. */
static sa_status bind_name(parser *ps, int k)
{
  sa_status st = SA_OK;
  sai_node *n = &ps->t->nodes[k];
  const char *name = ps->t->text + n->name;
  size_t len = n->namelen, at = n->col;
  const sa_arg *found = NULL;
  for (const sa_arg *a = ps->args; a && a->kind; a++)
    if (a->name && strlen(a->name) == len && !strncmp(a->name, name, len)) found = a;
  if (!found) { /* NumPy's constants, as Python floats: weak */
    static const struct { const char *name; double value; } constants[] = {
        {"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"inf", HUGE_VAL},
        {"nan", NAN}};
    for (size_t c = 0; c < sizeof constants / sizeof *constants; c++)
      if (strlen(constants[c].name) == len && !strncmp(constants[c].name, name, len)) {
        SAI_REQUIRE(!n->sub, SA_ERR_SYNTAX, "%s: unexpected '[' at column %zu of \"%s\" "
                    "('%s' is a constant)", ps->t->func, n->sub, ps->t->text,
                    constants[c].name);
        n->kind = SAI_N_CONST;
        n->weak = 1;
        n->dtype = SA_F64;
        n->value.f = constants[c].value;
        goto done;
      }
  }
  SAI_REQUIRE(found, SA_ERR_ARG, "%s: name '%.*s' is not bound (column %zu of \"%s\")",
              ps->t->func, (int)len, name, at, ps->t->text);
  SAI_REQUIRE(found->kind >= 1 && found->kind <= 4, SA_ERR_ARG,
              "%s: binding of '%s' has unknown kind %d", ps->t->func, found->name, found->kind);
  SAI_REQUIRE(found->kind == 1 || !n->sub, SA_ERR_SYNTAX,
              "%s: unexpected '[' at column %zu of \"%s\" ('%.*s' is %s)", ps->t->func, n->sub,
              ps->t->text, (int)len, name, found->kind == 4 ? "a future, a scalar" : "a number");
  if (found->kind == 1) {
    sai_array *arr;
    if (!sai_array_lookup(&arr, found->array)) { /* the message only when it is needed */
      char which[96];
      snprintf(which, sizeof which, "the array bound to '%.*s'", (int)len, name);
      SAI_CALL(sai_array_get_as(&arr, found->array, ps->t->func, which));
    }
    n->kind = SAI_N_OPERAND;
    SAI_CALL(sai_expr_add_operand(ps->ex, arr, name, n->textlen,
                                  n->sub ? ps->t->text + n->sub : NULL, n->sublen, ps->t->func,
                                  at, &n->operand));
    n->dtype = ps->ex->operands[n->operand]->base->dtype;
  } else if (found->kind == 4) {
    sai_array *scalar = NULL;
    sa_dtype dt;
    char which[96];
    snprintf(which, sizeof which, "the future bound to '%.*s'", (int)len, name);
    SAI_CALL(sai_future_operand(&scalar, &dt, found->future, which, ps->t->func));
    n->kind = SAI_N_OPERAND;
    st = sai_expr_add_operand(ps->ex, scalar, name, len, NULL, 0, ps->t->func, at,
                              &n->operand);
    sai_release(&scalar);
    if (st != SA_OK) {
      sai_error_push(st, __FILE__, __LINE__, __func__);
      goto done;
    }
    n->dtype = dt; /* a NumPy scalar of the result's dtype: strong */
  } else { /* a C number */
    n->kind = SAI_N_CONST;
    n->weak = 1;
    n->dtype = found->kind == 2 ? SA_F64 : SA_I64;
    if (found->kind == 2) n->value.f = found->num;
    else n->value.i = found->inum;
  }
done:
  return st;
}

/* -x of a constant is a constant, as in NumPy's eyes: the constant, negated, at the
 * minus sign's column (c is the constant's sai_node, at that column). */
static void negate(sai_node *c, size_t at)
{
  if (c->dtype == SA_F64 || c->big) c->value.f = -c->value.f;
  else c->value.i = (int64_t)(0 - (uint64_t)c->value.i);
  c->col = at;
}

/* Binds every name, left to right (nodes are made in the text's order), and folds
 * -x of a name bound to a number, as the parser folds -1. */
static sa_status bind(parser *ps)
{
  sa_status st = SA_OK;
  for (int k = 0; k < ps->t->nnodes; k++) {
    sai_node *n = &ps->t->nodes[k];
    if (n->kind == SAI_N_NAME) SAI_CALL(bind_name(ps, k));
    if (n->kind == SAI_N_UNARY && n->op == SAI_OP_NEG && ps->t->nodes[n->kid[0]].kind == SAI_N_CONST) {
      size_t at = n->col;
      *n = ps->t->nodes[n->kid[0]];
      negate(n, at);
    }
  }
done:
  return st;
}

static sa_status parse_call(parser *ps, const char *name, size_t len, size_t at, int *out)
{
  sa_status st = SA_OK;
  int f = 0;
  while (f < SAI_NFUNCTIONS && (strlen(sai_functions[f].name) != len ||
                            strncmp(sai_functions[f].name, name, len)))
    f++;
  SAI_REQUIRE(f < SAI_NFUNCTIONS, SA_ERR_SYNTAX, "%s: unknown function '%.*s' (column %zu)",
              ps->t->func, (int)len, name, at);
  SAI_CALL(new_node(ps, SAI_N_CALL, f, out));
  int k = 0;
  if (!accept(ps, ")")) {
    do {
      int arg;
      SAI_REQUIRE(k < 3, SA_ERR_SYNTAX, "%s: too many arguments to %s (column %zu)",
                  ps->t->func, sai_functions[f].name, at);
      SAI_CALL(parse_expr(ps, &arg));
      ps->t->nodes[*out].kid[k++] = arg;
    } while (accept(ps, ","));
    SAI_REQUIRE(accept(ps, ")"), SA_ERR_SYNTAX,
                "%s: expected ')' or ',' at column %zu of \"%s\"", ps->t->func, col(ps),
                ps->t->text);
  }
  SAI_REQUIRE(k == sai_functions[f].nargs, SA_ERR_SYNTAX,
              "%s: %s takes %d argument%s, %d given (column %zu)", ps->t->func,
              sai_functions[f].name, sai_functions[f].nargs, sai_functions[f].nargs > 1 ? "s" : "", k,
              at);
  ps->t->nodes[*out].nkids = k;
  ps->t->nodes[*out].col = at;
done:
  return st;
}

static sa_status parse_primary(parser *ps, int *out)
{
  sa_status st = SA_OK;
  blanks(ps);
  size_t at = col(ps);
  const char *p = ps->p;
  if (accept(ps, "(")) {
    SAI_CALL(parse_expr(ps, out));
    SAI_REQUIRE(accept(ps, ")"), SA_ERR_SYNTAX,
                "%s: expected ')' at column %zu of \"%s\" (opened at column %zu)", ps->t->func,
                col(ps), ps->t->text, at);
  } else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
    char *end;
    size_t n = strspn(p, "0123456789");
    SAI_CALL(new_node(ps, SAI_N_CONST, 0, out));
    sai_node *c = &ps->t->nodes[*out];
    c->weak = 1;
    if (p[n] == '.' || p[n] == 'e' || p[n] == 'E') {
      c->dtype = SA_F64;
      c->value.f = strtod(p, &end);
    } else {
      c->dtype = SA_I64;
      errno = 0;
      c->value.i = strtoll(p, &end, 10);
      if (errno == ERANGE) { /* beyond int64: a float wherever it meets one, else refused */
        c->big = 1;
        c->value.f = strtod(p, &end);
      }
    }
    ps->p = end;
  } else if (isalpha((unsigned char)*p) || *p == '_') {
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
    ps->p += n;
    if (accept(ps, "(")) SAI_CALL(parse_call(ps, p, n, at, out));
    else SAI_CALL(name_node(ps, p, n, at, out));
  } else {
    SAI_FAIL(SA_ERR_SYNTAX, "%s: %s at column %zu of \"%s\"", ps->t->func,
             *p ? "unexpected character" : "expression ends too early", at, ps->t->text);
  }
done:
  return st;
}

/* power := primary ['**' unary] ; unary := ('-'|'+'|'~') unary | power */
static sa_status parse_unary(parser *ps, int *out);
static sa_status parse_power(parser *ps, int *out)
{
  sa_status st = SA_OK;
  SAI_CALL(parse_primary(ps, out));
  blanks(ps);
  size_t at = col(ps);
  if (accept(ps, "**")) {
    int rhs;
    SAI_CALL(parse_unary(ps, &rhs));
    SAI_CALL(binary(ps, SAI_OP_POW, *out, rhs, at, out));
  }
done:
  return st;
}

static sa_status parse_unary(parser *ps, int *out)
{
  sa_status st = SA_OK;
  blanks(ps);
  size_t at = col(ps);
  int op = accept(ps, "-") ? SAI_OP_NEG : accept(ps, "+") ? SAI_OP_POS : accept(ps, "~") ? SAI_OP_INVERT : -1;
  if (op < 0) {
    SAI_CALL(parse_power(ps, out));
  } else {
    int arg;
    SAI_CALL(enter(ps));
    SAI_CALL(parse_unary(ps, &arg));
    leave(ps);
    if (op == SAI_OP_NEG && ps->t->nodes[arg].kind == SAI_N_CONST) {
      negate(&ps->t->nodes[arg], at);
      *out = arg;
    } else {
      SAI_CALL(unary(ps, op, arg, at, out));
    }
  }
done:
  return st;
}

/* One left-associative level: ops[k] is the token for codes[k]. */
typedef sa_status (*level_fn)(parser *, int *);
static sa_status parse_level(parser *ps, int *out, level_fn next, const char *const *ops,
                             const int *codes, int chain)
{
  sa_status st = SA_OK;
  SAI_CALL(next(ps, out));
  for (int seen = 0;;) {
    blanks(ps);
    size_t at = col(ps);
    int k = 0;
    while (ops[k] && !accept(ps, ops[k])) k++;
    if (!ops[k]) break;
    SAI_REQUIRE(chain || !seen, SA_ERR_SYNTAX,
                "%s: chained comparison at column %zu; write (a < b) & (b < c)", ps->t->func,
                at);
    int rhs;
    SAI_CALL(next(ps, &rhs));
    SAI_CALL(binary(ps, codes[k], *out, rhs, at, out));
    seen = 1;
  }
done:
  return st;
}

#define LEVEL(name, next, chain, ...)                                                 \
  static sa_status name(parser *ps, int *out)                                         \
  {                                                                                   \
    static const char *const ops[] = {__VA_ARGS__, NULL};                             \
    static const int codes[] = {name##_codes};                                        \
    return parse_level(ps, out, next, ops, codes, chain);                             \
  }
#define parse_term_codes SAI_OP_FLOORDIV, SAI_OP_MUL, SAI_OP_DIV, SAI_OP_MOD
LEVEL(parse_term, parse_unary, 1, "//", "*", "/", "%")
#define parse_arith_codes SAI_OP_ADD, SAI_OP_SUB
LEVEL(parse_arith, parse_term, 1, "+", "-")
#define parse_bitand_codes SAI_OP_BITAND
LEVEL(parse_bitand, parse_arith, 1, "&")
#define parse_bitxor_codes SAI_OP_BITXOR
LEVEL(parse_bitxor, parse_bitand, 1, "^")
#define parse_bitor_codes SAI_OP_BITOR
LEVEL(parse_bitor, parse_bitxor, 1, "|")
#define parse_compare_codes SAI_OP_LE, SAI_OP_GE, SAI_OP_EQ, SAI_OP_NE, SAI_OP_LT, SAI_OP_GT
LEVEL(parse_compare, parse_bitor, 0, "<=", ">=", "==", "!=", "<", ">")

static sa_status parse_not(parser *ps, int *out)
{
  sa_status st = SA_OK;
  blanks(ps);
  size_t at = col(ps);
  if (accept(ps, "not")) {
    int arg;
    SAI_CALL(enter(ps));
    SAI_CALL(parse_not(ps, &arg));
    leave(ps);
    SAI_CALL(unary(ps, SAI_OP_NOT, arg, at, out));
  } else {
    SAI_CALL(parse_compare(ps, out));
  }
done:
  return st;
}
#define parse_and_codes SAI_OP_AND
LEVEL(parse_and, parse_not, 1, "and")
#define parse_or_codes SAI_OP_OR
LEVEL(parse_or, parse_and, 1, "or")

static sa_status parse_expr(parser *ps, int *out)
{
  sa_status st = SA_OK;
  SAI_CALL(enter(ps));
  SAI_CALL(parse_or(ps, out));
  leave(ps);
done:
  return st;
}

/* -------------------------------------------------------------- the entry */

/* Parsed expressions by text, so that a statement run in a loop is parsed once:
 * its syntax tree before binding (names are bound at every call, to whatever the
 * arguments are then). Direct-mapped by a hash of the text; a collision replaces.
 * apps/swe's 119 texts: with 1024 slots ~18 were parsed again every step (2.3e6
 * against 3.5e6 cells/s at 128^2), with 4096 none. */
enum { CACHE_SLOTS = 4096 };
typedef struct cached {
  uint64_t hash;
  char *text;
  int nnodes, root;
  sai_node *nodes;
} cached;
static struct {
  pthread_mutex_t lock;
  cached slot[CACHE_SLOTS];
  unsigned long long hits, parses;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint64_t text_hash(const char *t)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *t; t++) h = (h ^ (unsigned char)*t) * 1099511628211ull;
  return h;
}

/* The cached tree of text into ps, if there is one. */
static int cache_get(parser *ps, uint64_t hash, int *root)
{
  pthread_mutex_lock(&cache.lock);
  cached *c = &cache.slot[hash % CACHE_SLOTS];
  int hit = c->text && c->hash == hash && !strcmp(c->text, ps->t->text);
  if (hit) {
    memcpy(ps->t->nodes, c->nodes, (size_t)c->nnodes * sizeof *c->nodes);
    ps->t->nnodes = c->nnodes;
    *root = c->root;
    cache.hits++;
  }
  pthread_mutex_unlock(&cache.lock);
  return hit;
}

/* Keeps ps's tree (parsed, not yet bound); without memory it just is not kept. */
static void cache_put(const parser *ps, uint64_t hash, int root)
{
  char *text = strdup(ps->t->text);
  sai_node *nodes = malloc((size_t)ps->t->nnodes * sizeof *nodes);
  if (text && nodes) memcpy(nodes, ps->t->nodes, (size_t)ps->t->nnodes * sizeof *nodes);
  pthread_mutex_lock(&cache.lock);
  cache.parses++;
  if (text && nodes) {
    cached *c = &cache.slot[hash % CACHE_SLOTS], old = *c;
    *c = (cached){.hash = hash, .text = text, .nnodes = ps->t->nnodes, .root = root,
                  .nodes = nodes};
    text = old.text;
    nodes = old.nodes;
  }
  pthread_mutex_unlock(&cache.lock);
  free(text);
  free(nodes);
}

void sai_expr_cache_clear(int verbose)
{
  pthread_mutex_lock(&cache.lock);
  if (verbose >= 2)
    fprintf(stderr, "starray: expression cache: %llu texts parsed, %llu parses saved\n",
            cache.parses, cache.hits);
  for (int k = 0; k < CACHE_SLOTS; k++) {
    free(cache.slot[k].text);
    free(cache.slot[k].nodes);
    cache.slot[k] = (cached){0};
  }
  cache.hits = cache.parses = 0;
  pthread_mutex_unlock(&cache.lock);
}

/* No name is bound twice (which one would win is a guess no caller should rely on). */
static sa_status check_names(const sa_arg *args, const char *func)
{
  sa_status st = SA_OK;
  for (int k = 0; args && args[k].kind; k++)
    for (int j = 0; j < k; j++)
      SAI_REQUIRE(!args[k].name || !args[j].name || strcmp(args[k].name, args[j].name),
                  SA_ERR_ARG, "%s: name '%s' is bound twice (bindings %d and %d)", func,
                  args[k].name, j + 1, k + 1);
done:
  return st;
}

sa_status sai_tree_parse(sai_tree *t, sai_expr *ex, const char *text, const sa_arg *args,
                         const char *func)
{
  sa_status st = SA_OK;
  parser ps = {.p = text, .t = t, .args = args, .ex = ex};
  SAI_REQUIRE(text, SA_ERR_ARG, "%s: expression text is NULL", func);
  t->text = text;
  t->func = func;
  t->nnodes = 0; /* the node array is not zeroed: new_node sets each */
  uint64_t hash = text_hash(text);
  if (!cache_get(&ps, hash, &t->root)) {
    SAI_CALL(parse_expr(&ps, &t->root));
    blanks(&ps);
    SAI_REQUIRE(!*ps.p, SA_ERR_SYNTAX, "%s: unexpected '%c' at column %zu of \"%s\"", func,
                *ps.p, col(&ps), text);
    cache_put(&ps, hash, t->root);
  }
  SAI_CALL(check_names(args, func));
  SAI_CALL(bind(&ps));
done:
  return st;
}

sa_status sai_expr_add_operand(sai_expr *ex, const sai_array *a, const char *text,
                               size_t len, const char *sub, size_t sublen, const char *func,
                               size_t col, int *index)
{
  sa_status st = SA_OK;
  for (int k = 0; k < ex->noperands; k++) /* the same name[subscript] is one operand */
    if (ex->sources[k] == a && strlen(ex->texts[k]) == len &&
        !strncmp(ex->texts[k], text, len)) {
      *index = k;
      goto done;
    }
  SAI_REQUIRE(ex->noperands < SAI_EW_MAX_OPERANDS - 1, SA_ERR_NOT_SUPPORTED,
              "%s: more than %d array operands in one expression (column %zu)", func,
              SAI_EW_MAX_OPERANDS - 1, col);
  int k = ex->noperands;
  ex->texts[k] = strndup(text, len);
  SAI_REQUIRE(ex->texts[k], SA_ERR_NOMEM, "%s: out of memory", func);
  ex->sources[k] = a;
  ex->cols[k] = col;
  ex->noperands++; /* from here on sai_expr_free owns the text */
  if (sub) SAI_CALL(sai_view_parse(&ex->operands[k], a, sub, sublen, func,
                                   col + (size_t)(sub - text) - 1));
  else SAI_CALL(sai_array_alias(&ex->operands[k], a));
  *index = k;
done:
  return st;
}

void sai_expr_free(sai_expr *ex)
{
  if (!ex) return;
  for (int k = 0; k < ex->noperands; k++) {
    sai_release(&ex->operands[k]);
    free((void *)ex->texts[k]);
  }
  free(ex);
}
