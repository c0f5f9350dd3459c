#!/usr/bin/env bash
# End-to-end store throughput: load generator → hub (gRPC StreamEvents, durable acks) → WAL →
# drainer → store, counted in the store itself once per second.
#
#   loadtest/scripts/store-e2e.sh KIND [SECONDS] [RATE]
#
# KIND: embedded | clickhouse | postgres. SECONDS of load (default 60). RATE: target events/s
# of the generator (default 0 = as fast as acks allow; the WAL then absorbs what the store cannot
# take, up to its backlog bound). ClickHouse and PostgreSQL are started here, on loopback ports
# in a temporary directory, and removed afterwards. Prints, per second, the rows in the store,
# and at the end: the stored rate over the steady window (median of per-second deltas while the
# generator ran, and the overall rows ÷ seconds until the store caught up), the store's size on
# disk and bytes per event. Needs a Release build (dotnet build -c Release AnalyticsHub.sln).
source "$(dirname "${BASH_SOURCE[0]}")/lib/clickhouse.sh"
set -euo pipefail
cd "$(dirname "$0")/../.."

kind=${1:?usage: store-e2e.sh embedded|clickhouse|postgres [SECONDS] [RATE]}
seconds=${2:-60}
rate=${3:-0}
work=$(mktemp -d /tmp/store-e2e.XXXXXX)
chmod 755 "$work" # the postgres user must reach its data directory inside
hub_pid="" ; ch_pid="" ; pg_dir=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cleanup() {
  [[ -n ${KEEP:-} ]] && { echo "kept $work" >&2; kill $hub_pid $ch_pid 2>/dev/null; return; }
  [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null || true
  [[ -n $ch_pid ]] && kill "$ch_pid" 2>/dev/null || true
  if [[ -n $pg_dir ]]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$1" >&2; tail -20 "$work/hub.log" >&2; [[ -f $work/ch/error.log ]] && tail -5 "$work/ch/error.log" >&2; exit 1; }

store_args=()
exact() { count; }
case $kind in
  embedded)
    # max(rowid): rows are appended and never deleted during a run, and it costs a lookup, not a scan.
    count() { sqlite3 "$work/data/store/events.db" 'select coalesce(max(rowid), 0) from events' 2>/dev/null || echo 0; }
    size() { du -cb "$work/data/store" | tail -1 | cut -f1; }
    ;;
  clickhouse)
    start_clickhouse "$work/ch"
    ch() { curl -sf "http://127.0.0.1:$ch_http/" --data-binary "$1"; }
    count() { ch "SELECT count() FROM analyticshub.events" 2>/dev/null || echo 0; }
    size() { ch "SELECT sum(bytes_on_disk) FROM system.parts WHERE database='analyticshub' AND table='events' AND active"; }
    store_args=(--Hub:Storage:Kind=clickhouse "--Hub:ClickHouse:Url=http://127.0.0.1:$ch_http")
    ;;
  postgres)
    pg_port=$(free_port); pg_dir="$work/pg"
    mkdir -p "$pg_dir" && chown postgres "$pg_dir"
    runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg_dir/data" -A trust -U postgres >/dev/null
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -l "$pg_dir/log" -w \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_wal_size=4GB -c shared_buffers=512MB" start >/dev/null
    psql_() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -At -c "$1"; }
    psql_ "CREATE DATABASE analyticshub" >/dev/null
    # Inserted-row statistics, not count(*): a scan each second would take the CPU being measured.
    count() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d analyticshub -At -c \
      "select coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables where relname like 'events%'" 2>/dev/null || echo 0; }
    size() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d analyticshub -At -c \
      "select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_inherits i on i.inhrelid = c.oid where i.inhparent = 'events'::regclass"; }
    exact() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d analyticshub -At -c "select count(*) from events"; }
    store_args=(--Hub:Storage:Kind=postgres "--Hub:Postgres:ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=analyticshub")
    ;;
  *) echo "unknown store kind: $kind" >&2; exit 2 ;;
esac

grpc=$(free_port); http=$(free_port); metrics=$(free_port)
dotnet src/AnalyticsHub.Server/bin/Release/net10.0/AnalyticsHub.Server.dll --Hub:DataDir="$work/data" \
  --Hub:Ports:Grpc="$grpc" --Hub:Ports:Http="$http" --Hub:Ports:Metrics="$metrics" --Hub:BindAddress=127.0.0.1 \
  --Hub:Wal:MaxBacklogBytes=40000000000 "${store_args[@]}" >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$http/readyz" >/dev/null || fail "the hub did not become ready: $(curl -s "http://127.0.0.1:$http/readyz")"

dotnet loadtest/AnalyticsHub.LoadRunner/bin/Release/net10.0/AnalyticsHub.LoadRunner.dll --target "http://127.0.0.1:$grpc" \
  --connections 1 --streams 4 --inflight 4 --duration "${seconds}s" --warmup 0s --rate "$rate" --plain \
  --report "$work/report" >"$work/runner.out" 2>&1 &
runner=$!

echo "store=$kind seconds=$seconds rate=$rate machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
samples=()
start=$(date +%s.%N); last=0; steady_end=""
while true; do
  sleep 1
  n=$(count); n=${n:-0}
  now=$(date +%s.%N)
  samples+=("$((n - last))")
  printf '%6.1f s  %12d rows  %+10d\n' "$(echo "$now - $start" | bc)" "$n" "$((n - last))"
  if ! kill -0 "$runner" 2>/dev/null && [[ -z $steady_end ]]; then steady_end=${#samples[@]}; fi
  if [[ -n $steady_end ]] && (( n == last )); then
    same=$((${same:-0} + 1)); (( same >= 3 )) && break   # unchanged for 3 s: caught up
  else
    same=0
  fi
  last=$n
done
wait "$runner" || true
acked=$(grep -o '[0-9,]* accepted' "$work/runner.out" | head -1 | tr -d ', accepted')
total=$(exact)
elapsed=$(echo "$(date +%s.%N) - $start - 1 - $same" | bc)
median=$(printf '%s\n' "${samples[@]:2:$((steady_end - 3))}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
bytes=$(size)
echo "acked by the hub: $acked; in the store: $total"
echo "store rows/s while loaded (median of seconds 3..$((steady_end - 1))): $median"
echo "store rows/s overall (rows ÷ seconds until caught up): $(echo "$total / $elapsed" | bc)"
echo "store size: $bytes bytes = $(echo "scale=1; $bytes / $total" | bc) bytes/event"
grep -E '^rate|^ack latency' "$work/runner.out" || true
