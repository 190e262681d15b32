#!/usr/bin/env bash
# Builds the "sample product" that the release tool's tests and demos run
# against: two real git repositories (sample-core, sample-app), their signed
# NuGet packages, symbol packages and archives, a test code-signing
# certificate, and build records in Maestro's BuildData shape.
#
#   eng/sample/build-sample.sh OUT_DIR [--variant good|broken]
#
# OUT_DIR is wiped and recreated. See eng/sample/README.md for the layout.
set -euo pipefail

readonly SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
readonly SAMPLE_SRC="$SCRIPT_DIR/src"

# Fixed facts about the sample product.
readonly CORE_ID=Contoso.Sample.Core
readonly APP_ID=Contoso.Sample.App
readonly VERSION=1.0.0            # both packages; must match the csproj files
readonly BROKEN_CORE_VERSION=0.9.0 # the second core version shipped by --variant broken
readonly TFM=net10.0
readonly PFX_PASSWORD=sample
# The stage ring's test signing key; eng/run-sample-release.sh and the integration tests export the
# same passphrase in CONTOSO_SAMPLE_SIGNING_PASSPHRASE, which release.json names.
readonly SIGNING_PASSPHRASE=contoso-sample-signing
readonly SIGNING_USER="Contoso Sample Release Signing <release-signing@contoso.example>"
readonly ARCHIVE_BASE=contoso-sample-app-$VERSION

usage() {
  cat <<'EOF'
usage: build-sample.sh OUT_DIR [--variant good|broken]

Builds the two-repository Contoso sample product into OUT_DIR (wiped first).
  --variant good    (default) a coherent product
  --variant broken  sample-app also ships Contoso.Sample.Core 0.9.0, so the
                    product contains one package id at two versions; BAR
                    records a later sample-core commit than the packages and
                    PDB were built from; the win-x64 zip holds an unsigned
                    Contoso.Sample.App.dll; the app's symbol package is not
                    shipped; sample-app commits a (fake) storage account
                    key in src/Contoso.Sample.App/appsettings.json line 3
EOF
}

die() { echo "build-sample: error: $*" >&2; exit 1; }

STARTED=$SECONDS
stage() { printf '[%3ds] %s\n' "$((SECONDS - STARTED))" "$*"; }

# ---------------------------------------------------------------- arguments
OUT_ARG=""
VARIANT=good
while [[ $# -gt 0 ]]; do
  case $1 in
    --variant)   [[ $# -ge 2 ]] || die "--variant needs a value (good or broken)"; VARIANT=$2; shift 2 ;;
    --variant=*) VARIANT=${1#*=}; shift ;;
    -h|--help)   usage; exit 0 ;;
    -*)          usage >&2; die "unknown option '$1'" ;;
    *)           [[ -z $OUT_ARG ]] || die "only one OUT_DIR may be given"; OUT_ARG=$1; shift ;;
  esac
done
[[ -n $OUT_ARG ]] || { usage >&2; exit 2; }
case $VARIANT in good|broken) ;; *) die "unknown variant '$VARIANT' (expected good or broken)" ;; esac

# ------------------------------------------------------------ prerequisites
need() { # need COMMAND DEBIAN-PACKAGE [WHAT]
  command -v "$1" >/dev/null 2>&1 \
    || die "'$1' was not found on PATH; install ${3:-it} (Debian/Ubuntu: apt-get install $2)"
}
need dotnet       dotnet-sdk-10.0 "the .NET 10 SDK"
need git          git
need openssl      openssl
need osslsigncode osslsigncode
need zip          zip
need unzip        unzip
need tar          tar
need gzip         gzip
need jq           jq
need gpg          gnupg
need ssh-keygen   openssh-client
[[ -d $SAMPLE_SRC/sample-core && -d $SAMPLE_SRC/sample-app ]] || die "sample sources not found under $SAMPLE_SRC"

# ------------------------------------------------------------------ OUT_DIR
OUT=$(realpath -m -- "$OUT_ARG")
readonly OUT
# OUT is wiped below, so refuse anything that would take the sources with it.
if [[ $OUT == / || $OUT == "${HOME:-/nonexistent}" || $SCRIPT_DIR == "$OUT" || $SCRIPT_DIR == "$OUT"/* || $OUT == "$SAMPLE_SRC"/* ]]; then
  die "refusing to use '$OUT' as OUT_DIR (it is /, \$HOME, or contains or lies inside the sample sources)"
fi
# The path goes verbatim into a nuget.config (XML).
case $OUT in *[\&\<\>\"]*) die "OUT_DIR path must not contain any of: & < > \"" ;; esac
mkdir -p -- "$OUT"
find "$OUT" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +

readonly REPOS=$OUT/repos
readonly CERTS=$OUT/certs
readonly FEEDS=$OUT/feeds
readonly CONTAINERS=$OUT/containers
readonly BAR=$OUT/bar
readonly WORK=$OUT/work # scratch space: CA database, pack output, logs
readonly LOGS=$WORK/logs
mkdir -p "$REPOS" "$CERTS" "$FEEDS/sample-core" "$FEEDS/sample-app" "$BAR" "$LOGS" \
  "$CONTAINERS/sample-core/assets/symbols" \
  "$CONTAINERS/sample-app/assets/symbols" \
  "$CONTAINERS/sample-app/assets/contoso-sample-app/$VERSION"
# Every path below is absolute. Working from OUT_DIR means that a global.json
# or nuget.config near the caller's directory plays no part.
cd "$WORK"

# -------------------------------------------------------------- environment
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# No certificate revocation lookups: the test certificates have no CRL and the
# machine may have no network beyond package registries.
export NUGET_CERT_REVOCATION_MODE=offline
# MSBuild turns environment variables into properties; these would change
# what gets built or packed.
unset Configuration Platform TargetFramework RuntimeIdentifier \
      Version VersionPrefix VersionSuffix PackageVersion 2>/dev/null || true
# Keep git away from the user's and the system's configuration (hooks,
# signing, autocrlf, templates...) so commit shas depend only on the sources.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Contoso Build" GIT_AUTHOR_EMAIL="build@contoso.com"
export GIT_COMMITTER_NAME="Contoso Build" GIT_COMMITTER_EMAIL="build@contoso.com"

sdk_version=$(dotnet --version 2>/dev/null) || die "'dotnet --version' failed; is the .NET 10 SDK installed?"
[[ ${sdk_version%%.*} =~ ^[0-9]+$ && ${sdk_version%%.*} -ge 10 ]] \
  || die "the .NET SDK is $sdk_version; the sample needs the .NET 10 SDK or later (Debian/Ubuntu package: dotnet-sdk-10.0)"

# Runs a command with its output in a log file; on failure shows the log's tail.
run() { # run LOGNAME COMMAND...
  local log="$LOGS/$1.log"; shift
  if ! "$@" >"$log" 2>&1; then
    echo "build-sample: error: command failed: $*" >&2
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

# Common switches for every dotnet command that runs MSBuild: quiet, no
# lingering build-server processes, no *.rsp files from folders above.
readonly DOTNET_MSBUILD_ARGS=(-nologo -v q --disable-build-servers -noAutoResponse)

git_() {
  git -c init.defaultBranch=main -c commit.gpgsign=false -c tag.gpgsign=false \
      -c core.autocrlf=false -c user.name="$GIT_AUTHOR_NAME" -c user.email="$GIT_AUTHOR_EMAIL" "$@"
}
commit_at() { # commit_at ISO-DATE MESSAGE   (fixed dates => deterministic shas)
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git_ commit --quiet --no-verify -m "$2"
}

# ------------------------------------------------------------- certificates
stage "certificates: test root CA and code-signing leaf in $CERTS"
CA_DIR=$WORK/ca
mkdir -p "$CA_DIR/newcerts"
: >"$CA_DIR/index.txt"
openssl rand -hex 16 >"$CA_DIR/serial" # random serials: a new key pair every run
# 'openssl ca' rather than 'openssl x509 -req': OpenSSL 3.0 can only set a
# start date other than "now" through 'ca'.
cat >"$CA_DIR/ca.cnf" <<EOF
[ ca ]
default_ca = sample_ca
[ sample_ca ]
database        = $CA_DIR/index.txt
serial          = $CA_DIR/serial
new_certs_dir   = $CA_DIR/newcerts
default_md      = sha256
policy          = policy_cn
unique_subject  = no
copy_extensions = none
email_in_dn     = no
[ policy_cn ]
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
[ root_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ leaf_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = codeSigning
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer
EOF
not_before=$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)
root_not_after=$(date -u -d '20 years' +%Y%m%d%H%M%SZ)
leaf_not_after=$(date -u -d '10 years' +%Y%m%d%H%M%SZ)
openssl_ca() { openssl ca -batch -notext -config "$CA_DIR/ca.cnf" -startdate "$not_before" "$@"; }

run openssl-root-key openssl genrsa -out "$CA_DIR/root.key" 3072
run openssl-root-csr openssl req -new -config "$CA_DIR/ca.cnf" -key "$CA_DIR/root.key" \
  -subj "/CN=Contoso Test Root CA" -out "$CA_DIR/root.csr"
run openssl-root-cert openssl_ca -selfsign -keyfile "$CA_DIR/root.key" -in "$CA_DIR/root.csr" \
  -enddate "$root_not_after" -extensions root_ext -out "$CERTS/root.pem"
run openssl-leaf-key openssl genrsa -out "$CA_DIR/leaf.key" 2048
run openssl-leaf-csr openssl req -new -config "$CA_DIR/ca.cnf" -key "$CA_DIR/leaf.key" \
  -subj "/CN=Contoso Test Code Signing" -out "$CA_DIR/leaf.csr"
run openssl-leaf-cert openssl_ca -cert "$CERTS/root.pem" -keyfile "$CA_DIR/root.key" -in "$CA_DIR/leaf.csr" \
  -enddate "$leaf_not_after" -extensions leaf_ext -out "$CERTS/leaf.pem"
run openssl-root-der openssl x509 -in "$CERTS/root.pem" -outform DER -out "$CERTS/root.cer"
run openssl-pfx openssl pkcs12 -export -inkey "$CA_DIR/leaf.key" -in "$CERTS/leaf.pem" -certfile "$CERTS/root.pem" \
  -name "Contoso Test Code Signing" -passout "pass:$PFX_PASSWORD" -out "$CERTS/leaf.pfx"
run openssl-verify-leaf openssl verify -CAfile "$CERTS/root.pem" -purpose any "$CERTS/leaf.pem"

fingerprint() { # fingerprint DIGEST PEM  -> uppercase hex without colons
  openssl x509 -in "$2" -noout -fingerprint "-$1" | sed 's/^[^=]*=//; s/://g' | tr '[:lower:]' '[:upper:]'
}
ROOT_SHA256=$(fingerprint sha256 "$CERTS/root.pem")
LEAF_SHA256=$(fingerprint sha256 "$CERTS/leaf.pem")
jq -n --arg root "$ROOT_SHA256" --arg leaf "$LEAF_SHA256" '{
  root: { subject: "CN=Contoso Test Root CA",      sha256: $root },
  leaf: { subject: "CN=Contoso Test Code Signing", sha256: $leaf }
}' >"$CERTS/fingerprints.json"

# 'dotnet nuget sign' builds the signer's chain without looking at the other
# certificates in the PFX, and on Linux only trusts the SDK's own root bundle,
# so the chain would stop at the leaf (NU3018 PartialChain). It does look in
# .NET's per-user intermediate store, so a private HOME gets the test root
# there; --allow-untrusted-root then accepts that the root is not trusted.
SIGN_HOME=$WORK/nuget-sign-home
root_sha1=$(fingerprint sha1 "$CERTS/root.pem")
mkdir -p "$SIGN_HOME/.dotnet/corefx/cryptography/x509stores/ca"
run openssl-ca-store openssl pkcs12 -export -nokeys -in "$CERTS/root.pem" -passout pass: \
  -out "$SIGN_HOME/.dotnet/corefx/cryptography/x509stores/ca/$root_sha1.pfx"
sign_help=$(dotnet nuget sign --help 2>&1 || true)
[[ $sign_help == *--allow-untrusted-root* ]] \
  || die "this .NET SDK's 'dotnet nuget sign' has no --allow-untrusted-root option; use a newer .NET 10 SDK"

# ------------------------------------------------------------------ helpers
# make_repo NAME INITIAL-DATE SOURCES-DATE MESSAGE: copies the sample sources
# into $REPOS/NAME and commits them in two steps, then adds the GitHub remote.
make_repo() {
  local name=$1 date1=$2 date2=$3 message=$4 dir="$REPOS/$1"
  mkdir -p "$dir"
  # tar rather than cp so that bin/ and obj/ from an in-place build stay behind.
  tar -C "$SAMPLE_SRC/$name" --exclude=bin --exclude=obj -cf - . | tar -C "$dir" -xf -
  find "$dir" -type d -exec chmod 0755 {} + && find "$dir" -type f -exec chmod 0644 {} +
  # Each repository stops MSBuild's search for Directory.Build.* and
  # Directory.Packages.props at its own root, wherever OUT_DIR is.
  cat >"$dir/Directory.Build.props" <<'EOF'
<Project>
  <!-- Keeps this repository's build independent of any folder above it. -->
  <PropertyGroup>
    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
  </PropertyGroup>
</Project>
EOF
  echo '<Project />' >"$dir/Directory.Build.targets"
  (
    cd "$dir"
    git_ init --quiet -b main
    git_ add README.md .gitignore Directory.Build.props Directory.Build.targets
    commit_at "$date1" "Initial commit"
    git_ add --all
    commit_at "$date2" "$message"
    git_ remote add origin "https://github.com/contoso/$name"
  )
}

# authenticode_sign FILE: signs a DLL or PowerShell script in place with the test leaf certificate.
authenticode_sign() {
  local dll=$1
  run "osslsigncode-sign-$(basename "$dll")" osslsigncode sign -pkcs12 "$CERTS/leaf.pfx" -pass "$PFX_PASSWORD" \
    -h sha256 -n "Contoso Sample" -in "$dll" -out "$dll.signed"
  mv -f -- "$dll.signed" "$dll"
}

# check_authenticode FILE LABEL: fails unless FILE has a valid signature chaining to the test root.
check_authenticode() {
  local log="$LOGS/osslsigncode-verify-$2.log"
  osslsigncode verify -CAfile "$CERTS/root.pem" -TSA-CAfile "$CERTS/root.pem" -in "$1" >"$log" 2>&1 \
    && grep -q 'Signature verification: ok' "$log" \
    || { tail -n 20 "$log" >&2; die "Authenticode signature of $2 does not verify against the test root (see $log)"; }
}

# nuget_sign NUPKG: author-signs in place, no timestamp (no network).
nuget_sign() {
  local pkg=$1 label; label=$(basename "$1" .nupkg)
  HOME=$SIGN_HOME run "nuget-sign-$label" dotnet nuget sign "$pkg" \
    --certificate-path "$CERTS/leaf.pfx" --certificate-password "$PFX_PASSWORD" \
    --overwrite --allow-untrusted-root
}

# check_package NUPKG REPO COMMIT DLL-NAME: checks signature, nuspec repository
# element and the Authenticode signature of the DLL inside.
check_package() {
  local pkg=$1 repo=$2 commit=$3 dll=$4 label; label=$(basename "$1" .nupkg)
  local url="https://github.com/contoso/$repo"
  # (Output is captured before grep throughout: 'producer | grep -q' can fail
  # under pipefail when grep exits early and the producer gets SIGPIPE.)
  local entries; entries=$(unzip -Z1 "$pkg")
  grep -qx '.signature.p7s' <<<"$entries" || die "$pkg has no .signature.p7s (not signed)"
  # The package signature is a CMS signature over the package hash; check it
  # cryptographically and against the test root, independent of NuGet's trust.
  unzip -p "$pkg" .signature.p7s >"$WORK/$label.p7s"
  openssl cms -verify -inform DER -binary -purpose any -CAfile "$CERTS/root.pem" \
    -in "$WORK/$label.p7s" -out /dev/null >"$LOGS/cms-verify-$label.log" 2>&1 \
    || die "the package signature of $pkg does not verify against the test root (see $LOGS/cms-verify-$label.log)"
  # 'dotnet nuget verify' is expected to fail here (NU3018: the test root is
  # not in the SDK's trusted bundle); it must still see our author signature.
  local vlog="$LOGS/nuget-verify-$label.log"
  dotnet nuget verify --all "$pkg" >"$vlog" 2>&1 || true
  grep -q 'Signature type: Author' "$vlog" && grep -q "SHA256 hash: $LEAF_SHA256" "$vlog" \
    || die "'dotnet nuget verify' does not report an author signature by the test leaf on $pkg (see $vlog)"
  local nuspec; nuspec=$(unzip -p "$pkg" "*.nuspec")
  grep -Eq "<repository type=\"git\" url=\"$url\"[^>]* commit=\"$commit\"" <<<"$nuspec" \
    || die "the nuspec in $pkg lacks <repository type=\"git\" url=\"$url\" commit=\"$commit\">"
  unzip -p "$pkg" "lib/$TFM/$dll" >"$WORK/$label-$dll"
  check_authenticode "$WORK/$label-$dll" "$label-$dll"
}

# check_symbols SNUPKG REPO COMMIT PDB-NAME: the PDB's SourceLink must point at the commit.
check_symbols() {
  local want="https://raw.githubusercontent.com/contoso/$2/$3/*"
  local pdb; pdb="$WORK/$(basename "$1").pdb"
  unzip -p "$1" "lib/$TFM/$4" >"$pdb"
  grep -aqF "$want" "$pdb" \
    || die "the PDB in $1 has no SourceLink entry for $want"
}

# Asset records for the build JSON files.
nuget_asset()     { jq -n --arg n "$1" --arg v "$2" --arg l "$3" '{name: $n, version: $v, nonShipping: false, locations: [{location: $l, type: "nugetFeed"}]}'; }
container_asset() { jq -n --arg n "$1" --arg v "$2" --arg l "$3" '{name: $n, version: $v, nonShipping: false, locations: [{location: $l, type: "container"}]}'; }

# build_record REPO COMMIT BUILD-NUMBER BUILD-ID DEFINITION-ID ASSETS-JSON DEPENDENCIES-JSON
build_record() {
  jq -n --arg repo "$1" --arg commit "$2" --arg number "$3" \
        --argjson id "$4" --argjson definition "$5" --argjson assets "$6" --argjson deps "$7" '{
    commit: $commit,
    azureDevOpsAccount: "contoso",
    azureDevOpsProject: "internal",
    azureDevOpsBuildNumber: $number,
    azureDevOpsBuildId: $id,
    azureDevOpsBuildDefinitionId: $definition,
    azureDevOpsRepository: ("https://dev.azure.com/contoso/internal/_git/" + $repo),
    azureDevOpsBranch: "refs/heads/main",
    gitHubRepository: ("https://github.com/contoso/" + $repo),
    gitHubBranch: "main",
    released: false,
    stable: true,
    assets: $assets,
    dependencies: $deps,
    incoherencies: []
  }'
}

# check_assets JSON: every asset of a build record must exist on disk.
check_assets() {
  local type location name version file
  while IFS=$'\t' read -r type location name version; do
    case $type in
      nugetFeed) file="$location/$name.$version.nupkg" ;;
      container) file="$location/$name" ;;
      *) die "unexpected asset location type '$type' in $1" ;;
    esac
    [[ -f $file ]] || die "$1 lists $name $version, but $file does not exist"
  done < <(jq -r '.assets[] | .name as $n | .version as $v | .locations[] | [.type, .location, $n, $v] | @tsv' "$1")
}

# ---------------------------------------------------------------- sample-core
stage "sample-core: git repository"
make_repo sample-core 2026-11-20T09:00:00Z 2026-11-21T09:00:00Z "Add Contoso.Sample.Core $VERSION"
CORE_DIR=$REPOS/sample-core
CORE_PROJ=$CORE_DIR/src/$CORE_ID/$CORE_ID.csproj
CORE_COMMIT=$(git -C "$CORE_DIR" rev-parse HEAD)

# Explicit NuGet configuration, so that the user's nuget.config files do not matter.
cat >"$WORK/nuget.core.config" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
EOF

stage "sample-core: restore and build ($CORE_COMMIT)"
run core-restore dotnet restore "$CORE_PROJ" --configfile "$WORK/nuget.core.config" -p:NuGetAudit=false "${DOTNET_MSBUILD_ARGS[@]}"
run core-build dotnet build "$CORE_PROJ" -c Release --no-restore "${DOTNET_MSBUILD_ARGS[@]}"

stage "sample-core: Authenticode-sign $CORE_ID.dll and tools/init.ps1"
# pack --no-build takes the DLL from bin/; the obj/ copy is updated too so
# both copies agree.
CORE_DLL=$CORE_DIR/src/$CORE_ID/bin/Release/$TFM/$CORE_ID.dll
authenticode_sign "$CORE_DLL"
cp -f -- "$CORE_DLL" "$CORE_DIR/src/$CORE_ID/obj/Release/$TFM/$CORE_ID.dll"
check_authenticode "$CORE_DLL" "$CORE_ID.dll"
# The package's PowerShell script is signed in the working tree (after the commit, as a signing step would).
CORE_SCRIPT=$CORE_DIR/tools/init.ps1
authenticode_sign "$CORE_SCRIPT"
check_authenticode "$CORE_SCRIPT" init.ps1

stage "sample-core: pack and sign $CORE_ID.$VERSION.nupkg"
run core-pack dotnet pack "$CORE_PROJ" -c Release --no-build -o "$WORK/pack/sample-core" "${DOTNET_MSBUILD_ARGS[@]}"
CORE_NUPKG=$FEEDS/sample-core/$CORE_ID.$VERSION.nupkg
CORE_SNUPKG=$CONTAINERS/sample-core/assets/symbols/$CORE_ID.$VERSION.snupkg
cp -- "$WORK/pack/sample-core/$CORE_ID.$VERSION.nupkg" "$CORE_NUPKG"
cp -- "$WORK/pack/sample-core/$CORE_ID.$VERSION.snupkg" "$CORE_SNUPKG" # symbol packages stay unsigned
nuget_sign "$CORE_NUPKG"

stage "sample-core: verify package, signatures and SourceLink"
check_package "$CORE_NUPKG" sample-core "$CORE_COMMIT" "$CORE_ID.dll"
check_symbols "$CORE_SNUPKG" sample-core "$CORE_COMMIT" "$CORE_ID.pdb"

if [[ $VARIANT == broken ]]; then
  # The same signed build packed again under another version: sample-app will
  # ship it, so the product contains Contoso.Sample.Core at two versions.
  stage "sample-core: pack and sign $CORE_ID.$BROKEN_CORE_VERSION.nupkg (variant broken)"
  run core-pack-broken dotnet pack "$CORE_PROJ" -c Release --no-build -p:PackageVersion="$BROKEN_CORE_VERSION" \
    -o "$WORK/pack/sample-core-$BROKEN_CORE_VERSION" "${DOTNET_MSBUILD_ARGS[@]}"
  BROKEN_NUPKG=$FEEDS/sample-app/$CORE_ID.$BROKEN_CORE_VERSION.nupkg
  cp -- "$WORK/pack/sample-core-$BROKEN_CORE_VERSION/$CORE_ID.$BROKEN_CORE_VERSION.nupkg" "$BROKEN_NUPKG"
  nuget_sign "$BROKEN_NUPKG"
  check_package "$BROKEN_NUPKG" sample-core "$CORE_COMMIT" "$CORE_ID.dll"
fi

if [[ $VARIANT == broken ]]; then
  # A commit after the packages were built: BAR records it, while the nuspecs
  # and the PDB's SourceLink still name the commit they were built from.
  stage "sample-core: a later commit that BAR records (variant broken)"
  printf '\nThis line was committed after the packages were built.\n' >>"$CORE_DIR/README.md"
  git_ -C "$CORE_DIR" add README.md
  (cd "$CORE_DIR" && commit_at 2026-11-21T12:00:00Z "Update README after the 1.0.0 packages were built")
  CORE_BUILT_COMMIT=$CORE_COMMIT
  CORE_COMMIT=$(git -C "$CORE_DIR" rev-parse HEAD)
fi

# ----------------------------------------------------------------- sample-app
stage "sample-app: git repository"
make_repo sample-app 2026-11-22T09:00:00Z 2026-11-23T09:00:00Z "Add Contoso.Sample.App $VERSION on Contoso.Sample.Core $VERSION"
APP_DIR=$REPOS/sample-app
if [[ $VARIANT == broken ]]; then
  # A storage connection string committed by mistake: the key has the shape of
  # an Azure storage account key (64 bytes, base64) but is a hash of a phrase,
  # so it opens nothing. validate-source's credential scan must name this file
  # and line 3.
  stage "sample-app: a storage key committed by mistake (variant broken)"
  fake_key=$(printf '%s' 'contoso sample: not a real storage account key' | openssl dgst -sha512 -binary | base64 -w0)
  [[ ${#fake_key} == 88 && $fake_key == *== ]] || die "the sample's fake storage key is not 88 base64 characters ending in =="
  cat >"$APP_DIR/src/$APP_ID/appsettings.json" <<EOF
{
  "Storage": {
    "ConnectionString": "DefaultEndpointsProtocol=https;AccountName=contososample;AccountKey=$fake_key;EndpointSuffix=core.windows.net"
  }
}
EOF
  git_ -C "$APP_DIR" add "src/$APP_ID/appsettings.json"
  (cd "$APP_DIR" && commit_at 2026-11-23T10:00:00Z "Add the storage settings")
fi
APP_PROJ=$APP_DIR/src/$APP_ID/$APP_ID.csproj
APP_COMMIT=$(git -C "$APP_DIR" rev-parse HEAD)

# Contoso.* comes only from this run's sample-core feed (package source
# mapping), everything else from nuget.org. A private global packages folder
# makes sure no Contoso.Sample.Core extracted by an earlier run is used.
cat >"$WORK/nuget.app.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="sample-core" value="$FEEDS/sample-core" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="sample-core">
      <package pattern="Contoso.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
export NUGET_PACKAGES=$WORK/nuget-packages

stage "sample-app: restore and build ($APP_COMMIT)"
run app-restore dotnet restore "$APP_PROJ" --configfile "$WORK/nuget.app.config" -p:NuGetAudit=false "${DOTNET_MSBUILD_ARGS[@]}"
[[ -d $NUGET_PACKAGES/contoso.sample.core/$VERSION ]] || die "sample-app did not restore Contoso.Sample.Core $VERSION from the local feed"
run app-build dotnet build "$APP_PROJ" -c Release --no-restore "${DOTNET_MSBUILD_ARGS[@]}"

stage "sample-app: Authenticode-sign $APP_ID.dll"
APP_DLL=$APP_DIR/src/$APP_ID/bin/Release/$TFM/$APP_ID.dll
UNSIGNED_APP_DLL=$WORK/unsigned/$APP_ID.dll
mkdir -p "$WORK/unsigned" && cp -- "$APP_DLL" "$UNSIGNED_APP_DLL"
authenticode_sign "$APP_DLL"
cp -f -- "$APP_DLL" "$APP_DIR/src/$APP_ID/obj/Release/$TFM/$APP_ID.dll"
check_authenticode "$APP_DLL" "$APP_ID.dll"

stage "sample-app: pack and sign $APP_ID.$VERSION.nupkg"
run app-pack dotnet pack "$APP_PROJ" -c Release --no-build -o "$WORK/pack/sample-app" "${DOTNET_MSBUILD_ARGS[@]}"
APP_NUPKG=$FEEDS/sample-app/$APP_ID.$VERSION.nupkg
APP_SNUPKG=$CONTAINERS/sample-app/assets/symbols/$APP_ID.$VERSION.snupkg
cp -- "$WORK/pack/sample-app/$APP_ID.$VERSION.nupkg" "$APP_NUPKG"
cp -- "$WORK/pack/sample-app/$APP_ID.$VERSION.snupkg" "$APP_SNUPKG"
nuget_sign "$APP_NUPKG"
unset NUGET_PACKAGES

stage "sample-app: verify package, signatures and SourceLink"
check_package "$APP_NUPKG" sample-app "$APP_COMMIT" "$APP_ID.dll"
check_symbols "$APP_SNUPKG" sample-app "$APP_COMMIT" "$APP_ID.pdb"
app_nuspec=$(unzip -p "$APP_NUPKG" "$APP_ID.nuspec")
grep -q "<dependency id=\"$CORE_ID\" version=\"$VERSION\"" <<<"$app_nuspec" \
  || die "$APP_NUPKG does not depend on $CORE_ID $VERSION"

stage "sample-app: archives $ARCHIVE_BASE-linux-x64.tar.gz and -win-x64.zip"
STAGING=$WORK/archive
ARCHIVE_DIR=$CONTAINERS/sample-app/assets/contoso-sample-app/$VERSION
mkdir -p "$STAGING"
cp -- "$APP_DLL" "$STAGING/$APP_ID.dll"
cat >"$STAGING/README.txt" <<EOF
Contoso Sample App $VERSION
Built from https://github.com/contoso/sample-app at commit $APP_COMMIT.
A test artifact of the release tool's sample product; not a real product.
EOF
# Fixed metadata (times, owners, order, no gzip name/time) keeps the archives
# byte-stable apart from the signed DLL, whose signature differs per run.
archive_epoch=$(git -C "$APP_DIR" log -1 --format=%ct)
chmod 0644 "$STAGING"/*
touch -d "@$archive_epoch" "$STAGING"/*
tar -C "$STAGING" --sort=name --mtime="@$archive_epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf - "$APP_ID.dll" README.txt | gzip -n -9 >"$ARCHIVE_DIR/$ARCHIVE_BASE-linux-x64.tar.gz"
rm -f "$ARCHIVE_DIR/$ARCHIVE_BASE-win-x64.zip"
if [[ $VARIANT == broken ]]; then
  # The zip gets the DLL as built, before signing.
  cp -f -- "$UNSIGNED_APP_DLL" "$STAGING/$APP_ID.dll"
  chmod 0644 "$STAGING/$APP_ID.dll"
  touch -d "@$archive_epoch" "$STAGING/$APP_ID.dll"
fi
(cd "$STAGING" && TZ=UTC zip -X -D -q -9 "$ARCHIVE_DIR/$ARCHIVE_BASE-win-x64.zip" "$APP_ID.dll" README.txt)
[[ $(tar -tzf "$ARCHIVE_DIR/$ARCHIVE_BASE-linux-x64.tar.gz" | sort | tr '\n' ' ') == "$APP_ID.dll README.txt " ]] \
  || die "unexpected content in $ARCHIVE_BASE-linux-x64.tar.gz"
[[ $(unzip -Z1 "$ARCHIVE_DIR/$ARCHIVE_BASE-win-x64.zip" | sort | tr '\n' ' ') == "$APP_ID.dll README.txt " ]] \
  || die "unexpected content in $ARCHIVE_BASE-win-x64.zip"

# ------------------------------------------------------------- build records
stage "bar: build records"
core_assets=$(
  {
    nuget_asset "$CORE_ID" "$VERSION" "$FEEDS/sample-core"
    container_asset "assets/symbols/$CORE_ID.$VERSION.snupkg" "$VERSION" "$CONTAINERS/sample-core"
  } | jq -s .
)
build_record sample-core "$CORE_COMMIT" 20261126.1 1001 17 "$core_assets" '[]' >"$BAR/sample-core.build.json"

app_assets=$(
  {
    nuget_asset "$APP_ID" "$VERSION" "$FEEDS/sample-app"
    if [[ $VARIANT == broken ]]; then
      nuget_asset "$CORE_ID" "$BROKEN_CORE_VERSION" "$FEEDS/sample-app"
    fi
    if [[ $VARIANT != broken ]]; then
      container_asset "assets/symbols/$APP_ID.$VERSION.snupkg" "$VERSION" "$CONTAINERS/sample-app"
    fi
    container_asset "assets/contoso-sample-app/$VERSION/$ARCHIVE_BASE-linux-x64.tar.gz" "$VERSION" "$CONTAINERS/sample-app"
    container_asset "assets/contoso-sample-app/$VERSION/$ARCHIVE_BASE-win-x64.zip" "$VERSION" "$CONTAINERS/sample-app"
  } | jq -s .
)
# The core build's BAR id is only known once it is registered, so the app's
# record is a template: the quoted placeholder jq writes becomes a bare token
# that a later 'sed s/@CORE_BUILD_ID@/<id>/' turns into a JSON number.
app_deps='[{"buildId": "@CORE_BUILD_ID@", "isProduct": true, "timeToInclusionInMinutes": 5}]'
build_record sample-app "$APP_COMMIT" 20261126.2 1002 18 "$app_assets" "$app_deps" \
  | sed 's/"@CORE_BUILD_ID@"/@CORE_BUILD_ID@/' >"$BAR/sample-app.build.json.in"

jq -e '.commit and (.assets | length == 2)' "$BAR/sample-core.build.json" >/dev/null \
  || die "$BAR/sample-core.build.json is not as expected"
check_assets "$BAR/sample-core.build.json"
[[ $(grep -c '@CORE_BUILD_ID@' "$BAR/sample-app.build.json.in") == 1 ]] \
  || die "$BAR/sample-app.build.json.in must contain @CORE_BUILD_ID@ exactly once"
sed 's/@CORE_BUILD_ID@/1/' "$BAR/sample-app.build.json.in" >"$WORK/sample-app.build.json"
jq -e '.dependencies[0].buildId == 1' "$WORK/sample-app.build.json" >/dev/null \
  || die "$BAR/sample-app.build.json.in does not become valid JSON after substitution"
check_assets "$WORK/sample-app.build.json"

# ------------------------------------------------------------- bare remotes
# What the publish ring's git-tags step pushes its tags to: a bare clone of each repository, standing in
# for https://github.com/contoso/<name> (release.json maps one to the other).
stage "remotes: bare clones in $OUT/remotes"
mkdir -p "$OUT/remotes"
for name in sample-core sample-app; do
  run "remote-$name" git_ clone --quiet --bare --no-local "$REPOS/$name" "$OUT/remotes/$name.git"
done

# ------------------------------------------------------------- signing key
# A throwaway OpenPGP key for the stage ring's detached signatures, made anew on every run.
stage "signing: OpenPGP test key in $OUT/signing/gnupg"
readonly GNUPG_HOME=$OUT/signing/gnupg
mkdir -p "$GNUPG_HOME"
chmod 0700 "$OUT/signing" "$GNUPG_HOME"
gpg --homedir "$GNUPG_HOME" --batch --pinentry-mode loopback --passphrase "$SIGNING_PASSPHRASE" \
  --quick-gen-key "$SIGNING_USER" ed25519 sign never >"$LOGS/gpg.log" 2>&1 \
  || die "gpg could not make the signing key; see $LOGS/gpg.log"
SIGNING_FINGERPRINT=$(gpg --homedir "$GNUPG_HOME" --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
gpgconf --homedir "$GNUPG_HOME" --kill gpg-agent 2>/dev/null || true
[[ -n $SIGNING_FINGERPRINT ]] || die "no signing key in $GNUPG_HOME"

# ------------------------------------------------------------- people's keys
# The SSH keys the sample's people sign their decisions and ring runs with, made anew on every run (no
# passphrase: they are test keys), and the allowed_signers file that says whose key is whose. Several key
# types on purpose: the tool verifies ed25519, ECDSA and RSA signatures alike.
stage "people's SSH keys and allowed_signers in $OUT/keys"
readonly KEYS=$OUT/keys
mkdir -p "$KEYS"
chmod 0700 "$KEYS"
: >"$KEYS/allowed_signers"
for person in alice:ed25519 bob:ecdsa-256 carol:ed25519 dave:rsa-3072 erin:ed25519 frank:ecdsa-384; do
  name=${person%%:*}
  type=${person#*:}
  case $type in
    ed25519) args=(-t ed25519) ;;
    *) args=(-t "${type%-*}" -b "${type#*-}") ;;
  esac
  ssh-keygen -q "${args[@]}" -N '' -C "$name@contoso.com" -f "$KEYS/$name" </dev/null \
    || die "ssh-keygen could not make $name's key"
  read -r key_type key_base64 _ <"$KEYS/$name.pub"
  printf '%s namespaces="release:*" %s %s\n' "$name@contoso.com" "$key_type" "$key_base64" >>"$KEYS/allowed_signers"
done

# ---------------------------------------------------------------- sample.env
{
  printf '%s=%q\n' SAMPLE_VARIANT "$VARIANT"
  printf '%s=%q\n' SAMPLE_OUT "$OUT"
  printf '%s=%q\n' SAMPLE_CORE_COMMIT "$CORE_COMMIT"
  printf '%s=%q\n' SAMPLE_CORE_BUILT_COMMIT "${CORE_BUILT_COMMIT:-$CORE_COMMIT}"
  printf '%s=%q\n' SAMPLE_APP_COMMIT "$APP_COMMIT"
  printf '%s=%q\n' SAMPLE_CERT_ROOT_SHA256 "$ROOT_SHA256"
  printf '%s=%q\n' SAMPLE_CERT_LEAF_SHA256 "$LEAF_SHA256"
  printf '%s=%q\n' SAMPLE_SIGNING_FINGERPRINT "$SIGNING_FINGERPRINT"
} >"$OUT/sample.env"

stage "done: variant $VARIANT in $OUT"
echo "  sample-core $CORE_COMMIT"
echo "  sample-app  $APP_COMMIT"
echo "  root $ROOT_SHA256"
echo "  leaf $LEAF_SHA256"
