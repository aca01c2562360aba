#!/bin/sh
# Regenerates the golden bytes of certification-lab/gguf/quantize.golden.test.ts from ggml itself.
set -e
lib=$(find node_modules/@node-llama-cpp -path '*linux-x64/bins/*' -name libggml-base.so | head -1)
out=$(mktemp)
cc -O0 -o "$out" native/quantize-golden.c -ldl
"$out" "$(realpath "$lib")"
rm -f "$out"
