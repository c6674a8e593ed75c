#!/usr/bin/env bash
# `make bench` -> section "Robustness" of bench/RESULTS.md: a standard and a Fast-AT model of Wong et al.'s
# MNIST network on the full training set, robust accuracy at eps 0.3 under Hone's ensemble and under
# PGD-50 x 10, PGD-40 throughput against PyTorch. About 40 minutes on 2 quiet cores. QUICK=1: a few minutes
# on 3,000 images (numbers meaningless, for checking the bench); LIMIT, STD_EPOCHS, FAST_EPOCHS, PGD_EPOCHS
# (0: no PGD-AT run), POINTS, SQUARE_QUERIES change the full run (bench/robust/specs.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/engine/ensure-torch.sh || echo "PyTorch could not be installed: its rows will say why"
node scripts/build.mjs
node --import tsx bench/robust/robust.ts
