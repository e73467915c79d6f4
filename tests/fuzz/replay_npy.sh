#!/bin/sh
# SPDX-License-Identifier: MIT
# The npy fuzz target over its corpus (tests/fuzz/corpus/npy): past findings and seeds.
exec "$STARRAY_TOP_BUILDDIR/tests/fuzz/replay_npy" "$STARRAY_TOP_SRCDIR/tests/fuzz/corpus/npy"
