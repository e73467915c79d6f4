# SPDX-License-Identifier: MIT
# TAP helpers for shell tests: plan N; ok COND-EXIT-STATUS "what"; done.
sat_n=0 sat_fail=0
plan() { echo "1..$1"; }
ok() {  # ok STATUS DESCRIPTION
  sat_n=$((sat_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $sat_n - $2"; else echo "not ok $sat_n - $2"; sat_fail=$((sat_fail + 1)); fi
}
diag() { sed 's/^/# /' "$@"; }
finish() { [ "$sat_fail" -eq 0 ]; }
