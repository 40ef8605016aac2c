#!/usr/bin/env bash
# System packages the tests use beyond Python: Debian's chromium for the browser checks of the
# health report, PostgreSQL and Redis servers for the cluster and server-warehouse tests (each
# test starts its own servers on loopback; nothing here is started or configured), and Docker,
# Compose and debootstrap for the compose stack test (it builds its images without a registry
# and starts dockerd itself when none runs). Installs what is missing when it can (root and
# apt-get); otherwise says what to install and carries on (those tests then skip, unless
# MH_REQUIRE_BROWSER=1 or MH_REQUIRE_SERVERS=1).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/mh-apt.log 2>&1; then
    apt-get update -q >>/tmp/mh-apt.log 2>&1
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/mh-apt.log 2>&1 \
      || { tail -20 /tmp/mh-apt.log; exit 1; }
  fi
else
  echo "note: install ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]}) to run the browser, cluster, server-warehouse and compose stack tests"
fi
