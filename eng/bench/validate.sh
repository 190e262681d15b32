#!/usr/bin/env bash
# Benchmarks the Build Validation checks.
#
#   eng/bench/validate.sh [--count N] [--list FILE] [--work DIR] [--skip-sample] [--authenticode-oracle]
#
# The packages are the first N (by path) in the machine's NuGet package folders, so the set
# changes when a restore adds packages; --list FILE (one .nupkg path per line, e.g. the
# packages.list a previous run wrote to its work folder) measures the same set again. The
# run prints the set's digest: figures are comparable only between runs with the same one.
#
# 1. Signing: `release verify --checks signing` against `dotnet nuget verify --all`
#    on the same real .nupkg files (N, default 240, from the machine's NuGet
#    package folders, plus two copies with one byte changed), each in one run.
#    Prints both times, the ratio, and whether every package's verdict agrees. release runs twice:
#    as `dotnet build` leaves it (compiled as it runs) and as eng/publish.sh publishes it
#    (ReadyToRun); their verdicts must be the same.
#    release also checks every file inside the packages (Authenticode of each
#    DLL and PowerShell script); `dotnet nuget verify` checks only the package signature, so only the
#    package-level verdicts are compared, and the content findings are counted
#    separately.
# With --authenticode-oracle, every PE file and PowerShell script inside the real packages is also checked with
#    osslsigncode (a second, independent Authenticode implementation): unsigned, or signed with
#    a digest that matches. Its verdict per file is compared with release's (takes minutes).
# 2. Throughput: `release verify` with every check on the same packages, and
#    `release validate-build` on the sample product's drop: MB/s and peak memory.
#
# Needs: the .NET 10 SDK, jq, GNU time (/usr/bin/time), python3, osslsigncode for
# --authenticode-oracle, and for step 2 what
# eng/sample/build-sample.sh needs. No network: revocation checks are offline.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count=240
list=""
work="$repo_root/artifacts/bench/validate"
skip_sample=false
oracle=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --list) list=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --skip-sample) skip_sample=true; shift ;;
    --authenticode-oracle) oracle=true; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "validate.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
for tool in dotnet jq /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "validate.sh: '$tool' is needed (apt-get install jq time)" >&2; exit 2; }
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_CERT_REVOCATION_MODE=offline
# Read --list first: it may be the packages.list of a previous run in the work folder cleared below.
list_text=""
if [[ -n $list ]]; then
  [[ -f $list ]] || { echo "validate.sh: --list $list does not exist" >&2; exit 2; }
  list_text=$(cat "$list")
fi
rm -rf "$work"
mkdir -p "$work/bin" "$work/tampered"

echo "== building release (Release), and publishing it ReadyToRun (eng/publish.sh)"
dotnet build "$repo_root/src/ReleaseCli/ReleaseCli.csproj" -c Release -nologo -v q -o "$work/bin" >/dev/null
release=(dotnet "$work/bin/release.dll")
"$repo_root/eng/publish.sh" --output "$work/publish" >/dev/null
published=("$work/publish/release")

packages=()
if [[ -n $list ]]; then
  while IFS= read -r file; do
    [[ -z $file ]] && continue
    [[ -f $file ]] || { echo "validate.sh: $list names $file, which does not exist (restore it, or drop the line)" >&2; exit 2; }
    packages+=("$file")
  done <<<"$list_text"
  count=${#packages[@]}
else
  # Real packages as NuGet downloaded them (a .nupkg.metadata beside each), one per id and version.
  declare -A seen=()
  for folder in "${NUGET_PACKAGES:-}" "$HOME/.nuget/packages" /opt/nuget/packages; do
    [[ -n $folder && -d $folder ]] || continue
    while IFS= read -r file; do
      name=$(basename "$file")
      [[ -f $(dirname "$file")/.nupkg.metadata && -z ${seen[$name]:-} ]] || continue
      seen[$name]=1
      packages+=("$file")
    done < <(find "$folder" -name '*.nupkg' | sort)
  done
  if [[ ${#packages[@]} -lt $count ]]; then
    echo "validate.sh: only ${#packages[@]} packages found in the NuGet package folders; need $count (restore more, or pass --count)" >&2
    exit 2
  fi
  packages=("${packages[@]:0:$count}")
fi
printf '%s\n' "${packages[@]}" >"$work/packages.list"
set_digest=$(cat "${packages[@]}" | sha256sum | cut -c1-16)
# Two copies with one byte of the first entry's data changed: both tools must reject them.
for i in 0 1; do
  copy="$work/tampered/tampered$i.$(basename "${packages[$i]}")"
  cp "${packages[$i]}" "$copy"
  python3 - "$copy" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
name_len, extra_len = struct.unpack_from('<HH', data, 26)
data[30 + name_len + extra_len + 2] ^= 1
open(path, 'wb').write(data)
PY
  packages+=("$copy")
done
bytes=$(du -cb "${packages[@]}" | tail -1 | cut -f1)
echo "== ${#packages[@]} packages ($count real + 2 with one byte changed), $((bytes / 1024 / 1024)) MB; set $set_digest (list: $work/packages.list)"

seconds() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }
cpu_seconds() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }
peak_mb() { awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$1"; }

echo "== dotnet nuget verify --all (one run)"
set +e
/usr/bin/time -v -o "$work/nuget.time" dotnet nuget verify --all "${packages[@]}" >"$work/nuget.out" 2>&1
set -e
nuget_seconds=$(seconds "$work/nuget.time")

# Each release run: signing of the packages and every file in them, then package signatures only
# (the files inside left out by an exclusions file: dotnet nuget verify's scope); with the build
# (`dotnet build`, compiled as it runs) and with the ReadyToRun publish.
printf '%s;;bench: package signatures only\n' '*.dll' '*.exe' '*.sys' '*.ocx' '*.ps1' '*.psm1' '*.psd1' >"$work/packages-only.exclusions"
run_release() {
  local name=$1; shift
  local -a tool=("$@")
  echo "== release verify --checks signing ($name, one run)"
  set +e
  /usr/bin/time -v -o "$work/$name.time" "${tool[@]}" verify --checks signing --output json "${packages[@]}" >"$work/$name.json" 2>"$work/$name.err"
  echo "== release verify --checks signing, package signatures only ($name, one run)"
  /usr/bin/time -v -o "$work/$name-packages.time" "${tool[@]}" verify --checks signing --exclusions "$work/packages-only.exclusions" --output json "${packages[@]}" >"$work/$name-packages.json" 2>"$work/$name-packages.err"
  set -e
}
run_release release "${release[@]}"
run_release published "${published[@]}"
release_seconds=$(seconds "$work/release.time")
published_seconds=$(seconds "$work/published.time")

# Verdicts per package, in the order given (dotnet nuget verify reports the packages in that order):
# its "Verifying Id.Version" block fails when it has an "error:" line; release fails a package when a
# SIGN01x finding is on the package itself (findings on files inside it are content findings).
awk '/^Verifying / { if (n) print v; n++; v = "pass" } /^error: NU3/ { v = "fail" } END { if (n) print v }' "$work/nuget.out" >"$work/nuget.verdicts"
verdicts() { jq -r --args '. as $r | $ARGS.positional[] | . as $f | [$r.findings[] | select(.virtualPath == $f and (.ruleId | startswith("SIGN01")))] | if length > 0 then "fail" else "pass" end' "${packages[@]}" <"$1"; }
verdicts "$work/release.json" >"$work/release.verdicts"
for run in release-packages published published-packages; do
  verdicts "$work/$run.json" >"$work/$run.verdicts"
  cmp -s "$work/release.verdicts" "$work/$run.verdicts" || { echo "validate.sh: release's package verdicts differ between runs (release, $run); see $work/$run.json" >&2; exit 1; }
done
if [[ $(wc -l <"$work/nuget.verdicts") -ne ${#packages[@]} ]]; then
  echo "validate.sh: dotnet nuget verify reported $(wc -l <"$work/nuget.verdicts") packages, expected ${#packages[@]}; see $work/nuget.out" >&2
  exit 1
fi
agree=0; disagree=0
while read -r index nuget verdict; do
  if [[ $nuget == "$verdict" ]]; then agree=$((agree + 1)); else disagree=$((disagree + 1)); echo "   differs: ${packages[$index]} release=$verdict nuget=$nuget"; fi
done < <(paste -d' ' <(seq 0 $((${#packages[@]} - 1))) "$work/nuget.verdicts" "$work/release.verdicts")
failed_both=$(paste -d' ' "$work/nuget.verdicts" "$work/release.verdicts" | grep -c '^fail fail$' || true)
content=$(jq '[.findings[] | select(.virtualPath | test("\\.nupkg/"))] | length' "$work/release.json")
content_errors=$(jq '[.findings[] | select((.virtualPath | test("\\.nupkg/")) and .severity == "error")] | length' "$work/release.json")
inner=$(jq '.checks[0].checked' "$work/release.json")

ratio() { awk -v a="$nuget_seconds" -v b="$1" 'BEGIN { printf "%.1fx", a / b }'; }
line() { printf '  %-58s %6.2f s wall  %6.2f s CPU  peak %4s MB  %s\n' "$1" "$(seconds "$2")" "$(cpu_seconds "$2")" "$(peak_mb "$2")" "$3"; }
echo
echo "signing, ${#packages[@]} packages, $((bytes / 1024 / 1024)) MB, set $set_digest:"
line "dotnet nuget verify --all" "$work/nuget.time" ""
line "release verify --checks signing" "$work/release.time" "$(ratio "$release_seconds")  ($inner signatures: the packages and the files in them)"
line "release verify --checks signing, packages only" "$work/release-packages.time" "$(ratio "$(seconds "$work/release-packages.time")")"
line "release (ReadyToRun) verify --checks signing" "$work/published.time" "$(ratio "$published_seconds")"
line "release (ReadyToRun) verify --checks signing, packages only" "$work/published-packages.time" "$(ratio "$(seconds "$work/published-packages.time")")"
echo "  ratios are dotnet nuget verify's time over release's (target: 10x); machine load while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processor(s)"
echo "  package verdicts: $agree agree ($failed_both rejected by both), $disagree differ$([[ $disagree -eq 0 ]] && echo ' — every verdict agrees')"
echo "  findings inside packages (not in dotnet nuget verify's scope): $content ($content_errors errors)"

if [[ $oracle == true ]]; then
  command -v osslsigncode >/dev/null || { echo "validate.sh: --authenticode-oracle needs osslsigncode (apt-get install osslsigncode)" >&2; exit 2; }
  echo
  echo "== Authenticode of every PE file and PowerShell script inside the $count real packages: release against osslsigncode"
  # osslsigncode's verdict per entry: "unsigned", or "digest-ok" / "digest-mismatch" (the image digest
  # it recomputes against the one the signature carries). Chain trust is not compared: osslsigncode
  # trusts the system CA list, release the configured roots.
  mkdir -p "$work/oracle"
  : >"$work/oracle/osslsigncode.tsv"
  for package in "${packages[@]:0:$count}"; do
    rm -rf "$work/oracle/x"
    python3 - "$package" "$work/oracle/x" <<'PY'
import os, sys, zipfile
package, folder = sys.argv[1], sys.argv[2]
os.makedirs(folder)
with zipfile.ZipFile(package) as archive:
    for index, entry in enumerate(archive.infolist()):
        extension = os.path.splitext(entry.filename.lower())[1]
        if extension in ('.dll', '.exe', '.ps1', '.psm1', '.psd1'):
            # osslsigncode tells a script's format by its extension, a PE file's by its content.
            with open(os.path.join(folder, f"{index}{extension}"), 'wb') as out:
                out.write(archive.read(entry))
            with open(os.path.join(folder, f"{index}{extension}.name"), 'w') as out:
                out.write(entry.filename)
PY
    for file in "$work/oracle/x"/*; do
      [[ -f $file && $file != *.name ]] || continue
      report=$(osslsigncode verify -in "$file" 2>&1 || true)
      if grep -q 'No signature found' <<<"$report"; then
        verdict=unsigned
      else
        current=$(awk '/Current message digest/ { print $NF; exit }' <<<"$report")
        calculated=$(awk '/Calculated message digest/ { print $NF; exit }' <<<"$report")
        if [[ -z $current ]]; then verdict=unreadable; elif [[ $current == "$calculated" ]]; then verdict=digest-ok; else verdict=digest-mismatch; fi
      fi
      printf '%s/%s\t%s\n' "$package" "$(cat "$file.name")" "$verdict" >>"$work/oracle/osslsigncode.tsv"
    done
  done
  rm -rf "$work/oracle/x"
  # release's verdict per entry: unsigned (SIGN001), failed (another SIGN0xx error), or verified (no
  # signing error: release lists findings, not passes; its signing count above covers every entry).
  jq -r '[.findings[] | select(.severity == "error" and (.ruleId | startswith("SIGN")))] | map("\(.virtualPath)\t\(.ruleId)") | .[]' "$work/release.json" >"$work/oracle/release-errors.tsv"
  awk -F'\t' 'NR == FNR { rule[$1] = $2; next }
    { mine = ($1 in rule) ? (rule[$1] == "SIGN001" ? "unsigned" : "failed") : "verified"
      theirs = ($2 == "digest-ok") ? "verified" : ($2 == "unsigned" ? "unsigned" : "failed")
      total++; if (mine == theirs) agree++; else print "   differs: " $1 " release=" mine " osslsigncode=" $2 > "/dev/stderr"
      count[theirs]++ }
    END { printf "  %d PE files and scripts: %d signed with a matching digest, %d unsigned, %d other (osslsigncode)\n", total, count["verified"], count["unsigned"], count["failed"]
          printf "  verdicts: %d agree, %d differ%s\n", agree, total - agree, (agree == total ? " — every verdict agrees" : "") }' \
    "$work/oracle/release-errors.tsv" "$work/oracle/osslsigncode.tsv"
fi

echo
echo "== release verify, every check, same packages"
set +e
/usr/bin/time -v -o "$work/all.time" "${release[@]}" verify --output json "${packages[@]}" >"$work/all.json" 2>"$work/all.err"
set -e
all_seconds=$(seconds "$work/all.time")
echo "  $(awk -v b="$bytes" -v s="$all_seconds" 'BEGIN { printf "%.1f MB/s (%.0f MB in %.2f s)", b / 1048576 / s, b / 1048576, s }'), peak $(peak_mb "$work/all.time") MB, $(jq '.entries' "$work/all.json") container entries"

if [[ $skip_sample == true ]]; then
  exit 0
fi

echo
echo "== validate-build on the sample product's drop"
"$repo_root/eng/sample/build-sample.sh" "$work/sample-release/sample" >"$work/sample-build.log" 2>&1
cp "$repo_root/eng/sample/release.json" "$work/sample-release/release.json"
cd "$work/sample-release"
as() { local who=$1; shift; GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0="$who" "${release[@]}" "$@"; }
for channel in "Contoso Sample Builds" "Source Validation" "Candidate Validation" "Release Staging" "Publish Release" "Contoso Sample Released"; do
  as alice@contoso.com bar add-channel "$channel" >/dev/null
done
core_id=$(as alice@contoso.com bar add-build sample/bar/sample-core.build.json)
sed "s/@CORE_BUILD_ID@/$core_id/" sample/bar/sample-app.build.json.in >sample-app.build.json
app_id=$(as alice@contoso.com bar add-build sample-app.build.json)
as alice@contoso.com bar add-to-channel --build "$core_id" --channel "Contoso Sample Builds" >/dev/null
as alice@contoso.com bar add-to-channel --build "$app_id" --channel "Contoso Sample Builds" >/dev/null
as alice@contoso.com prep --build "$app_id" >/dev/null || true
as bob@contoso.com approve prep --gate release-team >/dev/null
as alice@contoso.com prep >/dev/null
as alice@contoso.com validate-source >/dev/null
set +e
/usr/bin/time -v -o "$work/validate-build.time" env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0=alice@contoso.com "${release[@]}" validate-build >"$work/validate-build.out" 2>&1
code=$?
set -e
findings=$(ls .release/contoso-sample-1.0.0/validation/*.findings.json | head -1)
pass_bytes=$(jq '.bytes' "$findings"); pass_seconds=$(jq '.seconds' "$findings")
process_seconds=$(seconds "$work/validate-build.time")
echo "  exit $code (3 = waiting for sign-offs and approval: every validation step succeeded)"
echo "  one pass: $(jq '.files' "$findings") files, $(jq '.entries' "$findings") entries, $pass_bytes bytes in $pass_seconds s: $(awk -v b="$pass_bytes" -v s="$pass_seconds" 'BEGIN { printf "%.2f MB/s", b / 1048576 / s }')"
echo "  the whole validate-build process: $process_seconds s, peak $(peak_mb "$work/validate-build.time") MB"
