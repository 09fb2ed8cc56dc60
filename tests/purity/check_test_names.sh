#!/usr/bin/env bash
# Catch's ctest discovery cuts a test's name at ';', then asks ctest to run a name that does not
# exist: nothing runs and ctest still says "Passed". So no Catch test name may hold a ';'.
#   check_test_names.sh [tests folder]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=$(grep -rnE '(TEST_CASE|SCENARIO)\("[^"]*;' --include='*.cpp' . || true)
if [ -n "$bad" ]; then
  echo "test names with ';' (ctest would skip them and call them passed):"
  echo "$bad"
  exit 1
fi
echo "no test name holds a ';'"
