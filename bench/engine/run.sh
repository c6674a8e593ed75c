#!/usr/bin/env bash
# `make bench` -> section "Engine" of bench/RESULTS.md: samples/s of an MLP and LeNet-5 on MNIST, Hone's
# training loop on 1..N threads against raw TF.js model.fit and PyTorch CPU at equal thread counts, a
# per-kernel profile of Hone's steps, and 1 run against 2 at once. About ten minutes on 2 cores (the cpu
# backend's LeNet steps take much of it). Uses the clone's data/mnist; builds dist/ first (the runs
# sharing the machine go through the real CLI and worker).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/engine/ensure-torch.sh || echo "PyTorch could not be installed: its rows will say why"
node scripts/build.mjs
node --import tsx bench/engine/engine.ts
