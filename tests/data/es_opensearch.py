#!/usr/bin/env python3
"""sysgrok against a real OpenSearch 2.19 node (started here, stopped at the end).

On Loghub 2k logs:
  - `analyze FILE --es URL` indexes exactly one document per event plus the findings;
  - counts by template id and by time range match what the file holds;
  - sending again creates nothing (stable ids);
  - `analyze --from-es` yields the same findings as analysing the file;
  - `parse --from-es` with point in time and with scroll returns every event once;
  - `watch --es URL` following a file sends each of its lines once and its alerts (with
    their incident number) to the findings data stream.
Exit 77 (skip) when ../shared/data or Java/Maven (or Maven Central) is missing.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "integration"))
import opensearch_node as osn  # noqa: E402

DATASETS = ["Linux", "OpenSSH", "HDFS"]


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode not in (0, 3):
        raise AssertionError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return r


def findings_of(ndjson):
    """Finding and incident lines of `analyze --json`, comparable across runs."""
    out = []
    for line in ndjson.splitlines():
        j = json.loads(line)
        if "sysgrok.report" in j:
            continue
        out.append(json.dumps(j, sort_keys=True))
    return sorted(out)


def check_dataset(sysgrok, url, shared, name, tmp, failures):
    path = os.path.join(shared, "loghub2k", name, f"{name}_2k.log")
    ns = name.lower()
    events_idx = f"logs-sysgrok.events-{ns}"
    findings_idx = f"logs-sysgrok.findings-{ns}"
    spool = os.path.join(tmp, "spool-" + ns)
    common = ["--es", url, "--es-namespace", ns, "--es-replicas", "0", "--es-spool", spool]

    def expect(cond, msg):
        if not cond:
            failures.append(f"{name}: {msg}")
            print(f"FAIL {name}: {msg}")

    # What the file holds, without the cluster.
    parsed = [json.loads(l) for l in run([sysgrok, "parse", path]).stdout.splitlines()]
    from_file = run([sysgrok, "analyze", "--no-llm", path, "--json"]).stdout
    file_findings = findings_of(from_file)
    n_findings = sum(1 for l in file_findings if json.loads(l).get("rule.id") != "sysgrok.incident")

    r = run([sysgrok, "analyze", "--no-llm", path, "--json"] + common)
    expect(findings_of(r.stdout) == file_findings, "--es changed the analysis output")
    n_events = osn.count(url, events_idx)
    expect(n_events == len(parsed), f"{n_events} event documents, expected {len(parsed)}")
    st, card = osn.call(f"{url}/{events_idx}/_search", "POST", {
        "size": 0, "aggs": {"ids": {"cardinality": {"field": "event.id", "precision_threshold": 40000}}}})
    expect(card["aggregations"]["ids"]["value"] == len(parsed), "event ids are not unique")
    n_find = osn.count(url, findings_idx)
    expect(n_find == n_findings, f"{n_find} finding documents, expected {n_findings}")
    n_alert = osn.count(url, findings_idx, {"term": {"event.kind": "alert"}})
    expect(n_alert == n_findings, "findings are not all event.kind alert")

    # Counts by template id and time range.
    by_tid = {}
    for e in parsed:
        by_tid[e["sysgrok.template_id"]] = by_tid.get(e["sysgrok.template_id"], 0) + 1
    ranked = sorted(by_tid.items(), key=lambda kv: (-kv[1], kv[0]))
    for tid, n in ranked[:3] + ranked[-2:]:
        got = osn.count(url, events_idx, {"term": {"sysgrok.template_id": tid}})
        expect(got == n, f"template {tid}: {got} documents, expected {n}")
    stamps = sorted(e["@timestamp"] for e in parsed if e["@timestamp"])
    if stamps:
        lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
        want = sum(1 for e in parsed if e["@timestamp"] and lo <= e["@timestamp"] < hi)
        got = osn.count(url, events_idx, {"range": {"@timestamp": {"gte": lo, "lt": hi}}})
        expect(got == want, f"time range [{lo}, {hi}): {got} documents, expected {want}")

    # Again: nothing new (document ids are stable).
    r = run([sysgrok, "analyze", "--no-llm", path, "--json"] + common)
    expect(osn.count(url, events_idx) == len(parsed), "a second run duplicated events")
    expect(osn.count(url, findings_idx) == n_findings, "a second run duplicated findings")
    expect(" 0 created" in r.stderr, "a second run created documents: " + r.stderr.strip()[-300:])

    # The same analysis from the cluster.
    r = run([sysgrok, "analyze", "--no-llm", "--from-es", url, "--index", events_idx, "--json"])
    es_findings = findings_of(r.stdout)
    expect(es_findings == file_findings,
           f"--from-es findings differ: {len(es_findings)} lines vs {len(file_findings)} from the file")
    for mode in ([], ["--es-scroll"]):
        r = run([sysgrok, "parse", "--from-es", url, "--index", events_idx, "--no-templates"] + mode)
        ids = [json.loads(l)["sysgrok.id"] for l in r.stdout.splitlines()]
        expect(sorted(ids) == sorted(e["sysgrok.id"] for e in parsed),
               f"parse --from-es {' '.join(mode) or '(point in time)'}: {len(ids)} events")
    print(f"{name}: {len(parsed)} events, {n_findings} findings: checked")


def check_watch(sysgrok, url, shared, tmp, failures):
    """`watch --es`: the OpenSSH 2k log appended to a followed file while watching."""
    src = os.path.join(shared, "loghub2k", "OpenSSH", "OpenSSH_2k.log")
    lines = [l for l in open(src, errors="replace").read().splitlines() if l.strip()]
    log = os.path.join(tmp, "watched.log")
    open(log, "w").close()
    ns = "watch"
    spool = os.path.join(tmp, "spool-watch")
    out = open(os.path.join(tmp, "watch.out"), "wb")
    err = open(os.path.join(tmp, "watch.err"), "wb")
    p = subprocess.Popen([sysgrok, "watch", log, "--no-store", "--json", "--es", url,
                          "--es-namespace", ns, "--es-replicas", "0", "--es-spool", spool],
                         stdout=out, stderr=err)
    try:
        time.sleep(1.0)
        with open(log, "a") as f:
            for i in range(0, len(lines), 500):
                f.write("\n".join(lines[i:i + 500]) + "\n")
                f.flush()
                time.sleep(0.2)
        time.sleep(2.0)
    finally:
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=120)
    out.close()
    err.close()
    alerts = [json.loads(l) for l in open(os.path.join(tmp, "watch.out"))]
    findings = [a for a in alerts if a.get("rule.id") != "sysgrok.incident"]

    def expect(cond, msg):
        if not cond:
            failures.append(f"watch: {msg}")
            print(f"FAIL watch: {msg}")

    expect(rc == 0, f"watch exited {rc}: " + open(os.path.join(tmp, "watch.err")).read()[-500:])
    osn.call(f"{url}/logs-sysgrok.*-{ns}/_refresh", "POST")
    n_events = osn.count(url, f"logs-sysgrok.events-{ns}")
    expect(n_events == len(lines), f"{n_events} event documents, expected {len(lines)}")
    n_find = osn.count(url, f"logs-sysgrok.findings-{ns}")
    expect(findings and n_find == len(findings),
           f"{n_find} finding documents for {len(findings)} alerts printed")
    expect(all(a.get("sysgrok.incident") for a in findings), "an alert without its incident")
    print(f"watch --es: {n_events} events, {n_find} alerts: checked")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.shared, "loghub2k")):
        print(f"skip: {a.shared}/loghub2k not found (../shared/data is not available here)")
        return 77
    node = osn.Node()
    try:
        try:
            url = node.start()
        except osn.Unavailable as e:
            print(f"skip: {e}")
            return 77
        print(f"OpenSearch 2.19 at {url}, ready in {node.startup_s:.1f} s")
        failures = []
        with tempfile.TemporaryDirectory() as tmp:
            for name in DATASETS:
                check_dataset(a.sysgrok, url, a.shared, name, tmp, failures)
            check_watch(a.sysgrok, url, a.shared, tmp, failures)
        if failures:
            print(f"{len(failures)} checks failed")
            return 1
        print("es_opensearch: all checks passed")
        return 0
    finally:
        node.stop()
        node.remove()


if __name__ == "__main__":
    sys.exit(main())
