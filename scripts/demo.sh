#!/usr/bin/env bash
# `make demo`: the seed's regression with and without L2, and an MLP on the bundled digits with no
# regularisation, L2 and dropout; a federation of 20 digits clients (FedAvg, label-skewed); two runs at a
# time (one per core); then the plain MLP compressed (pruned to 80%, 8-bit), and both the MLP and its
# compressed child attacked (APGD-CE, APGD-DLR, Square at eps 0.05 and 0.1): robustness re-checked after
# compression, and two models with a size, an accuracy and a robust accuracy for the Trade-offs front;
# then the comparison tables.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo's own store, emptied first: never $HONE_STORE (that is the user's store, with their runs).
# HONE_DEMO_STORE picks another folder; one the demo did not make (no .hone-demo marker) is not emptied.
# The default, .hone/demo, is the demo's by name (earlier demos made it without the marker).
store="${HONE_DEMO_STORE:-.hone/demo}"
if [ -n "${HONE_DEMO_STORE:-}" ] && [ -e "$store" ] && [ ! -e "$store/.hone-demo" ] && [ -n "$(ls -A "$store")" ]; then
  echo "make demo: $store is not empty and was not made by the demo (no $store/.hone-demo): not emptying it; set HONE_DEMO_STORE to another folder" >&2
  exit 2
fi
rm -rf "$store"
mkdir -p "$store"
touch "$store/.hone-demo"
hone() { node bin/hone.js "$@" --store "$store"; }
log=$(mktemp -d)
start=$(date +%s)
echo "Hone demo: 9 runs into $store (logs in $log)"
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
if [ $status -eq 0 ]; then
  hone compress digits-mlp --set compress.prune.sparsity=0.8 --set compress.quantize.bits=8 >"$log/digits-compress.txt" || status=1
  attack() {
    hone attack "$1" --eps 0.05,0.1 --points 200 >"$log/$2.txt" || status=1
    echo "$1, attacked:"
    tail -n +2 "$log/$2.txt" | sed -n '/^clean accuracy/,/^store:/p' | grep -v '^store:'
    echo
  }
  compressed='digits-mlp > prune 0.8 polynomial + quantize 8 bits'
  attack digits-mlp digits-attack
  attack "$compressed" digits-compressed-attack
fi
hone ls
echo
echo "Demo took $(( $(date +%s) - start ))s. Inspect a run: node bin/hone.js show <id> --store $store"
echo "Runs, metrics and saved TF.js models are under $store/runs/"
echo "Dashboard of these runs, one HTML file for any browser:"
hone dashboard --out "$store/dashboard.html"
if [ $status -eq 0 ]; then
  echo "Trade-offs of the MLP, its compressed child and both attacked, one HTML file (hone report):"
  hone report digits-mlp "$compressed" 'digits-mlp [attack eps=0.05,0.1]' "$compressed [attack eps=0.05,0.1]" --out "$store/report.html" || status=1
fi
exit $status
