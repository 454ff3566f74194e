#!/usr/bin/env python3
"""Issue bar on real data: `sysgrok parse --json` on every Loghub 2k log.

For each ../shared/data/loghub2k/<S>/<S>_2k.log (automatic format detection):
  - exactly 2,000 events, one per line, in line order (sysgrok.line = 1..2000);
  - a timestamp on >= 99% of the events;
  - a severity wherever the line carries a level (the ground truth's Level column holds a
    level word), and the same severity as that word.
Exit 77 (skipped) when the shared data is absent.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

LEVELS = {
    'EMERG': 'emerg', 'PANIC': 'emerg', 'ALERT': 'alert', 'FATAL': 'crit', 'CRIT': 'crit',
    'CRITICAL': 'crit', 'SEVERE': 'err', 'ERROR': 'err', 'ERR': 'err', 'WARN': 'warning',
    'WARNING': 'warning', 'NOTICE': 'notice', 'INFO': 'info', 'DEBUG': 'debug', 'TRACE': 'debug',
}
LETTERS = {'V': 'debug', 'D': 'debug', 'I': 'info', 'W': 'warning', 'E': 'err', 'F': 'crit', 'A': 'alert'}
SYSTEMS = ['Android', 'Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop', 'Linux', 'OpenSSH', 'Proxifier',
           'Spark', 'Windows', 'Zookeeper']


def expected_level(system, word):
    w = word.strip().upper()
    if system == 'Android':
        return LETTERS.get(w)
    return LEVELS.get(w)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sysgrok', required=True)
    ap.add_argument('--shared', required=True)
    a = ap.parse_args()
    root = os.path.join(a.shared, 'loghub2k')
    if not os.path.isdir(root):
        print(f'skipped: {root} is absent (the shared evaluation data sits beside the repo)')
        return 77
    csv.field_size_limit(1 << 24)
    failures = 0
    print(f'{"system":<10} {"events":>6} {"timed%":>7} {"levels":>7} {"level ok":>8}  format')
    for s in SYSTEMS:
        log = os.path.join(root, s, f'{s}_2k.log')
        truth = os.path.join(root, s, f'{s}_2k.log_structured_corrected.csv')
        p = subprocess.run([a.sysgrok, 'parse', '--json', log], capture_output=True)
        if p.returncode != 0:
            print(f'{s}: exit status {p.returncode}: {p.stderr.decode()[:300]}')
            failures += 1
            continue
        events = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines()]
        lines = [e['sysgrok.line'] for e in events]
        timed = sum(1 for e in events if e['@timestamp'] is not None)
        with open(truth, newline='', encoding='utf-8') as f:
            rows = list(csv.DictReader(f))
        want_levels = 0
        ok_levels = 0
        bad = []
        for row, ev in zip(rows, events):
            lv = expected_level(s, row.get('Level', ''))
            if lv is None:
                continue
            want_levels += 1
            if ev.get('log.level') == lv:
                ok_levels += 1
            elif len(bad) < 3:
                bad.append((row['LineId'], row.get('Level'), ev.get('log.level')))
        fmt = events[0].get('sysgrok.format') if events else '-'
        print(f'{s:<10} {len(events):>6} {100.0 * timed / max(1, len(events)):>6.1f}% '
              f'{want_levels:>7} {ok_levels:>8}  {fmt}')
        if len(events) != 2000 or lines != list(range(1, 2001)):
            print(f'  FAIL {s}: expected 2000 events numbered 1..2000')
            failures += 1
        if timed < 0.99 * len(events):
            missing = [e['sysgrok.line'] for e in events if e['@timestamp'] is None][:3]
            print(f'  FAIL {s}: timestamps on {timed} of {len(events)} (e.g. lines {missing})')
            failures += 1
        if ok_levels != want_levels:
            print(f'  FAIL {s}: severity wrong or missing on {want_levels - ok_levels} lines, e.g. {bad}')
            failures += 1
    print(f'{len(SYSTEMS) - min(failures, len(SYSTEMS))} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
