#!/usr/bin/env bash
# run_fuzzer.sh FUZZER CORPUS_DIR SECONDS
# 1. Replays every regression input (tests/fuzz/regressions/<fuzzer>/*): each must pass.
# 2. Fuzzes for SECONDS, starting from the seed corpus (copied, so the repo is not written).
# A crash leaves its input in $TMPDIR/sysgrok-fuzz-*/ : add it to regressions/<fuzzer>/.
set -euo pipefail
bin=$1
corpus=$2
secs=$3
name=$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
regress="$here/regressions/$name"
if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
  "$bin" -runs=1 "$regress"/* >/dev/null 2>&1 || { echo "regression input failed:"; "$bin" "$regress"/*; exit 1; }
  echo "$name: $(ls "$regress" | wc -l) regression inputs pass"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/sysgrok-fuzz-$name.XXXXXX")
mkdir -p "$work/corpus" "$work/artifacts"
if [ -d "$corpus" ]; then cp -r "$corpus"/. "$work/corpus/"; fi
if "$bin" -max_total_time="$secs" -max_len=8192 -rss_limit_mb=2048 -timeout=10 \
     -artifact_prefix="$work/artifacts/" "$work/corpus" > "$work/log" 2>&1; then
  echo "$name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" || true) ran clean for ${secs}s ($(grep -c '' "$work/log") log lines)"
  tail -1 "$work/log"
  rm -rf "$work"
else
  tail -60 "$work/log"
  echo "$name: FAILED; crashing input kept in $work/artifacts/ (copy it into $regress/)"
  exit 1
fi
