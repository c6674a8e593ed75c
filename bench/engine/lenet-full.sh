#!/usr/bin/env bash
# LeNet-5 on the full MNIST training set with Hone (`hone run`, backend auto), its test accuracy and wall
# time -> section "Engine: LeNet-5 on full MNIST" of bench/RESULTS.md. About ten minutes on 2 quiet cores;
# EPOCHS=N to change the 12 epochs. Not run by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build.mjs
node --import tsx bench/engine/lenet-full.ts
