#!/bin/bash
# smbtorture (samba-testsuite) against an SMB server, group by group, judged against a list of expected
# failures so that the run fails on any regression and reports every expected failure that now passes.
#
#   tests/smbtorture/run.sh --port P --share S --user U --password PW [--host 127.0.0.1]
#                           [--target gateway|samba] [--groups "connect read ..."] [--only TEST ...]
#                           [--results FILE.tsv] [--expected FILE] [--excluded FILE]
#                           [--group-timeout S] [--budget S] [--update-expected]
#   tests/smbtorture/run.sh --samba [...]   starts Samba's smbd itself (samba-ref.sh, free port, temp dir)
#                                           and runs against it: the reference baseline
#
# Groups (default): smb2.connect read create getinfo setinfo dir rename lock credits compound notify session.
# Every subtest of a group is run except those in --excluded (default excluded.txt beside this script:
# tests not run at all, each with its reason: Kerberos, too slow for CI with its measured time, ...).
# Each subtest ends as pass, fail, error, skip (smbtorture skipped it), timeout or missing. One smbtorture
# runs a whole group within --group-timeout (default 45 s, smb2.notify 60 s); when a subtest hangs, that
# smbtorture is stopped, the subtest recorded as a timeout, and a fresh smbtorture runs the rest of the
# group. --budget (default 600 s) caps the whole run: subtests not started by then are reported missing.
# A subtest that does not pass must be listed in --expected (default expected-failures.txt beside this
# script: "NAME  reason" per line). The same list judges a Samba run (it holds what Samba itself fails
# here), so --samba checks the harness; NOW PASSES lines (listed but passing) are printed for --target gateway only.
# Output: one line per subtest on stdout ("RESULT NAME seconds [message]"), a summary, and with
# --results a TSV (name, result, seconds, expected-failure reason, message).
# --update-expected rewrites --expected from this run (only for the groups that ran): subtests that now pass
# are dropped, new failures are added with smbtorture's message as the reason (edit it into a real reason),
# existing reasons are kept. Use it after the server changed, then review the diff.
# Exit: 0 when nothing unexpected failed, 1 otherwise, 2 on usage errors.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOST=127.0.0.1; PORT=""; SHARE=""; USER_NAME=""; PASS=""; TARGET=gateway; SAMBA=0
GROUPS_RUN="connect read create getinfo setinfo dir rename lock credits compound notify session"
ONLY=(); RESULTS=""; EXPECTED="$HERE/expected-failures.txt"; EXCLUDED="$HERE/excluded.txt"; GROUP_TIMEOUT=""; BUDGET=600; UPDATE=0
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
    --budget) BUDGET=$2; shift 2;;
    --update-expected) UPDATE=1; shift;;
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
elapsed_s() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%d", b - a }'; }
for g in $GROUPS_RUN; do
  [ -s "$W/g-$g.run" ] || continue
  s=$(date +%s.%N)
  # Samba runs every group but notify in under 15 s here (loaded 2-core box) and notify in about 26 s
  # (smb2.notify.mask excluded).
  # A subtest that hangs costs one time limit: smbtorture is stopped, the subtest recorded as a timeout, and
  # the group goes on with the subtests after it in a fresh smbtorture.
  limit=${GROUP_TIMEOUT:-$([ "$g" = notify ] && echo 60 || echo 45)}
  cp "$W/g-$g.run" "$W/todo"
  attempt=0; runs=0
  while [ -s "$W/todo" ]; do
    if [ "$(elapsed_s "$START")" -ge "$BUDGET" ]; then
      echo "run.sh: the time budget of $BUDGET s is used up; $(wc -l < "$W/todo") subtest(s) of smb2.$g not run" >&2; break
    fi
    out="$W/out-$g-$attempt.txt"
    timeout -k 10 "$limit" smbtorture "//$HOST/$SHARE" -p "$PORT" -U "$USER_NAME%$PASS" --format=subunit --fullname \
      --maximum-runtime="$limit" --load-list="$W/todo" "smb2.$g" > "$out" 2>&1
    rc=$?; runs=$((runs + 1))
    sed -n 's/^\(success\|failure\|error\|skip\|xfail\|uxsuccess\): \([^ ]*\).*/\2/p' "$out" > "$W/done"
    stuck=$(awk '/^test: / {t = $2} /^(success|failure|error|skip|xfail|uxsuccess): / {if ($2 == t) t = ""} END {print t}' "$out")
    if [ -n "$stuck" ]; then
      if [ $rc = 124 ] || [ $rc = 137 ]; then printf '%s\ttimeout\tno result within the %s s limit (smbtorture stopped)\n' "$stuck" "$limit" >> "$W/stuck.txt"
      else printf '%s\terror\tsmbtorture exited %s in it without a result\n' "$stuck" "$rc" >> "$W/stuck.txt"; fi
      echo "$stuck" >> "$W/done"
    fi
    grep -Fvxf "$W/done" "$W/todo" > "$W/todo.next"
    # no progress at all (smbtorture cannot even connect): stop this group, the rest is reported missing
    if cmp -s "$W/todo" "$W/todo.next"; then break; fi
    mv "$W/todo.next" "$W/todo"
    attempt=$((attempt + 1))
  done
  printf 'group smb2.%s: %.1f s (%s smbtorture run(s))\n' "$g" "$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$runs" >&2
done
TOTAL=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

$PY - "$W" "$TARGET" "$EXPECTED" "$EXCLUDED" "${RESULTS:-}" "$TOTAL" "$GROUPS_RUN" "$UPDATE" <<'PYEOF'
import datetime, os, re, sys
w, target, expected_file, excluded_file, results_file, total, groups, update = sys.argv[1:9]

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

import glob
outs = []
for g in groups.split():
    outs += sorted(glob.glob(os.path.join(w, f"out-{g}-*.txt")), key=lambda p: int(p.rsplit("-", 1)[1][:-4]))
for path in outs:
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

stuck_file = os.path.join(w, "stuck.txt")
if os.path.exists(stuck_file):
    for line in open(stuck_file):
        name, res, msg = line.rstrip("\n").split("\t", 2)
        results[name] = [res, 0.0, msg]

rows, unexpected, now_pass = [], [], []
for name in planned:
    if name in excluded:
        res, secs, msg = "excluded", 0.0, excluded[name]
    else:
        res, secs, msg = results.get(name, ["missing", 0.0, "never started (smbtorture could not run it, or the time budget was used up)"])
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
      f"skip {count('skip')}, timeout {count('timeout')}, missing {count('missing')}, excluded {count('excluded')}; {float(total):.0f} s")
for n in now_pass:
    print(f"NOW PASSES (remove it from expected-failures.txt): {n}")
for n in unexpected:
    print(f"UNEXPECTED {dict((r[0], r[1]) for r in rows)[n].upper()}: {n}")
if update == "1":
    ran = {r[0] for r in rows}
    header = [l for l in open(expected_file) if l.startswith("#")] if os.path.exists(expected_file) else []
    keep = [(n, r) for n, r in expected.items() if n not in ran]          # other groups: untouched
    for name, res, secs, reason, msg in rows:
        if res in ("pass", "excluded"):
            continue
        m = msg.replace("../../source4/torture/smb2/", "")
        keep.append((name, reason or f"{target} fails it ({res}: {m[:160]})"))
    with open(expected_file, "w") as f:
        f.writelines(header)
        f.writelines(f"{n}  {r}\n" for n, r in keep)
    print(f"rewrote {expected_file}: {len(keep)} expected failures")
print("RESULT: " + ("FAIL, unexpected: " + " ".join(unexpected) if unexpected else "OK (no unexpected failures)"))
sys.exit(1 if unexpected else 0)
PYEOF
