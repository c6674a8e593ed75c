#!/usr/bin/env bash
# Sweep benchmark: grid vs random vs TPE vs TPE+ASHA vs GP on an MLP over 10,000 MNIST images, equal
# epoch budgets, median over seeds. Writes the "Sweep" section of bench/RESULTS.md.
# Env: SEEDS (default 3), EPOCHS per full trial (default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/sweep/run.ts
