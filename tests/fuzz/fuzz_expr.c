/* SPDX-License-Identifier: MIT
 * A fuzz target for the expression parser and code generator: the input is the text
 * of an expression over a few bound names (arrays of every kind, numbers, a future),
 * evaluated with sa_eval_new. Whatever the text, the call returns a status: a syntax,
 * type or shape error, or an array. Built with libFuzzer by `make fuzz`;
 * tests/fuzz/replay.c runs its corpus in `make check`. */
#include <starray.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sa_array *u, *v, *i, *b;
static sa_future *f;

static void set_up(void)
{
  const int64_t shape[2] = {3, 4};
  /* the parser is fuzzed, not the compiler: statements interpreted (unless the
   * environment says otherwise, as the test suite does) */
  if (sa_init_ex(NULL, NULL,
                 "--sa-ncpus=1 --sa-on-error=silent --sa-verbose=0 --sa-jit=off") != SA_OK ||
      sa_full(&u, SA_F64, 2, shape, 1.5, NULL) != SA_OK ||
      sa_full(&v, SA_F32, 2, shape, -2.0, NULL) != SA_OK ||
      sa_full(&i, SA_I32, 1, shape + 1, 3.0, NULL) != SA_OK ||
      sa_full(&b, SA_BOOL, 2, shape, 1.0, NULL) != SA_OK || sa_sum(&f, u) != SA_OK)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  if (!ready) set_up(), ready = 1;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0'; /* a NUL inside ends the text early, as in C */
  sa_array *out = NULL;
  sa_status st = sa_eval_new(&out, text,
                             SA_ARGS(SA_ARR("u", u), SA_ARR("v", v), SA_ARR("i", i),
                                     SA_ARR("b", b), SA_NUM("x", 0.25), SA_INT("k", 7),
                                     SA_FUT("s", f)));
  if ((st == SA_OK) != (out != NULL)) abort();
  if (sa_array_release(&out) != SA_OK) abort();
  free(text);
  return 0;
}
