/* SPDX-License-Identifier: MIT
 * The kernel generator: a finished program (codelets/elementwise.h) becomes the C
 * source of one function that evaluates it over a row, values in local variables
 * from load to store, each instruction written with the semantics of
 * codelets/ewsem.h (embedded: lib/jitsrc.c), so that compiled and interpreted
 * results are the same bits. One kernel serves every call of a statement: constants
 * are arguments; what it is specialised for is the dtypes and which operands have a
 * unit or zero inner stride. */
#include "jit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each instruction's statement, as text (SAI_D, SAI_A, SAI_B, SAI_C, SAI_K in it). */
#define SAI_STMT_TEXT(name, stmt) [SAI_EW_##name] = #stmt,
static const char *const stmt_text[SAI_EW_NOPS] = {SAI_EW_SEMANTICS(SAI_STMT_TEXT)};
#undef SAI_STMT_TEXT

typedef struct text {
  char *s;
  size_t n, cap;
  int failed;
} text;

static void put(text *t, const char *fmt, ...) SA_PRINTF(2, 3);
static void put(text *t, const char *fmt, ...)
{
  va_list ap;
  for (int pass = 0; pass < 2 && !t->failed; pass++) {
    va_start(ap, fmt);
    int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
      t->failed = 1;
      break;
    }
    if (t->s && t->n + (size_t)k < t->cap) {
      t->n += (size_t)k;
      return;
    }
    size_t cap = 2 * (t->cap + (size_t)k) + 256;
    char *grown = realloc(t->s, cap);
    if (!grown) t->failed = 1;
    else t->s = grown, t->cap = cap;
  }
}

static const char *ctype(int dtype)
{
  static const char *const names[] = {"uint8_t", "int32_t", "int64_t", "float", "double"};
  return names[dtype];
}

/* Operand o's element j of the row, as an index expression. */
static void index_of(char *buf, size_t size, const sai_jit_sig *sh, int o)
{
  if (sh->stride[o] == SAI_JIT_UNIT) snprintf(buf, size, "j");
  else if (sh->stride[o] == SAI_JIT_ZERO) snprintf(buf, size, "0");
  else snprintf(buf, size, "j * s%d", o);
}

/* One instruction, inside the loop over j. */
static void instruction(text *t, const sai_ew_program *pr, const sai_jit_sig *sh, int k)
{
  const sai_ew_instr *in = &pr->code[k];
  if (sai_ew_is_load(in->op)) {
    char idx[32];
    index_of(idx, sizeof idx, sh, in->a);
    put(t, "    r%d.%c = (%s)p%d[%s];\n", in->dst, in->op == SAI_EW_LOAD_F ? 'f' : 'i',
        in->op == SAI_EW_LOAD_F ? "double" : "int64_t", in->a, idx);
    return;
  }
  put(t, "#define SAI_D r%d\n#define SAI_A r%d\n#define SAI_B r%d\n#define SAI_C r%d\n"
         "#define SAI_K k%d\n    %s;\n#undef SAI_D\n#undef SAI_A\n#undef SAI_B\n"
         "#undef SAI_C\n#undef SAI_K\n",
      in->dst, in->a, in->b, in->c, sai_ew_is_const(in->op) ? in->a : 0, stmt_text[in->op]);
}

/* Where the values go: res[j] (VALUES), or operand 0, converted as sai_store_f/_i do,
 * and (EXTRAS, with values) the extras' registers into res. */
static void store(text *t, const sai_ew_program *pr, const sai_jit_sig *sh, int values)
{
  if (sh->mode == SAI_JIT_VALUES) {
    put(t, "    res[j] = r%d;\n", pr->result);
    return;
  }
  char idx[32];
  index_of(idx, sizeof idx, sh, 0);
  int d = pr->dtype[0], f = pr->result_kind_f, r = pr->result;
  if (f && (d == SAI_F32 || d == SAI_F64))
    put(t, "    p0[%s] = (%s)r%d.f;\n", idx, ctype(d), r);
  else if (f)
    put(t, "    sai_store_f(p0, %s, %d, r%d.f);\n", idx, d, r);
  else
    put(t, "    sai_store_i(p0, %s, %d, r%d.i);\n", idx, d, r);
  for (int k = 0; values && k < sh->nextra; k++) { /* EXTRAS: what is not read in place */
    char m = pr->extra_kind_f[k] ? 'f' : 'i'; /* a member, not the union: vectorised */
    if (sai_jit_extra_operand(sh, pr, sh->extra_reg[k]) < 0)
      put(t, "    res[%d + j].%c = r%d.%c;\n", SAI_JIT_EXTRA_AT(k), m, sh->extra_reg[k], m);
    if (sh->extra_minus[k] >= 0 && sai_jit_extra_operand(sh, pr, sh->extra_minus[k]) < 0)
      put(t, "    res[%d + j].f = r%d.f;\n", SAI_JIT_MINUS_AT(k), sh->extra_minus[k]);
  }
}

int sai_jit_registers(const sai_ew_program *pr)
{
  int n = 0;
  for (int k = 0; k < pr->ninstr; k++)
    if (pr->code[k].dst + 1 > n) n = pr->code[k].dst + 1;
  return n;
}

/* The loop over a row's elements j in [from, to): one thread's share on CUDA. */
static void loop(text *t, int cuda, const char *from, const char *to)
{
  if (cuda)
    put(t, "  for (int64_t j = %s + (int64_t)blockIdx.x * blockDim.x + threadIdx.x;\n"
           "       j < %s; j += (int64_t)gridDim.x * blockDim.x) {\n", from, to);
  else /* no element of a row depends on another's (an operand that overlaps the output
        * other than element for element was copied first, lib/statement.c): without
        * ivdep, GCC gives up on a loop with many pointers to check against each other */
    put(t, "#pragma GCC ivdep\n  for (int64_t j = %s; j < %s; j++) {\n", from, to);
}

/* Element j: its registers, the program, the store, and with values the extras'. */
static void element(text *t, const sai_ew_program *pr, const sai_jit_sig *sh, int values)
{
  int nregs = sai_jit_registers(pr);
  for (int r = 0; r < nregs; r++) put(t, "    sai_ew_value r%d;\n", r);
  for (int k = 0; k < pr->ninstr; k++) instruction(t, pr, sh, k);
  store(t, pr, sh, values);
}

/* sig.fold (jit.h): values outside the chunks [j0, j1), and each chunk folded into 8
 * accumulators per extra as the reductions' chunk sum folds it (codelets/reduce.c:
 * x, x * x or (x - y) * (x - y), each rounded, added to accumulator j % 8, in order);
 * on CUDA a thread per chunk. */
static void folding(text *t, const sai_ew_program *pr, const sai_jit_sig *sh, int cuda)
{
  put(t, "  const int64_t j0 = res[%d].i, nch = res[%d].i, j1 = j0 + %d * nch;\n",
      SAI_JIT_FOLD_AT, SAI_JIT_FOLD_AT + 1, SAI_EW_CHUNK);
  loop(t, cuda, "0", "j0");
  element(t, pr, sh, 1);
  put(t, "  }\n");
  loop(t, cuda, "j1", "n");
  element(t, pr, sh, 1);
  put(t, "  }\n");
  if (cuda)
    put(t, "  for (int64_t c = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; c < nch;\n"
           "       c += (int64_t)gridDim.x * blockDim.x) {\n");
  else
    put(t, "  for (int64_t c = 0; c < nch; c++) {\n");
  for (int k = 0; k < sh->nextra; k++)
    put(t, "    double a%d[8] = {0, 0, 0, 0, 0, 0, 0, 0};\n", k);
  put(t, "    for (int64_t j8 = j0 + %d * c; j8 < j0 + %d * (c + 1); j8 += 8) {\n%s"
         "    for (int q = 0; q < 8; q++) {\n    const int64_t j = j8 + q;\n",
      SAI_EW_CHUNK, SAI_EW_CHUNK, cuda ? "" : "#pragma GCC ivdep\n");
  element(t, pr, sh, 0);
  for (int k = 0; k < sh->nextra; k++) {
    int v = sh->extra_reg[k];
    if (sh->extra_square[k] == 2)
      put(t, "    { const double d = r%d.f - r%d.f; const double s = d * d; "
             "a%d[q] += s; }\n", v, sh->extra_minus[k], k);
    else if (sh->extra_square[k])
      put(t, "    { const double s = r%d.f * r%d.f; a%d[q] += s; }\n", v, v, k);
    else
      put(t, "    a%d[q] += r%d.f;\n", k, v);
  }
  put(t, "    }\n    }\n    for (int q = 0; q < 8; q++) {\n");
  for (int k = 0; k < sh->nextra; k++)
    put(t, "      res[%d + c * 8 + q].f = a%d[q];\n", SAI_JIT_ACC_AT(k, 0), k);
  put(t, "    }\n  }\n}\n");
}

sa_status sai_jit_source(char **out, const sai_ew_program *pr, const sai_jit_sig *sh,
                         int cuda)
{
  sa_status st = SA_OK;
  text t = {0};
  put(&t, "/* libstarray %s: a statement compiled at run time (lib/jitgen.c) */\n%s\n",
      SA_VERSION_STRING, sai_jit_header);
  if (cuda) /* the arguments by value (640 bytes): nothing to copy to the device first */
    put(&t, "typedef struct sai_jit_args {\n  char *ptr[%d];\n  int64_t stride[%d];\n"
            "  sai_ew_value k[%d];\n} sai_jit_args;\n"
            "extern \"C\" __global__ void sai_jit_kernel(int64_t n, sai_jit_args a, "
            "sai_ew_value *res)\n{\n"
            "  char *const *ptr = a.ptr;\n  const int64_t *stride = a.stride;\n"
            "  const sai_ew_value *k = a.k;\n",
        SAI_EW_MAX_OPERANDS, SAI_EW_MAX_OPERANDS, SAI_EW_MAX_CONSTS);
  else
    put(&t, "void sai_jit_kernel(int64_t n, char *const *ptr, const int64_t *stride, "
            "const sai_ew_value *k, sai_ew_value *res);\n"
            "void sai_jit_kernel(int64_t n, char *const *ptr, const int64_t *stride, "
            "const sai_ew_value *k, sai_ew_value *res)\n{\n");
  for (int o = sh->mode == SAI_JIT_VALUES; o < pr->noperands; o++) {
    put(&t, "  %s%s *p%d = (%s%s *)ptr[%d];\n", o ? "const " : "", ctype(pr->dtype[o]), o,
        o ? "const " : "", ctype(pr->dtype[o]), o);
    if (sh->stride[o] == SAI_JIT_ANY) put(&t, "  const int64_t s%d = stride[%d];\n", o, o);
  }
  /* the constants in locals before the loop: read through k inside it, they could be
   * what a store into res changes (the same type), and the loop would not vectorise */
  uint64_t declared = 0;
  for (int k = 0; k < pr->ninstr; k++) {
    int a = pr->code[k].a;
    if (!sai_ew_is_const(pr->code[k].op) || (declared >> a & 1)) continue;
    declared |= (uint64_t)1 << a;
    put(&t, "  const sai_ew_value k%d = k[%d];\n", a, a);
  }
  put(&t, "  (void)stride;\n  (void)k;\n  (void)res;\n");
  if (!sh->fold) {
    loop(&t, cuda, "0", "n");
    element(&t, pr, sh, 1);
    put(&t, "  }\n}\n");
  } else {
    folding(&t, pr, sh, cuda);
  }
  SAI_REQUIRE(!t.failed, SA_ERR_NOMEM, "sa_eval: out of memory generating a kernel");
  *out = t.s;
  t.s = NULL;
done:
  free(t.s);
  return st;
}
