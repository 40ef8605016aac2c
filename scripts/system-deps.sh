#!/usr/bin/env bash
# System packages the tests use beyond Python: Debian's chromium for the browser checks of the
# health report. Installs what is missing when it can (root and apt-get); otherwise says what
# to install and carries on (the browser tests then skip, unless MH_REQUIRE_BROWSER=1).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
  echo "note: install ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]}) to run the browser tests"
fi
