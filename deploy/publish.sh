#!/usr/bin/env bash
# Publishes the hub (AnalyticsHub.Server) and its CLI (hubctl) as self-contained single-file
# executables for a bare-metal install: the target machine needs no .NET runtime.
#
#   deploy/publish.sh [OUTPUT_DIR] [RUNTIME_ID]     defaults: artifacts/publish, linux-x64
#
# Then: sudo deploy/install.sh --from OUTPUT_DIR
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/artifacts/publish}
rid=${2:-linux-x64}

mkdir -p "$out"
out=$(cd "$out" && pwd)

# - SelfContained + PublishSingleFile: one executable carrying the runtime and our assemblies.
# - IncludeNativeLibrariesForSelfExtract: SQLite's native library (e_sqlite3) goes into the
#   executable too and is extracted on first start to DOTNET_BUNDLE_EXTRACT_BASE_DIR (the
#   systemd unit points it at /var/cache/analyticshub); without it the .so sits beside the binary.
# - InvariantGlobalization is already on for every project (Directory.Build.props): no ICU needed.
# - DebugType=embedded: stack traces keep file and line numbers without separate .pdb files.
# - Trimming stays off: ASP.NET Core, configuration binding and System.Text.Json reflection are
#   not trim-safe in this code base.
publish() {
  local project=$1
  dotnet publish "$repo/$project" -c Release -r "$rid" --self-contained true -nologo \
    -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:EnableCompressionInSingleFile=false \
    -p:DebugType=embedded \
    -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false \
    -o "$out"
}

publish src/AnalyticsHub.Server
publish src/AnalyticsHub.Cli
printf 'published to %s:\n' "$out"
ls -l "$out"
