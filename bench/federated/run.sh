#!/usr/bin/env bash
# `make bench` -> section "Federated" of bench/RESULTS.md: McMahan et al.'s MNIST setup (100 clients, C 0.1, E 5,
# B 10), FedAvg IID and non-IID, FedProx, FedAvgM, FedAdam and FedAvgM with server averaging non-IID, rounds to 97/98/99% test accuracy; then 1
# against 2 client workers. Long: a LeNet-5 round is 10 clients x 600 images x 5 epochs at batch 10, so the full
# run (caps 40 IID / 250 non-IID rounds, each run stops at its goal: 99% IID, 98% non-IID) can take hours on 2 cores.
# Env: MAX_ROUNDS (caps every run: a bounded bench), ROUNDS_IID, ROUNDS_NONIID, TIMING_ROUNDS (default 3),
# MODEL (lenet5 | cnn | 2nn), ONLY (e.g. "iid,fedadam": iid, noniid, fedprox, fedavgm, fedadam, fedavgm_avg), CLIENT_LR (default 0.05), CLIENT_SCHEDULE (JSON train.schedule over rounds),
# STOP_AT (default 0.99 IID, 0.98 non-IID), SEED (default 1), FED_<KEY> (e.g. FED_FEDAVGM='{"serverLr":0.1}'). See bench/federated/run.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/federated/run.ts
