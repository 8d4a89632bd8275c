# SPDX-License-Identifier: GPL-2.0
# The re-entry paths of a suite report, asserted (sourced after tap.sh).
#
# reentry_assert LABEL REPORT buggy|clean|PATH,...
#   both: every plain step conforms; hvc and untrapped steps conform on
#   every path; no non-conforming step is new (the suite ran with --known).
#   buggy (Linux 5.13-6.13: the out: path commits a skip without keeping the
#   step active-pending): every immediate-exit step of mmio_read and
#   mmio_write, every signal step of mmio_read, mmio_write, sysreg and smc
#   and every smccc-user step of smc that a KVM_RUN's EINTR (or the
#   forwarded SMC) took out of the kernel ran past its instruction (95% of
#   them at least: an interrupt can deliver the signal late), most at PC+8
#   with ISV=1 (the others ran on into a branch or an svc, or their second
#   instruction trapped); the signal must have reached 90% of the steps.
#   PATH,... (the early-exit patches: the MMIO completion under
#   immediate_exit, and on 6.12 the forwarded SMC, are still committed at
#   out:): the steps of those paths as for buggy, every other path clean.
#   clean: every step of every path taken conforms.
reentry_assert() {
	local label=$1 report=$2 want=$3 st line
	while IFS=$'\t' read -r st line; do
		ok "$st" "$label: $line"
	done < <(python3 - "$report" "$want" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2]
paths = d.get('reentry', {})
out = []

def say(cond, text):
    out.append('%d\t%s' % (0 if cond else 1, text))

def cls(p, c):
    return paths.get(p, {}).get('classes', {}).get(c, {})

plain = paths.get('plain', {})
say(plain.get('steps', 0) > 0 and plain.get('conforming') == plain.get('steps'),
    'plain re-entry: every step conforms (%s of %s)' % (plain.get('conforming'), plain.get('steps')))
bad = ['%s/%s' % (p, c) for p in paths for c in ('hvc', 'untrapped')
       if cls(p, c) and cls(p, c)['conforming'] != cls(p, c)['steps']]
say(not bad, 'hvc and untrapped steps conform on every path%s' % (': not ' + ' '.join(bad) if bad else ''))
new = d['summary'].get('new_nonconforming', d['summary']['nonconforming'])
say(new == 0, 'no non-conforming step is new (known %s, new %s)'
    % (d['summary'].get('known_nonconforming', 0), new))
if want != 'clean':
    bad_paths = ('immediate-exit', 'signal', 'smccc-user') if want == 'buggy' else want.split(',')
    cases = [(p, c) for p, c in (('immediate-exit', 'mmio_read'), ('immediate-exit', 'mmio_write'),
                                 ('signal', 'mmio_read'), ('signal', 'mmio_write'),
                                 ('signal', 'sysreg'), ('signal', 'smc'), ('smccc-user', 'smc'))
             if p in bad_paths and paths.get(p, {}).get('taken')]
    for p, c in cases:
        s = cls(p, c)
        n, conf, dbl, isv = s.get('steps', 0), s.get('conforming', 0), s.get('double_steps', 0), s.get('isv_set', 0)
        hit = n if p == 'smccc-user' else s.get('interrupted', 0)
        say(n > 0 and hit >= 0.9 * n and n - conf >= 0.95 * hit and n - conf <= hit and
            dbl >= 0.75 * hit and isv >= 0.75 * dbl,
            '%s steps of %s: those taken out of KVM_RUN ran past their instruction '
            '(%d steps, %d out of KVM_RUN, %d non-conforming, %d at PC+8, %d ISV=1)'
            % (p, c, n, hit, n - conf, dbl, isv))
    buggy = set(p for p, _ in cases)
    say(d['design']['verdict'] == 'buggy' and set(d['design'].get('buggy_paths', {})) == buggy,
        'design verdict buggy, on the paths %s (%s)' % (', '.join(sorted(buggy)),
        ', '.join(sorted(d['design'].get('buggy_paths', {})))))
    bad = ['%s %s/%s' % (p, v.get('conforming'), v.get('steps')) for p, v in paths.items()
           if v.get('taken') and p not in buggy and v.get('conforming') != v.get('steps')]
    say(not bad, 'every other path is clean%s' % (': not ' + ' '.join(bad) if bad else ''))
else:
    bad = ['%s %s/%s' % (p, v.get('conforming'), v.get('steps')) for p, v in paths.items()
           if v.get('taken') and v.get('conforming') != v.get('steps')]
    say(not bad and len([p for p in paths.values() if p.get('taken') and p.get('steps')]) >= 3,
        'every path taken is clean (%s)' % (', '.join('%s %s/%s' % (p, v.get('conforming'), v.get('steps'))
                                                   for p, v in paths.items() if v.get('taken'))))
print('\n'.join(out))
EOF
	)
}
