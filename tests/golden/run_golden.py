#!/usr/bin/env python3
"""Golden tests: run sysgrok on each case of a suite and compare with the expected output.

A case in tests/golden/<suite>/ is a set of files sharing a stem:
  <case>.args            the sysgrok arguments, one line, shell-split; `{in}` = the input
                         (default: "parse --json {in}")
  <case>.log|.gz|.zst|.bin|<case>/   the input (any file or directory named <case> + suffix)
  <case>.expected        expected stdout
  <case>.expected_rc     expected exit status (default 0)
  <case>.expected_stderr expected stderr (optional; compared when present)
Commands run in the suite directory, so paths in the output are relative and stable.
Timings are masked before comparing. `--update` rewrites the expected files.
"""
import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys

MASKS = [
    (re.compile(r' in \d+\.\d+ s\b'), ' in <secs> s'),
    (re.compile(r'"seconds": ?[0-9.e+-]+'), '"seconds": <secs>'),
]
INPUT_SUFFIXES = ('.log', '.gz', '.zst', '.bin', '.txt', '.json', '')


def mask(text):
    for rx, rep in MASKS:
        text = rx.sub(rep, text)
    return text


def find_cases(suite, update=False):
    files = os.listdir(suite)
    names = {f[:-len('.expected')] for f in files if f.endswith('.expected')}
    if update:
        # New cases: every input file or directory, and every .args file.
        for f in files:
            if f.endswith('.args'):
                names.add(f[:-len('.args')])
            elif os.path.isdir(os.path.join(suite, f)):
                names.add(f)
            else:
                for suf in INPUT_SUFFIXES:
                    if suf and f.endswith(suf):
                        names.add(f[:-len(suf)])
                        break
    return sorted(names)


def find_input(suite, case):
    for suf in INPUT_SUFFIXES:
        p = case + suf
        if os.path.exists(os.path.join(suite, p)) and suf != '' or (suf == '' and os.path.isdir(os.path.join(suite, p))):
            return p
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sysgrok', required=True)
    ap.add_argument('--suite', required=True)
    ap.add_argument('--update', action='store_true')
    a = ap.parse_args()
    sysgrok = os.path.abspath(a.sysgrok)
    passed = failed = 0
    for case in find_cases(a.suite, a.update):
        argsf = os.path.join(a.suite, case + '.args')
        args = open(argsf).read().strip() if os.path.exists(argsf) else 'parse --json {in}'
        inp = find_input(a.suite, case)
        argv = [x.replace('{in}', inp or '') for x in shlex.split(args)]
        env = dict(os.environ, TZ='UTC', NO_COLOR='1')
        stdin_path = os.path.join(a.suite, case + '.stdin')
        stdin = open(stdin_path, 'rb') if os.path.exists(stdin_path) else subprocess.DEVNULL
        p = subprocess.run([sysgrok] + argv, cwd=a.suite, stdin=stdin, capture_output=True, env=env)
        out = mask(p.stdout.decode('utf-8', 'replace'))
        err = mask(p.stderr.decode('utf-8', 'replace'))
        base = os.path.join(a.suite, case)
        if a.update:
            open(base + '.expected', 'w').write(out)
            if p.returncode != 0 or os.path.exists(base + '.expected_rc'):
                open(base + '.expected_rc', 'w').write(f'{p.returncode}\n')
            if err or os.path.exists(base + '.expected_stderr'):
                open(base + '.expected_stderr', 'w').write(err)
            print(f'updated {case}')
            continue
        problems = []
        want_rc = int(open(base + '.expected_rc').read()) if os.path.exists(base + '.expected_rc') else 0
        if p.returncode != want_rc:
            problems.append(f'exit status {p.returncode}, expected {want_rc}\nstderr: {err}')
        want = open(base + '.expected').read()
        if out != want:
            diff = ''.join(difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                                'expected', 'actual', n=1))
            problems.append('stdout differs:\n' + diff[:6000])
        if os.path.exists(base + '.expected_stderr'):
            want_err = open(base + '.expected_stderr').read()
            if err != want_err:
                problems.append(f'stderr differs:\n--- expected\n{want_err}--- actual\n{err}')
        if problems:
            failed += 1
            print(f'FAIL {case}: ' + '\n'.join(problems))
        else:
            passed += 1
            print(f'ok   {case}')
    print(f'{passed} passed, {failed} failed')
    if passed + failed == 0 and not a.update:
        print('no cases found')
        return 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
