#!/usr/bin/env bash
# Federated benchmark: McMahan et al.'s MNIST setup with LeNet-5, FedAvg IID and non-IID, FedProx, FedAvgM
# and FedAdam non-IID, rounds to 97/98/99% test accuracy; then 1 against 2 client workers. Writes the
# "Federated" section of bench/RESULTS.md. Long: a round is 10 clients x 600 images x 5 epochs at batch 10
# (about 15-30 s on 2 cores), so each run stops at 99% or at its cap.
# Env: ROUNDS_IID (default 30), ROUNDS_NONIID (default 60), TIMING_ROUNDS (default 3), ONLY (e.g. "iid,fedadam").
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
uptime
node --import tsx bench/federated/run.ts
uptime
