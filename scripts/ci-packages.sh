#!/usr/bin/env bash
# The Debian packages the suite and CI use, installed when missing (idempotent, quiet).
#   podman, buildah, debootstrap   test/container/smoke.sh and ../shared/tools/stand-in-node-image
#   wrk                            bench/serve.mjs's load generator when installed (autocannon otherwise)
#   chromium                       headless checks of /docs and of MLflow's UI
#   prometheus                     scraping /metrics as a real Prometheus does
#   postgresql                     MLflow with a database backend store
# Needs root (CI runs as root); prints one line saying what it did.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
wanted=(podman buildah debootstrap wrk chromium prometheus postgresql)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "debian packages: all present (${wanted[*]})"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "debian packages missing (${missing[*]}): run as root" >&2; exit 1; }
echo "debian packages: installing ${missing[*]}"
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
# the packaged prometheus starts a system service: the suite starts its own on free ports
if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null; then
  systemctl disable --now prometheus prometheus-node-exporter >/dev/null 2>&1 || true
fi
echo "debian packages: installed ${missing[*]}"
