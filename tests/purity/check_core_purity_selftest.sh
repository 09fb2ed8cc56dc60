#!/usr/bin/env bash
# The purity check must fail on each kind of thing it forbids, and pass on clean code.
set -u
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
expect() {  # expect pass|fail LINE
  printf '%s\n' "$2" > "$scratch/planted.cpp"
  if bash "$here/check_core_purity.sh" "$scratch" >/dev/null; then got=pass; else got=fail; fi
  if [ "$got" != "$1" ]; then echo "expected $1, got $got for: $2"; failures=$((failures + 1)); fi
}
expect pass '#include <vector>'
expect fail '#include <emscripten/bind.h>'
expect fail '#include <GLES3/gl3.h>'
expect fail '#include "imgui.h"'
expect fail '#include <sys/socket.h>'
expect fail '#include <boost/asio.hpp>'
expect fail 'auto t = std::chrono::steady_clock::now();'
expect fail 'std::random_device device;'
expect fail '#include <random>'
expect fail '#include <chrono>'
expect fail '#include <thread>'
expect fail '#include <mutex>'
expect fail '#include <ctime>'
[ $failures = 0 ] && echo "the purity check catches every planted case"
exit $failures
