# SPDX-License-Identifier: MIT
EXTRA_DIST += %D%/options.md %D%/coding-style.md
