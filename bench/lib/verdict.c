// SPDX-License-Identifier: GPL-2.0
/*
 * The per-step verdict and the design verdict.  Pure functions of step
 * records and class totals, so they are tested on any host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/names.h"
#include "lib/verdict.h"

static const char *const fault_names[FAULT_MAX_BIT] = {
	"exits", "syndrome", "pc", "effect", "mmio", "guest_instructions", "lost", "cpu",
};

const char *unproven_name(unsigned int bit)
{
	static const char *const names[UNPROVEN_MAX_BIT] = {
		"guest_instructions not counted", "entries not counted",
		"counters not running the whole window", "effect not logged",
	};

	return names_at(names, UNPROVEN_MAX_BIT, bit);
}

const char *fault_name(unsigned int bit)
{
	return names_at(fault_names, FAULT_MAX_BIT, bit);
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
	return names_at(design_names, DESIGN_MIXED + 1, d);
}

int reentry_parse(const char *spec, uint32_t *mask, char *err, size_t len)
{
	const char *p = spec, *end;
	char name[32];
	size_t n;
	int r;

	*mask = 1u << RE_PLAIN;
	if (!strcmp(spec, "all")) {
		*mask = (1u << RE_STORM) - 1;
		return 0;
	}
	do {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (!n || n >= sizeof(name)) {
			snprintf(err, len, "'%.*s': want path names separated by commas",
				 (int)(n < 64 ? n : 64), p);
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		r = reentry_from_name(name);
		if (r == RE_STORM) {
			snprintf(err, len, "storm: asynchronous signals are 'steplab stress --storm HZ'");
			return -EINVAL;
		}
		if (r < 0) {
			snprintf(err, len, "'%s': no such path (plain, immediate-exit, signal, "
				 "smccc-user, all)", name);
			return -EINVAL;
		}
		*mask |= 1u << r;
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

/*
 * The exits a step takes, less the EINTR returns its re-entry path (or a
 * signal) caused: MMIO then DEBUG for an MMIO row, HYPERCALL then DEBUG
 * for an SMC forwarded to userspace, DEBUG alone for the rest.
 */
static bool exits_as_expected(const struct step_record *r, bool mmio)
{
	uint8_t want[2];
	unsigned int n = 0, i, nwant = 0;

	if (mmio)
		want[nwant++] = SX_MMIO;
	else if (r->path == RE_SMCCC_USER)
		want[nwant++] = SX_HYPERCALL;
	want[nwant++] = SX_DEBUG;
	for (i = 0; i < r->nexits && i < STEP_MAX_EXITS; i++) {
		if (r->exits[i] == SX_INTR)
			continue;
		if (n == nwant || r->exits[i] != want[n])
			return false;
		n++;
	}
	return n == nwant;
}

void class_expect_default(enum insn_class c, struct class_expect *x)
{
	bool traps = class_is_emulated(c) && c != CLASS_HVC;

	*x = (struct class_expect) { .guest_lo = !traps, .guest_hi = !traps };
}

static bool guest_insns_ok(const struct step_record *r, const struct class_expect *x,
			   unsigned int *unproven)
{
	int64_t n = (int64_t)r->m[M_GUEST_INSNS], base = 0, irq = 0;

	if (!(r->have & (1u << M_GUEST_INSNS))) {
		*unproven |= UNPROVEN_GUEST_INSNS;
		return true;
	}
	if (x->per_entry) {
		/*
		 * A host interrupt while the guest runs is one more exit and
		 * entry with nothing retired: at most one per interrupt counted.
		 * So is the stage-2 fault of a code page the guest reaches for
		 * the first time (the flag design's re-entry fetches there), and
		 * a signal that cut a KVM_RUN short.
		 */
		if (r->have & (1u << M_IRQS))
			irq = (int64_t)r->m[M_IRQS];
		irq += r->new_page;
		if (r->have & (1u << M_ENTRIES)) {
			base = (int64_t)r->m[M_ENTRIES];
		} else if (r->class_entries && (r->have & (1u << M_IRQS))) {
			/* unobserved: its class's entries, and one per extra exit */
			irq += r->interrupted;
			base = (int64_t)r->class_entries + irq;
		} else {
			*unproven |= UNPROVEN_ENTRIES;
			return true;
		}
		if (irq > base - 1)
			irq = base - 1;
	}
	return n >= base - irq + x->guest_lo && n <= base + x->guest_hi;
}

unsigned int step_judge(const struct step_record *r, enum insn_class c,
			const struct class_expect *x, unsigned int *unproven)
{
	bool mmio = class_is_mmio(c);
	struct class_expect def;
	unsigned int f = 0, u = 0;

	if (!x) {
		class_expect_default(c, &def);
		x = &def;
	}
	if (r->row < 0) {
		f = FAULT_LOST;
		goto out;
	}
	if (!exits_as_expected(r, mmio))
		f |= FAULT_EXITS;
	if (r->nexits && r->exits[r->nexits - 1] == SX_DEBUG && !r->syn.step)
		f |= FAULT_SYNDROME;
	if (r->pc_after != r->pc_expected)
		f |= FAULT_PC;
	if (!r->effect_ok)
		f |= FAULT_EFFECT;
	if ((mmio || r->path == RE_SMCCC_USER) && !r->mmio_ok)
		f |= FAULT_MMIO;
	if (!guest_insns_ok(r, x, &u))
		f |= FAULT_GUEST_INSNS;
	if (r->counters_partial)
		u |= UNPROVEN_NOT_RUNNING;
	if (r->effect_later)
		u |= UNPROVEN_EFFECT;
out:
	if (unproven)
		*unproven = u;
	return f;
}

static const char *exit_name(uint8_t e)
{
	static const char *const names[] = {
		"DEBUG", "MMIO", "OTHER", "ERROR", "INTR", "HYPERCALL",
	};

	return e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
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
	PUT("; reentry %s", reentry_name(r->path));
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
 * window, nor the stage-2 fault of a first fetch from a code page: the
 * host did nothing but the step.  Needs the interrupt count; a
 * perturbation the machine cannot count is taken as absent.
 */
bool step_unperturbed(const struct step_record *r)
{
	uint32_t have = r->have;

	if (!(have & (1u << M_IRQS)) || r->new_page || r->m[M_IRQS])
		return false;
	return !((have & (1u << M_CSWITCHES)) && r->m[M_CSWITCHES]) &&
	       !((have & (1u << M_FAULTS)) && r->m[M_FAULTS]);
}

void path_stats_add_n(struct path_stats *ps, const struct step_record *r,
		      unsigned int faults, uint64_t n)
{
	ps->steps += n;
	ps->conforming += !faults * n;
	ps->double_steps += step_ran_two(r) * n;
	ps->isv_set += (r->syn.step && r->syn.isv) * n;
	ps->interrupted += r->interrupted * n;
}

void path_stats_add(struct path_stats *ps, const struct step_record *r,
		    unsigned int faults)
{
	path_stats_add_n(ps, r, faults, 1);
}

/*
 * Every step counts towards the class's totals; only plain steps feed its
 * distributions, which stay the cost of one plain step whatever share of
 * the class took the other re-entry paths (they cost signals, ioctls).
 */
static struct dist *stats_dist(struct class_stats *cs, unsigned int kind, unsigned int m);

/*
 * A run's samples into its distribution, an unperturbed one's into d as
 * well; a time in ticks as ns (a multiplication, once a run).
 */
static int run_out(struct class_stats *cs, unsigned int kind, unsigned int m, uint64_t v,
		   uint64_t n)
{
	int ret;

	if (m == M_TIME_NS && cs->ns_per_tick)
		v = ns_from_ticks(v, cs->ns_per_tick);
	ret = dist_add_n(stats_dist(cs, kind, m), v, n);
	if (!ret && kind == 1)
		ret = dist_add_n(&cs->d[m], v, n);
	return ret;
}

/*
 * @n samples of @v: a repeat of one of the two runs' values (the time
 * often takes turns between two), or the older run goes in and a new one
 * starts.
 */
static inline int stats_run_add(struct class_stats *cs, unsigned int kind, unsigned int m,
				uint64_t v, uint64_t n)
{
	struct stats_run *ru = &cs->run[kind][m];
	int ret = 0;

	if (ru->n[1] && ru->v[1] == v) {
		ru->n[1] += n;
		return 0;
	}
	if (ru->n[0] && ru->v[0] == v) {
		ru->n[0] += n;
		return 0;
	}
	if (ru->n[0])
		ret = run_out(cs, kind, m, ru->v[0], ru->n[0]);
	ru->v[0] = ru->v[1];
	ru->n[0] = ru->n[1];
	ru->v[1] = v;
	ru->n[1] = ret ? 0 : n;
	return ret;
}

/* The repeated step's values into the runs, as many times as it came. */
static int stats_rep_flush(struct class_stats *cs)
{
	uint32_t todo = cs->rep.n ? cs->rep.todo & ~(1u << M_TIME_NS) : 0;
	uint64_t n = cs->rep.n;
	unsigned int m;
	int ret = 0;

	cs->rep.n = 0;
	while (todo && !ret) {
		m = (unsigned int)__builtin_ctz(todo);
		todo &= todo - 1;
		ret = stats_run_add(cs, cs->rep.quiet, m, cs->rep.m[m], n);
		if (!ret && cs->rep.last)
			ret = stats_run_add(cs, 2, m, cs->rep.l[m], n);
	}
	return ret;
}

_Static_assert(M_TIME_NS == M_MAX - 1, "the time is the last metric");

/* The first M_TIME_NS figures of a and b are the same: no branch but one. */
static inline bool figures_same(const uint64_t *a, const uint64_t *b)
{
	uint64_t diff = 0;
	unsigned int m;

#pragma GCC unroll 16
	for (m = 0; m < M_TIME_NS; m++)
		diff |= a[m] ^ b[m];
	return !diff;
}

/*
 * The step has the repeated step's metrics, kinds and figures, its time
 * aside (the last metric), and those of its last KVM_RUN when it took
 * several.  Figures are compared whole, those the step does not feed too:
 * a difference there only ends the repeat sooner.
 */
static bool stats_rep_same(const struct class_stats *cs, const struct step_record *r,
			   uint32_t todo, bool quiet, bool last)
{
	return cs->rep.n && cs->rep.todo == todo && cs->rep.quiet == quiet &&
	       cs->rep.last == last && figures_same(cs->rep.m, r->m) &&
	       (!last || figures_same(cs->rep.l, r->last));
}

/* The step's time into the time's runs, as the repeated step says. */
static int stats_time_add(struct class_stats *cs, const struct step_record *r)
{
	int ret;

	if (!(cs->rep.todo & (1u << M_TIME_NS)))
		return 0;
	ret = stats_run_add(cs, cs->rep.quiet, M_TIME_NS, r->m[M_TIME_NS], 1);
	if (!ret && cs->rep.last)
		ret = stats_run_add(cs, 2, M_TIME_NS, r->last[M_TIME_NS], 1);
	return ret;
}

/* @n steps, conforming or not, debug exits by ISV. */
static void stats_count(struct class_stats *cs, const struct step_record *r, bool conforming,
			uint64_t n)
{
	cs->steps += n;
	cs->conforming += conforming * n;
	if (r->syn.step) {
		if (r->syn.isv)
			cs->isv_set += n;
		else
			cs->isv_clear += n;
	}
}

int class_stats_add(struct class_stats *cs, const struct step_record *r,
		    unsigned int faults)
{
	bool quiet, last;
	uint32_t todo;
	int ret = 0;

	stats_count(cs, r, !faults, 1);
	if (step_ran_two(r))
		cs->double_steps++;
	if (r->path != RE_PLAIN)
		return 0;
	quiet = step_unperturbed(r);
	last = r->m[M_RUNS] > 1;
	todo = r->have & ((1u << M_MAX) - 1);
	if (r->observed)
		todo &= ~METRICS_OBSERVER_COST;
	if (!stats_rep_same(cs, r, todo, quiet, last)) {
		ret = stats_rep_flush(cs);
		if (ret)
			return ret;
		cs->rep.todo = todo;
		cs->rep.quiet = quiet;
		cs->rep.last = last;
		memcpy(cs->rep.m, r->m, sizeof(cs->rep.m));
		memcpy(cs->rep.l, r->last, sizeof(cs->rep.l));
	}
	cs->rep.n++;
	return stats_time_add(cs, r);
}

void class_stats_count_alike(struct class_stats *cs, const struct step_record *r, uint64_t n)
{
	stats_count(cs, r, true, n);
}

int class_stats_time_alike(struct class_stats *cs, const struct step_record *r)
{
	if (r->path != RE_PLAIN)
		return 0;
	cs->rep.n++;
	return stats_time_add(cs, r);
}

static struct dist *stats_dist(struct class_stats *cs, unsigned int kind, unsigned int m)
{
	return kind == 0 ? &cs->d[m] : kind == 1 ? &cs->quiet[m] : &cs->last[m];
}

int class_stats_settle(struct class_stats *cs)
{
	unsigned int k, m, i;
	int ret;

	ret = stats_rep_flush(cs);
	if (ret)
		return ret;
	for (k = 0; k < 3; k++)
		for (m = 0; m < M_MAX; m++)
			for (i = 0; i < 2; i++) {
				if (!cs->run[k][m].n[i])
					continue;
				ret = run_out(cs, k, m, cs->run[k][m].v[i], cs->run[k][m].n[i]);
				if (ret)
					return ret;
				cs->run[k][m].n[i] = 0;
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
