#!/usr/bin/env bash
# `make bench`: every benchmark under bench/<name>/run.sh, one after another (never in parallel: they
# measure speed on a quiet machine). Each writes its own section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/*/run.sh; do
  echo "== $b"
  bash "$b"
done
