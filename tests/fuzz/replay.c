/* SPDX-License-Identifier: MIT
 * Runs a fuzz target (linked with it) on every file of the corpus directories given,
 * one TAP check per file: the inputs that once broke the library, and seeds. What a
 * fuzzer finds goes into tests/fuzz/corpus/ so that `make check` keeps it found. */
#include "tap.h"

#include <dirent.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *x, const void *y)
{
  return strcmp(*(char *const *)x, *(char *const *)y);
}

int main(int argc, char **argv)
{
  char *files[4096];
  int n = 0;
  for (int k = 1; k < argc; k++) {
    DIR *d = opendir(argv[k]);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 4096) {
      if (e->d_name[0] == '.') continue;
      size_t len = strlen(argv[k]) + strlen(e->d_name) + 2;
      files[n] = malloc(len);
      if (files[n]) snprintf(files[n++], len, "%s/%s", argv[k], e->d_name);
    }
    if (d) closedir(d);
  }
  if (!n) sat_skip_all("no corpus files");
  qsort(files, (size_t)n, sizeof *files, by_name);
  sat_plan(n);
  for (int k = 0; k < n; k++) {
    FILE *f = fopen(files[k], "rb");
    static uint8_t buf[1 << 20];
    size_t got = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    /* the target aborts on a wrong outcome; a crash ends the program: TAP sees it */
    LLVMFuzzerTestOneInput(buf, got);
    sat_ok(f != NULL, "%s", strrchr(files[k], '/') + 1);
    free(files[k]);
  }
  sa_config c; /* the targets keep the library started between inputs */
  if (sa_config_query(&c) == SA_OK && c.initialized && sa_finalize() != SA_OK) return 1;
  return sat_done();
}
