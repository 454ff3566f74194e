#!/usr/bin/env python3
"""Issue 8 bar, network: real shippers deliver every message to `sysgrok watch`.

`logger` (util-linux) sends messages over TCP to an rsyslog started by this test (an
unprivileged rsyslogd with its own config, work directory and pid file; no system daemon).
rsyslog forwards every message three ways to one sysgrok watch:
  - UDP syslog (omfwd, RFC 3164 forwarding format),
  - TCP syslog (omfwd, octet-counted framing),
  - omelasticsearch (bulk mode) to sysgrok's Elasticsearch-compatible --http endpoint.
Checks: every message arrives once per path (counted in --events-out by source); then a
brute-force burst (12 sshd "Failed password" lines from one IP, sent through the same
rsyslog) raises the built-in ssh_brute_force alert (--json alerts on stdout).
Skips (exit 77) when rsyslogd or logger is not installed.
"""
import argparse
import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MESSAGES = 3000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(pred, timeout, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


RSYSLOG_CONF = """
global(workDirectory="{work}/rsyslog" maxMessageSize="64k")
module(load="imtcp")
module(load="omelasticsearch")
input(type="imtcp" address="127.0.0.1" port="{in_port}" ruleset="fwd")
template(name="ecs" type="list" option.jsonf="on") {{
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host.name" name="hostname" format="jsonf")
  property(outname="process.name" name="programname" format="jsonf")
  property(outname="process.pid" name="procid" format="jsonf")
  property(outname="message" name="msg" format="jsonf" droplastlf="on")
}}
ruleset(name="fwd") {{
  action(type="omfwd" target="127.0.0.1" port="{udp_port}" protocol="udp"
         template="RSYSLOG_TraditionalForwardFormat")
  action(type="omfwd" target="127.0.0.1" port="{tcp_port}" protocol="tcp"
         tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
         queue.type="LinkedList" queue.size="100000" action.resumeRetryCount="-1")
  action(type="omelasticsearch" server="127.0.0.1" serverport="{http_port}"
         template="ecs" searchIndex="syslog-test" bulkmode="on" esVersion.major="8"
         errorFile="{work}/es-errors.json"
         queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="500"
         action.resumeRetryCount="-1")
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    rsyslogd = shutil.which("rsyslogd") or ("/usr/sbin/rsyslogd" if os.path.exists(
        "/usr/sbin/rsyslogd") else None)
    logger = shutil.which("logger")
    if not rsyslogd or not logger or not os.path.exists(
            "/usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so"):
        print("SKIP: rsyslog, rsyslog-elasticsearch or logger not installed (scripts/setup)")
        sys.exit(77)
    work = tempfile.mkdtemp(prefix="sysgrok-watch-rsyslog-")
    procs = []
    ok = True
    try:
        ports = {k: free_port() for k in ("in_port", "udp_port", "tcp_port", "http_port")}
        events = os.path.join(work, "events.json")
        alerts = open(os.path.join(work, "alerts.json"), "wb")
        err = open(os.path.join(work, "sysgrok.err"), "wb")
        watch = subprocess.Popen(
            [args.sysgrok, "watch", "--no-store", "--json", "--events-out", events,
             "--syslog", f"udp://127.0.0.1:{ports['udp_port']}",
             "--syslog", f"tcp://127.0.0.1:{ports['tcp_port']}",
             "--http", f"127.0.0.1:{ports['http_port']}", "--checkpoint-ms", "100"],
            stdout=alerts, stderr=err)
        procs.append(watch)
        if not wait_until(lambda: b"started" in open(os.path.join(work, "sysgrok.err"),
                                                     "rb").read(), 20):
            raise SystemExit("sysgrok watch did not start")
        os.makedirs(os.path.join(work, "rsyslog"))
        conf = os.path.join(work, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(RSYSLOG_CONF.format(work=work, **ports))
        rs_err = open(os.path.join(work, "rsyslog.err"), "wb")
        rs = subprocess.Popen([rsyslogd, "-n", "-f", conf, "-i",
                               os.path.join(work, "rsyslog.pid")],
                              stdout=rs_err, stderr=subprocess.STDOUT)
        procs.append(rs)

        def rs_up():
            try:
                socket.create_connection(("127.0.0.1", ports["in_port"]), 0.2).close()
                return True
            except OSError:
                return False
        if not wait_until(rs_up, 20):
            raise SystemExit("rsyslogd did not start: " +
                             open(os.path.join(work, "rsyslog.err")).read())

        # 1. Every message arrives, by each of the three paths.
        lines = os.path.join(work, "lines.txt")
        with open(lines, "w") as f:
            for i in range(MESSAGES):
                f.write(f"watch-test msg={i} order {i % 7} shipped\n")
        subprocess.run([logger, "-n", "127.0.0.1", "-P", str(ports["in_port"]), "-T",
                        "--octet-count", "-t", "shipper", "--id=777", "-f", lines], check=True)

        def counts():
            c = collections.defaultdict(set)
            if os.path.exists(events):
                for ln in open(events, "rb"):
                    try:
                        d = json.loads(ln)
                    except ValueError:
                        continue
                    m = re.search(r"watch-test msg=(\d+) ", d.get("message", ""))
                    if m:
                        c[d["log.file.path"].split(":")[0]].add(int(m.group(1)))
            return c
        wait_until(lambda: all(len(v) >= MESSAGES for v in counts().values())
                   and len(counts()) == 3, 60, 0.5)
        c = counts()
        for kind in ("udp", "tcp", "http"):
            got = len(c.get(kind, ()))
            good = got == MESSAGES
            ok = ok and good
            print(f"rsyslog -> {kind}: {got} of {MESSAGES} messages "
                  f"-> {'ok' if good else 'FAIL'}")
        # The sender address is kept for syslog paths.
        with open(events, "rb") as f:
            sample = [json.loads(ln) for ln in f.readlines()[:50]]
        have_addr = any(d.get("log.source.address", "").startswith("127.0.0.1:")
                        for d in sample)
        print(f"sender address kept: {'ok' if have_addr else 'FAIL'}")
        ok = ok and have_addr

        # 2. A brute-force burst through rsyslog raises the brute-force alert.
        burst = os.path.join(work, "burst.txt")
        with open(burst, "w") as f:
            for i in range(12):
                f.write(f"Failed password for root from 203.0.113.77 port {40000 + i} ssh2\n")
        subprocess.run([logger, "-n", "127.0.0.1", "-P", str(ports["in_port"]), "-T",
                        "-t", "sshd", "--id=4242", "-f", burst], check=True)

        def brute():
            for ln in open(os.path.join(work, "alerts.json"), "rb"):
                d = json.loads(ln)
                if "brute force" in d.get("rule.name", "").lower() and \
                        d.get("source.ip") == "203.0.113.77":
                    return d
            return None
        found = wait_until(lambda: brute() is not None, 20)
        print(f"brute-force alert through rsyslog: {'ok' if found else 'FAIL'}")
        if found:
            print(f"  {brute()['rule.id']}: {brute()['message']}")
        ok = ok and found

        # 3. The alert belongs to an incident, announced when it opened.
        def incident():
            alert = brute()
            if alert is None or not alert.get("sysgrok.incident"):
                return None
            for ln in open(os.path.join(work, "alerts.json"), "rb"):
                d = json.loads(ln)
                if d.get("rule.id") == "sysgrok.incident" and \
                        d.get("sysgrok.incident") == alert["sysgrok.incident"] and \
                        d.get("sysgrok.incident_event") == "opened" and d["event.severity"] >= 47:
                    return d
            return None
        inc = wait_until(lambda: incident() is not None, 10)
        print(f"incident opened for the brute force: {'ok' if inc else 'FAIL'}")
        ok = ok and inc
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        if not ok:
            for name in ("sysgrok.err", "rsyslog.err", "es-errors.json"):
                path = os.path.join(work, name)
                if os.path.exists(path):
                    sys.stderr.write(f"--- {name}\n" + open(path, errors="replace").read()[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
