#!/usr/bin/env bash
# The metrics tests lint each app's /metrics with Prometheus's own `promtool check metrics`. Debian
# ships promtool only inside its `prometheus` package (the server, ~100 MB with its web assets,
# which would also be enabled as a service): this takes the package with apt-get and installs its
# promtool binary alone (a static Go program) as /usr/local/bin/promtool, when none is found.
# PROMTOOL_PATH names another location. Fails with the fix when it cannot.
set -euo pipefail
if [ -n "${PROMTOOL_PATH:-}" ]; then
  [ -x "$PROMTOOL_PATH" ] && exit 0
  target="$PROMTOOL_PATH"
else
  command -v promtool >/dev/null 2>&1 && exit 0
  target=/usr/local/bin/promtool
fi
echo "==> installing promtool for the metrics tests (apt-get download prometheus)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
fi
log="$(mktemp)"
work="$(mktemp -d)"
cleanup() { rm -rf "$work" "$log"; }
trap cleanup EXIT
download() { (cd "$work" && apt-get download -qq prometheus) >>"$log" 2>&1; }
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
  if download || { [ "$sudo" != "none" ] && $sudo apt-get update -qq >>"$log" 2>&1 && download; }; then
    deb="$(ls "$work"/prometheus_*.deb 2>/dev/null | head -n 1)"
    if [ -n "$deb" ] && dpkg-deb -x "$deb" "$work/root" >>"$log" 2>&1 && [ -x "$work/root/usr/bin/promtool" ]; then
      install -D -m 0755 "$work/root/usr/bin/promtool" "$target" >>"$log" 2>&1 ||
        { [ "$sudo" != "none" ] && $sudo install -D -m 0755 "$work/root/usr/bin/promtool" "$target" >>"$log" 2>&1; } || true
    fi
  fi
fi
if [ ! -x "$target" ]; then
  echo "cannot install promtool ($target is missing): run \`apt-get install -y prometheus\` as root, or set PROMTOOL_PATH to a promtool binary" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
fi
"$target" --version 2>&1 | head -n 1
