/* SPDX-License-Identifier: MIT
 * Handles: what a user holds for an array or a future is not a pointer but a
 * number (kind tag, generation, slot), resolved through the kind's pool. Releasing
 * an object changes its slot's generation, so every copy of the old handle stays
 * invalid even after the slot serves a new object; a number that was never ours
 * (any other pointer) is recognised without being read. Slots are reused oldest
 * released first. Objects live in chunks that never move or go back to the system
 * while the process runs, so resolving takes no lock. */
#include "sai.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(void *) == 8, "handles are 64-bit numbers");

#define SLOT_BITS 24
#define GEN_BITS 32

static uintptr_t encode(const sai_pool *p, uint32_t gen, uint32_t slot)
{
  return (uintptr_t)p->tag << (SLOT_BITS + GEN_BITS) | (uintptr_t)gen << SLOT_BITS | slot;
}

static sai_obj *at(const sai_pool *p, uint32_t slot)
{
  char *chunk = __atomic_load_n(&p->chunks[slot / SAI_POOL_CHUNK], __ATOMIC_ACQUIRE);
  return chunk ? (sai_obj *)(chunk + (size_t)(slot % SAI_POOL_CHUNK) * p->size) : NULL;
}

/* A slot never used, in a new chunk when the last one is full; UINT32_MAX if none. */
static uint32_t fresh_slot(sai_pool *p)
{
  uint32_t slot = p->nslots;
  if (slot >= (uint32_t)SAI_POOL_CHUNK * SAI_POOL_NCHUNKS) return UINT32_MAX;
  if (slot % SAI_POOL_CHUNK == 0) {
    char *chunk = calloc(SAI_POOL_CHUNK, p->size);
    if (!chunk) return UINT32_MAX;
    __atomic_store_n(&p->chunks[slot / SAI_POOL_CHUNK], chunk, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&p->nslots, slot + 1, __ATOMIC_RELEASE);
  return slot;
}

void *sai_pool_get(sai_pool *p)
{
  pthread_mutex_lock(&p->lock);
  uint32_t slot;
  /* keep some released slots waiting, so a slot's generation turns over slowly */
  if (p->nfree > 1024 || (p->nfree && p->nslots >= (uint32_t)SAI_POOL_CHUNK * SAI_POOL_NCHUNKS)) {
    slot = p->fifo[p->head];
    p->head = (p->head + 1) % p->cap;
    p->nfree--;
  } else {
    slot = fresh_slot(p);
  }
  pthread_mutex_unlock(&p->lock);
  if (slot == UINT32_MAX) return NULL;
  sai_obj *o = at(p, slot);
  uint32_t gen = o->gen + 1 ? o->gen + 1 : 1; /* 0 is never a generation */
  memset(o, 0, p->size);
  o->magic = SAI_MAGIC_LIVE;
  o->gen = gen;
  o->slot = slot;
  o->epoch = sai_rt.epoch;
  return o;
}

void sai_pool_put(sai_pool *p, void *obj)
{
  sai_obj *o = obj;
  __atomic_store_n(&o->magic, SAI_MAGIC_DEAD, __ATOMIC_RELEASE);
  __atomic_store_n(&o->gen, o->gen + 1, __ATOMIC_RELEASE); /* its handles are stale now */
  pthread_mutex_lock(&p->lock);
  if (p->nfree == p->cap) { /* grow the ring, oldest first */
    size_t cap = p->cap ? 2 * p->cap : 1024;
    uint32_t *grown = malloc(cap * sizeof *grown);
    if (!grown) { /* the slot is never used again: no harm but a little memory */
      pthread_mutex_unlock(&p->lock);
      return;
    }
    for (size_t k = 0; k < p->nfree; k++) grown[k] = p->fifo[(p->head + k) % p->cap];
    free(p->fifo);
    p->fifo = grown;
    p->head = 0;
    p->cap = cap;
  }
  p->fifo[(p->head + p->nfree) % p->cap] = o->slot;
  p->nfree++;
  pthread_mutex_unlock(&p->lock);
}

void *sai_pool_handle(const sai_pool *p, const void *obj)
{
  const sai_obj *o = obj;
  return (void *)encode(p, o->gen, o->slot);
}

int sai_pool_find(const sai_pool *p, const void *handle, void **obj)
{
  uintptr_t h = (uintptr_t)handle;
  uint32_t slot = (uint32_t)(h & (((uintptr_t)1 << SLOT_BITS) - 1));
  uint32_t gen = (uint32_t)(h >> SLOT_BITS);
  unsigned tag = (unsigned)(h >> (SLOT_BITS + GEN_BITS));
  *obj = NULL;
  if (!handle) return SAI_HANDLE_NULL;
  if (tag != p->tag) return SAI_HANDLE_FOREIGN;
  if (slot >= __atomic_load_n(&p->nslots, __ATOMIC_ACQUIRE)) return SAI_HANDLE_FOREIGN;
  sai_obj *o = at(p, slot);
  if (!o || !gen) return SAI_HANDLE_FOREIGN;
  if (__atomic_load_n(&o->gen, __ATOMIC_ACQUIRE) != gen ||
      __atomic_load_n(&o->magic, __ATOMIC_ACQUIRE) != SAI_MAGIC_LIVE)
    return SAI_HANDLE_RELEASED;
  if (!sai_rt.initialized || o->epoch != sai_rt.epoch) return SAI_HANDLE_ENDED;
  *obj = o;
  return SAI_HANDLE_OK;
}

sa_status sai_handle_get(const sai_pool *p, const void *handle, const char *kind,
                         const char *which, const char *func, void **obj)
{
  sa_status st = SA_OK;
  switch (sai_pool_find(p, handle, obj)) {
  case SAI_HANDLE_OK: break;
  case SAI_HANDLE_NULL: SAI_FAIL(SA_ERR_INVALID_HANDLE, "%s: %s is NULL (%s)", func, kind, which);
  case SAI_HANDLE_RELEASED:
    SAI_FAIL(SA_ERR_INVALID_HANDLE, "%s: %s was already released (%s)", func, kind, which);
  case SAI_HANDLE_ENDED:
    SAI_FAIL(SA_ERR_INVALID_HANDLE, "%s: %s (%s) belongs to a libstarray session that "
             "sa_finalize ended", func, kind, which);
  default:
    SAI_FAIL(SA_ERR_INVALID_HANDLE, "%s: %s is not a libstarray %s", func, which, kind);
  }
done:
  return st;
}
