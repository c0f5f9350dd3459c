#!/usr/bin/env bash
# Query latency under live ingestion: a hub with history for 50 models, then, at the same time,
# the ingest runner at a fixed rate (real-time timestamps) and the query runner (closed-loop
# clients asking one range query grouped by model). Prints both reports and the machine's load.
#
#   loadtest/scripts/query-latency.sh [embedded|clickhouse] [options]
#
# embedded (default): embedded store, default memory windows; pre-fill 24 h of history
#   (--time-spread 24h --models 50, unpaced), then ask "last 24h" at 1 m buckets grouped by model
#   (loadtest/queries/latency-24h-1m-by-model.json): answered from the rollups in memory.
# clickhouse: a ClickHouse server started here; hub with --Hub:Storage:Kind=clickhouse and small
#   memory windows (60 min, 24 h, 1 d) so that most of a 7-day question is answered from the
#   rollups ClickHouse holds; pre-fill 167 h (just under the hub's 7-day limit), then ask
#   "last 7d" at 1 h buckets grouped by model (latency-7d-1h-by-model.json).
#
# Options:
#   --runs N             measured rounds on the same pre-filled hub (default 1); each round runs
#                        every query with every client count below, one after the other
#   --clients N[,N...]   query clients (default 16)
#   --query-seconds S    measured query time per round, after a 5 s warmup (default 30)
#   --rate R             ingest rate while querying, events/s (default 500k; 0 = no ingestion)
#   --query-rate Q       queries/s over all clients (open loop, e.g. 16 clients × 4/s = 64); default 0 =
#                        closed loop (each client asks again as soon as it has its answer: saturation)
#   --prefill-seconds S  pre-fill time (default 60) ...
#   --prefill-rate R     ... at this rate (default 0 = as fast as the hub acks)
#   --cache-entries N    the hub's Hub:Query:CacheEntries (default 1024; 0 turns the result cache off)
#   --query FILE[,FILE]  other query bodies (default: the mode's)
#   --out DIR            keep the reports and logs in DIR (default: a temporary directory, deleted)
#   --keep               keep the temporary directory (data included) and print its path
#   --counters           record the hub's runtime and AnalyticsHub.* meters with dotnet-counters
#                        during each query run (roundN/counters.csv) and print GC pauses, gen2
#                        collections, allocation rate and rollup flush figures from them
#
# Ports are free loopback ports; the hub's data (and ClickHouse's) live under /tmp and are deleted
# on exit, Ctrl-C included. Needs the .NET SDK, curl, jq; clickhouse-server for the second mode.
source "$(dirname "${BASH_SOURCE[0]}")/lib/clickhouse.sh"
set -euo pipefail

# All in a function: bash reads a script as it runs, so an edit during a run would break it.
main() {
cd "$(dirname "$0")/../.."

store=embedded
if [[ ${1:-} == embedded || ${1:-} == clickhouse ]]; then store=$1; shift; fi
runs=1 clients=16 query_seconds=30 query_rate=0 rate=500k prefill_seconds=60 prefill_rate=0 cache=1024 query="" out="" keep="" counters=""
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --query-seconds) query_seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --query-rate) query_rate=$2; shift 2 ;;
    --prefill-seconds) prefill_seconds=$2; shift 2 ;;
    --prefill-rate) prefill_rate=$2; shift 2 ;;
    --cache-entries) cache=$2; shift 2 ;;
    --query) query=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --counters) counters=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters"); shift
      [[ -x $counters ]] || { echo "--counters needs dotnet-counters (dotnet tool install -g dotnet-counters)" >&2; exit 2; } ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

case $store in
  embedded)
    spread=24h range=24h count_range=25h
    query=${query:-loadtest/queries/latency-24h-1m-by-model.json}
    hub_store_args=()
    ;;
  clickhouse)
    spread=167h range=7d count_range=7d
    query=${query:-loadtest/queries/latency-7d-1h-by-model.json}
    hub_store_args=(--Hub:Rollups:HotMinutes=60 --Hub:Rollups:HotHours=24 --Hub:Rollups:HotDays=1)
    ;;
esac

work=$(mktemp -d /tmp/query-latency.XXXXXX)
out=${out:-$work/out}
mkdir -p "$out"
hub_pid="" ch_pid="" runner_pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# shellcheck disable=SC2317 # called by the trap
cleanup() {
  for p in "${runner_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n $hub_pid ]]; then kill "$hub_pid" 2>/dev/null || true; fi
  if [[ -n $ch_pid ]]; then kill "$ch_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [[ -n $keep ]]; then echo "kept $work" >&2; return; fi
  rm -rf "$work"
  [[ $out == "$work"/* ]] || echo "reports and logs in $out" >&2
}
trap cleanup EXIT
fail() { echo "error: $1" >&2; tail -20 "$out/hub.log" >&2 2>/dev/null || true; exit 1; }

# Builds collide with other sessions' builds on the same tree: wait and retry on file locks.
build() {
  for attempt in 1 2 3 4 5 6; do
    if dotnet build -c Release "$1" >"$out/build.log" 2>&1; then return; fi
    if grep -qE 'MSB3021|MSB3026|MSB3027|being used by another process|lock' "$out/build.log" && ((attempt < 6)); then
      echo "build of $1 hit a file lock, retrying in 20 s" >&2; sleep 20
    else
      tail -30 "$out/build.log" >&2; exit 1
    fi
  done
}
echo "building the hub and the load runner" >&2
build src/AnalyticsHub.Server
build loadtest/AnalyticsHub.LoadRunner
# Run private copies: a build in the shared tree during the run would overwrite the assemblies in use.
cp -r src/AnalyticsHub.Server/bin/Release/net10.0 "$work/hub-bin"
cp -r loadtest/AnalyticsHub.LoadRunner/bin/Release/net10.0 "$work/runner-bin"
LR=(dotnet "$work/runner-bin/AnalyticsHub.LoadRunner.dll")

if [[ $store == clickhouse ]]; then
  start_clickhouse "$work/ch"
  hub_store_args+=(--Hub:Storage:Kind=clickhouse "--Hub:ClickHouse:Url=http://127.0.0.1:$ch_http")
fi

grpc=$(free_port) http=$(free_port) metrics=$(free_port)
dotnet "$work/hub-bin/AnalyticsHub.Server.dll" --Hub:DataDir="$work/data" \
  --Hub:Ports:Grpc="$grpc" --Hub:Ports:Http="$http" --Hub:Ports:Metrics="$metrics" --Hub:BindAddress=127.0.0.1 \
  --Hub:Wal:MaxBacklogBytes=60000000000 --Hub:Query:CacheEntries="$cache" "${hub_store_args[@]}" >"$out/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$http/readyz" >/dev/null || fail "the hub did not become ready: $(curl -s "http://127.0.0.1:$http/readyz")"
query_url="http://127.0.0.1:$http/api/v1/query"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine() { echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

# Telemetry events the rollups can answer for over the count range (a little wider than the
# spread): latency and token counts. Every pre-filled telemetry event is there once this reaches
# 70 % of the accepted events (the default mix's telemetry share, exact per batch). At 1 h
# buckets: hour-aligned ranges read the 1 h level (a 7-day count at the 1 m level reads every
# minute row ClickHouse holds and times out). Each poll is a new query (a filter no model
# matches): a cached count is not refreshed when rollups that left memory reach the store after
# the change was logged.
count_metric() {
  curl -s -X POST -H 'content-type: application/json' "$query_url" \
    --data-binary "{\"metric\":\"$1\",\"time_range\":\"last $count_range\",\"filters\":[{\"field\":\"model\",\"op\":\"neq\",\"value\":\"poll-$(date +%s%N)\"}],\"aggregation\":{\"functions\":[\"count\"],\"time_bucket\":\"1h\"}}" |
    jq -r '[.data.series[]?.points[]?.values.count // 0] | add // 0'
}
counted() { local a b; a=$(count_metric llm.request.latency); b=$(count_metric llm.tokens.total); echo $((a + b)); }

echo "store=$store spread=$spread range=$range cache=$cache clients=$clients query-rate=$query_rate queries=$query machine: $(machine)"
echo "== pre-fill: ${prefill_seconds}s, --time-spread $spread --models 50, rate ${prefill_rate} (0 = unpaced)"
"${LR[@]}" --target "http://127.0.0.1:$grpc" --connections 1 --streams 4 --inflight 4 --duration "${prefill_seconds}s" --warmup 0s \
  --rate "$prefill_rate" --time-spread "$spread" --models 50 --plain --report "$out/prefill" >"$out/prefill.out" 2>&1 || fail "pre-fill failed: $(tail -5 "$out/prefill.out")"
grep -E '^rate|^totals|^error|^rejected' "$out/prefill.out"
expected=$(($(jq .totals.accepted "$out/prefill/report.json") * 7 / 10))

echo "== waiting for the rollups to hold the pre-fill: $expected telemetry events in the last $count_range"
start=$(date +%s)
while true; do
  n=$(counted 2>/dev/null || echo 0)
  waited=$(($(date +%s) - start))
  echo "  ${waited}s: $n ($(echo "100 * $n / $expected" | bc -l | xargs printf '%.1f')%)"
  ((n >= expected)) && break
  ((waited < 1800)) || fail "the rollups did not take the pre-fill in 30 min"
  sleep 10
done
echo "pre-fill rolled up $(($(date +%s) - start)) s after it ended; hub memory $(awk '/VmRSS/ {printf "%.1f GB", $2 / 1048576}' "/proc/$hub_pid/status")"

# The rollups hold the pre-fill before the store does: its hundreds of thousands of changed buckets are still being
# written (beside the apply loop). Measure after that, not during it.
echo "== letting the hub settle (the pre-fill's rollup flushes): until under 25% of one core for 5 s, at most 60 s"
hz=$(getconf CLK_TCK)
for _ in $(seq 12); do # at most a minute: the raw-event drainer may keep it busier for longer
  a=$(cpu_ticks "$hub_pid"); sleep 5; b=$(cpu_ticks "$hub_pid")
  pct=$(((b - a) * 100 / (5 * hz)))
  echo "  hub ${pct}% of one core"
  ((pct < 25)) && break
done

rounds=0
IFS=, read -ra queries <<<"$query"
IFS=, read -ra client_counts <<<"$clients"
for run in $(seq "$runs"); do
for q in "${queries[@]}"; do
for c in "${client_counts[@]}"; do
  round="$run-$(basename "$q" .json)-c$c"
  ((rounds++ == 0)) || sleep 10 # let the hub settle between rounds
  echo "== run $run/$runs, $(basename "$q"), $c clients: ingest at $rate events/s (real-time, 50 models) + the query runner for ${query_seconds}s after 5 s warmup"
  ingest_pid=""
  if [[ $rate != 0 ]]; then
    "${LR[@]}" --target "http://127.0.0.1:$grpc" --connections 1 --streams 4 --inflight 8 --rate "$rate" --models 50 \
      --warmup 5s --duration "$((query_seconds + 10))s" --plain --report "$out/round$round/ingest" >"$out/round$round.ingest.out" 2>&1 &
    ingest_pid=$!; runner_pids+=("$ingest_pid")
    sleep 5
  fi
  counters_pid=""
  if [[ -n $counters ]]; then
    mkdir -p "$out/round$round"
    # --duration, not a signal: background jobs of a script ignore SIGINT.
    "$counters" collect -p "$hub_pid" --format csv -o "$out/round$round/counters.csv" --refresh-interval 1 \
      --duration "00:00:$(printf '%02d:%02d' $(((query_seconds + 5) / 60)) $(((query_seconds + 5) % 60)))" \
      --counters System.Runtime,AnalyticsHub.Rollups,AnalyticsHub.Query,AnalyticsHub.Ingest >/dev/null 2>&1 &
    counters_pid=$!; runner_pids+=("$counters_pid")
  fi
  hub_before=$(cpu_ticks "$hub_pid"); ch_before=$( [[ -n $ch_pid ]] && cpu_ticks "$ch_pid" || echo 0 ); t0=$(date +%s.%N)
  "${LR[@]}" --mode query --query-url "$query_url" --query "$q" --clients "$c" --rate "$query_rate" --warmup 5s --duration "${query_seconds}s" \
    --plain --report "$out/round$round/query" >"$out/round$round.query.out" 2>&1 || true
  t1=$(date +%s.%N); hub_after=$(cpu_ticks "$hub_pid"); ch_after=$( [[ -n $ch_pid ]] && cpu_ticks "$ch_pid" || echo 0 )
  load_now=$(machine)
  if [[ -n $counters_pid ]]; then wait "$counters_pid" 2>/dev/null || true; fi
  [[ -n $ingest_pid ]] && { wait "$ingest_pid" || true; }
  echo "-- query runner"
  grep -vE '^\[ *[0-9]+/' "$out/round$round.query.out" | grep -v '^run ' || true
  if [[ -n $ingest_pid ]]; then
    echo "-- ingest runner"
    grep -E '^rate|^ack latency|^totals|^error|^rejected' "$out/round$round.ingest.out" || true
  fi
  echo "-- machine during the query run: $load_now (at its end); hub $(echo "($hub_after - $hub_before) / ($t1 - $t0)" | bc -l | xargs printf '%.0f')% of one core" \
    "$([[ -n $ch_pid ]] && echo ", ClickHouse $(echo "($ch_after - $ch_before) / ($t1 - $t0)" | bc -l | xargs printf '%.0f')% of one core")"
  if [[ -n $counters_pid && -s $out/round$round/counters.csv ]]; then
    # Rates are per second, one row per second: their sum is the run's total.
    awk -F, '
      $3 ~ /^dotnet.gc.pause.time/ {pause += $5; if ($5 > maxp) maxp = $5}
      $3 ~ /^dotnet.gc.collections.*gen2/ {gen2 += $5}
      $3 ~ /^dotnet.gc.heap.total_allocated/ {alloc += $5; n++}
      $3 ~ /^dotnet.gc.last_collection.heap.size.*loh/ {loh = $5}
      $3 ~ /^hub.rollup.flush.duration/ && $3 ~ /Percentile=99/ {if ($5 > flush) flush = $5}
      END {printf "-- hub runtime (dotnet-counters, %d s): GC paused %.1f s in all (worst second %.0f%%), %d gen2 collections, %.0f MB/s allocated, LOH %.0f MB at the last GC; rollup flush p99 up to %.0f ms\n",
           n, pause, maxp * 100, gen2, n ? alloc / n / 1e6 : 0, loh / 1e6, flush}' "$out/round$round/counters.csv"
  fi
done
done
done
}

main "$@"
exit
