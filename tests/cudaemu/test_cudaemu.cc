/* SPDX-License-Identifier: MIT
 * The emulation proves itself: kernels run every thread once with CUDA's indices;
 * invalid launches fail as CUDA's do; a kernel writing past its allocation, and the
 * host touching device memory outside a kernel, fault; copies check their
 * direction; the planted bugs change a kernel's results. Each faulting case runs in
 * a child process. */
#include "cudaemu.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static int ntests, nfailed;

static void ok(int cond, const char *what)
{
  printf("%s %d - %s\n", cond ? "ok" : "not ok", ++ntests, what);
  nfailed += !cond;
}

/* x[i] = i * 3 + 1 by a grid-stride loop, as the codelets' kernels are written. */
static __global__ void index_kernel(int64_t *x, int64_t n)
{
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += (int64_t)gridDim.x * blockDim.x)
    x[i] = i * 3 + 1;
}

/* Writes one element past the end: an off-by-one bound. */
static __global__ void overrun_kernel(double *x, int64_t n)
{
  int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i <= n) x[i] = 1.0;
}

/* Counts how often each thread ran (a 2-D grid of 2-D blocks). */
static __global__ void count_kernel(int *hits, int width)
{
  int x = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  int y = (int)(blockIdx.y * blockDim.y + threadIdx.y);
  hits[y * width + x] += 1;
}

/* Runs f in a child; whether it died of SIGSEGV. */
template <class F> static int faults(F f)
{
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) {
    f();
    _exit(0);
  }
  int status = 0;
  waitpid(p, &status, 0);
  return WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
}

/* index_kernel over n elements with the given launch; whether every value is right. */
static int index_run(int64_t n, unsigned blocks, unsigned threads)
{
  int64_t *d = (int64_t *)cudaemu_device_alloc((size_t)n * sizeof *d);
  std::vector<int64_t> h((size_t)n, -1);
  cudaemu_memcpy_async(d, h.data(), (size_t)n * sizeof *d, cudaMemcpyHostToDevice, 0);
  cudaemu_launch(dim3(blocks), dim3(threads), 0, [&] { index_kernel(d, n); });
  cudaemu_memcpy_async(h.data(), d, (size_t)n * sizeof *d, cudaMemcpyDeviceToHost, 0);
  cudaemu_device_free(d);
  int good = cudaemu_get_last_error() == cudaSuccess;
  for (int64_t i = 0; i < n; i++) good &= h[(size_t)i] == i * 3 + 1;
  return good;
}

int main(int argc, char **argv)
{
  /* Under AddressSanitizer a fault is a report and exit status 1: run again with
   * faults left to the kernel's default action, so that they are signals. */
  (void)argc;
  if (!getenv("CUDAEMU_TEST_REEXEC")) {
    const char *a = getenv("ASAN_OPTIONS");
    std::string opts = std::string(a ? a : "") + ":handle_segv=0:handle_sigbus=0";
    setenv("ASAN_OPTIONS", opts.c_str(), 1);
    setenv("CUDAEMU_TEST_REEXEC", "1", 1);
    execv("/proc/self/exe", argv);
  }
  unsetenv("CUDAEMU_PLANT");
  ok(index_run(1000, 4, 256), "every element of a 1000-element launch of 4x256 threads");
  ok(index_run(5000, 3, 128), "a grid-stride loop covers 5000 elements with 3x128 threads");

  int *hits = (int *)cudaemu_device_alloc(12 * 6 * sizeof(int));
  cudaemu_memset_async(hits, 0, 12 * 6 * sizeof(int), 0);
  cudaemu_launch(dim3(3, 2), dim3(4, 3), 0, [&] { count_kernel(hits, 12); });
  std::vector<int> h(72);
  cudaemu_memcpy_async(h.data(), hits, 72 * sizeof(int), cudaMemcpyDeviceToHost, 0);
  int once = 1;
  for (int v : h) once &= v == 1;
  ok(once, "a 3x2 grid of 4x3 blocks runs each of its 72 threads once, at its index");

  cudaemu_launch(dim3(1), dim3(2048), 0, [&] { count_kernel(hits, 12); });
  ok(cudaemu_get_last_error() == cudaErrorInvalidConfiguration,
     "a block of 2048 threads is an invalid configuration, as on a GPU");
  cudaemu_launch(dim3(0), dim3(32), 0, [&] { count_kernel(hits, 12); });
  ok(cudaemu_get_last_error() == cudaErrorInvalidConfiguration, "an empty grid is refused");
  ok(cudaemu_get_last_error() == cudaSuccess, "reading the error clears it");
  ok(cudaemu_memcpy_async(h.data(), h.data(), 4, cudaMemcpyHostToDevice, 0) ==
         cudaErrorInvalidValue,
     "a host-to-device copy to host memory is refused");
  ok(cudaemu_memcpy_async(hits, h.data(), 4, cudaMemcpyDeviceToHost, 0) == cudaErrorInvalidValue,
     "a copy in the wrong direction is refused");

  ok(faults([&] { printf("%d\n", hits[0]); }),
     "the host reading device memory outside a kernel faults");
  ok(!faults([&] {
       cudaemu_launch(dim3(1), dim3(1), 0, [&] { count_kernel(hits, 12); });
     }),
     "a kernel reading and writing its allocation does not");
  cudaemu_device_free(hits);

  double *x = (double *)cudaemu_device_alloc(1000 * sizeof(double));
  ok(faults([&] { cudaemu_launch(dim3(4), dim3(256), 0, [&] { overrun_kernel(x, 1000); }); }),
     "a kernel writing one element past its allocation faults");
  cudaemu_device_free(x);
  x = (double *)cudaemu_device_alloc(4096); /* a whole page: it starts at a guard too */
  ok(faults([&] { cudaemu_launch(dim3(2), dim3(256), 0, [&] { overrun_kernel(x - 1, 512); }); }),
     "a kernel writing one element before a page-sized allocation faults");
  cudaemu_device_free(x);

  setenv("CUDAEMU_PLANT", "first-thread", 1);
  ok(!index_run(1000, 4, 256), "the planted missing first thread leaves an element unwritten");
  setenv("CUDAEMU_PLANT", "stride", 1);
  ok(!index_run(5000, 3, 128), "the planted wrong grid stride leaves elements unwritten");
  ok(index_run(300, 3, 128), "... which a grid covering every element does not notice");
  unsetenv("CUDAEMU_PLANT");

  printf("1..%d\n", ntests);
  return nfailed ? 1 : 0;
}
