# SPDX-License-Identifier: MIT
# The trace tool (FxT -> ViTE, idle-time report, activity picture) lands here.
