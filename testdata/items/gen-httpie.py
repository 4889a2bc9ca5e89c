#!/usr/bin/env python3
"""Record what HTTPie 3 sends for generated request items.

Writes httpie-nested.json (JSON bodies built from nested items, or
HTTPie's error) and httpie-flat.json (headers, forms and multipart bodies)
beside this script. The tests in internal/items and repl compare reqsh
with these records; run this again only to regenerate them:

    apt-get install -y httpie    # HTTPie 3.2.x gives `http`
    python3 testdata/items/gen-httpie.py

Every case runs `http --ignore-stdin --offline --print=HB [--form|--multipart]
POST http://x/ ITEMS...`, which prints the request without sending it.
"""

import concurrent.futures
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def httpie(words, mode=None, cwd=None):
    """Runs HTTPie offline; returns (head, body, error)."""
    argv = ['http', '--ignore-stdin', '--offline', '--print=HB']
    if mode:
        argv.append(mode)
    argv += ['POST', 'http://x/'] + words
    p = subprocess.run(argv, capture_output=True, cwd=cwd,
                       env=dict(os.environ, COLUMNS='1000', NO_COLOR='1'))
    if p.returncode != 0:
        err = p.stderr.decode('utf-8', 'replace').strip()
        # "usage: ... error:\n    MESSAGE\n\nfor more information" or
        # "HTTPie Type Error: MESSAGE\nITEM\n ^^^"
        m = re.search(r'error:\n\s*(.*)', err)
        return None, None, (m.group(1) if m else err.splitlines()[0])
    out = p.stdout.decode('utf-8')
    head, _, body = out.partition('\r\n\r\n') if '\r\n\r\n' in out else out.partition('\n\n')
    return head, body, None


# ---- nested JSON items -------------------------------------------------

# Paths: keys, indexes, appends, nesting, top-level arrays.
PATHS = [
    'a', 'b', 'a[b]', 'a[c]', 'a[]', 'a[0]', 'a[1]', 'a[2]', 'a[b][c]',
    'a[b][]', 'a[][b]', 'a[0][b]', 'a[1][]', 'a[][]', 'a[b][0]',
    '[]', '[0]', '[1]', '[][a]', '[0][a]', '[][]',
]
# Raw JSON values of each type.
RAWS = ['1', '-2.5', 'true', 'false', 'null', '"s"', '[]', '[1,"x"]', '{}',
        '{"k":1}', '{"k":{"l":[1,2]}}']


def nested_cases():
    cases = []
    add = cases.append
    # One item: every path, as a string and as each raw type.
    for p in PATHS:
        add([p + '=v'])
    for p in ['a', 'a[b]', 'a[]', 'a[1]', '[]', '[2]']:
        for r in RAWS:
            add([p + ':=' + r])
    # Every ordered pair of paths: merges, replacements, type conflicts.
    for p, q in itertools.product(PATHS, PATHS):
        add([p + '=1', q + '=2'])
    # A raw value, then a path into it (or through it).
    for r in RAWS:
        for q in ['a[k]', 'a[]', 'a[0]', 'a[k][x]', 'a[1][y]']:
            if r == 'null' or r.startswith('{"k"') or r == '{}':
                continue  # deviations, recorded separately below
            add(['a:=' + r, q + '=2'])
    # Keys: escapes, numbers, blanks, unicode, separators.
    for k in [r'a\[b\]', r'a\[0\]', r'\[\]', r'a\\b', r'a\\', r'a\b',
              r'a[\1]', r'a[\-1]', r'\1', r'x[\[]', r'x[a\]b]',
              'a b', 'a[b c]', 'a[ ]', 'a[ 1 ]', 'a[+1]', 'a[01]',
              'a[1_0]', 'a[-0]', 'ü[日本]', 'a[b.c]', 'a[b-c]', r'a\:b',
              r'a\=b', r'a\@b', 'a[true]', 'a[null]', 'a[1.5]', 'a[0x1]',
              'a[b][1][c][]', '[][][0]', '[0][0][0]']:
        add([k + '=v'])
    # Bad paths.
    for k in ['a[', 'a]', 'a[b', 'a[b]c', 'a[b]]', 'a[[b]]', 'a[]]',
              'a][', '[a]', '[', ']', '[-1]', 'a[-1]', 'a[b][-2]',
              'a[0]b', '[]a', '[0]a', 'a[]b[]', 'a[b][', '[]]']:
        add([k + '=v'])
    # Repeated keys: last wins, in the first place.
    add(['a=1', 'b=2', 'a=3'])
    add(['a:=1', 'a=x'])
    add(['a[b]=1', 'a[c]=2', 'a[b]=3'])
    add(['a[0]=1', 'a[0]=2'])
    add(['a[]=1', 'a[]=2', 'a[0]=3'])
    add(['a[3]=x', 'a[1]=y'])
    add(['a[b]=1', 'a=2'])
    add(['a[1][b]=1', 'a[1][c]=2', 'a[0]=z'])
    add(['user[name]=ann', 'user[roles][]=dev', 'user[roles][]=ops',
         'n[0]:=1', '[][a]=1'])
    add(['user[name]=ann', 'user[roles][]=dev', 'n[0]:=1'])
    add(['[]:=1', '[]:=2'])
    add(['[][a]=1', '[][a]=2', '[0][b]=3'])
    add(['a:={"k":1,"k":2}'])
    add(['a:=1.50', 'b:=1e3', 'c:=123456789012345678901234567890'])
    add(['u=é<>&\u0001"\\', 'v:="\\u00e9"'])
    # Random item lists of two to four items (fixed seed).
    rnd = random.Random(14)
    pool = PATHS + ['b[c]', 'b[]', 'c[0][d]']
    seen = {tuple(c) for c in cases}
    while len(cases) < 700:
        n = rnd.randint(2, 4)
        words = []
        for _ in range(n):
            p = rnd.choice(pool)
            if rnd.random() < 0.3:
                words.append(p + ':=' + rnd.choice(['1', 'true', '"s"', '[]', '[1]']))
            else:
                words.append(p + '=' + rnd.choice('xyz'))
        if tuple(words) not in seen:
            seen.add(tuple(words))
            add(words)
    return cases


# Where reqsh differs on purpose; the tests say what reqsh sends.
NESTED_DEVIATIONS = [
    ['007=v'], ['+1=v'], ['1_0=v'],
    ['a:=null', 'a[k]=2'],
    ['a:={"k":1}', 'a[k]=2'], ['a:={"k":1}', 'a[x]=2'],
    ['a:={}', 'a[k]=2'], ['a:=[{"k":1}]', 'a[0][k]=2'],
    ['=x'],
]


def run_nested(words):
    _, body, err = httpie(words)
    case = {'items': words}
    if err is not None:
        case['error'] = err
    else:
        case['body'] = body.strip()
    return case


# ---- flat items: headers, forms, multipart -----------------------------

FILES = {'f.txt': 'hello\n', 'j.json': '{"x":1}\n', 'n.csv': 'a,b\n1,2\n'}

FLAT = [
    (None, ['X-A:1', 'X-A:2']),
    (None, ['X-A:1', 'X-B:b', 'X-A:2', 'X-A:3']),
    (None, ['X-A:', 'X-A:v']),
    (None, ['X-A:v', 'X-A:']),
    (None, ['X-A:1', 'X-A:', 'X-A:2']),
    (None, ['X-A;']),
    (None, ['X-A;', 'X-A:v']),
    (None, ['X-A:v', 'X-A;']),
    (None, ['X-A;v']),
    (None, ['x-a:1', 'X-A:2']),
    (None, [r'X-A:a\;b']),
    ('--form', ['a=1', 'a=3']),
    ('--form', ['a=1', 'b=2', 'a=3', 'c=4', 'b=5']),
    ('--form', ['n:=1']),
    ('--form', ['n:=-2.5', 's:="x y"']),
    ('--form', ['o:={"a":1}']),
    ('--form', ['l:=[1]']),
    ('--form', ['a[b]=1', 'a[]=2']),
    ('--form', ['e=', 'u=ü & = ?']),
    ('--form', ['t=@{dir}/f.txt']),
    ('--form', ['a=1', 'f@{dir}/f.txt', 'b=2']),
    ('--form', ['f@{dir}/f.txt', 'a=1', 'g@{dir}/j.json', 'b=2']),
    ('--form', ['a=1', 'f@{dir}/f.txt', 'a=2']),
    ('--form', ['f@{dir}/f.txt', 'f@{dir}/n.csv']),
    ('--form', ['f@{dir}/f.txt;type=image/png']),
    ('--form', ['f@{dir}/n.csv;type=text/plain; charset=latin1', 'x=1']),
    ('--form', ['f@{dir}/f.txt;type=']),
    ('--multipart', ['a=1', 'b=2', 'a=3']),
    ('--multipart', ['z=1', 'f@{dir}/j.json', 'a=2']),
]


def run_flat(args, tmp):
    mode, words = args
    run = [w.replace('{dir}', tmp) for w in words]
    head, body, err = httpie(run, mode)
    case = {'mode': mode or '', 'items': words}
    if err is not None:
        case['error'] = err.replace(tmp, '{dir}')
        return case
    lines = head.splitlines()
    case['headers'] = [l.split(': ', 1) if ': ' in l else [l.rstrip(':'), '']
                       for l in lines[1:]]
    m = re.search(r'boundary=([0-9a-f]+)', head)
    if m:
        body = body.replace(m.group(1), 'BOUNDARY')
        case['headers'] = [[k, v.replace(m.group(1), 'BOUNDARY')] for k, v in case['headers']]
    case['body'] = body.replace(tmp, '{dir}')
    return case


def main():
    version = subprocess.run(['http', '--version'], capture_output=True, text=True).stdout.strip()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        nested = list(pool.map(run_nested, nested_cases()))
        deviations = list(pool.map(run_nested, NESTED_DEVIATIONS))
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in FILES.items():
                with open(os.path.join(tmp, name), 'w') as f:
                    f.write(text)
            flat = list(pool.map(lambda a: run_flat(a, tmp), FLAT))
    about = 'HTTPie %s, http --ignore-stdin --offline --print=HB POST http://x/ ITEMS; written by gen-httpie.py' % version
    with open(os.path.join(HERE, 'httpie-nested.json'), 'w') as f:
        json.dump({'about': about, 'cases': nested, 'deviations': deviations},
                  f, indent=1, ensure_ascii=False)
        f.write('\n')
    with open(os.path.join(HERE, 'httpie-flat.json'), 'w') as f:
        json.dump({'about': about, 'files': FILES, 'cases': flat},
                  f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('%d nested cases, %d deviations, %d flat cases' % (len(nested), len(deviations), len(flat)))


if __name__ == '__main__':
    sys.exit(main())
