/* SPDX-License-Identifier: MIT
 * A program outside the build tree, compiled with `pkg-config --cflags --libs
 * starray` against an installed prefix (make installcheck). */
#include <starray.h>

#include <stdio.h>

int main(int argc, char **argv)
{
  SA_CHECK(sa_init(&argc, &argv));
  sa_config c;
  SA_CHECK(sa_config_query(&c));
  int n = 0;
  SA_CHECK(sa_self_test(&n));
  SA_CHECK(sa_finalize());
  printf("consumer: libstarray %s, %d workers checked\n", c.version, n);
  return n > 0 ? 0 : 1;
}
