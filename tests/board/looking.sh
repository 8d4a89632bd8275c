#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of looking, on the emulated board (Debian 6.1, the suite's mix):
#  - the hardware counters are read from user space where the kernel
#    allows it (the board sets kernel.perf_user_access=1), with read(2)
#    where it does not (the sysctl 0 on the command line, or
#    --counter-reads syscall), and the report's context says which and why;
#    the verdicts, guest instructions and entries are the same either way;
#  - kvm:kvm_entry/kvm_exit are on for the steps of the schedule alone
#    (every 512th step, the first of each class, every step off the plain
#    path), every other step is judged by its class's entries and proven;
#    --observe-every 1 observes every step, and its host figures are then a
#    counting of their own (identity);
#  - --overhead reports the bare stepper, the bare stepper with steplab's
#    reads, steplab on the plain path and on all paths; every program
#    reports its steps per second;
#  - no effect is read from the vCPU's registers: the log rows store them.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

emulated_only "the emulated board's kernel command line: this host runs its own kernel"
suite_mix_load

args=(--board /boards/qemu-virt.json --mix "$SUITE_MIX" --seed "$SUITE_SEED" --steps 5000
      --known /known-divergences.json --quiet)
tools/qemu-board --out "$tmp/on" -- \
	/bin/steplab run "${args[@]}" --overhead --trace a.csv --output a.json +++ \
	/bin/steplab run "${args[@]}" --counter-reads syscall --output s.json +++ \
	/bin/steplab run "${args[@]}" --observe-every 1 --output e.json > "$tmp/on.log" 2>&1 &
on=$!
# the off board also stops a run right after a register row, before its log
# row (poison, log, mrs, log: 3 steps)
tools/qemu-board --append sysctl.kernel.perf_user_access=0 --out "$tmp/off" -- \
	/bin/steplab run "${args[@]}" --output off.json +++ \
	/bin/steplab run --board /boards/qemu-virt.json --mix sysreg:1 --steps 3 --reentry plain \
		--quiet --output cut.json > "$tmp/off.log" 2>&1
wait $on
a=$tmp/on/a.json s=$tmp/on/s.json e=$tmp/on/e.json off=$tmp/off/off.json
for f in "$a" "$s" "$e" "$off"; do
	[ -f "$f" ] || { ok 1 "$(basename "$f") written"; tap_done; exit; }
done

# every run: proven, its only non-conforming steps the known divergence
for f in "$a" "$s" "$e" "$off"; do
	ok $([ "$(q "$f" "'%s/%d' % (d['summary']['verdict'], d['summary']['unproven'])")" = "known divergences/0" ]; echo $?) \
		"$(basename "$f"): known divergences alone, no step unproven ($(q "$f" "d['summary']['verdict'], d['summary']['unproven_why']"))"
done

# the last step's register proven by its log row, run after the steps
ok $([ "$(q "$tmp/off/cut.json" "'%s/%d/%d' % (d['summary']['verdict'], d['summary']['steps'], d['summary']['unproven'])")" = "conforming/3/0" ]; echo $?) \
	"a run stopped between a register row and its log row: the register still proven ($(q "$tmp/off/cut.json" "d['summary']['verdict'], d['summary']['steps'], d['summary']['unproven_why']"))"

# how the counters were read, and why
reads="'%s %s %s %s' % tuple(d['context']['counter_reads'].get(k) for k in ('hardware', 'fallbacks', 'tracepoints_every', 'reason'))"
ok $([ "$(q "$a" "$reads")" = "user 0 512 None" ]; echo $?) \
	"user reads on the board that allows them, none fell back ($(q "$a" "d['context']['counter_reads']"))"
ok $([ "$(q "$s" "$reads")" = "read(2) 0 512 asked for (--counter-reads syscall)" ]; echo $?) \
	"--counter-reads syscall: read(2), and why"
ok $([ "$(q "$off" "$reads")" = "read(2) 0 512 kernel.perf_user_access is 0" ]; echo $?) \
	"the sysctl 0: read(2), and why ($(q "$off" "d['context']['counter_reads'].get('reason')"))"

# the same evidence whichever way the counters were read
ev="' '.join('%s=%s/%s' % (c['class'], c['metrics']['guest_instructions']['mode'], c['metrics']['entries']['mode']) for c in d['classes'])"
for f in "$s" "$off" "$e"; do
	ok $([ "$(q "$f" "$ev")" = "$(q "$a" "$ev")" ]; echo $?) \
		"$(basename "$f"): guest instructions and entries per class as with user reads ($(q "$f" "$ev"))"
done
ok $(q "$a" "int(not all(c['metrics']['entries']['mode'] == (2 if c['emulated'] else 1) for c in d['classes']))") \
	"the flag design's entries: 2 per emulated step, 1 per untrapped"

# the schedule: from the trace, whose entries column is empty off it
python3 - "$tmp/on/a.csv" > "$tmp/sched" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
obs = [r for r in rows if r['entries'] != '']
offpath = [r for r in rows if r['reentry'] != 'plain']
print(len(rows), len(obs))
print(int(all(r['entries'] != '' for r in offpath)), len(offpath))
print(int(all(r['entries'] != '' for r in rows if int(r['index']) % 512 == 0)))
# the first 4 of each class, whatever their path (a first fetch does not count
# towards the 4, so a few more may follow)
first, extra = {}, {}
for r in rows:
    first.setdefault(r['class'], []).append(r)
for r in obs:
    if r['reentry'] == 'plain' and int(r['index']) % 512:
        extra[r['class']] = extra.get(r['class'], 0) + 1
print(int(all(x['entries'] != '' for l in first.values() for x in l[:4]) and
          all(n <= 12 for n in extra.values())), ' '.join('%s=%d' % kv for kv in sorted(extra.items())))
print(int(all(r['host_instructions'] != '' and r['guest_instructions'] != '' for r in rows)))
EOF
{ read -r steps observed; read -r paths npath; read -r every; read -r first firsts; read -r all_counted; } < "$tmp/sched"
ok $([ "$steps" = 5000 ] && [ "$observed" -gt 50 ] && [ "$observed" -lt 1500 ]; echo $?) \
	"the tracepoints were on for $observed of $steps steps"
ok $((1 - paths)) "every one of the $npath steps off the plain path was observed"
ok $((1 - every)) "every 512th step was observed"
ok $((1 - first)) "the first 4 steps of each class were observed, and few more plain ones off the 512th ($firsts)"
ok $((1 - all_counted)) "every step has its host and guest instructions"
ok $(q "$a" "int(not all(0 < c['metrics']['entries']['n'] < c['metrics']['guest_instructions']['n'] for c in d['classes']))") \
	"per class, entries come from some plain steps, guest instructions from all"
ok $(q "$e" "int(not all(c['metrics']['entries']['n'] == c['metrics']['host_instructions']['n'] > 0 for c in d['classes']))") \
	"--observe-every 1: every plain step has its entries, and its host figures count"
ok $([ "$(q "$e" "d['context']['counter_reads']['tracepoints_every']")" = 1 ] &&
     "$steplab" compare "$a" "$e" > "$tmp/cmp" 2>&1 && grep -q '^comparing *counting$' "$tmp/cmp"; echo $?) \
	"--observe-every 1 is a counting of its own: compare names it as the one difference"

# --overhead and steps per second
ok $(q "$a" "int(not (lambda o: o['bare_host_instructions_per_step'] < o['bare_with_counter_reads_host_instructions_per_step'] < o['steplab_host_instructions_per_step'] < o['all_paths_host_instructions_per_step'] and abs(o['ratio'] - o['steplab_host_instructions_per_step'] / o['bare_host_instructions_per_step']) < 1e-9)(d['programs'][0]['overhead']))") \
	"--overhead: bare < bare with reads < steplab on the plain path < all paths, ratio against bare ($(q "$a" "round(d['programs'][0]['overhead']['ratio'], 3)"))"
# Effects come from the log rows' stores, not from the vCPU's registers:
# a step of a class whose rows write a register costs what a branch does
# (a register read through ONE_REG was about 1,200 more).
effect=$(python3 - "$a" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = {x['class']: x for x in d['classes']}
mode = lambda n: c[n]['metrics']['host_instructions']['mode']
print(int(not abs(mode('untrapped') - mode('branch')) < 150), mode('untrapped') - mode('branch'))
EOF_PY
)
ok "${effect%% *}" "no register read for an effect: untrapped's host-instruction mode is branch's $(echo "$effect" | cut -d' ' -f2)"
"$steplab" report summary "$a" > "$tmp/summary" 2>&1
ok $(grep -q "overhead $(q "$a" "'%.3f' % d['programs'][0]['overhead']['ratio']")x" "$tmp/summary"; echo $?) \
	"report summary shows the overhead"
for f in "$a" "$s" "$e" "$off"; do
	ok $(q "$f" "int(not all(p['steps_per_second'] > 0 for p in d['programs']))") \
		"$(basename "$f"): steps per second ($(q "$f" "round(d['programs'][0]['steps_per_second'])"))"
done
tap_done
