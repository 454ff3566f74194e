#!/usr/bin/env python3
"""Issue 7 bars for the Sigma engine on real data.

1. SigmaHQ load rate: `sysgrok rules check --no-builtin ../shared/data/security/sigma-rules`
   must print `loaded N, unsupported M` with N / (N + M) >= 0.95, and list every
   unsupported rule with a reason (one `path:line: unsupported: reason` line each).
2. The specification's example correlation rules (tests/schema/correlation/*.yml, which
   reference rules that are not in the spec) are checked for the message they produce:
   they must be rejected only for their unknown referenced rules or unsupported types.
3. OpenSSH brute force (../shared/data/security/loghub/OpenSSH/OpenSSH_2k.log):
   `sysgrok rules test --json` with the built-in pack. A *failure* is an sshd line with
   'Failed <password|none|publickey|keyboard-interactive> for', pam_unix
   'authentication failure;' or 'Invalid user X from' (one count per line) whose source
   is an IP address (' from IP' or 'rhost=IP'; pam lines naming a host are not counted).
   This counts like derived_source_ip_summary.csv (auth_failures = sshd 'Failed' lines
   plus pam 'authentication failure' lines), plus the invalid-user lines.
   Bar: every IP with >= 10 failures inside some 10-minute window is flagged by
   ssh_brute_force, and no IP with fewer than 3 failures in total is flagged. Also, every
   IP of the summary file whose auth_failures >= 10 all fall within 10 minutes
   (last_seen - first_seen) must be flagged.

Exit 77 (skipped) when the shared data is absent.
"""
import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
from datetime import datetime

LOAD_BAR = 0.95
FAIL_RE = re.compile(r"Failed (password|none|publickey|keyboard-interactive) for |"
                     r"authentication failure;|[Ii]nvalid user .* from ")
FROM_RE = re.compile(r"(?: from |rhost=)(\d+\.\d+\.\d+\.\d+)(?:\s|$)")


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def check_load(sysgrok, rules_dir):
    r = run([sysgrok, 'rules', 'check', '--no-builtin', rules_dir])
    m = re.search(r'loaded (\d+), unsupported (\d+)', r.stdout)
    if not m:
        print('FAIL: no summary line from rules check:\n' + r.stdout + r.stderr)
        return False
    loaded, unsupported = int(m.group(1)), int(m.group(2))
    reasons = [l for l in r.stderr.splitlines() if ': unsupported: ' in l]
    rate = loaded / max(1, loaded + unsupported)
    print(f'SigmaHQ rules: loaded {loaded}, unsupported {unsupported} ({rate:.1%})')
    for l in reasons:
        print('  ' + l)
    ok = rate >= LOAD_BAR and len(reasons) == unsupported
    if not ok:
        print(f'FAIL: load rate {rate:.3f} < {LOAD_BAR} or reasons missing')
    return ok


def check_spec_examples(sysgrok, spec_dir):
    d = os.path.join(spec_dir, 'tests', 'schema', 'correlation')
    if not os.path.isdir(d):
        return True
    r = run([sysgrok, 'rules', 'check', '--no-builtin', d])
    ok = True
    for l in r.stderr.splitlines():
        if ': unsupported: ' not in l:
            continue
        if 'references unknown rule' in l or "is not supported" in l:
            continue
        print('FAIL: spec example rejected for an unexpected reason: ' + l)
        ok = False
    print('spec correlation examples: ' + (r.stdout.strip().splitlines() or ['?'])[-1])
    return ok


def failures(log):
    per_ip = collections.defaultdict(list)
    for line in open(log, encoding='utf-8', errors='replace'):
        if ' sshd[' not in line or not FAIL_RE.search(line):
            continue
        m = FROM_RE.search(line)
        if not m:
            continue
        ts = datetime.strptime('2026 ' + line[:15], '%Y %b %d %H:%M:%S').timestamp()
        per_ip[m.group(1)].append(ts)
    return per_ip


def max_in_window(times, span):
    times = sorted(times)
    best = 0
    lo = 0
    for hi, t in enumerate(times):
        while times[lo] < t - span:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def check_openssh(sysgrok, ossh_dir):
    log = os.path.join(ossh_dir, 'OpenSSH_2k.log')
    r = run([sysgrok, 'rules', 'test', '--json', '-q', log])
    if r.returncode not in (0, 3):
        print('FAIL: rules test exited %d: %s' % (r.returncode, r.stderr))
        return False
    flagged = collections.Counter()
    for l in r.stdout.splitlines():
        f = json.loads(l)
        if f['rule.name'] == 'ssh_brute_force':
            flagged[f['entities'].get('source.ip', '')] += 1
    per_ip = failures(log)
    must = {ip for ip, ts in per_ip.items() if max_in_window(ts, 600) >= 10}
    must_not = {ip for ip in set(per_ip) | set(flagged) if len(per_ip.get(ip, [])) < 3}
    summary = {}
    sp = os.path.join(ossh_dir, 'derived_source_ip_summary.csv')
    if os.path.exists(sp):
        with open(sp, newline='') as f:
            summary = {row['source_ip']: row for row in csv.DictReader(f)}
    print('OpenSSH brute force: %d IPs with >=10 failures in 10 min, %d flagged' %
          (len(must), len(flagged)))
    print('  %-16s %8s %10s %8s %-12s' % ('ip', 'failures', 'max/10min', 'flagged', 'summary'))
    for ip in sorted(set(per_ip) | set(flagged), key=lambda i: -len(per_ip.get(i, []))):
        print('  %-16s %8d %10d %8s %-12s' % (ip, len(per_ip.get(ip, [])),
                                              max_in_window(per_ip.get(ip, [0]), 600),
                                              'yes' if ip in flagged else '-',
                                              summary.get(ip, {}).get('suggested_label', '')))
    for ip, row in summary.items():
        n = int(row['auth_failures'])
        first = datetime.strptime('2026 ' + row['first_seen'], '%Y %b %d %H:%M:%S')
        last = datetime.strptime('2026 ' + row['last_seen'], '%Y %b %d %H:%M:%S')
        if n >= 10 and (last - first).total_seconds() <= 600:
            must.add(ip)
    missed = sorted(must - set(flagged))
    wrong = sorted(must_not & set(flagged))
    if missed:
        print('FAIL: not flagged: ' + ', '.join(missed))
    if wrong:
        print('FAIL: flagged with fewer than 3 failures: ' + ', '.join(wrong))
    return not missed and not wrong


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--sysgrok', required=True)
    ap.add_argument('--shared', required=True, help='the shared data directory')
    a = ap.parse_args()
    sec = os.path.join(a.shared, 'security')
    rules_dir = os.path.join(sec, 'sigma-rules')
    ossh = os.path.join(sec, 'loghub', 'OpenSSH')
    if not os.path.isdir(rules_dir) or not os.path.isdir(ossh):
        print('skipped: shared security data not found under ' + a.shared)
        return 77
    ok = check_load(a.sysgrok, rules_dir)
    ok = check_spec_examples(a.sysgrok, os.path.join(sec, 'sigma-spec')) and ok
    ok = check_openssh(a.sysgrok, ossh) and ok
    print('PASS' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
