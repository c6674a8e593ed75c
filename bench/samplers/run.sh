#!/usr/bin/env bash
# Sampler benchmark: Hone's default sampler, TPE and GP against Optuna 3.1's TPE and random search on
# closed-form problems (bench/samplers/problems.ts). Writes the "Samplers" section of bench/RESULTS.md.
# Env: SEEDS per set (default 20), SEED0 the sets' first seeds (default 0,100,200,300: development seeds, all inside
# report.ts's LOOKED_AT, so a default run reports no hold-out; the published section used SEEDS=50
# SEED0=30000,30050,30100,30150), TRIALS per study (default 50); PROBLEMS=Branin,Hartmann-6 or
# METHODS='Hone TPE,Optuna TPE' run only those, for a quick look (RESULTS.md is then left as it is).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/samplers/ensure-optuna.sh
node --import tsx bench/samplers/run.ts
