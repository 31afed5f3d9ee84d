#!/bin/bash
# FUSE benchmark: Gateway's loopback mount against bindfs (a FUSE loopback peer) and the local directory.
#
#   tests/bench/protocols/fuse/run-fuse.sh [--quick] [--rounds N] [--results FILE] [--meta FILE] [--out FILE.md]
#                                          [--no-build] [--keep]
#
# Workloads, each alternating gateway, bindfs, local (A B C A B C ...), 3 rounds (1 in --quick):
#   1. sequential write of 1 GiB (256 MiB in --quick): dd from a random file in /dev/shm, bs=1M,
#      conv=fdatasync (the time includes getting the data to disk); then caches dropped;
#   2. sequential read of it back (dd to /dev/null, bs=1M), cold page cache;
#   3. small files (smallfiles.c of ../smallfiles.c, one process per phase): create 10,000 files of 4 KiB
#      (1,000 in --quick), stat them, read them, unlink them; caches dropped before each phase.
# Each server has its own directory on the same file system (so one server's change tracking never sees
# another's workload): gateway = `gateway mount DIR MNT`, bindfs = `bindfs DIR MNT` (Debian defaults),
# local = a directory used directly.
# Output: --results FILE gets `metric<TAB>server<TAB>round<TAB>value` (seconds), --meta FILE `key<TAB>value`
# (the format of ../run.sh, for report.py), and a summary table (MB/s, ops/s, ratios against the
# targets: sequential >= 90 % of local, small files >= 2x bindfs) on stdout and in --out FILE.md.
# Needs root (mounts, drop_caches). Everything it starts is stopped and unmounted on exit, Ctrl-C included.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NAME=bench-fuse; . "$HERE/../lib.sh"
REPO=$(cd "$HERE/../../../.." && pwd)
QUICK=0; ROUNDS=""; RES=""; META=""; OUT=""; BUILD=1; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift;;
    --rounds) ROUNDS=$2; shift 2;;
    --results) RES=$2; shift 2;;
    --meta) META=$2; shift 2;;
    --out) OUT=$2; shift 2;;
    --no-build) BUILD=0; shift;;
    --keep) KEEP=1; shift;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0;;
    *) echo "run-fuse.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
if [ $QUICK = 1 ]; then : "${ROUNDS:=1}"; BIG_MIB=256; NFILES=1000; else : "${ROUNDS:=3}"; BIG_MIB=1024; NFILES=10000; fi
FSIZE=4096
D=bench-fuse$([ $QUICK = 1 ] && echo -quick)
RES=$(abs "${RES:-$REPO/artifacts/$D-results.tsv}"); META=$(abs "${META:-$REPO/artifacts/$D-meta.txt}"); OUT=$(abs "${OUT:-$REPO/artifacts/$D.md}")
GW_DIR="${GATEWAY_DIR:-$REPO/artifacts/bench-fuse/gateway}"   # GATEWAY_DIR: a published gateway (../run.sh passes its own)
SERVERS="gateway bindfs local"

[ "$(id -u)" = 0 ] || die "needs root (FUSE mounts as root, drop_caches)"
for t in bindfs fusermount3 dd gcc python3; do command -v $t >/dev/null || die "missing $t (apt-get install bindfs fuse3 coreutils gcc python3)"; done

# ------------------------------------------------------------------ cleanup: everything started here
T=""; GW_PID=""; BINDFS_PID=""; SRC=""
mounted() { grep -q " $1 " /proc/self/mountinfo; }
unmount() { mounted "$1" || return 0; fusermount3 -u "$1" 2>/dev/null || umount -l "$1" 2>/dev/null; }
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$T" ]; then unmount "$T/mnt-gateway"; unmount "$T/mnt-bindfs"; fi
  stop_pid "$GW_PID" gateway
  stop_pid "$BINDFS_PID" bindfs
  [ -n "$SRC" ] && rm -f "$SRC"
  if [ -n "$T" ]; then
    if mounted "$T/mnt-gateway" || mounted "$T/mnt-bindfs"; then say "a mount under $T is still there; not removing $T"
    elif [ $KEEP = 1 ]; then say "kept $T"
    else rm -rf --one-file-system "$T"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build
if [ $BUILD = 1 ]; then
  say "building Gateway (Release) into artifacts/bench-fuse/gateway"
  dotnet publish "$REPO/src/Gateway.Cli/Gateway.Cli.csproj" -c Release -o "$GW_DIR" -v quiet -nologo >/dev/null || die "dotnet publish failed"
fi
[ -x "$GW_DIR/gateway" ] || die "no $GW_DIR/gateway (run without --no-build)"

T=$(mktemp -d /var/tmp/gw-bench-fuse.XXXXXX) || die "mktemp failed"
chmod 755 "$T"
mkdir -p "$T/gateway-data" "$T/bindfs-data" "$T/local" "$T/mnt-gateway" "$T/mnt-bindfs" "$T/state" "$T/logs" "$T/bin"
gcc -O2 -o "$T/bin/smallfiles" "$REPO/tests/bench/protocols/smallfiles.c" || die "cannot build smallfiles.c"
mkdir -p "$(dirname "$RES")" "$(dirname "$META")" "$(dirname "$OUT")"
: > "$RES"; : > "$META"

# ------------------------------------------------------------------ mounts
"$GW_DIR/gateway" mount "$T/gateway-data" "$T/mnt-gateway" --state-dir "$T/state" > "$T/logs/gateway.log" 2>&1 &
GW_PID=$!
bindfs -f "$T/bindfs-data" "$T/mnt-bindfs" > "$T/logs/bindfs.log" 2>&1 &
BINDFS_PID=$!
for i in $(seq 300); do mounted "$T/mnt-gateway" && mounted "$T/mnt-bindfs" && break; sleep 0.1; done
mounted "$T/mnt-gateway" || { cat "$T/logs/gateway.log" >&2; die "the gateway did not mount"; }
mounted "$T/mnt-bindfs" || { cat "$T/logs/bindfs.log" >&2; die "bindfs did not mount"; }
declare -A DIR=([gateway]="$T/mnt-gateway" [bindfs]="$T/mnt-bindfs" [local]="$T/local")
declare -A PID=([gateway]=$GW_PID [bindfs]=$BINDFS_PID [local]="")
say "gateway pid $GW_PID on $T/mnt-gateway; bindfs pid $BINDFS_PID on $T/mnt-bindfs; local $T/local"
alive() { local s; for s in gateway bindfs; do kill -0 "${PID[$s]}" 2>/dev/null || die "$s (pid ${PID[$s]}) died; see $T/logs"; done; }
cpu() { [ -n "${PID[$1]}" ] && awk '{print ($14 + $15) / 100}' "/proc/${PID[$1]}/stat" || echo 0; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# The data: random, made once in /dev/shm so every writer reads the same bytes at memory speed.
SRC=$(mktemp /dev/shm/gw-bench-fuse-src.XXXXXX)
head -c $((BIG_MIB * 1024 * 1024)) /dev/urandom > "$SRC" || die "cannot make the random source file"
SRC_SHA=$(sha256sum "$SRC" | cut -d' ' -f1)

# Warm-up (not recorded): the gateway's first I/O pays for .NET's JIT; every server gets the same warm-up.
for s in $SERVERS; do
  dd if="$SRC" of="${DIR[$s]}/warmup" bs=1M count=64 conv=fdatasync status=none || die "$s: warm-up write failed"
  "$T/bin/smallfiles" create "${DIR[$s]}" 200 $FSIZE && "$T/bin/smallfiles" remove "${DIR[$s]}" 200 || die "$s: warm-up small files failed"
  rm -f "${DIR[$s]}/warmup"
done

# ------------------------------------------------------------------ rounds
for r in $(seq "$ROUNDS"); do
  for s in $SERVERS; do
    alive
    d="${DIR[$s]}"; f="$d/big-r$r"
    say "round $r/$ROUNDS $s: write ${BIG_MIB} MiB, read it back, $NFILES small files"
    drop
    c0=$(cpu $s); t0=$(now)
    dd if="$SRC" of="$f" bs=1M conv=fdatasync status=none || die "$s: sequential write failed"
    t1=$(now); c1=$(cpu $s)
    rec seq-write-s $s $r "$(elapsed $t0 $t1)"; rec seq-write-cpu $s $r "$(elapsed $c0 $c1)"
    drop
    c0=$(cpu $s); t0=$(now)
    dd if="$f" of=/dev/null bs=1M status=none || die "$s: sequential read failed"
    t1=$(now); c1=$(cpu $s)
    rec seq-read-s $s $r "$(elapsed $t0 $t1)"; rec seq-read-cpu $s $r "$(elapsed $c0 $c1)"
    if [ $r = 1 ]; then
      sha=$(sha256sum "$f" | cut -d' ' -f1)
      [ "$sha" = "$SRC_SHA" ] || die "$s: the file read back differs from what was written"
      meta "sha256-$s" ok
    fi
    rm -f "$f"
    sf="$d/sf-r$r"; mkdir "$sf" || die "$s: mkdir $sf failed"
    for phase in create stat read remove; do
      drop
      c0=$(cpu $s); t0=$(now)
      case $phase in
        create|read) "$T/bin/smallfiles" $phase "$sf" $NFILES $FSIZE;;
        *) "$T/bin/smallfiles" $phase "$sf" $NFILES;;
      esac || die "$s: smallfiles $phase failed"
      t1=$(now); c1=$(cpu $s)
      rec sf-$phase-s $s $r "$(elapsed $t0 $t1)"; rec sf-$phase-cpu $s $r "$(elapsed $c0 $c1)"
    done
    rmdir "$sf" || die "$s: $sf not empty after the remove phase"
  done
done

# ------------------------------------------------------------------ meta and report
alive
for s in gateway bindfs; do rec rss-mib $s 0 "$(awk '/^VmHWM:/{printf "%.1f", $2 / 1024}' /proc/${PID[$s]}/status)"; done
meta quick $QUICK; meta rounds $ROUNDS; meta big_mib $BIG_MIB; meta nfiles $NFILES; meta fsize $FSIZE
meta nproc "$(nproc)"
meta ram "$(awk '/^MemTotal:/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
meta kernel "$(uname -r)"
meta cpu "$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
meta disk "$(findmnt -n -o FSTYPE,SOURCE -T "$T" | tr -s ' ')"
meta gateway "$("$GW_DIR/gateway" --version 2>&1 | head -1) ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted src'))"
meta gateway_mount "$(awk -v m="$T/mnt-gateway" '$5 == m {print $9, $10, $11; exit}' /proc/self/mountinfo)"
meta bindfs "$(bindfs --version 2>&1 | head -1) (Debian $(dpkg-query -W -f '${Version}' bindfs 2>/dev/null)), default options"
meta fuse3 "$(dpkg-query -W -f '${Version}' fuse3 2>/dev/null)"
meta dotnet "$(dotnet --version 2>/dev/null)"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
cp "$T/logs/gateway.log" "$(dirname "$RES")/$D-gateway.log" 2>/dev/null

python3 "$HERE/summary.py" --results "$RES" --meta "$META" --out "$OUT" || die "summary failed"
say "wrote $RES, $META, $OUT"
