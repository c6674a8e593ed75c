#!/usr/bin/env bash
# `make demo`: the seed's regression with and without L2, and an MLP on the bundled digits with no
# regularisation, L2 and dropout; a federation of 20 digits clients (FedAvg, label-skewed); two runs at a
# time (one per core), then the comparison tables.
set -euo pipefail
cd "$(dirname "$0")/.."
store="${HONE_STORE:-.hone/demo}"
rm -rf "$store"
hone() { node bin/hone.js "$@" --store "$store"; }
log=$(mktemp -d)
start=$(date +%s)
echo "Hone demo: 6 runs into $store (logs in $log)"
(
  hone run examples/linear-regression-l2.hone.json >"$log/reg-l2.txt"
  hone run examples/linear-regression-l2.hone.json --set train.l2=0 >"$log/reg-plain.txt"
  hone run examples/digits-mlp.hone.json --set model.dropout=0.3 >"$log/digits-dropout.txt"
) &
lane1=$!
(
  hone run examples/digits-mlp.hone.json >"$log/digits-plain.txt"
  hone run examples/digits-mlp.hone.json --set train.l2=0.001 >"$log/digits-l2.txt"
  hone run examples/digits-federated.hone.json >"$log/digits-federated.txt"
) &
lane2=$!
status=0
wait $lane1 || status=1
wait $lane2 || status=1
hone ls
echo
echo "Demo took $(( $(date +%s) - start ))s. Inspect a run: node bin/hone.js show <id> --store $store"
echo "Runs, metrics and saved TF.js models are under $store/runs/"
echo "Dashboard of these runs, one HTML file for any browser:"
hone dashboard --out "$store/dashboard.html"
exit $status
