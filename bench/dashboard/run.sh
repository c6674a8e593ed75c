#!/usr/bin/env bash
# Dashboard at scale: a generated store of 1,000 runs x 5 metrics x 10,000 epochs, exported with
# `hone dashboard` and hosted on a live DashboardFeed; Chromium measures the runs table's first paint and
# opening a Compare of 20 runs. Writes the "Dashboard" section of bench/RESULTS.md.
# Smaller: RUNS=220 POINTS=1000 bash bench/dashboard/run.sh (11 groups of 20 at least)
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/dashboard/bench.ts "${RUNS:-1000}" "${POINTS:-10000}"
