#!/usr/bin/env bash
# Compression benchmark -> section "Compression" of bench/RESULTS.md: LeNet-300-100 on full MNIST, a dense
# baseline, each technique alone and the full pipeline (examples/mnist-lenet300-compress.hone.json's
# compress section) as `hone compress` runs of it; then LeNet-5, dense and the pipeline. Test error, every
# size column, ratios to dense float32, latency at batch 1 and 256. About 20-30 minutes on 2 busy cores.
# Env: EPOCHS (dense LeNet-300-100, default 30), PRUNE_EPOCHS (pipeline retraining, default the example's),
# LENET5=0 to skip LeNet-5, LENET5_EPOCHS (default 8), LENET5_PRUNE_EPOCHS (default 10), LIMIT (MNIST training images, default all),
# QUICK=1 for a smoke run (EPOCHS=2, PRUNE_EPOCHS=2, LENET5_EPOCHS=1, LENET5_PRUNE_EPOCHS=1, LIMIT=6000; figures then mean little).
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/compress/bench.ts
