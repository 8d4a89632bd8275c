// SPDX-License-Identifier: GPL-2.0
/* Step verdicts, syndrome decoding and the design verdict. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "abi.h"
#include "lib/alike.h"
#include "lib/verdict.h"
#include "tap.h"

#define ESR_STEP_ISV	0xcb000022u	/* a stepped instruction */
#define ESR_STEP	0xca000022u	/* step taken with nothing executed */

static struct step_record good(enum insn_class c, uint64_t entries)
{
	struct step_record r = {
		.row = 0, .pc = GUEST_CODE, .pc_after = GUEST_CODE + 4,
		.pc_expected = GUEST_CODE + 4, .effect_ok = true, .mmio_ok = true,
		.have = (1u << M_GUEST_INSNS) | (1u << M_ENTRIES) | (1u << M_RUNS),
	};

	if (class_is_mmio(c)) {
		r.exits[r.nexits++] = SX_MMIO;
		r.m[M_RUNS] = 2;
	} else {
		r.m[M_RUNS] = 1;
	}
	r.exits[r.nexits++] = SX_DEBUG;
	arch_decode_syndrome(class_is_emulated(c) ? ESR_STEP : ESR_STEP_ISV, &r.syn);
	r.m[M_GUEST_INSNS] = 1;
	r.m[M_ENTRIES] = entries;
	return r;
}

static void test_syndrome(void)
{
	struct arch_syndrome s;

	arch_decode_syndrome(ESR_STEP_ISV, &s);
	tap_ok(s.step && s.isv && s.ec == 0x32, "0xcb000022: software step, ISV=1");
	arch_decode_syndrome(ESR_STEP, &s);
	tap_ok(s.step && !s.isv, "0xca000022: software step, ISV=0");
	arch_decode_syndrome(0xf2000000, &s);
	tap_ok(!s.step && s.ec == 0x3c, "EC 0x3c (BRK) is no software step");
	arch_decode_syndrome(0xcb000062, &s);
	tap_ok(s.isv && s.ex, "ISS.EX is read when ISV is set");
}

static unsigned int J(const struct step_record *r, enum insn_class c,
		      const struct class_expect *x)
{
	return step_judge(r, c, x, NULL);
}

/* A board's expectations: exactly 2 guest instructions; one per guest
 * entry; one less than the entries. */
static const struct class_expect two = { .guest_lo = 2, .guest_hi = 2, .board = true, .quirk = "q" };
static const struct class_expect per0 = { .per_entry = true, .board = true, .quirk = "q" };
static const struct class_expect perm1 = { .guest_lo = -1, .guest_hi = -1, .per_entry = true };

/* The PC after a step and the default guest-instruction counts. */
static void test_step_defaults(void)
{
	struct step_record r;
	char ev[512];

	r = good(CLASS_UNTRAPPED, 1);
	tap_ok(J(&r, CLASS_UNTRAPPED, NULL) == 0, "a clean untrapped step conforms");
	r.pc_after = r.pc + 8;
	tap_ok(J(&r, CLASS_UNTRAPPED, NULL) == FAULT_PC, "PC+8 is non-conforming (pc)");
	step_evidence(&r, FAULT_PC, ev, sizeof(ev));
	tap_ok(strstr(ev, "two instructions") && strstr(ev, "expected 0x40001004"),
	       "its evidence says two instructions: %s", ev);
	r = good(CLASS_UNTRAPPED, 1);
	r.m[M_GUEST_INSNS] = 2;
	tap_ok(J(&r, CLASS_UNTRAPPED, NULL) == FAULT_GUEST_INSNS,
	       "two guest instructions in an untrapped step is a fault");
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(J(&r, CLASS_UNTRAPPED, NULL) == FAULT_GUEST_INSNS,
	       "zero guest instructions in an untrapped step is a fault");
	r = good(CLASS_SYSREG, 2);
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(!J(&r, CLASS_SYSREG, NULL), "a trapped mrs retires 0 by default (the architecture)");
	r.m[M_GUEST_INSNS] = 1;
	tap_ok(J(&r, CLASS_SYSREG, NULL) == FAULT_GUEST_INSNS,
	       "... and retiring 1 is a fault: the default is exact");
	r = good(CLASS_HVC, 2);
	tap_ok(!J(&r, CLASS_HVC, NULL), "an hvc retires 1 by default (it is executed)");
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(J(&r, CLASS_HVC, NULL) == FAULT_GUEST_INSNS, "... and 0 is a fault");
}

/* The guest-instruction counts a board file states. */
static void test_step_board(void)
{
	struct step_record r;

	r = good(CLASS_SYSREG, 2);
	r.m[M_GUEST_INSNS] = 2;
	tap_ok(!J(&r, CLASS_SYSREG, &two), "a board's count of 2 conforms with 2");
	r.m[M_GUEST_INSNS] = 1;
	tap_ok(J(&r, CLASS_SYSREG, &two) == FAULT_GUEST_INSNS, "a board's exact count is exact");
	/* per entry: QEMU counts one per guest entry on trapped rows */
	r = good(CLASS_SYSREG, 2);
	r.m[M_GUEST_INSNS] = 2;
	tap_ok(!J(&r, CLASS_SYSREG, &per0), "per entry: 2 entries, 2 instructions conform");
	r.m[M_ENTRIES] = 1;
	tap_ok(J(&r, CLASS_SYSREG, &per0) == FAULT_GUEST_INSNS,
	       "per entry: 1 entry, 2 instructions is a fault (an extra instruction)");
	r.m[M_GUEST_INSNS] = 1;
	tap_ok(!J(&r, CLASS_SYSREG, &per0), "per entry: 1 entry, 1 instruction (early-exit) conforms");
	r.m[M_ENTRIES] = 3;
	r.m[M_GUEST_INSNS] = 2;
	tap_ok(J(&r, CLASS_SYSREG, &per0) == FAULT_GUEST_INSNS,
	       "per entry: a third entry without an interrupt is a missing instruction");
	r.have |= 1u << M_IRQS;
	r.m[M_IRQS] = 1;
	tap_ok(!J(&r, CLASS_SYSREG, &per0), "... but one host interrupt explains one entry");
	r.m[M_GUEST_INSNS] = 1;
	tap_ok(J(&r, CLASS_SYSREG, &per0) == FAULT_GUEST_INSNS, "... and no more than one");
	r = good(CLASS_MMIO_READ, 2);
	tap_ok(!J(&r, CLASS_MMIO_READ, &perm1), "MMIO: one less than the entries conforms");
	r.m[M_GUEST_INSNS] = 2;
	tap_ok(J(&r, CLASS_MMIO_READ, &perm1) == FAULT_GUEST_INSNS, "MMIO: as many as the entries is a fault");
}

static void test_step_unproven(void)
{
	struct step_record r;
	unsigned int u;

	/* evidence that is missing makes a step unproven, not conforming */
	r = good(CLASS_SYSREG, 2);
	r.m[M_GUEST_INSNS] = 2;
	r.have &= ~(1u << M_ENTRIES);
	tap_ok(!step_judge(&r, CLASS_SYSREG, &per0, &u) && u == UNPROVEN_ENTRIES,
	       "per entry without an entry count: unproven (entries)");
	r.have &= ~(1u << M_GUEST_INSNS);
	r.m[M_GUEST_INSNS] = 7;
	tap_ok(!step_judge(&r, CLASS_SYSREG, NULL, &u) && u == UNPROVEN_GUEST_INSNS,
	       "no guest-instruction count: unproven, not a fault");
	r = good(CLASS_UNTRAPPED, 1);
	r.counters_partial = true;
	tap_ok(!step_judge(&r, CLASS_UNTRAPPED, NULL, &u) && u == UNPROVEN_NOT_RUNNING,
	       "counters that did not run the whole window: unproven");
	r = good(CLASS_UNTRAPPED, 1);
	r.effect_later = true;
	tap_ok(!step_judge(&r, CLASS_UNTRAPPED, NULL, &u) && u == UNPROVEN_EFFECT &&
	       !strcmp(unproven_name(3), "effect not logged"),
	       "a register whose log row never ran: unproven (effect not logged)");
	r.effect_ok = false;
	tap_ok(step_judge(&r, CLASS_UNTRAPPED, NULL, &u) == FAULT_EFFECT,
	       "its own RAM word wrong as well: a fault");
	r = good(CLASS_UNTRAPPED, 1);
	tap_ok(!step_judge(&r, CLASS_UNTRAPPED, NULL, &u) && !u, "a counted step is proven");
}

/*
 * A step the tracepoints were off for: judged by its class's entries, as
 * counted on its observed steps, and one more per interrupt, first fetch
 * or signal it took.
 */
static struct step_record unobserved(enum insn_class c, uint64_t class_entries,
				      uint64_t guest)
{
	struct step_record r = good(c, 0);

	r.have = (r.have & ~(1u << M_ENTRIES)) | (1u << M_IRQS);
	r.class_entries = class_entries;
	r.m[M_GUEST_INSNS] = guest;
	return r;
}

static void test_step_unobserved(void)
{
	/* proven by the class's entries: conforming, or a fault */
	static const struct {
		enum insn_class c;
		const struct class_expect *x;
		uint64_t class_entries, irqs;
		bool interrupted;
		uint64_t guest;
		unsigned int faults;
		const char *what;
	} t[] = {
		{ CLASS_SYSREG, &per0, 2, 0, false, 2, 0,
		  "unobserved: its class's 2 entries, 2 instructions conform and are proven" },
		{ CLASS_SYSREG, &per0, 2, 0, false, 3, FAULT_GUEST_INSNS,
		  "unobserved: an instruction more than its class's entries allow is a fault" },
		{ CLASS_SYSREG, &per0, 2, 0, false, 1, FAULT_GUEST_INSNS,
		  "unobserved: one less is a fault too" },
		{ CLASS_SYSREG, &per0, 2, 1, false, 3, 0,
		  "unobserved: a host interrupt allows the one more entry's count" },
		{ CLASS_SYSREG, &per0, 2, 1, false, 4, FAULT_GUEST_INSNS,
		  "... and no more than one" },
		{ CLASS_SYSREG, &per0, 2, 0, true, 3, 0,
		  "unobserved: so does a signal that cut a KVM_RUN short" },
		{ CLASS_MMIO_READ, &perm1, 1, 0, false, 0, 0,
		  "unobserved MMIO on an early-exit class (1 entry): 0 instructions conform" },
		{ CLASS_MMIO_READ, &perm1, 1, 0, false, 1, FAULT_GUEST_INSNS,
		  "... and 1 (the flag design's count) is a fault" },
	};
	struct step_record r;
	unsigned int i, u;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = unobserved(t[i].c, t[i].class_entries, t[i].guest);
		r.m[M_IRQS] = t[i].irqs;
		r.interrupted = t[i].interrupted;
		tap_ok(step_judge(&r, t[i].c, t[i].x, &u) == t[i].faults && !u, "%s", t[i].what);
	}
	/* without the evidence: unproven */
	r = unobserved(CLASS_MMIO_READ, 0, 1);
	tap_ok(!step_judge(&r, CLASS_MMIO_READ, &perm1, &u) && u == UNPROVEN_ENTRIES,
	       "unobserved before any observed step of its class: unproven (entries)");
	r = unobserved(CLASS_MMIO_READ, 1, 1);
	r.have &= ~(1u << M_IRQS);
	tap_ok(!step_judge(&r, CLASS_MMIO_READ, &perm1, &u) && u == UNPROVEN_ENTRIES,
	       "unobserved without an interrupt count: unproven (entries)");
	r = good(CLASS_UNTRAPPED, 0);
	r.have &= ~(1u << M_ENTRIES);
	tap_ok(!step_judge(&r, CLASS_UNTRAPPED, NULL, &u) && !u,
	       "the architecture's count needs no entries: proven unobserved");
}

/* The exits a step takes, on each re-entry path. */
static void test_step_exits(void)
{
	struct step_record r;
	char ev[512];

	r = good(CLASS_MMIO_READ, 2);
	tap_ok(!J(&r, CLASS_MMIO_READ, &perm1), "MMIO then DEBUG conforms for an MMIO row");
	r.mmio_ok = false;
	tap_ok(J(&r, CLASS_MMIO_READ, &perm1) == FAULT_MMIO, "a wrong MMIO access is a fault");
	/* re-entry paths: EINTR returns are no exits of the step's own */
	r = good(CLASS_MMIO_READ, 2);
	r.nexits = 0;
	r.exits[r.nexits++] = SX_MMIO;
	r.exits[r.nexits++] = SX_INTR;
	r.exits[r.nexits++] = SX_DEBUG;
	r.path = RE_IMMEDIATE;
	tap_ok(!J(&r, CLASS_MMIO_READ, &perm1), "MMIO, EINTR, DEBUG conforms (immediate-exit)");
	step_evidence(&r, 0, ev, sizeof(ev));
	tap_ok(strstr(ev, "MMIO,INTR,DEBUG") && strstr(ev, "reentry immediate-exit"),
	       "the evidence names the exits and the path: %s", ev);
	r = good(CLASS_SMC, 2);
	r.path = RE_SMCCC_USER;
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(J(&r, CLASS_SMC, NULL) == FAULT_EXITS, "smccc-user: a DEBUG without the forwarded SMC is a fault");
	r.nexits = 0;
	r.exits[r.nexits++] = SX_HYPERCALL;
	r.exits[r.nexits++] = SX_DEBUG;
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(!J(&r, CLASS_SMC, NULL), "smccc-user: HYPERCALL then DEBUG conforms");
	r.mmio_ok = false;
	tap_ok(J(&r, CLASS_SMC, NULL) == FAULT_MMIO, "smccc-user: another function's call is a fault");
	r = good(CLASS_SYSREG, 2);
	r.nexits = 0;
	r.exits[r.nexits++] = SX_MMIO;
	r.exits[r.nexits++] = SX_DEBUG;
	r.m[M_GUEST_INSNS] = 0;
	tap_ok(J(&r, CLASS_SYSREG, NULL) == FAULT_EXITS, "an MMIO exit on a sysreg step is a fault");
	r = good(CLASS_HVC, 2);
	r.nexits = 1;
	r.exits[0] = SX_OTHER;
	r.exit_reason = 24;
	tap_ok(J(&r, CLASS_HVC, NULL) & FAULT_EXITS, "an unexpected exit is a fault");
	step_evidence(&r, FAULT_EXITS, ev, sizeof(ev));
	tap_ok(strstr(ev, "exit_reason 24") != NULL, "its evidence names the exit reason");
}

/* A debug exit that is no step, a lost effect or row; short evidence. */
static void test_step_effect(void)
{
	struct step_record r;
	char ev[512];

	r = good(CLASS_UNTRAPPED, 1);
	arch_decode_syndrome(0xf2000000, &r.syn);
	tap_ok(J(&r, CLASS_UNTRAPPED, NULL) == FAULT_SYNDROME, "a debug exit that is no step is a fault");
	r = good(CLASS_MEM, 1);
	r.effect_ok = false;
	r.effect_got = 1;
	r.effect_want = 2;
	tap_ok(J(&r, CLASS_MEM, NULL) == FAULT_EFFECT, "a missing effect is a fault");
	step_evidence(&r, FAULT_EFFECT, ev, sizeof(ev));
	tap_ok(strstr(ev, "effect got 0x1 want 0x2") != NULL, "its evidence gives got and want");
	r.row = -1;
	tap_ok(J(&r, CLASS_MEM, NULL) == FAULT_LOST, "a PC outside the program is lost");
	tap_ok(step_evidence(&r, FAULT_EFFECT, ev, 8) == -ENOSPC, "short evidence buffers are reported");
}

static void test_reentry(void)
{
	struct path_stats ps = { 0 };
	struct step_record r = good(CLASS_MMIO_READ, 2);
	uint32_t mask;
	char err[160];

	tap_ok(!reentry_parse("plain,immediate-exit,signal", &mask, err, sizeof(err)) &&
	       mask == ((1u << RE_PLAIN) | (1u << RE_IMMEDIATE) | (1u << RE_SIGNAL)),
	       "--reentry plain,immediate-exit,signal");
	tap_ok(!reentry_parse("signal", &mask, err, sizeof(err)) &&
	       mask == ((1u << RE_PLAIN) | (1u << RE_SIGNAL)), "plain is always one of the paths");
	tap_ok(!reentry_parse("all", &mask, err, sizeof(err)) &&
	       mask == ((1u << RE_STORM) - 1), "all: every path a run can take");
	tap_ok(reentry_parse("plain,bogus", &mask, err, sizeof(err)) == -EINVAL &&
	       strstr(err, "'bogus': no such path"), "an unknown path is refused: %s", err);
	tap_ok(reentry_parse("storm", &mask, err, sizeof(err)) == -EINVAL &&
	       strstr(err, "stress --storm"), "storm belongs to stress: %s", err);
	tap_ok(reentry_parse("plain,,signal", &mask, err, sizeof(err)) == -EINVAL,
	       "an empty name is refused: %s", err);
	tap_ok(!strcmp(reentry_name(reentry_from_name("smccc-user")), "smccc-user"),
	       "path names round-trip");
	r.pc_after = r.pc + 8;
	r.interrupted = true;
	arch_decode_syndrome(ESR_STEP_ISV, &r.syn);
	path_stats_add(&ps, &r, FAULT_PC);
	r.pc_after = r.pc + 4;
	r.interrupted = false;
	arch_decode_syndrome(ESR_STEP, &r.syn);
	path_stats_add(&ps, &r, 0);
	tap_ok(ps.steps == 2 && ps.conforming == 1 && ps.double_steps == 1 && ps.isv_set == 1 &&
	       ps.interrupted == 1, "per-path totals: steps, conforming, PC+8, ISV, EINTR");
}

static void feed(struct class_stats *cs, enum insn_class c, unsigned int n,
		 uint64_t entries, uint64_t pc_step)
{
	struct step_record r = good(c, entries);
	unsigned int i;

	r.pc_after = r.pc + pc_step;
	for (i = 0; i < n; i++)
		class_stats_add(cs, &r, 0);
	class_stats_settle(cs);
}

static void test_design(void)
{
	enum design per[CLASS_MAX];
	struct class_stats cs;
	char ev[256];
	unsigned int c;

	class_stats_init(&cs);
	feed(&cs, CLASS_SYSREG, 100, 2, 4);
	tap_ok(design_classify(&cs, CLASS_SYSREG, ev, sizeof(ev)) == DESIGN_FLAG,
	       "2 entries, ISV=0: flag-based (%s)", ev);
	tap_ok(strstr(ev, "mode 2 (100 of 100 steps)") != NULL, "the evidence has the mode");
	class_stats_free(&cs);

	class_stats_init(&cs);
	feed(&cs, CLASS_HVC, 99, 1, 4);
	feed(&cs, CLASS_HVC, 1, 2, 4);
	tap_ok(design_classify(&cs, CLASS_HVC, ev, sizeof(ev)) == DESIGN_EARLY_EXIT,
	       "1 entry: early-exit (%s)", ev);
	class_stats_free(&cs);

	class_stats_init(&cs);
	feed(&cs, CLASS_SMC, 50, 1, 4);
	feed(&cs, CLASS_SMC, 1, 1, 8);
	tap_ok(design_classify(&cs, CLASS_SMC, ev, sizeof(ev)) == DESIGN_BUGGY &&
	       cs.double_steps == 1, "one double step makes it buggy (%s)", ev);
	class_stats_free(&cs);

	class_stats_init(&cs);
	feed(&cs, CLASS_UNTRAPPED, 10, 1, 4);
	tap_ok(design_classify(&cs, CLASS_UNTRAPPED, ev, sizeof(ev)) == DESIGN_NONE,
	       "an untrapped class tells nothing about the design");
	class_stats_free(&cs);

	class_stats_init(&cs);
	{
		struct step_record r = good(CLASS_SYSREG, 2);

		r.have &= ~(1u << M_ENTRIES);
		class_stats_add(&cs, &r, 0);
		class_stats_settle(&cs);
	}
	tap_ok(design_classify(&cs, CLASS_SYSREG, ev, sizeof(ev)) == DESIGN_UNKNOWN &&
	       strstr(ev, "kvm_entry"), "no entry counts: unknown, and why");
	class_stats_free(&cs);

	for (c = 0; c < CLASS_MAX; c++)
		per[c] = DESIGN_NONE;
	tap_ok(design_overall(per) == DESIGN_UNKNOWN, "no emulated class: unknown");
	per[CLASS_SYSREG] = per[CLASS_HVC] = DESIGN_FLAG;
	tap_ok(design_overall(per) == DESIGN_FLAG, "agreeing classes give their design");
	per[CLASS_SMC] = DESIGN_EARLY_EXIT;
	tap_ok(design_overall(per) == DESIGN_MIXED, "disagreeing classes: mixed");
	per[CLASS_MMIO_READ] = DESIGN_BUGGY;
	tap_ok(design_overall(per) == DESIGN_BUGGY, "any buggy class: buggy");
}

static void test_stats_add(void)
{
	struct class_stats cs;
	struct step_record r = good(CLASS_UNTRAPPED, 1);
	struct dist_summary s;

	class_stats_init(&cs);
	r.m[M_HOST_INSNS] = 9303;	/* not in have: must not be recorded */
	class_stats_add(&cs, &r, 0);
	class_stats_add(&cs, &r, FAULT_PC);
	tap_ok(dist_summarize(&cs.d[M_RUNS], &s) == -ENODATA && cs.rep.n == 2 &&
	       !cs.run[0][M_RUNS].n[1], "two steps alike wait as one repeated step until settled");
	class_stats_settle(&cs);
	tap_ok(cs.steps == 2 && cs.conforming == 1 && cs.isv_set == 2, "steps, conforming, ISV counted");
	tap_ok(dist_summarize(&cs.d[M_HOST_INSNS], &s) == -ENODATA, "unmeasured metrics stay empty");
	tap_ok(!dist_summarize(&cs.d[M_RUNS], &s) && s.mode == 1 && s.n == 2, "runs recorded");
	class_stats_free(&cs);
	/* an observed step's host cost is the tracepoints' too: left out */
	class_stats_init(&cs);
	r.have |= (1u << M_HOST_INSNS) | (1u << M_CYCLES);
	r.m[M_CYCLES] = 9303;
	class_stats_add(&cs, &r, 0);
	r.observed = true;
	r.m[M_HOST_INSNS] = r.m[M_CYCLES] = 10903;
	r.m[M_ENTRIES] = 2;
	class_stats_add(&cs, &r, 0);
	class_stats_settle(&cs);
	tap_ok(!dist_summarize(&cs.d[M_HOST_INSNS], &s) && s.n == 1 && s.mode == 9303 &&
	       !dist_summarize(&cs.d[M_CYCLES], &s) && s.n == 1 && s.mode == 9303,
	       "host instructions and cycles: from unobserved steps alone");
	tap_ok(!dist_summarize(&cs.d[M_ENTRIES], &s) && s.n == 2 &&
	       !dist_summarize(&cs.d[M_GUEST_INSNS], &s) && s.n == 2,
	       "entries and guest instructions: from every step that has them");
	class_stats_free(&cs);
	/* a first fetch from a code page perturbs the step: not quiet */
	r = good(CLASS_UNTRAPPED, 1);
	r.have |= 1u << M_IRQS;
	tap_ok(step_unperturbed(&r), "no interrupt, no first fetch: unperturbed");
	r.new_page = true;
	tap_ok(!step_unperturbed(&r), "a first fetch from a code page: perturbed");
	/* every step in d, the unperturbed ones in quiet too, all once settled */
	class_stats_init(&cs);
	r = good(CLASS_UNTRAPPED, 1);
	r.have |= 1u << M_IRQS;
	class_stats_add(&cs, &r, 0);
	class_stats_add(&cs, &r, 0);
	r.m[M_IRQS] = 1;
	r.m[M_RUNS] = 3;
	class_stats_add(&cs, &r, 0);
	tap_ok(cs.rep.n == 1 && cs.run[1][M_RUNS].n[1] == 2 && !cs.run[0][M_RUNS].n[1] &&
	       !cs.d[M_RUNS].n, "a step unlike the one before puts it into a run: the unperturbed run, "
	       "for quiet and d both");
	r.m[M_RUNS] = 5;
	class_stats_add(&cs, &r, 0);
	tap_ok(cs.run[0][M_RUNS].n[1] == 1 && cs.run[0][M_RUNS].v[1] == 3 &&
	       cs.run[1][M_RUNS].n[1] == 2 && !cs.d[M_RUNS].n,
	       "a perturbed step waits in the perturbed run, for d alone");
	r.m[M_IRQS] = 0;
	r.m[M_RUNS] = 1;
	class_stats_add(&cs, &r, 0);
	tap_ok(cs.run[0][M_RUNS].v[0] == 3 && cs.run[0][M_RUNS].v[1] == 5 &&
	       cs.run[1][M_RUNS].n[1] == 2 && !cs.d[M_RUNS].n && cs.rep.n == 1,
	       "a second value waits beside the first");
	r.m[M_IRQS] = 1;
	r.m[M_RUNS] = 7;
	class_stats_add(&cs, &r, 0);
	r.m[M_IRQS] = 0;
	r.m[M_RUNS] = 1;
	class_stats_add(&cs, &r, 0);
	tap_ok(cs.d[M_RUNS].n == 1 && !cs.quiet[M_RUNS].n && cs.run[0][M_RUNS].v[0] == 5 &&
	       cs.run[0][M_RUNS].v[1] == 7 && cs.run[1][M_RUNS].n[1] == 3 && cs.rep.n == 1,
	       "a third value puts the older run into d, not quiet; the others wait");
	class_stats_settle(&cs);
	tap_ok(!dist_summarize(&cs.d[M_RUNS], &s) && s.n == 7 && s.mode == 1 && s.max == 7 &&
	       !dist_summarize(&cs.quiet[M_RUNS], &s) && s.n == 4 && s.max == 1 &&
	       !cs.rep.n, "settled: d holds every step, quiet the unperturbed ones");
	class_stats_free(&cs);
	tap_ok(!strcmp(metric_name(M_HOST_INSNS), "host_instructions") &&
	       !strcmp(design_name(DESIGN_EARLY_EXIT), "early-exit") &&
	       !strcmp(fault_name(2), "pc"), "names of metrics, designs, faults");
}

/* Two distributions hold the same samples. */
static bool dist_same(const struct dist *a, const struct dist *b)
{
	uint64_t va[64], ca[64], vb[64], cb[64];
	size_t na = dist_values(a, va, ca, 64), nb = dist_values(b, vb, cb, 64);

	return na == nb && na <= 64 && a->n == b->n &&
	       !memcmp(va, vb, na * sizeof(va[0])) && !memcmp(ca, cb, na * sizeof(ca[0]));
}

/*
 * Steps of few distinct figures, in runs and not, some observed, some
 * perturbed, some of several KVM_RUNs, some on another path: the class's
 * distributions must hold exactly what adding every sample would.
 */
static void test_stats_same_as_each(void)
{
	struct dist want[3][M_MAX];
	struct class_stats cs;
	struct step_record r;
	uint64_t seed = 0x5eed;
	unsigned int i, m, k, bad = 0;
	uint32_t todo;

	class_stats_init(&cs);
	for (k = 0; k < 3; k++)
		for (m = 0; m < M_MAX; m++)
			dist_init(&want[k][m]);
	r = good(CLASS_MMIO_READ, 2);
	r.have = (1u << M_MAX) - 1;
	for (i = 0; i < 20000; i++) {
		/*
		 * Now and then one thing changes: a figure, a figure of the
		 * last run, being observed, perturbed or on another path.
		 */
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		k = (unsigned int)(seed >> 59);
		m = (unsigned int)(seed >> 33) % M_MAX;
		if (k < 12)
			;	/* the step before again */
		else if (k < 23)
			r.m[m] = m == M_RUNS ? 1 + ((seed >> 20) & 1) : (seed >> 20) & 3;
		else if (k < 27)
			r.last[m] = (seed >> 20) & 1;
		else if (k < 28)
			r.observed = !r.observed;
		else if (k < 29)
			r.new_page = !r.new_page;
		else if (k < 30)
			r.path = r.path == RE_PLAIN ? RE_SIGNAL : RE_PLAIN;
		else if (k < 31 && m != M_RUNS && m != M_IRQS)
			r.have ^= 1u << m;	/* a metric the machine cannot count */
		else
			r.m[M_IRQS] = r.m[M_CSWITCHES] = r.m[M_FAULTS] = 0;
		/* the time alone changes on every other step */
		r.m[M_TIME_NS] = 100 + ((seed >> (i & 31)) & 1);
		class_stats_add(&cs, &r, 0);
		if (r.path != RE_PLAIN)
			continue;
		todo = r.have & ~(r.observed ? METRICS_OBSERVER_COST : 0);
		for (m = 0; m < M_MAX; m++) {
			if (!(todo & (1u << m)))
				continue;
			dist_add(&want[0][m], r.m[m]);
			if (step_unperturbed(&r))
				dist_add(&want[1][m], r.m[m]);
			if (r.m[M_RUNS] > 1)
				dist_add(&want[2][m], r.last[m]);
		}
	}
	class_stats_settle(&cs);
	for (m = 0; m < M_MAX; m++) {
		bad += !dist_same(&cs.d[m], &want[0][m]);
		bad += !dist_same(&cs.quiet[m], &want[1][m]);
		bad += !dist_same(&cs.last[m], &want[2][m]);
	}
	tap_ok(!bad && cs.d[M_HOST_INSNS].n > 1000 && cs.quiet[M_RUNS].n > 1000 &&
	       cs.last[M_GUEST_INSNS].n > 1000,
	       "20,000 steps in runs and not: every distribution as if fed each sample "
	       "(%u differ; %llu, %llu quiet, %llu of several runs)", bad,
	       (unsigned long long)cs.d[M_HOST_INSNS].n, (unsigned long long)cs.quiet[M_RUNS].n,
	       (unsigned long long)cs.last[M_GUEST_INSNS].n);
	for (k = 0; k < 3; k++)
		for (m = 0; m < M_MAX; m++)
			dist_free(&want[k][m]);
	class_stats_free(&cs);
}

/*
 * The totals of a class after steps a and b, b added alike (as the flush
 * counts it: as a was, its time its own) or not.
 */
static bool totals_same(const struct step_record *a, unsigned int fa,
			const struct step_record *b, unsigned int fb)
{
	struct class_stats s1, s2;
	struct path_stats p1 = { 0 }, p2 = { 0 };
	unsigned int m;
	bool same;

	class_stats_init(&s1);
	class_stats_init(&s2);
	class_stats_add(&s1, a, fa);
	class_stats_count_alike(&s1, a, 1);
	class_stats_time_alike(&s1, b);
	class_stats_add(&s2, a, fa);
	class_stats_add(&s2, b, fb);
	class_stats_settle(&s1);
	class_stats_settle(&s2);
	path_stats_add(&p1, a, fa);
	path_stats_add_n(&p1, a, 0, 1);
	path_stats_add(&p2, a, fa);
	path_stats_add(&p2, b, fb);
	same = s1.steps == s2.steps && s1.conforming == s2.conforming &&
	       s1.isv_set == s2.isv_set && s1.isv_clear == s2.isv_clear &&
	       s1.double_steps == s2.double_steps && !memcmp(&p1, &p2, sizeof(p1));
	for (m = 0; m < M_MAX; m++)
		same = same && dist_same(&s1.d[m], &s2.d[m]) &&
		       dist_same(&s1.quiet[m], &s2.quiet[m]) && dist_same(&s1.last[m], &s2.last[m]);
	class_stats_free(&s1);
	class_stats_free(&s2);
	return same;
}

/* A record the step loop can make: its flags 0 or 1, its exits in their array. */
static bool record_valid(const struct step_record *r)
{
	static const size_t flags[] = {
		offsetof(struct step_record, interrupted),
		offsetof(struct step_record, counters_partial),
		offsetof(struct step_record, new_page),
		offsetof(struct step_record, mmio_ok),
		offsetof(struct step_record, effect_ok),
		offsetof(struct step_record, effect_later),
		offsetof(struct step_record, observed),
	};
	const uint8_t *p = (const uint8_t *)r;
	unsigned int i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (p[flags[i]] > 1)
			return false;
	return r->nexits <= STEP_MAX_EXITS && r->path < RE_MAX;
}

/*
 * Whatever byte of a conforming step changes, a step that step_alike()
 * calls alike it gets the same verdict, and adding it alike gives the
 * same totals as judging and adding it: every byte of the record, a few
 * values each, on a plain MMIO step, a plain sysreg step and a signal
 * path step.
 */
static void test_step_alike(void)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff };
	/* as the emulated board counts guest instructions: per entry */
	static const struct {
		enum insn_class c;
		uint8_t path;
		bool observed;
		struct class_expect x;
	} base[] = {
		{ CLASS_MMIO_READ, RE_PLAIN, false, { -1, -1, true, true, NULL } },
		{ CLASS_SYSREG, RE_PLAIN, false, { 0, 0, true, true, NULL } },
		{ CLASS_SYSREG, RE_PLAIN, true, { 0, 0, true, true, NULL } },
		{ CLASS_HVC, RE_SIGNAL, true, { 0, 0, true, true, NULL } },
		{ CLASS_UNTRAPPED, RE_PLAIN, false, { 0, 0, false, false, NULL } },
	};
	unsigned int i, off, v, fa, fb, ua, ub, alike = 0, bad = 0, tried = 0;
	struct step_record a, b;

	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		a = good(base[i].c, class_is_emulated(base[i].c) ? 2 : 1);
		a.have = (1u << M_MAX) - 1;
		a.path = base[i].path;
		a.observed = base[i].observed;
		a.cpu = 1;
		if (!a.observed) {
			/* judged by its class's entries */
			a.have &= ~((1u << M_ENTRIES) | (1u << M_KVM_EXITS));
			a.class_entries = a.m[M_ENTRIES];
		}
		a.m[M_GUEST_INSNS] = base[i].x.per_entry ? a.m[M_ENTRIES] + base[i].x.guest_lo :
							   (uint64_t)base[i].x.guest_lo;
		a.m[M_HOST_INSNS] = 14853;
		a.m[M_CYCLES] = 14900;
		a.m[M_KVM_EXITS] = a.m[M_ENTRIES];
		a.m[M_TIME_NS] = 9000;
		a.last[M_HOST_INSNS] = 7000;
		a.last[M_TIME_NS] = 4000;
		fa = step_judge(&a, base[i].c, &base[i].x, &ua);
		if (fa || ua) {
			bad++;
			continue;
		}
		for (off = 0; off < sizeof(a); off++)
			for (v = 0; v < sizeof(vals); v++) {
				b = a;
				((uint8_t *)&b)[off] = vals[v];
				if (!record_valid(&b))
					continue;
				arch_decode_syndrome(b.syn.raw, &b.syn);
				tried++;
				if (!step_alike(&a, &b))
					continue;
				alike++;
				fb = step_judge(&b, base[i].c, &base[i].x, &ub);
				if (fb || ub || !totals_same(&a, fa, &b, fb)) {
					bad++;
					tap_diag("byte %u = 0x%02x: alike, yet faults 0x%x unproven 0x%x",
						 off, vals[v], fb, ub);
				}
			}
	}
	tap_ok(!bad && alike > tried / 4,
	       "a step alike a conforming one: the same verdict and totals (%u of %u changed bytes alike)",
	       alike, tried);
}

/* Times in counter ticks go into the distributions as ns. */
static void test_time_ticks(void)
{
	struct step_record r = good(CLASS_UNTRAPPED, 1);
	struct class_stats cs;
	struct dist_summary s;

	class_stats_init(&cs);
	cs.ns_per_tick = 16ull << 32;	/* a 62.5 MHz counter */
	r.have |= 1u << M_TIME_NS | 1u << M_IRQS;	/* unperturbed */
	r.m[M_TIME_NS] = 3;
	class_stats_add(&cs, &r, 0);
	class_stats_count_alike(&cs, &r, 1);
	class_stats_time_alike(&cs, &r);
	r.m[M_TIME_NS] = 5;
	class_stats_count_alike(&cs, &r, 1);
	class_stats_time_alike(&cs, &r);
	class_stats_settle(&cs);
	tap_ok(!dist_summarize(&cs.d[M_TIME_NS], &s) && s.n == 3 && s.mode == 48 && s.max == 80 &&
	       !dist_summarize(&cs.quiet[M_TIME_NS], &s) && s.n == 3 && s.min == 48 &&
	       cs.d[M_GUEST_INSNS].n == 3 && cs.d[M_GUEST_INSNS].max == 1,
	       "times in ticks go in as ns (3 and 5 ticks of 16 ns), other figures as they are");
	class_stats_free(&cs);
}

/* n alike steps counted at once add what n steps added one by one. */
static void test_alike_bulk(void)
{
	struct step_record r = good(CLASS_SYSREG, 2);
	struct class_stats s1, s2;
	struct path_stats p1 = { 0 }, p2 = { 0 };
	unsigned int i;

	r.pc_after = r.pc + 8;
	r.interrupted = true;
	arch_decode_syndrome(0xcb000022, &r.syn);
	class_stats_init(&s1);
	class_stats_init(&s2);
	class_stats_count_alike(&s1, &r, 3);
	path_stats_add_n(&p1, &r, 0, 3);
	for (i = 0; i < 3; i++) {
		class_stats_count_alike(&s2, &r, 1);
		path_stats_add(&p2, &r, 0);
	}
	tap_ok(s1.steps == 3 && s1.steps == s2.steps && s1.conforming == s2.conforming &&
	       s1.isv_set == s2.isv_set && s1.isv_set == 3 && s1.isv_clear == s2.isv_clear &&
	       !memcmp(&p1, &p2, sizeof(p1)) && p1.double_steps == 3 && p1.interrupted == 3,
	       "3 alike steps at once: the counts of 3 added one by one");
	class_stats_free(&s1);
	class_stats_free(&s2);
}

int main(void)
{
	test_syndrome();
	test_step_defaults();
	test_step_board();
	test_step_unproven();
	test_step_unobserved();
	test_step_exits();
	test_step_effect();
	test_reentry();
	test_design();
	test_stats_add();
	test_stats_same_as_each();
	test_step_alike();
	test_alike_bulk();
	test_time_ticks();
	return tap_done();
}
