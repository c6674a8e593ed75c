#!/usr/bin/env bash
# PyTorch for the reference rows: Debian's python3-torch for /usr/bin/python3, with OpenBLAS (without it
# torch falls back to the reference BLAS and its matmuls run about 10x slower, which would flatter Hone).
set -euo pipefail
if /usr/bin/python3 -c 'import torch' 2>/dev/null && [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ] ; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: python3-torch libopenblas0-pthread"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread >/dev/null
