#!/usr/bin/env python3
"""Turns the raw samples of run.sh into the markdown table, the JSON and the PNG chart of ratios.

    report.py --results results.tsv --meta meta.txt --out FILE.md --json FILE.json --png FILE.png

results.tsv: metric <TAB> server <TAB> round <TAB> value (seconds, MiB); meta.txt: key <TAB> value.
Standard library only; the chart is drawn by gnuplot (pngcairo).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

SERVERS = ("gateway", "ganesha")


def load(path):
    data = defaultdict(lambda: defaultdict(list))
    with open(path) as fh:
        for line in fh:
            if not line.strip():
                continue
            metric, server, rnd, value = line.rstrip("\n").split("\t")
            data[metric][server].append((int(rnd), float(value)))
    return data


def rows(meta):
    mib, nfiles, tfiles = int(meta["big_mib"]), int(meta["nfiles"]), int(meta["tree_files"])
    mb = mib * 1024 * 1024 / 1e6
    size = f"{mib // 1024} GiB" if mib >= 1024 else f"{mib} MiB"
    kfs = f"{int(meta['fsize']) // 1024} KiB"
    tree = f"{tfiles:,} files / {int(meta['tree_dirs'])} dirs"
    G = "ganesha"
    # id, group, label, unit, higher is better, metric, transform of one sample, peer
    r = [
        ("first-write", "1. nfs-cp (libnfs)", f"nfs-cp {size} in, first copy after the server starts", "MB/s", True, "nfscp-first-write-s", lambda s: mb / s, G),
        ("first-read", "1. nfs-cp (libnfs)", f"nfs-cp {size} out, first copy after the server starts", "MB/s", True, "nfscp-first-read-s", lambda s: mb / s, G),
        ("nfscp-write", "1. nfs-cp (libnfs)", f"nfs-cp {size} into the export (warm)", "MB/s", True, "nfscp-write-s", lambda s: mb / s, G),
        ("nfscp-read", "1. nfs-cp (libnfs)", f"nfs-cp {size} back out (warm)", "MB/s", True, "nfscp-read-s", lambda s: mb / s, G),
        ("sf-create", "2. kernel NFSv3, small files", f"create {nfiles:,} files of {kfs}", "ops/s", True, "sf-create-s", lambda s: nfiles / s, G),
        ("sf-stat", "2. kernel NFSv3, small files", f"stat {nfiles:,} files (cold cache)", "ops/s", True, "sf-stat-s", lambda s: nfiles / s, G),
        ("sf-read", "2. kernel NFSv3, small files", f"read {nfiles:,} files (cold cache)", "ops/s", True, "sf-read-s", lambda s: nfiles / s, G),
        ("sf-remove", "2. kernel NFSv3, small files", f"remove {nfiles:,} files", "ops/s", True, "sf-remove-s", lambda s: nfiles / s, G),
        ("sf-total", "2. kernel NFSv3, small files", "all four phases", "s", False, "sf-total-s", lambda s: s, G),
        ("tree-cp", "3. kernel NFSv3, tree", f"cp -a of a tree ({tree})", "s", False, "tree-cp-s", lambda s: s, G),
        ("tree-rm", "3. kernel NFSv3, tree", "rm -rf of it", "s", False, "tree-rm-s", lambda s: s, G),
    ]
    for n in meta.get("scale_clients", "1 4 16").split():
        for ph in ("create", "stat", "read", "remove"):
            r.append((f"scale{n}-{ph}", "4. kernel NFSv3, concurrent clients",
                      f"{ph} {nfiles:,} files, {n} process{'es' if n != '1' else ''} at once", "ops/s", True,
                      f"scale{n}-{ph}-s", lambda s: nfiles / s, G))
    if "smb:smb-big-mib" in meta:
        smib, sn = int(meta["smb:smb-big-mib"]), int(meta["smb:smb-nfiles"])
        smb_mb = smib * 1024 * 1024 / 1e6
        ssize = f"{smib // 1024} GiB" if smib >= 1024 else f"{smib} MiB"
        S = "samba"
        r.append(("smb-first-put", "5. SMB, smbclient 3.1.1", f"put {ssize}, first copy after the server starts (signed)", "MB/s", True, "smb:smb-first-put-signed-s", lambda s: smb_mb / s, S))
        r.append(("smb-first-get", "5. SMB, smbclient 3.1.1", f"get {ssize}, first copy after the server starts (signed)", "MB/s", True, "smb:smb-first-get-signed-s", lambda s: smb_mb / s, S))
        for prot in ("plain", "signed", "encrypted"):
            for op, word in (("put", "put"), ("get", "get")):
                r.append((f"smb-{op}-{prot}", "5. SMB, smbclient 3.1.1", f"{word} {ssize}, {prot}" + (" (AES-128-GCM)" if prot == "encrypted" else ""),
                          "MB/s", True, f"smb:smb-{op}-{prot}-s", lambda s: smb_mb / s, S))
        for ph in ("create", "stat", "read", "remove"):
            r.append((f"cifs-{ph}", "5. SMB, kernel cifs 3.1.1, small files", f"{ph} {sn:,} files of {kfs}", "ops/s", True,
                      f"smb:cifs-sf-{ph}-s", lambda s, n=sn: n / s, S))
    if "fuse:big_mib" in meta:
        fmib, fn = int(meta["fuse:big_mib"]), int(meta["fuse:nfiles"])
        f_mb = fmib * 1024 * 1024 / 1e6
        fsz = f"{fmib // 1024} GiB" if fmib >= 1024 else f"{fmib} MiB"
        for peer in ("local", "bindfs"):
            grp = f"6. FUSE loopback vs {'the local directory' if peer == 'local' else 'bindfs'}"
            r.append((f"fuse-seq-write-{peer}", grp, f"sequential write {fsz} (dd bs=1M, fdatasync)", "MB/s", True, "fuse:seq-write-s", lambda s: f_mb / s, peer))
            r.append((f"fuse-seq-read-{peer}", grp, f"sequential read {fsz}, cold cache", "MB/s", True, "fuse:seq-read-s", lambda s: f_mb / s, peer))
            for ph in ("create", "stat", "read", "remove"):
                r.append((f"fuse-{ph}-{peer}", grp, f"{ph} {fn:,} files of {kfs}", "ops/s", True, f"fuse:sf-{ph}-s", lambda s, n=fn: n / s, peer))
    r += [
        ("rss-start", "8. server process", "NFS: RSS when started, idle (VmRSS)", "MiB", False, "rss-start-mib", lambda v: v, G),
        ("rss", "8. server process", "NFS: peak RSS (VmHWM) over the run", "MiB", False, "rss-mib", lambda v: v, G),
        ("cpu-write", "8. server process", "NFS: server CPU during nfs-cp in", "s", False, "nfscp-write-cpu", lambda v: v, G),
        ("cpu-read", "8. server process", "NFS: server CPU during nfs-cp out", "s", False, "nfscp-read-cpu", lambda v: v, G),
        ("cpu-guest", "8. server process", "NFS: server CPU during one guest run (boot, 2, 3, diff -r)", "s", False, "guest-cpu", lambda v: v, G),
    ]
    if "smb:smb-big-mib" in meta:
        r.append(("smb-rss-start", "8. server process", "SMB: RSS when started, idle", "MiB", False, "smb:rss-start-mib", lambda v: v, "samba"))
        r.append(("smb-rss", "8. server process", "SMB: peak RSS over the run (Samba: parent + children)", "MiB", False, "smb:smb-rss-peak-mib", lambda v: v, "samba"))
    if "fuse:big_mib" in meta:
        r.append(("fuse-rss", "8. server process", "FUSE: peak RSS (VmHWM) over the run", "MiB", False, "fuse:rss-mib", lambda v: v, "bindfs"))
    return r


NOT_BUILT = []


def fmt(v):
    if v is None:
        return "–"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def main():
    ap = argparse.ArgumentParser()
    for a in ("results", "meta", "out", "json", "png"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    meta = {}
    with open(args.meta) as fh:
        for line in fh:
            if "\t" in line:
                k, v = line.rstrip("\n").split("\t", 1)
                meta[k] = v
    data = load(args.results)
    # total of the four small-file phases, per round
    for s in ("gateway", "ganesha"):
        per_round = defaultdict(float)
        for m in ("sf-create-s", "sf-stat-s", "sf-read-s", "sf-remove-s"):
            for rnd, v in data[m][s]:
                per_round[rnd] += v
        data["sf-total-s"][s] = sorted(per_round.items())

    out_rows = []
    for rid, group, label, unit, higher, metric, tr, peer in rows(meta):
        r = {"id": rid, "group": group, "label": label, "unit": unit, "higher_is_better": higher, "peer": peer, "servers": {}}
        med = {}
        for s in ("gateway", peer):
            samples = [tr(v) for _, v in sorted(data[metric][s])]
            raw = [v for _, v in sorted(data[metric][s])]
            if samples:
                med[s] = statistics.median(samples)
                r["servers"][s] = {"median": med[s], "min": min(samples), "max": max(samples),
                                   "samples": samples, "raw": raw, "raw_metric": metric}
        if len(med) == 2 and med["gateway"] > 0 and med[peer] > 0:
            r["ratio"] = med["gateway"] / med[peer] if higher else med[peer] / med["gateway"]
        else:
            r["ratio"] = None
        out_rows.append(r)

    quick = meta.get("quick") == "1"
    rounds = int(meta["rounds"])
    L = []
    L.append("# Benchmarks: Gateway vs nfs-ganesha, Samba, bindfs and the local disk" + (" (quick run)" if quick else ""))
    L.append("")
    L.append("Generated by `tests/bench/protocols/run.sh" + (" --quick" if quick else "") +
             "` on " + meta["date"] + "; do not edit by hand. How it measures: "
             "[tests/bench/protocols/README.md](../tests/bench/protocols/README.md).")
    L.append("")
    L.append(f"- **Machine:** {meta['nproc']} cores ({meta['cpu']}), {meta['ram']} RAM, Linux {meta['kernel']}; "
             f"both exports on {meta['disk']}, side by side in one directory.")
    L.append(f"- **Gateway** {meta['gateway']}, `{meta['gateway_opts']}`, .NET {meta['dotnet']}.")
    L.append(f"- **nfs-ganesha** {meta['ganesha']}: {meta['ganesha_opts']}.")
    if "smb:smb-big-mib" in meta:
        L.append(f"- **Samba** {meta.get('smb:smb-samba-version', '?')} (its own smb.conf in a temp directory, free loopback port); "
                 f"client {meta.get('smb:smb-smbclient', '?')}; what each protection really gave: "
                 + "; ".join(f"{k.split('smb-', 1)[1]}: {v}" for k, v in meta.items() if k.startswith("smb:smb-") and k.split("smb:smb-", 1)[1].split("-")[0] in ("plain", "signed", "encrypted")) + ".")
    if "fuse:big_mib" in meta:
        L.append(f"- **FUSE:** `gateway mount` ({meta.get('fuse:gateway_mount', '?')}) vs {meta.get('fuse:bindfs', 'bindfs')} over "
                 "a directory on the same file system, and that file system used directly (`local`).")
    L.append(f"- **Clients:** libnfs-utils {meta['libnfs']} (`nfs-cp`); Linux {meta['guest_kernel']} NFSv3 client "
             f"(`vers=3,proto=tcp,nolock`, rsize/wsize negotiated) in a qemu {meta['qemu'].split()[0]} guest under TCG "
             "(software emulation, 1 vCPU), reaching the servers over slirp.")
    L.append(f"- **Method:** every workload alternates Gateway and its peer (A B A B ...; FUSE: Gateway, bindfs, local), {rounds} round"
             f"{'s' if rounds != 1 else ''}; both servers and all clients run in one private network namespace "
             "on loopback (SMB and FUSE: free loopback ports and mounts of the host). Each server's first nfs-cp (smbclient put/get) after it starts is a warm-up kept out of the rounds and shown "
             "on its own rows (for Gateway it includes .NET's JIT warm-up). Figures are medians, min..max over "
             "the rounds beside them. "
             "**Gateway/peer** > 1 means Gateway is faster (or smaller, for time, memory and CPU rows). Targets from the "
             "issues: at least equal to ganesha and Samba on every row; FUSE sequential at least 0.9 of local, FUSE small "
             "files at least 2x bindfs.")
    checks = [f"sha256 of the file read back: Gateway {meta.get('sha256-gateway', '–')}, ganesha {meta.get('sha256-ganesha', '–')}",
              f"`diff -r` of the copied tree: Gateway {meta.get('tree-diff-gateway', '–')}, ganesha {meta.get('tree-diff-ganesha', '–')}"]
    L.append("- **Checks:** " + "; ".join(checks) + ".")
    if meta.get("only", "nfs-cp,kernel,scale,smb,fuse") != "nfs-cp,kernel,scale,smb,fuse":
        L.append(f"- **Partial run:** only `{meta['only']}`; the other rows show –.")
    L.append("- **Machine note:** this is a VM with free page reporting (memory the guest frees goes back to the host; "
             "touching it again costs about 3 ms per MiB). Before each timed nfs-cp the harness writes and deletes a "
             "file 1.5x the copy's size, so both servers' copies land on warm memory; see the README.")
    L.append("")
    L.append("| workload | unit | Gateway | min..max | peer | peer's | min..max | Gateway/peer |")
    L.append("|---|---|---:|---|---|---:|---|---:|")
    for r in out_rows:
        cells = []
        for s in ("gateway", r["peer"]):
            d = r["servers"].get(s)
            if d is None:
                cells += ["–", "–"]
            elif len(d["samples"]) == 1:
                cells += [fmt(d["median"]), "(1 sample)"]
            else:
                cells += [fmt(d["median"]), f"{fmt(d['min'])}..{fmt(d['max'])}"]
        ratio = "–" if r["ratio"] is None else f"**{r['ratio']:.2f}**" if r["ratio"] < 0.8 else f"{r['ratio']:.2f}"
        L.append(f"| {r['group']}: {r['label']} | {r['unit']} | {cells[0]} | {cells[1]} | {r['peer']} | {cells[2]} | {cells[3]} | {ratio} |")
    for group, label in NOT_BUILT:
        L.append(f"| {group}: {label} | | not built yet | | | | | |")
    L.append("")
    L.append("Ratios below 0.80 are in bold. " + (
        "A quick run has one round: treat differences under about 30 % as noise. " if quick else "") +
        "The guest runs under software emulation on the same 2 cores as the servers, so the kernel-client rows "
        "are bounded by the emulated client as much as by the server; compare the two servers, not the absolute "
        "numbers, with other machines.")
    L.append("")
    L.append(f"![Gateway/ganesha ratios]({os.path.relpath(os.path.abspath(args.png), os.path.dirname(os.path.abspath(args.out)))})")
    L.append("")
    md = "\n".join(L) + "\n"
    with open(args.out, "w") as fh:
        fh.write(md)
    with open(args.json, "w") as fh:
        json.dump({"meta": meta, "rows": out_rows,
                   "not_built": [{"group": g, "label": l} for g, l in NOT_BUILT]}, fh, indent=2)
    plot(out_rows, args.png, quick, meta)


def plot(out_rows, png, quick, meta):
    pts = [r for r in out_rows if r["ratio"] is not None]
    with tempfile.TemporaryDirectory() as td:
        dat = os.path.join(td, "ratios.dat")
        with open(dat, "w") as fh:
            for i, r in enumerate(reversed(pts)):
                color = "0x2e7d32" if r["ratio"] >= 1 else "0xc62828"
                g = r["group"]
                proto = "SMB: " if "SMB" in g else "FUSE: " if "FUSE" in g else "NFS: " if ("NFS" in g or "nfs" in g) else ""
                label = f'{proto}{r["label"]} [vs {r["peer"]}]'.replace('"', "'")
                fh.write(f'{i} {r["ratio"]:.4f} {color} "{label}"\n')
        lo = min(0.5, min(r["ratio"] for r in pts) / 1.3)
        hi = max(2.0, max(r["ratio"] for r in pts) * 1.3)
        gp = f"""
set terminal pngcairo size 1100,{160 + 38 * len(pts)} font "DejaVu Sans,11"
set output "{png}"
set title "Gateway / peer, median of {meta['rounds']} round(s){' - quick run' if quick else ''}\\n> 1: Gateway faster or smaller" font ",13"
set logscale x 2
set xrange [{lo}:{hi}]
set yrange [-0.7:{len(pts) - 0.3}]
set xtics (0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16) nomirror
set ytics nomirror
set grid xtics
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "black"
set border 3
unset key
set lmargin 60
set xlabel "ratio (log scale)"
plot "{dat}" using 2:1:(($2 >= 1) ? 1 : $2):(($2 >= 1) ? $2 : 1):($1 - 0.35):($1 + 0.35):3:ytic(4) \\
       with boxxyerror fs solid 0.85 lc rgb variable, \\
     "{dat}" using 2:($2 >= 1 ? $1 : NaN):(sprintf(" %.2f", $2)) with labels left font ",10", \\
     "{dat}" using 2:($2 < 1 ? $1 : NaN):(sprintf("%.2f ", $2)) with labels right font ",10"
"""
        script = os.path.join(td, "plot.gp")
        with open(script, "w") as fh:
            fh.write(gp)
        res = subprocess.run(["gnuplot", script], capture_output=True, text=True)
        if res.returncode != 0 or not os.path.exists(png):
            sys.stderr.write(res.stderr)
            raise SystemExit("gnuplot failed")


if __name__ == "__main__":
    main()
