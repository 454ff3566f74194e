#!/usr/bin/env python3
"""Writes the bundled sample logs in samples/ (deterministic; our own invented data).

One day of a small web shop, 2026-03-14 UTC: nginx access log, sshd/sudo auth log (syslog),
JSON application log, a Java service with stack traces, a gzipped Python worker log.
Around 14:00 the payment database fails: errors, 5xx responses and retries pile up.
An SSH brute force runs from 203.0.113.77 between 03:10 and 03:25.
"""
import datetime as dt
import gzip
import json
import os
import random

R = random.Random(20260314)
DAY = dt.datetime(2026, 3, 14, tzinfo=dt.timezone.utc)
OUT = os.path.join(os.path.dirname(__file__), '..', 'samples')


def times(n, start_h=0.0, end_h=24.0):
    return sorted(DAY + dt.timedelta(hours=R.uniform(start_h, end_h)) for _ in range(n))


def access_log():
    paths = ['/', '/products', '/products/42', '/cart', '/checkout', '/api/v1/items?page=2',
             '/static/app.js', '/static/site.css', '/login']
    agents = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0',
              'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15',
              'curl/8.5.0']
    lines = []
    for t in times(900):
        ip = f'198.51.100.{R.randint(2, 60)}'
        path = R.choice(paths)
        status = 200 if path != '/login' else R.choice([200, 302])
        if 13.9 <= (t - DAY).total_seconds() / 3600 <= 14.4 and path in ('/checkout', '/cart'):
            status = R.choice([500, 502, 503, 200])
        size = R.randint(200, 40000) if status == 200 else R.randint(100, 600)
        method = 'POST' if path in ('/checkout', '/login') else 'GET'
        lines.append((t, f'{ip} - - [{t.strftime("%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" '
                         f'{status} {size} "-" "{R.choice(agents)}"'))
    for i, t in enumerate(times(40, 9.0, 9.1)):  # a scanner
        path = R.choice(['/wp-login.php', '/.env', '/phpmyadmin/', '/admin.php', '/.git/config',
                         '/cgi-bin/test.cgi', "/index.php?id=1' OR '1'='1"])
        lines.append((t, f'192.0.2.200 - - [{t.strftime("%d/%b/%Y:%H:%M:%S +0000")}] "GET {path} HTTP/1.1" '
                         f'404 153 "-" "Mozilla/5.0 zgrab/0.x"'))
    lines.sort()
    return '\n'.join(l for _, l in lines) + '\n'


def auth_log():
    lines = []
    def syslog(t, prog, pid, msg):
        lines.append((t, f'{t.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if t.day < 10 else t.strftime("%b %d %H:%M:%S")} web01 {prog}[{pid}]: {msg}'))
    for t in times(30, 7, 19):
        pid = R.randint(1000, 30000)
        user = R.choice(['alice', 'bob', 'deploy'])
        syslog(t, 'sshd', pid, f'Accepted publickey for {user} from 198.51.100.{R.randint(2, 9)} port {R.randint(40000, 60000)} ssh2: ED25519 SHA256:abc')
        syslog(t + dt.timedelta(seconds=1), 'sshd', pid, f'pam_unix(sshd:session): session opened for user {user}(uid=1000) by (uid=0)')
    for t in times(120, 3 + 10 / 60, 3 + 25 / 60):
        pid = R.randint(1000, 30000)
        user = R.choice(['root', 'admin', 'test', 'oracle', 'ubuntu', 'postgres'])
        if user in ('root',):
            syslog(t, 'sshd', pid, f'Failed password for root from 203.0.113.77 port {R.randint(30000, 65000)} ssh2')
        else:
            syslog(t, 'sshd', pid, f'Invalid user {user} from 203.0.113.77 port {R.randint(30000, 65000)}')
            syslog(t, 'sshd', pid, f'Failed password for invalid user {user} from 203.0.113.77 port {R.randint(30000, 65000)} ssh2')
    for t in times(12, 8, 18):
        syslog(t, 'sudo', R.randint(1000, 30000), '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart shop')
    t = DAY + dt.timedelta(hours=16, minutes=2)
    syslog(t, 'sudo', 4242, '     bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash')
    lines.sort()
    return '\n'.join(l for _, l in lines) + '\n'


def app_json():
    out = []
    for t in times(700):
        h = (t - DAY).total_seconds() / 3600
        rec = {'time': t.isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
               'level': 'info', 'logger': 'shop.api', 'msg': 'request served',
               'route': R.choice(['/products', '/cart', '/checkout']),
               'duration_ms': R.randint(3, 80), 'request_id': f'{R.getrandbits(48):012x}'}
        if 13.9 <= h <= 14.4 and R.random() < 0.6:
            rec.update(level='error', logger='shop.payment',
                       msg='payment authorisation failed: connection to db-payments:5432 refused',
                       duration_ms=R.randint(3000, 9000))
        elif R.random() < 0.03:
            rec.update(level='warn', msg='slow request', duration_ms=R.randint(900, 2000))
        out.append(json.dumps(rec))
    return '\n'.join(out) + '\n'


def java_service():
    out = []
    for t in times(400):
        h = (t - DAY).total_seconds() / 3600
        ts = t.strftime('%Y-%m-%d %H:%M:%S,') + f'{t.microsecond // 1000:03d}'
        if 13.9 <= h <= 14.4 and R.random() < 0.5:
            out.append(f'{ts} ERROR [pool-2-thread-{R.randint(1, 8)}] com.shop.billing.PaymentClient: charge failed for order {R.randint(10000, 99999)}')
            out.append('org.postgresql.util.PSQLException: Connection to db-payments:5432 refused.')
            out.append('\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:319)')
            out.append('\tat com.shop.billing.PaymentClient.charge(PaymentClient.java:88)')
            out.append('Caused by: java.net.ConnectException: Connection refused')
            out.append('\t... 12 more')
        else:
            out.append(f'{ts} INFO  [main] com.shop.billing.InvoiceJob: invoice batch {R.randint(100, 999)} done in {R.randint(20, 400)} ms')
    return '\n'.join(out) + '\n'


def worker_log():
    out = []
    for t in times(300):
        h = (t - DAY).total_seconds() / 3600
        ts = t.strftime('%Y-%m-%d %H:%M:%S,') + f'{t.microsecond // 1000:03d}'
        if 13.95 <= h <= 14.3 and R.random() < 0.5:
            out.append(f'{ts} ERROR worker.payments: retry {R.randint(1, 5)}/5 for order {R.randint(10000, 99999)} failed')
            out.append('Traceback (most recent call last):')
            out.append('  File "/srv/worker/payments.py", line 41, in charge')
            out.append('    conn = pool.get()')
            out.append('ConnectionRefusedError: [Errno 111] Connection refused')
        else:
            out.append(f'{ts} INFO worker.mail: sent {R.randint(1, 40)} order confirmations')
    return '\n'.join(out) + '\n'


def main():
    os.makedirs(os.path.join(OUT, 'web'), exist_ok=True)
    os.makedirs(os.path.join(OUT, 'system'), exist_ok=True)
    os.makedirs(os.path.join(OUT, 'app'), exist_ok=True)
    open(os.path.join(OUT, 'web', 'access.log'), 'w').write(access_log())
    open(os.path.join(OUT, 'system', 'auth.log'), 'w').write(auth_log())
    open(os.path.join(OUT, 'app', 'shop-api.jsonl'), 'w').write(app_json())
    open(os.path.join(OUT, 'app', 'billing.log'), 'w').write(java_service())
    with gzip.GzipFile(os.path.join(OUT, 'app', 'worker.log.gz'), 'wb', mtime=0) as f:
        f.write(worker_log().encode())


if __name__ == '__main__':
    main()
