#!/bin/sh
# The entrypoint of both images: runs the app (the image's CMD, or the service's command) as its
# child, passes signals on to it, and exits with the app's exit code, so that Docker's restart
# policy (`unless-stopped` in the compose files) brings it back after a crash, a daemon restart or a
# power cut.
#
# Except for an exit code no restart can cure, listed in FINAL_EXIT_CODES (space-separated; 78,
# EX_CONFIG, when unset; empty for none): a bad environment exits 78, the store agent of a revoked
# node exits 3 (docs/agent.md). Restarting those would only repeat the same failure, forever. On one
# of them the entrypoint logs one JSON line saying so and parks: it stays up, doing nothing, so that
# the container shows as unhealthy instead of restart-looping, until an operator fixes the cause and
# recreates or restarts it (docs/deployment.md). `restart: on-failure:N` cannot do this: it gives up
# for good after N crashes of any kind, however far apart, and does not start the container when
# the Docker daemon restarts.
#
# A shell and not Node, so the wrapper costs no memory to speak of on the edge box.
set -u

final_codes=${FINAL_EXIT_CODES-78}
child=
stop_signal=

forward() {
  stop_signal=$1
  [ -n "$child" ] && kill -s "$1" "$child" 2>/dev/null
}
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP

if [ "$#" -eq 0 ]; then
  echo "app-entrypoint: no command to run" >&2
  exit 64
fi

"$@" &
child=$!

# A trapped signal interrupts `wait` (status above 128) while the app may still be shutting down:
# wait again until it has really ended.
while :; do
  wait "$child"
  code=$?
  kill -0 "$child" 2>/dev/null || break
done

final=
for c in $final_codes; do
  [ "$c" = "$code" ] && final=1
done
# Asked to stop (docker stop), or a code worth a restart: end with the app's code.
if [ -n "$stop_signal" ] || [ -z "$final" ]; then
  exit "$code"
fi

json_escape() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr '\n\t' '  '
}

case $code in
  78) why='its configuration is unusable (EX_CONFIG)' ;;
  3) why='the node was revoked by HQ or is no longer known to the cloud' ;;
  *) why='this exit code is listed in FINAL_EXIT_CODES' ;;
esac
msg="the app exited with code $code: $why. Not restarting it, which would fail the same way: the container stays up, unhealthy, until the cause is fixed (the app's last lines say what) and the container recreated or restarted (docs/deployment.md)"
# The shape of the apps' own (pino) lines on stdout: level 60 is fatal, time in milliseconds, the
# host name as os.hostname() gives it.
printf '{"level":60,"time":%s,"pid":%s,"hostname":"%s","app":"app-entrypoint","exitCode":%s,"command":"%s","msg":"%s"}\n' \
  "$(date +%s%3N)" "$$" "$(json_escape "$(cat /proc/sys/kernel/hostname 2>/dev/null)")" "$code" "$(json_escape "$*")" "$(json_escape "$msg")"

# Parked. docker stop still ends it at once.
sleeper=
trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM INT HUP
while :; do
  sleep 3600 &
  sleeper=$!
  wait "$sleeper"
done
