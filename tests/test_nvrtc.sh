#!/bin/sh
# SPDX-License-Identifier: MIT
exec "$STARRAY_TOP_BUILDDIR/tests/test_nvrtc" "$STARRAY_JIT_DUMP"
