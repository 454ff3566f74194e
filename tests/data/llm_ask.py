#!/usr/bin/env python3
"""`sysgrok models` and `sysgrok ask` end to end with the installed local model (issue 5).

Checks: the models listing describes each installed GGUF; `ask --json` over the bundled
samples answers with citations that all refer to the evidence it was given, records the
prompt and response in the --audit file with the sample's IP addresses redacted, and reports
stats. Skips (77) when no model is installed or sysgrok lacks llama.cpp.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", default="")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    listing = subprocess.run([a.sysgrok, "models", "--json"], capture_output=True, text=True)
    if listing.returncode != 0:
        print("skip: " + listing.stderr.strip())
        return SKIP
    models = json.loads(listing.stdout)
    assert models, "no models listed"
    for m in models:
        assert m["architecture"] and m["parameters"] > 1_000_000 and m["context_length"] > 0, m
    assert sum(1 for m in models if m["default"]) == 1, "exactly one default model"
    smallest = min(models, key=lambda m: m["bytes"])["file"]

    auth = os.path.join(root, "samples", "system", "auth.log")
    with tempfile.TemporaryDirectory() as tmp:
        audit = os.path.join(tmp, "audit.jsonl")
        r = subprocess.run([a.sysgrok, "ask", "which source address failed to log in?", auth,
                            "--json", "--model", smallest, "--audit", audit, "--top", "4"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["stats"]["calls"] == 1, out["stats"]
        assert out["stats"]["prompt_tokens"] > 0
        if "error" not in out:
            for c in out["citations"]:
                assert c["evidence"], f"citation {c['id']} does not resolve to evidence"
        with open(audit) as f:
            records = [json.loads(l) for l in f]
        assert len(records) == 1 and records[0]["purpose"] == "ask"
        prompt = " ".join(m["content"] for m in records[0]["messages"])
        assert "203.0.113.77" not in prompt, "IP address reached the prompt"
        assert "<IP_" in prompt
    print("llm_ask: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
