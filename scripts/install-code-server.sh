#!/usr/bin/env bash
# Installs code-server (a real VS Code server) into a git-ignored cache, offline-safe.
# code-server's own postinstall downloads ripgrep, which fails on machines without internet, so
# we skip install scripts, link Debian's ripgrep in its place and rebuild the native modules
# against the Node that runs code-server. Needs: ripgrep, libkrb5-dev, python3, make, g++.
set -euo pipefail
version="${CODE_SERVER_VERSION:-4.100.3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${OTA_CACHE_DIR:-$root/.cache}/code-server-$version"
marker="$cache/.installed"
if [ -f "$marker" ]; then
  echo "code-server $version already installed in $cache"
  exit 0
fi
command -v rg >/dev/null || { echo "ripgrep (rg) is missing: apt-get install -y ripgrep" >&2; exit 1; }
rm -rf "$cache"
mkdir -p "$cache"
cd "$cache"
echo '{"name":"code-server-cache","private":true}' > package.json
export npm_config_yes=true npm_config_fund=false npm_config_audit=false
echo "installing code-server@$version into $cache"
npm install --no-save --ignore-scripts "code-server@$version" >/dev/null
npm rebuild argon2 >/dev/null
( cd node_modules/code-server/lib/vscode && npm install --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty >/dev/null
  ln -sfn node_modules node_modules.asar )
touch "$marker"
echo "code-server $version ready"
