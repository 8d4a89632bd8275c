#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The LAVA jobs of tools/lava/ under LAVA's own dispatcher (Debian's
# lava-dispatcher, `make deps`): the emulated board's job runs with
# lava-run, once on Debian's 7.3 kernel and once on the mutant kernel
# 6.1-mutant-skip-no-ss (kernel/mutants/), and the results LAVA recorded in
# its log are held against `steplab export --format lava` of the report
# the job itself carried back (base64 in the log): the job completed, one
# LAVA result per exported check, each pass/fail as exported, every
# measurement with its value and unit; the mutant's broken classes show up
# as failures.  The physical boards' jobs pass LAVA's job schema and
# lava-run --validate against their example device dictionaries.
#
#   LAVA_STEPS=20000   steps of the emulated board's mix
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

board_steplab=$O/arm64/steplab
steps=${LAVA_STEPS:-20000}
# lava_common, jinja2 and yaml are Debian's: not whatever python3 PATH finds
py=/usr/bin/python3

if [ "$(id -u)" != 0 ]; then
	skip "lava-run runs only as root (so does make deps)"
	tap_done
	exit
fi
command -v lava-run >/dev/null
ok $? "lava-run is installed (lava-dispatcher $(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null))"
[ -x "$steplab" ] && [ -x "$board_steplab" ]
ok $? "steplab built for the host and arm64 ($steplab, $board_steplab)"
if [ $tap_fail != 0 ]; then
	tap_done
	exit
fi

types=$(tools/lava/device-types.sh 2>"$tmp/err")
ok $? "lava-server's device-type templates (qemu.jinja2, ssh.jinja2) of the dispatcher's version"
[ -n "$types" ] || { sed 's/^/# /' "$tmp/err"; tap_done; exit; }
export DEVICE_TYPES=$types

# --- the templates --------------------------------------------------------
# Every @FIELD@ a job or dictionary uses is named in its header comment.
for f in tools/lava/jobs/*.yaml tools/lava/devices/*.jinja2; do
	used=$(grep -v '^ *#' "$f" | grep -v '^{#' | grep -o '@[A-Z][A-Z0-9_]*@' | sort -u)
	missing=
	for m in $used; do grep -q "^[#{ ].*$m" "$f" || missing="$missing $m"; done
	[ -z "$missing" ]
	ok $? "$(basename "$f"): every field a lab fills in is marked and explained${missing:+ (not:$missing)}"
done

# The physical boards: job schema, then lava-run --validate with the
# example dictionary (placeholders: a connection command and power commands
# that exist here, a key file; nothing is contacted).
: > "$tmp/key" && : > "$tmp/key.pub"
declare -A dtype=([rpi5]=bcm2712-rpi-5-b [rock5b]=rk3588-rock-5b [ampere-altra]=ssh [graviton3]=ssh)
for b in rpi5 rock5b ampere-altra graviton3; do
	job=tools/lava/jobs/$b.yaml
	jf=(PROMPT='root@board:~#' STEPLAB_GIT_URL=https://git.lab.invalid/steplab.git
	    STEPLAB_BRANCH=main ARTIFACT_URL=https://artifacts.lab.invalid/steplab)
	if [ "${dtype[$b]}" = ssh ]; then
		df=("SSH_HOST=$b.lab.invalid" "SSH_KEY=$tmp/key")
	else
		jf+=(ROOT_PASSWORD=secret)
		df=(CONNECT=cat POWER_ON=true POWER_OFF=true HARD_RESET=true)
	fi
	tools/lava/render.py job "$job" "$tmp/$b.yaml" "${jf[@]}" 2>"$tmp/err"
	ok $? "$b: the job passes LAVA's job schema once its fields are filled"
	[ -s "$tmp/$b.yaml" ] || { sed 's/^/# /' "$tmp/err"; continue; }
	$py - "$tmp/$b.yaml" "$b" "${dtype[$b]}" <<'EOF_PY'
import os, sys, yaml
job, board, dtype = yaml.safe_load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert job['device_type'] == dtype, job['device_type']
(d,) = [a['test']['definitions'] for a in job['actions'] if 'test' in a][0]
assert d['path'] == 'tools/lava/steplab-nightly.yaml' and os.path.exists(d['path'])
assert d['parameters']['BOARD'] == 'boards/%s.json' % board
assert os.path.exists(d['parameters']['BOARD'])
EOF_PY
	ok $? "$b: device type ${dtype[$b]}, tools/lava/steplab-nightly.yaml with boards/$b.json"
	tools/lava/render.py device "tools/lava/devices/$b-01.jinja2" "$tmp/$b.yaml" \
		"$tmp/$b-device.yaml" "${df[@]}" 2>"$tmp/err" &&
		lava-run --validate --job-id "$$" --output-dir "$tmp/$b-out" \
			--device "$tmp/$b-device.yaml" "$tmp/$b.yaml" > "$tmp/$b.log" 2>&1
	ok $? "$b: lava-run --validate accepts it on its example device dictionary"
	grep -h '"error_msg"' "$tmp/$b.log" "$tmp/err" 2>/dev/null | cut -c1-300 | sed 's/^/# /'
done

# --- the emulated board under lava-run --------------------------------------
# run_job NAME KERNEL: the emulated board's job on KERNEL, into $tmp/NAME.
run_job() {
	local name=$1 k=$2 r=$ramdisk start st
	[ -s "$r" ] || { diag "no ramdisk for the job"; return 1; }
	start=$(date +%s)
	tools/lava/run-local.sh tools/lava/jobs/qemu-virt.yaml \
		tools/lava/devices/steplab-qemu-01.jinja2 "$tmp/$name" \
		KERNEL_URL="file://$k" KERNEL_SHA256="$(sha256sum < "$k" | cut -c1-64)" \
		RAMDISK_URL="file://$r" RAMDISK_SHA256="$(sha256sum < "$r" | cut -c1-64)" \
		STEPS="$steps" 2>"$tmp/$name.err"
	st=$?
	echo $(( $(date +%s) - start )) > "$tmp/$name.secs"
	[ $st = 0 ] || tail -n 5 "$tmp/$name.err" | sed 's/^/# lava-run: /'
	return $st
}

# results NAME: from lava-run's log, the report the job printed (size and
# sha256 checked) into $tmp/NAME/report.json, and LAVA's results of the
# steplab test definition, "case result measurement units" a line, into
# $tmp/NAME/lava.txt; also the job's own result and the QEMU command line.
results() {
	$py - "$tmp/$1" <<'EOF_PY'
import base64, gzip, hashlib, re, sys, yaml
d = sys.argv[1]
b64 = re.compile(r'^[A-Za-z0-9+/=]+$')
load = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
res, blob, want, inblk, job, boot = [], [], None, False, None, ''
for line in open(d + '/job.log'):
    if not line.startswith('{'):
        continue
    try:
        e = yaml.load(line, Loader=load)
    except yaml.YAMLError:
        continue
    lvl, msg = e.get('lvl'), e.get('msg')
    if lvl == 'results':
        if msg.get('definition') == 'lava' and msg.get('case') == 'job':
            job = msg['result']
        elif msg.get('definition') != 'lava':
            res.append(msg)
    elif lvl == 'info' and str(msg).startswith('Boot command: '):
        boot = msg
    elif lvl == 'target' and isinstance(msg, str):
        if msg.startswith('@@steplab-report '):
            want, inblk, blob = msg.split()[1:3], True, []
        elif msg == '@@steplab-report-end':
            inblk = False
        elif inblk and b64.match(msg.strip()):
            # the test shell's "set -x" lines start "+ ": not base64
            blob.append(msg.strip())
open(d + '/job-result', 'w').write('%s\n' % job)
open(d + '/boot-command', 'w').write(boot + '\n')
with open(d + '/lava.txt', 'w') as f:
    for r in res:
        f.write('%s %s %s %s\n' % (r['case'], r['result'], r.get('measurement', '-'), r.get('units', '-')))
if want:
    gz = base64.b64decode(''.join(blob))
    if len(gz) == int(want[0]) and hashlib.sha256(gz).hexdigest() == want[1]:
        open(d + '/report.json', 'wb').write(gzip.decompress(gz))
EOF_PY
}

# against NAME: LAVA's results held against the export of the same report.
against() {
	"$steplab" export --format lava "$tmp/$1/report.json" -o "$tmp/$1/export.sh" || return 1
	$py - "$tmp/$1/export.sh" "$tmp/$1/lava.txt" <<'EOF_PY'
import shlex, sys
want = {}
for line in open(sys.argv[1]):
    a = shlex.split(line)
    o = dict(zip(a[2::2], a[3::2]))
    want[a[1]] = (o['--result'], o.get('--measurement'), o.get('--units'))
got = {}
bad = 0
for line in open(sys.argv[2]):
    case, result, meas, units = line.split()
    if case in got:
        print('# %s: recorded twice' % case); bad = 1
    got[case] = (result, None if meas == '-' else meas, None if units == '-' else units)
extra = set(got) - set(want) - {'steplab.run'}
for c in sorted(set(want) - set(got)):
    print('# %s: exported, not in LAVA\'s results' % c); bad = 1
for c in sorted(extra):
    print('# %s: in LAVA\'s results, not exported' % c); bad = 1
for c in sorted(set(want) & set(got)):
    (wr, wm, wu), (gr, gm, gu) = want[c], got[c]
    if wr != gr:
        print('# %s: exported %s, LAVA has %s' % (c, wr, gr)); bad = 1
    if (wm is None) != (gm is None) or (wm is not None and
            abs(float(wm) - float(gm)) > 1e-9 * max(1.0, abs(float(wm)))):
        print('# %s: measurement exported %s, LAVA has %s' % (c, wm, gm)); bad = 1
    if wu != gu:
        print('# %s: units exported %s, LAVA has %s' % (c, wu, gu)); bad = 1
print('# %d exported, %d LAVA results' % (len(want), len(got)))
sys.exit(bad)
EOF_PY
}

# check_run NAME LABEL: what every run of the emulated board's job shows.
check_run() {
	local n=$1 label=$2
	[ "$(cat "$tmp/$n/job-result" 2>/dev/null)" = pass ]
	ok $? "$label: LAVA's job result is pass (lava-run $(cat "$tmp/$n.secs") s)"
	grep -q -- '-machine virt,virtualization=on,gic-version=3' "$tmp/$n/boot-command" &&
		grep -q -- '-cpu max' "$tmp/$n/boot-command" &&
		grep -q -- '-icount shift=0' "$tmp/$n/boot-command" &&
		grep -q -- '-nic none' "$tmp/$n/boot-command" &&
		! grep -q -- '-net nic' "$tmp/$n/boot-command"
	ok $? "$label: LAVA started QEMU with the board's options (virtualization=on, -cpu max, -icount shift=0, -nic none, no NIC)"
	[ -s "$tmp/$n/report.json" ] && "$steplab" report validate "$tmp/$n/report.json" >/dev/null 2>&1
	ok $? "$label: the report came back through LAVA's log intact (size, sha256) and validates"
	against "$n" > "$tmp/$n/against" 2>&1
	ok $? "$label: one LAVA result per exported check, pass/fail as exported, measurements with their values and units"
	sed 's/^/  /' "$tmp/$n/against" | head -20 | sed 's/^  //'
}

start=$(date +%s)
# One ramdisk (steplab, busybox, the board files) serves both jobs.
ramdisk=$(tools/lava/ramdisk.sh --steplab "$board_steplab" 2>"$tmp/ramdisk.err")
ok $? "the job's ramdisk: busybox-static and steplab for arm64 ($(du -k "$ramdisk" 2>/dev/null | cut -f1) KiB)"
sed 's/^/# ramdisk: /' "$tmp/ramdisk.err"
kernel=$(tools/fetch-kernel.sh debian-7 2>"$tmp/err")
ok $? "Debian's 7.3 arm64 kernel (clean on every re-entry path)"
run_job conforming "$kernel"
ok $? "lava-run completed the emulated board's job on Debian 7.3 (exit 0)"
[ -s "$tmp/conforming.err" ] && sed 's/^/# /' "$tmp/conforming.err"
results conforming
check_run conforming "Debian 7.3"
# The comparison itself: a copy of LAVA's results with one result flipped,
# one measurement and one unit changed and one result lost must fail it.
mkdir -p "$tmp/tampered"
cp "$tmp/conforming/report.json" "$tmp/tampered/" 2>/dev/null
awk 'NR == 1 {$2 = ($2 == "pass") ? "fail" : "pass"}
     $3 != "-" && !m {$3 = $3 + 1; m = 1; print; next}
     $4 != "-" && m == 1 && !u {$4 = $4 "x"; u = 1}
     NR > 2 && !dropped && $1 != "steplab.run" {dropped = 1; next}
     {print}' "$tmp/conforming/lava.txt" > "$tmp/tampered/lava.txt"
! against tampered > "$tmp/tampered/against" 2>&1 &&
	[ "$(grep -c 'exported .*, LAVA has\|not in LAVA' "$tmp/tampered/against")" -ge 4 ]
ok $? "the comparison catches a flipped result, a changed measurement and unit, a lost result"
n_res=$(wc -l < "$tmp/conforming/lava.txt")
n_exp=$(wc -l < "$tmp/conforming/export.sh" 2>/dev/null || echo 0)
[ "$n_res" -gt 1 ] && ! grep -qv ' pass ' "$tmp/conforming/lava.txt"
ok $? "Debian 7.3: all $n_res results pass (steplab.run among them)"
diag "$n_res LAVA results for $n_exp exported checks and steplab.run; one as LAVA logged it:" \
	"$(grep -m1 '"case": "steplab.qemu-virt.untrapped.host_instructions.median"' "$tmp/conforming/job.log")"

mutant=$(tools/build-kernel.sh 6.1-mutant-skip-no-ss 2>"$tmp/err")
ok $? "mutant kernel 6.1-mutant-skip-no-ss"
[ -n "$mutant" ] || sed 's/^/# /' "$tmp/err" | tail -5
if [ -n "$mutant" ]; then
	run_job mutant "$mutant"
	ok $? "lava-run completed the job on the mutant kernel too (exit 0): a non-conforming board is a result, not an error"
	results mutant
	check_run mutant "mutant"
	# The mutant leaves PSTATE.SS set when KVM skips an emulated instruction:
	# sysreg, SMC and MMIO steps run two instructions; HVC is not skipped.
	want_fail="conformance design"
	for c in sysreg smc mmio_read mmio_write; do
		want_fail="$want_fail $c.conformance $c.design"
	done
	bad=
	for w in $want_fail; do
		grep -q "^steplab.qemu-virt.$w fail " "$tmp/mutant/lava.txt" || bad="$bad $w"
	done
	grep -q '^steplab.qemu-virt.hvc.conformance pass ' "$tmp/mutant/lava.txt" || bad="$bad hvc.conformance(pass)"
	grep -q '^steplab.run fail ' "$tmp/mutant/lava.txt" || bad="$bad steplab.run"
	[ -z "$bad" ]
	ok $? "mutant: LAVA records fail for the conformance and design of sysreg, smc, mmio_read, mmio_write and overall, and for steplab.run; hvc passes${bad:+ (not:$bad)}"
	diag "mutant: $(grep -c ' fail ' "$tmp/mutant/lava.txt") of $(wc -l < "$tmp/mutant/lava.txt") LAVA results fail:" \
		"$(grep ' fail ' "$tmp/mutant/lava.txt" | cut -d' ' -f1 | tr '\n' ' ')"
fi
diag "emulated board under lava-run: Debian 7.3 $(cat "$tmp/conforming.secs") s, mutant $(cat "$tmp/mutant.secs" 2>/dev/null || echo -) s, all $(( $(date +%s) - start )) s"

tap_done
