#!/usr/bin/env python3
"""Elasticsearch/OpenSearch sink benchmark (issue 6): documents/s from `sysgrok parse --es`
into a local OpenSearch 2.19 node (started here; its CPU use is measured from /proc).

Usage: bench/es_bench.py --build build --shared ../shared/data --out FILE.md
Writes a markdown section "## Elasticsearch / OpenSearch sink (issue 6)".
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "integration"))
import opensearch_node as osn  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICK  # utime + stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--lines", type=int, default=300_000)
    a = ap.parse_args()
    sysgrok = os.path.join(a.build, "sysgrok")
    gen = os.path.join(a.build, "bench", "gen_logs")
    head = ["## Elasticsearch / OpenSearch sink (issue 6)", ""]
    node = osn.Node()
    try:
        try:
            url = node.start()
        except osn.Unavailable as e:
            with open(a.out, "w") as f:
                f.write("\n".join(head + [f"Skipped: {e}", ""]) + "\n")
            return 0
        pid = node.pid()
        lines = head + [
            f"One OpenSearch 2.19.1 node in-process (tools/opensearch, -Xmx1g, SerialGC) on this "
            f"machine, 0 replicas, ready in {node.startup_s:.1f} s. `sysgrok parse FILE --es URL` "
            f"on a synthetic syslog file; gzip bodies of 8 MB, one sender thread. CPU columns are "
            f"CPU-seconds per wall-second (2 cores = 2.0) during the run; the node shares the 2 "
            f"cores with sysgrok, so documents/s is bounded by the node.", "",
            "| Run | Docs | Wall s | Docs/s | sysgrok CPU | node CPU | Doc bytes (avg) |",
            "|---|---|---|---|---|---|---|"]
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "syn.log")
            with open(log, "w") as f:
                subprocess.run([gen, "syslog", str(120 * a.lines), "7"], stdout=f, check=True)
            n = sum(1 for _ in open(log, "rb"))
            for k, (label, extra) in enumerate([("events with event.original", []),
                                                ("--es-no-original", ["--es-no-original"])]):
                ns = f"bench{k}"
                cmd = [sysgrok, "parse", log, "--es", url, "--es-namespace", ns, "--es-replicas", "0",
                       "--es-spool", os.path.join(tmp, "spool")] + extra
                c0 = proc_cpu(pid)
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.time()
                r = subprocess.run(cmd, capture_output=True, text=True)
                wall = time.time() - t0
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                node_cpu = proc_cpu(pid) - c0
                own = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
                if r.returncode != 0:
                    raise SystemExit(r.stderr[-2000:])
                got = osn.count(url, f"logs-sysgrok.events-{ns}")
                st, stats = osn.call(f"{url}/logs-sysgrok.events-{ns}/_stats/store")
                size = stats["_all"]["primaries"]["store"]["size_in_bytes"]
                m = re.search(r"(\d+) documents", r.stderr)
                sent = int(m.group(1)) if m else n
                lines.append(f"| {label} | {got:,} of {sent:,} | {wall:.1f} | {n / wall:,.0f} | "
                             f"{own / wall:.2f} | {node_cpu / wall:.2f} | {size / max(got, 1):.0f} on disk |")
        lines.append("")
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        return 0
    finally:
        node.stop()
        node.remove()


if __name__ == "__main__":
    sys.exit(main())
