#!/usr/bin/env bash
# Runs a browser test inside a fresh network namespace with only loopback up, so Chromium, the test
# and any server it starts can reach 127.0.0.1/::1 and nothing else (ICE gathers loopback only).
set -euo pipefail
if [ "$(id -u)" = 0 ]; then
  exec unshare --net -- bash -c 'ip link set lo up && exec node --test "$@"' bash "$@"
else
  exec unshare --net --map-root-user -- bash -c 'ip link set lo up && exec node --test "$@"' bash "$@"
fi
