#!/usr/bin/env bash
# The edge's mDNS tests check the hub against implementations nobody on the project wrote: Debian's
# python3-zeroconf, and avahi (avahi-daemon, avahi-browse over a private D-Bus) in a network
# namespace of the test's own (iproute2). Installs what is missing with apt-get, quietly, and fails
# with the fix when it cannot. Services are never started by the install: avahi-daemon would
# otherwise announce the machine on its real network (the tests run their own, on a veth pair).
set -euo pipefail
python="${ZEROCONF_PYTHON:-/usr/bin/python3}"
missing=()
"$python" -c 'import zeroconf' >/dev/null 2>&1 || missing+=(python3-zeroconf)
[ -x /usr/sbin/avahi-daemon ] || missing+=(avahi-daemon)
[ -x /usr/bin/avahi-browse ] || missing+=(avahi-utils)
{ [ -x /usr/bin/dbus-daemon ] && [ -x /usr/bin/dbus-send ]; } || missing+=(dbus)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "==> installing ${missing[*]} for the mDNS tests (apt-get)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
fi
log="$(mktemp)"
# A policy-rc.d that answers 101 keeps Debian's maintainer scripts from starting avahi-daemon (and
# dbus); one already there (containers have it) is left alone.
policy=/usr/sbin/policy-rc.d
guard=""
cleanup() {
  if [ -n "$guard" ]; then $sudo rm -f "$policy"; fi
  rm -f "$log"
}
trap cleanup EXIT
install() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; }
if [ "$sudo" != "none" ] && command -v apt-get >/dev/null 2>&1; then
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && guard=1
  fi
  install || { $sudo apt-get update -qq >>"$log" 2>&1 && install; } || true
fi
still=()
"$python" -c 'import zeroconf' >/dev/null 2>&1 || still+=(python3-zeroconf)
[ -x /usr/sbin/avahi-daemon ] && [ -x /usr/bin/avahi-browse ] || still+=(avahi-daemon avahi-utils)
{ [ -x /usr/bin/dbus-daemon ] && [ -x /usr/bin/dbus-send ]; } || still+=(dbus)
command -v ip >/dev/null 2>&1 || still+=(iproute2)
if [ "${#still[@]}" -gt 0 ]; then
  echo "cannot install ${still[*]} for the mDNS tests: run \`apt-get install -y ${still[*]}\` as root" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
fi
