#!/usr/bin/env bash
# Runs every test project of the solution (already built) and prints one closing line:
# "N passed, N failed, N skipped". Exits non-zero if any test failed or a project did not run.
set -uo pipefail
config="${1:-Release}"
cd "$(dirname "$0")/../.."
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
for project in $(find tests -name '*.Tests.csproj' -o -name 'Gateway.IntegrationTests.csproj' | sort); do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  if ! dotnet test "$project" -c "$config" --no-build --nologo \
       --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
       --logger "console;verbosity=minimal"; then
    status=1
  fi
done

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${total:-0} - ${e:-0}))
done
if [ "$files" -eq 0 ]; then echo "no test results were written" >&2; status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
exit $status
