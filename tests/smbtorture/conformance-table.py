#!/usr/bin/python3
"""Markdown table for docs/smb-conformance.md from two tests/smbtorture/run.sh --results files.

  conformance-table.py SAMBA.tsv GATEWAY.tsv [expected-failures.txt] [excluded.txt] > table.md

One row per subtest: group, subtest, Samba's result, Gateway's result, and the reason from the
expected-failures list (or the excluded list). Results: pass, fail, error, skip, timeout, missing, excluded."""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path) as f:
        return {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}


def listed(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, reason = line.strip().partition(" ")
                out[name] = reason.strip()
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    samba, gateway = load(sys.argv[1]), load(sys.argv[2])
    expected = listed(sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "expected-failures.txt"))
    excluded = listed(sys.argv[4] if len(sys.argv) > 4 else os.path.join(here, "excluded.txt"))
    names = list(dict.fromkeys(list(samba) + list(gateway)))
    cell = lambda r: "-" if r is None else (r["result"] if r["result"] != "pass" else "pass")
    print("| group | subtest | Samba 4.17 | Gateway | reason (expected failure / excluded) |")
    print("|---|---|---|---|---|")
    for n in names:
        parts = n.split(".")
        group = ".".join(parts[:2])
        sub = ".".join(parts[2:]) or "(the test itself)"
        reason = (excluded.get(n) or expected.get(n, "")).replace("|", "\\|")
        print(f"| {group} | {sub} | {cell(samba.get(n))} | {cell(gateway.get(n))} | {reason} |")
    for label, d in (("Samba", samba), ("Gateway", gateway)):
        counts = {}
        for r in d.values():
            counts[r["result"]] = counts.get(r["result"], 0) + 1
        print(f"\n{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
