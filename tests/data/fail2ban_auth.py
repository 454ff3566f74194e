#!/usr/bin/env python3
"""Issue bar on real data: authentication failures per line against fail2ban's annotations.

For the fail2ban test logs sshd, sshd-journal, apache-auth and nginx-http-auth in
../shared/data/security/fail2ban-testlogs, each log line is preceded by a `# failJSON`
annotation: {"match": true|false, "host": H, "time": T, ...}. The log lines (comments blanked,
so line numbers stay the same) are read with `sysgrok parse --json`; a line is reported as
"authentication failure from host H" when its event has `event.outcome: failure` and
`source.ip` or `source.domain` equal to H.

Scoring, per annotated line:
  match true, host H:   TP if reported from H; else FN (and FP too if reported from another host)
  match true, no host:  TP if the event has event.outcome failure (any source); else FN
  match false:          FP if reported as a failure from some host; else TN
Annotations may name the host as "ip4"/"ip6". fail2ban tests some blocks in several filter
modes; sysgrok reports every kind of failure that fail2ban's most inclusive mode (aggressive:
normal + ddos + extra) does, so an annotation's `constraint` is evaluated with
mode 'aggressive' and filter name 'sshd' and skipped when false. Each file's lines are also
checked for a timestamp equal to the annotated time (month, day and clock: fail2ban's test
years are synthetic; times with a zone are compared in Europe/Berlin, fail2ban's test zone).

Bar (totals over the four files): precision >= 0.98, recall >= 0.95, timestamps >= 0.95 of
the annotated times. Exit 77 (skipped) when the shared data is absent.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

FILES = ['sshd', 'sshd-journal', 'apache-auth', 'nginx-http-auth']
PRECISION_BAR = 0.98
RECALL_BAR = 0.95
TIME_BAR = 0.95


def annotations(path):
    """(line number, annotation) for each annotated log line, and the blanked text."""
    out = []
    text = []
    pending = None
    for i, line in enumerate(open(path, encoding='utf-8', errors='replace').read().split('\n')):
        s = line.strip()
        if s.startswith('#'):
            if s.startswith('# failJSON:'):
                pending = json.loads(s[len('# failJSON:'):])
            text.append('')
            continue
        text.append(line)
        if s and pending is not None:
            out.append((i + 1, pending))
            pending = None
    return out, '\n'.join(text)


def applies(ann):
    c = ann.get('constraint')
    if not c:
        return True
    return bool(eval(c, {}, {'name': 'sshd', 'opts': {'mode': 'aggressive'}}))  # noqa: S307


def expected_host(ann):
    for k in ('host', 'ip4', 'ip6'):
        if ann.get(k):
            return ann[k]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sysgrok', required=True)
    ap.add_argument('--shared', required=True)
    ap.add_argument('-v', '--verbose', action='store_true', help='list every miss')
    a = ap.parse_args()
    root = os.path.join(a.shared, 'security', 'fail2ban-testlogs', 'fail2ban', 'tests', 'files',
                        'logs')
    if not os.path.isdir(root):
        print(f'skipped: {root} is absent')
        return 77
    passed = failed = 0
    tot = dict(tp=0, fp=0, fn=0, tn=0, t_ok=0, t_n=0)
    print(f'{"file":<16} {"lines":>5} {"TP":>4} {"FP":>4} {"FN":>4} {"TN":>4} '
          f'{"precision":>9} {"recall":>7} {"time ok":>8}')
    for name in FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            print(f'FAIL {name}: missing')
            failed += 1
            continue
        anns, text = annotations(path)
        with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
            f.write(text)
            tmp = f.name
        try:
            p = subprocess.run([a.sysgrok, 'parse', '--json', '--no-templates', tmp],
                               capture_output=True)
        finally:
            os.unlink(tmp)
        if p.returncode != 0:
            print(f'FAIL {name}: exit status {p.returncode}: {p.stderr.decode()[:200]}')
            failed += 1
            continue
        by_line = {}
        for l in p.stdout.decode('utf-8').splitlines():
            e = json.loads(l)
            by_line[e['sysgrok.line']] = e
        c = dict(tp=0, fp=0, fn=0, tn=0, t_ok=0, t_n=0)
        misses = []
        scored = 0
        for ln, ann in anns:
            if not applies(ann):
                continue
            scored += 1
            e = by_line.get(ln, {})
            failure = e.get('event.outcome') == 'failure'
            src = e.get('source.ip') or e.get('source.domain')
            host = expected_host(ann)
            if ann.get('time'):
                c['t_n'] += 1
                ts = e.get('@timestamp') or ''
                if ts and e.get('event.timezone'):
                    # fail2ban's tests read zoned times in Europe/Berlin
                    t = datetime.fromisoformat(ts.replace('Z', '+00:00'))
                    ts = t.astimezone(ZoneInfo('Europe/Berlin')).strftime('%Y-%m-%dT%H:%M:%S')
                if ts[5:19] == ann['time'][5:19]:
                    c['t_ok'] += 1
                else:
                    misses.append((ln, 'time', ann['time'], ts))
            if ann.get('match'):
                if host is None:
                    ok = failure
                else:
                    ok = failure and src == host
                    if failure and src and src != host:
                        c['fp'] += 1
                        misses.append((ln, 'FP', host, src))
                c['tp' if ok else 'fn'] += 1
                if not ok:
                    misses.append((ln, 'FN', host, src if failure else None))
            elif failure and src:
                c['fp'] += 1
                misses.append((ln, 'FP', None, src))
            else:
                c['tn'] += 1
        for k in tot:
            tot[k] += c[k]
        prec = c['tp'] / (c['tp'] + c['fp']) if c['tp'] + c['fp'] else 1.0
        rec = c['tp'] / (c['tp'] + c['fn']) if c['tp'] + c['fn'] else 1.0
        tim = f'{c["t_ok"]}/{c["t_n"]}'
        print(f'{name:<16} {scored:>5} {c["tp"]:>4} {c["fp"]:>4} {c["fn"]:>4} {c["tn"]:>4} '
              f'{prec:>9.3f} {rec:>7.3f} {tim:>8}')
        if a.verbose:
            for m in misses:
                print('   ', name, *m)
        passed += 1
    prec = tot['tp'] / (tot['tp'] + tot['fp']) if tot['tp'] + tot['fp'] else 1.0
    rec = tot['tp'] / (tot['tp'] + tot['fn']) if tot['tp'] + tot['fn'] else 1.0
    tim = tot['t_ok'] / tot['t_n'] if tot['t_n'] else 1.0
    print(f'{"total":<16} {"":>5} {tot["tp"]:>4} {tot["fp"]:>4} {tot["fn"]:>4} {tot["tn"]:>4} '
          f'{prec:>9.3f} {rec:>7.3f} {tot["t_ok"]:>4}/{tot["t_n"]}')
    for what, v, bar in (('precision', prec, PRECISION_BAR), ('recall', rec, RECALL_BAR),
                         ('timestamps', tim, TIME_BAR)):
        if v < bar:
            print(f'FAIL {what} {v:.3f} < {bar}')
            failed += 1
        else:
            passed += 1
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
