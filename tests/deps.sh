#!/usr/bin/env bash
# Installs what building and testing need on Debian, when it is missing:
# Chromium (end-to-end tests, demo), binaryen's wasm-opt (the extension's
# module), Node.js (WebAssembly tests), zoneinfo. Uses sudo when not root.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
[ -d /usr/share/zoneinfo/Pacific ] || missing+=(tzdata)
command -v make >/dev/null 2>&1 || missing+=(make)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
