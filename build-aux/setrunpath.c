/* SPDX-License-Identifier: MIT
 * setrunpath FILE OLD NEW: in the ELF file FILE, replaces the entry OLD of its RUNPATH
 * (or RPATH) by NEW ("" drops it), in place, as chrpath does: the new list must not be
 * longer than the old one. make install uses it on the StarPU files it copies in. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *file;

static int fail(const char *what)
{
  fprintf(stderr, "setrunpath: %s: %s\n", file, what);
  return 1;
}

/* File offset of a virtual address, through the PT_LOAD segments; 0 if none. */
static Elf64_Off vaddr_offset(const unsigned char *m, const Elf64_Ehdr *eh, Elf64_Addr a)
{
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(m + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD && a >= ph[i].p_vaddr && a < ph[i].p_vaddr + ph[i].p_filesz)
      return a - ph[i].p_vaddr + ph[i].p_offset;
  return 0;
}

static int same_dir(const char *a, size_t na, const char *b)
{
  size_t nb = strlen(b);
  while (na > 1 && a[na - 1] == '/')
    na--;
  while (nb > 1 && b[nb - 1] == '/')
    nb--;
  return na == nb && !memcmp(a, b, na);
}

/* old with each entry equal to from replaced by to, into out (size >= strlen(old) + 1
 * + strlen(to) * entries); returns 1 if an entry was replaced. */
static int replace(const char *old, const char *from, const char *to, char *out)
{
  int changed = 0;
  out[0] = '\0';
  for (const char *p = old;;) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    const char *entry = p;
    if (same_dir(p, n, from)) {
      entry = to;
      n = strlen(to);
      changed = 1;
    }
    if (n) {
      if (out[0]) strcat(out, ":");
      strncat(out, entry, n);
    }
    if (!end) break;
    p = end + 1;
  }
  return changed;
}

/* Whether a string of the dynamic string table (other than the one at start) points
 * inside [start, start + len]: the linker shares string tails, and those must stay. */
static int shared_tail(const unsigned char *m, const Elf64_Ehdr *eh, Elf64_Off strtab,
                       const Elf64_Dyn *dyn, Elf64_Xword start, size_t len)
{
#define INSIDE(x) ((x) > start && (x) <= start + len)
  for (const Elf64_Dyn *d = dyn; d->d_tag != DT_NULL; d++)
    if ((d->d_tag == DT_NEEDED || d->d_tag == DT_SONAME || d->d_tag == DT_RPATH ||
         d->d_tag == DT_RUNPATH || d->d_tag == DT_AUXILIARY || d->d_tag == DT_FILTER) &&
        INSIDE(d->d_un.d_val))
      return 1;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(m + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_link >= eh->e_shnum || sh[sh[i].sh_link].sh_offset != strtab) continue;
    const unsigned char *s = m + sh[i].sh_offset;
    if (sh[i].sh_type == SHT_DYNSYM) {
      for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++)
        if (INSIDE(((const Elf64_Sym *)s)[k].st_name)) return 1;
    } else if (sh[i].sh_type == SHT_GNU_verdef) {
      for (const Elf64_Verdef *v = (const Elf64_Verdef *)s;;
           v = (const void *)((const char *)v + v->vd_next)) {
        const Elf64_Verdaux *a = (const void *)((const char *)v + v->vd_aux);
        for (int k = 0; k < v->vd_cnt;
             k++, a = (const void *)((const char *)a + a->vda_next))
          if (INSIDE(a->vda_name)) return 1;
        if (!v->vd_next) break;
      }
    } else if (sh[i].sh_type == SHT_GNU_verneed) {
      for (const Elf64_Verneed *v = (const Elf64_Verneed *)s;;
           v = (const void *)((const char *)v + v->vn_next)) {
        if (INSIDE(v->vn_file)) return 1;
        const Elf64_Vernaux *a = (const void *)((const char *)v + v->vn_aux);
        for (int k = 0; k < v->vn_cnt;
             k++, a = (const void *)((const char *)a + a->vna_next))
          if (INSIDE(a->vna_name)) return 1;
        if (!v->vn_next) break;
      }
    }
  }
  return 0;
#undef INSIDE
}

static int edit(unsigned char *m, size_t size, const char *from, const char *to)
{
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m;
  if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
    return fail("not an ELF file");
  if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
    return fail("only 64-bit little-endian ELF files are handled");
  if (eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > size ||
      eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size || !eh->e_shnum)
    return fail("truncated ELF file, or one without section headers");
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(m + eh->e_phoff);
  Elf64_Dyn *dyn = NULL;
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_DYNAMIC && ph[i].p_offset + ph[i].p_filesz <= size)
      dyn = (Elf64_Dyn *)(m + ph[i].p_offset);
  if (!dyn) return 0; /* static: no run-time path */
  Elf64_Off strtab = 0;
  Elf64_Xword strsz = 0;
  for (Elf64_Dyn *d = dyn; d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_STRTAB) strtab = vaddr_offset(m, eh, d->d_un.d_ptr);
    if (d->d_tag == DT_STRSZ) strsz = d->d_un.d_val;
  }
  if (!strtab || strtab + strsz > size) return fail("no dynamic string table");
  for (Elf64_Dyn *d = dyn; d->d_tag != DT_NULL; d++) {
    if (d->d_tag != DT_RUNPATH && d->d_tag != DT_RPATH) continue;
    if (d->d_un.d_val >= strsz) return fail("run-time path outside the string table");
    char *old = (char *)m + strtab + d->d_un.d_val;
    size_t len = strnlen(old, strsz - d->d_un.d_val);
    char *new = malloc(len + 2 + strlen(to) * (len + 1));
    if (!new) return fail("out of memory");
    if (replace(old, from, to, new)) {
      if (strlen(new) > len) {
        fprintf(stderr, "setrunpath: %s: no room for '%s' in the run-time path '%s'\n",
                file, new, old);
        free(new);
        return 3;
      }
      if (shared_tail(m, eh, strtab, dyn, d->d_un.d_val, len)) {
        free(new);
        return fail("the run-time path shares its bytes with another string");
      }
      memset(old, 0, len);
      memcpy(old, new, strlen(new));
    }
    free(new);
  }
  return 0;
}

int main(int argc, char **argv)
{
  if (argc != 4) {
    fprintf(stderr, "Usage: setrunpath FILE OLD NEW\n");
    return 2;
  }
  file = argv[1];
  int fd = open(file, O_RDWR);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) return fail("cannot open for writing");
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) return fail("cannot map");
  int rc = edit(m, (size_t)st.st_size, argv[2], argv[3]);
  if (msync(m, (size_t)st.st_size, MS_SYNC) || munmap(m, (size_t)st.st_size) || close(fd))
    return fail("cannot write back");
  return rc;
}
