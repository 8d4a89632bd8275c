#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The shape of bench/, checked: what README's "Layout" promises.

  tools/layout-check.py [ROOT [OBJDIR]]   TAP, ending "N passed, N failed, N skipped"

OBJDIR (default ROOT/build/<host arch>) holds the built objects: the calls
between files are read from their symbol tables (nm), so a call that goes
up or round in a circle is caught even when one header declares both ends.

- Rooms form layers, each including only its own room and those below:
  lib/ < report/ < export/, dashboard/ < host/ < builtin-*.c, steplab.c
  (host/ sits on lib/ alone; export/ and dashboard/ do not use each other).
- No circles between modules (a module is x.c with x.h and its x-*.c
  parts), neither in what they include nor in what they call.
- A function is declared by a header of its own module (x.h for x.c and
  its parts x-*.c, arch.h for host/arch/<arch>/, builtin.h for the
  commands) or by its room's public header (dashboard/dashboard.h).
- No file over 600 lines; no function over 80 lines.
"""
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), '..'))
BENCH = os.path.join(ROOT, 'bench')
# host/ may use lib/ only; the commands may use everything.
MAY_USE = {
    'lib': {'lib'},
    'report': {'lib', 'report'},
    'export': {'lib', 'report', 'export'},
    'dashboard': {'lib', 'report', 'dashboard'},
    'host': {'lib', 'host'},
    '': {'lib', 'report', 'export', 'dashboard', 'host', ''},
}
MAX_FILE, MAX_FUNC = 600, 80

n = fails = 0


def ok(cond, what, detail=()):
    global n, fails
    n += 1
    print('%sok %d - %s' % ('' if cond else 'not ', n, what))
    for d in list(detail)[:20]:
        print('#   %s' % d)
    if not cond:
        fails += 1


def room(rel):
    """bench/lib/board.c -> lib; bench/builtin-run.c -> ''."""
    parts = rel.split('/')
    return parts[1] if len(parts) > 2 else ''


def module(rel):
    """bench/host/engine-step.c -> bench/host/engine; priv.h stays apart."""
    d, base = os.path.split(rel)
    stem = os.path.splitext(base)[0]
    if d == 'bench' and stem.startswith('builtin'):
        return 'bench/builtin'
    if d.startswith('bench/host/arch/'):	# arch.h, one implementation per arch
        return 'bench/host/arch'
    if stem == 'priv':			# a room's own header: part of the room's module
        return os.path.join(d, os.path.basename(d))
    return os.path.join(d, stem.split('-')[0])


files = []
for dp, _, fns in os.walk(BENCH):
    for f in fns:
        if f.endswith(('.c', '.h')):
            files.append(os.path.relpath(os.path.join(dp, f), ROOT))
files.sort()
text = {f: open(os.path.join(ROOT, f), encoding='utf-8').read() for f in files}
inc_re = re.compile(r'^#include "([^"]+)"', re.M)

# --- layers --------------------------------------------------------------
bad = []
for f in files:
    for inc in inc_re.findall(text[f]):
        if inc in ('abi.h',):		# the guest ABI (guests/), shared by both sides
            continue
        target = 'bench/' + inc
        if target not in text:
            bad.append('%s: includes "%s", not a room-qualified bench/ header' % (f, inc))
        elif room(target) not in MAY_USE[room(f)]:
            bad.append('%s (%s) includes %s (%s)' % (f, room(f) or 'commands', inc,
                                                    room(target) or 'commands'))
ok(not bad, 'every include stays in its room or goes down a layer', bad)

# --- circles between modules --------------------------------------------
graph = {}
for f in files:
    m = module(f)
    graph.setdefault(m, set())
    for inc in inc_re.findall(text[f]):
        t = 'bench/' + inc
        if t in text and module(t) != m:
            graph[m].add(module(t))
cycles, state, stack = [], {}, []


def visit(m):
    state[m] = 1
    stack.append(m)
    for t in sorted(graph.get(m, ())):
        if state.get(t) == 1:
            cycles.append(' -> '.join(stack[stack.index(t):] + [t]))
        elif not state.get(t):
            visit(t)
    stack.pop()
    state[m] = 2


for m in sorted(graph):
    if not state.get(m):
        visit(m)
ok(not cycles, 'no circles between modules (%d modules)' % len(graph), cycles)

# --- declared where defined --------------------------------------------
decl = {}
proto_re = re.compile(r'^[A-Za-z_][\w \t\*]*?\b(\w+)\(', re.M)
for f in files:
    if f.endswith('.h'):
        for m in re.finditer(r'^(?!static|#|\s|typedef|struct|enum|union)[^;{}()]*?\b(\w+)\([^;{]*?\);',
                             text[f], re.M | re.S):
            decl.setdefault(m.group(1), []).append(f)
bad = []
def_re = re.compile(r'^(?!static)[A-Za-z_][^;{}()\n]*?\b(\w+)\([^;{]*?\)\n\{', re.M)
for f in files:
    if not f.endswith('.c'):
        continue
    for name in def_re.findall(text[f]):
        if name == 'main' or name not in decl:
            continue
        own = [h for h in decl[name] if module(h) == module(f) or
               (os.path.dirname(h) == os.path.dirname(f) and
                os.path.basename(h) in ('priv.h', room(f) + '.h'))]
        if not own:
            bad.append('%s defines %s, declared in %s' % (f, name, ', '.join(decl[name])))
ok(not bad, 'each function is declared by a header of its own module', bad)

# --- calls, from the objects' symbol tables ------------------------------
arch = {'x86_64': 'x86_64', 'aarch64': 'arm64'}.get(platform.machine(), platform.machine())
objdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, 'build', arch)
objs = {}
for f in files:
    if f.endswith('.c'):
        o = os.path.join(objdir, f[:-2] + '.o')
        if os.path.exists(o):
            objs[f] = o
missing = [f for f in files if f.endswith('.c') and f not in objs and
           not f.startswith('bench/host/arch/')]
if missing:
    ok(False, 'the objects of bench/ are built in %s (make all)' % objdir, missing)
else:
    defined, used = {}, {}
    for f, o in objs.items():
        out = subprocess.run(['nm', o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in 'TDRB':
                defined.setdefault(parts[2], f)
            elif len(parts) == 2 and parts[0] == 'U':
                used.setdefault(f, set()).add(parts[1])
    up, calls = [], {}
    for f, syms in used.items():
        for sym in syms:
            t = defined.get(sym)
            if not t or module(t) == module(f):
                continue
            calls.setdefault(module(f), set()).add(module(t))
            if room(t) not in MAY_USE[room(f)]:
                up.append('%s (%s) uses %s of %s (%s)' % (f, room(f) or 'commands', sym, t,
                                                         room(t) or 'commands'))
    ok(not up, 'every call stays in its room or goes down a layer (%d objects)' % len(objs), up)
    graph, cycles, state, stack = calls, [], {}, []
    for m in sorted(graph):
        if not state.get(m):
            visit(m)
    ok(not cycles, 'no two modules call each other, directly or round a circle', cycles)

# --- sizes ----------------------------------------------------------------
big = ['%s: %d lines' % (f, text[f].count('\n')) for f in files
       if text[f].count('\n') > MAX_FILE]
ok(not big, 'no file in bench/ over %d lines' % MAX_FILE, big)
long_ = []
for f in files:
    lines = text[f].split('\n')
    for i, line in enumerate(lines):
        if line == '{' and i > 0:
            j = i
            while j < len(lines) and lines[j] != '}':
                j += 1
            k = i - 1
            while k > 0 and '(' not in lines[k]:
                k -= 1
            m = re.search(r'(\w+)\s*\(', lines[k])
            if j - k + 1 > MAX_FUNC:
                long_.append('%s:%d %s: %d lines' % (f, k + 1, m.group(1) if m else '?', j - k + 1))
ok(not long_, 'no function in bench/ over %d lines' % MAX_FUNC, long_)

print('1..%d' % n)
print('%d passed, %d failed, 0 skipped' % (n - fails, fails))
sys.exit(1 if fails else 0)
