#!/bin/bash
# smbtorture (samba-testsuite) against an SMB server, group by group, judged against a list of expected
# failures so that the run fails on any regression and reports every expected failure that now passes.
#
#   tests/smbtorture/run.sh --port P --share S --user U --password PW [--host 127.0.0.1]
#                           [--target gateway|samba] [--groups "connect read ..."] [--only TEST ...]
#                           [--results FILE.tsv] [--expected FILE] [--excluded FILE]
#                           [--group-timeout S (default 90, smb2.notify 150)]
#   tests/smbtorture/run.sh --samba [...]   starts Samba's smbd itself (samba-ref.sh, free port, temp dir)
#                                           and runs against it: the reference baseline
#
# Groups (default): smb2.connect read create getinfo setinfo dir rename lock credits compound notify session.
# Every subtest of a group is run except those in --excluded (default excluded.txt beside this script:
# tests not run at all, each with its reason: Kerberos, too slow for CI with its measured time, ...).
# Each subtest ends as pass, fail, error, skip (smbtorture skipped it) or missing (the group died or
# timed out before reaching it). A subtest that does not pass must be
# listed in --expected (default expected-failures.txt beside this script: "NAME  reason" per line). The
# same list judges a Samba run (it holds what Samba itself fails here), so --samba checks the harness;
# NOW PASSES lines (listed but passing) are printed for --target gateway only.
# Output: one line per subtest on stdout ("RESULT NAME seconds [message]"), a summary, and with
# --results a TSV (name, result, seconds, expected-failure reason, message).
# Exit: 0 when nothing unexpected failed, 1 otherwise, 2 on usage errors.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOST=127.0.0.1; PORT=""; SHARE=""; USER_NAME=""; PASS=""; TARGET=gateway; SAMBA=0
GROUPS_RUN="connect read create getinfo setinfo dir rename lock credits compound notify session"
ONLY=(); RESULTS=""; EXPECTED="$HERE/expected-failures.txt"; EXCLUDED="$HERE/excluded.txt"; GROUP_TIMEOUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST=$2; shift 2;;
    --port) PORT=$2; shift 2;;
    --share) SHARE=$2; shift 2;;
    --user) USER_NAME=$2; shift 2;;
    --password) PASS=$2; shift 2;;
    --target) TARGET=$2; shift 2;;
    --samba) SAMBA=1; TARGET=samba; shift;;
    --groups) GROUPS_RUN=$2; shift 2;;
    --only) ONLY+=("$2"); shift 2;;
    --results) RESULTS=$2; shift 2;;
    --expected) EXPECTED=$2; shift 2;;
    --excluded) EXCLUDED=$2; shift 2;;
    --group-timeout) GROUP_TIMEOUT=$2; shift 2;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
command -v smbtorture >/dev/null || { echo "run.sh: smbtorture not found (Debian package samba-testsuite)" >&2; exit 2; }
PY=/usr/bin/python3

W=$(mktemp -d /tmp/smbtorture-run.XXXXXX); chmod 755 "$W"
SAMBA_PID=""
cleanup() {
  if [ -n "$SAMBA_PID" ]; then kill -TERM "$SAMBA_PID" 2>/dev/null; wait "$SAMBA_PID" 2>/dev/null; fi
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $SAMBA = 1 ]; then
  PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  SHARE=share; USER_NAME=gwsmbtest; PASS="Pw-$RANDOM$RANDOM"
  "$HERE/samba-ref.sh" "$W/samba" "$PORT" "$W/share" "$USER_NAME" "$PASS" "$SHARE" > "$W/samba.log" 2>&1 &
  SAMBA_PID=$!
  for i in $(seq 300); do grep -q "SAMBA-REF: READY" "$W/samba.log" && break; kill -0 $SAMBA_PID 2>/dev/null || break; sleep 0.1; done
  grep -q "SAMBA-REF: READY" "$W/samba.log" || { cat "$W/samba.log" >&2; echo "run.sh: Samba did not start" >&2; exit 2; }
fi
[ -n "$PORT" ] && [ -n "$SHARE" ] && [ -n "$USER_NAME" ] && [ -n "$PASS" ] || { echo "run.sh: --port, --share, --user and --password are needed (or --samba)" >&2; exit 2; }

# The subtests of each group, from smbtorture itself, minus the excluded ones.
smbtorture --list > "$W/all.txt" 2>/dev/null
: > "$W/planned.txt"
for g in $GROUPS_RUN; do
  # --list prints "smb2.lock.valid-request.valid-request" (test name twice) or "smb2.connect" for one-test groups
  awk -v g="smb2.$g" '$0 == g { print; next } index($0, g ".") == 1 { n = split($0, p, "."); if (n >= 3 && p[n] == p[n-1]) { s = p[1]; for (i = 2; i < n; i++) s = s "." p[i]; print s } else print }' "$W/all.txt" \
    | sort -u > "$W/g-$g.txt"
  [ -s "$W/g-$g.txt" ] || { echo "run.sh: smbtorture lists no tests for smb2.$g" >&2; exit 2; }
  if [ ${#ONLY[@]} -gt 0 ]; then
    printf '%s\n' "${ONLY[@]}" | grep -Fxf - "$W/g-$g.txt" > "$W/g-$g.only"; mv "$W/g-$g.only" "$W/g-$g.txt"
  fi
  [ -f "$EXCLUDED" ] && { awk '!/^#/ && NF {print $1}' "$EXCLUDED" | grep -Fvxf - "$W/g-$g.txt" > "$W/g-$g.run"; } || cp "$W/g-$g.txt" "$W/g-$g.run"
  cat "$W/g-$g.txt" >> "$W/planned.txt"
done

START=$(date +%s.%N)
for g in $GROUPS_RUN; do
  [ -s "$W/g-$g.run" ] || continue
  s=$(date +%s.%N)
  # Samba runs every group but notify in under 15 s here and notify in about 30 s (smb2.notify.mask excluded)
  limit=${GROUP_TIMEOUT:-$([ "$g" = notify ] && echo 150 || echo 90)}
  timeout -k 10 "$limit" smbtorture "//$HOST/$SHARE" -p "$PORT" -U "$USER_NAME%$PASS" --format=subunit --fullname \
    --maximum-runtime="$limit" --load-list="$W/g-$g.run" "smb2.$g" > "$W/out-$g.txt" 2>&1
  rc=$?
  printf 'group smb2.%s: %.1f s (smbtorture exit %s%s)\n' "$g" "$(echo "$(date +%s.%N) - $s" | bc)" "$rc" \
    "$([ $rc = 124 ] && echo ", timed out after $limit s")" >&2
  echo "$rc" > "$W/rc-$g.txt"
done
TOTAL=$(echo "$(date +%s.%N) - $START" | bc)

$PY - "$W" "$TARGET" "$EXPECTED" "$EXCLUDED" "${RESULTS:-}" "$TOTAL" "$GROUPS_RUN" <<'PYEOF'
import datetime, os, re, sys
w, target, expected_file, excluded_file, results_file, total, groups = sys.argv[1:8]

def listed(path):
    out = {}
    if path and os.path.exists(path):
        for line in open(path):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, _, reason = line.strip().partition(" ")
            out[name] = reason.strip() or "(no reason given)"
    return out

expected, excluded = listed(expected_file), listed(excluded_file)
planned = [l.strip() for l in open(os.path.join(w, "planned.txt")) if l.strip()]
results = {}   # name -> [result, seconds, message]

def ts(line):
    return datetime.datetime.strptime(line[6:].strip()[:26], "%Y-%m-%d %H:%M:%S.%f")

for g in groups.split():
    path = os.path.join(w, f"out-{g}.txt")
    if not os.path.exists(path):
        continue
    lines = open(path, errors="replace").read().split("\n")
    i, current, t0, last_time = 0, None, None, None
    while i < len(lines):
        line = lines[i]
        if line.startswith("time: "):
            try: last_time = ts(line)
            except ValueError: pass
            if current and t0 is None: t0 = last_time
        elif line.startswith("test: "):
            current, t0 = line[6:].strip(), None
            results[current] = ["missing", 0.0, "started but no result (smbtorture died or timed out in it)"]
        else:
            m = re.match(r"^(success|failure|error|skip|xfail|uxsuccess): (\S+)( \[)?", line)
            if m:
                kind, name = m.group(1), m.group(2)
                msg = []
                if m.group(3):
                    i += 1
                    while i < len(lines) and lines[i] != "]":
                        msg.append(lines[i]); i += 1
                secs = (last_time - t0).total_seconds() if (t0 and last_time) else 0.0
                res = {"success": "pass", "failure": "fail", "error": "error", "skip": "skip", "xfail": "fail", "uxsuccess": "pass"}[kind]
                text = " ".join(x.strip() for x in msg if x.strip())[:300]
                results[name] = [res, secs, text]
                current = None
        i += 1

rows, unexpected, now_pass = [], [], []
for name in planned:
    if name in excluded:
        res, secs, msg = "excluded", 0.0, excluded[name]
    else:
        res, secs, msg = results.get(name, ["missing", 0.0, "never started (group died or timed out before it)"])
    reason = expected.get(name, "")
    rows.append((name, res, secs, reason, msg))
    if res not in ("pass", "excluded") and not reason:
        unexpected.append(name)
    if target == "gateway" and res == "pass" and reason:
        now_pass.append(name)

for name, res, secs, reason, msg in rows:
    print(f"{res.upper():8} {name} {secs:.2f}s" + (f"  [{msg}]" if msg and res != "pass" else ""))
if results_file:
    with open(results_file, "w") as f:
        f.write("name\tresult\tseconds\texpected_failure_reason\tmessage\n")
        for name, res, secs, reason, msg in rows:
            f.write(f"{name}\t{res}\t{secs:.2f}\t{reason}\t{msg.replace(chr(9), ' ')}\n")
count = lambda r: sum(1 for x in rows if x[1] == r)
print(f"\nsmbtorture against {target}: {len(rows)} subtests, pass {count('pass')}, fail {count('fail')}, error {count('error')}, "
      f"skip {count('skip')}, missing {count('missing')}, excluded {count('excluded')}; {float(total):.0f} s")
for n in now_pass:
    print(f"NOW PASSES (remove it from expected-failures.txt): {n}")
for n in unexpected:
    print(f"UNEXPECTED {dict((r[0], r[1]) for r in rows)[n].upper()}: {n}")
print("RESULT: " + ("FAIL, unexpected: " + " ".join(unexpected) if unexpected else "OK (no unexpected failures)"))
sys.exit(1 if unexpected else 0)
PYEOF
