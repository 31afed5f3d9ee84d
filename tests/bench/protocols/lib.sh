# Helpers shared by run.sh, smb/run-smb.sh and fuse/run-fuse.sh (sourced). Set BENCH_NAME first; rec and
# meta append to $RES and $META, which the script sets before calling them.
say() { echo "$BENCH_NAME: $*" >&2; }
die() { say "$*"; exit 1; }
abs() { case "$1" in /*) echo "$1";; *) echo "$PWD/$1";; esac; }   # given paths: relative to the caller
stop_pid() {  # stop_pid PID NAME: SIGTERM, wait up to 15 s, then SIGKILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "$2 (pid $pid) did not stop on SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}
rec() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RES"; }   # metric server round value (s, MiB)
meta() { printf '%s\t%s\n' "$1" "$2" >> "$META"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f", b - a}'; }
