#!/bin/bash
# Benchmarks: Gateway against nfs-ganesha (NFSv3), Samba (SMB 3.1.1), bindfs and the local disk (FUSE),
# same clients, same disk, same run (`make bench`; `make bench QUICK=1` for the quick mode).
#
#   tests/bench/protocols/run.sh [--quick] [--out FILE.md] [--json FILE] [--png FILE] [--rounds N]
#                                [--no-build] [--keep] [--only nfs-cp,kernel,scale,smb,fuse]
#
# Workloads (each alternates Gateway and its peer, A B A B ..., 3 rounds; 1 in --quick):
#   1. nfs-cp (libnfs) of a 1 GiB file (256 MiB in --quick) into the export and back out (MB/s each way);
#      each server's first copy after it starts is a warm-up, reported on its own rows, and its read-back
#      is checked with sha256.
#   2. the Linux kernel NFSv3 client (qemu guest, tests/kernel/kernel-client-vm.sh): create, stat, read,
#      remove 10,000 files of 4 KiB (1,000 in --quick), ops/s per phase and total time;
#   3. the same guest: cp -a of a generated tree of 3,000 files in 150 directories (1,000 in 50 in
#      --quick) into the mount, diff -r (untimed), then rm -rf of it (s each);
#   4. scale: the small-file workload with 1, 4 and 16 concurrent processes in the guest (same total files);
#   5. RSS of each server process (idle after start, and peak VmHWM over the run), server CPU per workload;
#   6. SMB against Samba's smbd: smb/run-smb.sh (smbclient put/get plain, signed, encrypted; kernel cifs
#      small files in the guest), merged into the same table;
#   7. FUSE: fuse/run-fuse.sh (`gateway mount` vs bindfs vs the directory itself: dd 1 GiB, small files).
# For NFS, both servers, rpcbind (which ganesha needs) and every client run inside a private network + mount
# namespace made here, so nothing binds a port (111 included) in the host namespace; everything started
# here is stopped on exit (Ctrl-C included). Needs root. Defaults: --out docs/benchmarks.md
# --json artifacts/benchmarks.json --png docs/benchmarks.png (--quick: artifacts/
# bench-protocols-quick.*, so a quick run never overwrites the published table). README.md beside this.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NAME=bench-protocols; . "$HERE/lib.sh"
REPO=$(cd "$HERE/../../.." && pwd)
QUICK=0; OUT=""; JSON=""; PNG=""; ROUNDS=""; BUILD=1; KEEP=0; ONLY="nfs-cp,kernel,scale,smb,fuse"; SCALE_CLIENTS="1 4 16"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift;;
    --out) OUT=$2; shift 2;;
    --json) JSON=$2; shift 2;;
    --png) PNG=$2; shift 2;;
    --rounds) ROUNDS=$2; shift 2;;
    --no-build) BUILD=0; shift;;
    --keep) KEEP=1; shift;;
    --only) ONLY=$2; shift 2;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
if [ $QUICK = 1 ]; then
  : "${ROUNDS:=1}"; BIG_MIB=256; NFILES=1000; TREE_FILES=1000; TREE_DIRS=50; D=bench-protocols-quick
  OUT=$(abs "${OUT:-$REPO/artifacts/$D.md}"); JSON=$(abs "${JSON:-$REPO/artifacts/$D.json}"); PNG=$(abs "${PNG:-$REPO/artifacts/$D.png}")
else
  : "${ROUNDS:=3}"; BIG_MIB=1024; NFILES=10000; TREE_FILES=3000; TREE_DIRS=150
  OUT=$(abs "${OUT:-$REPO/docs/benchmarks.md}"); JSON=$(abs "${JSON:-$REPO/artifacts/benchmarks.json}")
  PNG=$(abs "${PNG:-$REPO/docs/benchmarks.png}")
fi
FSIZE=4096
GW_PORT=20500            # Gateway: NFSv3 and MOUNT on one port
GS_PORT=20490; GS_MNT=20491   # ganesha
KCV="$REPO/tests/kernel/kernel-client-vm.sh"
GW_BIN="$REPO/artifacts/bench-protocols/gateway/gateway"

[ "$(id -u)" = 0 ] || die "needs root (network namespace, nfs-ganesha, qemu guest)"

# ------------------------------------------------------------------ cleanup: everything started here
T=""; NS_HOLDER=""; UNSHARE_PID=""; RPCBIND_PID=""; GANESHA_PID=""; GW_PID=""; GUEST_PID=""; SHM=""
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$GUEST_PID" guest
  stop_pid "$GW_PID" gateway
  stop_pid "$GANESHA_PID" ganesha
  stop_pid "$RPCBIND_PID" rpcbind
  # Anything else still in our namespace (nothing should be): stop it by pid before the namespace goes.
  if [ -n "$NS_HOLDER" ] && [ -e "/proc/$NS_HOLDER/ns/net" ]; then
    local ns p; ns=$(readlink "/proc/$NS_HOLDER/ns/net")
    for p in $(ls /proc | grep -E '^[0-9]+$'); do
      [ "$p" = "$NS_HOLDER" ] || [ "$p" = "$UNSHARE_PID" ] && continue
      [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$ns" ] && { say "stopping leftover pid $p ($(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null))"; stop_pid "$p" leftover; }
    done
  fi
  stop_pid "$NS_HOLDER" "namespace holder"
  wait 2>/dev/null
  [ -n "$SHM" ] && rm -rf "$SHM"
  if [ -n "$T" ]; then
    if [ $KEEP = 1 ]; then say "kept $T"; else rm -rf "$T"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ tools
need_pkgs=""
command -v ganesha.nfsd >/dev/null || need_pkgs+=" nfs-ganesha"
dpkg -s nfs-ganesha-vfs >/dev/null 2>&1 || need_pkgs+=" nfs-ganesha-vfs"
command -v rpcbind >/dev/null || need_pkgs+=" rpcbind"
command -v gnuplot >/dev/null || need_pkgs+=" gnuplot-nox"
command -v nfs-cp >/dev/null || need_pkgs+=" libnfs-utils"
command -v qemu-system-x86_64 >/dev/null || need_pkgs+=" qemu-system-x86"
command -v gcc >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libc.a ] || need_pkgs+=" gcc libc6-dev"
if [ -n "$need_pkgs" ]; then
  say "installing:$need_pkgs"
  before=$(pgrep -x rpcbind | sort)
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need_pkgs; } \
    >/dev/null 2>&1 || die "apt-get install$need_pkgs failed"
  # The rpcbind package may start a daemon in the host namespace: stop the new one(s), by pid.
  for p in $(pgrep -x rpcbind | sort); do
    echo "$before" | grep -qx "$p" && continue
    [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ] && { say "stopping the rpcbind the package started (pid $p)"; kill "$p"; }
  done
fi

# ------------------------------------------------------------------ build
if [ $BUILD = 1 ]; then
  say "building Gateway (Release) into artifacts/bench-protocols/gateway"
  build() { dotnet publish "$REPO/src/Gateway.Cli/Gateway.Cli.csproj" -c Release -o "$REPO/artifacts/bench-protocols/gateway" -v quiet -nologo; }
  build >/tmp/bench-protocols-build.$$ 2>&1 || { sleep 5; build >/tmp/bench-protocols-build.$$ 2>&1; } \
    || { cat /tmp/bench-protocols-build.$$ >&2; rm -f /tmp/bench-protocols-build.$$; die "build failed"; }
  rm -f /tmp/bench-protocols-build.$$
fi
[ -x "$GW_BIN" ] || die "no $GW_BIN (run without --no-build)"
"$KCV" --build >/dev/null || die "kernel-client guest build failed"   # needs the network: before the namespace

# ------------------------------------------------------------------ work area: one ext4 (or whatever) directory
BASE=/var/tmp; [ -d "$BASE" ] && [ -w "$BASE" ] || BASE=/tmp
T=$(mktemp -d "$BASE/gw-bench-protocols.XXXXXX")
SHM=$(mktemp -d /dev/shm/gw-bench-protocols.XXXXXX)
mkdir -p "$T/gw" "$T/gs" "$T/state" "$T/recovery" "$T/bin" "$T/logs"
RES="$T/results.tsv"; : > "$RES"
META="$T/meta.txt"; : > "$META"

gcc -O2 -static -o "$T/bin/smallfiles" "$HERE/smallfiles.c" || die "cannot build smallfiles.c"
read -r TREE_ENTRIES TREE_BYTES < <(python3 "$HERE/maketree.py" "$T/tree" "$TREE_FILES" "$TREE_DIRS") || die "maketree failed"
TREE_ENTRIES=$((TREE_ENTRIES + 1))    # `find DIR` lists DIR too
say "work area $T; tree: $TREE_FILES files, $TREE_DIRS dirs, $TREE_BYTES bytes"
say "writing the ${BIG_MIB} MiB source file"
head -c $((BIG_MIB * 1024 * 1024)) /dev/urandom > "$T/big.src" || die "cannot write the source file"
BIG_SHA=$(sha256sum "$T/big.src" | cut -d' ' -f1)
BIG_BYTES=$((BIG_MIB * 1024 * 1024))

# ------------------------------------------------------------------ the namespace, rpcbind, ganesha, Gateway
unshare --net --mount --fork --propagation private sleep infinity &
UNSHARE_PID=$!
for i in $(seq 50); do NS_HOLDER=$(pgrep -P $UNSHARE_PID -x sleep) && break; sleep 0.1; done
[ -n "$NS_HOLDER" ] || die "unshare failed"
in_ns() { nsenter -t "$NS_HOLDER" -n -- "$@"; }          # network namespace only (clients, Gateway)
in_ns_m() { nsenter -t "$NS_HOLDER" -n -m -- "$@"; }     # network + mount (rpcbind, ganesha: own /run)
in_ns_m sh -c 'ip link set lo up && mount -t tmpfs tmpfs /run' || die "namespace setup failed"

# Servers are started with nsenter itself in the background (not through the functions above, whose
# subshell would stand between $! and the server): nsenter execs the program, so $! is the server.
nsenter -t "$NS_HOLDER" -n -m -- rpcbind -f -w > "$T/logs/rpcbind.log" 2>&1 &
RPCBIND_PID=$!
for i in $(seq 50); do in_ns ss -ltn | grep -q ':111 ' && break; sleep 0.1; done
in_ns ss -ltn | grep -q ':111 ' || die "rpcbind did not start in the namespace"

cat > "$T/ganesha.conf" <<EOF
NFS_CORE_PARAM {
  NFS_Port = $GS_PORT; MNT_Port = $GS_MNT; Protocols = 3;
  Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false;
}
NFSv4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = $T/recovery; }
EXPORT {
  Export_Id = 1; Path = $T/gs; Pseudo = /gs;
  Access_Type = RW; Squash = No_Root_Squash; Protocols = 3; Transports = TCP; SecType = sys;
  FSAL { Name = VFS; }
}
LOG { Default_Log_Level = EVENT; }
EOF
nsenter -t "$NS_HOLDER" -n -m -- ganesha.nfsd -F -L "$T/logs/ganesha.log" -f "$T/ganesha.conf" -p "$T/ganesha.pid" -N NIV_EVENT &
GANESHA_PID=$!

nsenter -t "$NS_HOLDER" -n -- "$GW_BIN" export "$T/gw" --name gw --state-dir "$T/state" --listen 127.0.0.1 --nfs-port $GW_PORT \
  --portmap off --squash none --no-smb > "$T/logs/gateway.log" 2>&1 &
GW_PID=$!

for i in $(seq 300); do
  in_ns ss -ltn | grep -q ":$GS_PORT " && in_ns ss -ltn | grep -q ":$GW_PORT " && break; sleep 0.1
done
in_ns ss -ltn | grep -q ":$GW_PORT " || { cat "$T/logs/gateway.log" >&2; die "Gateway did not start"; }
in_ns ss -ltn | grep -q ":$GS_PORT " || { tail -20 "$T/logs/ganesha.log" >&2; die "ganesha did not start"; }
[ "$(readlink /proc/$GANESHA_PID/exe)" = "$(readlink -f "$(command -v ganesha.nfsd)")" ] || die "ganesha pid $GANESHA_PID is not ganesha.nfsd"
case "$(readlink /proc/$GW_PID/exe)" in */gateway) ;; *) die "gateway pid $GW_PID is $(readlink /proc/$GW_PID/exe)";; esac
say "Gateway pid $GW_PID on port $GW_PORT; ganesha pid $GANESHA_PID on $GS_PORT/$GS_MNT (namespace of pid $NS_HOLDER)"

declare -A PID=([gateway]=$GW_PID [ganesha]=$GANESHA_PID)
sleep 1
for s in gateway ganesha; do rec rss-start-mib $s 0 "$(awk '/^VmRSS:/{printf "%.1f", $2 / 1024}' /proc/${PID[$s]}/status)"; done
declare -A URL=([gateway]="nfs://127.0.0.1/gw" [ganesha]="nfs://127.0.0.1$T/gs")
declare -A Q=([gateway]="?nfsport=$GW_PORT&mountport=$GW_PORT&version=3" [ganesha]="?nfsport=$GS_PORT&mountport=$GS_MNT&version=3")
declare -A DIR=([gateway]="$T/gw" [ganesha]="$T/gs")
declare -A KPORT=([gateway]="$GW_PORT $GW_PORT /gw" [ganesha]="$GS_PORT $GS_MNT $T/gs")
SERVERS="gateway ganesha"
cpu() { awk '{print ($14 + $15) / 100}' "/proc/${PID[$1]}/stat"; }   # utime + stime, s (CLK_TCK 100)
sys_cpu() { awk '{print $15 / 100}' "/proc/${PID[$1]}/stat"; }       # stime alone
alive() { local x; for x in $SERVERS; do kill -0 "${PID[$x]}" 2>/dev/null || die "$x (pid ${PID[$x]}) died; see $T/logs"; done; }

# ------------------------------------------------------------------ 1. nfs-cp
# This machine is a VM with free page reporting: memory the guest frees is handed back to the host after
# about 2 s, and the next first touch of it costs about 3 ms per MiB (the host faults it in again). A
# copy whose page cache (or /dev/shm output) lands on such memory runs at about 300 MB/s instead of 1 GB/s,
# whichever server it is, and which server gets cold memory depends on what was freed just before (ganesha
# keeps descriptors of deleted files open, Gateway closes them). So, before every timed copy, heat()
# writes and deletes a file 1.5x the copy's size on the same filesystem that the copy will fill, leaving
# recently freed (warm) memory for it; and no copy is deleted until the end (every file name is new).
heat() {  # heat DIR: DIR is $T (ext4 page cache, for copies in) or $SHM (tmpfs, for copies out)
  dd if=/dev/zero of="$1/heat" bs=1M count=$((BIG_MIB * 3 / 2)) 2>/dev/null; rm -f "$1/heat"
}
# nfs_cp SERVER FILE ROUND METRIC-PREFIX: one copy in, sync, one copy out; records seconds and server CPU
nfs_cp() {
  local s=$1 f=$2 r=$3 m=$4 c0 c1 t0 t1 sha k0 k1
  heat "$T"
  c0=$(cpu $s); k0=$(sys_cpu $s); t0=$(now)
  in_ns nfs-cp "$T/big.src" "${URL[$s]}/$f${Q[$s]}" > "$T/logs/$m-$s-$r-in.log" 2>&1 || { cat "$T/logs/$m-$s-$r-in.log" >&2; die "nfs-cp into $s failed"; }
  t1=$(now); c1=$(cpu $s); k1=$(sys_cpu $s)
  [ "$(stat -c %s "${DIR[$s]}/$f")" = "$BIG_BYTES" ] || die "$s: the copied file has the wrong size"
  rec $m-write-s $s $r "$(elapsed $t0 $t1)"; rec $m-write-cpu $s $r "$(elapsed $c0 $c1)"; rec $m-write-syscpu $s $r "$(elapsed $k0 $k1)"
  sync   # write back outside the clock, so neither server's dirty pages land on the other's time
  heat "$SHM"
  c0=$(cpu $s); t0=$(now)
  in_ns nfs-cp "${URL[$s]}/$f${Q[$s]}" "$SHM/out" > "$T/logs/$m-$s-$r-out.log" 2>&1 || { cat "$T/logs/$m-$s-$r-out.log" >&2; die "nfs-cp out of $s failed"; }
  t1=$(now); c1=$(cpu $s)
  rec $m-read-s $s $r "$(elapsed $t0 $t1)"; rec $m-read-cpu $s $r "$(elapsed $c0 $c1)"
  if [ "$m" = nfscp-first ]; then
    sha=$(sha256sum "$SHM/out" | cut -d' ' -f1)
    [ "$sha" = "$BIG_SHA" ] || die "$s: sha256 of the file read back differs ($sha, expected $BIG_SHA)"
    meta "sha256-$s" "ok"
  fi
  rm -f "$SHM/out"
}
# The first copy after a server starts is recorded on its own (for Gateway it includes the JIT's warm-up:
# .NET compiles the I/O path on first use, then recompiles hot methods), and also serves as the warm-up.
has() { case ",$ONLY," in *",$1,"*) return 0;; esac; return 1; }
has nfs-cp && for s in $SERVERS; do
  alive
  say "$s: first nfs-cp ${BIG_MIB} MiB in and out after start (warm-up, recorded apart; sha256 checked)"
  nfs_cp $s big-first 0 nfscp-first
done
has nfs-cp && for r in $(seq "$ROUNDS"); do
  for s in $SERVERS; do
    alive
    say "round $r/$ROUNDS $s: nfs-cp ${BIG_MIB} MiB in and out"
    nfs_cp $s "big-r$r" $r nfscp
  done
done

# ------------------------------------------------------------------ 2 + 3. kernel client in the guest
has kernel && for r in $(seq "$ROUNDS"); do
  for s in $SERVERS; do
    alive
    read -r kp km kx <<< "${KPORT[$s]}"
    verify=1   # every round, so the server CPU per guest run is the same work each time
    say "round $r/$ROUNDS $s: kernel client, $NFILES small files + cp -a / rm -rf of the tree"
    log="$T/logs/guest-$s-$r.log"
    c0=$(cpu $s)
    nsenter -t "$NS_HOLDER" -n -- "$KCV" --modules nfsv3 --timeout $((NFILES / 5 + TREE_FILES / 5 + 300)) \
      --env NFS_PORT=$kp --env MNT_PORT=$km --env EXPORT=$kx --env NFILES=$NFILES --env FSIZE=$FSIZE \
      --env TREE_ENTRIES=$TREE_ENTRIES --env VERIFY=$verify \
      --add "$T/bin/smallfiles:/opt/smallfiles" --add "$T/tree:/opt/tree" "$HERE/guest.sh" > "$log" 2>&1 &
    GUEST_PID=$!
    wait $GUEST_PID; rc=$?; GUEST_PID=""
    c1=$(cpu $s)
    if [ $rc != 0 ]; then grep -E 'KCV-(TIME|CHECK)|smallfiles|rror' "$log" | tail -20 >&2; die "guest run against $s failed (status $rc); log: $log"; fi
    rec guest-cpu $s $r "$(elapsed $c0 $c1)"
    for label in sf-create sf-stat sf-read sf-remove tree-cp tree-rm; do
      v=$(sed -n "s/^KCV-TIME: $label \([0-9.]*\)s rc=0.*/\1/p" "$log" | tail -1)
      [ -n "$v" ] || die "no KCV-TIME $label in $log"
      rec "$label-s" $s $r "$v"
    done
    grep -q 'KCV-CHECK: tree-diff ok' "$log" || die "$s: no tree-diff check in $log"
    [ "$r" = "$ROUNDS" ] && meta "tree-diff-$s" "ok in $ROUNDS round(s)"
  done
done

# ------------------------------------------------------------------ 4. scale: 1, 4, 16 concurrent clients
has scale && for r in $(seq "$ROUNDS"); do
  for s in $SERVERS; do
    alive
    read -r kp km kx <<< "${KPORT[$s]}"
    say "round $r/$ROUNDS $s: small files with $SCALE_CLIENTS concurrent processes"
    log="$T/logs/scale-$s-$r.log"
    nsenter -t "$NS_HOLDER" -n -- "$KCV" --modules nfsv3 --timeout $((NFILES / 2 + 300)) \
      --env PROTO=nfs3 --env NFS_PORT=$kp --env MNT_PORT=$km --env EXPORT=$kx --env NFILES=$NFILES --env FSIZE=$FSIZE \
      --env "CLIENTS=$SCALE_CLIENTS" --add "$T/bin/smallfiles:/opt/smallfiles" "$HERE/guest-scale.sh" > "$log" 2>&1 &
    GUEST_PID=$!
    wait $GUEST_PID; rc=$?; GUEST_PID=""
    if [ $rc != 0 ]; then grep -E 'KCV-(TIME|CHECK)|smallfiles|rror' "$log" | tail -20 >&2; die "scale run against $s failed (status $rc); log: $log"; fi
    for n in $SCALE_CLIENTS; do
      for ph in create stat read remove; do
        v=$(sed -n "s/^KCV-TIME: scale-$n-$ph \([0-9.]*\)s rc=0.*/\1/p" "$log" | tail -1)
        [ -n "$v" ] || die "no KCV-TIME scale-$n-$ph in $log"
        rec "scale$n-$ph-s" $s $r "$v"
      done
    done
  done
done

# ------------------------------------------------------------------ 5. peak RSS, versions, machine
alive
for s in $SERVERS; do
  rec rss-mib $s 0 "$(awk '/^VmHWM:/{printf "%.1f", $2 / 1024}' /proc/${PID[$s]}/status)"
  rec cpu-total-s $s 0 "$(cpu $s)"
done
meta quick $QUICK; meta only "$ONLY"; meta rounds $ROUNDS; meta big_mib $BIG_MIB; meta nfiles $NFILES; meta fsize $FSIZE
meta tree_files $TREE_FILES; meta tree_dirs $TREE_DIRS; meta tree_bytes $TREE_BYTES; meta scale_clients "$SCALE_CLIENTS"
meta nproc "$(nproc)"
meta ram "$(awk '/^MemTotal:/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
meta kernel "$(uname -r)"
meta cpu "$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
meta disk "$(findmnt -n -o FSTYPE,SOURCE -T "$T" | tr -s ' ') ($(findmnt -n -o OPTIONS -T "$T"))"
meta workdir "$T"
meta gateway "$("$GW_BIN" --version 2>&1 | head -1 | sed 's/+\([0-9a-f]\{7\}\)[0-9a-f]*/+\1/') ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted src'))"
meta ganesha "$(ganesha.nfsd -v 2>&1 | sed -n 's/.*Release = //p' | head -1) (Debian $(dpkg-query -W -f '${Version}' nfs-ganesha))"
meta libnfs "$(dpkg-query -W -f '${Version}' libnfs-utils)"
meta dotnet "$(dotnet --version 2>/dev/null)"
meta guest_kernel "$(sed -n 's/^KCV: guest kernel \([^ ]*\) .*/\1/p' "$T/logs/guest-gateway-1.log" 2>/dev/null | head -1)"
meta qemu "$(qemu-system-x86_64 --version | head -1 | sed 's/QEMU emulator version //')"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta gateway_opts "--portmap off --squash none"
meta ganesha_opts "Protocols=3, Enable_NLM=false, Enable_UDP=false, FSAL VFS, Squash=No_Root_Squash, Access_Type=RW"

# ------------------------------------------------------------------ 6. SMB (vs Samba) and 7. FUSE (vs bindfs, local)
# Their own scripts, in the host namespace on free loopback ports; their samples join ours, prefixed.
peer_bench() {  # peer_bench NAME SCRIPT ARGS...: runs it, merges its results and meta as NAME:metric
  local name=$1 script=$2; shift 2
  say "$name: $script (log: $T/logs/$name.log)"
  "$script" "$@" --results "$T/$name.tsv" --meta "$T/$name-meta.txt" > "$T/logs/$name.log" 2>&1 \
    || { tail -20 "$T/logs/$name.log" >&2; die "$name benchmark failed; log: $T/logs/$name.log"; }
  sed "s/^/$name:/" "$T/$name.tsv" >> "$RES"
  sed "s/^/$name:/" "$T/$name-meta.txt" >> "$META"
}
QARG=(); [ $QUICK = 1 ] && QARG=(--quick)
has smb && peer_bench smb "$HERE/smb/run-smb.sh" "${QARG[@]}" --rounds "$ROUNDS" --gateway "$GW_BIN"
export GATEWAY_DIR; GATEWAY_DIR=$(dirname "$GW_BIN")
has fuse && peer_bench fuse "$HERE/fuse/run-fuse.sh" "${QARG[@]}" --rounds "$ROUNDS" --no-build

mkdir -p "$(dirname "$OUT")" "$(dirname "$JSON")" "$(dirname "$PNG")"
# Keep the raw samples and the logs beside the JSON, so the report can be redone (report.py) and read.
RAW="${JSON%.json}-raw"; rm -rf "$RAW"; mkdir -p "$RAW"
cp "$RES" "$META" "$RAW/" && cp -r "$T/logs" "$RAW/logs" && cp "$T/ganesha.conf" "$RAW/"
python3 "$HERE/report.py" --results "$RES" --meta "$META" --out "$OUT" --json "$JSON" --png "$PNG" || die "report failed"
say "wrote $OUT, $JSON, $PNG"
cat "$OUT"
