#!/usr/bin/env bash
# `make bench` -> section "Engine" of bench/RESULTS.md: samples/s of an MLP and LeNet-5 on MNIST, Hone's
# training loop against raw TF.js model.fit on the same backend and PyTorch CPU, plus 1 vs 2 workers.
# A few minutes on 2 cores (the cpu backend's LeNet steps take most of it). Uses the clone's data/mnist.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/engine/ensure-torch.sh || echo "PyTorch could not be installed: its rows will say why"
[ -f dist/cli.js ] || node scripts/build.mjs
node --import tsx bench/engine/engine.ts
