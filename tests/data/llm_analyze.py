#!/usr/bin/env python3
"""`sysgrok analyze` with the installed local model (issue 5).

On the golden outage log (two incidents, new error templates), `analyze --json --top 1
--store DB`: the top incident carries an `explanation` (summary, confidence, model, citations
that are all ids of its evidence), `stats.llm` is present with calls <= incidents explained +
new templates labelled; a second run over the same data with the same store makes no label
calls (labels come from the store). Skips (77) when no model is installed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOG = os.path.join(os.path.dirname(HERE), "golden", "incidents", "outage.log")


def analyze(sysgrok, db):
    r = subprocess.run([sysgrok, "analyze", "--json", "--top", "1", "--store", db, LOG],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"analyze failed ({r.returncode}): {r.stderr[-2000:]}")
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    incidents = [d for d in lines if d.get("rule.id") == "sysgrok.incident"]
    stats = [d["stats"]["llm"] for d in lines if "stats" in d]
    return incidents, (stats[0] if stats else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", default="")
    a = ap.parse_args()
    listing = subprocess.run([a.sysgrok, "models", "--json"], capture_output=True, text=True)
    if listing.returncode != 0 or not json.loads(listing.stdout or "[]"):
        print("skip: no local model: " + listing.stderr.strip())
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "s.db")
        inc, st = analyze(a.sysgrok, db)
        ok = True

        def check(cond, msg):
            nonlocal ok
            print(("ok   " if cond else "FAIL ") + msg)
            ok = ok and bool(cond)

        ex = inc[0].get("explanation") if inc else None
        check(ex is not None and not ex.get("error"), f"top incident explained: {ex}")
        if ex:
            check(ex.get("summary") and ex.get("model") and ex.get("confidence"),
                  "summary, model and confidence present")
            ev = inc[0]["sysgrok.evidence"]
            allowed = {f"T{t}" for t in ev["template_ids"]}
            check(all(c in allowed or c.isdigit() for c in ex["citations"]),
                  f"citations are evidence ids: {ex['citations']}")
        check(all("explanation" not in d for d in inc[1:]), "only the incidents shown (--top 1)")
        labelled = len(ex.get("template_labels", [])) if ex else 0
        check(st is not None and st["calls"] <= 1 + labelled,
              f"stats.llm calls {st and st['calls']} <= 1 incident + {labelled} new templates")
        inc2, st2 = analyze(a.sysgrok, db)
        check(st2 is not None and st2["calls"] == 1 and st2["cache_hits"] >= labelled,
              f"second run: {st2 and st2['calls']} call(s), {st2 and st2['cache_hits']} labels "
              "from the store")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
