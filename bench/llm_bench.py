#!/usr/bin/env python3
"""LLM benchmark (issue 5): speed and quality of each installed model.

Per model (through `sysgrok models eval`, the in-process llama.cpp backend):
- seconds per incident explanation (p50/p95), prompt and generation tokens/s, peak RSS;
- template labels: the "error" category against BGL_2k alert labels (per line, through each
  line's template) and against fail2ban's failure oracle (failJSON "match");
- ten incident scenarios built by injecting known faults into real Loghub logs: does the
  explanation cite the fault's template, and does it name the cause;
- citation validity after checking (citations kept / all citations).

Usage: bench/llm_bench.py --build build --shared ../shared/data --out FILE.md
Writes a markdown section "## Local LLM (issue 5)". Skips (with a note) when no model or
no llama.cpp is available.
"""
import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile

BGL_FORMAT = "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>"
F2B_FILES = ["sshd", "apache-auth", "nginx-http-auth", "vsftpd", "dovecot", "postfix"]
F2B_LINES_PER_FILE = 15

# Injected faults: (name, base log, fault message, cause keywords). The fault message gets
# the header of the line it is inserted after, so that it parses like its neighbours.
SCENARIOS = [
    ("disk full", "Linux", "kernel: EXT4-fs error (device sda1): ext4_da_writepages: "
     "No space left on device ({n})", ["disk", "space", "full", "storage"]),
    ("out of memory", "Linux", "kernel: Out of memory: Killed process {n} (java) "
     "total-vm:8123456kB, anon-rss:4000000kB", ["memory", "oom"]),
    ("database refused", "Linux", "app[{n}]: ERROR db.pool: connection to postgres:5432 "
     "refused", ["database", "postgres", "connection", "refused", "db"]),
    ("ssh brute force", "OpenSSH", "sshd[{n}]: Failed password for invalid user admin from "
     "203.0.113.9 port {n} ssh2", ["brute", "password", "login", "authentication", "attack",
                                   "ssh", "invalid user"]),
    ("nfs down", "Linux", "kernel: nfs: server fs01 not responding, still trying ({n})",
     ["nfs", "server", "not responding", "file server", "network"]),
    ("segfault", "Linux", "kernel: worker[{n}]: segfault at 0 ip 00007f3a2c1d4e5f sp "
     "00007ffd1e2f3a40 error 4 in libc.so.6", ["segfault", "crash", "segmentation", "memory"]),
    ("certificate expired", "Apache", "[error] SSL handshake failed: certificate has expired "
     "(client 10.0.{n}.7)", ["certificate", "ssl", "tls", "expired", "handshake"]),
    ("disk i/o errors", "Linux", "kernel: blk_update_request: I/O error, dev sdb, sector {n}",
     ["i/o", "disk", "io error", "hardware", "sdb"]),
    ("upstream timeouts", "Apache", "[error] proxy: upstream timed out (110: Connection timed "
     "out) while reading response header from 10.0.{n}.8", ["timeout", "timed out", "upstream",
                                                              "proxy", "backend"]),
    ("crash loop", "Linux", "systemd[1]: payments.service: Main process exited, code=killed, "
     "status=9/KILL ({n})", ["exit", "killed", "crash", "restart", "service", "payments"]),
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def templates_csv(sysgrok, log, tmp, extra=()):
    out = os.path.join(tmp, os.path.basename(log) + ".csv")
    r = run([sysgrok, "templates", log, "--loghub-csv", out, "-o", os.devnull] + list(extra))
    if r.returncode not in (0, 3):
        raise RuntimeError(f"templates failed on {log}: {r.stderr}")
    with open(out, newline="") as f:
        return list(csv.DictReader(f))


def template_ids(rows):
    """Numbers the distinct templates of a --loghub-csv file in order of appearance (the
    CSV holds template texts, not the miner's ids)."""
    ids = {}
    for r in rows:
        ids.setdefault(r["EventTemplate"], len(ids) + 1)
    return ids


def pct(v, q):
    v = sorted(v)
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def prf(pairs):
    tp = sum(1 for p, t in pairs if p and t)
    fp = sum(1 for p, t in pairs if p and not t)
    fn = sum(1 for p, t in pairs if not p and t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# ---- task construction ----------------------------------------------------------------------

def bgl_tasks(sysgrok, shared, tmp):
    d = os.path.join(shared, "anomaly", "BGL_2k")
    rows = templates_csv(sysgrok, os.path.join(d, "BGL_2k.log"), tmp, ["--log-format", BGL_FORMAT])
    labels = {}
    with open(os.path.join(d, "BGL_2k_labels.csv")) as f:
        for r in csv.DictReader(f):
            labels[int(r["LineId"])] = r["IsAnomaly"] == "1"
    ids = template_ids(rows)
    example = {}
    for r in rows:
        example.setdefault(r["EventTemplate"], r["Content"])
    tasks = [{"id": f"bgl:{ids[t]}", "kind": "label", "template": t, "example": example[t]}
             for t in ids]
    lines = [(f"bgl:{ids[r['EventTemplate']]}", labels[int(r["LineId"])]) for r in rows]
    return tasks, lines


def f2b_tasks(sysgrok, shared, tmp):
    base = os.path.join(shared, "security", "fail2ban-testlogs", "fail2ban", "tests", "files", "logs")
    tasks, lines = [], []
    for name in F2B_FILES:
        path = os.path.join(base, name)
        if not os.path.exists(path):
            continue
        picked = []
        match = None
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"#\s*failJSON:\s*(\{.*\})", line)
                if m:
                    try:
                        match = bool(json.loads(m.group(1)).get("match"))
                    except json.JSONDecodeError:
                        match = None
                    continue
                if line.startswith("#") or not line.strip() or match is None:
                    continue
                picked.append((line.rstrip("\n"), match))
                match = None
                if len(picked) >= F2B_LINES_PER_FILE:
                    break
        log = os.path.join(tmp, f"f2b_{name}.log")
        with open(log, "w") as f:
            f.writelines(l + "\n" for l, _ in picked)
        rows = templates_csv(sysgrok, log, tmp)
        ids = template_ids(rows)
        example = {}
        for r in rows:
            example.setdefault(r["EventTemplate"], r["Content"])
        tasks += [{"id": f"f2b:{name}:{ids[t]}", "kind": "label", "template": t,
                   "example": example[t]} for t in ids]
        lines += [(f"f2b:{name}:{ids[r['EventTemplate']]}", picked[int(r["LineId"]) - 1][1])
                  for r in rows]
    return tasks, lines


def header_of(line, base):
    """The header (everything before the message) of a Loghub line."""
    if base == "Apache":  # [Sun Dec 04 04:47:44 2005] [error] ...
        m = re.match(r"(\[[^\]]+\] )", line)
        return m.group(1) if m else ""
    m = re.match(r"(\w{3}\s+\d+ [\d:]{8} \S+ )", line)  # Jun 14 15:16:01 combo ...
    return m.group(1) if m else ""


def scenario_tasks(sysgrok, shared, tmp):
    rnd = random.Random(5)
    tasks, truth = [], {}
    for k, (name, base, msg, keywords) in enumerate(SCENARIOS):
        with open(os.path.join(shared, "loghub2k", base, f"{base}_2k.log"), errors="replace") as f:
            lines = f.read().splitlines()[:800]
        at = rnd.randrange(200, 600)
        n = rnd.randrange(12, 40)
        fault = [header_of(lines[at], base) + msg.format(n=rnd.randrange(1000, 30000))
                 for _ in range(n)]
        log = os.path.join(tmp, f"scenario{k}.log")
        with open(log, "w") as f:
            f.write("\n".join(lines[:at] + fault + lines[at:]) + "\n")
        rows = templates_csv(sysgrok, log, tmp)
        ids = template_ids(rows)
        counts = {}
        for r in rows:
            counts[r["EventTemplate"]] = counts.get(r["EventTemplate"], 0) + 1
        fault_rows = [r for r in rows if at < int(r["LineId"]) <= at + n]
        fault_t = max(set(r["EventTemplate"] for r in fault_rows),
                      key=lambda t: sum(1 for r in fault_rows if r["EventTemplate"] == t))
        background = [t for t, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if t != fault_t][:3]
        tmpl = [{"id": f"T{ids[fault_t]}", "text": fault_t, "count": counts[fault_t], "expected": 0}]
        tmpl += [{"id": f"T{ids[t]}", "text": t, "count": counts[t], "expected": counts[t]}
                 for t in background]
        rnd.shuffle(tmpl)
        bg_line = next(r for r in rows if r["EventTemplate"] == background[0])
        ev = {
            "title": f"Incident (high); services: {base.lower()}",
            "facts": [f"new template T{ids[fault_t]}: {counts[fault_t]} events (usual 0)"],
            "templates": tmpl,
            "lines": [{"id": "L1", "where": f"scenario{k}.log:{at + 1}", "text": fault[0]},
                      {"id": "L2", "where": f"scenario{k}.log:{at + 2}", "text": fault[1]},
                      {"id": "L3", "where": f"scenario{k}.log:{bg_line['LineId']}",
                       "text": bg_line["Content"]}],
        }
        tasks.append({"id": f"scenario:{k}", "kind": "explain", "evidence": ev})
        truth[f"scenario:{k}"] = (name, f"T{ids[fault_t]}", keywords)
    return tasks, truth


# ---- evaluation -----------------------------------------------------------------------------

def run_model(sysgrok, model, tasks):
    inp = "".join(json.dumps(t) + "\n" for t in tasks)
    r = run([sysgrok, "models", "eval", "--model", model, "--redact", "all"], input=inp)
    if r.returncode != 0:
        raise RuntimeError(f"models eval failed for {model}: {r.stderr[-500:]}")
    out = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    return {o["id"]: o for o in out}


def evaluate(res, bgl_lines, f2b_lines, truth):
    m = {}
    expl = [res[k] for k in truth]
    secs = [e["seconds"] for e in expl]
    m["p50"], m["p95"] = pct(secs, 0.5), pct(secs, 0.95)
    pt = sum(e["prompt_tokens"] - e["reused_prompt_tokens"] for e in res.values() if "prompt_tokens" in e)
    ps = sum(e.get("prompt_seconds", 0) for e in res.values() if "prompt_tokens" in e)
    gt = sum(e["generated_tokens"] for e in res.values() if "generated_tokens" in e)
    gs = sum(e["model_seconds"] - e.get("prompt_seconds", 0) for e in res.values() if "model_seconds" in e)
    m["prompt_tps"] = pt / ps if ps else float("nan")
    m["gen_tps"] = gt / gs if gs else float("nan")
    m["reused"] = sum(e.get("reused_prompt_tokens", 0) for e in res.values()) / max(
        1, sum(e.get("prompt_tokens", 0) for e in res.values()))
    st = res["stats"]
    m["rss_mb"] = st["peak_rss_kb"] / 1024
    m["calls"] = st["calls"]
    m["failures"] = st["failures"]

    def cat(tid):
        return res.get(tid, {}).get("category", "")

    m["bgl_err"] = prf([(cat(t) == "error", lab) for t, lab in bgl_lines])
    m["bgl_prob"] = prf([(cat(t) in ("error", "security"), lab) for t, lab in bgl_lines])
    m["f2b_err"] = prf([(cat(t) == "error", lab) for t, lab in f2b_lines])
    m["f2b_prob"] = prf([(cat(t) in ("error", "security"), lab) for t, lab in f2b_lines])
    cats = {}
    for t in res.values():
        if "category" in t:
            cats[t["category"] or "(failed)"] = cats.get(t["category"] or "(failed)", 0) + 1
    m["cats"] = cats

    kept = invalid = ok_json = right_t = right_cause = both = 0
    examples = []
    for k, (name, fault_id, keywords) in truth.items():
        e = res[k]["explanation"]
        if "error" in e:
            examples.append((name, "error: " + e["error"]))
            continue
        ok_json += 1
        kept += len(e.get("citations", []))
        invalid += len(e.get("invalid_citations", []))
        text = " ".join([e.get("summary", ""), e.get("cause", "")]).lower()
        cites = e.get("citations", [])
        # The fault's template is named: cited, or its id in the summary/cause. Lines L1 and
        # L2 are the injected lines, so citing them also grounds the answer on the fault.
        t_ok = (fault_id in cites or "L1" in cites or "L2" in cites
                or re.search(rf"\b{fault_id.lower()}\b", text) is not None)
        c_ok = any(kw in text for kw in keywords)
        right_t += t_ok
        right_cause += c_ok
        both += t_ok and c_ok
        examples.append((name, e.get("summary", "")[:140]))
    m.update(ok_json=ok_json, kept=kept, invalid=invalid, right_t=right_t,
             right_cause=right_cause, both=both, n=len(truth), examples=examples)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", nargs="*", help="GGUF files (default: the installed ones)")
    a = ap.parse_args()
    sysgrok = os.path.join(a.build, "sysgrok")
    section = ["## Local LLM (issue 5)", ""]

    def finish(note):
        section.append(note)
        with open(a.out, "w") as f:
            f.write("\n".join(section) + "\n\n")
        print("\n".join(section))

    if not os.path.isdir(a.shared):
        return finish(f"Skipped: {a.shared} is absent.")
    listing = run([sysgrok, "models", "--json"])
    if listing.returncode != 0:
        return finish("Skipped: " + listing.stderr.strip())
    models = a.models or [m["file"] for m in json.loads(listing.stdout)]
    default = next((m["name"] for m in json.loads(listing.stdout) if m["default"]), "")
    with tempfile.TemporaryDirectory() as tmp:
        bgl_t, bgl_lines = bgl_tasks(sysgrok, a.shared, tmp)
        f2b_t, f2b_lines = f2b_tasks(sysgrok, a.shared, tmp)
        sc_t, truth = scenario_tasks(sysgrok, a.shared, tmp)
        results = {}
        for model in models:
            print(f"llm_bench: {os.path.basename(model)}: {len(sc_t)} explanations, "
                  f"{len(bgl_t) + len(f2b_t)} labels", file=sys.stderr)
            results[model] = evaluate(run_model(sysgrok, model, sc_t + bgl_t + f2b_t),
                                      bgl_lines, f2b_lines, truth)

    bgl_alerts = sum(1 for _, l in bgl_lines if l)
    f2b_fail = sum(1 for _, l in f2b_lines if l)
    section += [
        f"`sysgrok models eval` per installed model (in-process llama.cpp, CPU, context 2048, "
        f"greedy, grammar-constrained JSON, redaction on). Default model: **{default}**.",
        f"Tasks: {len(sc_t)} incident explanations (injected-fault scenarios), "
        f"{len(bgl_t)} BGL_2k templates and {len(f2b_t)} fail2ban templates to label.",
        "",
        "| model | expl. p50 s | p95 s | prompt tok/s | gen tok/s | prompt reuse | peak RSS MB | calls | failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for model, m in results.items():
        section.append(
            f"| {os.path.basename(model)} | {m['p50']:.2f} | {m['p95']:.2f} | {m['prompt_tps']:.0f} | "
            f"{m['gen_tps']:.1f} | {100 * m['reused']:.0f}% | {m['rss_mb']:.0f} | {m['calls']} | {m['failures']} |")
    section += [
        "",
        "Goal: p50 <= 3 s per explanation and RSS <= 700 MB on this 2-core machine. Prompt tok/s "
        "counts only the tokens not served from the KV cache (prompt reuse = share of prompt "
        "tokens served from it).",
        "",
        f"Quality. Labels: precision/recall/F1 of category \"error\" per line against BGL_2k "
        f"alerts ({bgl_alerts} of {len(bgl_lines)} lines) and fail2ban failure lines ({f2b_fail} of "
        f"{len(f2b_lines)}; {F2B_LINES_PER_FILE} lines from each of {', '.join(F2B_FILES)}); "
        "\"error|security\" counts both as problems. Scenarios: the explanation is grounded on "
        "the fault (cites its template or an injected line, or names the template id in "
        "summary/cause) / names the cause (a keyword of the fault in summary/cause) / both. "
        "Citation validity: citations kept after checking "
        "against the evidence ids (the grammar allows only evidence ids, so 100% is expected).",
        "",
        "| model | BGL error P/R/F1 | BGL error\\|security F1 | fail2ban error P/R/F1 | fail2ban error\\|security F1 | scenarios: template | cause | both | valid JSON | citations valid |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model, m in results.items():
        be, bp, fe, fp = m["bgl_err"], m["bgl_prob"], m["f2b_err"], m["f2b_prob"]
        total = m["kept"] + m["invalid"]
        valid = f"{100 * m['kept'] / total:.0f}% ({m['kept']}/{total})" if total else "n/a"
        section.append(
            f"| {os.path.basename(model)} | {be[0]:.2f}/{be[1]:.2f}/{be[2]:.2f} | {bp[2]:.2f} | "
            f"{fe[0]:.2f}/{fe[1]:.2f}/{fe[2]:.2f} | {fp[2]:.2f} | {m['right_t']}/{m['n']} | "
            f"{m['right_cause']}/{m['n']} | {m['both']}/{m['n']} | {m['ok_json']}/{m['n']} | {valid} |")
    base_b = prf([(True, lab) for _, lab in bgl_lines])
    base_f = prf([(True, lab) for _, lab in f2b_lines])
    section += ["", f"Baseline \"every line is an error\": BGL P/R/F1 {base_b[0]:.2f}/{base_b[1]:.2f}/"
                f"{base_b[2]:.2f}, fail2ban {base_f[0]:.2f}/{base_f[1]:.2f}/{base_f[2]:.2f} (fail2ban's "
                "sample is almost all failures, so it cannot tell a good labeller from a constant one)."]
    section += ["", "Label categories given (all labelled templates):", ""]
    for model, m in results.items():
        section.append(f"- {os.path.basename(model)}: " +
                       ", ".join(f"{k} {v}" for k, v in sorted(m["cats"].items(), key=lambda kv: -kv[1])))
    section += ["", "Example summaries (first three scenarios):", ""]
    for model, m in results.items():
        for name, s in m["examples"][:3]:
            section.append(f"- {os.path.basename(model)}, {name}: {s.replace('|', '/')}")
    finish("")


if __name__ == "__main__":
    main()
