#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, into the repository (nothing global but apt packages).
# Idempotent; used by .ci/run and by developers before `dotnet test`.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
for tool in git openssl osslsigncode zip unzip tar jq strace; do
  command -v "$tool" >/dev/null 2>&1 || need_apt+=("$tool")
done
# The stage ring's signatures and their tests use gpg with its agent (Debian's gnupg brings both).
{ command -v gpg >/dev/null 2>&1 && command -v gpg-agent >/dev/null 2>&1; } || need_apt+=(gnupg)
# Debian packages get origin signatures with debsigs, checked with ar (binutils) and gpg; the tests build them with dpkg-deb.
command -v debsigs >/dev/null 2>&1 || need_apt+=(debsigs)
command -v ar >/dev/null 2>&1 || need_apt+=(binutils)
command -v dpkg-deb >/dev/null 2>&1 || need_apt+=(dpkg)
# Signed decisions: the sample's people's SSH keys, and the tests' interop with ssh-keygen -Y and ssh-agent.
{ command -v ssh-keygen >/dev/null 2>&1 && command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1; } || need_apt+=(openssh-client)
if (( ${#need_apt[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} — install them with: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

# Azurite (the Azure Storage emulator) for the gather-drop tests and benchmark, in artifacts/tools.
azurite_version="3.37.0"
tools="$repo_root/artifacts/tools"
installed="$(node -p "require('$tools/node_modules/azurite/package.json').version" 2>/dev/null || true)"
if [[ "$installed" != "$azurite_version" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "npm is missing — install it with: sudo apt-get install nodejs npm" >&2
      exit 1
    fi
  fi
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null
fi

# PowerShell 7.6.9 as a .NET tool, for the runbook module's tests, in artifacts/tools/pwsh. Without a package feed
# an installed copy is used as it is; a missing one is an error.
pwsh_version="7.6.9"
pwsh_path="$tools/pwsh"
if [[ "$("$pwsh_path/pwsh" -NoProfile -NoLogo -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true)" != "$pwsh_version" ]]; then
  mkdir -p "$pwsh_path"
  if [[ -x "$pwsh_path/pwsh" ]]; then
    dotnet tool update PowerShell --version "$pwsh_version" --tool-path "$pwsh_path" >/dev/null
  else
    dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$pwsh_path" >/dev/null
  fi
fi
