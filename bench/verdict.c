// SPDX-License-Identifier: GPL-2.0
/*
 * The per-step verdict and the design verdict.  Pure functions of step
 * records and class totals, so they are tested on any host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "verdict.h"

#define INSN_BYTES	4

static const char *const fault_names[FAULT_MAX_BIT] = {
	"exits", "syndrome", "pc", "effect", "mmio", "guest_instructions", "lost", "cpu",
};

const char *fault_name(unsigned int bit)
{
	return bit < FAULT_MAX_BIT ? fault_names[bit] : "?";
}

static const char *const design_names[] = {
	[DESIGN_NONE]		= "none",
	[DESIGN_UNKNOWN]	= "unknown",
	[DESIGN_FLAG]		= "flag-based",
	[DESIGN_EARLY_EXIT]	= "early-exit",
	[DESIGN_BUGGY]		= "buggy",
	[DESIGN_MIXED]		= "mixed",
};

const char *design_name(enum design d)
{
	return (unsigned int)d <= DESIGN_MIXED ? design_names[d] : "?";
}

static bool exits_as_expected(const struct step_record *r, enum insn_class c)
{
	if (class_is_mmio(c))
		return r->nexits == 2 && r->exits[0] == SX_MMIO &&
		       r->exits[1] == SX_DEBUG;
	return r->nexits == 1 && r->exits[0] == SX_DEBUG;
}

void class_expect_default(enum insn_class c, struct class_expect *x)
{
	*x = (struct class_expect) {
		.guest_lo = class_is_emulated(c) ? 0 : 1, .guest_hi = 1,
	};
}

static bool guest_insns_ok(const struct step_record *r, enum insn_class c,
			   const struct class_expect *x)
{
	uint64_t n = r->m[M_GUEST_INSNS];
	struct class_expect def;

	if (!(r->have & (1u << M_GUEST_INSNS)))
		return true;
	if (!x) {
		class_expect_default(c, &def);
		x = &def;
	}
	return n >= x->guest_lo && n <= x->guest_hi;
}

unsigned int step_judge(const struct step_record *r, enum insn_class c,
			const struct class_expect *x)
{
	unsigned int f = 0;

	if (r->row < 0)
		return FAULT_LOST;
	if (!exits_as_expected(r, c))
		f |= FAULT_EXITS;
	if (r->nexits && r->exits[r->nexits - 1] == SX_DEBUG && !r->syn.step)
		f |= FAULT_SYNDROME;
	if (r->pc_after != r->pc_expected)
		f |= FAULT_PC;
	if (!r->effect_ok)
		f |= FAULT_EFFECT;
	if (class_is_mmio(c) && !r->mmio_ok)
		f |= FAULT_MMIO;
	if (!guest_insns_ok(r, c, x))
		f |= FAULT_GUEST_INSNS;
	return f;
}

static const char *exit_name(uint8_t e)
{
	static const char *const names[] = { "DEBUG", "MMIO", "OTHER", "ERROR" };

	return e < 4 ? names[e] : "?";
}

int step_evidence(const struct step_record *r, unsigned int faults,
		  char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

#define PUT(...) do {							\
	int __w = snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__);	\
	if (__w < 0)							\
		return -EINVAL;						\
	n += (size_t)__w;						\
} while (0)
	PUT("exits");
	for (i = 0; i < r->nexits; i++)
		PUT("%s%s", i ? "," : " ", exit_name(r->exits[i]));
	if (r->exits[r->nexits ? r->nexits - 1 : 0] == SX_OTHER)
		PUT(" (exit_reason %" PRIu32 ")", r->exit_reason);
	PUT("; esr 0x%08" PRIx32 "; pc 0x%" PRIx64 " -> 0x%" PRIx64
	    " (expected 0x%" PRIx64 ")", r->syn.raw, r->pc, r->pc_after,
	    r->pc_expected);
	if (faults & FAULT_PC && r->pc_after == r->pc + 2 * INSN_BYTES)
		PUT(", two instructions");
	if (faults & FAULT_EFFECT)
		PUT("; effect got 0x%" PRIx64 " want 0x%" PRIx64,
		    r->effect_got, r->effect_want);
	if (r->have & (1u << M_GUEST_INSNS))
		PUT("; guest instructions %" PRIu64, r->m[M_GUEST_INSNS]);
	if (r->have & (1u << M_ENTRIES))
		PUT("; entries %" PRIu64, r->m[M_ENTRIES]);
	if (faults & FAULT_CPU)
		PUT("; measured on cpu %d, outside the kind", r->cpu);
#undef PUT
	return n < len ? 0 : -ENOSPC;
}

void class_stats_init(struct class_stats *cs)
{
	unsigned int m;

	memset(cs, 0, sizeof(*cs));
	for (m = 0; m < M_MAX; m++) {
		dist_init(&cs->d[m]);
		dist_init(&cs->quiet[m]);
		dist_init(&cs->last[m]);
	}
}

void class_stats_free(struct class_stats *cs)
{
	unsigned int m;

	for (m = 0; m < M_MAX; m++) {
		dist_free(&cs->d[m]);
		dist_free(&cs->quiet[m]);
		dist_free(&cs->last[m]);
	}
}

/*
 * No host interrupt, context switch or page fault landed in the step's
 * window: the host did nothing but the step.  Needs the interrupt count;
 * a perturbation the machine cannot count is taken as absent.
 */
bool step_unperturbed(const struct step_record *r)
{
	static const enum metric perturbations[] = { M_IRQS, M_CSWITCHES, M_FAULTS };
	unsigned int i;

	if (!(r->have & (1u << M_IRQS)))
		return false;
	for (i = 0; i < sizeof(perturbations) / sizeof(perturbations[0]); i++)
		if ((r->have & (1u << perturbations[i])) && r->m[perturbations[i]])
			return false;
	return true;
}

int class_stats_add(struct class_stats *cs, const struct step_record *r,
		    unsigned int faults)
{
	bool quiet = step_unperturbed(r);
	unsigned int m;
	int ret;

	cs->steps++;
	if (!faults)
		cs->conforming++;
	if (r->syn.step) {
		if (r->syn.isv)
			cs->isv_set++;
		else
			cs->isv_clear++;
	}
	if (r->pc_after == r->pc + 2 * INSN_BYTES && r->pc_expected != r->pc_after)
		cs->double_steps++;
	for (m = 0; m < M_MAX; m++) {
		if (!(r->have & (1u << m)))
			continue;
		ret = dist_add(&cs->d[m], r->m[m]);
		if (!ret && quiet)
			ret = dist_add(&cs->quiet[m], r->m[m]);
		if (!ret && r->m[M_RUNS] > 1)
			ret = dist_add(&cs->last[m], r->last[m]);
		if (ret)
			return ret;
	}
	return 0;
}

int class_stats_merge(struct class_stats *dst, const struct class_stats *src)
{
	unsigned int m;
	int ret = 0;

	dst->steps += src->steps;
	dst->conforming += src->conforming;
	dst->isv_set += src->isv_set;
	dst->isv_clear += src->isv_clear;
	dst->double_steps += src->double_steps;
	for (m = 0; m < M_MAX && !ret; m++) {
		ret = dist_merge(&dst->d[m], &src->d[m]);
		if (!ret)
			ret = dist_merge(&dst->quiet[m], &src->quiet[m]);
		if (!ret)
			ret = dist_merge(&dst->last[m], &src->last[m]);
	}
	return ret;
}

enum design design_classify(const struct class_stats *cs, enum insn_class c,
			    char *ev, size_t len)
{
	struct dist_summary s;

	if (!class_is_emulated(c) || !cs->steps) {
		snprintf(ev, len, "%s", cs->steps ? "not emulated by KVM" : "no steps");
		return DESIGN_NONE;
	}
	if (cs->double_steps) {
		snprintf(ev, len, "%" PRIu64 " of %" PRIu64 " steps ran two instructions (PC +8)",
			 cs->double_steps, cs->steps);
		return DESIGN_BUGGY;
	}
	if (dist_summarize(&cs->d[M_ENTRIES], &s)) {
		snprintf(ev, len, "guest entries not counted (kvm:kvm_entry unavailable)");
		return DESIGN_UNKNOWN;
	}
	snprintf(ev, len, "guest entries per step: mode %" PRIu64 " (%" PRIu64 " of %" PRIu64
		 " steps); debug exit ISV=0 on %" PRIu64 ", ISV=1 on %" PRIu64,
		 s.mode, s.mode_count, s.n, cs->isv_clear, cs->isv_set);
	if (s.mode == 2 && cs->isv_clear >= cs->isv_set)
		return DESIGN_FLAG;
	if (s.mode == 1)
		return DESIGN_EARLY_EXIT;
	return DESIGN_UNKNOWN;
}

enum design design_overall(const enum design per_class[CLASS_MAX])
{
	enum design d = DESIGN_NONE;
	unsigned int c;

	for (c = 0; c < CLASS_MAX; c++) {
		if (per_class[c] == DESIGN_NONE)
			continue;
		if (per_class[c] == DESIGN_BUGGY)
			return DESIGN_BUGGY;
		if (d == DESIGN_NONE)
			d = per_class[c];
		else if (d != per_class[c])
			d = DESIGN_MIXED;
	}
	return d == DESIGN_NONE ? DESIGN_UNKNOWN : d;
}

static const struct {
	const char *name, *unit;
} metrics[M_MAX] = {
	[M_GUEST_INSNS]	= { "guest_instructions", "instructions" },
	[M_HOST_INSNS]	= { "host_instructions", "instructions" },
	[M_CYCLES]	= { "cycles", "cycles" },
	[M_ENTRIES]	= { "entries", "entries" },
	[M_KVM_EXITS]	= { "kvm_exits", "exits" },
	[M_IRQS]	= { "host_irqs", "interrupts" },
	[M_CSWITCHES]	= { "context_switches", "switches" },
	[M_FAULTS]	= { "page_faults", "faults" },
	[M_RUNS]	= { "runs", "KVM_RUN calls" },
	[M_TIME_NS]	= { "time_ns", "ns" },
};

const char *metric_name(enum metric m)
{
	return (unsigned int)m < M_MAX ? metrics[m].name : "?";
}

const char *metric_unit(enum metric m)
{
	return (unsigned int)m < M_MAX ? metrics[m].unit : "?";
}
