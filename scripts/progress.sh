# Sourced by the install, test and demo scripts: runs a long step with its name, a line every
# PROGRESS_EVERY_SECONDS (default 20) while it runs, so a first run is never silent, and its time.
# The step's own output is kept in a log and shown only when it fails.
run_timed() {
  local label="$1"; shift
  local every="${PROGRESS_EVERY_SECONDS:-20}" log started pid status=0
  log="$(mktemp)"
  started=$SECONDS
  echo "==> ${label}"
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 "$every"); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then echo "    ... still ${label%% (*} ($((SECONDS - started)) s)"; fi
  done
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
    rm -f "$log"
    echo "==> failed: ${label%% (*} (exit ${status}, after $((SECONDS - started)) s)" >&2
    return "$status"
  fi
  grep -v '^npm warn install-scripts' "$log" | grep -v '^\s*$' | sed 's/^/    /' || true
  rm -f "$log"
  echo "    done in $((SECONDS - started)) s"
}
