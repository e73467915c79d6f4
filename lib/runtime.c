/* SPDX-License-Identifier: MIT
 * The library's state between sa_init and sa_finalize, and what every layer asks
 * of it; the bottom of lib/: this file calls nothing above errors. */
#include "sai.h"

#include <hwloc.h>
#include <string.h>

sai_runtime sai_rt;

int sai_describe_tasks(void) { return sai_rt.describe; }

uint64_t sai_hash_words(uint64_t h, const void *p, size_t n)
{
  uint64_t w;
  for (size_t k = 0; k < n; k += 8) {
    w = 0;
    memcpy(&w, (const unsigned char *)p + k, n - k < 8 ? n - k : 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return h;
}

sa_status sai_require_init(const char *func)
{
  sa_status st = SA_OK;
  SAI_REQUIRE(sai_rt.initialized, SA_ERR_NOT_INITIALIZED,
              "%s: libstarray is not initialized (call sa_init first)", func);
done:
  return st;
}

void sai_machine_counts(int *cores, int *pus, int *numa)
{
  hwloc_topology_t topo;
  *cores = *pus = *numa = 0;
  if (hwloc_topology_init(&topo)) return;
  if (!hwloc_topology_load(topo)) {
    *cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    *pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    *numa = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
  }
  hwloc_topology_destroy(topo);
}

int sai_bound_pus(void)
{
  hwloc_topology_t topo;
  int n = 0;
  if (hwloc_topology_init(&topo)) return 0;
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (set && !hwloc_topology_load(topo) && !hwloc_get_cpubind(topo, set, HWLOC_CPUBIND_PROCESS))
    n = hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, HWLOC_OBJ_PU);
  hwloc_bitmap_free(set);
  hwloc_topology_destroy(topo);
  return n;
}
