#!/usr/bin/env bash
# Builds llama-bench from the llama.cpp source that node-llama-cpp ships (llama/gitRelease.bundle),
# for bench/certification to compare the runner's numbers with llama.cpp's own tool. Takes minutes;
# not part of the tests. Needs git, cmake and a C++ compiler. Output: .data/llama.cpp/build/bin/llama-bench
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(node -e "const p=require('path');let d=p.dirname(require.resolve('node-llama-cpp'));const fs=require('fs');while(!fs.existsSync(p.join(d,'llama','gitRelease.bundle')))d=p.dirname(d);console.log(d)")"
src=.data/llama.cpp
if [ ! -d "$src/.git" ]; then
  rm -rf "$src"
  git clone -q "$root/llama/gitRelease.bundle" "$src"
fi
# AMX off unless LLAMA_BENCH_AMX=1: under -march=native, ggml's AMX matmul died with SIGILL at
# its first tile instruction on a Xeon VM whose kernel granted AMX (node-llama-cpp's prebuilt
# sapphirerapids variant ran the same Q4_0 model there).
flags=""
[ "${LLAMA_BENCH_AMX:-0}" = 1 ] || flags="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
cmake -S "$src" -B "$src/build" -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=ON >/dev/null
cmake --build "$src/build" --target llama-bench -j "$(nproc)"
echo "$src/build/bin/llama-bench"
