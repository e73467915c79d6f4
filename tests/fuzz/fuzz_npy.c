/* SPDX-License-Identifier: MIT
 * A fuzz target for the .npy reader: the input is a whole file, loaded with
 * sa_load_npy. Whatever it holds, the reader returns a status (never crashes, never
 * reads outside what it allocated, never allocates what the file does not hold).
 * Built with libFuzzer by `make fuzz`; tests/fuzz/replay.c runs its corpus in
 * `make check`. */
#include <starray.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  static char path[64];
  if (!ready) {
    if (sa_init_ex(NULL, NULL, "--sa-ncpus=1 --sa-on-error=silent --sa-verbose=0") != SA_OK)
      abort();
    snprintf(path, sizeof path, "/tmp/starray-fuzz-npy-%ld.npy", (long)getpid());
    ready = 1;
  }
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f)) abort();
  sa_array *a = NULL;
  sa_status st = sa_load_npy(&a, path, NULL);
  if ((st == SA_OK) != (a != NULL)) abort(); /* a result exactly when it succeeded */
  if (sa_array_release(&a) != SA_OK) abort();
  unlink(path);
  return 0;
}
