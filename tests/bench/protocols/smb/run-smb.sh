#!/bin/bash
# SMB benchmark rows: Gateway against Samba's smbd, same clients, same disk, same run.
#
#   tests/bench/protocols/smb/run-smb.sh [--quick] [--rounds N] [--results FILE.tsv] [--meta FILE]
#                                        [--only smbclient,kernel] [--gateway PATH | --no-build] [--keep]
#
# Workloads (each alternates Gateway and Samba, A B A B ..., 3 rounds; 1 in --quick):
#   1. smbclient (SMB 3.1.1) put and get of a 1 GiB file (256 MiB in --quick), three ways: plain
#      (--client-protection=off), signed, and encrypted with AES-128-GCM (the only cipher the client offers,
#      so both servers must use it). Each server's first put/get after it starts is a warm-up, recorded
#      apart (smb-first-*), and its read-back is checked with sha256. Whether the "plain" session was
#      really unsigned (a server may require signing) is probed with smbclient -d 10 and put in the meta.
#   2. the Linux kernel CIFS client (vers=3.1.1) in the qemu guest (tests/kernel/kernel-client-vm.sh):
#      create, stat, read, remove 10,000 files of 4 KiB (1,000 in --quick) with ../smallfiles.c.
#   3. memory: RSS after start, and the peak RSS sampled every 0.5 s over the run (Samba: smbd's parent
#      plus its per-connection children; Gateway: its one process), plus Gateway's VmHWM.
# Output: lines "metric<TAB>server<TAB>round<TAB>value" (servers gateway and samba; times in seconds,
# MiB for memory) appended to --results, "key<TAB>value" lines appended to --meta. Without --results it
# keeps them in its work directory and prints a table of medians (standalone mode).
# Both servers listen on free 127.0.0.1 ports of the host namespace (never 445); Samba runs through
# tests/smbtorture/samba-ref.sh (own smb.conf and passdb in the work directory). Everything started here is
# stopped on exit (Ctrl-C included). Needs root (smbd, qemu guest build). Not a test: it fails only when
# something is broken (a server dies, a copy comes back different, a guest run fails).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_NAME=bench-smb; . "$HERE/../lib.sh"
PROTO=$(cd "$HERE/.." && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
QUICK=0; ROUNDS=""; RESULTS=""; METAF=""; ONLY="smbclient,kernel"; BUILD=1; GW_BIN=""; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift;;
    --rounds) ROUNDS=$2; shift 2;;
    --results) RESULTS=$2; shift 2;;
    --meta) METAF=$2; shift 2;;
    --only) ONLY=$2; shift 2;;
    --gateway) GW_BIN=$2; BUILD=0; shift 2;;
    --no-build) BUILD=0; shift;;
    --keep) KEEP=1; shift;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0;;
    *) echo "run-smb.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
if [ $QUICK = 1 ]; then : "${ROUNDS:=1}"; BIG_MIB=256; NFILES=1000; else : "${ROUNDS:=3}"; BIG_MIB=1024; NFILES=10000; fi
FSIZE=4096
KCV="$REPO/tests/kernel/kernel-client-vm.sh"
SAMBA_REF="$REPO/tests/smbtorture/samba-ref.sh"
: "${GW_BIN:=$REPO/artifacts/bench-smb/gateway/gateway}"
SMB_USER=gwsmbtest; SMB_PASS="Bench-$RANDOM$RANDOM"

[ "$(id -u)" = 0 ] || die "needs root (smbd, qemu guest)"
for t in smbclient smbd gcc python3; do command -v $t >/dev/null || die "$t is missing (apt-get install smbclient samba gcc libc6-dev)"; done

# ------------------------------------------------------------------ cleanup: everything started here
T=""; SHM=""; GW_PID=""; SAMBA_PID=""; GUEST_PID=""; SAMPLER_PID=""
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SAMPLER_PID" sampler
  stop_pid "$GUEST_PID" guest
  stop_pid "$GW_PID" gateway
  stop_pid "$SAMBA_PID" samba
  wait 2>/dev/null
  [ -n "$SHM" ] && rm -rf "$SHM"
  if [ -n "$T" ]; then if [ $KEEP = 1 ]; then say "kept $T"; else rm -rf "$T"; fi; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build
if [ $BUILD = 1 ]; then
  say "building Gateway (Release) into artifacts/bench-smb/gateway"
  dotnet publish "$REPO/src/Gateway.Cli/Gateway.Cli.csproj" -c Release -o "$REPO/artifacts/bench-smb/gateway" -v quiet -nologo \
    > /tmp/bench-smb-build.$$ 2>&1 || { cat /tmp/bench-smb-build.$$ >&2; rm -f /tmp/bench-smb-build.$$; die "build failed"; }
  rm -f /tmp/bench-smb-build.$$
fi
[ -x "$GW_BIN" ] || die "no $GW_BIN (run without --no-build, or give --gateway PATH)"
case ",$ONLY," in *,kernel,*) "$KCV" --build >/dev/null || die "kernel-client guest build failed";; esac

# ------------------------------------------------------------------ work area
BASE=/var/tmp; [ -d "$BASE" ] && [ -w "$BASE" ] || BASE=/tmp
T=$(mktemp -d "$BASE/gw-bench-smb.XXXXXX"); chmod 755 "$T"     # smbd acts as $SMB_USER on $T/sb
SHM=$(mktemp -d /dev/shm/gw-bench-smb.XXXXXX)
mkdir -p "$T/gw" "$T/sb" "$T/state" "$T/bin" "$T/logs"
RES=$(abs "${RESULTS:-$T/results.tsv}"); META=$(abs "${METAF:-$T/meta.txt}")
touch "$RES" "$META" || die "cannot write $RES / $META"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

gcc -O2 -static -o "$T/bin/smallfiles" "$PROTO/smallfiles.c" || die "cannot build smallfiles.c"
BIG_BYTES=$((BIG_MIB * 1024 * 1024)); BIG_SHA=""
case ",$ONLY," in *,smbclient,*)
  say "work area $T; writing the ${BIG_MIB} MiB source file"
  head -c "$BIG_BYTES" /dev/urandom > "$T/big.src" || die "cannot write the source file"
  BIG_SHA=$(sha256sum "$T/big.src" | cut -d' ' -f1);;
esac

# ------------------------------------------------------------------ servers
GW_PORT=$(free_port)
printf '%s\n' "$SMB_PASS" | "$GW_BIN" user add "$SMB_USER" --password-stdin --state-dir "$T/state" > "$T/logs/user-add.log" 2>&1 \
  || { cat "$T/logs/user-add.log" >&2; die "gateway user add failed"; }
"$GW_BIN" export "$T/gw" --name gw --state-dir "$T/state" --nfs-port 0 --portmap off --smb-port "$GW_PORT" > "$T/logs/gateway.log" 2>&1 &
GW_PID=$!
SB_PORT=$(free_port)
"$SAMBA_REF" "$T/samba" "$SB_PORT" "$T/sb" "$SMB_USER" "$SMB_PASS" sb > "$T/logs/samba-ref.log" 2>&1 &
SAMBA_PID=$!
for i in $(seq 600); do
  grep -q "Press Ctrl-C to stop." "$T/logs/gateway.log" && grep -q "SAMBA-REF: READY" "$T/logs/samba-ref.log" && break
  kill -0 $GW_PID 2>/dev/null || { cat "$T/logs/gateway.log" >&2; die "Gateway exited at start"; }
  kill -0 $SAMBA_PID 2>/dev/null || { cat "$T/logs/samba-ref.log" >&2; die "Samba exited at start"; }
  sleep 0.1
done
grep -q "Press Ctrl-C to stop." "$T/logs/gateway.log" || { cat "$T/logs/gateway.log" >&2; die "Gateway did not start"; }
grep -q "SAMBA-REF: READY" "$T/logs/samba-ref.log" || { cat "$T/logs/samba-ref.log" >&2; die "Samba did not start"; }
GW_SMB_PORT=$(sed -n 's/.*SMB:[[:space:]]*[^[:space:]]* port \([0-9]*\).*/\1/p' "$T/logs/gateway.log" | head -1)
[ "$GW_SMB_PORT" = "$GW_PORT" ] || die "Gateway's SMB port is '$GW_SMB_PORT', asked for $GW_PORT: $(cat "$T/logs/gateway.log")"
SMBD_PID=$(sed -n 's/^SAMBA-REF: READY port [0-9]* smbd \([0-9]*\).*/\1/p' "$T/logs/samba-ref.log")
say "Gateway pid $GW_PID on port $GW_PORT; smbd pid $SMBD_PID on port $SB_PORT"

SERVERS="gateway samba"
declare -A PORT=([gateway]=$GW_PORT [samba]=$SB_PORT) SHARE=([gateway]=gw [samba]=sb) DIR=([gateway]="$T/gw" [samba]="$T/sb")
alive() { kill -0 $GW_PID 2>/dev/null || die "Gateway died; see $T/logs/gateway.log"; kill -0 "$SMBD_PID" 2>/dev/null || die "smbd died; see $T/samba/log"; }
# RSS in KiB of a server: Gateway's process; smbd's parent plus its children (one per client connection)
rss_kib() {
  if [ "$1" = gateway ]; then awk '/^VmRSS:/{print $2}' /proc/$GW_PID/status 2>/dev/null || echo 0
  else
    local p t=0 v
    for p in $SMBD_PID $(pgrep -P "$SMBD_PID"); do v=$(awk '/^VmRSS:/{print $2}' /proc/$p/status 2>/dev/null); t=$((t + ${v:-0})); done
    echo $t
  fi
}
sleep 1
for s in $SERVERS; do rec rss-start-mib $s 0 "$(awk -v k="$(rss_kib $s)" 'BEGIN{printf "%.1f", k / 1024}')"; done
( while :; do for s in $SERVERS; do k=$(rss_kib $s); m=$(cat "$T/rss-$s" 2>/dev/null || echo 0); [ "$k" -gt "$m" ] && echo "$k" > "$T/rss-$s"; done; sleep 0.5; done ) &
SAMPLER_PID=$!

# ------------------------------------------------------------------ 1. smbclient put/get
# See ../run.sh: on this VM freed memory goes back to the host and is slow to touch again, so before each
# timed copy heat() writes and deletes a file 1.5x the copy's size where the copy will land.
heat() { dd if=/dev/zero of="$1/heat" bs=1M count=$((BIG_MIB * 3 / 2)) 2>/dev/null; rm -f "$1/heat"; }
prot_args() {  # prot_args plain|signed|encrypted
  case $1 in
    plain) echo "--client-protection=off";;
    signed) echo "--client-protection=sign";;
    encrypted) echo "--client-protection=encrypt --option=clientsmb3encryptionalgorithms=AES-128-GCM";;
  esac
}
smbc() {  # smbc SERVER PROT LOG COMMANDS
  local s=$1 p=$2 log=$3; shift 3
  # shellcheck disable=SC2046
  smbclient "//127.0.0.1/${SHARE[$s]}" -p "${PORT[$s]}" -U "$SMB_USER%$SMB_PASS" -m SMB3_11 $(prot_args $p) -c "$*" > "$log" 2>&1 \
    && ! grep -q NT_STATUS_ "$log"
}
put_get() {  # put_get SERVER PROT ROUND METRIC-PREFIX
  local s=$1 p=$2 r=$3 m=$4 f="big-$2-$3" t0 t1 sha
  heat "$T"; t0=$(now)
  smbc $s $p "$T/logs/$m-$p-$s-$r-put.log" "lcd $T; put big.src $f" || { cat "$T/logs/$m-$p-$s-$r-put.log" >&2; die "smbclient put to $s ($p) failed"; }
  t1=$(now)
  [ "$(stat -c %s "${DIR[$s]}/$f")" = "$BIG_BYTES" ] || die "$s: the copied file has the wrong size"
  rec "$m-put-$p-s" $s $r "$(elapsed $t0 $t1)"
  sync
  heat "$SHM"; t0=$(now)
  smbc $s $p "$T/logs/$m-$p-$s-$r-get.log" "get $f $SHM/out" || { cat "$T/logs/$m-$p-$s-$r-get.log" >&2; die "smbclient get from $s ($p) failed"; }
  t1=$(now)
  rec "$m-get-$p-s" $s $r "$(elapsed $t0 $t1)"
  if [ "$m" = smb-first ]; then
    sha=$(sha256sum "$SHM/out" | cut -d' ' -f1)
    [ "$sha" = "$BIG_SHA" ] || die "$s: sha256 of the file read back differs ($sha, expected $BIG_SHA)"
    meta "smb-sha256-$s" ok
  fi
  rm -f "$SHM/out" "${DIR[$s]}/$f"
}
has() { case ",$ONLY," in *",$1,"*) return 0;; esac; return 1; }
if has smbclient; then
  for s in $SERVERS; do
    # what each protection really gives (a server may sign a session the client did not ask to sign)
    for p in plain signed encrypted; do
      # shellcheck disable=SC2046
      smbclient "//127.0.0.1/${SHARE[$s]}" -p "${PORT[$s]}" -U "$SMB_USER%$SMB_PASS" -m SMB3_11 $(prot_args $p) -d 10 -c "ls; ls" > "$T/logs/probe-$p-$s.log" 2>&1 \
        || { tail -20 "$T/logs/probe-$p-$s.log" >&2; die "smbclient $p probe against $s failed"; }
      d=$(sed -n 's/.*negotiated dialect\[\([^]]*\)\].*/\1/p' "$T/logs/probe-$p-$s.log" | head -1)
      n_sig=$(grep -c "signed SMB2 message" "$T/logs/probe-$p-$s.log"); n_enc=$(grep -c "Encrypted SMB2 message" "$T/logs/probe-$p-$s.log")
      alg=$(sed -n 's/.*signed SMB2 message (sign_algo_id=\([0-9]\)).*/\1/p' "$T/logs/probe-$p-$s.log" | tail -1)
      meta "smb-$p-$s" "dialect $d, $( [ "$n_enc" -gt 0 ] && echo "encrypted (AES-128-GCM offered only)" || { [ "$n_sig" -gt 3 ] && echo "signed (algorithm id ${alg:-?})" || echo "unsigned"; })"
    done
  done
  for s in $SERVERS; do
    alive; say "$s: first smbclient put/get of ${BIG_MIB} MiB after start (warm-up, recorded apart; sha256 checked)"
    put_get $s signed 0 smb-first
  done
  for r in $(seq "$ROUNDS"); do
    for p in plain signed encrypted; do
      for s in $SERVERS; do
        alive; say "round $r/$ROUNDS $s: smbclient put/get ${BIG_MIB} MiB ($p)"
        put_get $s $p $r smb
      done
    done
  done
fi

# ------------------------------------------------------------------ 2. kernel CIFS small files
if has kernel; then
  for r in $(seq "$ROUNDS"); do
    for s in $SERVERS; do
      alive; say "round $r/$ROUNDS $s: kernel cifs client (3.1.1), $NFILES small files"
      log="$T/logs/guest-$s-$r.log"
      "$KCV" --modules cifs --timeout $((NFILES / 5 + 300)) --env SMB_PORT=${PORT[$s]} --env SHARE=${SHARE[$s]} \
        --env SMB_USER=$SMB_USER --env SMB_PASS=$SMB_PASS --env NFILES=$NFILES --env FSIZE=$FSIZE \
        --add "$T/bin/smallfiles:/opt/smallfiles" "$HERE/guest-cifs.sh" > "$log" 2>&1 &
      GUEST_PID=$!
      wait $GUEST_PID; rc=$?; GUEST_PID=""
      if [ $rc != 0 ]; then grep -E 'KCV-(TIME|CHECK)|smallfiles|rror' "$log" | tail -20 >&2; die "guest run against $s failed (status $rc); log: $log"; fi
      for label in sf-create sf-stat sf-read sf-remove; do
        v=$(sed -n "s/^KCV-TIME: $label \([0-9.]*\)s rc=0.*/\1/p" "$log" | tail -1)
        [ -n "$v" ] || die "no KCV-TIME $label in $log"
        rec "cifs-$label-s" $s $r "$v"
      done
    done
  done
fi

# ------------------------------------------------------------------ 3. memory, versions
alive
stop_pid "$SAMPLER_PID" sampler; SAMPLER_PID=""
for s in $SERVERS; do rec smb-rss-peak-mib $s 0 "$(awk -v k="$(cat "$T/rss-$s" 2>/dev/null || echo 0)" 'BEGIN{printf "%.1f", k / 1024}')"; done
rec smb-rss-hwm-mib gateway 0 "$(awk '/^VmHWM:/{printf "%.1f", $2 / 1024}' /proc/$GW_PID/status)"
meta smb-quick $QUICK; meta smb-rounds "$ROUNDS"; meta smb-big-mib $BIG_MIB; meta smb-nfiles $NFILES; meta smb-fsize $FSIZE
meta smb-samba-version "$(smbd --version | head -1)"; meta smb-smbclient "$(smbclient --version | head -1)"
meta smb-gateway-version "$("$GW_BIN" --version 2>/dev/null | head -1)"
meta smb-dialect "SMB 3.1.1 (smbclient -m SMB3_11; kernel vers=3.1.1)"

if [ -z "$RESULTS" ]; then
  python3 - "$RES" <<'PYEOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {}
for metric, server, rnd, value in rows:
    data.setdefault(metric, {}).setdefault(server, []).append(float(value))
print(f"{'metric':28} {'gateway':>18} {'samba':>18} {'gw/samba':>9}")
for metric, by in data.items():
    cell = lambda v: "-" if not v else (f"{statistics.median(v):.3f}" + (f" ({min(v):.2f}..{max(v):.2f})" if len(v) > 1 else ""))
    g, s = by.get("gateway", []), by.get("samba", [])
    ratio = f"{statistics.median(g) / statistics.median(s):.2f}" if g and s and statistics.median(s) > 0 else "-"
    print(f"{metric:28} {cell(g):>18} {cell(s):>18} {ratio:>9}")
PYEOF
  cat "$META"
fi
say "done"
