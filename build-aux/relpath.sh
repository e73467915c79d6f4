#!/bin/sh
# SPDX-License-Identifier: MIT
# relpath.sh FROM TO: the path of directory TO relative to directory FROM, both
# absolute, compared as written (no symbolic link is resolved): relpath.sh /p/bin
# /p/lib prints ../lib. Installed files find each other with it ($ORIGIN/../lib).
set -eu
clean() {  # squeeze //, drop /./ and a trailing /, fold dir/.. lexically
  printf '%s\n' "$1" | awk -F/ '{
    n = 0
    for (i = 1; i <= NF; i++) {
      if ($i == "" || $i == ".") continue
      if ($i == ".." && n > 0) { n--; continue }
      p[++n] = $i
    }
    s = ""
    for (i = 1; i <= n; i++) s = s "/" p[i]
    print (s == "" ? "/" : s)
  }'
}
case $1 in /*) ;; *) echo "relpath.sh: '$1' is not absolute" >&2; exit 1 ;; esac
case $2 in /*) ;; *) echo "relpath.sh: '$2' is not absolute" >&2; exit 1 ;; esac
from=$(clean "$1") to=$(clean "$2")
up=""
while :; do
  case $to/ in
    "$from"/*|"$from"/) break ;;
  esac
  [ "$from" = / ] && break
  from=${from%/*}; [ -n "$from" ] || from=/
  up="../$up"
done
rest=${to#"$from"}; rest=${rest#/}
out="$up$rest"; out=${out%/}
printf '%s\n' "${out:-.}"
