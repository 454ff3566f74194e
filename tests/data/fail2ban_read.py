#!/usr/bin/env python3
"""Issue bar on real data: every non-comment line of fail2ban's test logs is read without error.

For each file in ../shared/data/security/fail2ban-testlogs: `sysgrok parse --json FILE` exits 0
(nothing skipped), reports nothing on stderr, and emits one event for every non-comment,
non-blank line that is not a continuation of the line before it.
Exit 77 (skipped) when the shared data is absent.
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sysgrok', required=True)
    ap.add_argument('--shared', required=True)
    a = ap.parse_args()
    root = os.path.join(a.shared, 'security', 'fail2ban-testlogs')
    if not os.path.isdir(root):
        print(f'skipped: {root} is absent')
        return 77
    passed = failed = 0
    total_lines = total_events = 0
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
    for path in paths:
        name = os.path.relpath(path, root)
        raw = open(path, 'rb').read()
        p = subprocess.run([a.sysgrok, 'parse', '--json', path], capture_output=True)
        problems = []
        if p.returncode != 0:
            problems.append(f'exit status {p.returncode}')
        err = p.stderr.decode('utf-8', 'replace').strip()
        # Repairs (invalid UTF-8, NUL bytes) are reported but are not errors.
        hard = [l for l in err.splitlines() if 'U+FFFD' not in l and 'NUL bytes' not in l]
        if hard:
            problems.append('stderr: ' + hard[0])
        events = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines()]
        # Every line that is not a comment or blank is inside exactly one event.
        covered = set()
        for e in events:
            for k in range(e.get('sysgrok.line_count', 1)):
                covered.add(e['sysgrok.line'] + k)
        lines = raw.split(b'\n')
        if lines and lines[-1] == b'':
            lines.pop()
        missing = [i + 1 for i, l in enumerate(lines)
                   if l.strip() and not l.lstrip().startswith(b'#') and (i + 1) not in covered]
        if missing:
            problems.append(f'{len(missing)} lines not in any event, e.g. {missing[:5]}')
        total_lines += sum(1 for l in lines if l.strip() and not l.lstrip().startswith(b'#'))
        total_events += len(events)
        if problems:
            failed += 1
            print(f'FAIL {name}: ' + '; '.join(problems))
        else:
            passed += 1
    print(f'{total_lines} non-comment lines, {total_events} events')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
