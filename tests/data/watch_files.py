#!/usr/bin/env python3
"""Issue 8 bar, files: `sysgrok watch` processes every written line exactly once.

Scenarios (each >= 100 k lines, written while sysgrok runs):
  append     lines appended in bursts to one file;
  rotate     rename rotation (app.log -> app.log.1 -> app.log.2, new app.log) while
             writing; only `app.log` is watched, so the rest of each renamed file must
             be read from the open file;
  truncate   copytruncate (copy app.log to app.log.1, truncate app.log) while writing,
             without waiting for sysgrok: lines not yet read are in the copy only;
  restart    sysgrok is killed with SIGKILL twice while lines are written (and the file
             is rotated once while it is down); each restart continues from the
             checkpoint in the store.
Check: the events in --events-out carry exactly the written sequence numbers, each once.
Needs no shared data; --shared is accepted for the common test interface.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LINES = 100_000
SEQ_RE = re.compile(rb'"message":"seq=(\d+) ')


def line(n):
    return f"Mar 14 10:{(n // 60) % 60:02d}:{n % 60:02d} web1 app[4242]: seq={n} " \
           f"user=u{n % 97} took {n % 1000} ms\n"


class Watch:
    def __init__(self, exe, work, extra=()):
        self.exe, self.work, self.extra = exe, work, list(extra)
        self.proc = None
        self.starts = 0

    def start(self):
        cmd = [self.exe, "watch", os.path.join(self.work, "app.log"), "--store",
               os.path.join(self.work, "watch.db"), "--events-out",
               os.path.join(self.work, "events.json"), "--no-detect", "--no-rules",
               "--close-inactive", "2", "--checkpoint-ms", "200"] + self.extra
        self.err = open(os.path.join(self.work, "stderr.txt"), "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.err)
        # Lines that are written and rotated away before sysgrok first looks are not its to
        # find: wait until it follows the file.
        end = time.time() + 20
        while time.time() < end and self.proc.poll() is None:
            with open(os.path.join(self.work, "stderr.txt")) as f:
                if f.read().count("started") > self.starts:
                    break
            time.sleep(0.05)
        self.starts += 1
        time.sleep(0.2)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit("sysgrok watch did not stop within 30 s of SIGTERM")
        if rc != 0:
            raise SystemExit(f"sysgrok watch exited with {rc}")


def seqs(work):
    path = os.path.join(work, "events.json")
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return [int(m.group(1)) for m in SEQ_RE.finditer(f.read())]


def wait_for(work, n, timeout=90):
    end = time.time() + timeout
    got = 0
    while time.time() < end:
        got = len(seqs(work))
        if got >= n:
            return
        time.sleep(0.2)
    print(f"  waited {timeout} s: {got} of {n} events", file=sys.stderr)


def write(path, start, end, burst=2000, pause=0.005):
    with open(path, "a") as f:
        for b in range(start, end, burst):
            f.write("".join(line(n) for n in range(b, min(end, b + burst))))
            f.flush()
            time.sleep(pause)


def rotate(work):
    log = os.path.join(work, "app.log")
    if os.path.exists(log + ".1"):
        os.replace(log + ".1", log + ".2")
    os.replace(log, log + ".1")
    open(log, "a").close()


def copytruncate(work):
    log = os.path.join(work, "app.log")
    if os.path.exists(log + ".1"):  # as logrotate does: older copies move up first
        os.replace(log + ".1", log + ".2")
    shutil.copyfile(log, log + ".1")
    os.truncate(log, 0)


def check(name, work, n):
    got = seqs(work)
    missing = n - len(set(got))
    dups = len(got) - len(set(got))
    extra = [s for s in set(got) if s < 0 or s >= n]
    ok = missing == 0 and dups == 0 and not extra
    if missing:
        gone = sorted(set(range(n)) - set(got))
        runs, start = [], gone[0]
        for a, b in zip(gone, gone[1:] + [None]):
            if b != a + 1:
                runs.append(f"{start}-{a}")
                if b is not None:
                    start = b
        print(f"  missing: {', '.join(runs[:10])}")
    print(f"{name}: written {n}, events {len(got)}, missing {missing}, duplicates {dups}"
          f" -> {'ok' if ok else 'FAIL'}")
    return ok


def scenario(exe, name, body):
    work = tempfile.mkdtemp(prefix=f"sysgrok-watch-{name}-")
    try:
        open(os.path.join(work, "app.log"), "w").close()
        ok = body(exe, work)
        if not ok:
            with open(os.path.join(work, "stderr.txt")) as f:
                sys.stderr.write(f.read()[-3000:])
        return ok
    finally:
        shutil.rmtree(work, ignore_errors=True)


def append(exe, work):
    w = Watch(exe, work)
    w.start()
    write(os.path.join(work, "app.log"), 0, LINES)
    wait_for(work, LINES)
    w.stop()
    return check("append", work, LINES)


def rotation(exe, work):
    w = Watch(exe, work)
    w.start()
    log = os.path.join(work, "app.log")
    step = LINES // 4
    for i in range(4):
        write(log, i * step, (i + 1) * step)
        if i < 3:
            rotate(work)
    wait_for(work, LINES)
    w.stop()
    return check("rotate", work, LINES)


def truncation(exe, work):
    w = Watch(exe, work)
    w.start()
    log = os.path.join(work, "app.log")
    step = LINES // 4
    for i in range(4):
        write(log, i * step, (i + 1) * step, burst=5000, pause=0)
        if i < 3:
            copytruncate(work)
            time.sleep(0.3)  # logrotate runs at most this often; sysgrok must notice
    wait_for(work, LINES)
    w.stop()
    return check("truncate", work, LINES)


def restart(exe, work):
    w = Watch(exe, work)
    log = os.path.join(work, "app.log")
    step = LINES // 5
    w.start()
    write(log, 0, step)
    time.sleep(0.5)
    w.kill()                                  # 1: killed while idle-ish
    write(log, step, 2 * step)                # written while down
    w.start()
    write(log, 2 * step, 3 * step, pause=0)   # killed in the middle of reading
    w.kill()
    rotate(work)                              # rotated while down
    write(log, 3 * step, 4 * step)
    w.start()
    write(log, 4 * step, LINES)
    wait_for(work, LINES)
    w.stop()
    return check("restart", work, LINES)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", default="")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    results = []
    for name, body in [("append", append), ("rotate", rotation), ("truncate", truncation),
                       ("restart", restart)]:
        if args.only and name != args.only:
            continue
        t0 = time.time()
        results.append(scenario(args.sysgrok, name, body))
        print(f"  ({time.time() - t0:.1f} s)")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
