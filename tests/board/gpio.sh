#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# GPIO on the emulated board: the marker line steplab toggles around its
# measured windows, counted from outside through QEMU's PL061 trace events,
# and the power and reset lines of `steplab board power`, driven against a
# gpio-sim bank and read back through gpio-sim's sysfs.
#
# Counting the marks from QEMU's trace (QEMU 7.2: -trace enable=EVENT,file=F
# once per event, each naming the file, since a -trace without file= sends
# every event back to stderr): the PL061 driver writes GPIODATA at offset
# mask << 2, so a write only changes the bits of its address mask that
# GPIODIR makes outputs (requesting the line writes it twice, unchanged).
# The count replays every write into a model of GPIODIR and GPIODATA and
# counts the changes of bit 0 while it is an output; QEMU's own
# pl061_set_output events for output 0 give a second count.  Both must
# equal the report's gpio.marker.toggles, and that must equal what the
# steps imply: per program 2 (before the first step, after the last) plus
# one after every Nth step short of the last (--marker-every N), i.e.
# 2 + floor((steps - 1) / N) for a program that ran all its steps.
#
# The board runs one program per boot, and gpio-sim needs configfs, so the
# gpio-sim part boots tests/board/gpio-sim-probe.c (static, put in as /in/) on
# the minimal kernel (tools/build-kernel.sh 6.1, built once and cached;
# GPIO_KERNEL=IMAGE takes another).  It makes the bank, runs the commands
# and samples the lines every millisecond.  gpio-sim returns a released
# line to its pull, so a command's effect is seen while it holds the line
# (its settle_ms); the pulls are set so that each change is visible.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

is() {	# is NAME GOT WANT
	[ "$2" = "$3" ]; ok $? "$1 ($2)"
	[ "$2" = "$3" ] || diag "want: $3"
}

# --- on this host: the checks that need no line -------------------------------
expect_fail "run --marker without --board" 2 "--marker needs --board" -- \
	"$steplab" run --marker --guest every -o "$tmp/out.json"
expect_fail "run --marker-every without --marker" 2 "--marker-every needs --marker" -- \
	"$steplab" run --marker-every 5 --guest every -o "$tmp/out.json"
expect_fail "run --marker-every 0" 2 "--marker-every must be at least 1" -- \
	"$steplab" run --marker --marker-every 0 --guest every -o "$tmp/out.json"
expect_fail "run --marker-every without its value" 2 "needs a value" -- \
	"$steplab" run --marker --marker-every
expect_fail "run --marker on a board without a marker line" 2 "names no marker line" -- \
	"$steplab" run --marker --board boards/ampere-altra.json -o "$tmp/out.json"
expect_fail "board power: on, off or cycle" 2 "want on, off or cycle \(not 'up'\)" -- \
	"$steplab" board power up --board tests/data/gpio/gpio-sim.json
expect_fail "board power: --board is needed" 2 "--board FILE is needed" -- \
	"$steplab" board power on
expect_fail "board power: --off-ms is for cycle" 2 "--off-ms is for cycle only" -- \
	"$steplab" board power on --off-ms 5 --board tests/data/gpio/gpio-sim.json
expect_fail "board power: a board without a power line" 2 \
	"board no-power \(tests/data/gpio/no-power.json\) has no power line" -- \
	"$steplab" board power on --board tests/data/gpio/no-power.json

# --- the emulated board ------------------------------------------------------
if ! command -v qemu-system-aarch64 >/dev/null || [ ! -x "$O/arm64/steplab" ]; then
	ok 1 "the emulated board: qemu-system-aarch64 (make deps) and $O/arm64/steplab (make ARCH=arm64) are there"
	tap_done
	exit
fi
kernel=${GPIO_KERNEL:-$(tools/build-kernel.sh 6.1 2>"$tmp/kbuild.log")}
if [ ! -f "$kernel" ]; then
	ok 1 "the emulated board: the minimal kernel builds ($(tail -n 1 "$tmp/kbuild.log"))"
	tap_done
	exit
fi
diag "kernel: $kernel"
start=$SECONDS

# --- PL061: marks counted from QEMU's trace ------------------------------------
# pl061_count TRACE: "WRITES OUTPUTS", the changes of line 0 seen by each count
pl061_count() {
	python3 - "$1" <<'EOF_PY'
import re, sys
dirv = data = 0
level = out0 = None
writes = outputs = 0
for line in open(sys.argv[1]):
    m = re.search(r'pl061_(\w+) \S+ (.*)', line)
    if not m:
        continue
    ev, rest = m.groups()
    if ev == 'reset':
        dirv = data = 0
        level = None
    elif ev == 'write':
        off, val = (int(x, 16) for x in re.match(r'offset (0x[0-9a-f]+) value (0x[0-9a-f]+)', rest).groups())
        if off == 0x400:
            dirv = val & 0xff
        elif off < 0x400:
            mask = (off >> 2) & dirv
            data = (data & ~mask) | (val & mask)
        now = data & 1 if dirv & 1 else None
        if now is not None and level is not None and now != level:
            writes += 1
        level = now
    elif ev == 'set_output':
        n, v = (int(x) for x in re.match(r'setting output (\d+) to (\d+)', rest).groups())
        if n == 0:
            outputs += out0 is not None and v != out0
            out0 = v
print(writes, outputs)
EOF_PY
}

# pl061_run DIR ARGS...: steplab run ARGS on the board, QEMU tracing the PL061
pl061_run() {
	local dir=$1; shift
	mkdir -p "$dir"
	tools/qemu-board --kernel "$kernel" --out "$dir" \
		--qemu-arg -trace --qemu-arg "enable=pl061_write,file=$dir/pl061.trace" \
		--qemu-arg -trace --qemu-arg "enable=pl061_set_output,file=$dir/pl061.trace" -- \
		/bin/steplab run --board /boards/qemu-virt.json --reentry plain --quiet "$@" >"$dir/console" 2>&1
}

# marks_expected REPORT: per program 2 + floor(min(steps, planned - 1) / N)
marks_expected() {
	q "$1" "sum(2 + (min(p['steps'], p['planned'] - 1) // d['gpio']['marker']['every'] if d['gpio']['marker']['every'] else 0) for p in d['programs'])"
}

a=$tmp/pl061-every
pl061_run "$a" --guest every --marker --marker-every 5 -o r.json
st=$?
ok $st "run --guest every --marker --marker-every 5 on the PL061: exit 0 (status $st)"
if [ -f "$a/r.json" ]; then
	check "its report validates" -- "$steplab" report validate "$a/r.json"
	is "gpio.marker names the PL061's line 0, every 5" \
		"$(q "$a/r.json" "d['gpio']['marker']['chip'], d['gpio']['marker']['line'], d['gpio']['marker']['every']")" \
		"9030000.pl061 0 5"
	toggles=$(q "$a/r.json" "d['gpio']['marker']['toggles']")
	read -r writes outputs < <(pl061_count "$a/pl061.trace")
	diag "every: $(q "$a/r.json" "d['programs'][0]['steps']") steps; toggles: steplab $toggles, GPIODATA writes changing line 0 $writes, QEMU output 0 changes $outputs"
	is "QEMU's GPIODATA writes changing line 0 equal the report's toggles" "$writes" "$toggles"
	is "QEMU's output 0 changes equal them too" "$outputs" "$toggles"
	is "the toggles are what the steps imply: 2 + floor((steps - 1) / 5)" "$toggles" \
		"$(marks_expected "$a/r.json")"
	ok $([ "$(q "$a/r.json" "d['summary']['nonconforming']")" = 0 ]; echo $?) \
		"every step conforms with marks"
else
	ok 1 "the run wrote its report"; sed 's/^/# /' "$a/console" | tail -n 5
fi

# A mark after every step, against the same mix without marks: each step's
# window must not hold the toggle (an ioctl and a counter read, thousands
# of host instructions, which the run's total per step does show).
mix=(--mix untrapped:40,sysreg:20,mmio:20,hvc:20 --seed 3 --steps 2000 --overhead)
b=$tmp/pl061-all c=$tmp/pl061-none
pl061_run "$b" "${mix[@]}" --marker --marker-every 1 -o r.json
stb=$?
pl061_run "$c" "${mix[@]}" -o r.json
stc=$?
ok $([ $stb = 0 ] && [ $stc = 0 ]; echo $?) "a 2000-step mix with a mark after every step, and without: exit 0 ($stb, $stc)"
if [ -f "$b/r.json" ] && [ -f "$c/r.json" ]; then
	toggles=$(q "$b/r.json" "d['gpio']['marker']['toggles']")
	read -r writes outputs < <(pl061_count "$b/pl061.trace")
	diag "mix: toggles: steplab $toggles, GPIODATA writes changing line 0 $writes, QEMU output 0 changes $outputs"
	is "2000 steps, every 1: QEMU counts the report's toggles" "$writes $outputs" "$toggles $toggles"
	is "and they are 2 + 1999" "$toggles" "$(marks_expected "$b/r.json")"
	ok $([ "$(q "$b/r.json" "d['summary']['nonconforming']")" = 0 ]; echo $?) \
		"every step conforms"
	python3 - "$b/r.json" "$c/r.json" > "$tmp/windows" <<'EOF_PY'
import json, sys
b, c = (json.load(open(f)) for f in sys.argv[1:])
mode = lambda d: {k['class']: k['metrics']['host_instructions']['mode'] for k in d['classes']}
per = lambda d: d['programs'][0]['overhead']['steplab_host_instructions_per_step']
mb, mc = mode(b), mode(c)
print(max(abs(mb[k] - mc[k]) for k in mc), round(per(b) - per(c)),
      ' '.join('%s:%+d' % (k, mb[k] - mc[k]) for k in sorted(mc)))
EOF_PY
	read -r delta cost detail < "$tmp/windows"
	diag "per-class host-instruction modes, marks minus none: $detail; the run's total per step: +$cost"
	ok $([ "$cost" -ge 1000 ] && [ "$delta" -le 16 ]; echo $?) \
		"the marks cost the run $cost host instructions a step, the step windows at most 16 ($delta)"
else
	ok 1 "both runs wrote their reports"
fi
diag "PL061 part took $((SECONDS - start)) s"

# --- gpio-sim: power, reset, busy lines, read back through sysfs ---------------
aarch64-linux-gnu-gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror -o "$tmp/gpio-sim-probe" \
	tests/board/gpio-sim-probe.c
ok $? "the probe builds"
s=$tmp/sim
mkdir -p "$s"
sim=/in/gpio-sim.json
# power alone, by offset 1 (the line named power), active low; on a line
# the chip lacks; on an offset past its lines
python3 - "$tmp" <<'EOF_PY'
import json, sys
d = json.load(open('tests/data/gpio/gpio-sim.json'))
for name, line in (('by-offset', {'line': 1, 'active_low': True, 'settle_ms': 200}),
                   ('no-line', {'line': 'nope'}), ('bad-offset', {'line': 9})):
    d['name'] = name
    d['gpio'] = [dict({'role': 'power', 'chip': 'steplab-sim'}, **line)]
    json.dump(d, open('%s/%s.json' % (sys.argv[1], name), 'w'))
EOF_PY
tools/qemu-board --kernel "$kernel" --out "$s" --input "$tmp/gpio-sim-probe" \
	--input tests/data/gpio/gpio-sim.json --input tests/data/gpio/gpio-sim-busy.json \
	--input tests/data/gpio/no-power.json --input "$tmp/by-offset.json" \
	--input "$tmp/no-line.json" --input "$tmp/bad-offset.json" -- \
	/in/gpio-sim-probe steplab-sim marker power reset held:hog \
	\; pull power down \; run /bin/steplab board power on --board $sim \
	\; pull power up \; run /bin/steplab board power off --board $sim \
	\; run /bin/steplab board power cycle --board $sim --off-ms 300 \
	\; run /bin/steplab board power on --board /in/gpio-sim-busy.json \
	\; run /bin/steplab board power on --board /in/no-power.json \
	\; run /bin/steplab board power on --board /boards/rpi5.json \
	\; run /bin/steplab board power cycle --board /boards/qemu-virt.json --off-ms 100 \
	\; run /bin/steplab run --board /in/gpio-sim-busy.json --guest untrapped --marker -o busy.json \
	\; run /bin/steplab run --board $sim --guest untrapped --marker --quiet -o sim.json \
	\; pull power up \; run /bin/steplab board power on --board /in/by-offset.json \
	\; run /bin/steplab board power on --board /in/no-line.json \
	\; run /bin/steplab board power on --board /in/bad-offset.json \
	> "$s/console" 2>&1
st=$?
ok $st "the gpio-sim boot ran (status $st)"
if ! grep -q '^sim steplab-sim ' "$s/probe.txt" 2>/dev/null; then
	ok 1 "a gpio-sim bank labelled steplab-sim was made"
	tail -n 5 "$s/console" | sed 's/^/# /'
	tap_done
	exit
fi
ok 0 "a gpio-sim bank labelled steplab-sim was made ($(grep '^sim ' "$s/probe.txt" | cut -d' ' -f3-))"

# sim EXPR: a Python expression over the probe's runs, printed.  hist(N, L):
# line L's values during run N, first, each change, and once it ended;
# at(N, L, V, k): when (ms) L took V the k-th time, its first value counting
# as the first; exit(N); out(N), err(N): its status, stdout and stderr.
sim() {
	python3 - "$s" "$1" <<'EOF_PY'
import re, sys
d, expr = sys.argv[1:]
runs = {}
for line in open(d + '/probe.txt'):
    f = line.split()
    if f[0] != 'run':
        continue
    r = runs.setdefault(int(f[1]), {'at': [], 'exit': None})
    if f[2] == 'exit':
        r['exit'] = int(f[3])
    else:
        t = int(f[3]) if f[2] == 'at' else None
        vals = dict(kv.split('=') for kv in f[3 + (t is not None):])
        r['at'].append((t, vals))
def hist(n, l):
    h = [v[l] for t, v in runs[n]['at']]
    return ' '.join(x for i, x in enumerate(h) if i == 0 or h[i - 1] != x)
def at(n, l, v, k=1):
    seen, last = 0, None
    for t, vals in runs[n]['at']:
        if vals[l] != last and vals[l] == v:
            seen += 1
            if seen == k:
                return t
        last = vals[l]
def exit(n): return runs[n]['exit']
def out(n): return open('%s/run%d.out' % (d, n)).read()
def err(n): return open('%s/run%d.err' % (d, n)).read()
print(eval(expr))
EOF_PY
}
lines_of() { sim "len(out($1).splitlines()), len(err($1).splitlines())"; }

is "power on: exit 0, one line" "$(sim "exit(1)") $(lines_of 1)" "0 (1, 0)"
ok "$(sim "int(not out(1).startswith('power on: steplab-sim power (/dev/gpiochip'))")" \
	"power on: the line names the action, chip and line"
is "power on: the line went high while held, back to its pull (down) once released" \
	"$(sim "hist(1, 'power')")" "0 1 0"
is "power off (pull up): exit 0, one line" "$(sim "exit(2)") $(lines_of 2)" "0 (1, 0)"
is "power off: the line went low while held" "$(sim "hist(2, 'power')")" "1 0 1"
is "power cycle: exit 0, three lines" "$(sim "exit(3)") $(lines_of 3)" "0 (3, 0)"
is "power cycle: power off, power on, reset pulse, in that order" \
	"$(sim "' '.join(l.split(':')[0].replace(' ', '-') for l in out(3).splitlines())")" \
	"power-off power-on reset-pulse"
is "power cycle: power went off, then on" "$(sim "hist(3, 'power')")" "1 0 1"
is "power cycle: reset (active low) high while not asserted, low for the pulse" \
	"$(sim "hist(3, 'reset')")" "0 1 0 1 0"
# Sampled from another process on the one emulated CPU: a change is seen up
# to a scheduling slice late, so the measured off time may fall short of the
# real one by that much (20 ms allowed).
offms=$(sim "round(at(3, 'power', '1', 2) - at(3, 'power', '0'))")
is "power cycle: off for at least --off-ms 300 (measured ${offms} ms, 20 ms sampling slack)" \
	"$(sim "at(3, 'power', '1', 2) - at(3, 'power', '0') >= 280")" True
is "power cycle: reset asserted only after power on and its settle_ms (200)" \
	"$(sim "at(3, 'reset', '0', 2) - at(3, 'power', '1', 2) >= 200")" True
is "power cycle: reset held asserted for its settle_ms (200)" \
	"$(sim "at(3, 'reset', '1', 2) - at(3, 'reset', '0', 2) >= 200")" True
is "busy line: exit 2, one line on stderr, nothing on stdout" "$(sim "exit(4)") $(lines_of 4)" "2 (0, 1)"
ok "$(sim "int(not re.search(r\"power line: chip 'steplab-sim' \(/dev/gpiochip\d+\) line 'held' \(offset 3\): busy, held by 'steplab-hog'\", err(4)))")" \
	"busy line: it names chip, line and holder ($(sim "err(4).strip()"))"
is "busy line: no line changed" "$(sim "hist(4, 'power'), hist(4, 'held')")" "('1', '1')"
is "no power line: exit 2, one line" "$(sim "exit(5)") $(lines_of 5)" "2 (0, 1)"
is "a chip the board does not have: exit 2, one line" "$(sim "exit(6)") $(lines_of 6)" "2 (0, 1)"
ok "$(sim "int(not re.search(r\"no GPIO chip labelled 'ftdi-cbus' for line 0 \(gpiochip0: 9030000.pl061, gpiochip1: steplab-sim\)\", err(6)))")" \
	"it names the chip and line, and the chips there are ($(sim "err(6).strip()"))"
is "boards/qemu-virt.json's power and reset on the sim bank: cycle, exit 0, three lines" \
	"$(sim "exit(7)") $(lines_of 7)" "0 (3, 0)"
is "run --marker on a busy marker line: exit 2, one line" "$(sim "exit(8)") $(lines_of 8)" "2 (0, 1)"
ok "$(sim "int(not re.search(r\"--marker: chip 'steplab-sim' .* line 'held' .*busy, held by 'steplab-hog'\", err(8)))")" \
	"it names the line and its holder, and no report is written"
ok $([ ! -e "$s/busy.json" ]; echo $?) "no report from the refused run"
is "run --marker on the gpio-sim marker: exit 0" "$(sim "exit(9)")" 0
if [ -f "$s/sim.json" ]; then
	is "its report counts 2 toggles (no --marker-every): the start and the end" \
		"$(q "$s/sim.json" "d['gpio']['marker']['chip'], d['gpio']['marker']['line'], d['gpio']['marker']['toggles']")" \
		"steplab-sim marker 2"
else
	ok 1 "the gpio-sim marker run wrote its report"
fi
is "power by offset, active low: exit 0, one line" "$(sim "exit(10)") $(lines_of 10)" "0 (1, 0)"
is "it names the line by offset and says active low" "$(sim "out(10).strip()")" \
	"power on: steplab-sim line 1 (/dev/gpiochip1, active low), settling 200 ms"
is "power on, active low: the line went low while held" "$(sim "hist(10, 'power')")" "1 0 1"
is "a line name the chip lacks: exit 2, one line" "$(sim "exit(11)") $(lines_of 11)" "2 (0, 1)"
ok "$(sim "int(not re.search(r\"chip 'steplab-sim' \(/dev/gpiochip\d+\) has no line named 'nope'\", err(11)))")" \
	"it names chip and line ($(sim "err(11).strip()"))"
is "an offset past the chip's lines: exit 2, one line" "$(sim "exit(12)") $(lines_of 12)" "2 (0, 1)"
ok "$(sim "int(not re.search(r\"chip 'steplab-sim' \(/dev/gpiochip\d+\) has 4 lines: no line 9\", err(12)))")" \
	"it names chip, line and how many lines it has ($(sim "err(12).strip()"))"
diag "gpio.sh took $((SECONDS - start)) s on the board"
tap_done
