# SPDX-License-Identifier: MIT
# Example programs (doc/guide.md): built by make check and run by
# tests/test_examples.sh; their sources are installed as documentation. The C
# programs of doc/guide.md are compiled and run by tests/test_guide.sh.
sa_examples = %D%/heat2d %D%/stats %D%/distributed %D%/shapes
check_PROGRAMS += $(sa_examples)
%C%_heat2d_LDADD = lib/libstarray.la
%C%_stats_LDADD = lib/libstarray.la -lm
%C%_distributed_LDADD = lib/libstarray.la
%C%_shapes_LDADD = lib/libstarray.la
exampledir = $(docdir)/examples
dist_example_DATA = %D%/heat2d.c %D%/stats.c %D%/distributed.c %D%/shapes.c
TESTS += tests/test_guide.sh tests/test_examples.sh
EXTRA_DIST += tests/test_guide.sh tests/test_examples.sh doc/guide.md
