#!/usr/bin/env python3
"""`sysgrok watch` benchmarks (issue 8): alert latency and sustained TCP syslog ingest.

1. Latency: a writer appends RFC 3164 lines to a followed file at a steady 10 k lines/s;
   every 100 ms one new source IP sends an SSH brute-force burst (10 'Failed password'
   lines, the threshold of the built-in ssh_brute_force rule). Latency = time the alert
   line for that IP appears on sysgrok's stdout - time the 10th failure was written.
   Goal: p50 <= 1 s, p99 <= 2 s.
2. Throughput: N RFC 3164 lines (several services, 10 % sshd failures) are sent over one
   TCP connection (newline framing) as fast as the socket takes them; sysgrok runs with
   the detectors and the built-in Sigma rules on. Rate = N / (last line processed - first
   byte sent), read from --stats. Goal: >= 200 k lines/s.
Writes a Markdown section (--out) for docs/BENCHMARKS.md.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def stamp(t):
    g = time.gmtime(t)
    return f"{MONTHS[g.tm_mon - 1]} {g.tm_mday:2d} {g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d}"


def background(i, t):
    r = i % 5
    s = stamp(t)
    if r == 0:
        return f"{s} web1 nginx[811]: GET /api/items/{i % 977} 200 {i % 5000} bytes in {i % 90} ms\n"
    if r == 1:
        return f"{s} db1 postgres[77]: checkpoint complete: wrote {i % 300} buffers ({i % 7}.{i % 10}%)\n"
    if r == 2:
        return f"{s} app1 worker[900]: job {i} finished for user u{i % 313} in {i % 1000} ms\n"
    if r == 3:
        return f"{s} app1 CRON[{1000 + i % 50}]: (root) CMD (run-parts /etc/cron.hourly)\n"
    return f"{s} web1 sshd[{2000 + i % 100}]: Accepted publickey for deploy from 10.0.{i % 200}.{i % 250} port {30000 + i % 2000} ssh2\n"


def failure(ip, k, t):
    return f"{stamp(t)} web1 sshd[{5000 + k}]: Failed password for root from {ip} port {40000 + k} ssh2\n"


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def latency(exe, work, seconds=20, rate=10000):
    log = os.path.join(work, "lat.log")
    open(log, "w").close()
    proc = subprocess.Popen([exe, "watch", log, "--no-store", "--json", "--window", "1m"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    sent = {}
    seen = {}

    def reader():
        for ln in proc.stdout:
            try:
                d = json.loads(ln)
            except ValueError:
                continue
            ip = d.get("source.ip")
            if ip and "brute force" in d.get("rule.name", "").lower() and ip not in seen:
                seen[ip] = time.time()
    th = threading.Thread(target=reader, daemon=True)
    th.start()
    tick = 0.01
    per_tick = int(rate * tick)
    i = 0
    burst = 0
    start = time.time()
    with open(log, "a") as f:
        while time.time() - start < seconds:
            t0 = start + tick * (i // per_tick)
            now = time.time()
            if t0 > now:
                time.sleep(t0 - now)
            lines = [background(i + k, now) for k in range(per_tick)]
            i += per_tick
            ip = None
            if (i // per_tick) % 10 == 0:  # every 100 ms: a burst from a new IP
                burst += 1
                ip = f"198.51.{burst // 250}.{burst % 250 + 1}"
                lines = lines[:per_tick - 10] + [failure(ip, k, now) for k in range(10)]
            written = time.time()  # before the write: latency is not understated
            f.write("".join(lines))
            f.flush()
            if ip:
                sent[ip] = written
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    lat = [seen[ip] - sent[ip] for ip in sent if ip in seen]
    return {"lines": i, "seconds": seconds, "bursts": len(sent), "alerts": len(lat),
            "p50": percentile(lat, 50) if lat else None,
            "p99": percentile(lat, 99) if lat else None,
            "max": max(lat) if lat else None}


def throughput(exe, work, n):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err_path = os.path.join(work, "tp.err")
    err = open(err_path, "wb")
    proc = subprocess.Popen([exe, "watch", "--no-store", "--syslog", f"tcp://127.0.0.1:{port}",
                             "--stats", "0.2"], stdout=subprocess.DEVNULL, stderr=err)
    time.sleep(1.0)
    t = time.time()
    rnd = random.Random(7)
    parts = []
    for i in range(n):
        if i % 10 == 0:
            parts.append(failure(f"203.0.{rnd.randrange(200)}.{rnd.randrange(250)}", i % 1000, t))
        else:
            parts.append(background(i, t))
    payload = "".join(parts).encode()
    t0 = time.time()
    with socket.create_connection(("127.0.0.1", port)) as c:
        c.sendall(payload)
    t_sent = time.time()
    done = None
    deadline = time.time() + 120
    while time.time() < deadline:
        with open(err_path, "rb") as f:
            text = f.read().decode(errors="replace")
        lines = [ln for ln in text.splitlines() if " stats " in ln]
        if lines:
            got = int(lines[-1].split(" lines ")[1].split()[0])
            if got >= n:
                done = time.time()
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    if done is None:
        return {"lines": n, "rate": None}
    # --stats prints every 0.2 s: the end is known to within that.
    return {"lines": n, "bytes": len(payload), "seconds": done - t0,
            "send_seconds": t_sent - t0, "rate": n / (done - t0)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default="")
    ap.add_argument("--out", default="")
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--seconds", type=int, default=20)
    args = ap.parse_args()
    exe = os.path.join(args.build, "sysgrok")
    work = tempfile.mkdtemp(prefix="sysgrok-watch-bench-")
    try:
        lat = latency(exe, work, args.seconds)
        tp = throughput(exe, work, args.lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"
    rate = "n/a" if tp["rate"] is None else f"{tp['rate']:,.0f}"
    md = ["## sysgrok watch (issue 8)", "",
          f"Alert latency, file followed while written at 10 k lines/s for {lat['seconds']} s "
          f"({lat['lines']} lines), one SSH brute-force burst (10 failures) from a new IP "
          "every 100 ms; latency = alert on stdout - 10th failure written "
          "(`bench/watch_bench.py`).", "",
          "| bursts | alerts | p50 (s) | p99 (s) | max (s) | goal |",
          "|---|---|---|---|---|---|",
          f"| {lat['bursts']} | {lat['alerts']} | {fmt(lat['p50'])} | {fmt(lat['p99'])} | "
          f"{fmt(lat['max'])} | p50 <= 1 s, p99 <= 2 s |", "",
          f"Sustained ingest over TCP syslog (one connection, newline framing), detectors and "
          f"built-in Sigma rules on, {tp['lines']} lines:", "",
          "| lines | seconds | lines/s | goal |", "|---|---|---|---|",
          f"| {tp['lines']} | {fmt(tp.get('seconds'))} | {rate} | >= 200 k lines/s |", ""]
    text = "\n".join(md) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
