#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for OTA Workbench development: system packages, npm
# dependencies and the code-server cache. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

export DEBIAN_FRONTEND=noninteractive
packages=(
  chromium                    # headless browser that drives the VS Code workbench in tests
  ripgrep                     # code-server's search (its own ripgrep download fails offline)
  libkrb5-dev python3 make g++ # code-server's native modules are rebuilt against this Node
  git
  socat                       # serial pseudo-terminal pairs for device tests
  swupdate                    # SWUpdate's suricatta, a real hawkBit DDI client, against our server
  curl openssl                # TLS interop checks (curl trusting our local CA; SWUpdate's signed .swu)
  unzip                       # checks the .vsix listing
  zsh                         # the CLI's zsh completion is loaded in a real zsh
  ca-certificates
)
missing=()
for p in "${packages[@]}"; do
  ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "node $(node --version), npm $(npm --version)"
# CI installs exactly the lock file; a developer's existing node_modules is only topped up.
if [ "${CI:-}" = "true" ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
bash scripts/install-code-server.sh
