#!/usr/bin/env python3
"""Cluster outage during a large run (make test-slow).

Generates N events (default 1,000,000), runs `sysgrok parse FILE --es URL`, kills the
OpenSearch node (SIGKILL) part-way, starts it again on the same port and data directory
after a pause, and checks that the index then holds exactly the input events: count == N,
one backing index (ids unique within it), lines 1..N present, nothing dead-lettered.
Exit 77 when Java/Maven are missing.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opensearch_node as osn  # noqa: E402

HOSTS = ["web1", "web2", "db1", "cache3"]
PROGS = ["sshd", "nginx", "postgres", "kernel", "cron"]


def generate(path, n, seed=7):
    rnd = random.Random(seed)
    msgs = [
        "Accepted password for {u} from 10.0.{a}.{b} port {p} ssh2",
        "Failed password for invalid user {u} from 192.168.{a}.{b} port {p} ssh2",
        "connection {p} closed after {a} ms",
        "GET /api/v{a}/items/{p} 200 {b}",
        "checkpoint complete: wrote {p} buffers ({a}.{b}%)",
        "Out of memory: Killed process {p} ({u})",
    ]
    with open(path, "w") as f:
        for i in range(n):
            s = i // 50  # 50 events per second
            ts = time.strftime("%b %d %H:%M:%S", time.gmtime(1_700_000_000 + s))
            m = msgs[rnd.randrange(len(msgs))].format(
                u=rnd.choice(["root", "alice", "bob", "admin"]), a=rnd.randrange(256),
                b=rnd.randrange(256), p=rnd.randrange(65536))
            f.write(f"{ts} {rnd.choice(HOSTS)} {rnd.choice(PROGS)}[{rnd.randrange(1, 9999)}]: {m} #{i}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--kill-at", type=float, default=0.3, help="fraction indexed when the node dies")
    ap.add_argument("--down-s", type=float, default=15, help="seconds the node stays down")
    a = ap.parse_args()
    node = osn.Node()
    tmp = tempfile.mkdtemp(prefix="sysgrok-fault-")
    try:
        try:
            url = node.start()
        except osn.Unavailable as e:
            print(f"skip: {e}")
            return 77
        log = os.path.join(tmp, "big.log")
        t0 = time.time()
        generate(log, a.events)
        print(f"generated {a.events} events in {time.time() - t0:.1f} s; node at {url}")
        idx = "logs-sysgrok.events-fault"
        cmd = [a.sysgrok, "parse", log, "--year", "2023", "--es", url, "--es-namespace", "fault",
               "--es-replicas", "0", "--es-spool", os.path.join(tmp, "spool"),
               "--es-drain-timeout", "600"]
        t0 = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        killed_at = None
        while proc.poll() is None:
            time.sleep(0.5)
            try:
                osn.call(f"{url}/{idx}/_refresh", "POST", timeout=10)
                n = osn.count(url, idx)
            except Exception:  # index not there yet
                continue
            if n >= a.kill_at * a.events:
                killed_at = n
                break
        if killed_at is None:
            print("FAIL: the run ended before the node could be stopped; raise --events")
            return 1
        node.kill()
        print(f"killed the node at {killed_at} indexed events ({time.time() - t0:.1f} s into the run)")
        time.sleep(a.down_s)
        node.start()
        print(f"node back on {node.url} after {a.down_s:.0f} s down (start-up {node.startup_s:.1f} s)")
        _, err = proc.communicate(timeout=1800)
        elapsed = time.time() - t0
        print(err.strip().splitlines()[-1] if err.strip() else "(no summary)")
        if proc.returncode != 0:
            print(f"FAIL: sysgrok exited {proc.returncode}:\n{err[-2000:]}")
            return 1
        osn.call(f"{url}/{idx}/_refresh", "POST")
        n = osn.count(url, idx)
        st, ds = osn.call(f"{url}/_data_stream/{idx}")
        backing = len(ds["data_streams"][0]["indices"])
        st, agg = osn.call(f"{url}/{idx}/_search", "POST", {"size": 0, "aggs": {
            "lo": {"min": {"field": "event.sequence"}}, "hi": {"max": {"field": "event.sequence"}},
            "seq": {"cardinality": {"field": "event.sequence", "precision_threshold": 40000}}}})
        lo = int(agg["aggregations"]["lo"]["value"])
        hi = int(agg["aggregations"]["hi"]["value"])
        stats = re.search(r"(\d+) documents, (\d+) created, (\d+) already there, (\d+) retried, "
                          r"(\d+) dead-lettered, (\d+) bodies spooled, (\d+) replayed", err)
        print(f"after the outage: {n} documents (expected {a.events}), {backing} backing index, "
              f"lines {lo}..{hi}, {elapsed:.1f} s in all")
        ok = n == a.events and backing == 1 and lo == 1 and hi == a.events
        if stats:
            docs, created, existed, _, dead, spooled, replayed = map(int, stats.groups())
            print(f"sysgrok: {created} created, {existed} already there, {dead} dead-lettered, "
                  f"{spooled} bodies spooled, {replayed} replayed")
            ok = ok and dead == 0 and created + existed == a.events
        print("es_fault_test: " + ("passed" if ok else "FAILED"))
        return 0 if ok else 1
    finally:
        node.stop()
        node.remove()
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
