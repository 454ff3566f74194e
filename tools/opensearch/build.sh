#!/usr/bin/env bash
# Builds the OpenSearch harness jar and its classpath file (Maven Central artifacts
# cached in ~/.m2). Idempotent: does nothing when the jar is newer than its sources.
# Prints the path of the classpath file (target/classpath.txt): the harness jar first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
jar="target/sysgrok-opensearch-harness-1.0.jar"
cp_file="target/classpath.txt"
if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
  echo "opensearch harness: needs java (17) and mvn: run scripts/setup" >&2
  exit 1
fi
newest_src=$(find pom.xml src -type f -newer "$cp_file" 2>/dev/null | head -1 || true)
if [ -f "$jar" ] && [ -f "$cp_file" ] && [ -z "$newest_src" ]; then
  echo "$here/$cp_file"
  exit 0
fi
args=(-q -B package dependency:build-classpath -Dmdep.outputFile=target/deps.txt)
# Offline first (everything cached in ~/.m2: fast, no network); else fetch from Central.
if ! mvn -o "${args[@]}" >/dev/null 2>&1; then
  mvn "${args[@]}" >&2
fi
echo "$here/$jar:$(cat target/deps.txt)" > "$cp_file"
echo "$here/$cp_file"
