#!/bin/sh
# SPDX-License-Identifier: MIT
# make install into prefixes configure never saw (prefix=DIR, then DESTDIR): what goes
# where; run-time paths and resolved libraries inside the prefix or the system's
# directories only. Then a copy of the prefix, with the original gone (and the StarPU
# build hidden where a private mount namespace is allowed), runs starray-info, a
# program built with pkg-config alone and starray-trace; make uninstall empties it.
. "$STARRAY_TOP_SRCDIR/tests/tap.sh"
top=$STARRAY_TOP_BUILDDIR src=$STARRAY_TOP_SRCDIR
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
skip() { sat_n=$((sat_n + 1)); echo "ok $sat_n # SKIP $1"; }

# The configured directories, moved under the prefix $1 (where they all lie under
# configure's prefix; otherwise make install would write outside $tmp).
conf_prefix=$(printf '%s\n' $SA_INSTALL_DIRS | sed -n 's/^prefix=//p')
moved_dirs() {
  for kv in $SA_INSTALL_DIRS; do
    v=${kv#*=}
    case $v in "$conf_prefix" | "$conf_prefix"/*) ;; *) return 1 ;; esac
    printf '%s=%s\n' "${kv%%=*}" "$1${v#"$conf_prefix"}"
  done
}
dir_of() { printf '%s\n' $2 | sed -n "s|^$1=||p"; }  # dir_of NAME DIRS
B=$tmp/B
if ! bdirs=$(moved_dirs "$B"); then
  echo "1..0 # SKIP a directory was configured outside --prefix ($SA_INSTALL_DIRS)"
  exit 0
fi
plan 17
mk() {  # make in the build tree, alone (not as part of this make check's jobs)
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$top" "$@" >>"$tmp/make.log" 2>&1
}
copy=$SA_STARPU_COPY

# A path is clean if it is in the prefix $1, or in a system directory and not in the
# build or source tree, the StarPU build (where it is copied) or another prefix $2.
clean_path() {
  for no in "$top" "$src" ${2:+"$2"} $([ "$copy" = yes ] && echo "$SA_STARPU_PREFIX"); do
    case $3 in "$no" | "$no"/*) return 1 ;; esac
  done
  case $3 in "$1"/* | /lib/* | /lib64/* | /usr/*) return 0 ;; esac
  return 1
}

mk install $bdirs; st=$?
ok $st "make install prefix=$B (configured with --prefix=$conf_prefix)"
[ $st -eq 0 ] || tail -20 "$tmp/make.log" | diag
bindir=$(dir_of bindir "$bdirs") libdir=$(dir_of libdir "$bdirs")
libexecdir=$(dir_of libexecdir "$bdirs") includedir=$(dir_of includedir "$bdirs")

missing=
for f in "$bindir/starray-info" "$bindir/cfd12" "$bindir/jacobi" "$bindir/swe" "$bindir/starray-trace" \
         "$libdir/libstarray.so" "$libdir/pkgconfig/starray.pc" "$includedir/starray.h"; do
  [ -e "$f" ] || missing="$missing $f"
done
if [ "$copy" = yes ]; then
  for s in $SA_STARPU_COPY_LIBS; do
    ls "$libdir/$s".so.* >/dev/null 2>&1 || missing="$missing $libdir/$s.so.*"
  done
  [ ! -x "$SA_STARPU_BINDIR/starpu_fxt_tool" ] || [ -x "$libexecdir/starray/starpu_fxt_tool" ] ||
    missing="$missing $libexecdir/starray/starpu_fxt_tool"
fi
[ -z "$missing" ]; ok $? "library, header, programs, starray.pc there (StarPU's libraries copied: $copy)"
[ -z "$missing" ] || echo "missing:$missing" | diag

[ "$(PKG_CONFIG_PATH=$libdir/pkgconfig ${PKG_CONFIG:-pkg-config} --variable=prefix starray)" = "$B" ] &&
  [ "$(PKG_CONFIG_PATH=$libdir/pkgconfig ${PKG_CONFIG:-pkg-config} --variable=libdir starray)" = "$libdir" ] &&
  grep -q "^libdir='$libdir'\$" "$libdir/libstarray.la"
st=$?; ok $st "starray.pc and libstarray.la name the prefix of make install, not configure's"
[ $st -eq 0 ] || diag "$libdir/pkgconfig/starray.pc"

# Installed text files: no path into the build tree or the StarPU build.
bad=$(grep -lF -e "$top/" -e "$src/" $([ "$copy" = yes ] && echo "-e $SA_STARPU_PREFIX/") \
  "$libdir/pkgconfig/starray.pc" "$libdir/libstarray.la" "$bindir/starray-trace" "$includedir/starray.h")
[ -z "$bad" ]; ok $? "starray.pc, libstarray.la, starray-trace name neither the build tree nor the StarPU build"
[ -z "$bad" ] || echo "$bad" | diag

# Run-time paths: $ORIGIN-relative (the prefix can move) or system directories.
bad=
for f in "$bindir"/* "$libdir"/lib*.so* "$libexecdir"/starray/*; do
  [ -f "$f" ] && [ ! -h "$f" ] && readelf -h "$f" >/dev/null 2>&1 || continue
  rp=$(readelf -d "$f" | sed -n 's/.*(R[UN]*PATH).*\[\(.*\)\]$/\1/p' | tr ':' ' ')
  for e in $rp; do
    case $e in '$ORIGIN' | '$ORIGIN'/*) continue ;; esac
    clean_path /nonexistent "$B" "$e" || bad="$bad ${f#"$B"/}:$e"
  done
done
[ -z "$bad" ]; ok $? "every RUNPATH entry of the installed programs and libraries is \$ORIGIN-relative or a system directory"
[ -z "$bad" ] || echo "$bad" | diag

# What the dynamic linker resolves for them.
bad=
for f in "$bindir/starray-info" "$libdir/libstarray.so"; do
  ldd "$f" >"$tmp/ldd" 2>&1 || bad="$bad $f:ldd-failed"
  bad="$bad$(sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/ \1:not-found/p' "$tmp/ldd")"
  for p in $(sed -n 's/.* => \(\/[^ ]*\) .*/\1/p' "$tmp/ldd"); do
    clean_path "$B" "" "$p" || bad="$bad ${f#"$B"/}:$p"
  done
done
[ -z "$bad" ]; ok $? "ldd: starray-info and libstarray.so resolve inside the prefix and the system's directories"
[ -z "$bad" ] || echo "$bad" | diag

# DESTDIR: the files go under it, and name the prefix without it.
P=/opt/starray-install-test-$$
pdirs=$(moved_dirs "$P")
stage=$tmp/stage
mk install DESTDIR="$stage" $pdirs
plib=$stage$(dir_of libdir "$pdirs")
[ -e "$plib/libstarray.so" ] && [ ! -e "$P" ] && grep -q "^prefix=$P\$" "$plib/pkgconfig/starray.pc"
ok $? "make install DESTDIR=... prefix=$P: files under DESTDIR, starray.pc names $P"
mk uninstall DESTDIR="$stage" $pdirs
left=$(find "$stage" ! -type d)
[ -z "$left" ]; ok $? "make uninstall DESTDIR=... removes them all"
[ -z "$left" ] || echo "$left" | diag

# A copy of the prefix, elsewhere and deeper, the original renamed away.
C=$tmp/elsewhere/deeper/starray
mkdir -p "$tmp/elsewhere/deeper" && cp -a "$B" "$C" && mv "$B" "$tmp/B.gone"
cdirs=$(moved_dirs "$C")
cbin=$(dir_of bindir "$cdirs") clib=$(dir_of libdir "$cdirs")
mkdir -p "$tmp/home" "$tmp/ld"
# No variable of make check's environment points into the build tree.
run="env -u STARRAY_JIT_CACHE -u STARRAY_JIT_DUMP -u XDG_CACHE_HOME -u LD_LIBRARY_PATH HOME=$tmp/home STARPU_HOME=$tmp/home"
# Objects the program loaded (LD_DEBUG=libs "calling init"), and where it searched.
loaded_clean() {  # loaded_clean LOGPREFIX
  bad=
  for p in $(sed -n 's/.*calling init: //p' "$1".* | sort -u); do
    clean_path "$C" "$B" "$p" || case $p in "$tmp/home"/*) ;; *) bad="$bad $p" ;; esac
  done
  for p in $(sed -n 's/.*trying file=//p' "$1".* | sort -u); do
    clean_path /nonexistent "$B" "$p" || case $p in "$C"/*) ;; *) bad="$bad tried:$p" ;; esac
  done
  [ -z "$bad" ] || echo "$bad" | tr ' ' '\n' | diag
  [ -z "$bad" ]
}

$run LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/ld/info" "$cbin/starray-info" >"$tmp/info.out" 2>"$tmp/info.err"
st=$?
[ $st -eq 0 ] && grep -q "self-test: \([1-9][0-9]*\) of \1 workers computed the right values" "$tmp/info.out"
st=$?; ok $st "the copy's starray-info runs, with the installed prefix gone"
[ $st -eq 0 ] || diag "$tmp/info.out" "$tmp/info.err"
creal=$(cd "$C" && pwd -P)
n=$(grep -c "^  library: " "$tmp/info.out")
[ "$n" -ge 2 ] && ! grep "^  library: " "$tmp/info.out" | grep -vq "^  library: $creal/"
st=$?; ok $st "it says it loaded libstarray and StarPU from the copy"
[ $st -eq 0 ] || grep "library:" "$tmp/info.out" | diag
loaded_clean "$tmp/ld/info"
ok $? "LD_DEBUG=libs: all it loaded is in the copy or the system's directories; nothing searched in the build tree, the StarPU build or the old prefix"

flags=$(PKG_CONFIG_PATH="$clib/pkgconfig" ${PKG_CONFIG:-pkg-config} --define-prefix --cflags --libs starray) &&
  case " $flags " in *" -L$clib "*) ;; *) false ;; esac &&
  $CC -std=c11 $SAN_CFLAGS -o "$tmp/consumer" "$src/tests/consumer.c" $flags 2>"$tmp/cc.err"
st=$?; ok $st "a program compiles against the copy with pkg-config --define-prefix --cflags --libs starray"
[ $st -eq 0 ] || { echo "flags: $flags" | diag; diag "$tmp/cc.err"; }
$run LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/ld/consumer" "$tmp/consumer" >"$tmp/consumer.out" 2>&1 &&
  grep -q "^consumer: libstarray .*, [1-9][0-9]* workers checked" "$tmp/consumer.out" &&
  loaded_clean "$tmp/ld/consumer"
st=$?; ok $st "it runs, loading only from the copy and the system's directories"
[ $st -eq 0 ] || diag "$tmp/consumer.out"

# The StarPU build hidden: an empty file system over it, in a mount namespace of our own
# (nothing else sees it). Needs the right to make one (root, or user namespaces).
hidden() { unshare -m --propagation private sh -c 'mount -t tmpfs sa-hidden "$0" && exec "$@"' "$SA_STARPU_PREFIX" "$@"; }
mkdir "$tmp/probe"
if [ "$copy" != yes ]; then
  why="StarPU is in a system directory, not copied"
elif ! unshare -m --propagation private sh -c 'mount -t tmpfs sa-probe "$0"' "$tmp/probe" 2>/dev/null; then
  why="no private mount namespace here (unshare -m) to hide the StarPU build"
else
  why=
fi
if [ -z "$why" ]; then
  hidden $run "$cbin/starray-info" >"$tmp/hidden.out" 2>"$tmp/hidden.err" &&
    grep -q "self-test: \([1-9][0-9]*\) of \1 workers" "$tmp/hidden.out"
  st=$?; ok $st "with the StarPU build ($SA_STARPU_PREFIX) hidden, the copy's starray-info runs"
  [ $st -eq 0 ] || diag "$tmp/hidden.out" "$tmp/hidden.err"
  # StarPU looks for its sample performance models where it was installed: a warning
  # when they are gone (harmless; doc/install.md).
  grep -v "perfmodels/sampling> as set by installation directory does not exist" "$tmp/hidden.err" | diag
  hidden $run "$tmp/consumer" >"$tmp/hidden.out" 2>&1 && grep -q "workers checked" "$tmp/hidden.out"
  st=$?; ok $st "and so does the pkg-config program"
  [ $st -eq 0 ] || diag "$tmp/hidden.out"
else
  skip "$why"
  skip "$why"
fi

# starray-trace from the copy (its copy of starpu_fxt_tool), on a trace of the copy's cfd12.
if ! grep -q "FxT yes" "$tmp/info.out"; then
  skip "StarPU without FxT"
elif ! command -v python3 >/dev/null; then
  skip "no python3 for starray-trace"
else
  [ -z "$why" ] && h=hidden || h=
  $h $run "$cbin/cfd12" --nx 32 --ny 32 --steps 1 --sa-trace="$tmp/trace" >"$tmp/trace.out" 2>&1 &&
    $h $run "$cbin/starray-trace" --no-picture "$tmp/trace" >>"$tmp/trace.out" 2>&1 &&
    grep -q "^utilisation: " "$tmp/trace.out"
  st=$?; ok $st "the copy's starray-trace reads the copy's cfd12 trace${h:+ (StarPU build hidden)}"
  [ $st -eq 0 ] || diag "$tmp/trace.out"
fi

mv "$tmp/B.gone" "$B" && mk uninstall $bdirs
left=$(find "$B" ! -type d)
[ -z "$left" ]; ok $? "make uninstall prefix=$B removes all that make install put there"
[ -z "$left" ] || echo "$left" | diag
finish
