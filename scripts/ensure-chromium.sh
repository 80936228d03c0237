#!/usr/bin/env bash
# The backoffice's browser tests drive Debian's Chromium with playwright-core (ENVIRONMENT.md):
# installs it with apt-get when it is missing, quietly, and fails with the fix when it cannot.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
echo "==> installing chromium for the browser tests (apt-get)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
fi
log="$(mktemp)"
install() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >"$log" 2>&1; }
if [ "$sudo" != "none" ] && command -v apt-get >/dev/null 2>&1; then
  install || { $sudo apt-get update -qq >>"$log" 2>&1 && install; } || true
fi
if [ ! -x "$chromium" ]; then
  echo "cannot install chromium ($chromium is missing): run \`apt-get install -y chromium\` as root, or set CHROMIUM_PATH to a Chromium binary" >&2
  tail -n 20 "$log" >&2 || true
  rm -f "$log"
  exit 1
fi
rm -f "$log"
