#!/usr/bin/env bash
# `make bench` -> section "Distributed" of bench/RESULTS.md: queue overhead with 1,000 no-op trials, trials/hour
# with 1 vs 2 real agents, 16 simulated agents (see bench/distributed/bench.ts). Needs redis-server
# (scripts/ensure-deps.sh). Env: NOOP_TRIALS, REAL_TRIALS, REAL_EPOCHS, SIM_TRIALS, SLEEP_MS; NO_WRITE=1 only prints.
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/distributed/bench.ts
