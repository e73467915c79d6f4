#!/bin/sh
# SPDX-License-Identifier: MIT
if [ -z "$PYTHON_NUMPY" ]; then echo "1..0 # SKIP no python3 with numpy (apt-get install python3-numpy)"; exit 0; fi
exec "$PYTHON_NUMPY" "$STARRAY_TOP_SRCDIR/tests/test_swe.py"
