#!/usr/bin/env python3
"""Writes a deterministic source-like tree for the `cp -a` workload.

    maketree.py DEST FILES DIRS

DIRS directories (a two-level layout: about sqrt(DIRS) top directories, the rest below them) holding
FILES regular files between them, with sizes drawn from a fixed seed (mostly a few KiB, a few larger,
like a source tree), text-like content, a few executables and one relative symlink per top directory.
Every mtime is fixed, so the same arguments always give byte-identical trees. Prints the number of
entries (directories + files + symlinks, not counting DEST itself) and the total file bytes.
"""
import math
import os
import random
import sys

WORDS = ("static void int return if else for while struct const char unsigned long size_t buffer "
         "node export handle lookup read write commit create remove rename attr cookie verifier "
         "status error result request reply client server mount").split()
MTIME = 1_700_000_000


def main() -> None:
    dest, nfiles, ndirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(20261124)
    ntop = max(1, int(math.sqrt(ndirs)))
    dirs = []
    for t in range(ntop):
        dirs.append(f"mod{t:02d}")
    i = 0
    while len(dirs) < ndirs:
        dirs.append(f"mod{i % ntop:02d}/sub{i // ntop:02d}")
        i += 1
    os.makedirs(dest, exist_ok=False)
    for d in dirs:
        os.makedirs(os.path.join(dest, d))
    total = 0
    for f in range(nfiles):
        d = dirs[f % len(dirs)]
        # log-normal sizes: median about 2.5 KiB, capped at 96 KiB; 1 in 40 empty
        size = 0 if rng.random() < 0.025 else min(96 * 1024, int(rng.lognormvariate(7.8, 1.1)))
        words = []
        n = 0
        while n < size:
            w = rng.choice(WORDS)
            words.append(w)
            n += len(w) + 1
        data = (" ".join(words) + "\n").encode()[:size] if size else b""
        ext = rng.choice((".c", ".h", ".cs", ".md", ".txt", ".sh"))
        path = os.path.join(dest, d, f"file{f:05d}{ext}")
        with open(path, "wb") as fh:
            fh.write(data)
        os.chmod(path, 0o755 if ext == ".sh" else 0o644)
        os.utime(path, (MTIME, MTIME))
        total += len(data)
    for t in range(ntop):
        link = os.path.join(dest, f"mod{t:02d}", "README.link")
        os.symlink(f"../mod{(t + 1) % ntop:02d}", link)
        os.utime(link, (MTIME, MTIME), follow_symlinks=False)
    for d in sorted(dirs, key=lambda s: -s.count("/")) + [""]:
        os.utime(os.path.join(dest, d) if d else dest, (MTIME, MTIME))
    print(len(dirs) + nfiles + ntop, total)


if __name__ == "__main__":
    main()
