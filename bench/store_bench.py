#!/usr/bin/env python3
"""SQLite store benchmark (issue 6): rows/s of the store writer and the cost of
`--store --store-events` in `sysgrok parse`.

Usage: bench/store_bench.py --build build --shared ../shared/data --out FILE.md
Writes a markdown section "## SQLite store (issue 6)".
"""
import argparse
import os
import re
import resource
import subprocess
import tempfile
import time


def timed(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr[-1000:]}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return r.stdout, wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    a = ap.parse_args()
    bench = os.path.join(a.build, "bench", "bench_store")
    sysgrok = os.path.join(a.build, "sysgrok")
    gen = os.path.join(a.build, "bench", "gen_logs")
    lines = ["## SQLite store (issue 6)", "",
             "`bench_store` drives `store::writer` alone (synthetic events, ~90-byte messages, batches "
             "of 4096, one commit per 65,536 rows, WAL, synchronous=NORMAL) on one thread. rows/s is "
             "wall-clock (includes fsync and a shared, busy disk); rows per CPU-second is what one "
             "dedicated core does. Goal: >= 500 k rows/s on one core.", "",
             "| Writer | Rows | Wall s | Rows/s (wall) | Rows per CPU-s | File MB |",
             "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        for label, rows, extra in [("events, no FTS", a.rows, []),
                                   ("events + FTS5 index", a.rows // 4, ["fts"])]:
            best = None
            for _ in range(3):
                out, wall, cpu = timed([bench, db, str(rows)] + extra)
                m = dict(kv.split("=") for kv in out.split())
                if best is None or float(m["seconds"]) < best[0]:
                    best = (float(m["seconds"]), cpu, int(m["bytes"]))
            secs, cpu, size = best
            lines.append(f"| {label} | {rows:,} | {secs:.2f} | {rows / secs:,.0f} | {rows / cpu:,.0f} | "
                         f"{size / 1e6:.0f} |")
        # End to end: parse a synthetic syslog file with and without --store-events.
        log = os.path.join(tmp, "syn.log")
        with open(log, "w") as f:
            subprocess.run([gen, "syslog", str(120 * a.rows), "42"], stdout=f, check=True)
        n = sum(1 for _ in open(log, "rb"))
        lines += ["", f"`sysgrok parse` on a synthetic syslog file ({n:,} lines). The first row writes the "
                  "JSON lines to /dev/null; with --store and no -o no JSON is written:", "",
                  "| Run | Wall s | Lines/s |", "|---|---|---|"]
        for label, extra in [("parse, JSON to /dev/null", ["-o", "/dev/null"]),
                             ("--store (templates, run)", ["--store", db]),
                             ("--store --store-events --store-no-fts", ["--store", db, "--store-events", "--store-no-fts"]),
                             ("--store --store-events (FTS5)", ["--store", db, "--store-events"])]:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            _, wall, _ = timed([sysgrok, "parse", log] + extra)
            lines.append(f"| {label} | {wall:.2f} | {n / wall:,.0f} |")
    lines.append("")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
