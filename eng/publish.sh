#!/usr/bin/env bash
# Publishes `release` ReadyToRun for one platform: framework-dependent (needs the .NET 10 runtime),
# compiled ahead of time so that each run starts without compiling most of its code first — the
# form to put on a pipeline agent that runs many verbs.
#
#   eng/publish.sh [--rid RID] [--output DIR]
#
# RID defaults to this machine's (linux-x64, linux-arm64, osx-arm64, win-x64, …); DIR defaults to
# artifacts/publish/<rid>. Run it as `DIR/release` (or `dotnet DIR/release.dll`).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid=""
output=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --rid) rid=${2:?--rid needs a runtime identifier such as linux-x64}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z $rid ]]; then
  rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
  [[ -n $rid ]] || { echo "publish.sh: cannot tell this machine's runtime identifier from 'dotnet --info'; pass --rid" >&2; exit 2; }
fi
output=${output:-$repo_root/artifacts/publish/$rid}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet publish "$repo_root/src/ReleaseCli/ReleaseCli.csproj" -c Release -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true -o "$output" -nologo -v q
echo "$output"
