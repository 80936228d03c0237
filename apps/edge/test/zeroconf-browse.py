"""Browses DNS-SD services with python-zeroconf (Debian's python3-zeroconf), an mDNS implementation
nobody on this project wrote, and prints one JSON line per change:
  {"event": "ready"}
  {"event": "added", "name": ..., "info": {"port", "server", "addresses", "txt"} or null}
  {"event": "removed", "name": ...}
Usage: zeroconf-browse.py <interface IPv4> <service type, e.g. _poshub._tcp.local.> <max seconds>
Multicast goes through the given interface only (the tests: 127.0.0.1). Stops when its stdin
closes or after <max seconds>, whichever comes first.
"""
import json
import queue
import sys
import threading
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def describe(info):
    if info is None:
        return None
    txt = {key.decode(): (value.decode() if value is not None else None) for key, value in info.properties.items()}
    return {"port": info.port, "server": info.server, "addresses": info.parsed_addresses(), "txt": txt}


def main():
    interface, service_type, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
    stop = threading.Event()
    # The test closes stdin to stop the browser; EOF also comes when the test process dies.
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    changes = queue.Queue()
    zc = Zeroconf(interfaces=[interface], ip_version=IPVersion.V4Only)
    # Handlers run on zeroconf's own thread, which must not block: resolving happens here.
    browser = ServiceBrowser(zc, service_type, handlers=[lambda zeroconf, service_type, name, state_change: changes.put((state_change, name))])
    emit({"event": "ready"})
    deadline = time.monotonic() + lifetime
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                state, name = changes.get(timeout=0.2)
            except queue.Empty:
                continue
            if state is ServiceStateChange.Added:
                emit({"event": "added", "name": name, "info": describe(zc.get_service_info(service_type, name, timeout=3000))})
            elif state is ServiceStateChange.Removed:
                emit({"event": "removed", "name": name})
    finally:
        browser.cancel()
        zc.close()


if __name__ == "__main__":
    main()
