# SPDX-License-Identifier: MIT
# Merges StarPU history-based performance models: python3 merge_perfmodels.py
# [--fill] DEST SRC [SRC ..], each a STARPU_HOME whose .starpu/sampling/codelets/*/
# holds models. Ranks of one MPI run must each write their own models (sharing a
# directory, they overwrite each other's files); this joins them. For every model
# file of a SRC: copied if DEST lacks it; otherwise each history table (one per
# implementation, in the order of the file) becomes the union of the two, entries of
# one footprint pooled (their counts, sums and sums of squares added, mean and
# deviation computed again) or, with --fill, kept as DEST has them (SRC only fills
# in footprints DEST lacks: measurements taken under worse conditions do not dilute
# better ones). Files whose tables do not correspond one to one are left as DEST
# has them.
import math
import os
import shutil
import sys


def tables(lines):
    """[(count_line, first_row, end)] of each history table: the index of the line
    holding its number of entries and the range of its rows."""
    out = []
    for i, line in enumerate(lines):
        if not line.startswith("# hash"):
            continue
        count = i
        while count > 0 and not lines[count - 1].startswith("# number of entries"):
            count -= 1
        end = i + 1
        while end < len(lines) and lines[end].strip() and not lines[end].startswith("#"):
            end += 1
        out.append((count, i + 1, end))
    return out


def rows(lines, first, end):
    table = {}
    for line in lines[first:end]:
        f = line.split()
        if len(f) >= 8:
            table[f[0]] = f
    return table


def pooled(a, b):
    n = int(a[7]) + int(b[7])
    s = float(a[5]) + float(b[5])
    s2 = float(a[6]) + float(b[6])
    mean = s / n if n else 0.0
    dev = math.sqrt(max(0.0, s2 / n - mean * mean)) if n else 0.0
    return [a[0], a[1], a[2], "%e" % mean, "%e" % dev, "%e" % s, "%e" % s2, str(n)]


def merge_file(dest, src, fill):
    with open(dest) as f:
        d = f.read().split("\n")
    with open(src) as f:
        s = f.read().split("\n")
    td, ts = tables(d), tables(s)
    if len(td) != len(ts):
        return False
    for (count, first, end), (_, sfirst, send) in reversed(list(zip(td, ts))):
        merged = rows(d, first, end)
        for h, r in rows(s, sfirst, send).items():
            if h not in merged:
                merged[h] = r
            elif not fill:
                merged[h] = pooled(merged[h], r)
        body = ["\t".join(r) for r in merged.values()]
        d[first:end] = body
        d[count] = str(len(body))
    with open(dest, "w") as f:
        f.write("\n".join(d))
    return True


def main(argv):
    fill = len(argv) > 1 and argv[1] == "--fill"
    if fill:
        argv = argv[1:]
    dest, srcs = argv[1], argv[2:]
    for src in srcs:
        base = os.path.join(src, ".starpu", "sampling", "codelets")
        for ver in sorted(os.listdir(base)) if os.path.isdir(base) else []:
            for name in sorted(os.listdir(os.path.join(base, ver))):
                s = os.path.join(base, ver, name)
                d_dir = os.path.join(dest, ".starpu", "sampling", "codelets", ver)
                d = os.path.join(d_dir, name)
                os.makedirs(d_dir, exist_ok=True)
                if not os.path.exists(d):
                    shutil.copy(s, d)
                elif not merge_file(d, s, fill):
                    print("merge_perfmodels: %s: tables differ from %s; kept" % (d, s),
                          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
