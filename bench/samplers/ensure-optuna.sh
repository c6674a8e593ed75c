#!/usr/bin/env bash
# Optuna 3.1 for the reference rows: Debian's python3-optuna for /usr/bin/python3 (installed only when missing).
set -euo pipefail
if /usr/bin/python3 -c 'import optuna' 2>/dev/null; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian package: python3-optuna"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-optuna >/dev/null
