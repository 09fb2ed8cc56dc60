#!/usr/bin/env bash
# Fails if the pure core (the folder given, wasm/core) reaches for the browser, the GPU, the network,
# a clock, a random source or a thread of its own. Those belong to js-glue, wasm/ui, wasm/bindings or the server;
# the core takes time and randomness as inputs so whole rooms can be simulated deterministically.
set -u
core=${1:?usage: check_core_purity.sh CORE_DIR}
status=0
report() { echo "impure: $1"; status=1; }

while IFS= read -r hit; do report "$hit"; done < <(grep -rnE \
  '#[[:space:]]*include[[:space:]]*[<"](emscripten|GL/|GLES|GLFW|EGL|webgl|imgui|backends/imgui|sys/socket|netinet/|arpa/inet|boost/asio|boost/beast|sqlite3|sodium|openssl/)' \
  "$core")
# Whole headers whose only use here would be a clock, randomness or concurrency.
while IFS= read -r hit; do report "$hit"; done < <(grep -rnE \
  '#[[:space:]]*include[[:space:]]*<(random|chrono|thread|mutex|future|atomic|condition_variable|ctime|time\.h)>' \
  "$core")
while IFS= read -r hit; do report "$hit"; done < <(grep -rnE \
  'std::chrono::(system_clock|steady_clock|high_resolution_clock)::now|std::random_device|[^_[:alnum:]]s?rand\(|time\(nullptr\)|time\(NULL\)|getenv\(|fopen\(|std::[io]?fstream' \
  "$core")
[ $status = 0 ] && echo "pure: $(find "$core" -name '*.h' -o -name '*.cpp' | wc -l) files checked"
exit $status
