#!/usr/bin/env bash
# Runs every test of AnalyticsHub. Installs what the tests need when it is missing (Debian
# packages: the gRPC C-core Python client, protoc, h2load, clickhouse-server, promtool, shellcheck), builds, runs all test projects,
# and ends with one line: "Tests: N passed, M failed". Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }

install_test_dependencies() {
  local missing=()
  /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null || missing+=(python3-grpcio python3-protobuf)
  command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
  command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
  # ClickHouse store tests start their own servers from generated configs (the package's service is not used);
  # the Debian package puts the server in /usr/sbin, which a non-root PATH may lack.
  command -v clickhouse-server >/dev/null 2>&1 || [[ -x /usr/sbin/clickhouse-server ]] || missing+=(clickhouse-server clickhouse-client)
  # PostgreSQL store tests initdb their own cluster into a temp dir (tests/AnalyticsHub.Testing/Stores/PostgresServer.cs).
  [[ -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15)
  # The metrics tests lint the hub's scrape with promtool and run a real Prometheus against it
  # (tests/AnalyticsHub.Server.Tests/Metrics), and promtool checks deploy/'s rules; both come with
  # Debian's prometheus package. deploy/ artefacts are checked with their own tools
  # (tests/deploy/check.sh); systemd-analyze comes with systemd and is used when present.
  { command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  if ((${#missing[@]} == 0)); then
    return
  fi
  log "installing test dependencies: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

summarize() {
  # Sum the counters of every TRX file written by this run.
  local passed=0 failed=0 total=0 skipped=0 files=0 counters p f t n
  for trx in "$results"/*.trx; do
    [[ -e $trx ]] || continue
    files=$((files + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    n=$(grep -c 'outcome="NotExecuted"' "$trx" || true)
    total=$((total + ${t:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  done
  # A test that was counted but neither passed, failed nor explicitly skipped (aborted run,
  # timeout) is a failure. Skipped tests carry their reason in the code and are listed here.
  failed=$((failed + total - passed - failed - skipped))
  if ((skipped > 0)); then echo "Skipped (with a reason in the code): ${skipped}"; fi
  if ((files == 0)); then failed=$((failed + 1)); fi
  echo "Tests: ${passed} passed, ${failed} failed"
  ((failed == 0))
}

install_test_dependencies

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"

log "building"
dotnet build AnalyticsHub.sln -c Release -nologo -clp:ErrorsOnly

status=0
mapfile -t projects < <(dotnet sln AnalyticsHub.sln list | grep -E '^tests/.*Tests\.csproj$')
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  # One TRX per project, named for it; a hung test is killed after 5 minutes (and counted failed)
  # and the whole project after 15, so a hang fails the run instead of stalling CI.
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    -- RunConfiguration.TestSessionTimeout=900000 || status=$?
done

summarize || status=1
exit "$status"
