/* SPDX-License-Identifier: MIT
 * Host copies past 32 bits: a view of more than 2^31 elements copies in and out
 * with 64-bit offsets (an int offset wrapped to a negative one). Needs ~5 GiB of
 * memory and ~40 s (most of it the kernel handing out fresh pages); skipped on
 * smaller machines, in the sanitizer build and under valgrind. */
#include "tap.h"

#include <unistd.h>

int main(void)
{
  const int64_t rows = 3, cols = 715827883; /* 2^31 + 1 elements of one byte */
  double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
  if (ram < 12.0 * (1 << 30)) sat_skip_all("needs 12 GiB of memory");
  const char *san = getenv("SAN_CFLAGS");
  if (san && *san) sat_skip_all("4 GiB of fresh memory is too slow under the sanitizers");
  sat_plan(4);
  if (sa_init_ex(NULL, NULL, "--sa-ncpus=2") != SA_OK) return sat_diag(sa_error_message()), 1;
  sa_array *a = NULL;
  unsigned char *host = malloc((size_t)(rows * cols));
  sa_array_opts opts = {.tile = {1, (int64_t)1 << 29}}; /* 6 tiles, few tasks */
  int ok = host && sa_full(&a, SA_BOOL, 2, (const int64_t[]){rows, cols}, 0, &opts) == SA_OK &&
           sa_eval(a, "2, 715827880:", "x > 0", SA_ARGS(SA_NUM("x", 1.0))) == SA_OK &&
           sa_eval(a, "0, 0:2", "x > 0", SA_ARGS(SA_NUM("x", 1.0))) == SA_OK;
  sat_ok(ok, "a (3, 715827883) bool array, True at [0, :2] and [2, 715827880:]");
  ok = ok && sa_to_buffer(host, (size_t)(rows * cols), a) == SA_OK;
  int64_t last = rows * cols - 1, ntrue = 0;
  for (int64_t i = 0; ok && i <= last; i += 4096) ntrue += host[i];
  sat_ok(ok && host[0] && host[1] && !host[2] && host[last] && host[last - 2] &&
             host[(int64_t)1 << 31] && !host[last - 3] && ntrue == 2,
         "sa_to_buffer: the elements at flat indices 2^31 - 1 .. 2^31 + 0 are where they belong");
  host[last - 3] = 1; /* and back in: element [2, 715827879] */
  sa_array *b = NULL;
  sa_future *s = NULL;
  int64_t count = -1;
  ok = ok && sa_from_buffer(&b, SA_BOOL, 2, (const int64_t[]){rows, cols}, host, &opts) == SA_OK &&
       sa_reduce(&s, "sum", "b[2, 715827870:]", SA_ARGS(SA_ARR("b", b))) == SA_OK &&
       sa_future_get_int(s, &count) == SA_OK;
  sat_ok(ok && count == 4, "sa_from_buffer: the last row's last 13 elements hold 4 True (%lld)",
         (long long)count);
  ok = sa_future_release(&s) == SA_OK && sa_array_release(&a) == SA_OK &&
       sa_array_release(&b) == SA_OK && sa_finalize() == SA_OK;
  sat_ok(ok, "finalize");
  free(host);
  return sat_done();
}
