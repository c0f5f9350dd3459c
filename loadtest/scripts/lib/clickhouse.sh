# Sourced by the load scripts: start_clickhouse DIR starts a throwaway clickhouse-server on free
# loopback ports with its data under DIR, waits for /ping, and sets ch_http (HTTP port) and ch_pid.
# Needs the caller's free_port and fail functions.
start_clickhouse() {
  local dir=$1 ch_tcp ch_inter ch_bin
  ch_http=$(free_port); ch_tcp=$(free_port); ch_inter=$(free_port)
  mkdir -p "$dir"/{data,tmp,user_files,format_schemas}
  cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$ch_http</http_port><tcp_port>$ch_tcp</tcp_port><interserver_http_port>$ch_inter</interserver_http_port>
  <path>$dir/data/</path><tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path><format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size><mlock_executable>false</mlock_executable>
</yandex>
EOF
  cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex><profiles><default/></profiles><quotas><default/></quotas>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users></yandex>
EOF
  ch_bin=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
  (cd "$dir" && exec "$ch_bin" --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1) &
  ch_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ch_http/ping" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$ch_http/ping" >/dev/null || fail "ClickHouse did not start"
}
