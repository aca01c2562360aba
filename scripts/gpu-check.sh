#!/usr/bin/env bash
# The certification GPU check (issue 10) on a CUDA machine: see scripts/gpu-check.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true
[ -f build/server/index.js ] || npm run build
export UV_THREADPOOL_SIZE=1
exec npx tsx scripts/gpu-check.ts
