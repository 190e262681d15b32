#!/usr/bin/env bash
# Runs every test (unit and integration) and ends with one line: `N passed, N failed, N skipped`.
# Exits non-zero when anything fails, when the build fails, or when no test ran.
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_CERT_REVOCATION_MODE=offline

"$repo_root/eng/install-test-prerequisites.sh" || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
dotnet test ReleaseCli.sln -c Release --nologo -v q --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ..."
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(",", "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1);
      if ($i == "Passed:") p += $(i + 1);
      if ($i == "Skipped:") s += $(i + 1);
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
rm -f "$log"

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1 # the build or a test host failed before reporting
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
