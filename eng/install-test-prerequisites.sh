#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, into the repository (nothing global but apt packages).
# Idempotent; used by .ci/run and by developers before `dotnet test`.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
for tool in git openssl osslsigncode zip unzip tar jq; do
  command -v "$tool" >/dev/null 2>&1 || need_apt+=("$tool")
done
if (( ${#need_apt[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} — install them with: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi
