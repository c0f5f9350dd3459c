#!/usr/bin/env bash
# Static checks of the deploy/ artefacts with the tools that own each format:
#   tests/deploy/check.sh [shellcheck|systemd|promtool|dashboard|yaml]...   (no argument: all)
# A named check whose tool is missing fails (tests/AnalyticsHub.Deploy.Tests skips it with the
# reason before calling); with no argument, missing tools are reported and skipped.
# Exit code: non-zero when any check failed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deploy=$repo/deploy

failed=0
strict=1
fail() { printf 'FAIL %s\n' "$*" >&2; failed=1; }
ok() { printf 'ok   %s\n' "$*"; }

# True when the tool exists; otherwise a failure (named check) or a skip (run-all).
need() {
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  if ((strict == 1)); then fail "$1 is not installed"; else printf 'skip %s (not installed)\n' "$1"; fi
  return 1
}

check_shellcheck() {
  need shellcheck || return 0
  if shellcheck "$deploy"/*.sh "$repo"/tests/deploy/*.sh; then ok "shellcheck deploy/*.sh tests/deploy/*.sh"; else fail shellcheck; fi
}

# systemd-analyze verify wants the ExecStart binary to exist: install a stub build into a
# temporary root, then verify a copy of the installed unit whose paths point into that root.
# Any output is a failure too: verify reports unknown keys and bad values only as warnings.
check_systemd() {
  need systemd-analyze || return 0
  local tmp out
  tmp=$(mktemp -d)
  mkdir -p "$tmp/build" "$tmp/verify"
  printf '#!/bin/sh\nexit 0\n' >"$tmp/build/AnalyticsHub.Server"
  chmod 0755 "$tmp/build/AnalyticsHub.Server"
  "$deploy/install.sh" --root "$tmp/root" --no-user --from "$tmp/build" 2>/dev/null
  sed "s|/opt/analyticshub|$tmp/root/opt/analyticshub|g" "$tmp/root/etc/systemd/system/analyticshub.service" \
    >"$tmp/verify/analyticshub.service"
  if out=$(systemd-analyze verify "$tmp/verify/analyticshub.service" 2>&1) && [[ -z $out ]]; then
    ok "systemd-analyze verify analyticshub.service"
  else
    fail "systemd-analyze verify: $out"
  fi
  rm -rf "$tmp"
}

check_promtool() {
  need promtool || return 0
  if promtool check rules "$deploy/prometheus/alerts.yml"; then ok "promtool check rules"; else fail "promtool check rules"; fi
  # check config resolves rule_files relative to the config file, so alerts.yml is checked again
  # as the config loads it.
  if promtool check config "$deploy/prometheus/prometheus.yml"; then ok "promtool check config"; else fail "promtool check config"; fi
  if [[ -f $deploy/prometheus/alerts.test.yml ]]; then
    if promtool test rules "$deploy/prometheus/alerts.test.yml"; then ok "promtool test rules"; else fail "promtool test rules"; fi
  fi
}

check_dashboard() {
  need jq || return 0
  local dash=$deploy/grafana/analyticshub-dashboard.json
  # Valid JSON, the shape Grafana imports (panels with targets, the datasource input), and
  # unique panel ids (Grafana silently drops duplicates).
  if jq -e '
      (.schemaVersion | type == "number") and (.title | length > 0)
      and (.panels | length > 0)
      and ([.panels[] | select(.type != "row") | (.targets | length > 0)] | all)
      and ([.panels[].id] | length == (unique | length))
      and ([.__inputs[]?.name] | index("DS_PROMETHEUS") != null)' "$dash" >/dev/null; then
    ok "dashboard JSON"
  else
    fail "dashboard JSON: $dash"
  fi
}

check_yaml() {
  need yamllint || return 0
  # Helm templates are Go templates, not YAML: only the chart's plain files are linted. Long lines
  # are alert annotations (one sentence each).
  local files=("$deploy"/prometheus/*.yml)
  [[ -f $deploy/helm/analyticshub/Chart.yaml ]] && files+=("$deploy/helm/analyticshub/Chart.yaml" "$deploy/helm/analyticshub/values.yaml")
  if yamllint -d '{extends: default, rules: {line-length: {max: 240}, document-start: disable, truthy: {check-keys: false}}}' "${files[@]}"; then
    ok "yamllint"
  else
    fail yamllint
  fi
}

checks=("$@")
if ((${#checks[@]} == 0)); then
  strict=0
  checks=(shellcheck systemd promtool dashboard yaml)
fi
for check in "${checks[@]}"; do
  case $check in
    shellcheck) check_shellcheck ;;
    systemd) check_systemd ;;
    promtool) check_promtool ;;
    dashboard) check_dashboard ;;
    yaml) check_yaml ;;
    *) fail "unknown check: $check" ;;
  esac
done
exit "$failed"
