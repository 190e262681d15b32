#!/usr/bin/env bash
# The reliability suite on this machine only (loopback, the built executable on the sample product):
# SIGKILL during every ring that has steps, SIGINT/SIGTERM, concurrent ring runs and approvals, status
# readers during writes, and bad inputs. Prints a table of the cases tried and held.
#   eng/reliability/run.sh           the full run: 6 kills per ring (24), 4 concurrency rounds
#   eng/reliability/run.sh --short   what CI runs inside eng/test.sh: 1 kill in prep and validate-source each, 1 round
# RELIABILITY_KILLS_PER_RING, RELIABILITY_CONCURRENCY_ROUNDS and RELIABILITY_SEED override the counts and the seed.
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_CERT_REVOCATION_MODE=offline

if [[ "${1:-}" == "--short" ]]; then
  : "${RELIABILITY_KILLS_PER_RING:=1}" "${RELIABILITY_CONCURRENCY_ROUNDS:=1}"
elif [[ $# -eq 0 ]]; then
  : "${RELIABILITY_KILLS_PER_RING:=6}" "${RELIABILITY_CONCURRENCY_ROUNDS:=4}"
  export RELIABILITY_ALL_RINGS=1
else
  echo "usage: eng/reliability/run.sh [--short]" >&2
  exit 2
fi
export RELIABILITY_KILLS_PER_RING RELIABILITY_CONCURRENCY_ROUNDS
report="$(mktemp)"
export RELIABILITY_REPORT="$report"

started=$SECONDS
dotnet build ReleaseCli.sln -c Release -v q --nologo >/dev/null || { echo "the build failed" >&2; exit 1; }
dotnet test tests/ReleaseCli.IntegrationTests -c Release --no-build --nologo -v q --filter "Category=Reliability" \
  --logger "console;verbosity=normal" | grep -E "(Passed|Failed)!|^\s+Failed |seed "
status=${PIPESTATUS[0]}

echo
echo "case                                                                                  result"
awk -F'\t' '{ printf "%-86s %s\n", $1 " / " $2, $3; if ($3 != "held") print "    " $4 }' "$report"
echo
awk -F'\t' '{ tried[$1]++; if ($3 == "held") held[$1]++ } END { printf "%-22s %6s %6s\n", "area", "tried", "held"; for (a in tried) { printf "%-22s %6d %6d\n", a, tried[a], held[a]; t += tried[a]; h += held[a] } printf "%-22s %6d %6d\n", "total", t, h }' "$report"
echo "elapsed: $((SECONDS - started)) s (kills per ring: $RELIABILITY_KILLS_PER_RING, concurrency rounds: $RELIABILITY_CONCURRENCY_ROUNDS)"
rm -f "$report"
exit "$status"
