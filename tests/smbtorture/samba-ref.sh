#!/bin/bash
# Samba's smbd as the reference SMB server for the SMB tests and benchmarks: never the system's
# /etc/samba, never port 445. Everything (config, passdb, locks, state, sockets) lives under WORKDIR.
#
#   tests/smbtorture/samba-ref.sh WORKDIR PORT SHAREDIR USER PASSWORD [SHARENAME]
#
# Writes WORKDIR/smb.conf (127.0.0.1:PORT only, SMB2_02..SMB3_11, share SHARENAME (default "share") on
# SHAREDIR, read-write), adds USER with PASSWORD to a tdbsam passdb in
# WORKDIR/private. USER must be a Unix user; when it does not exist, it is created (useradd --system, no
# home, no login shell). The share directory is chown'ed to USER, and smbd acts as USER on it, not as
# root (root bypasses every access check, and smbtorture checks ACCESS_DENIED cases). SHAREDIR's parent
# directories must be searchable by USER. Starts smbd and samba-dcerpcd (srvsvc for `smbclient -L`) in the foreground, each in its own process
# group (with --no-process-group, smbd signals its whole process group when it stops: our caller too), prints
# "SAMBA-REF: READY port PORT smbd PID" once the port accepts connections, and stays until SIGTERM/SIGINT,
# which stops both daemons (by pid) and exits 0. Needs root (smbd switches users).
set -uo pipefail
[ $# -ge 5 ] || { echo "usage: samba-ref.sh WORKDIR PORT SHAREDIR USER PASSWORD [SHARENAME]" >&2; exit 2; }
W=$1; PORT=$2; SHARE_DIR=$3; USER_NAME=$4; PASS=$5; SHARE=${6:-share}
LIBEXEC=/usr/libexec/samba
mkdir -p "$W"/{private,lock,state,cache,pid,ncalrpc,log} "$SHARE_DIR" || exit 1
if ! id -u "$USER_NAME" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$USER_NAME" 2>/dev/null \
    || id -u "$USER_NAME" >/dev/null 2>&1 || { echo "samba-ref: cannot create the Unix user $USER_NAME" >&2; exit 1; }
fi
chown -R "$USER_NAME:" "$SHARE_DIR" || exit 1
W=$(cd "$W" && pwd); SHARE_DIR=$(cd "$SHARE_DIR" && pwd)
cat > "$W/smb.conf" <<CONF
[global]
  server role = standalone server
  workgroup = WORKGROUP
  netbios name = SAMBAREF
  smb ports = $PORT
  interfaces = 127.0.0.1
  bind interfaces only = yes
  disable netbios = yes
  server min protocol = SMB2_02
  server max protocol = SMB3_11
  private dir = $W/private
  lock directory = $W/lock
  state directory = $W/state
  cache directory = $W/cache
  pid directory = $W/pid
  ncalrpc dir = $W/ncalrpc
  log file = $W/log/log.%m
  passdb backend = tdbsam:$W/private/passdb.tdb
  rpc start on demand helpers = no
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  log level = ${SAMBA_REF_LOG_LEVEL:-0}
[$SHARE]
  path = $SHARE_DIR
  read only = no
CONF
printf '%s\n%s\n' "$PASS" "$PASS" | pdbedit -s "$W/smb.conf" -a -u "$USER_NAME" -t > "$W/log/pdbedit.log" 2>&1 \
  || { cat "$W/log/pdbedit.log" >&2; exit 1; }

SMBD=""; DCERPCD=""
stop() {
  local p i
  for p in $SMBD $DCERPCD; do kill -TERM "$p" 2>/dev/null; done
  for p in $SMBD $DCERPCD; do
    for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  wait 2>/dev/null
}
trap 'stop; exit 0' TERM INT
trap stop EXIT

smbd --foreground --debug-stdout -s "$W/smb.conf" > "$W/log/smbd.out" 2>&1 &
SMBD=$!
"$LIBEXEC/samba-dcerpcd" --libexec-rpcds --foreground --debug-stdout -s "$W/smb.conf" \
  > "$W/log/dcerpcd.out" 2>&1 &
DCERPCD=$!
for i in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$SMBD" 2>/dev/null || { cat "$W/log/smbd.out" >&2; echo "samba-ref: smbd exited" >&2; exit 1; }
  sleep 0.05
done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || { cat "$W/log/smbd.out" >&2; echo "samba-ref: smbd not listening on $PORT" >&2; exit 1; }
# srvsvc comes from samba-dcerpcd: wait for its named-pipe socket so `smbclient -L` works at once
for i in $(seq 100); do [ -S "$W/ncalrpc/np/srvsvc" ] && break; sleep 0.05; done
echo "SAMBA-REF: READY port $PORT smbd $SMBD dcerpcd $DCERPCD"
wait "$SMBD"
echo "samba-ref: smbd exited on its own" >&2
exit 1
