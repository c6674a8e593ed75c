#!/usr/bin/env bash
# Installs the Debian packages the test suites need when they are missing (CI starts from a bare
# machine). Chromium drives the webview and VS Code (code-server) tests headless; libkrb5-dev lets
# code-server's kerberos module build. python3 runs the real scripts of the `hone exec` tests. redis-server
# carries the queue tests' jobs to real agents (core/queue); iproute2's `ip netns` puts agents on their own network;
# openssl makes the certificates of the queue's TLS test.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
