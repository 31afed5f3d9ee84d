#!/usr/bin/env python3
"""The summary table of run-fuse.sh: medians of the rounds, MB/s and ops/s, and the ratios the targets
are stated in (sequential: gateway / local >= 0.90; small files: gateway / bindfs >= 2).

    summary.py --results results.tsv --meta meta.txt [--out FILE.md]

results.tsv: metric <TAB> server <TAB> round <TAB> value (seconds); meta.txt: key <TAB> value.
Standard library only.
"""
import argparse
import statistics
from collections import defaultdict

SERVERS = ("gateway", "bindfs", "local")


def load(path):
    data = defaultdict(lambda: defaultdict(list))
    with open(path) as fh:
        for line in fh:
            if line.strip():
                metric, server, _rnd, value = line.rstrip("\n").split("\t")
                data[metric][server].append(float(value))
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out")
    a = ap.parse_args()
    data = load(a.results)
    meta = dict(l.rstrip("\n").split("\t", 1) for l in open(a.meta) if "\t" in l)
    mib, n = int(meta["big_mib"]), int(meta["nfiles"])
    mb = mib * 1024 * 1024 / 1e6
    size = f"{mib // 1024} GiB" if mib >= 1024 else f"{mib} MiB"
    rows = [
        ("seq-write-s", f"sequential write {size} (dd bs=1M, fdatasync)", "MB/s", lambda s: mb / s, "local", 0.90),
        ("seq-read-s", f"sequential read {size} (cold cache)", "MB/s", lambda s: mb / s, "local", 0.90),
        ("sf-create-s", f"create {n:,} files of {int(meta['fsize']) // 1024} KiB", "ops/s", lambda s: n / s, "bindfs", 2.0),
        ("sf-stat-s", f"stat {n:,} files (cold cache)", "ops/s", lambda s: n / s, "bindfs", 2.0),
        ("sf-read-s", f"read {n:,} files (cold cache)", "ops/s", lambda s: n / s, "bindfs", 2.0),
        ("sf-remove-s", f"unlink {n:,} files", "ops/s", lambda s: n / s, "bindfs", 2.0),
    ]
    lines = [f"# FUSE loopback: Gateway vs bindfs vs the local directory ({meta.get('rounds')} round(s), median)", "",
             "| workload | unit | gateway | bindfs | local | gateway/local | gateway/bindfs | target | met |",
             "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for metric, label, unit, rate, against, target in rows:
        med = {s: statistics.median(data[metric][s]) for s in SERVERS if data[metric].get(s)}
        if "gateway" not in med:
            continue
        r = {s: rate(v) for s, v in med.items()}
        vs_local = r["gateway"] / r["local"] if "local" in r else None
        vs_bindfs = r["gateway"] / r["bindfs"] if "bindfs" in r else None
        ratio = vs_local if against == "local" else vs_bindfs
        goal = f">= {target:.0%} of local" if against == "local" else f">= {target:g}x bindfs"
        met = "–" if ratio is None else ("yes" if ratio >= target else "**no**")
        f = lambda v: "–" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.2f}")
        lines.append(f"| {label} | {unit} | {f(r.get('gateway'))} | {f(r.get('bindfs'))} | {f(r.get('local'))} | "
                     f"{'–' if vs_local is None else f'{vs_local:.2f}'} | {'–' if vs_bindfs is None else f'{vs_bindfs:.2f}'} | {goal} | {met} |")
    total = {s: sum(statistics.median(data[f"sf-{p}-s"][s]) for p in ("create", "stat", "read", "remove"))
             for s in SERVERS if all(data[f"sf-{p}-s"].get(s) for p in ("create", "stat", "read", "remove"))}
    if "gateway" in total:
        lines.append(f"| small files, all four phases | s | {total['gateway']:.2f} | {total.get('bindfs', 0):.2f} | {total.get('local', 0):.2f} | "
                     f"{total.get('local', 0) / total['gateway']:.2f} | {total.get('bindfs', 0) / total['gateway']:.2f} | >= 2x bindfs | "
                     f"{'yes' if total.get('bindfs', 0) / total['gateway'] >= 2 else '**no**'} |")
    cpu = [(m, lbl) for m, lbl in (("seq-write-cpu", "server CPU, sequential write"), ("seq-read-cpu", "server CPU, sequential read"),
                                   ("sf-create-cpu", "server CPU, create phase"), ("sf-stat-cpu", "server CPU, stat phase"))]
    lines += ["", "| server process | gateway | bindfs |", "|---|---:|---:|"]
    for m, lbl in cpu:
        if data[m].get("gateway"):
            lines.append(f"| {lbl} (s) | {statistics.median(data[m]['gateway']):.2f} | {statistics.median(data[m].get('bindfs', [0])):.2f} |")
    if data["rss-mib"].get("gateway"):
        lines.append(f"| peak RSS (MiB) | {data['rss-mib']['gateway'][0]:.0f} | {data['rss-mib'].get('bindfs', [0])[0]:.0f} |")
    lines += ["", "Ratios are rates (gateway / other), so above 1 means Gateway did better. Sequential targets are against "
              "the local directory, small-file targets against bindfs.", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
