# SPDX-License-Identifier: MIT
# The documentation lists what the library has, exactly: doc/expressions.md's table
# of functions against the library's own table (starray-info --functions), and
# doc/api.md's entries against the functions lib/starray.h declares.
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sa_common import TAP  # noqa: E402

SRC, BUILD = os.environ["STARRAY_TOP_SRCDIR"], os.environ["STARRAY_TOP_BUILDDIR"]


def section(path, title):
    """The text of the markdown section `title` (up to the next heading)."""
    text = open(os.path.join(SRC, path)).read()
    start = text.index(title)
    end = re.search(r"^#", text[start + len(title):], re.M)
    return text[start:start + len(title) + (end.start() if end else len(text))]


def header_functions():
    """The public functions: every sa_name( in lib/starray.h once the preprocessor has
    expanded its tables (SA_FUNCTIONS, SA_BINARY_OPS, ...), as C sees it."""
    cc = shlex.split(os.environ.get("CC") or "cc")
    out = subprocess.run(cc + ["-E", "-P", "-I" + os.path.join(SRC, "lib"), "-I" + BUILD,
                               os.path.join(SRC, "lib", "starray.h")],
                         check=True, capture_output=True, text=True)
    return set(re.findall(r"\b(sa_[a-z0-9_]*)\s*\(", out.stdout))


def api_entries():
    """The functions doc/api.md documents: each list item ("- ") or table row ("| ")
    that starts with a backticked lower-case sa_ name, followed by ( or the closing
    backtick, documents that function. Upper-case macros (SA_ARGS) do not count."""
    return re.findall(r"^(?:- |\| )`(sa_[a-z0-9_]+)[`(]",
                      open(os.path.join(SRC, "doc", "api.md")).read(), re.M)


def main():
    tap = TAP()
    info = os.path.join(BUILD, "apps", "info", "starray-info")
    out = subprocess.run([info, "--functions"], check=True, capture_output=True, text=True)
    table = {l.split()[0] for l in out.stdout.splitlines()}
    tap.ok(len(table) >= 30, "starray-info --functions lists the functions (%d)" % len(table))
    rows = [l for l in section("doc/expressions.md", "### Functions").splitlines()
            if l.startswith("| `")]
    documented = set()
    for row in rows:
        documented |= set(re.findall(r"`([a-z0-9_]+)[(`]", row.split("|")[1]))
    tap.ok(documented == table, "doc/expressions.md lists exactly the library's functions",
           "documented, not in the library: %s\nin the library, not documented: %s"
           % (sorted(documented - table), sorted(table - documented)))

    declared = header_functions()
    tap.ok(len(declared) >= 100, "lib/starray.h declares the functions (%d)" % len(declared))
    entries = api_entries()
    api = set(entries)
    tap.ok(api == declared, "doc/api.md documents exactly the header's functions",
           "documented, not declared: %s\ndeclared, not documented: %s"
           % (sorted(api - declared), sorted(declared - api)))
    twice = sorted({e for e in entries if entries.count(e) > 1})
    tap.ok(not twice, "doc/api.md documents each function once", "twice: %s" % twice)
    tap.done()


main()
