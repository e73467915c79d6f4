/* SPDX-License-Identifier: MIT
 * The CUDA C of every kernel the test suite generated (--sa-jit-dump, set for the
 * whole suite) compiles with NVRTC to PTX for sm_90, as a GPU run would compile it
 * (-fmad=false: no fused multiply-add, the CPU's bits). NVRTC needs no GPU, so code
 * generation errors are caught on every machine with the CUDA toolkit. Runs after
 * the other tests (tests/local.mk). */
#include "tap.h"

#include <dirent.h>
#include <nvrtc.h>

static int by_name(const void *x, const void *y)
{
  return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

int main(int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : ".";
  DIR *d = opendir(dir);
  static char *files[65536];
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d)) && n < 65536;) {
    size_t len = strlen(e->d_name);
    if (len < 4 || strcmp(e->d_name + len - 3, ".cu")) continue;
    files[n] = malloc(strlen(dir) + len + 2);
    if (files[n]) sprintf(files[n++], "%s/%s", dir, e->d_name);
  }
  if (d) closedir(d);
  if (!n) sat_skip_all("no kernels were generated (the suite ran interpreted)");
  qsort(files, (size_t)n, sizeof *files, by_name);
  sat_plan(n);
  const char *opts[] = {"--gpu-architecture=compute_90", "-fmad=false"};
  for (int k = 0; k < n; k++) {
    char *src = slurp(files[k]);
    nvrtcProgram p;
    nvrtcResult r = src ? nvrtcCreateProgram(&p, src, files[k], 0, NULL, NULL)
                        : NVRTC_ERROR_INVALID_INPUT;
    size_t ptx = 0;
    if (r == NVRTC_SUCCESS) {
      r = nvrtcCompileProgram(p, 2, opts);
      if (r == NVRTC_SUCCESS) nvrtcGetPTXSize(p, &ptx);
      if (!sat_ok(r == NVRTC_SUCCESS && ptx > 0, "%s: %zu bytes of PTX",
                  strrchr(files[k], '/') + 1, ptx)) {
        size_t len = 0;
        nvrtcGetProgramLogSize(p, &len);
        char *log = malloc(len + 1);
        if (log && nvrtcGetProgramLog(p, log) == NVRTC_SUCCESS) sat_diag(log);
        free(log);
      }
      nvrtcDestroyProgram(&p);
    } else {
      sat_ok(0, "%s: %s", files[k], nvrtcGetErrorString(r));
    }
    free(src);
    free(files[k]);
  }
  return sat_done();
}
