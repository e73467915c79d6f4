#!/bin/sh
# SPDX-License-Identifier: MIT
# The expr fuzz target over its corpus (tests/fuzz/corpus/expr): past findings and seeds.
exec "$STARRAY_TOP_BUILDDIR/tests/fuzz/replay_expr" "$STARRAY_TOP_SRCDIR/tests/fuzz/corpus/expr"
