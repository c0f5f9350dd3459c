#!/usr/bin/env bash
# Unary calls per second against grpc.testing.TestService/UnaryCall on the interop test host,
# driven by h2load (Debian nghttp2-client). Loopback only; every run is bounded by -n.
#
#   loadtest/h2load/unary.sh                 # both cases, 3 measured runs each, medians printed
#   loadtest/h2load/unary.sh --case big --runs 5 --clients 4 --streams 8
#   loadtest/h2load/unary.sh --url http://127.0.0.1:50052   # a host you started yourself
#
# What it does:
#   1. encodes two grpc.testing.SimpleRequest bodies with protoc and prefixes each with the
#      5-byte gRPC frame header (flag 0 + big-endian length):
#        big  - payload.body = 150,000 zero bytes, response_size = 10 (stands in for a 1,000-event batch)
#        tiny - no payload,                        response_size = 10
#   2. builds tests/AnalyticsHub.Interop.Server in Release and starts it with
#      `dotnet run -c Release --no-build --project tests/AnalyticsHub.Interop.Server -- --port N`
#      (h2c on 127.0.0.1:N) in its own process group, and waits until the port accepts;
#   3. checks one call per body with nghttp: HTTP 200 and trailer grpc-status 0 (h2load
#      only sees HTTP status codes, and gRPC failures are HTTP 200 with a non-zero grpc-status);
#   4. per case: one warm-up run (JIT tiering, GC heap sizing), then --runs measured runs;
#      each must report all requests succeeded and all 2xx, or the script fails;
#   5. prints req/s, upload MB/s (req/s x request frame bytes / 10^6), h2load's own rate
#      (bytes received, headers included, 1024-based units) and h2load's mean request time,
#      per run, and the median req/s; stops the host.
#
# Options (defaults in brackets):
#   --case big|tiny|all   [all]
#   --runs R              measured runs per case [3]
#   --clients C           h2load -c, connections [4]
#   --streams M           h2load -m, concurrent streams per connection [big: 8, tiny: 32]
#   --big-requests N      h2load -n for the big body [20000]
#   --tiny-requests N     h2load -n for the tiny body [200000]
#   --threads T           h2load -t [1]
#   --warmup N            requests in the uncounted warm-up run [half of the case's -n]
#   --port N              port for the host it starts [a free one]
#   --url URL             use a host already listening there (loopback only); start nothing
#   --no-build            skip `dotnet build` (the Release build must exist)
#   --out DIR             keep request bodies, h2load outputs and the host log in DIR [a temp dir, removed]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
server_project="$repo/tests/AnalyticsHub.Interop.Server"
proto_root="$server_project/Protos"
method_path=/grpc.testing.TestService/UnaryCall

case_sel=all
runs=3
clients=4
streams=
big_n=20000
tiny_n=200000
threads=1
warmup=
port=
url=
build=1
out=

die() { echo "unary.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --case) case_sel=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --big-requests) big_n=$2; shift 2 ;;
    --tiny-requests) tiny_n=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --url) url=${2%/}; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

case "$case_sel" in big|tiny|all) ;; *) die "--case must be big, tiny or all" ;; esac
for n in "$runs" "$clients" "$big_n" "$tiny_n" "$threads" ${warmup:+"$warmup"} ${streams:+"$streams"} ${port:+"$port"}; do
  [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || die "expected a positive integer, got '$n'"
done
if [[ -n "$url" && ! "$url" =~ ^http://(127\.0\.0\.1|localhost|\[::1\]):[0-9]+$ ]]; then
  die "--url must be http://127.0.0.1:PORT (loopback only)"
fi

# --- tools ------------------------------------------------------------------------------------
need() { # need COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "unary.sh: installing $2 for $1" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: apt-get install $2"
}
need h2load nghttp2-client
need nghttp nghttp2-client
need protoc protobuf-compiler
[[ -n "$url" ]] || command -v dotnet >/dev/null 2>&1 || die "dotnet not found"

# --- work dir and cleanup ---------------------------------------------------------------------
if [[ -n "$out" ]]; then
  mkdir -p "$out"
  work=$(cd "$out" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/h2load-unary.XXXXXX")
fi
server_pgid=

stop_server() {
  [[ -n "$server_pgid" ]] || return 0
  local pgid=$server_pgid
  server_pgid=
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.2
  done
  echo "unary.sh: host did not stop on SIGTERM within 10 s, killing process group $pgid" >&2
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  stop_server
  if [[ -z "$out" ]]; then rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- request bodies ---------------------------------------------------------------------------
# frame IN OUT: OUT = flag byte 0 + 4-byte big-endian length of IN + IN
frame() {
  local len prefix
  len=$(stat -c %s "$1")
  prefix=$(printf '\\x00\\x%02x\\x%02x\\x%02x\\x%02x' \
    $(((len >> 24) & 255)) $(((len >> 16) & 255)) $(((len >> 8) & 255)) $((len & 255)))
  printf '%b' "$prefix" >"$2"
  cat "$1" >>"$2"
}

encode() { protoc --encode=grpc.testing.SimpleRequest -I "$proto_root" grpc/testing/messages.proto; }

big_zeros=150000
{
  printf 'response_size: 10\npayload { body: "'
  head -c "$big_zeros" /dev/zero | tr '\0' 'x' | sed 's/x/\\000/g'
  printf '" }\n'
} | encode >"$work/big.pb"
printf 'response_size: 10\n' | encode >"$work/tiny.pb"
frame "$work/big.pb" "$work/big.bin"
frame "$work/tiny.pb" "$work/tiny.bin"

# --- host ---------------------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ -z "$url" ]]; then
  if [[ -z "$port" ]]; then
    for _ in $(seq 1 20); do
      candidate=$((20000 + RANDOM % 30000))
      if ! port_open "$candidate"; then port=$candidate; break; fi
    done
    [[ -n "$port" ]] || die "could not find a free port"
  elif port_open "$port"; then
    die "something already listens on 127.0.0.1:$port; pick another --port, or pass --url to use it"
  fi

  if [[ $build -eq 1 ]]; then
    echo "Building $server_project (Release)..."
    dotnet build -c Release "$server_project" -nologo -v q >"$work/build.log" 2>&1 \
      || { tail -30 "$work/build.log" >&2; die "build failed (log: $work/build.log)"; }
  fi

  echo "Starting the interop host on 127.0.0.1:$port..."
  # setsid: own process group, so stopping it also stops the app that `dotnet run` spawns.
  setsid dotnet run -c Release --no-build --project "$server_project" -- --port "$port" >"$work/server.log" 2>&1 &
  server_pgid=$!
  for i in $(seq 1 600); do
    if ! kill -0 "$server_pgid" 2>/dev/null; then
      cat "$work/server.log" >&2
      server_pgid=
      die "the host exited before listening"
    fi
    if port_open "$port"; then break; fi
    [[ $i -lt 600 ]] || { cat "$work/server.log" >&2; die "the host did not listen on port $port within 120 s"; }
    sleep 0.2
  done
  grep -m1 -i 'listening' "$work/server.log" || true
  url="http://127.0.0.1:$port"
else
  port_open "${url##*:}" || die "nothing listens at $url"
fi
target="$url$method_path"

# --- one checked call per body ------------------------------------------------------------------
check_call() { # check_call BODY
  local log
  log="$work/check-$(basename "$1" .bin).log"
  nghttp -v -d "$1" -H 'content-type: application/grpc' -H 'te: trailers' "$target" >"$log" 2>&1 || true
  if ! grep -q ':status: 200' "$log" || ! grep -q 'grpc-status: 0' "$log"; then
    grep -E ':status:|grpc-status|grpc-message' "$log" >&2 || tail -20 "$log" >&2
    die "UnaryCall with $(basename "$1") did not return HTTP 200 + grpc-status 0"
  fi
}

# --- h2load runs ---------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_h2load LOG BODY N M: runs h2load, validates, prints "req/s recv_MB/s"
run_h2load() {
  local log=$1 body=$2 n=$3 m=$4
  h2load -n "$n" -c "$clients" -m "$m" -t "$threads" -d "$body" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$target" >"$log" 2>&1 \
    || { tail -20 "$log" >&2; die "h2load failed (log: $log)"; }
  local finished requests statuses
  finished=$(grep -m1 '^finished in' "$log") || die "no 'finished in' line in $log"
  requests=$(grep -m1 '^requests:' "$log") || die "no 'requests:' line in $log"
  statuses=$(grep -m1 '^status codes:' "$log") || die "no 'status codes:' line in $log"
  local succeeded ok2xx
  succeeded=$(sed -E 's/.* ([0-9]+) succeeded.*/\1/' <<<"$requests")
  ok2xx=$(sed -E 's/^status codes: ([0-9]+) 2xx.*/\1/' <<<"$statuses")
  if [[ "$succeeded" != "$n" || "$ok2xx" != "$n" ]]; then
    echo "$requests" >&2
    echo "$statuses" >&2
    die "not every request succeeded with 2xx (log: $log)"
  fi
  # finished in 1.23s, 16260.16 req/s, 2.71MB/s
  local rps recv latency
  rps=$(sed -E 's/.*, ([0-9.]+) req\/s.*/\1/' <<<"$finished")
  recv=$(sed -E 's/.*req\/s, ([0-9.]+[KMG]?B)\/s.*/\1/' <<<"$finished")
  # time for request:  min  max  mean  sd  +/- sd
  latency=$(awk '/^time for request:/ { print $6; exit }' "$log")
  echo "$rps $recv ${latency:-?}"
}

run_case() { # run_case NAME N M
  local name=$1 n=$2 m=$3 body="$work/$1.bin"
  local frame_bytes
  frame_bytes=$(stat -c %s "$body")
  check_call "$body"
  echo
  echo "== $name: request frame $frame_bytes bytes; h2load -n $n -c $clients -m $m -t $threads"
  echo "   $target"
  local warm_n=${warmup:-$((n / 2))}
  ((warm_n >= clients)) || warm_n=$clients
  local res rps
  res=$(run_h2load "$work/$name-warmup.log" "$body" "$warm_n" "$m")
  rps=${res%% *}
  printf '   warm-up  (-n %d): %10.0f req/s (not counted)\n' "$warm_n" "$rps"
  local all_rps="" i
  for i in $(seq 1 "$runs"); do
    local recv up
    local latency
    res=$(run_h2load "$work/$name-run$i.log" "$body" "$n" "$m")
    read -r rps recv latency <<<"$res"
    up=$(awk -v r="$rps" -v b="$frame_bytes" 'BEGIN { printf "%.1f", r * b / 1e6 }')
    printf '   run %d: %10.0f req/s   upload %8s MB/s   received %s/s (h2load)   mean request time %s\n' \
      "$i" "$rps" "$up" "$recv" "$latency"
    all_rps+="$rps"$'\n'
  done
  local med med_up
  med=$(printf '%s' "$all_rps" | median)
  med_up=$(awk -v r="$med" -v b="$frame_bytes" 'BEGIN { printf "%.1f", r * b / 1e6 }')
  printf '   median of %d: %.0f req/s, upload %s MB/s  (all %d requests per run: 2xx, grpc-status 0 checked on one call)\n' \
    "$runs" "$med" "$med_up" "$n"
  summary+=$(printf '%-5s %8d B  -c %-3d -m %-3d -n %-7d  median %10.0f req/s  %8s MB/s up' \
    "$name" "$frame_bytes" "$clients" "$m" "$n" "$med" "$med_up")$'\n'
}

echo "h2load: $(h2load --version | head -1); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
summary=""
if [[ "$case_sel" == big || "$case_sel" == all ]]; then run_case big "$big_n" "${streams:-8}"; fi
if [[ "$case_sel" == tiny || "$case_sel" == all ]]; then run_case tiny "$tiny_n" "${streams:-32}"; fi

echo
echo "Summary ($runs measured runs per case, medians):"
printf '%s' "$summary"
if [[ -n "$out" ]]; then echo "Logs and bodies: $work"; fi
