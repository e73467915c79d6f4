/* SPDX-License-Identifier: MIT
 * Arrays as text, as NumPy 1.24's repr writes them with its default print options
 * (numpy/core/arrayprint.py: precision 8, threshold 1000, edgeitems 3, linewidth
 * 75): float formats chosen from the values shown (shortest digits that give the
 * value back, at most 8 after the point; scientific when the values span more than
 * 1e3 or reach 1e8 or go below 1e-4), rows wrapped, "..." past the threshold.
 * Only the elements shown are copied to the host. */
#include "convert.h"
#include "sai.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PRECISION = 8, THRESHOLD = 1000, EDGE = 3, LINEWIDTH = 75 };

typedef struct text {
  char *s;
  size_t n, cap;
  int failed;
} text;

static void put_n(text *t, const char *s, size_t n)
{
  if (t->failed) return;
  if (t->n + n + 1 > t->cap) {
    size_t cap = 2 * (t->n + n + 1) + 64;
    char *grown = realloc(t->s, cap);
    if (!grown) {
      t->failed = 1;
      return;
    }
    t->s = grown;
    t->cap = cap;
  }
  memcpy(t->s + t->n, s, n);
  t->n += n;
  t->s[t->n] = '\0';
}
static void put(text *t, const char *s) { put_n(t, s, strlen(s)); }
static void put_spaces(text *t, int n)
{
  for (; n > 0; n--) put_n(t, " ", 1);
}

/* ---------------------------------------------------------- one number */

/* The shortest "%.*e" digits of x that read back as x (as a float32 for f32). */
static void shortest_e(char *buf, size_t size, double x, int f32)
{
  for (int p = 0; p < 17; p++) {
    snprintf(buf, size, "%.*e", p, x);
    if (f32 ? strtof(buf, NULL) == (float)x : strtod(buf, NULL) == x) return;
  }
  snprintf(buf, size, "%.17e", x);
}

/* x positional: digits as for unique printing, at most PRECISION after the point
 * (rounded there), trailing zeros dropped but the point kept ("1.", "0.25"). */
static void positional(char *buf, size_t size, double x, int f32)
{
  char e[48];
  shortest_e(e, sizeof e, x, f32);
  int exp10 = atoi(strchr(e, 'e') + 1);
  int sig = 0; /* significant digits of the shortest form */
  for (const char *p = e; *p && *p != 'e'; p++) sig += *p >= '0' && *p <= '9';
  int frac = sig - 1 - exp10; /* digits after the point it needs */
  if (frac < 0) frac = 0;
  if (frac > PRECISION) frac = PRECISION;
  snprintf(buf, size, "%.*f", frac, x);
  if (!strchr(buf, '.')) strcat(buf, ".");
  size_t n = strlen(buf);
  while (n > 0 && buf[n - 1] == '0' && strchr(buf, '.') < buf + n - 1) buf[--n] = '\0';
}

/* x scientific with the shortest mantissa (at most PRECISION digits after its point):
 * "1.5e-05", "1.e+10"; exponent at least two digits, as NumPy's. */
static void scientific(char *buf, size_t size, double x, int f32)
{
  char e[48];
  shortest_e(e, sizeof e, x, f32);
  int exp10 = atoi(strchr(e, 'e') + 1);
  char mant[40];
  snprintf(mant, sizeof mant, "%.*s", (int)(strchr(e, 'e') - e), e);
  if (strlen(mant) > (size_t)PRECISION + 2 + (mant[0] == '-')) { /* too many digits */
    snprintf(e, sizeof e, "%.*e", PRECISION, x);
    exp10 = atoi(strchr(e, 'e') + 1);
    snprintf(mant, sizeof mant, "%.*s", (int)(strchr(e, 'e') - e), e);
    size_t n = strlen(mant);
    while (n > 0 && mant[n - 1] == '0') mant[--n] = '\0';
  }
  if (!strchr(mant, '.')) strcat(mant, ".");
  snprintf(buf, size, "%se%c%02d", mant, exp10 < 0 ? '-' : '+', abs(exp10));
}

/* ------------------------------------------------------- a whole format */

typedef struct format {
  sa_dtype dtype;
  int f32, exp, width;        /* width: of integers and bools */
  int pad_left, pad_right, precision, exp_size;
} format;

/* NumPy's FloatingFormat.fillFormat over the n values shown. */
static void float_format(format *f, const double *v, int64_t n)
{
  double mx = 0, mn = INFINITY;
  int any_finite = 0, nonfinite = 0, neginf = 0;
  for (int64_t k = 0; k < n; k++) {
    if (!isfinite(v[k])) {
      nonfinite = 1;
      neginf |= isinf(v[k]) && v[k] < 0;
      continue;
    }
    any_finite = 1;
    double a = fabs(v[k]);
    if (a != 0) mx = a > mx ? a : mx, mn = a < mn ? a : mn;
  }
  f->exp = mx != 0 && (mx >= 1e8 || mn < 1e-4 || mx / mn > 1e3);
  f->pad_left = f->pad_right = f->precision = 0;
  f->exp_size = -1;
  char buf[64];
  for (int64_t k = 0; k < n && any_finite; k++) {
    if (!isfinite(v[k])) continue;
    if (f->exp) scientific(buf, sizeof buf, v[k], f->f32);
    else positional(buf, sizeof buf, v[k], f->f32);
    const char *dot = strchr(buf, '.'), *e = strchr(buf, 'e');
    int left = (int)(dot - buf), right = (int)((e ? e : buf + strlen(buf)) - dot - 1);
    if (left > f->pad_left) f->pad_left = left;
    if (right > f->precision) f->precision = right;
    if (e && (int)strlen(e + 1) - 1 > f->exp_size) f->exp_size = (int)strlen(e + 1) - 1;
  }
  f->pad_right = f->exp ? f->exp_size + 2 + f->precision : f->precision;
  if (nonfinite) {
    int offset = f->pad_right + 1;
    if (3 - offset > f->pad_left) f->pad_left = 3 - offset;
    if (3 + neginf - offset > f->pad_left) f->pad_left = 3 + neginf - offset;
  }
}

static void format_float(text *t, const format *f, double x)
{
  char buf[64];
  if (!isfinite(x)) {
    const char *s = isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
    put_spaces(t, f->pad_left + f->pad_right + 1 - (int)strlen(s));
    put(t, s);
    return;
  }
  if (f->exp) { /* every mantissa with the same digits after its point: more of the
                  * value's own digits where its shortest form has fewer (NumPy's
                  * min_digits), correctly rounded */
    snprintf(buf, sizeof buf, "%.*e", f->precision, x);
    char *e = strchr(buf, 'e'), *dot = strchr(buf, '.');
    int left = (int)((dot ? dot : e) - buf);
    put_spaces(t, f->pad_left - left);
    put_n(t, buf, (size_t)(e - buf));
    if (!dot) put(t, ".");
    char ex[16];
    int exp10 = atoi(e + 1);
    snprintf(ex, sizeof ex, "e%c%0*d", exp10 < 0 ? '-' : '+', f->exp_size, abs(exp10));
    put(t, ex);
  } else {
    positional(buf, sizeof buf, x, f->f32);
    char *dot = strchr(buf, '.');
    put_spaces(t, f->pad_left - (int)(dot - buf));
    put(t, buf);
    put_spaces(t, f->pad_right - (int)strlen(dot + 1));
  }
}

static void format_value(text *t, const format *f, double x, int64_t i)
{
  char buf[32];
  if (f->dtype == SA_BOOL) {
    put(t, i ? (f->width ? " True" : "True") : "False");
  } else if (f->dtype == SA_I32 || f->dtype == SA_I64) {
    snprintf(buf, sizeof buf, "%*lld", f->width, (long long)i);
    put(t, buf);
  } else {
    format_float(t, f, x);
  }
}

/* ------------------------------------------------------ the array's text */

/* The elements shown: a dense array of shape disp, each axis longer than 2*EDGE of an
 * array past the threshold cut to its first and last EDGE (cut), as double and int64. */
typedef struct shown {
  int ndim, cut[SA_MAX_NDIM];
  int64_t disp[SA_MAX_NDIM], n;
  double *f;
  int64_t *i;
} shown;

static sa_status read_shown(shown *s, const sai_array *a, const char *func)
{
  sa_status st = SA_OK;
  int summary = sai_array_size(a) > THRESHOLD, ncut = 0;
  s->ndim = a->ndim;
  s->n = 1;
  for (int d = 0; d < a->ndim; d++) {
    s->cut[d] = summary && a->shape[d] > 2 * EDGE;
    ncut += s->cut[d];
    s->disp[d] = s->cut[d] ? 2 * EDGE : a->shape[d];
    s->n *= s->disp[d];
  }
  size_t es = sa_dtype_size(a->base->dtype), m = (size_t)(s->n ? s->n : 1);
  char *raw = malloc(m * es), *part = malloc(m * es);
  s->f = malloc(m * sizeof *s->f);
  s->i = malloc(m * sizeof *s->i);
  SAI_REQUIRE(raw && part && s->f && s->i, SA_ERR_NOMEM, "%s: out of memory", func);
  /* one view per corner: the first or the last EDGE of each cut axis */
  for (int corner = 0; corner < (1 << ncut) && s->n; corner++) {
    char index[SA_MAX_NDIM * 4 + 1] = "";
    size_t len = 0;
    int64_t pshape[SA_MAX_NDIM], off[SA_MAX_NDIM];
    for (int d = 0, c = 0; d < a->ndim; d++) {
      int last = s->cut[d] && (corner >> c++ & 1);
      len += (size_t)snprintf(index + len, sizeof index - len, "%s%s", d ? "," : "",
                              !s->cut[d] ? ":" : last ? "-3:" : ":3");
      pshape[d] = s->cut[d] ? EDGE : a->shape[d];
      off[d] = last ? EDGE : 0;
    }
    sai_array *v = NULL;
    SAI_CALL(sai_view(&v, a, index, func));
    st = sai_host_read(v, part, 0, func);
    sai_release(&v);
    if (st != SA_OK) {
      sai_error_push(st, __FILE__, __LINE__, __func__);
      goto done;
    }
    int64_t np = 1, idx[SA_MAX_NDIM] = {0};
    for (int d = 0; d < a->ndim; d++) np *= pshape[d];
    for (int64_t k = 0; k < np; k++) { /* the corner's element k to its place */
      int64_t at = 0;
      for (int d = 0; d < a->ndim; d++) at = at * s->disp[d] + off[d] + idx[d];
      memcpy(raw + (size_t)at * es, part + (size_t)k * es, es);
      for (int d = a->ndim - 1; d >= 0 && ++idx[d] == pshape[d]; d--) idx[d] = 0;
    }
  }
  for (int64_t k = 0; k < s->n; k++) {
    s->f[k] = sai_load_f(raw, k, a->base->dtype);
    s->i[k] = sai_load_i(raw, k, a->base->dtype);
  }
done:
  free(raw);
  free(part);
  return st;
}

/* NumPy's _extendLine: word onto line, or line (without trailing blanks) into s and
 * word on a new line starting with prefix, unless wrapping would not help. */
static void extend_line(text *s, text *line, const char *word, size_t width,
                        const char *prefix)
{
  if (line->n + strlen(word) > width && line->n > strlen(prefix)) {
    size_t n = line->n;
    while (n > 0 && line->s[n - 1] == ' ') n--;
    put_n(s, line->s, n);
    put(s, "\n");
    line->n = 0;
    put(line, prefix);
  }
  put(line, word);
}

/* NumPy's _formatArray recurser: the sub-array at index[0..depth) into out. */
static void recurse(text *out, const shown *s, const format *f, int64_t *index, int depth,
                    const char *hang, size_t width)
{
  if (depth == s->ndim) {
    int64_t at = 0;
    for (int d = 0; d < s->ndim; d++) at = at * s->disp[d] + index[d];
    format_value(out, f, s->f[at], s->i[at]);
    return;
  }
  char next_hang[64];
  snprintf(next_hang, sizeof next_hang, "%s ", hang);
  int64_t len = s->disp[depth], lead = s->cut[depth] ? EDGE : 0;
  int64_t trail = s->cut[depth] ? EDGE : len;
  text body = {0}, word = {0};
  put(&body, "");
#define ITEM(i)                                                                        \
  (index[depth] = (i), word.n = 0, put(&word, ""),                                     \
   recurse(&word, s, f, index, depth + 1, next_hang, width - 1), word.s)
  if (depth == s->ndim - 1) { /* a row: elements wrapped at the width */
    text line = {0};
    put(&line, hang);
    for (int64_t i = 0; i < lead; i++) {
      extend_line(&body, &line, ITEM(i), width - 1, hang);
      put(&line, ", ");
    }
    if (s->cut[depth]) {
      extend_line(&body, &line, "...", width - 1, hang);
      put(&line, ", ");
    }
    for (int64_t i = trail; i > 1; i--) {
      extend_line(&body, &line, ITEM(len - i), width - 1, hang);
      put(&line, ", ");
    }
    extend_line(&body, &line, ITEM(len - 1), width - 1, hang);
    put_n(&body, line.s, line.n);
    free(line.s);
  } else { /* rows of rows: one per line, a blank line per axis left below */
    char sep[SA_MAX_NDIM + 2] = ",";
    for (int k = 1; k < s->ndim - depth; k++) strcat(sep, "\n");
    for (int64_t i = 0; i < lead; i++) {
      put(&body, hang);
      put(&body, ITEM(i));
      put(&body, sep);
    }
    if (s->cut[depth]) {
      put(&body, hang);
      put(&body, "...");
      put(&body, sep);
    }
    for (int64_t i = trail; i > 1; i--) {
      put(&body, hang);
      put(&body, ITEM(len - i));
      put(&body, sep);
    }
    put(&body, hang);
    put(&body, ITEM(len - 1));
  }
#undef ITEM
  put(out, "[");
  if (body.s && !body.failed) put(out, body.s + strlen(hang));
  else out->failed = 1;
  out->failed |= word.failed;
  put(out, "]");
  free(body.s);
  free(word.s);
}

/* a's repr into t. */
static sa_status repr(text *t, const sai_array *a, const char *func)
{
  sa_status st = SA_OK;
  shown s = {0};
  sa_dtype dt = a->base->dtype;
  int skip_dtype = (dt == SA_F64 || dt == SA_I64 || dt == SA_BOOL) && sai_array_size(a) > 0;
  put(t, "array(");
  if (sai_array_size(a) == 0) {
    put(t, "[]");
    if (a->ndim != 1) {
      put(t, ", shape=(");
      for (int d = 0; d < a->ndim; d++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s%lld", d ? ", " : "", (long long)a->shape[d]);
        put(t, buf);
      }
      put(t, ")");
    }
  } else {
    SAI_CALL(read_shown(&s, a, func));
    format f = {.dtype = dt, .f32 = dt == SA_F32};
    if (dt == SA_BOOL) {
      f.width = a->ndim > 0;
    } else if (dt == SA_I32 || dt == SA_I64) {
      for (int64_t k = 0; k < s.n; k++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)s.i[k]);
        if (n > f.width) f.width = n;
      }
    } else {
      float_format(&f, s.f, s.n);
    }
    int64_t index[SA_MAX_NDIM] = {0};
    recurse(t, &s, &f, index, 0, "       ", LINEWIDTH - 1);
  }
  if (skip_dtype) {
    put(t, ")");
  } else {
    put(t, ",");
    char dtype[32];
    snprintf(dtype, sizeof dtype, "dtype=%s)", sa_dtype_name(dt));
    const char *nl = t->s ? strrchr(t->s, '\n') : NULL;
    size_t last = t->s ? t->n - (size_t)(nl ? nl + 1 - t->s : 0) : 0;
    put(t, last + strlen(dtype) + 1 > LINEWIDTH ? "\n      " : " ");
    put(t, dtype);
  }
  SAI_REQUIRE(!t->failed, SA_ERR_NOMEM, "%s: out of memory", func);
done:
  free(s.f);
  free(s.i);
  return st;
}

SA_API sa_status sa_array_repr(char *buf, size_t size, size_t *length, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a;
  text t = {0};
  SAI_REQUIRE(buf || size == 0, SA_ERR_ARG, "sa_array_repr: buf is NULL with size %zu "
              "(argument 1)", size);
  SAI_CALL(sai_array_get(&a, h, "sa_array_repr", 4));
  SAI_CALL(repr(&t, a, "sa_array_repr"));
  if (length) *length = t.n;
  if (size) snprintf(buf, size, "%s", t.s);
done:
  free(t.s);
  return st;
}

SA_API sa_status sa_array_print(FILE *f, const sa_array *h)
{
  sa_status st = SA_OK;
  sai_array *a;
  text t = {0};
  SAI_REQUIRE(f, SA_ERR_ARG, "sa_array_print: FILE is NULL (argument 1)");
  SAI_CALL(sai_array_get(&a, h, "sa_array_print", 2));
  SAI_CALL(repr(&t, a, "sa_array_print"));
  SAI_REQUIRE(fprintf(f, "%s\n", t.s) >= 0, SA_ERR_IO, "sa_array_print: cannot write");
done:
  free(t.s);
  return st;
}
