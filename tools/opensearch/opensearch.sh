#!/usr/bin/env bash
# Starts or stops a local OpenSearch 2.19 node (the in-process harness in this folder).
#   opensearch.sh start [HOME]   start in the background, wait until ready, print its URL
#   opensearch.sh stop  [HOME]   stop it (data stays in HOME/data)
#   opensearch.sh url   [HOME]   print the URL of a running node
# HOME defaults to ${SYSGROK_OPENSEARCH_HOME:-/tmp/sysgrok-opensearch}. The HTTP port is free
# (chosen by the node) unless SYSGROK_OPENSEARCH_PORT is set; a node started again with
# the same HOME finds its data again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
home="${2:-${SYSGROK_OPENSEARCH_HOME:-/tmp/sysgrok-opensearch}}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
pid_file="$home/node.pid"
url_file="$home/url"

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "$cmd" in
  start)
    if running; then cat "$url_file"; exit 0; fi
    cp_file="$("$here/build.sh")"
    rm -f "$url_file" "$home/stop"
    nohup java -Xms512m -Xmx1g -XX:+UseSerialGC -Dsysgrok.stdin=detached \
      -Dopensearch.set.netty.runtime.available.processors=false \
      -cp "$(cat "$cp_file")" org.sysgrok.opensearch.Main --home "$home" --url-file "$url_file" \
      --port "${SYSGROK_OPENSEARCH_PORT:-0}" \
      > "$home/node.log" 2>&1 < /dev/null &
    echo $! > "$pid_file"
    for _ in $(seq 1 240); do
      if [ -s "$url_file" ]; then cat "$url_file"; exit 0; fi
      if ! running; then
        echo "opensearch: the node exited during start-up; see $home/node.log:" >&2
        tail -20 "$home/node.log" >&2
        exit 1
      fi
      sleep 0.5
    done
    echo "opensearch: not ready after 120 s; see $home/node.log" >&2
    exit 1
    ;;
  stop)
    if ! running; then echo "opensearch: no node running in $home"; exit 0; fi
    pid="$(cat "$pid_file")"
    touch "$home/stop"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
    rm -f "$pid_file" "$url_file"
    echo "opensearch: stopped (data kept in $home/data)"
    ;;
  url)
    if running; then cat "$url_file"; else echo "opensearch: not running" >&2; exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|url [HOME]" >&2
    exit 2
    ;;
esac
