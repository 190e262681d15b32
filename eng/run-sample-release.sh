#!/usr/bin/env bash
# Runs one complete staged release of the bundled sample product on the embedded defaults
# (local SQLite BAR, local folder store, identities from git config, each decision and ring run signed
# with that person's SSH key through ssh-agent):
#   builds the tool and the sample, registers the sample's two builds in a local BAR,
#   and drives the release through prep, validate-source, validate-build, stage and publish,
#   with named people giving the approvals and sign-offs on the way.
# Usage: eng/run-sample-release.sh [WORK_DIR] [--variant good|broken]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$repo_root/artifacts/sample-release}"
variant="good"
if [[ "${2:-}" == "--variant" ]]; then variant="${3:?--variant needs good or broken}"; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n=== %s\n' "$*"; }

step "building release"
dotnet build "$repo_root/src/ReleaseCli/ReleaseCli.csproj" -c Release -nologo -v q -o "$repo_root/artifacts/bin/release" >/dev/null
release_dll="$repo_root/artifacts/bin/release/release.dll"

rm -rf "$work"
mkdir -p "$work"
step "building the sample product ($variant) into $work/sample"
"$repo_root/eng/sample/build-sample.sh" "$work/sample" --variant "$variant"

# The sample's definition, with signed decisions: every approval, sign-off, override and ring run must be
# signed by its actor with a key that sample/keys/allowed_signers (made by build-sample.sh) lists for them.
jq '. + { identity: { allowedSigners: "sample/keys/allowed_signers", require: "signed" } }' \
  "$repo_root/eng/sample/release.json" >"$work/release.json"
# The channel's published metadata the stage ring merges the release into (read, never edited).
cp -r "$repo_root/eng/sample/channel" "$work/channel"
cd "$work"
# The passphrase of the sample's test signing key (build-sample.sh made it); release.json names the variable.
export CONTOSO_SAMPLE_SIGNING_PASSPHRASE=contoso-sample-signing

# The people's keys go into an ssh-agent of this script's own (ended when it exits): release asks the agent
# to sign with the key allowed_signers lists for whoever runs it. (--signing-key sample/keys/<name> works too.)
eval "$(ssh-agent -s)" >/dev/null
trap 'ssh-agent -k >/dev/null 2>&1 || true' EXIT
for person in alice bob carol dave erin frank; do
  ssh-add -q "sample/keys/$person" 2>/dev/null
done

# Runs release as a named person: the embedded identity provider reads `git config user.email`.
as() {
  local who="$1"; shift
  GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0="$who" dotnet "$release_dll" "$@"
}

# Each ring's runs, in order, as "ring<TAB>exit code<TAB>seconds" (wall clock of the run alone, decisions excluded).
ring_times=()

# Runs a ring (expect CODE as WHO RING [ARGS]) and checks its documented exit code; keeps the run's wall time.
expect() {
  local code="$1"; shift
  local started=$EPOCHREALTIME
  set +e
  "$@"
  local actual=$?
  set -e
  ring_times+=("$(printf '%s\t%s\t%s' "$3" "$actual" "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')")")
  if [[ "$actual" != "$code" ]]; then
    echo "expected exit $code from: $*; got $actual" >&2
    exit 1
  fi
}

step "registering the sample in the local BAR"
for channel in "Contoso Sample Builds" "Source Validation" "Candidate Validation" "Release Staging" "Publish Release" "Contoso Sample Released"; do
  as alice@contoso.com bar add-channel "$channel" >/dev/null
done
core_id=$(as alice@contoso.com bar add-build sample/bar/sample-core.build.json)
sed "s/@CORE_BUILD_ID@/$core_id/" sample/bar/sample-app.build.json.in > sample/bar/sample-app.build.json
app_id=$(as alice@contoso.com bar add-build sample/bar/sample-app.build.json)
as alice@contoso.com bar add-to-channel --build "$core_id" --channel "Contoso Sample Builds"
as alice@contoso.com bar add-to-channel --build "$app_id" --channel "Contoso Sample Builds"
as alice@contoso.com bar get-build "$app_id"

if [[ "$variant" == broken ]]; then
  # The broken sample fails what it was built to fail (eng/sample/README.md); dave, the other release manager,
  # overrides each failure with a justification, so the run shows the overrides and still reaches publish.
  step "prep (alice runs it; Contoso.Sample.Core at two versions fails the versions gate)"
  expect 1 as alice@contoso.com prep --build "$app_id"
  as dave@contoso.com override prep --gate versions --justification "0.9.0 is the servicing build of the old major"
  as bob@contoso.com approve prep --gate release-team --comment "drop looks complete"
  expect 0 as alice@contoso.com prep

  step "validate-source (the credential planted in sample-app fails its SDL leg)"
  expect 1 as alice@contoso.com validate-source
  as dave@contoso.com override validate-source --step sdl --justification "the key in appsettings.json opens nothing"
  expect 0 as alice@contoso.com validate-source

  step "validate-build (four validation steps fail; sign-offs and Tactics pending)"
  expect 1 as alice@contoso.com validate-build
  for failed in signing packages symbols sourcelink; do
    as dave@contoso.com override validate-build --step "$failed" --justification "known findings of the broken sample, shipped to try the later rings"
  done
else
  step "prep (alice runs it; the Release Team approval is pending)"
  expect 3 as alice@contoso.com prep --build "$app_id"
  step "bob approves for the Release Team"
  as bob@contoso.com approve prep --gate release-team --comment "drop looks complete"
  step "prep again: promoted"
  expect 0 as alice@contoso.com prep

  step "validate-source"
  expect 0 as alice@contoso.com validate-source

  step "validate-build (sign-offs and Tactics pending)"
  expect 3 as alice@contoso.com validate-build
fi
as carol@contoso.com approve validate-build --gate team-sign-offs --comment "runtime signs off"
as dave@contoso.com approve validate-build --gate team-sign-offs --comment "sdk signs off"
as erin@contoso.com approve validate-build --gate tactics
expect 0 as alice@contoso.com validate-build

step "stage (Tactics pending)"
stage_started=$SECONDS
expect 3 as alice@contoso.com stage
stage_seconds=$((SECONDS - stage_started))
as frank@contoso.com approve stage --gate tactics
expect 0 as alice@contoso.com stage

step "publish"
publish_started=$SECONDS
expect 0 as alice@contoso.com publish
publish_seconds=$((SECONDS - publish_started))

step "status (every decision and run shows who signed it, with the key's fingerprint)"
as alice@contoso.com status --verify
as alice@contoso.com bar get-build "$app_id" | grep -q "Contoso Sample Released"
for id in "$app_id" "$core_id"; do
  as alice@contoso.com bar get-build "$id" --output json | grep -q '"released": *true' || { echo "BAR does not mark build $id released" >&2; exit 1; }
done
echo
echo "The sample release went through all five rings: build $app_id (and its dependency $core_id) is in 'Contoso Sample Released',"
echo "and BAR marks both builds released: every publish step published once, read back what it published and validated it."
echo
echo "The publish ring ran in ${publish_seconds}s and published, laid out like the blob container (also the CDN base, as a file: URL),"
echo "into $work/published/blob:"
(cd "$work/published/blob" && find . -type f | sort | sed 's|^\./||' | while read -r f; do printf '  %10d  %s\n' "$(stat -c %s "$f")" "$f"; done)
echo "the symbol store, in SSQP layout (name.pdb/<key>/name.pdb), into $work/published/symbols:"
(cd "$work/published/symbols" && find . -type f | sort | sed 's|^\./||' | while read -r f; do printf '  %10d  %s\n' "$(stat -c %s "$f")" "$f"; done)
echo "the shipping packages and their symbol packages into the local NuGet folder feed $work/published/nuget"
echo "(dotnet restore can use it as a source):"
(cd "$work/published/nuget" && find . -type f \( -name '*.nupkg' -o -name '*.snupkg' \) | sort | sed 's|^\./|  |')
echo "and the tag v1.0.0 on each repository's bare remote in $work/sample/remotes:"
for remote in "$work"/sample/remotes/*.git; do
  printf '  %s: %s\n' "$(basename "$remote")" "$(git -C "$remote" rev-parse --verify --quiet 'refs/tags/v1.0.0^{commit}')"
done
staged=$(find "$work/.release/contoso-sample-1.0.0/artifacts" -type d -name stage | head -n 1)
echo
echo "The stage ring ran its steps in ${stage_seconds}s and made these files (in $staged):"
(cd "$staged" && find . -type f | sort | sed 's|^\./||' | while read -r f; do printf '  %10d  %s\n' "$(stat -c %s "$f")" "$f"; done)
# What a user does with the downloads: the published folder checked against the published checksums file.
(cd "$work/published/blob/sample/1.0.0" && sha512sum -c --ignore-missing 1.0.0-sha.txt)
echo
echo "Ring runs (wall clock of each run of a ring verb, on this machine; approvals and sign-offs between them not counted):"
for row in "${ring_times[@]}"; do
  IFS=$'\t' read -r ring code seconds <<<"$row"
  printf '  %-16s exit %s  %6ss\n' "$ring" "$code" "$seconds"
done
echo "Release folder: $work   (try: cd $work && dotnet $release_dll status --output json)"
