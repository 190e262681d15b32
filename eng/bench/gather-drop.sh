#!/usr/bin/env bash
# Benchmark: `release gather-drop` against a baseline of curl (xargs -P, same concurrency) plus
# sha512sum over what curl fetched (curl checks nothing), on one generated drop in Azurite.
# Usage: eng/bench/gather-drop.sh [--files N] [--bytes MIN_BYTES] [--concurrency C] [--work DIR]
# Defaults: 2000 files, at least 2 GiB, the concurrency release picks for this machine.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
files=2000
min_bytes=$((2 * 1024 * 1024 * 1024))
concurrency=""
work="$repo_root/artifacts/bench/gather-drop"
while (( $# > 0 )); do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --bytes) min_bytes="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

azurite="$repo_root/artifacts/tools/node_modules/.bin/azurite-blob"
[[ -x "$azurite" ]] || "$repo_root/eng/install-test-prerequisites.sh"

echo "== building release (Release)"
dotnet build "$repo_root/src/ReleaseCli/ReleaseCli.csproj" -c Release -nologo -v q -o "$repo_root/artifacts/bin/release" >/dev/null
release=(dotnet "$repo_root/artifacts/bin/release/release.dll")
if [[ -z "$concurrency" ]]; then
  # The same default release uses: four per core, from 8 to 32.
  concurrency=$(( $(nproc) * 4 )); (( concurrency < 8 )) && concurrency=8; (( concurrency > 32 )) && concurrency=32
fi

rm -rf "$work"; mkdir -p "$work/azurite"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$azurite" --blobHost 127.0.0.1 --blobPort "$port" --location "$work/azurite" --skipApiVersionCheck --loose --silent --disableTelemetry >"$work/azurite.log" 2>&1 &
azurite_pid=$!
# Azurite may ignore SIGTERM: stop it by its own id, with SIGKILL.
trap 'kill -9 "$azurite_pid" 2>/dev/null || true' EXIT
endpoint="http://127.0.0.1:$port/devstoreaccount1"
for _ in $(seq 1 100); do curl -s -o /dev/null "$endpoint?comp=list" && break; sleep 0.2; done
# Azurite's published development account key (a local emulator only).
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=$endpoint;"

echo "== generating $files blobs (at least $min_bytes bytes) in Azurite"
# Outside the repository, so the seeding program is not bound by its central package management.
seed="$(mktemp -d)"
cp "$repo_root/eng/bench/seed-drop.cs" "$seed/"
(cd "$seed" && dotnet run seed-drop.cs -- "$connection" "$endpoint/bench" "$work/data" "$files" "$min_bytes")
rm -rf "$seed"
"${release[@]}" bar --bar-db "$work/bar.db" add-build "$work/data/build.json" >"$work/build-id"
build_id=$(cat "$work/build-id")

echo "== warming Azurite's cache (untimed: one pass of curl to /dev/null)"
awk '{print $2}' "$work/data/urls.txt" | xargs -P "$concurrency" -n 1 curl -sSf -o /dev/null

echo "== baseline: curl (xargs -P $concurrency) + sha512sum (xargs -P $concurrency)"
start=$(date +%s.%N)
awk -v d="$work/curl-drop/" '{print d $1, $2}' "$work/data/urls.txt" | xargs -P "$concurrency" -n 2 curl -sSf --create-dirs -o
mid=$(date +%s.%N)
(cd "$work/curl-drop" && find . -type f -print0 | xargs -0 -P "$concurrency" -n 100 sha512sum) >"$work/curl.sha512"
end=$(date +%s.%N)
curl_seconds=$(echo "$end - $start" | bc -l); curl_only=$(echo "$mid - $start" | bc -l)

echo "== release gather-drop --max-downloads $concurrency"
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/release.rss" "${release[@]}" gather-drop --bar-db "$work/bar.db" --id "$build_id" --output-dir "$work/release-drop" --max-downloads "$concurrency" --output json >"$work/release.json" 2>"$work/release.log"
end=$(date +%s.%N)
release_seconds=$(echo "$end - $start" | bc -l)
rss_mib=$(( $(cat "$work/release.rss") / 1024 ))

# Both drops must agree: every hash release recorded equals sha512sum of curl's copy.
jq -r '.assets[] | "\(.sha512)  ./\(.path | sub("^shipping/assets/"; ""))"' "$work/release-drop/manifest.json" | sort -k2 >"$work/release.sha512"
sort -k2 "$work/curl.sha512" >"$work/curl.sorted.sha512"
if ! diff -q "$work/release.sha512" "$work/curl.sorted.sha512" >/dev/null; then
  echo "MISMATCH: release's manifest and sha512sum of curl's files differ (see $work)" >&2
  exit 1
fi

count=$(jq '.files' "$work/release.json"); bytes=$(jq '.bytes' "$work/release.json")
printf '\nfiles %s, bytes %s (%.2f GiB), concurrency %s, %s cores\n' "$count" "$bytes" "$(echo "$bytes / 1073741824" | bc -l)" "$concurrency" "$(nproc)"
printf 'curl + sha512sum : %7.2f s  (curl %.2f s + sha512sum %.2f s)  %6.1f MiB/s\n' "$curl_seconds" "$curl_only" "$(echo "$curl_seconds - $curl_only" | bc -l)" "$(echo "$bytes / 1048576 / $curl_seconds" | bc -l)"
printf 'release          : %7.2f s  (SHA-512 while streaming)         %6.1f MiB/s, peak RSS %s MiB\n' "$release_seconds" "$(echo "$bytes / 1048576 / $release_seconds" | bc -l)" "$rss_mib"
printf 'ratio release / (curl + sha512sum): %.2f  (below 1: release is faster)\n' "$(echo "$release_seconds / $curl_seconds" | bc -l)"
