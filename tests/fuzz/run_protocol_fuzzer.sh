#!/usr/bin/env bash
# Builds the protocol decoder fuzzer with libFuzzer, ASan and UBSan, and runs it from the committed
# seed corpus for MEHFIL_FUZZ_SECONDS (default 60). Exits non-zero on any crash, leak, sanitizer
# report or broken round trip; the reproducer is left in BUILD_DIR as crash-* / leak-* / timeout-*.
#
#   tests/fuzz/run_protocol_fuzzer.sh BUILD_DIR STAGED_HEADERS_DIR
#
# STAGED_HEADERS_DIR holds the nlohmann symlink (the native build stages it in
# build/native/staged-headers). Everything is compiled without C++ exceptions, as in the wasm
# build, so anything in the codec that would throw aborts and counts as a crash.
set -euo pipefail
build=${1:?usage: run_protocol_fuzzer.sh BUILD_DIR STAGED_HEADERS_DIR}
headers=${2:?usage: run_protocol_fuzzer.sh BUILD_DIR STAGED_HEADERS_DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cxx=${CXX_FUZZ:-clang++-14}
command -v "$cxx" >/dev/null || { echo "$cxx is missing: run scripts/setup" >&2; exit 1; }

mkdir -p "$build/obj"
common=(-std=c++20 -O1 -g -fno-exceptions -fno-sanitize-recover=undefined -I "$root/wasm/core" -isystem "$headers")

# The codec's own files get coverage instrumentation without libFuzzer's main; built two at a time.
objects=()
pids=()
for source in "$root"/wasm/core/protocol/*.cpp; do
  object="$build/obj/$(basename "${source%.cpp}").o"
  objects+=("$object")
  "$cxx" "${common[@]}" -fsanitize=address,undefined,fuzzer-no-link -c "$source" -o "$object" &
  pids+=($!)
  if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
"$cxx" "${common[@]}" -fsanitize=fuzzer,address,undefined \
  "$root/tests/fuzz/protocol_decode_fuzzer.cpp" "${objects[@]}" -o "$build/protocol_decode_fuzzer"

# Run on a scratch copy so the committed seeds stay as they are.
rm -rf "$build/corpus"
mkdir -p "$build/corpus"
cp "$root"/tests/fuzz/corpus/protocol/* "$build/corpus/"
"$build/protocol_decode_fuzzer" -max_total_time="${MEHFIL_FUZZ_SECONDS:-60}" -max_len=16384 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -dict="$root/tests/fuzz/protocol.dict" -artifact_prefix="$build/" \
  "$build/corpus"
