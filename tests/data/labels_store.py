#!/usr/bin/env python3
"""Feedback labels kept in the store serve later runs (issue 4).

BGL_2k: `parse --labels` (lines 1-1000 labelled from BGL_2k_labels.csv) with `--store DB`,
then `parse --store DB` without a labels file. The second run must flag lines 1001-2000
exactly as the first did, and both must reach F1 >= 0.90 there; `analyze --store DB` must
keep what the store holds. Exit 77 (skipped) when the shared data is absent.
"""
import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile


def flags(sysgrok, args):
    r = subprocess.run([sysgrok, "parse"] + args + ["-o", "/dev/stdout"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit(f"sysgrok parse {' '.join(args)} failed: {r.stderr[-2000:]}")
    return {d["sysgrok.line"]: bool(d.get("sysgrok.problem"))
            for d in map(json.loads, r.stdout.splitlines())}


def f1(pred, lab, lines):
    tp = sum(1 for i in lines if pred[i] and lab[i])
    fp = sum(1 for i in lines if pred[i] and not lab[i])
    fn = sum(1 for i in lines if not pred[i] and lab[i])
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sysgrok", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    d = os.path.join(a.shared, "anomaly", "BGL_2k")
    if not os.path.isdir(d):
        print(f"skipped: {d} is absent")
        return 77
    log = os.path.join(d, "BGL_2k.log")
    with open(os.path.join(d, "BGL_2k_labels.csv")) as f:
        lab = {int(r["LineId"]): int(r["IsAnomaly"]) for r in csv.DictReader(f)}
    with tempfile.TemporaryDirectory() as tmp:
        labels = os.path.join(tmp, "labels.csv")
        with open(labels, "w") as f:
            f.write("line,problem\n")
            for i in range(1, 1001):
                f.write(f"{i},{lab[i]}\n")
        db = os.path.join(tmp, "sysgrok.db")
        first = flags(a.sysgrok, [log, "--labels", labels, "--store", db])
        second = flags(a.sysgrok, [log, "--store", db])
        rows = sqlite3.connect(db).execute("SELECT count(*) FROM labels").fetchone()[0]
        r = subprocess.run([a.sysgrok, "analyze", "--no-llm", log, "--store", db, "-o", "/dev/null"],
                           capture_output=True, text=True)
        rows_after = sqlite3.connect(db).execute("SELECT count(*) FROM labels").fetchone()[0]
    held = range(1001, 2001)
    same = sum(1 for i in held if first[i] == second[i])
    f_first, f_second = f1(first, lab, held), f1(second, lab, held)
    print(f"labels kept: {rows} templates; lines 1001-2000 flagged alike: {same}/1000; "
          f"F1 with the labels file {f_first:.3f}, from the store alone {f_second:.3f}")
    ok = rows > 0 and same == 1000 and f_second >= 0.90 and r.returncode in (0, 3) and \
        rows_after == rows
    if not ok:
        print(f"FAIL (analyze rc {r.returncode}, rows after analyze {rows_after})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
