/* SPDX-License-Identifier: MIT
 * Compiling statements at run time: a kernel's source (jitgen.c) is compiled by the
 * C compiler (the one configure found, or --sa-jit-cc) into a shared object, kept in
 * a cache directory under a name made of everything that could change it (library
 * version, compiler, flags, this CPU, the source), written atomically, and loaded
 * with dlopen. Compiling happens on a thread of its own, so a statement never waits
 * for it: its tasks interpret the program until the kernel is there (--sa-jit=sync
 * compiles before submitting, for tests). Nothing here is ever an error to the
 * user: a compiler that is missing or fails, or a broken cache entry, is said once
 * and the programs stay interpreted. */
#define _GNU_SOURCE /* gettid's syscall: the compiling thread is niced, not the process */
#include "jit.h"
#include "reduce.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How kernels are compiled: part of every cache name. */
#define SAI_JIT_FLAGS                                                                     \
  "-O2 -ftree-vectorize -fvect-cost-model=dynamic -march=native -ffp-contract=off "       \
  "-fno-math-errno -fPIC -shared -w"

enum { PENDING, READY, FAILED };
typedef struct entry {
  sai_jit_sig sig;
  uint64_t hash;
  int state;
  sai_jit_fn fn;
  void *dl;
  sai_ew_program prog; /* what the compiler thread generates from */
  char *path;          /* the shared object, removed at the end with --sa-jit-cache=off */
  struct entry *next, *queued;
} entry;

#define NBUCKETS 1024
static struct {
  pthread_mutex_t lock;
  pthread_cond_t work;
  entry *bucket[NBUCKETS];
  entry *queue, *queue_tail;
  pthread_t thread;
  pid_t child; /* the compiler running now, ended at sa_finalize */
  int running, stop, warned;
  unsigned long compiled, cached, failed;
  char dir[4096], cc[4096], cpu[64];
} jit = {.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
  for (size_t k = 0; k < n; k++) h = (h ^ ((const unsigned char *)p)[k]) * 1099511628211ull;
  return h;
}

int sai_jit_signature(sai_jit_sig *sig, const sai_ew_program *pr, const int64_t *stride,
                      int mode)
{
  if (pr->ninstr < 1 || (mode == SAI_JIT_EXTRAS) != (pr->nextra > 0)) return 0;
  if (mode == SAI_JIT_EXTRAS) {
    int computes = 0;
    for (int k = 0; k < pr->ninstr; k++)
      computes |= !sai_ew_is_load(pr->code[k].op) && !sai_ew_is_const(pr->code[k].op);
    if (!computes) return 0;
  }
  memset(sig, 0, sizeof *sig);
  sig->nextra = pr->nextra;
  sig->fold = mode == SAI_JIT_EXTRAS;
  for (int k = 0; k < pr->nextra; k++) {
    sig->extra_reg[k] = (int8_t)pr->extra_result[k];
    sig->extra_minus[k] = (int8_t)(pr->extra_square[k] == 2 ? pr->extra_minus[k] : -1);
    sig->extra_square[k] = (int8_t)pr->extra_square[k];
    sig->fold &= pr->extra_op[k] == SAI_RED_SUM && pr->extra_kind_f[k];
  }
  sig->mode = mode;
  sig->ninstr = pr->ninstr;
  sig->result = pr->result;
  sig->kind_f = pr->result_kind_f;
  sig->noperands = pr->noperands;
  for (int o = mode == SAI_JIT_VALUES; o < pr->noperands; o++) {
    sig->dtype[o] = (int8_t)pr->dtype[o];
    sig->stride[o] = (int8_t)(stride[o] == 1 ? SAI_JIT_UNIT : stride[o] == 0 ? SAI_JIT_ZERO
                                                                            : SAI_JIT_ANY);
  }
  memcpy(sig->code, pr->code, (size_t)pr->ninstr * sizeof *pr->code);
  return 1;
}

int sai_jit_extra_operand(const sai_jit_sig *sig, const sai_ew_program *pr, int reg)
{
  if (reg == pr->result && pr->result_kind_f && pr->dtype[0] == SAI_F64 &&
      sig->stride[0] == SAI_JIT_UNIT)
    return 0;
  for (int k = pr->ninstr - 1; k >= 0; k--) {
    const sai_ew_instr *in = &pr->code[k];
    if (in->dst != reg) continue;
    return in->op == SAI_EW_LOAD_F && pr->dtype[in->a] == SAI_F64 &&
                   sig->stride[in->a] == SAI_JIT_UNIT
               ? in->a
               : -1;
  }
  return -1;
}

/* Over what the signature holds (the rest is zeros), 8 bytes at a time: every
 * statement's tasks look their kernel up. */
static uint64_t sig_hash(const sai_jit_sig *sig)
{
  size_t used = offsetof(sai_jit_sig, code) + (size_t)sig->ninstr * sizeof *sig->code;
  return sai_hash_words(0x9e3779b97f4a7c15ull, sig, used);
}

/* The entry of sig (lock held), or NULL. */
static entry *lookup(const sai_jit_sig *sig, uint64_t h)
{
  for (entry *e = jit.bucket[h % NBUCKETS]; e; e = e->next)
    if (e->hash == h && !memcmp(&e->sig, sig, sizeof *sig)) return e;
  return NULL;
}

sai_jit_fn sai_jit_find(const sai_jit_sig *sig)
{
  if (sai_rt.settings.jit == 1) return NULL; /* off */
  uint64_t h = sig_hash(sig);
  pthread_mutex_lock(&jit.lock);
  entry *e = lookup(sig, h);
  sai_jit_fn fn = e && e->state == READY ? e->fn : NULL;
  pthread_mutex_unlock(&jit.lock);
  return fn;
}

/* Said once a session: compiling does not work here, and why. */
static void warn_once(const char *what, const char *detail)
{
  pthread_mutex_lock(&jit.lock);
  int first = !jit.warned;
  jit.warned = 1;
  pthread_mutex_unlock(&jit.lock);
  if (first && sai_rt.settings.verbose >= 1 && sai_rt.rank == 0)
    fprintf(stderr, "starray: warning: statements are interpreted, not compiled: %s%s%s "
            "(--sa-jit-cc chooses the compiler; --sa-jit=off silences this)\n", what,
            detail[0] ? ": " : "", detail);
}

/* Runs the compiler on src into so; 0 on success. */
static int run_compiler(const char *src, const char *so, char *why, size_t size)
{
  char cmd[sizeof jit.cc], *argv[64];
  int argc = 0;
  snprintf(cmd, sizeof cmd, "%s " SAI_JIT_FLAGS, jit.cc);
  for (char *save = NULL, *w = strtok_r(cmd, " \t", &save); w && argc < 58;
       w = strtok_r(NULL, " \t", &save))
    argv[argc++] = w;
  argv[argc++] = "-o";
  argv[argc++] = (char *)so;
  argv[argc++] = (char *)src;
  argv[argc++] = "-lm";
  argv[argc] = NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ), status = 0;
  posix_spawn_file_actions_destroy(&fa);
  if (err) {
    snprintf(why, size, "cannot run %s (%s)", argv[0], strerror(err));
    return -1;
  }
  pthread_mutex_lock(&jit.lock);
  jit.child = pid;
  pthread_mutex_unlock(&jit.lock);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  pthread_mutex_lock(&jit.lock);
  jit.child = 0;
  pthread_mutex_unlock(&jit.lock);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  snprintf(why, size, "%s failed on a generated kernel (status %d)", argv[0],
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return -1;
}

/* Loads so; 0 and e->fn, e->dl on success. */
static int load(entry *e, const char *so)
{
  void *dl = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  sai_jit_fn fn = dl ? (sai_jit_fn)(uintptr_t)dlsym(dl, "sai_jit_kernel") : NULL;
  if (!fn) {
    if (dl) dlclose(dl);
    return -1;
  }
  e->dl = dl;
  e->fn = fn;
  return 0;
}

/* --sa-jit-dump=DIR: the kernel's C and CUDA C sources, as DIR/k<hash>.c and .cu
 * (for reading, and for the test that compiles the CUDA ones with NVRTC). */
static void dump(const entry *e)
{
  const char *dir = sai_rt.settings.jit_dump;
  if (!dir[0]) return;
  for (int cuda = 0; cuda < 2; cuda++) {
    char *src = NULL, path[sizeof sai_rt.settings.jit_dump + 64], tmp[sizeof path + 32];
    if (sai_jit_source(&src, &e->prog, &e->sig, cuda) != SA_OK) continue;
    snprintf(path, sizeof path, "%s/k%016llx.%s", dir, (unsigned long long)e->hash,
             cuda ? "cu" : "c");
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(src, f) >= 0;
    if (f && fclose(f)) ok = 0;
    if (!ok || rename(tmp, path)) unlink(tmp);
    free(src);
  }
}

/* The kernel of e: from the cache, or compiled into it. */
static void build(entry *e)
{
  char *src = NULL, path[sizeof jit.dir + 64], tmp[sizeof path + 64], srcpath[sizeof tmp + 8];
  char why[sizeof srcpath + 128] = "";
  int state = FAILED, from_cache = 0;
  dump(e);
  if (sai_jit_source(&src, &e->prog, &e->sig, 0) != SA_OK) goto done;
  uint64_t name = fnv(1469598103934665603ull, SA_VERSION_STRING, strlen(SA_VERSION_STRING));
  name = fnv(name, jit.cc, strlen(jit.cc));
  name = fnv(name, SAI_JIT_FLAGS, strlen(SAI_JIT_FLAGS));
  name = fnv(name, jit.cpu, strlen(jit.cpu));
  name = fnv(name, src, strlen(src));
  snprintf(path, sizeof path, "%s/k%016llx.so", jit.dir, (unsigned long long)name);
  e->path = strdup(path);
  if (!access(path, R_OK) && !load(e, path)) {
    state = READY, from_cache = 1;
    goto done;
  }
  unlink(path); /* missing, foreign or broken: made again */
  snprintf(tmp, sizeof tmp, "%s.%ld.%lx.tmp", path, (long)getpid(),
           (unsigned long)(uintptr_t)pthread_self());
  snprintf(srcpath, sizeof srcpath, "%s.c", tmp);
  FILE *f = fopen(srcpath, "w");
  int wrote = f && fputs(src, f) >= 0;
  if (f && fclose(f)) wrote = 0;
  if (!wrote) {
    snprintf(why, sizeof why, "cannot write %s: %s", srcpath, strerror(errno));
  } else if (!run_compiler(srcpath, tmp, why, sizeof why)) {
    /* rename is atomic: a concurrent process sees the whole object or none */
    if (!rename(tmp, path) && !load(e, path)) state = READY;
    else snprintf(why, sizeof why, "cannot load the compiled %s", path);
  }
  unlink(srcpath);
  unlink(tmp);
done:
  free(src);
  pthread_mutex_lock(&jit.lock);
  int stopped = jit.stop; /* the compiler was ended by sa_finalize: not a failure */
  e->state = state;
  if (state == READY) from_cache ? jit.cached++ : jit.compiled++;
  else if (!stopped) jit.failed++;
  pthread_mutex_unlock(&jit.lock);
  if (state == FAILED && !stopped) warn_once("a kernel could not be compiled", why);
}

/* Compiles what is asked, one kernel at a time, at a lower priority than the
 * workers (the compiler it starts inherits it): the interpreter keeps the cores. At
 * sa_finalize what was not started is left (the programs ran interpreted). */
static void *compiler_thread(void *arg)
{
  (void)arg;
  setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
  pthread_mutex_lock(&jit.lock);
  for (;;) {
    while (!jit.queue && !jit.stop) pthread_cond_wait(&jit.work, &jit.lock);
    if (jit.stop) break;
    entry *e = jit.queue;
    jit.queue = e->queued;
    if (!jit.queue) jit.queue_tail = NULL;
    pthread_mutex_unlock(&jit.lock);
    build(e);
    pthread_mutex_lock(&jit.lock);
  }
  pthread_mutex_unlock(&jit.lock);
  return NULL;
}

void sai_jit_request(const sai_jit_sig *sig, const sai_ew_program *pr)
{
  if (sai_rt.settings.jit == 1 || !jit.dir[0]) return;
  uint64_t h = sig_hash(sig);
  pthread_mutex_lock(&jit.lock);
  entry *e = lookup(sig, h);
  if (e) {
    pthread_mutex_unlock(&jit.lock);
    return;
  }
  e = calloc(1, sizeof *e);
  if (!e) {
    pthread_mutex_unlock(&jit.lock);
    return; /* no memory: interpreted */
  }
  e->sig = *sig;
  e->hash = h;
  e->prog = *pr;
  e->state = PENDING;
  e->next = jit.bucket[h % NBUCKETS];
  jit.bucket[h % NBUCKETS] = e;
  int sync = sai_rt.settings.jit == 2 || !jit.running;
  if (!sync) {
    if (jit.queue_tail) jit.queue_tail->queued = e;
    else jit.queue = e;
    jit.queue_tail = e;
    pthread_cond_signal(&jit.work);
  }
  pthread_mutex_unlock(&jit.lock);
  if (sync) build(e);
}

/* mkdir -p; 0 if path is a directory we may write. */
static int make_dirs(const char *path)
{
  char buf[sizeof jit.dir];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *c = buf + 1; *c; c++) {
    if (*c != '/') continue;
    *c = '\0';
    mkdir(buf, 0700);
    *c = '/';
  }
  mkdir(buf, 0700);
  return access(buf, W_OK);
}

/* This CPU, as far as -march=native sees it: its model and flags (Linux). */
static void cpu_name(char *buf, size_t size)
{
  uint64_t h = 1469598103934665603ull;
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[4096];
  int seen = 0;
  while (f && seen < 2 && fgets(line, sizeof line, f))
    if (!strncmp(line, "model name", 10) || !strncmp(line, "flags", 5)) {
      h = fnv(h, line, strlen(line));
      seen++;
    }
  if (f) fclose(f);
  snprintf(buf, size, "%016llx", (unsigned long long)h);
}

/* The cache directory: --sa-jit-cache, else ${XDG_CACHE_HOME:-~/.cache}/starray/jit;
 * "off": a directory of this process's own, removed at sa_finalize. */
static void cache_dir(char *buf, size_t size)
{
  const char *opt = sai_rt.settings.jit_cache, *xdg = getenv("XDG_CACHE_HOME"),
             *home = getenv("HOME");
  if (opt[0] && strcmp(opt, "off")) snprintf(buf, size, "%s", opt);
  else if (!opt[0] && xdg && xdg[0]) snprintf(buf, size, "%s/starray/jit", xdg);
  else if (!opt[0] && home && home[0]) snprintf(buf, size, "%s/.cache/starray/jit", home);
  else snprintf(buf, size, "%s/starray-jit-%ld-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                (long)getuid(), (long)getpid());
}

/* Removes what compilers of ended processes left in dir: kernel.so.PID.THREAD.tmp and
 * its .c (a process that exits while compiling, or is killed, cannot). Only files
 * older than 10 minutes, whose process no longer exists here: a cache shared between
 * machines may hold another machine's live ones, and no compile takes that long. */
static void sweep_stale(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  time_t now = time(NULL);
  while (d && (de = readdir(d))) {
    const char *so = strstr(de->d_name, ".so."), *end = strstr(de->d_name, ".tmp");
    if (de->d_name[0] != 'k' || !so || !end || (strcmp(end, ".tmp") && strcmp(end, ".tmp.c")))
      continue;
    char *after;
    long pid = strtol(so + 4, &after, 10);
    char path[sizeof jit.dir + 300];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (after == so + 4 || *after != '.' || pid <= 0 || stat(path, &st) ||
        now - st.st_mtime < 600)
      continue;
    if (pid > INT_MAX || (kill((pid_t)pid, 0) && errno == ESRCH)) unlink(path);
  }
  if (d) closedir(d);
}

static int private_cache(void)
{
  return !strcmp(sai_rt.settings.jit_cache, "off");
}

void sai_jit_start(void)
{
  jit.compiled = jit.cached = jit.failed = 0;
  jit.warned = 0;
  jit.dir[0] = '\0';
#ifdef STARPU_SIMGRID
  return; /* a simulation runs no codelet: nothing to compile */
#endif
  if (sai_rt.settings.jit == 1) return;
  snprintf(jit.cc, sizeof jit.cc, "%s", sai_rt.settings.jit_cc[0] ? sai_rt.settings.jit_cc
                                                                   : SA_JIT_CC);
  cpu_name(jit.cpu, sizeof jit.cpu);
  char dir[sizeof jit.dir];
  cache_dir(dir, sizeof dir);
  if (make_dirs(dir)) {
    char why[sizeof dir + 64];
    snprintf(why, sizeof why, "cannot write %s", dir);
    warn_once("no cache directory", why);
    return;
  }
  snprintf(jit.dir, sizeof jit.dir, "%s", dir);
  sweep_stale(dir);
  jit.stop = 0;
  jit.running = sai_rt.settings.jit == 0 &&
                !pthread_create(&jit.thread, NULL, compiler_thread, NULL);
}

void sai_jit_stop(int verbose)
{
  pthread_mutex_lock(&jit.lock);
  int running = jit.running;
  jit.stop = 1;
  if (jit.child && jit.running) kill(jit.child, SIGTERM); /* no one will run its kernel */
  pthread_cond_signal(&jit.work);
  pthread_mutex_unlock(&jit.lock);
  if (running) pthread_join(jit.thread, NULL);
  jit.running = 0;
  for (int b = 0; b < NBUCKETS; b++)
    while (jit.bucket[b]) {
      entry *e = jit.bucket[b];
      jit.bucket[b] = e->next;
      if (e->dl) dlclose(e->dl);
      if (e->path && private_cache()) unlink(e->path);
      free(e->path);
      free(e);
    }
  jit.queue = jit.queue_tail = NULL;
  if (verbose >= 2 && sai_rt.rank == 0 && sai_rt.settings.jit != 1)
    fprintf(stderr, "starray: compiled kernels: %lu compiled, %lu found in the cache, %lu "
            "failed (those statements were interpreted)\n", jit.compiled, jit.cached,
            jit.failed);
  if (jit.dir[0] && private_cache()) rmdir(jit.dir); /* this process's own, emptied */
}

void sai_jit_describe(char *buf, size_t size)
{
  if (sai_rt.settings.jit == 1) {
    snprintf(buf, size, "off (--sa-jit=off)");
    return;
  }
  snprintf(buf, size, "%s, compiler %s, cache %s", jit.warned ? "not working" : "on",
           jit.cc, jit.dir[0] ? jit.dir : "(none)");
}
