#!/bin/sh
# SPDX-License-Identifier: MIT
# Every C program of doc/guide.md compiles against the build tree without a warning,
# runs (exit status 0, every array and future released) and prints exactly the
# ```text block that follows it after a line "Output:" or "Output (...):". A program
# is a ```c block whose first line is "/* guide: NAME.c */", or "/* guide: NAME.c,
# run as: ./NAME ARGS */" for other arguments than the default --sa-ncpus=2.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
src=$STARRAY_TOP_SRCDIR build=$STARRAY_TOP_BUILDDIR
guide=$src/doc/guide.md
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Writes NAME.c, NAME.args and, after "Output:", NAME.expected into $tmp/p, one line
# per program ("NAME") into $tmp/list, and a line per unnamed or repeated block into
# $tmp/errors.
mkdir "$tmp/p" && : >"$tmp/list"
awk -v dir="$tmp/p" -v list="$tmp/list" -v errors="$tmp/errors" '
function fail(msg) { print "doc/guide.md:" NR ": " msg > errors }
state == "code" && /^```[ \t]*$/ { close(file); state = "after"; next }
state == "code" {
  if (name == "") {
    line = $0
    if (!sub(/^\/\* guide: /, "", line) || !sub(/ \*\/$/, "", line)) {
      fail("a ```c block does not start with /* guide: NAME.c */"); state = ""; next
    }
    name = line; args = "--sa-ncpus=2"
    if (index(line, ", run as: ")) {
      name = substr(line, 1, index(line, ", run as: ") - 1)
      args = substr(line, index(line, ", run as: ") + 10)
    }
    if (name !~ /^[a-z0-9_]+\.c$/) { fail("bad program name \"" name "\""); state = ""; next }
    sub(/\.c$/, "", name)
    if (name in seen) { fail("two programs named " name ".c"); state = ""; next }
    if (args !~ ("^\\./" name "( |$)") && args != "--sa-ncpus=2") {
      fail(name ".c: \"run as:\" must start with ./" name); state = ""; next
    }
    sub("^\\./" name " ?", "", args)
    seen[name] = 1
    file = dir "/" name ".c"
    print name > list
    print args > (dir "/" name ".args")
    close(dir "/" name ".args")
  }
  print > file
  next
}
state == "after" && /^[ \t]*$/ { next }
state == "after" && /^Output( \(.*\))?:[ \t]*$/ { state = "want"; next }
state == "want" && /^[ \t]*$/ { next }
state == "want" && /^```text[ \t]*$/ { state = "output"; out = dir "/" name ".expected"; printf "" > out; next }
state == "want" { fail(name ".c: \"Output:\" is not followed by a ```text block"); state = "" }
state == "output" && /^```[ \t]*$/ { close(out); state = ""; next }
state == "output" { print > out; next }
/^```c[ \t]*$/ { state = "code"; name = ""; next }
{ state = "" }
' "$guide"

n=$(wc -l <"$tmp/list")
nout=$(find "$tmp/p" -name "*.expected" | wc -l)
plan $((2 + 3 * n + nout))
[ ! -s "$tmp/errors" ]; ok $? "every C block of doc/guide.md is a named program"
[ -s "$tmp/errors" ] && diag "$tmp/errors"
[ "$n" -ge 10 ] && [ "$nout" -ge 8 ]
ok $? "doc/guide.md has $n programs, $nout of them with their output"

# Programs are compiled as a user would: the header from the source tree (and the build
# tree's configuration directory, as other tests have it), the library of the build tree.
cflags="-std=c11 -Wall -Wextra -Wpedantic -Werror $SAN_CFLAGS -I$src/lib -I$build"
libs="-L$build/lib/.libs -Wl,-rpath,$build/lib/.libs -lstarray -lm"
to=
command -v timeout >/dev/null 2>&1 && to="timeout 300"
# shellcheck disable=SC2013
for name in $(cat "$tmp/list" 2>/dev/null); do
  p=$tmp/p/$name
  # shellcheck disable=SC2086
  ${CC:-cc} $cflags -o "$p" "$p.c" $libs >"$p.cc" 2>&1
  ok $? "$name.c compiles without warnings"
  [ -s "$p.cc" ] && diag "$p.cc"
  mkdir "$p.dir"
  # shellcheck disable=SC2046
  (cd "$p.dir" && STARRAY_DEBUG=1 $to "$p" $(cat "$p.args") >"$p.out" 2>"$p.err")
  st=$?
  ok $st "$name.c runs ($(printf '%s' "./$name $(cat "$p.args")" | sed 's/ *$//'): exit status $st)"
  [ $st -eq 0 ] || diag "$p.err"
  ! grep -q "never released" "$p.err"
  ok $? "$name.c releases every array and future it makes (--sa-debug)"
  grep "never released" "$p.err" | diag
  if [ -f "$p.expected" ]; then
    diff "$p.expected" "$p.out" >"$p.diff" 2>&1
    ok $? "$name.c prints the output the guide shows"
    [ -s "$p.diff" ] && diag "$p.diff"
  fi
done
finish
