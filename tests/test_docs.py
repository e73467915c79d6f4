# SPDX-License-Identifier: MIT
# The documentation lists what the library has, exactly: doc/expressions.md's table
# of functions against the library's own table (starray-info --functions).
import os
import re
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
    tap.done()


main()
