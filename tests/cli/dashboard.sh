#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# steplab dashboard on a synthetic nightly history (tools/make-history.py:
# four kernels, one of them early-exit, several seeds, and one sysreg
# regression on night 4 of 7.3.4+deb13-arm64).  The page is checked as
# HTML (self-contained, every plot, exactly the one regression marker,
# text escaped), then rendered by Debian's chromium headless: a screenshot
# that is not blank and shows the marker, every plot laid out, and not
# one console message, exception or failed load.  Without chromium (and
# no way to install it) the browser checks fail: make deps installs it.
#
# DASHBOARD_KEEP=DIR keeps the page, the screenshot and what the browser
# saw in DIR.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

keep=${DASHBOARD_KEEP:-}
hist=$tmp/history
page=$tmp/out/page.html
regressed=7.3.4+deb13-arm64
mkdir -p "$tmp/out"

EXPECT_EMPTY_DIR="$tmp/fail"

# --- the history ----------------------------------------------------------

tools/make-history.py "$hist" 2>/dev/null
ok $? "make-history.py writes the history"
tools/make-history.py "$tmp/again" 2>/dev/null
check "the same history twice: byte for byte" -- diff -r "$hist" "$tmp/again"
check "every report of the history validates" -- "$steplab" report validate "$hist"/*.json
check "the history: 10+ reports, 3+ kernels, an early-exit one, 3+ seeds, 4+ nights" -- \
	python3 - "$hist" <<'EOF_PY'
import glob, json, sys
docs = [json.load(open(f)) for f in glob.glob(sys.argv[1] + '/*.json')]
releases = {d['context']['kernel_release'] for d in docs}
seeds = {p['seed'] for d in docs for p in d['programs'] if 'seed' in p}
nights = {d['context']['date'][:10] for d in docs}
ee = [d for d in docs if d['design']['verdict'] == 'early-exit']
assert len(docs) >= 10 and len(releases) >= 3 and len(seeds) >= 3 and len(nights) >= 4
assert ee and all(c['metrics']['entries']['median'] == 1 for d in ee for c in d['classes']
                  if c['class'] in d['design']['per_class'])
EOF_PY

# --- the page -------------------------------------------------------------

"$steplab" dashboard "$hist" -o "$page" >"$tmp/stdout" 2>"$tmp/stderr"
ok $? "steplab dashboard: exit 0"
check "it says what it wrote: 1 regression" -- grep -q "page.html: .* 1 regression, 0 improvements" "$tmp/stdout"
check "nothing on stderr" -- test ! -s "$tmp/stderr"
check "only the page in its directory" -- test "$(ls -A "$tmp/out")" = page.html

# pagecheck CHECK: one assertion about the page, from its parsed HTML.
cat > "$tmp/pagecheck.py" <<'EOF_PY'
import glob, html.parser, json, re, sys

check, page, hist = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(page, encoding='utf-8').read()


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        for el in self.stack:
            el['text'] += ' '	# cells and blocks: words apart
        el = {'tag': tag, 'attrs': dict(attrs), 'text': '', 'parents': list(self.stack)}
        self.elements.append(el)
        if tag not in ('meta', 'br', 'hr', 'img', 'input', 'link', 'wbr', 'col', 'area',
                       'base', 'embed', 'source', 'track', 'param'):
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({'tag': tag, 'attrs': dict(attrs), 'text': '',
                              'parents': list(self.stack)})

    def handle_endtag(self, tag):
        if any(el['tag'] == tag for el in self.stack):
            while self.stack.pop()['tag'] != tag:
                pass

    def handle_data(self, data):
        for el in self.stack:
            el['text'] += data


p = Page()
p.feed(text)
els = p.elements


def classes(el):
    return el['attrs'].get('class', '').split()


plots = [e for e in els if e['tag'] == 'svg' and 'plot' in classes(e)]
docs = [json.load(open(f)) for f in sorted(glob.glob(hist + '/*.json'))]

if check == 'self-contained':
    for e in els:
        assert e['tag'] not in ('link', 'iframe', 'object', 'embed', 'img', 'base'), e['tag']
        assert not (e['tag'] == 'script' and 'src' in e['attrs']), 'script src'
        for k, v in e['attrs'].items():
            if k in ('src', 'href', 'xlink:href', 'action', 'data', 'poster', 'srcset'):
                assert v.startswith('#'), f'{e["tag"]} {k}={v}'
    assert not re.search(r'@import|url\s*\(', text, re.I), 'CSS fetches something'
    assert re.findall(r'https?://[^\s"\'<>]+', text) == \
        ['http://www.w3.org/2000/svg'] * len(plots), 'a URL besides the SVG namespace'
    assert "default-src 'none'" in text, 'no Content-Security-Policy'
elif check == 'plots':
    want = set()
    for d in docs:
        c = d['context']
        for cls in d['classes']:
            want.add(f"history/{c['board']}/{c['kernel_release']}/"
                     f"{d['design']['verdict']}/{cls['class']}")
            want.add(f"distribution/{c['board']}/{cls['class']}")
    names = [e['attrs'].get('data-plot') for e in plots]
    assert len(names) == len(set(names)), 'a plot twice'
    assert set(names) == want, (set(names) ^ want)
    print(len(names))
elif check == 'regression':
    marks = [e for e in els if 'regression' in classes(e)]
    assert len(marks) == 1, f'{len(marks)} regression markers'
    a = marks[0]['attrs']
    assert (a['data-class'], a['data-kernel']) == ('sysreg', sys.argv[4]), a
    assert a['data-run'].endswith('20261124.json'), a
    svg = [e for e in marks[0]['parents'] if e['tag'] == 'svg'][-1]
    assert svg['attrs']['data-plot'].endswith('/sysreg') and 'changed' in classes(svg)
    assert '+300' in marks[0]['text']
    assert not [e for e in els if 'improvement' in classes(e)], 'an improvement marker'
    item = [e for e in els if e['tag'] == 'li' and 'up' in classes(e)]

    def sysreg_median(d):
        return [c for c in d['classes'] if c['class'] == 'sysreg'][0][
            'metrics']['host_instructions']['median']
    runs = sorted((d['context']['date'], sysreg_median(d)) for d in docs
                  if d['context']['kernel_release'] == sys.argv[4])
    before, after = runs[2][1], runs[3][1]
    assert len(item) == 1 and f'{before} \u2192 {after}' in item[0]['text'], \
        ('the list entry', before, after, item)
    assert 'shift +300, 95% interval [300, 300]' in item[0]['text'], item[0]['text']
elif check == 'emulated':
    for e in plots:
        assert 'EMULATED' in e['text'], e['attrs']['data-plot']
    assert all('emulated' in e['text'].lower() for e in els if e['tag'] == 'h2')
elif check == 'status':
    rows = [e for e in els if e['tag'] == 'tr' and any('status' in classes(q)
                                                       for q in e['parents'])]
    got = {' '.join(r['text'].split()[:2]) for r in rows[1:]}
    want = {f"{d['context']['kernel_release']} {d['design']['verdict']}" for d in docs}
    assert got == want, got ^ want
    assert all('conforming' in r['text'] and 'emulated' in r['text'] for r in rows[1:])
elif check == 'comparison':
    # 7.3.4's latest sysreg median against 6.1's: -650 + 300
    rows = [' '.join(e['text'].split()) for e in els if e['tag'] == 'tr' and
            any('cmp' in classes(q) for q in e['parents'])]
    row = [r for r in rows if r.startswith('sysreg host insns')]
    assert row and ' -350 (' in row[0] and '\u25bc -350 [-350, -350]' in row[0], row
elif check == 'reference':
    assert f'Reference: {sys.argv[4]} ' in ' '.join(text.split()), 'reference not named'
elif check == 'boards':
    # the history plus three nights of a physical board, the last one
    # non-conforming and with hvc 200 instructions cheaper
    heads = [' '.join(e['text'].split()) for e in els if e['tag'] == 'h2']
    assert len(heads) == 2 and heads[0].startswith('Board qemu-virt EMULATED') and \
        heads[1] == 'Board rock5b', heads
    for e in plots:
        physical = '/rock5b/' in e['attrs']['data-plot']
        assert ('EMULATED' in e['text']) != physical, e['attrs']['data-plot']
    up = [e['attrs'] for e in els if 'regression' in classes(e)]
    down = [e['attrs'] for e in els if 'improvement' in classes(e)]
    assert len(up) == 1 and up[0]['data-board'] == 'qemu-virt', up
    assert len(down) == 1 and (down[0]['data-board'], down[0]['data-class']) == \
        ('rock5b', 'hvc'), down
    nc = [' '.join(e['text'].split()) for e in els if e['tag'] == 'li' and 'nc' in classes(e)]
    assert len(nc) == 1 and 'rock5b / 6.1.0-56-arm64' in nc[0] and \
        re.search(r'3 non-conforming of [0-9]+ steps', nc[0]), nc
elif check == 'escaped':
    assert '<script' not in text.lower() and '&lt;script&gt;alert(&quot;x&quot;)' in text
    assert '&amp; &#39;q&#39;' in text
else:
    sys.exit(f'no check {check}')
EOF_PY
pagecheck() {	# pagecheck NAME CHECK [ARG]
	local name=$1; shift
	if python3 "$tmp/pagecheck.py" "$1" "$page" "$hist" "${@:2}" >"$tmp/pc.out" 2>&1; then
		ok 0 "$name"
	else
		ok 1 "$name"
		diag "$(tail -n 3 "$tmp/pc.out")"
	fi
}
pagecheck "self-contained: no script, link, import or URL but the SVG namespace" self-contained
pagecheck "a history plot per kernel and class, a distribution plot per class" plots
nplots=$(tail -n 1 "$tmp/pc.out")
pagecheck "exactly one regression marker: sysreg on $regressed, night 4, +300" regression "$regressed"
pagecheck "every plot of the emulated board says EMULATED" emulated
pagecheck "the status table: every kernel and its design verdict, conforming" status
pagecheck "the comparison table against 6.1: sysreg on $regressed -350 [-350, -350]" comparison 6.1.0-56-arm64

if "$steplab" dashboard "$hist" -o "$tmp/ref.html" --reference "$regressed" >"$tmp/stdout" 2>&1; then
	page=$tmp/ref.html pagecheck "--reference names the reference kernel" reference "$regressed"
else
	ok 1 "--reference: exit 0"; diag "$(cat "$tmp/stdout")"
fi

# Text from a report lands escaped.
mkdir -p "$tmp/esc"
python3 - "$hist/qemu-virt-6.1.0-56-arm64-20261121.json" "$tmp/esc/r.json" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['context']['kernel_version'] = '#1 <script>alert("x")</script> & \'q\''
d['context']['steplab_git'] = '</td><b>'
json.dump(d, open(sys.argv[2], 'w'))
EOF_PY
if "$steplab" dashboard "$tmp/esc" -o "$tmp/esc.html" >"$tmp/stdout" 2>&1; then
	page=$tmp/esc.html pagecheck "report text is escaped" escaped
else
	ok 1 "a one-report page: exit 0"; diag "$(cat "$tmp/stdout")"
fi

# A second board, physical: a section of its own, no EMULATED on its plots.
mkdir -p "$tmp/boards"
cp "$hist"/*.json "$tmp/boards/"
python3 - "$hist" "$tmp/boards" <<'EOF_PY'
import json, sys
for night in (1, 2, 3):
    d = json.load(open(f'{sys.argv[1]}/qemu-virt-6.1.0-56-arm64-2026112{night}.json'))
    c = d['context']
    c.update(board='rock5b', measured_on='physical', emulated=False,
             date=f'2026-11-2{night}T03:00:00Z')
    if night == 3:
        d['summary'].update(nonconforming=3, conforming=False)
        m = [k for k in d['classes'] if k['class'] == 'hvc'][0]['metrics']['host_instructions']
        for key in ('min', 'p10', 'median', 'p90', 'p99', 'max', 'mode'):
            m[key] -= 200
        for p in m['histogram']['pairs']:
            p[0] -= 200
    json.dump(d, open(f'{sys.argv[2]}/rock5b-2026112{night}.json', 'w'))
EOF_PY
if "$steplab" dashboard "$tmp/boards" -o "$tmp/boards.html" >"$tmp/stdout" 2>&1 &&
   grep -q '2 boards, 5 kernels; 1 regression, 1 improvement, 1 run not conforming' "$tmp/stdout"; then
	page=$tmp/boards.html pagecheck "two boards: a section each, EMULATED on the emulated one's plots only, the improvement and the non-conforming run listed" boards
else
	ok 1 "two boards: exit 0, 1 regression, 1 improvement, 1 run not conforming"
	diag "$(cat "$tmp/stdout")"
fi

# A run whose only non-conforming steps are known divergences: not counted
# as not conforming, listed in its own colour.
mkdir -p "$tmp/known"
cp "$hist"/*.json "$tmp/known/"
python3 - "$tmp/known" <<'EOF_PY'
import glob, json, sys
f = sorted(glob.glob(sys.argv[1] + '/qemu-virt-6.1.0-56-arm64-*.json'))[-1]
d = json.load(open(f))
d['summary'].update(nonconforming=7, known_nonconforming=7, new_nonconforming=0,
                    conforming=False, verdict='known divergences')
json.dump(d, open(f, 'w'))
EOF_PY
if "$steplab" dashboard "$tmp/known" -o "$tmp/known.html" >"$tmp/stdout" 2>&1 &&
   grep -q ', 0 runs not conforming$' "$tmp/stdout" && grep -q '^1 run only with known divergences$' "$tmp/stdout" &&
   grep -q 'class="known nw">known divergences only' "$tmp/known.html" &&
   grep -q 'class="known">1 of [0-9]* runs only with known divergences' "$tmp/known.html"; then
	ok 0 "known divergences only: counted apart from non-conforming runs, drawn in their own colour"
else
	ok 1 "known divergences only: counted apart from non-conforming runs, drawn in their own colour"
	diag "$(cat "$tmp/stdout")"
fi

# --- bad input ------------------------------------------------------------

mkdir -p "$tmp/mixed"
cp "$hist"/*.json "$tmp/mixed/"
echo '{nope' > "$tmp/mixed/broken.json"
python3 -c "
import json, sys
d = json.load(open('$hist/qemu-virt-6.1.0-56-arm64-20261121.json'))
del d['summary']
json.dump(d, open('$tmp/mixed/invalid.json', 'w'))"
"$steplab" dashboard "$tmp/mixed" -o "$tmp/mixed.html" >/dev/null 2>"$tmp/stderr"
st=$?
ok "$([ $st = 0 ] && [ -s "$tmp/mixed.html" ]; echo $?)" "bad reports are skipped: exit 0, page written (status $st)"
check "one warning line per bad report, naming it" -- bash -c "
[ \$(wc -l < $tmp/stderr) = 2 ] &&
grep -q '^steplab dashboard: warning: skipped .*/broken.json:1:' $tmp/stderr &&
grep -q '^steplab dashboard: warning: skipped .*/invalid.json:.*summary' $tmp/stderr"
cp "$page" "$tmp/fail-before.html"
expect_fail "--strict: a bad report is an error" 2 "^steplab dashboard: .*/broken.json:1:" -- \
	"$steplab" dashboard --strict "$tmp/mixed" -o "$tmp/fail/page.html"
"$steplab" dashboard --strict "$tmp/mixed" -o "$page" >/dev/null 2>&1
check "--strict failing leaves an existing page as it was" -- cmp "$page" "$tmp/fail-before.html"
mkdir -p "$tmp/empty"
expect_fail "an empty directory: exit 2" 2 "no valid report" -- \
	"$steplab" dashboard "$tmp/empty" -o "$tmp/fail/page.html"
expect_fail "a missing directory: exit 2" 2 "nope: No such file" -- \
	"$steplab" dashboard "$tmp/nope" -o "$tmp/fail/page.html"
expect_fail "no -o: exit 2" 2 "give the page's path with -o" -- "$steplab" dashboard "$hist"
expect_fail "-o without its value" 2 "needs a value" -- "$steplab" dashboard "$hist" -o
expect_fail "unknown option" 2 "unknown option '--frob'" -- "$steplab" dashboard --frob "$hist" -o x
expect_fail "two directories" 2 "give one directory" -- \
	"$steplab" dashboard "$hist" "$hist" -o "$tmp/fail/page.html"
expect_fail "an unknown --reference" 2 "--reference '9.9': no report of kernel '9.9'" -- \
	"$steplab" dashboard "$hist" --reference 9.9 -o "$tmp/fail/page.html"
expect_fail "an unwritable page: exit 3" 3 "/proc/nope/page.html" -- \
	"$steplab" dashboard "$hist" -o /proc/nope/page.html
check "--help exits 0 and shows the usage" -- bash -c \
	"$steplab dashboard --help | grep -q '^usage: steplab dashboard DIR -o PAGE.html'"

# --- in the browser -------------------------------------------------------

chromium_bin() {
	command -v chromium 2>/dev/null && return
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
	diag "installing chromium (only this test needs it)" >&2
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq \
		--no-install-recommends chromium >/dev/null 2>&1
	command -v chromium
}

browser_tests=("the screenshot is a 1400x3000 PNG, not one colour"
	"the screenshot shows the regression marker where the page has it"
	"no console line on stderr while rendering"
	"every plot laid out with a size, the marker visible"
	"no console message, exception or failed load"
	"the console checks catch an error on a broken page")
if ! chrome=$(chromium_bin); then
	for t in "${browser_tests[@]}"; do
		ok 1 "$t: chromium is installed (make deps installs it)"
	done
	tap_done
	exit
fi

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync)

# cdp.py OUT.json URL -- CHROMIUM...: loads URL over --remote-debugging-pipe,
# records every console message, exception and log entry (failed loads,
# blocked content), and measures the plots and the regression markers.
cat > "$tmp/cdp.py" <<'EOF_PY'
import json, os, subprocess, sys, time

out, url, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]
deadline = time.monotonic() + 45
# Chromium reads commands on fd 3 and answers on fd 4, each message ending in NUL.
to_r, to_w = os.pipe()
from_r, from_w = os.pipe()
os.dup2(to_r, 100)
os.dup2(from_w, 101)
for fd in (to_r, from_w):
    os.close(fd)
proc = subprocess.Popen(['bash', '-c', 'exec "$@" 3<&100 4>&101 100<&- 101>&-', 'chromium']
                        + cmd + ['--remote-debugging-pipe'], pass_fds=(100, 101),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(100)
os.close(101)
wr, rd = os.fdopen(to_w, 'wb', buffering=0), os.fdopen(from_r, 'rb', buffering=0)
buf, last, events = b'', 0, []


def recv():
    global buf
    while b'\0' not in buf:
        if time.monotonic() > deadline:
            raise TimeoutError('chromium did not answer')
        chunk = rd.read(65536)
        if not chunk:
            raise EOFError('chromium closed the pipe')
        buf += chunk
    msg, buf = buf.split(b'\0', 1)
    return json.loads(msg)


def call(method, session=None, **params):
    global last
    last += 1
    msg = {'id': last, 'method': method, 'params': params}
    if session:
        msg['sessionId'] = session
    wr.write(json.dumps(msg).encode() + b'\0')
    while True:
        m = recv()
        if m.get('id') == last:
            if 'error' in m:
                raise RuntimeError(f"{method}: {m['error']}")
            return m.get('result', {})
        events.append(m)


def wait_for(method):
    while not any(m.get('method') == method for m in events):
        events.append(recv())


MEASURE = r'''JSON.stringify({
  title: document.title,
  width: document.documentElement.scrollWidth,
  plots: [...document.querySelectorAll('svg.plot')].map(s => {
    const r = s.getBoundingClientRect();
    return {name: s.dataset.plot, w: r.width, h: r.height};
  }),
  marks: [...document.querySelectorAll('.regression')].map(g => {
    const r = g.getBoundingClientRect(), st = getComputedStyle(g);
    return {cls: g.dataset.class, x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height,
            shown: st.visibility === 'visible' && st.display !== 'none' && st.opacity !== '0'};
  })})'''

try:
    target = call('Target.createTarget', url='about:blank')['targetId']
    session = call('Target.attachToTarget', targetId=target, flatten=True)['sessionId']
    for domain in ('Page', 'Runtime', 'Log'):
        call(domain + '.enable', session)
    call('Page.navigate', session, url=url)
    wait_for('Page.loadEventFired')
    time.sleep(0.5)
    seen = json.loads(call('Runtime.evaluate', session, expression=MEASURE,
                           returnByValue=True)['result']['value'])
    seen['console'] = []
    for m in events:
        p = m.get('params', {})
        if m.get('method') == 'Runtime.exceptionThrown':
            seen['console'].append('exception: ' + p['exceptionDetails'].get('text', '?'))
        elif m.get('method') == 'Runtime.consoleAPICalled':
            seen['console'].append(f"console.{p['type']}: " + ' '.join(
                str(a.get('value', a.get('description'))) for a in p['args']))
        elif m.get('method') == 'Log.entryAdded':
            e = p['entry']
            seen['console'].append(f"{e['level']} ({e['source']}): {e['text']}")
    try:
        call('Browser.close')
    except (EOFError, RuntimeError):
        pass
finally:
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
json.dump(seen, open(out, 'w'), indent=1)
EOF_PY

# pngcheck PNG [X Y W H]: the size, the colours, and red (#c62828) in the box.
cat > "$tmp/png.py" <<'EOF_PY'
import struct, sys, zlib


def rows(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat = 8, b''
    while pos < len(data):
        n, typ = struct.unpack('>I4s', data[pos:pos + 8])
        if typ == b'IHDR':
            w, h, depth, ctype, _, _, lace = struct.unpack('>IIBBBBB', data[pos + 8:pos + 21])
        elif typ == b'IDAT':
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6) and not lace, (depth, ctype, lace)
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
    for y in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], prev[x - bpp] if x >= bpp else 0
                if f == 1:
                    q = a
                elif f == 3:
                    q = (a + b) >> 1
                else:
                    q = a + b - c
                    pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
                    q = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + q) & 255
        yield w, h, y, bpp, line
        prev = line


colours, red = set(), 0
box = [float(v) for v in sys.argv[2:6]]
for w, h, y, bpp, line in rows(sys.argv[1]):
    for x in range(0, w * bpp, bpp):
        px = bytes(line[x:x + 3])
        colours.add(px)
        if box and box[1] <= y <= box[1] + box[3] and box[0] <= x // bpp <= box[0] + box[2] \
           and abs(px[0] - 198) < 16 and px[1] < 80 and px[2] < 80:
            red += 1
print(f'{red} red pixels in the box' if box else f'{w}x{h}, {len(colours)} colours')
assert (w, h) == (1400, 3000) and len(colours) > 50
assert not box or red >= 20
EOF_PY

rm -rf "$tmp/profile" && mkdir "$tmp/profile"
timeout 90 python3 "$tmp/cdp.py" "$tmp/seen.json" "file://$page" -- "$chrome" "${flags[@]}" \
	--user-data-dir="$tmp/profile" --window-size=1400,3000 2>"$tmp/cdp.err"
st=$?
[ $st = 0 ] || diag "DevTools driver: status $st" "$(tail -n 3 "$tmp/cdp.err")"
box=$(python3 -c "
import json
m = json.load(open('$tmp/seen.json'))['marks'][0]
print(*(round(m[k]) for k in 'xywh'))" 2>/dev/null)

rm -rf "$tmp/profile" && mkdir "$tmp/profile"
(cd "$tmp" && timeout 90 "$chrome" "${flags[@]}" --user-data-dir="$tmp/profile" \
	--enable-logging=stderr --v=0 --screenshot="$tmp/shot.png" --window-size=1400,3000 \
	"file://$page" >"$tmp/chrome.out" 2>"$tmp/chrome.err")
st=$?
if [ $st = 0 ] && [ "$(stat -c %s "$tmp/shot.png" 2>/dev/null || echo 0)" -gt 50000 ]; then
	python3 "$tmp/png.py" "$tmp/shot.png" >"$tmp/png.out" 2>&1
	ok $? "${browser_tests[0]}: $(head -n 1 "$tmp/png.out"), $(stat -c %s "$tmp/shot.png") bytes"
else
	ok 1 "${browser_tests[0]} (chromium status $st)"
	diag "$(grep -v dbus "$tmp/chrome.err" | tail -n 3)"
fi
if [ -n "$box" ] && [ -s "$tmp/shot.png" ]; then
	# shellcheck disable=SC2086 # four numbers
	python3 "$tmp/png.py" "$tmp/shot.png" $box >"$tmp/png.out" 2>&1
	ok $? "${browser_tests[1]}: $(head -n 1 "$tmp/png.out")"
else
	ok 1 "${browser_tests[1]}: no marker box or screenshot"
fi
grep -E 'CONSOLE|Uncaught' "$tmp/chrome.err" >"$tmp/console.txt"
ok "$([ ! -s "$tmp/console.txt" ] && grep -q 'written to file' "$tmp/chrome.out" "$tmp/chrome.err"; echo $?)" \
	"${browser_tests[2]}"
[ -s "$tmp/console.txt" ] && diag "$(head -n 5 "$tmp/console.txt")"

check "${browser_tests[3]}" -- python3 - "$tmp/seen.json" "$nplots" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d['plots']) == int(sys.argv[2]) and all(p['w'] > 100 and p['h'] > 100 for p in d['plots'])
assert len(d['marks']) == 1 and d['marks'][0]['cls'] == 'sysreg' and d['marks'][0]['shown']
assert d['marks'][0]['w'] > 5 and d['marks'][0]['h'] > 5 and d['width'] <= 1400
EOF_PY
seen_console=$(python3 -c "import json; print('\n'.join(json.load(open('$tmp/seen.json'))['console']))" 2>&1)
ok "$([ -s "$tmp/seen.json" ] && [ -z "$seen_console" ]; echo $?)" "${browser_tests[4]}"
[ -n "$seen_console" ] && diag "$seen_console"

# The detectors themselves: a page with a console error, an exception and
# a load that fails must trip both.
cat > "$tmp/broken.html" <<'EOF_HTML'
<!DOCTYPE html><html><head><title>broken</title></head><body><p>x</p>
<script>console.error("planted error"); undefinedFunction();</script>
<img src="file:///nonexistent/steplab.png" alt=""></body></html>
EOF_HTML
rm -rf "$tmp/profile" && mkdir "$tmp/profile"
timeout 90 python3 "$tmp/cdp.py" "$tmp/broken.json" "file://$tmp/broken.html" -- "$chrome" \
	"${flags[@]}" --user-data-dir="$tmp/profile" >/dev/null 2>&1
rm -rf "$tmp/profile" && mkdir "$tmp/profile"
(cd "$tmp" && timeout 90 "$chrome" "${flags[@]}" --user-data-dir="$tmp/profile" \
	--enable-logging=stderr --v=0 --screenshot="$tmp/broken.png" --window-size=800,600 \
	"file://$tmp/broken.html" >/dev/null 2>"$tmp/broken.err")
check "${browser_tests[5]}" -- python3 - "$tmp/broken.json" "$tmp/broken.err" <<'EOF_PY'
import json, sys
seen = ' | '.join(json.load(open(sys.argv[1]))['console'])
assert 'planted error' in seen and 'exception' in seen and 'ERR_FILE_NOT_FOUND' in seen, seen
err = open(sys.argv[2]).read()
assert 'CONSOLE' in err and 'planted error' in err and 'Uncaught' in err
EOF_PY

if [ -n "$keep" ]; then
	mkdir -p "$keep" && cp "$page" "$tmp/shot.png" "$tmp/seen.json" "$keep/" &&
		diag "kept in $keep: page.html, shot.png, seen.json"
fi
tap_done
