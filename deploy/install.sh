#!/usr/bin/env bash
# Installs a published AnalyticsHub build (deploy/publish.sh) on a systemd host, or removes it.
#
#   deploy/install.sh --from artifacts/publish            install or upgrade (run as root)
#   deploy/install.sh --uninstall                         remove binaries and unit; keep config, data, logs
#   deploy/install.sh --uninstall --purge                 remove everything, including data and the user
#   deploy/install.sh --root /tmp/r --no-user --from DIR  install into a staging root (tests, packaging)
#
# Every path can be moved (--prefix, --config-dir, --data-dir, --log-dir, --unit-dir); --root is
# prepended to all of them when writing, while the unit and config name the paths without it (they
# are what the installed system will see). Running it twice is harmless: binaries are replaced,
# an operator's config is never overwritten (the new default lands beside it as *.dist).
set -euo pipefail

readonly SERVICE=analyticshub
readonly SERVICE_USER=analyticshub
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

root=/
prefix=/opt/analyticshub
config_dir=/etc/analyticshub
data_dir=/var/lib/analyticshub
log_dir=/var/log/analyticshub
unit_dir=/etc/systemd/system
from=""
create_user=1
uninstall=0
purge=0
use_systemctl=auto

usage() {
  cat <<EOF
Usage: $(basename "$0") [options]
  --from DIR         published build to install (contains AnalyticsHub.Server; hubctl optional)
  --root DIR         install below DIR instead of / (no user is created, systemctl is not run)
  --prefix DIR       binaries (default $prefix; the build goes to DIR/bin)
  --config-dir DIR   configuration (default $config_dir)
  --data-dir DIR     WAL, store, dead letters (default $data_dir)
  --log-dir DIR      log directory (default $log_dir)
  --unit-dir DIR     systemd unit directory (default $unit_dir)
  --no-user          do not create the '$SERVICE_USER' system user or chown anything
  --no-systemctl     do not run systemctl (daemon-reload, enable, disable)
  --uninstall        remove binaries and unit; keep config, data and logs
  --purge            with --uninstall: also remove config, data, logs and the user
  -h, --help         this text
EOF
}

log() { printf '%s\n' "$*" >&2; }
die() { log "install.sh: $*"; exit 1; }
# What a dry step would have done: printed, not run (not root, --root, --no-user).
would() { log "would run: $*"; }

while (($# > 0)); do
  case $1 in
    --from) from=${2:?--from needs a directory}; shift 2 ;;
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --prefix) prefix=${2:?}; shift 2 ;;
    --config-dir) config_dir=${2:?}; shift 2 ;;
    --data-dir) data_dir=${2:?}; shift 2 ;;
    --log-dir) log_dir=${2:?}; shift 2 ;;
    --unit-dir) unit_dir=${2:?}; shift 2 ;;
    --no-user) create_user=0; shift ;;
    --no-systemctl) use_systemctl=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

((purge == 0 || uninstall == 1)) || die "--purge only goes with --uninstall"

# Paths must be absolute and must not be / itself: they are removed recursively on uninstall.
for path in "$prefix" "$config_dir" "$data_dir" "$log_dir" "$unit_dir"; do
  [[ $path == /* ]] || die "not an absolute path: $path"
  [[ $path != / && $path != *..* ]] || die "refusing path: $path"
done
[[ $root == /* ]] || root="$PWD/$root"
root=${root%/}
real_root=0
[[ -z $root ]] && real_root=1

is_root=0
[[ $(id -u) -eq 0 ]] && is_root=1

# The user is only created (and files chowned) for a real install as root; a staging root or an
# unprivileged run says what it would have done instead.
manage_user=0
((create_user == 1 && real_root == 1 && is_root == 1)) && manage_user=1

systemd_present=0
if [[ $use_systemctl == auto ]] && ((real_root == 1)) && [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
  systemd_present=1
fi

r() { printf '%s%s' "$root" "$1"; }

run_systemctl() {
  if ((systemd_present == 1)); then
    systemctl "$@"
  else
    would systemctl "$@"
  fi
}

ensure_user() {
  if ((manage_user == 0)); then
    if ((create_user == 1)); then
      would groupadd --system "$SERVICE_USER"
      would useradd --system --gid "$SERVICE_USER" --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    return 0
  fi
  if ! getent group "$SERVICE_USER" >/dev/null; then
    groupadd --system "$SERVICE_USER"
  fi
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --gid "$SERVICE_USER" --home-dir "$data_dir" --no-create-home \
      --shell /usr/sbin/nologin --comment "AnalyticsHub" "$SERVICE_USER"
  fi
}

# chown only when the user is ours to manage; otherwise the files stay with the installing user.
own() {
  local owner=$1
  shift
  if ((manage_user == 1)); then
    chown "$owner" "$@"
  elif ((create_user == 1)); then
    would chown "$owner" "$@"
  fi
}

# Writes $2 to $1 only when $1 does not exist; otherwise puts it beside as $1.dist so the
# operator can compare. Never overwrites an operator's file.
install_config_file() {
  local target=$1 content=$2
  if [[ -e $target ]]; then
    printf '%s\n' "$content" >"$target.dist"
    chmod 0640 "$target.dist"
    own "root:$SERVICE_USER" "$target.dist"
    log "kept existing $target (new default written to $target.dist)"
  else
    printf '%s\n' "$content" >"$target"
    chmod 0640 "$target"
    own "root:$SERVICE_USER" "$target"
    log "wrote $target"
  fi
}

default_appsettings() {
  cat <<'EOF'
{
  "Hub": {
    "Ports": {
      "Grpc": 50051,
      "Http": 8080,
      "Metrics": 9090
    },
    "BindAddress": "0.0.0.0",
    "Storage": {
      "Kind": "embedded",
      "RetentionDays": 30
    }
  },
  "Logging": {
    "LogLevel": {
      "Default": "Information",
      "Microsoft.AspNetCore": "Warning"
    }
  }
}
EOF
}

default_env() {
  cat <<EOF
# AnalyticsHub environment (systemd EnvironmentFile). One Hub__Section__Key=value per line;
# these override $config_dir/appsettings.json (read at start; only its Logging section follows
# edits live). The data directory is set in the unit (--Hub:DataDir=$data_dir) because the
# unit's ReadWritePaths must match it.
#Hub__Storage__Kind=clickhouse
#Hub__ClickHouse__Url=http://127.0.0.1:8123
#Hub__ClickHouse__Password=
#Hub__Postgres__ConnectionString=Host=127.0.0.1;Database=analyticshub;Username=analyticshub
EOF
}

# The unit names the real (unprefixed) paths it was installed with. Defaults become tokens
# first, so one replacement cannot rewrite another's result (a prefix under /etc/analyticshub).
render_unit() {
  sed -e 's|/opt/analyticshub|@PREFIX@|g' -e 's|/etc/analyticshub|@CONFIG@|g' \
    -e 's|/var/lib/analyticshub|@DATA@|g' -e 's|/var/log/analyticshub|@LOG@|g' \
    "$script_dir/systemd/$SERVICE.service" |
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@CONFIG@|$config_dir|g" \
      -e "s|@DATA@|$data_dir|g" -e "s|@LOG@|$log_dir|g"
}

do_install() {
  [[ -n $from ]] || die "--from DIR is required to install (the output of deploy/publish.sh)"
  [[ -x $from/AnalyticsHub.Server ]] || die "$from/AnalyticsHub.Server is missing or not executable"
  [[ -f $script_dir/systemd/$SERVICE.service ]] || die "unit template missing: $script_dir/systemd/$SERVICE.service"

  ensure_user

  local bin
  bin=$(r "$prefix")/bin
  mkdir -p "$(r "$prefix")" "$(r "$config_dir")" "$(r "$data_dir")" "$(r "$log_dir")" "$(r "$unit_dir")"

  # Stage the new build beside the old one and swap directories, so a running hub keeps its
  # open binary and a failed copy leaves the previous install intact.
  rm -rf "$bin.new" "$bin.old"
  mkdir -p "$bin.new"
  cp -R "$from"/. "$bin.new"/
  find "$bin.new" -type d -exec chmod 0755 {} +
  find "$bin.new" -type f -exec chmod 0644 {} +
  chmod 0755 "$bin.new/AnalyticsHub.Server"
  [[ -f $bin.new/hubctl ]] && chmod 0755 "$bin.new/hubctl"
  # The hub reads the shipped defaults (appsettings.json beside the binary), then the operator's
  # file, which the unit names with --config: the hub watches that file itself, so log levels
  # edited there apply without a restart (a link beside the binary was not watched through).
  if [[ -d $bin ]]; then mv "$bin" "$bin.old"; fi
  mv "$bin.new" "$bin"
  rm -rf "$bin.old"
  log "installed binaries in $bin"

  chmod 0750 "$(r "$config_dir")"
  own "root:$SERVICE_USER" "$(r "$config_dir")"
  install_config_file "$(r "$config_dir")/appsettings.json" "$(default_appsettings)"
  install_config_file "$(r "$config_dir")/$SERVICE.env" "$(default_env)"

  # The WAL and store must be private to the service: 0750, owned by it.
  chmod 0750 "$(r "$data_dir")" "$(r "$log_dir")"
  own "$SERVICE_USER:$SERVICE_USER" "$(r "$data_dir")" "$(r "$log_dir")"

  local unit
  unit="$(r "$unit_dir")/$SERVICE.service"
  render_unit >"$unit.tmp"
  chmod 0644 "$unit.tmp"
  mv "$unit.tmp" "$unit"
  log "installed unit $unit"

  run_systemctl daemon-reload
  run_systemctl enable "$SERVICE.service"
  log "start it with: systemctl start $SERVICE   (health: curl -fsS http://127.0.0.1:8080/healthz)"
}

do_uninstall() {
  run_systemctl disable --now "$SERVICE.service"
  rm -f "$(r "$unit_dir")/$SERVICE.service"
  run_systemctl daemon-reload
  rm -rf "$(r "$prefix")"
  log "removed $(r "$prefix") and the unit"
  if ((purge == 0)); then
    log "kept $(r "$config_dir"), $(r "$data_dir"), $(r "$log_dir") (use --purge to remove them)"
    return 0
  fi
  rm -rf "$(r "$config_dir")" "$(r "$data_dir")" "$(r "$log_dir")"
  log "purged $(r "$config_dir"), $(r "$data_dir"), $(r "$log_dir")"
  if ((manage_user == 1)); then
    if getent passwd "$SERVICE_USER" >/dev/null; then userdel "$SERVICE_USER"; fi
    if getent group "$SERVICE_USER" >/dev/null; then groupdel "$SERVICE_USER"; fi
  elif ((create_user == 1)); then
    would userdel "$SERVICE_USER"
  fi
}

if ((real_root == 1 && is_root == 0)); then
  die "installing to / needs root (use --root DIR for a staging install)"
fi

if ((uninstall == 1)); then
  do_uninstall
else
  do_install
fi
