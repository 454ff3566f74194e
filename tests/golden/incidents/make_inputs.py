#!/usr/bin/env python3
"""Writes the inputs of the incidents golden suite (deterministic). Run from this folder."""
import random
from datetime import datetime, timedelta

rng = random.Random(42)
T0 = datetime(2026, 5, 1, 8, 0, 0)


def line(t, host, prog, pid, msg):
    return f"{t.strftime('%Y-%m-%dT%H:%M:%S')}Z {host} {prog}[{pid}]: {msg}"


def normal(t):
    """About 6 events a minute of ordinary traffic from two services."""
    out = []
    for s in range(0, 60, 10):
        u = t + timedelta(seconds=s + rng.randint(0, 5))
        k = rng.random()
        if k < 0.5:
            out.append(line(u, "app1", "api", 311, f"request served path=/items/{rng.randint(1, 500)} "
                            f"status=200 ms={rng.randint(5, 60)}"))
        elif k < 0.8:
            out.append(line(u, "app1", "api", 311, f"cache hit key=item:{rng.randint(1, 500)}"))
        else:
            out.append(line(u, "db1", "postgres", 90, f"checkpoint complete: wrote "
                            f"{rng.randint(10, 90)} buffers"))
    return out


def write(name, minutes, faults):
    lines = []
    for m in range(minutes):
        t = T0 + timedelta(minutes=m)
        lines += normal(t)
        lines += faults(m, t)
    lines.sort()
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n")


def outage(m, t):
    out = []
    if 120 <= m < 135:  # a new error template, bursting, in two services
        for s in range(0, 60, 4):
            u = t + timedelta(seconds=s)
            out.append(line(u, "app1", "api", 311, "upstream db1:5432 connection refused, "
                            f"giving up after {rng.randint(2, 4)} retries"))
        out.append(line(t + timedelta(seconds=30), "db1", "postgres", 90,
                        "FATAL: could not open file \"base/16384/2619\": No space left on device"))
    if 150 <= m < 154:  # a spike of a known template
        for s in range(0, 60, 2):
            u = t + timedelta(seconds=s)
            out.append(line(u, "app1", "api", 311, f"cache hit key=item:{rng.randint(1, 500)}"))
    return out


write("outage.log", 180, outage)
write("clean_vs_itself.log", 180, lambda m, t: [])
