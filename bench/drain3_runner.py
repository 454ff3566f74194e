#!/usr/bin/env python3
"""Runs Drain3 (PyPI `drain3`) for bench/mine_bench.py, in its own process so that its peak
RSS can be measured on its own.

  drain3_runner.py throughput FILE {default,masked}
      mines every line of FILE (one message per line), prints JSON with lines/s
  drain3_runner.py loghub SHARED_DATA {default,masked} OUTDIR SYSTEM...
      mines the Content column of each Loghub-2k ground truth and writes
      OUTDIR/<system>.csv (LineId,Content,EventTemplate) for `sysgrok eval-parse`

`default` is TemplateMinerConfig() as shipped. `masked` adds the [MASKING] section of
Drain3's examples/drain3.ini (logpai/Drain3 @0822117): the 7 regexes below with
mask_prefix "<:" and mask_suffix ":>"; every other setting keeps its default. For accuracy,
masks such as <:NUM:> are rewritten to <*> (the ground truth's wildcard).
"""
import csv
import json
import re
import sys
import time

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

# examples/drain3.ini, [MASKING] masking = [...], verbatim.
EXAMPLE_MASKS = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
    (r"(?<=executed cmd )(\".+?\")", "CMD"),
]


def make_miner(mode):
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    if mode == "masked":
        cfg.masking_instructions = [MaskingInstruction(p, m) for p, m in EXAMPLE_MASKS]
        cfg.mask_prefix = "<:"
        cfg.mask_suffix = ":>"
    return TemplateMiner(config=cfg)


def throughput(path, mode):
    miner = make_miner(mode)
    n = 0
    t0 = time.perf_counter()
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for line in f:
            miner.add_log_message(line.rstrip("\n"))
            n += 1
    secs = time.perf_counter() - t0
    print(json.dumps({"lines": n, "seconds": round(secs, 3), "lines_per_s": round(n / secs),
                      "clusters": len(miner.drain.clusters)}))


WILD = re.compile(r"<:[A-Z]+:>")


def loghub(shared, mode, outdir, systems):
    for system in systems:
        truth = f"{shared}/loghub2k/{system}/{system}_2k.log_structured_corrected.csv"
        with open(truth, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        miner = make_miner(mode)
        ids = [miner.add_log_message(r["Content"])["cluster_id"] for r in rows]
        templates = {c.cluster_id: WILD.sub("<*>", c.get_template()) for c in miner.drain.clusters}
        with open(f"{outdir}/{system}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["LineId", "Content", "EventTemplate"])
            for r, cid in zip(rows, ids):
                w.writerow([r["LineId"], r["Content"], templates.get(cid, "")])


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "throughput":
        throughput(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 6 and sys.argv[1] == "loghub":
        loghub(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
