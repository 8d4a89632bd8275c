#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults: a run stopped by SIGTERM, SIGINT or its watchdog still writes a
# valid report, status interrupted, holding every step it took; a full disk
# is one clear error and no partial file; a stress run keeps its memory
# flat and, under an interrupt storm, stays conforming on a kernel whose
# step state survives asynchronous exits.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

on_exit='umount "$tmp/full" 2>/dev/null'

# A full disk: the atomic writer leaves nothing behind.
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/full" && mount -t tmpfs -o size=8k tmpfs "$tmp/full" 2>/dev/null; then
	"$steplab" export --format kcidb results/examples/*.json -o "$tmp/full/kcidb.json" 2>"$tmp/err"
	st=$?
	ok $([ $st != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q 'No space left' "$tmp/err"; echo $?) \
		"a full disk: one line saying so (status $st: $(cat "$tmp/err"))"
	ok $([ -z "$(ls -A "$tmp/full")" ]; echo $?) "and nothing left on it"
	"$steplab" baseline make results/examples/qemu-virt-debian-6.1.json "$tmp/full/b.json" 2>/dev/null
	dd if=/dev/zero of="$tmp/full/filler" bs=1k count=8 2>/dev/null
	"$steplab" baseline make results/examples/qemu-virt-debian-6.1.json "$tmp/full/b2.json" 2>"$tmp/err"
	ok $([ $? != 0 ] && ! [ -e "$tmp/full/b2.json" ] && [ -z "$(ls "$tmp/full" | grep tmp)" ]; echo $?) \
		"a baseline on a full disk: an error, no partial file ($(cat "$tmp/err"))"
	umount "$tmp/full"
else
	skip "a full disk needs root to mount a small tmpfs"
fi

emulated_only "the signal and stress tests drive the emulated board"

# stopped DIR REPORT WHY: the report of a stopped run is whole
stopped() {
	local r=$1/$2 why=$3
	if [ ! -f "$r" ]; then
		ok 1 "$why: a report was written"
		return
	fi
	check "$why: the report validates" -- "$steplab" report validate "$r"
	ok $([ "$(q "$r" "d['status']")" = interrupted ]; echo $?) "$why: status interrupted ($(q "$r" "d.get('stopped')"))"
	ok $(q "$r" "int(not (0 < d['summary']['steps'] == sum(c['steps'] for c in d['classes']) == sum(p['steps'] for p in d['programs'])))") \
		"$why: every step taken is in it ($(q "$r" "d['summary']['steps']") steps, by class and by program)"
}

mkdir -p "$tmp/term" "$tmp/int" "$tmp/wd"
tools/qemu-board --signal-after 3:TERM --out "$tmp/term" -- /bin/steplab run --board /boards/qemu-virt.json \
	--mix untrapped:45,mmio:10,sysreg:10,hvc:10,smc:10 --steps 1000000 --quiet --output r.json >/dev/null 2>&1
ok $([ $? = 1 ]; echo $?) "SIGTERM mid-run: exit 1"
stopped "$tmp/term" r.json SIGTERM
tools/qemu-board --signal-after 3:INT --out "$tmp/int" -- /bin/steplab stress --board /boards/qemu-virt.json \
	--steps 1000000 --quiet --output s.json >/dev/null 2>&1
ok $([ $? = 1 ]; echo $?) "SIGINT mid-stress: exit 1"
stopped "$tmp/int" s.json "SIGINT (stress)"
tools/qemu-board --out "$tmp/wd" -- /bin/steplab run --board /boards/qemu-virt.json \
	--mix untrapped:45,mmio:10,sysreg:10,hvc:10,smc:10 --steps 1000000 --timeout 2 --quiet --output r.json >/dev/null 2>&1
ok $([ $? = 1 ]; echo $?) "the watchdog (--timeout 2): exit 1"
stopped "$tmp/wd" r.json watchdog
ok $(q "$tmp/wd/r.json" "int('watchdog' not in d.get('stopped', ''))") "the report says the watchdog stopped it"

# Stress: 1,000,000 steps with a storm, on the minimal 7.3 build, whose
# step state survives asynchronous exits; resident memory stays flat.
image=$(tools/build-kernel.sh 7.3 2>"$tmp/build.log") || { sed 's/^/# /' "$tmp/build.log" | tail -3; }
steps=${STRESS_STEPS:-1000000}
mkdir -p "$tmp/stress"
start=$(date +%s)
tools/qemu-board --kernel "$image" --timeout 3000 --out "$tmp/stress" -- /bin/steplab stress \
	--board /boards/qemu-virt.json --steps "$steps" --storm 100 --quiet --output s.json >/dev/null 2>&1
st=$?
s=$tmp/stress/s.json
ok $st "stress: $steps steps with a 100 Hz interrupt storm on 7.3, exit 0 (status $st, $(( $(date +%s) - start )) s)"
if [ -f "$s" ]; then
	ok $([ "$(q "$s" "d['summary']['steps']")" = "$steps" ] && [ "$(q "$s" "d['summary']['nonconforming']")" = 0 ]; echo $?) \
		"every step conforms ($(q "$s" "d['summary']['steps']") steps, $(q "$s" "d['summary']['async_exits']") asynchronous exits)"
	ok $(q "$s" "int(d['summary']['async_exits'] == 0)") "the storm cut KVM_RUN short ($(q "$s" "d['summary']['async_exits']") times)"
	ok $(q "$s" "int(not d['stress']['rss']['growth'] <= 0.05)") \
		"resident memory within 5% after warm-up ($(q "$s" "'%d -> %d kB, %+.2f%%' % (d['stress']['rss']['after_warmup_first_kb'], d['stress']['rss']['after_warmup_max_kb'], 100 * d['stress']['rss']['growth'])"))"
else
	ok 1 "the stress report came back"
fi
tap_done
